/*
 * mod_redirect: url.redirect answers with a redirect instead of serving.
 * As lighttpd 1.4, the first matching rule wins, its pattern matches the
 * (possibly rewritten) request target including "?query", $n and %n are
 * expanded as in rewrites, and the status is url.redirect-code (301 by
 * default, any 3xx) with an empty body. RFC 9110 §10.2.2: Location is a
 * URI reference, so a relative target is sent as it is.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "mod.h"
#include "server.h"

int
mod_redirect(struct conn *c, struct mod_eval *me)
{
	struct req *r = &c->req;
	const struct cfg_block *from = NULL;
	const struct cfg_value *rules =
		config_get(&me->ev, "url.redirect", &from);
	char subj[LIMIT_PATH + 1024], loc[LIMIT_PATH + 1024];
	char extra[LIMIT_PATH + 1024 + 16];
	int m, code;

	if (rules == NULL || rules->type != CFG_ARRAY || rules->n == 0)
		return 0;
	if (mod_target(r, c->srv->conf.uri_opts, subj, sizeof(subj)) == -1)
		return 0;
	m = mod_rule_apply(&me->ev, from, rules, subj, loc, sizeof(loc));
	if (m == -1)
		return 0;
	code = (int)config_int(&me->ev, "url.redirect-code");
	/* A field value never holds CR or LF (RFC 9110 §5.5); the captures
	 * come from a parsed head, so this is only a guard. */
	if (m == -2 || strpbrk(loc, "\r\n") != NULL) {
		log_conn(c->id, r->id, "redirect: 500 target unusable");
		if (resp_error(c, 500) == -1)
			conn_close(c);
		return 1;
	}
	snprintf(extra, sizeof(extra), "Location: %s\r\n", loc);
	r->body = BODY_NONE;
	if (resp_head(c, code, 0, NULL, extra) == -1)
		conn_close(c);
	return 1;
}
