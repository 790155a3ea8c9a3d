/*
 * Request-time modules: lighttpd's mod_rewrite, mod_redirect, mod_alias,
 * mod_setenv and mod_status. They run between "the request is read" and
 * "a handler answers it" (gateway or static file), in lighttpd's stage
 * order: uri-raw (url.rewrite*), uri-clean (url.redirect, setenv request
 * headers, status pages), physical (alias.url, url.rewrite-if-not-file).
 * A rewrite sends the request round again, as lighttpd's HANDLER_COMEBACK
 * does, bounded by MOD_MAX_PASSES. Rules: spec/config.md (MOD-*).
 */
#ifndef GH_MOD_H
#define GH_MOD_H

#include <regex.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "limits.h"

struct conn;
struct req;
struct hbuf;

/* lighttpd's "ENDLESS LOOP IN rewrite-rule DETECTED" bound: 500 beyond. */
#define MOD_MAX_PASSES 100

/* mod.c */

/* Which request-time modules server.modules loads (lighttpd ignores the
 * keys of a module that is not loaded, and so do we). */
#define MOD_HAS_REWRITE  0x01u
#define MOD_HAS_REDIRECT 0x02u
#define MOD_HAS_ALIAS    0x04u
#define MOD_HAS_SETENV   0x08u
#define MOD_HAS_STATUS   0x10u
unsigned mod_loaded(const struct config *cfg);

/*
 * Run the modules for a read request. Returns 1 when one of them answered
 * (redirect, status page, error), 0 when a handler should: r->path and
 * r->uri then hold the possibly rewritten URI, and the setenv lists are
 * set on r.
 */
int mod_request(struct conn *c);

/* The request's facts for conditionals, and storage for their text. */
struct mod_eval {
	struct cfg_eval ev;
	struct cfg_request cr;
	char query[1024];
	char host[LIMIT_HOST + 1];
};
/* Evaluate conditionals for c's request as it stands; 0, -1 (memory).
 * Release with config_eval_done(&me->ev). */
int mod_eval_init(struct conn *c, struct mod_eval *me);

/* The compiled form of a url.rewrite/url.redirect key, cached by its
 * text for the life of the process; NULL if regcomp refuses it. */
const regex_t *mod_regex(const char *pattern);

/*
 * lighttpd's r->target: the request's path re-encoded as the uri codec
 * normalised it, then "?" and the raw query if there was one. This is
 * what rewrite and redirect patterns match. Returns its length (out is
 * NUL-terminated), or -1 when it does not fit in cap.
 */
long mod_target(const struct req *r, unsigned uri_opts, char *out, size_t cap);

/*
 * Apply the first rule of RULES (a url.rewrite/url.redirect hash: regex
 * => target) matching SUBJ: expand its target into out ($n from the
 * rule, %n from the conditional FROM) and return the rule's index; -1
 * when none matched, -2 when the expansion did not fit in cap.
 */
int mod_rule_apply(struct cfg_eval *ev, const struct cfg_block *from,
	const struct cfg_value *rules, const char *subj, char *out, size_t cap);

/* mod_rewrite.c: rewrite state across passes of one request. */
struct rewrite_state {
	int done; /* a -once/-final rule (or if-not-file) applied: stop */
};
enum mod_rc { MOD_GO_ON, MOD_AGAIN, MOD_ANSWERED };
/* uri-raw stage: url.rewrite-once, url.rewrite, -final, -repeat. */
enum mod_rc
mod_rewrite_uri(struct conn *c, struct mod_eval *me, struct rewrite_state *st);
/* physical stage: url.rewrite-[repeat-]if-not-file. */
enum mod_rc mod_rewrite_physical(
	struct conn *c, struct mod_eval *me, struct rewrite_state *st);
/* Replace the request's URI by TARGET (path [? query]): normalised into
 * r->path, the query kept behind the path in the same buffer. 0, or an
 * HTTP status (400, 414) to answer. */
int mod_rewrite_set(struct conn *c, const char *target, size_t len);

/* mod_redirect.c: uri-clean stage; 1 when it answered. */
int mod_redirect(struct conn *c, struct mod_eval *me);

/*
 * mod_alias.c: the physical path of the request into fs[0..cap): the
 * first alias.url entry whose key prefixes the path replaces that prefix
 * (lighttpd: first match in config order), else server.document-root.
 * *rootlen gets the length of the part that is the root (the walk up
 * for PATH_INFO stops there). Returns the length, -1 when it does not
 * fit (414), -2 for a ".." right after a key without a trailing '/'
 * whose target has one (lighttpd refuses it: 403, a path escape).
 */
long
mod_alias_physical(const char *path, size_t len, const struct cfg_value *alias,
	const char *docroot, char *fs, size_t cap, size_t *rootlen);

/* mod_setenv.c */
/* uri-clean stage: add/set request headers; remember the response and
 * environment lists on the request. */
void mod_setenv_request(struct conn *c, struct mod_eval *me);
/*
 * Append the response head's extra fields to h: EXTRA (lines "Name:
 * value\r\n") without those setenv.set-response-header replaces, then
 * add-response-header and set-response-header (an empty value removes).
 */
void mod_setenv_response(const struct cfg_value *add,
	const struct cfg_value *set, const char *extra, struct hbuf *h);
/*
 * For the gateway's CGI environment builder: setenv.add-environment and
 * setenv.set-environment in effect for c's request, each a CFG_ARRAY of
 * CFG_STRING items with key = variable name, or NULL. Add appends
 * (lighttpd: after the standard variables, may duplicate), set replaces
 * a variable of the same name. Valid until the request ends.
 */
const struct cfg_value *mod_setenv_env_add(const struct conn *c);
const struct cfg_value *mod_setenv_env_set(const struct conn *c);

/* mod_status.c */
/* The server started (or was reloaded) at now: Uptime counts from it. */
void mod_status_start(time_t now);
/* Count a finished request (Total Accesses, Total kBytes). */
void mod_status_account(long long bytes_out);
/* uri-clean stage: status.status-url, -statistics-url, -config-url;
 * 1 when it answered. */
int mod_status(struct conn *c, struct mod_eval *me);
/* The ?auto text (lighttpd's format) into out; returns the length
 * wanted, as snprintf. Scoreboard is one char per connection slot. */
struct status_counts {
	unsigned long long requests, bytes;
	long long uptime;
	unsigned busy, idle;
	const char *scoreboard;
};
size_t mod_status_auto(const struct status_counts *sc, char *out, size_t cap);

#endif
