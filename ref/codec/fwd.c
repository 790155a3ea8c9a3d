/*
 * RFC 7239 Forwarded parse/format (spec/proxy.md PROXY-FWD-*). The parser
 * walks the list of forwarded-elements (RFC 7239 §4) with the token and
 * quoted-string rules of RFC 9110 §5.6.2 and §5.6.4, then checks the four
 * defined parameters: for/by against the node grammar (§6), host against
 * Host (§5.3), proto against a URI scheme (§5.4). The formatter emits only
 * what the parser accepts, so a gateway never forwards a value it would
 * itself refuse.
 */
#include "codec/fwd.h"
#include "codec/abnf.h"
#include "codec/host.h"

#include <string.h>

static const char tchar_extra[] = "!#$%&'*+-.^_`|~";
static const char tchar_lenient[] = "!#$%&'*+-.^_`|~:[]";

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int
is_alpha(unsigned char c)
{
	return lower(c) >= 'a' && lower(c) <= 'z';
}

/* Length of the run at p[0..n) of ALPHA / DIGIT / bytes in set. */
static size_t
span(const char *p, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n &&
		(is_alpha((unsigned char)p[i]) ||
			abnf_is_digit((unsigned char)p[i]) ||
			(p[i] != 0 && memchr(set, p[i], strlen(set)))))
		i++;
	return i;
}

/* RFC 9110 §5.6.4: bytes allowed inside a quoted-string (qdtext or the
 * second byte of a quoted-pair, which also admits '"' and '\'). */
