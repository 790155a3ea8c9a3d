/*
 * Conditionals: compiled once at load, evaluated per request
 * (CONF-COND-*, CONF-EVAL-*).
 *
 * A block applies when its parent applies, no earlier block of its else
 * chain applied, and its own test holds. Results and regex captures are
 * cached in struct cfg_eval, so each condition runs at most once per
 * request however many keys are read. The effective value of a key is the
 * one set by the last applying block in file order, which is lighttpd's
 * rule. Regexes are POSIX extended (regcomp) where lighttpd uses PCRE2:
 * the common subset (anchors, classes, groups, alternation) is the same;
 * PCRE-only syntax such as \d, (?i) or lazy quantifiers is rejected at
 * load rather than silently meaning something else (spec/config.md).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

const char *const cfg_field_names[] = {"$HTTP[\"url\"]", "$HTTP[\"host\"]",
	"$HTTP[\"request-method\"]", "$HTTP[\"scheme\"]",
	"$HTTP[\"remote-ip\"]", "$HTTP[\"querystring\"]",
	"$SERVER[\"socket\"]"};
const char *const cfg_op_names[] = {"==", "!=", "=~", "!~", "=^", "=$", ""};

static int
parse_ip(const char *s, unsigned char *out, int *family)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

/*
 * lighttpd turns =~ "^lit", "lit$" and "^lit$" into =^, =$ and == when lit
 * has no regex syntax and no backslash, except the "\.ext$" idiom: same
 * meaning, cheaper, and what lighttpd -p prints, so we do it too
 * (CONF-COND-7; the exact cases were probed against lighttpd 1.4.69).
 */
static void
simplify(struct cfg_block *b)
{
	char *p = b->pattern;
	size_t n = b->pattern_len, i, start, end;
	int head = n > 0 && p[0] == '^';
	int tail = n > (size_t)head && p[n - 1] == '$';

	if (!head && !tail)
		return;
	start = (size_t)head;
	end = tail ? n - 1 : n;
	if (!head && n >= 3 && p[0] == '\\' && p[1] == '.')
		start = 1; /* "\.php$" */
	for (i = start; i < end; i++)
		if (strchr(".[]()|?*+{}^$\\", p[i]) != NULL &&
			!(i == 1 && start == 1))
			return;
	memmove(p, p + start, end - start);
	p[end - start] = '\0';
	b->pattern_len = end - start;
	b->op = head && tail ? CFG_OP_EQ : head ? CFG_OP_PREFIX : CFG_OP_SUFFIX;
}

int
cfg_block_compile(struct cfg_block *b, struct cfg_diag *d, unsigned col)
{
	char msg[256], ip[64];
	const char *why, *slash;
	char *end;
	long bits;
	int rc;

	if (b->op == CFG_OP_MATCH)
		simplify(b);
	if (b->op == CFG_OP_MATCH || b->op == CFG_OP_NOMATCH) {
		if ((why = cfg_regex_check(b->pattern, b->pattern_len, msg,
			     sizeof(msg))) != NULL) {
			cfg_diag_add(d, CFG_E_COND, b->file, b->line, col,
				"regex \"%s\": %s", b->pattern, why);
			return -1;
		}
		rc = regcomp(&b->re, b->pattern, REG_EXTENDED);
		if (rc != 0) {
			regerror(rc, &b->re, msg, sizeof(msg));
			cfg_diag_add(d, CFG_E_COND, b->file, b->line, col,
				"regex \"%s\": %s", b->pattern, msg);
			return -1;
		}
		b->has_re = 1;
		return 0;
	}
	if (b->field != CFG_F_REMOTE_IP ||
		(b->op != CFG_OP_EQ && b->op != CFG_OP_NE))
		return 0;
	/* remote-ip == "10.0.0.0/8": a CIDR; == "::1": an address. */
	slash = strchr(b->pattern, '/');
	if ((size_t)(slash ? slash - b->pattern : (long)b->pattern_len) >=
		sizeof(ip))
		goto bad;
	snprintf(ip, sizeof(ip), "%.*s",
		(int)(slash ? slash - b->pattern : (long)b->pattern_len),
		b->pattern);
	if (parse_ip(ip, b->net, &b->cidr_family) != 0)
		goto bad;
	b->bits = b->cidr_family == AF_INET ? 32 : 128;
	if (slash != NULL) {
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || bits < 0 ||
			bits > (long)b->bits)
			goto bad;
		b->bits = (unsigned)bits;
	}
	return 0;
