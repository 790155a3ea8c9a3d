/*
 * mod_rewrite: internal rewrites of the request URI (lighttpd 1.4
 * semantics). Patterns match lighttpd's r->target: the normalised path
 * re-encoded, plus "?query" (mod_target). $n in a target comes from the
 * rule, %n from the enclosing regex conditional (config_expand).
 *
 * url.rewrite-once (and its old names url.rewrite, url.rewrite-final)
 * rewrite once: after one applies, nothing is rewritten again for this
 * request. url.rewrite-repeat rewrites and lets the rules run again on
 * the new URI. The -if-not-file variants run at the physical stage and
 * only when the physical path is not a regular file (a directory counts
 * as "not a file", as lighttpd 1.4.69 does). Every rewrite sends the
 * request through the stages again (mod_request), so the new URL meets
 * the conditionals afresh. An empty target leaves the URI alone and ends
 * rewriting; a target not starting with '/' is a 500, as lighttpd.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "mod.h"
#include "server.h"
#include "stat_cache.h"

/* Keys in the order lighttpd tries them; once[i] says whether a match
 * ends rewriting. */
static const char *const uri_keys[] = {"url.rewrite-once", "url.rewrite",
	"url.rewrite-final", "url.rewrite-repeat"};
static const int uri_once[] = {1, 1, 1, 0};
static const char *const nf_keys[] = {
	"url.rewrite-if-not-file", "url.rewrite-repeat-if-not-file"};
static const int nf_once[] = {1, 0};

static enum mod_rc
answer(struct conn *c, int status, const char *why)
{
	char esc[256];

	log_conn(c->id, c->req.id, "rewrite: %d %s (%s)", status, why,
		log_escape(c->req.path, c->req.uri.path.len, esc, sizeof(esc)));
	if (resp_error(c, status) == -1)
		conn_close(c);
	return MOD_ANSWERED;
}

int
mod_rewrite_set(struct conn *c, const char *target, size_t len)
{
	struct req *r = &c->req;
	struct uri_path u;
	long n;

	n = uri_path_normalize(target, len, c->srv->conf.uri_opts, r->path,
		LIMIT_PATH - 1, &u);
	if (n == -1)
		return u.reason == URI_TOO_LONG ? 414 : 400;
	/* The query was a slice of target: keep it behind the path. */
	if (u.path.len + 1 + u.query.len >= LIMIT_PATH)
		return 414;
	r->path[u.path.len] = '\0';
	if (u.has_query) {
		memmove(r->path + u.path.len + 1, u.query.p, u.query.len);
		u.query.p = r->path + u.path.len + 1;
	}
	r->uri = u;
	return 0;
}

/* Try KEYS in order; rewrite on the first match. */
static enum mod_rc
run(struct conn *c, struct mod_eval *me, struct rewrite_state *st,
	const char *const *keys, const int *once, size_t nkeys)
{
	char subj[LIMIT_PATH + 1024], out[LIMIT_PATH + 1024];
	size_t i;
	long n;
	int m, status;

	n = mod_target(&c->req, c->srv->conf.uri_opts, subj, sizeof(subj));
	if (n == -1)
		return answer(c, 414, "URI too long to match");
	for (i = 0; i < nkeys; i++) {
		const struct cfg_block *from = NULL;
		const struct cfg_value *rules =
			config_get(&me->ev, keys[i], &from);

		m = mod_rule_apply(
			&me->ev, from, rules, subj, out, sizeof(out));
		if (m == -1)
			continue;
		if (m == -2)
			return answer(c, 414, "rewritten URI too long");
		if (once[i])
			st->done = 1;
		if (out[0] == '\0') {
			/* lighttpd: "" means leave the URI as it is, and stop. */
			st->done = 1;
			return MOD_GO_ON;
		}
		if (out[0] != '/')
			return answer(c, 500, "target does not begin with '/'");
		if ((status = mod_rewrite_set(c, out, strlen(out))) != 0)
			return answer(c, status, "rewritten URI refused");
		return MOD_AGAIN;
	}
	return MOD_GO_ON;
}

enum mod_rc
mod_rewrite_uri(struct conn *c, struct mod_eval *me, struct rewrite_state *st)
{
	if (st->done)
		return MOD_GO_ON;
	return run(c, me, st, uri_keys, uri_once,
		sizeof(uri_keys) / sizeof(uri_keys[0]));
}

enum mod_rc
mod_rewrite_physical(
	struct conn *c, struct mod_eval *me, struct rewrite_state *st)
{
	struct req *r = &c->req;
	char fs[LIMIT_PATH];
	size_t rootlen, i;
	struct sc_entry *e;
	long n;

	if (st->done)
		return MOD_GO_ON;
	for (i = 0; i < sizeof(nf_keys) / sizeof(nf_keys[0]); i++)
		if (config_get(&me->ev, nf_keys[i], NULL) != NULL)
			break;
	if (i == sizeof(nf_keys) / sizeof(nf_keys[0]))
		return MOD_GO_ON;
	rconf_resolve(c->srv, c);
	n = mod_alias_physical(r->path, r->uri.path.len, r->rc.alias,
		r->rc.docroot, fs, sizeof(fs), &rootlen);
	if (n >= 0) {
		e = stat_cache_get(
			c->srv->sc, fs, (size_t)n, loop_now(c->srv->loop));
		if (e != NULL && e->err == 0 && S_ISREG(e->st.st_mode))
			return MOD_GO_ON;
	}
	return run(c, me, st, nf_keys, nf_once,
		sizeof(nf_keys) / sizeof(nf_keys[0]));
}