static int
is_qchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Parameter names are case-insensitive (RFC 7239 §4). */
static int
same_name(struct slice a, const char *b, size_t n)
{
	if (a.len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)a.p[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* obfnode / obfport: "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ) */
static int
obf_ok(const char *p, size_t n)
{
	return n >= 2 && p[0] == '_' && span(p + 1, n - 1, "._-") == n - 1;
}

int
fwd_node_parse(const char *p, size_t len, struct fwd_node *node)
{
	const char *colon;
	size_t nl;

	if (len == 0)
		return -1;
	/* PROXY-FWD-6: an IPv6 nodename is bracketed, so the port colon is
	 * the first one after ']'; otherwise the only colon. */
	if (p[0] == '[') {
		const char *rb = memchr(p, ']', len);

		if (rb == NULL)
			return -1;
		nl = (size_t)(rb - p) + 1;
		if (nl < len && p[nl] != ':')
			return -1;
	} else {
		colon = memchr(p, ':', len);
		nl = colon ? (size_t)(colon - p) : len;
	}
	node->name.p = p;
	node->name.len = nl;
	node->port.p = p + len;
	node->port.len = 0;
	if (nl < len) {
		size_t pl = len - nl - 1;
		const char *pp = p + nl + 1;
		int digits = pl > 0 && pl <= 5;

		for (size_t i = 0; i < pl && digits; i++)
			digits = abnf_is_digit((unsigned char)pp[i]);
		if (!digits && !obf_ok(pp, pl))
			return -1; /* PROXY-FWD-7: port = 1*5DIGIT / obfport */
		node->port.p = pp;
		node->port.len = pl;
	}
	if (p[0] == '[' && host_is_ipv6(p + 1, nl - 2)) {
		node->kind = FWD_NODE_IPV6;
		node->name.p = p + 1;
		node->name.len = nl - 2;
	} else if (host_is_ipv4(p, nl)) {
		node->kind = FWD_NODE_IPV4;
	} else if (same_name(node->name, "unknown", 7)) {
		node->kind = FWD_NODE_UNKNOWN; /* PROXY-FWD-8 */
	} else if (obf_ok(p, nl)) {
		node->kind = FWD_NODE_OBF; /* PROXY-FWD-9 */
	} else {
		return -1;
	}
	return 0;
}

/* RFC 3986 §3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static int
proto_ok(const char *p, size_t n)
{
	return n > 0 && is_alpha((unsigned char)p[0]) &&
		span(p + 1, n - 1, "+-.") == n - 1;
}

/*
 * Check a known parameter's value (PROXY-FWD-5): which = 0 for/by,
 * 1 host, 2 proto; p NULL means too long to be valid. Returns the reason
 * for a bad value.
 */
static enum fwd_reason
check_value(int which, const char *p, size_t n)
{
	struct fwd_node node;
	struct host_port hp;
	enum host_reason hwhy;

	if (p == NULL)
		return which == 0    ? FWD_BAD_NODE
			: which == 1 ? FWD_BAD_HOST
				     : FWD_BAD_PROTO;
	if (which == 0)
		return fwd_node_parse(p, n, &node) == 0 ? FWD_OK : FWD_BAD_NODE;
	/* RFC 7239 §5.3 Host: RFC 3986's grammar, empty allowed, any port. */
	if (which == 1)
		return host_parse(p, n,
			       HOST_ALLOW_EMPTY | HOST_RFC3986 | HOST_PORT_ANY,
			       &hp, &hwhy) == 0
			? FWD_OK
			: FWD_BAD_HOST;
	return proto_ok(p, n) ? FWD_OK : FWD_BAD_PROTO;
}

/* Parser state: the input and a cursor. */
struct rd {
	const char *p;
	size_t len, i;
	unsigned opts;
};

static void
skip_ows(struct rd *r)
{
	while (r->i < r->len && abnf_is_ws((unsigned char)r->p[r->i]))
		r->i++;
}

/*
 * Skip SP/HTAB where the strict grammar has none (around ';' and '=').
 * Returns FWD_WHITESPACE if any was there and the option is off.
 */
static enum fwd_reason
skip_bad_ows(struct rd *r)
{
	size_t at = r->i;

	skip_ows(r);
	if (r->i != at && !(r->opts & FWD_LENIENT_OWS)) {
		r->i = at;
		return FWD_WHITESPACE; /* PROXY-FWD-3 */
	}
	return FWD_OK;
}

/* value = token / quoted-string (RFC 7239 §4, RFC 9110 §5.6.4). */
static enum fwd_reason
read_value(struct rd *r, struct fwd_value *v)
{
	size_t s = r->i;

	if (r->i < r->len && r->p[r->i] == '"') {
		s = ++r->i;
		for (;;) {
			unsigned char c;

			if (r->i >= r->len)
				return FWD_BAD_QUOTE; /* unterminated */
			c = (unsigned char)r->p[r->i];
			if (c == '"')
				break;
			if (c == '\\' && ++r->i >= r->len)
				return FWD_BAD_QUOTE;
			if (!is_qchar((unsigned char)r->p[r->i]))
				return FWD_BAD_QUOTE;
			r->i++;
		}
		v->text.p = r->p + s;
		v->text.len = r->i++ - s;
		v->quoted = 1;
		return FWD_OK;
	}
	/* PROXY-FWD-11: lenient values may be bare "1.2.3.4:80" or "[::1]",
	 * as some proxies send them (Tempesta FW's tests accept these). */
	r->i += span(r->p + r->i, r->len - r->i,
		r->opts & FWD_LENIENT_VALUES ? tchar_lenient : tchar_extra);
	if (r->i == s)
		return FWD_BAD_VALUE; /* PROXY-FWD-2: empty or ':' '[' etc. */
	v->text.p = r->p + s;
	v->text.len = r->i - s;
	v->quoted = 0;
	return FWD_OK;
}

/* Store a known parameter, checking its syntax unless told not to. */
static enum fwd_reason
store_known(struct rd *r, struct fwd_elem *e, struct fwd_pair *pr)
{
	static const char names[][6] = {"for", "by", "host", "proto"};
	struct fwd_value *slot[] = {
		&e->for_node, &e->by_node, &e->host, &e->proto};
	char buf[FWD_VALUE_MAX];
	long n;

	for (int k = 0; k < 4; k++) {
		if (!same_name(pr->name, names[k], strlen(names[k])))
			continue;
		*slot[k] = pr->value;
		if (r->opts & FWD_LENIENT_VALUES)
			return FWD_OK;
		/* Longer than any valid value: check_value sees NULL. */
		n = fwd_unquote(&pr->value, buf, sizeof(buf));
		return check_value(k < 2 ? 0 : k - 1, n < 0 ? NULL : buf,
			n < 0 ? 0 : (size_t)n);
	}
	return FWD_OK; /* an extension parameter (§5.5) */
}

/* forwarded-pair = token "=" value (RFC 7239 §4), at r->i. */
static enum fwd_reason
read_pair(struct rd *r, struct fwd_pair *pr)
{
	size_t s = r->i;
	enum fwd_reason why;

	r->i += span(r->p + r->i, r->len - r->i, tchar_extra);
	pr->name.p = r->p + s;
	pr->name.len = r->i - s;
	if ((why = skip_bad_ows(r)) != FWD_OK)
		return why;
	if (pr->name.len == 0 || r->i == r->len || r->p[r->i] != '=')
		return FWD_BAD_PAIR; /* PROXY-FWD-2 */
	r->i++;
	if ((why = skip_bad_ows(r)) != FWD_OK)
		return why;
	return read_value(r, &pr->value);
}

/*
 * forwarded-element = [ pair ] *( ";" [ pair ] ) (RFC 7239 §4). Stops
 * before the ',' or at the end.
 */
static enum fwd_reason
read_element(struct rd *r, struct fwd_elem *e)
{
	struct slice seen[FWD_MAX_PAIRS];
	enum fwd_reason why;

	memset(e, 0, sizeof(*e));
	e->raw.p = r->p + r->i;
	for (;;) {
		struct fwd_pair pr;
		size_t s;

		if (r->i < r->len && r->p[r->i] == ';') {
			r->i++; /* an empty pair */
			if ((why = skip_bad_ows(r)) != FWD_OK)
				return why;
			continue;
		}
		if (r->i == r->len || r->p[r->i] == ',')
			break;
		if ((why = read_pair(r, &pr)) != FWD_OK)
			return why;
		if (e->n_pairs == FWD_MAX_PAIRS)
			return FWD_TOO_MANY_PAIRS;
		for (unsigned k = 0; k < e->n_pairs; k++)
			if (same_name(seen[k], pr.name.p, pr.name.len))
				return FWD_DUP_PARAM; /* PROXY-FWD-4 */
		seen[e->n_pairs++] = pr.name;
		e->raw.len = r->i - (size_t)(e->raw.p - r->p);
		/* After a value: ';', or OWS then ',' or the end. */
		s = r->i;
		skip_ows(r);
		if (r->i < r->len && r->p[r->i] == ';') {
			if (r->i != s && !(r->opts & FWD_LENIENT_OWS)) {
				r->i = s;
				return FWD_WHITESPACE; /* PROXY-FWD-3 */
			}
		} else if (r->i < r->len && r->p[r->i] != ',') {
			return FWD_BAD_DELIM;
		}
		/* Syntax first, then what the value means. */
		if ((why = store_known(r, e, &pr)) != FWD_OK)
			return why;
	}
	return FWD_OK;
}

long
fwd_parse(const char *p, size_t len, unsigned opts, struct fwd_elem *elems,
	size_t cap, struct fwd_result *res)
{
	struct rd r = {p, len, 0, opts};
	enum fwd_reason why = FWD_OK;
	struct fwd_elem e;

	memset(res, 0, sizeof(*res));
	/* PROXY-FWD-1: 1#forwarded-element; empty members are skipped. */
	while (r.i < r.len) {
		skip_ows(&r);
		if (r.i < r.len && p[r.i] == ',') {
			r.i++;
			continue;
		}
		if ((why = read_element(&r, &e)) != FWD_OK)
			break;
		if (e.n_pairs == 0)
			continue;
		if (res->n == cap) {
			why = FWD_TOO_MANY_ELEMS;
			break;
		}
		elems[res->n++] = e;
	}
	if (why == FWD_OK && res->n == 0)
		why = FWD_EMPTY;
	if (why != FWD_OK) {
		res->reason = why;
		res->err_off = r.i;
		return -1;
	}
	return (long)len;
}

int
fwd_next_pair(struct slice *rest, struct fwd_pair *pair)
{
	/* The element was accepted, so its pairs read cleanly under the
	 * widest options (a strict element is also a lenient one). */
	struct rd r = {
		rest->p, rest->len, 0, FWD_LENIENT_OWS | FWD_LENIENT_VALUES};

	while (r.i < r.len &&
		(r.p[r.i] == ';' || abnf_is_ws((unsigned char)r.p[r.i])))
		r.i++;
	if (r.i == r.len)
		return 0;
	read_pair(&r, pair);
	rest->p += r.i;
	rest->len -= r.i;
	return 1;
}

long
fwd_unquote(const struct fwd_value *v, char *out, size_t cap)
{
	const char *t = v->text.p;
	size_t n = 0, len = v->text.len;

	/* Count first so that a short buffer is left untouched. A lone '\'
	 * at the end (not from fwd_parse) is kept as it is. */
	for (size_t i = 0; i < len; i++, n++)
		i += v->quoted && t[i] == '\\' && i + 1 < len;
	if (n > cap)
		return -1;
	n = 0;
	for (size_t i = 0; i < len; i++) {
		i += v->quoted && t[i] == '\\' && i + 1 < len;
		out[n++] = t[i];
	}
	return (long)n;
}

/*
 * Write name=value, quoting the value unless it is a non-empty token
 * (PROXY-FWD-10). Values reaching here passed check_value, and no valid
 * node, Host or scheme holds '"', '\\' or a CTL, so nothing needs escaping.
 */
static size_t
emit(char *out, const char *name, struct slice v)
{
	size_t n = strlen(name), w = n;
	int quote = v.len == 0 || span(v.p, v.len, tchar_extra) != v.len;

	if (out == NULL)
		return n + 1 + v.len + 2 * (size_t)quote;
	memcpy(out, name, n);
	out[w++] = '=';
	if (quote)
		out[w++] = '"';
	memcpy(out + w, v.p, v.len);
	w += v.len;
	if (quote)
		out[w++] = '"';
	return w;
}

long
fwd_format(const struct fwd_hop *h, char *out, size_t cap)
{
	static const char names[][6] = {"for", "by", "host", "proto"};
	const struct slice *v[] = {
		&h->for_node, &h->by_node, &h->host, &h->proto};
	size_t need = 0, w = 0;

	/* Size first (emit with NULL) so that "does not fit" writes nothing. */
	for (int k = 0; k < 4; k++) {
		if (v[k]->p == NULL)
			continue;
		if (check_value(k < 2 ? 0 : k - 1, v[k]->p, v[k]->len) !=
			FWD_OK)
			return -1;
		need += (need ? 1 : 0) + emit(NULL, names[k], *v[k]);
	}
	if (need > cap)
		return -1;
	for (int k = 0; k < 4; k++) {
		if (v[k]->p == NULL)
			continue;
		if (w > 0)
			out[w++] = ';';
		w += emit(out + w, names[k], *v[k]);
	}
	return (long)w;
}

long
fwd_node_format(
	const char *addr, size_t len, unsigned port, char *out, size_t cap)
{
	char digits[5];
	size_t nd = 0, w = 0;
	int v6 = memchr(addr, ':', len) != NULL;

	for (unsigned p = port; p > 0 && nd < sizeof(digits); p /= 10)
		digits[nd++] = (char)('0' + p % 10);
	if (port > 65535 || len + 2 * v6 + (nd ? nd + 1 : 0) > cap)
		return -1;
	if (v6)
		out[w++] = '[';
	memcpy(out + w, addr, len);
	w += len;
	if (v6)
		out[w++] = ']';
	if (nd)
		out[w++] = ':';
	while (nd > 0)
		out[w++] = digits[--nd];
	return (long)w;
}

const char *
fwd_reason_name(enum fwd_reason r)
{
	switch (r) {
	case FWD_OK: return "OK";
	case FWD_EMPTY: return "EMPTY";
	case FWD_BAD_PAIR: return "BAD_PAIR";
	case FWD_BAD_VALUE: return "BAD_VALUE";
	case FWD_BAD_QUOTE: return "BAD_QUOTE";
	case FWD_BAD_DELIM: return "BAD_DELIM";
	case FWD_WHITESPACE: return "WHITESPACE";
	case FWD_DUP_PARAM: return "DUP_PARAM";
	case FWD_BAD_NODE: return "BAD_NODE";
	case FWD_BAD_HOST: return "BAD_HOST";
	case FWD_BAD_PROTO: return "BAD_PROTO";
	case FWD_TOO_MANY_ELEMS: return "TOO_MANY_ELEMS";
	case FWD_TOO_MANY_PAIRS: return "TOO_MANY_PAIRS";
	}
	return "UNKNOWN";
}