bad:
	cfg_diag_add(d, CFG_E_COND, b->file, b->line, col,
		"remote-ip \"%s\" is not an address or CIDR (10.0.0.0/8, "
		"2001:db8::/32)",
		b->pattern);
	b->cidr_family = 0;
	return -1;
}

static int
cidr_match(const struct cfg_block *b, const char *addr)
{
	unsigned char a[16];
	unsigned full, rest;
	int family;

	if (addr == NULL || parse_ip(addr, a, &family) != 0)
		return 0;
	/* An IPv4 peer on a v6 socket arrives as ::ffff:a.b.c.d. */
	if (family == AF_INET6 && b->cidr_family == AF_INET &&
		memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(a, a + 12, 4);
		family = AF_INET;
	}
	if (family != b->cidr_family)
		return 0;
	full = b->bits / 8;
	rest = b->bits % 8;
	if (memcmp(a, b->net, full) != 0)
		return 0;
	return rest == 0 ||
		((a[full] ^ b->net[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static const char *
subject(const struct cfg_request *r, enum cfg_field f)
{
	const char *s = NULL;

	switch (f) {
	case CFG_F_URL: s = r->url; break;
	case CFG_F_HOST: s = r->host; break;
	case CFG_F_METHOD: s = r->method; break;
	case CFG_F_SCHEME: s = r->scheme; break;
	case CFG_F_REMOTE_IP: s = r->remote_ip; break;
	case CFG_F_QUERY: s = r->query; break;
	case CFG_F_SOCKET: s = r->socket; break;
	}
	return s ? s : "";
}

static int
test(struct cfg_eval *ev, const struct cfg_block *b)
{
	const char *s = subject(ev->req, b->field);
	size_t n = strlen(s);
	regmatch_t *m = &ev->caps[b->id * CFG_MAX_CAPTURES];

	switch (b->op) {
	case CFG_OP_EQ:
	case CFG_OP_NE:
		if (b->cidr_family)
			return cidr_match(b, ev->req->remote_ip) ==
				(b->op == CFG_OP_EQ);
		return (strcmp(s, b->pattern) == 0) == (b->op == CFG_OP_EQ);
	case CFG_OP_MATCH:
		if (regexec(&b->re, s, CFG_MAX_CAPTURES, m, 0) != 0)
			return 0;
		ev->subj[b->id] = s;
		return 1;
	case CFG_OP_NOMATCH: return regexec(&b->re, s, 0, NULL, 0) != 0;
	case CFG_OP_PREFIX:
		return n >= b->pattern_len &&
			memcmp(s, b->pattern, b->pattern_len) == 0;
	case CFG_OP_SUFFIX:
		return n >= b->pattern_len &&
			memcmp(s + n - b->pattern_len, b->pattern,
				b->pattern_len) == 0;
	case CFG_OP_ELSE: return 1;
	}
	return 0;
}

int
config_block_matches(struct cfg_eval *ev, const struct cfg_block *b)
{
	int r;

	if (b->id == 0)
		return 1;
	if (ev->state[b->id] != 0)
		return ev->state[b->id] > 0;
	r = config_block_matches(ev, b->parent);
	for (const struct cfg_block *p = b->prev; r && p; p = p->prev)
		if (config_block_matches(ev, p))
			r = 0;
	if (r)
		r = test(ev, b);
	ev->state[b->id] = r ? 1 : -1;
	return r;
}

int
config_eval_init(struct cfg_eval *ev, const struct config *cfg,
	const struct cfg_request *req)
{
	memset(ev, 0, sizeof(*ev));
	ev->cfg = cfg;
	ev->req = req;
	ev->state = calloc(cfg->n, 1);
	ev->caps = calloc(cfg->n * CFG_MAX_CAPTURES, sizeof(*ev->caps));
	ev->subj = calloc(cfg->n, sizeof(*ev->subj));
	if (ev->state == NULL || ev->caps == NULL || ev->subj == NULL) {
		config_eval_done(ev);
		return -1;
	}
	return 0;
}

void
config_eval_done(struct cfg_eval *ev)
{
	free(ev->state);
	free(ev->caps);
	free(ev->subj);
	memset(ev, 0, sizeof(*ev));
}

static const struct cfg_value *
in_block(const struct cfg_block *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->settings[i].name, name) == 0)
			return &b->settings[i].val;
	return NULL;
}

const struct cfg_value *
config_get(struct cfg_eval *ev, const char *name, const struct cfg_block **from)
{
	const struct cfg_value *v;

	for (size_t i = ev->cfg->n; i-- > 0;) {
		const struct cfg_block *b = ev->cfg->blocks[i];

		if ((v = in_block(b, name)) != NULL &&
			config_block_matches(ev, b)) {
			if (from != NULL)
				*from = b;
			return v;
		}
	}
	return NULL;
}

const struct cfg_value *
config_global(const struct config *cfg, const char *name)
{
	return in_block(cfg->blocks[0], name);
}

long long
config_int(struct cfg_eval *ev, const char *name)
{
	const struct cfg_value *v = config_get(ev, name, NULL);
	const char *def;

	if (v != NULL && v->type == CFG_INT)
		return v->num;
	if (v != NULL && v->type == CFG_STRING)
		return strtoll(v->str, NULL, 10);
	def = cfg_key_default(cfg_key_find(name));
	return def ? strtoll(def, NULL, 10) : 0;
}

int
config_bool(struct cfg_eval *ev, const char *name)
{
	const struct cfg_value *v = config_get(ev, name, NULL);
	const char *def;

	if (v != NULL)
		return cfg_value_bool(v) == 1;
	def = cfg_key_default(cfg_key_find(name));
	return def != NULL && strcmp(def, "enable") == 0;
}

static size_t
put(char *out, size_t cap, size_t n, const char *p, size_t len)
{
	if (n < cap)
		memcpy(out + n, p, n + len < cap ? len : cap - n);
	return n + len;
}

size_t
config_expand(struct cfg_eval *ev, const struct cfg_block *from,
	const char *target, const char *subj, const regmatch_t *m, size_t nm,
	char *out, size_t cap)
{
	const struct cfg_block *b = from;
	size_t n = 0;

	/* %n: the nearest enclosing =~ block that matched. */
	while (b != NULL && !(b->op == CFG_OP_MATCH && ev->subj[b->id]))
		b = b->parent;
	for (const char *p = target; *p; p++) {
		const regmatch_t *cm = NULL;
		const char *cs = NULL;
		unsigned k;

		if ((p[0] != '$' && p[0] != '%') || p[1] == '\0') {
			n = put(out, cap, n, p, 1);
			continue;
		}
		if (p[1] == p[0]) {
			n = put(out, cap, n, p++, 1);
			continue;
		}
		if (p[1] < '0' || p[1] > '9') {
			n = put(out, cap, n, p, 1);
			continue;
		}
		k = (unsigned)(p[1] - '0');
		if (p[0] == '$' && k < nm && m != NULL) {
			cm = &m[k];
			cs = subj;
		} else if (p[0] == '%' && b != NULL) {
			cm = &ev->caps[b->id * CFG_MAX_CAPTURES + k];
			cs = ev->subj[b->id];
		}
		if (cm != NULL && cs != NULL && cm->rm_so >= 0)
			n = put(out, cap, n, cs + cm->rm_so,
				(size_t)(cm->rm_eo - cm->rm_so));
		p++;
	}
	if (cap > 0)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}
