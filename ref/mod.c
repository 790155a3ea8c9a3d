/*
 * The request-time module pipeline (see mod.h): the stages lighttpd runs
 * before a handler, with a fresh look at the conditionals each time the
 * URI changes, because a rewritten URL may fall into other $HTTP["url"]
 * blocks. Also the two helpers every rule-based module shares: the
 * regex cache (rules are compiled once, on first use) and the
 * match-and-expand of one rule list.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mod.h"
#include "server.h"

/* A config has few rule keys; beyond this many the cache stops growing
 * and rules are compiled for each use (correct, only slower). */
#define MOD_REGEX_CACHE 256

struct regex_entry {
	char *pattern;
	regex_t re;
};

static struct regex_entry cache[MOD_REGEX_CACHE];
static size_t ncache;
static regex_t scratch;
static int scratch_used;

const regex_t *
mod_regex(const char *pattern)
{
	size_t i;

	for (i = 0; i < ncache; i++)
		if (strcmp(cache[i].pattern, pattern) == 0)
			return &cache[i].re;
	if (ncache < MOD_REGEX_CACHE) {
		struct regex_entry *e = &cache[ncache];

		if ((e->pattern = strdup(pattern)) == NULL)
			return NULL;
		if (regcomp(&e->re, pattern, REG_EXTENDED) != 0) {
			free(e->pattern);
			return NULL;
		}
		ncache++;
		return &e->re;
	}
	if (scratch_used)
		regfree(&scratch);
	scratch_used = regcomp(&scratch, pattern, REG_EXTENDED) == 0;
	return scratch_used ? &scratch : NULL;
}

long
mod_target(const struct req *r, unsigned uri_opts, char *out, size_t cap)
{
	long n;

	if (cap == 0)
		return -1;
	n = uri_path_encode(r->path, r->uri.path.len, uri_opts, out, cap - 1);
	if (n == -1)
		return -1;
	if (r->uri.has_query) {
		if ((size_t)n + 2 + r->uri.query.len > cap)
			return -1;
		out[n++] = '?';
		memcpy(out + n, r->uri.query.p, r->uri.query.len);
		n += (long)r->uri.query.len;
	}
	out[n] = '\0';
	return n;
}

int
mod_rule_apply(struct cfg_eval *ev, const struct cfg_block *from,
	const struct cfg_value *rules, const char *subj, char *out, size_t cap)
{
	regmatch_t m[CFG_MAX_CAPTURES];
	size_t i;

	for (i = 0; rules != NULL && rules->type == CFG_ARRAY && i < rules->n;
		i++) {
		const struct cfg_value *v = &rules->items[i];
		const regex_t *re;

		if (v->key == NULL || v->type != CFG_STRING ||
			(re = mod_regex(v->key)) == NULL)
			continue;
		if (regexec(re, subj, CFG_MAX_CAPTURES, m, 0) != 0)
			continue;
		if (config_expand(ev, from, v->str, subj, m, CFG_MAX_CAPTURES,
			    out, cap) >= cap)
			return -2;
		return (int)i;
	}
	return -1;
}

int
mod_eval_init(struct conn *c, struct mod_eval *me)
{
	struct req *r = &c->req;
	size_t n = r->uri.query.len < sizeof(me->query) - 1
		? r->uri.query.len
		: sizeof(me->query) - 1;

	memset(&me->cr, 0, sizeof(me->cr));
	if (n > 0)
		memcpy(me->query, r->uri.query.p, n);
	me->query[n] = '\0';
	/* r->host is already lower-cased, without port or trailing dot. */
	n = r->host.len < LIMIT_HOST ? r->host.len : LIMIT_HOST;
	if (n > 0)
		memcpy(me->host, r->host.p, n);
	me->host[n] = '\0';
	me->cr.url = r->path;
	me->cr.host = r->host.len > 0 ? me->host : NULL;
	me->cr.method = h1_method_name(r->h1.method_id);
	me->cr.scheme = "http";
	me->cr.remote_ip = c->peer;
	me->cr.query = me->query;
	me->cr.socket = c->lis->name;
	return config_eval_init(&me->ev, c->srv->cfg, &me->cr);
}

static int
answer(struct conn *c, int status)
{
	if (resp_error(c, status) == -1)
		conn_close(c);
	return 1;
}

unsigned
mod_loaded(const struct config *cfg)
{
	static const char *const names[] = {"mod_rewrite", "mod_redirect",
		"mod_alias", "mod_setenv", "mod_status"};
	unsigned bits = 0, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (server_has_module(cfg, names[i]))
			bits |= 1u << i;
	return bits;
}

int
mod_request(struct conn *c)
{
	struct rewrite_state st = {0};
	struct mod_eval me;
	unsigned m = c->srv->modules;
	enum mod_rc rc;
	int pass;

	/* A static server pays nothing for modules it did not load. */
	if ((m & ~MOD_HAS_ALIAS) == 0)
		return 0;
	for (pass = 0; pass < MOD_MAX_PASSES; pass++) {
		if (mod_eval_init(c, &me) == -1)
			return answer(c, 500);
		rc = m & MOD_HAS_REWRITE ? mod_rewrite_uri(c, &me, &st)
					 : MOD_GO_ON;
		if (rc == MOD_GO_ON) {
			/* setenv first: its response fields go on a redirect
			 * or a status page too. */
			if (m & MOD_HAS_SETENV)
				mod_setenv_request(c, &me);
			if ((m & MOD_HAS_REDIRECT && mod_redirect(c, &me)) ||
				(m & MOD_HAS_STATUS && mod_status(c, &me)))
				rc = MOD_ANSWERED;
		}
		if (rc == MOD_GO_ON && m & MOD_HAS_REWRITE)
			rc = mod_rewrite_physical(c, &me, &st);
		config_eval_done(&me.ev);
		if (rc != MOD_AGAIN)
			return rc == MOD_ANSWERED;
	}
	log_conn(c->id, c->req.id, "500 endless loop in rewrite rules");
	return answer(c, 500);
}
