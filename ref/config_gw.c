/*
 * Validators for structured values (CONF-GW-*, CONF-KEY-*): the gateway
 * modules' ext => host blocks with the host options of lighttpd-gateway.md
 * §1.2, proxy.header, proxy.forwarded, cgi.limits, http-parseopts,
 * feature-flags, alias and rewrite/redirect regexes. lighttpd turns most
 * of these mistakes into a log line and a default; we refuse the config,
 * so a typo in "bin-path" is found by -t rather than by a 503.
 */
#include <regex.h>
#include <string.h>

#include "config_keys.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	enum cfg_ktype type;
} host_opts[] = {
	{"host", KT_STRING},
	{"port", KT_INT},
	{"socket", KT_STRING},
	{"bin-path", KT_STRING},
	{"bin-environment", KT_HASH},
	{"bin-copy-environment", KT_LIST},
	{"min-procs", KT_INT},
	{"max-procs", KT_INT},
	{"max-load-per-proc", KT_INT},
	{"idle-timeout", KT_INT},
	{"disable-time", KT_INT},
	{"kill-signal", KT_INT},
	{"listen-backlog", KT_INT},
	{"check-local", KT_BOOL},
	{"mode", KT_STRING},
	{"docroot", KT_STRING},
	{"broken-scriptfilename", KT_BOOL},
	{"fix-root-scriptname", KT_BOOL},
	{"strip-request-uri", KT_STRING},
	{"allow-x-send-file", KT_BOOL},
	{"x-sendfile", KT_BOOL},
	{"x-sendfile-docroot", KT_LIST},
	{"connect-timeout", KT_INT},
	{"write-timeout", KT_INT},
	{"read-timeout", KT_INT},
	{"tcp-fin-propagate", KT_BOOL},
	{"upgrade", KT_BOOL},
};

/* Check each key of hash v against names[], suggesting the nearest.
 * what prefixes the message (a gateway host's place), or NULL. */
static int
known_keys(struct cfg_check *c, const struct cfg_value *v,
	const char *const *names, size_t n, const char *what)
{
	const char *s, *pre = what ? what : "", *sep = what ? ": " : "";
	int rc = 0;
	size_t j;

	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i].key == NULL)
			return cfg_check_error(c,
				"%s%selement %zu needs a "
				"\"key\" =>",
				pre, sep, i + 1);
		for (j = 0; j < n; j++)
			if (strcmp(v->items[i].key, names[j]) == 0)
				break;
		if (j < n)
			continue;
		s = cfg_suggest(v->items[i].key, names, n);
		rc = cfg_check_error(c, "%s%sunknown option \"%s\"%s%s%s", pre,
			sep, v->items[i].key, s ? "; did you mean \"" : "",
			s ? s : "", s ? "\"?" : "");
	}
	return rc;
}

static int
bool_values(struct cfg_check *c, const struct cfg_value *v, const char *what)
{
	for (size_t i = 0; i < v->n; i++)
		if (cfg_value_bool(&v->items[i]) < 0)
			return cfg_check_error(c,
				"%s: \"%s\" must be "
				"\"enable\" or \"disable\"",
				what, v->items[i].key);
	return 0;
}

static int
check_host(struct cfg_check *c, const struct cfg_value *h, const char *where)
{
	const char *names[N(host_opts)];
	const struct cfg_value *o, *mode;
	int rc;

	if (h->type != CFG_ARRAY)
		return cfg_check_error(c,
			"%s: a host must be an array of "
			"options ( \"host\" => ..., \"port\" => ... )",
			where);
	for (size_t i = 0; i < N(host_opts); i++)
		names[i] = host_opts[i].name;
	if ((rc = known_keys(c, h, names, N(names), where)) != 0)
		return rc;
	for (size_t i = 0; i < N(host_opts); i++) {
		static const char *const t[] = {"a string", "an integer",
			"\"enable\" or \"disable\"", "a list",
			"an array of \"K\" => \"V\""};

		if ((o = cfg_array_get(h, host_opts[i].name)) == NULL)
			continue;
		if ((host_opts[i].type == KT_STRING && o->type != CFG_STRING) ||
			(host_opts[i].type == KT_INT && o->type != CFG_INT) ||
			(host_opts[i].type == KT_BOOL &&
				cfg_value_bool(o) < 0) ||
			(host_opts[i].type >= KT_LIST && o->type != CFG_ARRAY))
			return cfg_check_error(c, "%s: \"%s\" must be %s",
				where, host_opts[i].name, t[host_opts[i].type]);
	}
	o = cfg_array_get(h, "socket");
	if (o != NULL && (cfg_array_get(h, "host") || cfg_array_get(h, "port")))
		return cfg_check_error(c,
			"%s: give either \"socket\" or "
			"\"host\"/\"port\", not both",
			where);
	if (o == NULL && !cfg_array_get(h, "host") &&
		!cfg_array_get(h, "bin-path"))
		return cfg_check_error(c,
			"%s: needs \"host\", \"socket\" or "
			"\"bin-path\"",
			where);
	if (o != NULL && o->len >= 108)
		return cfg_check_error(c,
			"%s: socket path longer than "
			"sun_path (107 bytes)",
			where);
	if ((o = cfg_array_get(h, "port")) != NULL &&
		(o->num < 1 || o->num > 65535))
		return cfg_check_error(c,
			"%s: port %lld out of range "
			"1..65535",
			where, o->num);
	mode = cfg_array_get(h, "mode");
	if (mode != NULL && strcmp(mode->str, "responder") != 0 &&
		strcmp(mode->str, "authorizer") != 0)
		return cfg_check_error(c,
			"%s: mode must be \"responder\" or "
			"\"authorizer\"",
			where);
	if (mode != NULL && strcmp(mode->str, "authorizer") == 0 &&
		strncmp(c->st->name, "proxy.", 6) == 0)
		return cfg_check_error(c,
			"%s: mod_proxy has no authorizer "
			"mode",
			where);
	return 0;
}

/* ( ".php" => ( "label" => ( opts ) ) ) or ( ".php" => ( ( opts ) ) ). */
int
cfg_check_gw(struct cfg_check *c)
{
	const struct cfg_value *v = &c->st->val;
	char where[300];

	for (size_t i = 0; i < v->n; i++) {
		const struct cfg_value *ext = &v->items[i];

		if (ext->type != CFG_ARRAY || ext->n == 0)
			return cfg_check_error(c,
				"\"%s\" must map to a list of "
				"hosts: ( ( \"host\" => ... ) )",
				ext->key);
		for (size_t j = 0; j < ext->n; j++) {
			const struct cfg_value *h = &ext->items[j];

			if (h->key != NULL && strlen(h->key) > 128)
				return cfg_check_error(c,
					"\"%s\": host label "
					"longer than 128 bytes",
					ext->key);
			snprintf(where, sizeof(where), "\"%s\" host %s%s%s",
				ext->key, h->key ? "\"" : "#",
				h->key ? h->key : "", h->key ? "\"" : "");
			if (h->key == NULL)
				snprintf(where + strlen(where),
					sizeof(where) - strlen(where), "%zu",
					j + 1);
			if (check_host(c, h, where))
				return -1;
		}
	}
	return 0;
}

/* The target of a map-extensions entry must be an ext of the server. */
int
cfg_check_map_ext(struct cfg_check *c)
{
	char server[32];
	const struct cfg_value *v = &c->st->val, *srv = NULL;
	const char *dot = strchr(c->st->name, '.');

	snprintf(server, sizeof(server), "%.*s.server",
		(int)(dot - c->st->name), c->st->name);
	for (const struct cfg_block *b = c->block; b && !srv; b = b->parent)
		for (size_t i = 0; i < b->n && !srv; i++)
			if (strcmp(b->settings[i].name, server) == 0)
				srv = &b->settings[i].val;
	for (size_t i = 0; i < v->n; i++)
		if (srv == NULL || cfg_array_get(srv, v->items[i].str) == NULL)
			return cfg_check_error(c,
				"\"%s\" => \"%s\": %s has no "
				"\"%s\" entry in this scope",
				v->items[i].key, v->items[i].str, server,
				v->items[i].str);
	return 0;
}

int
cfg_check_proxy_header(struct cfg_check *c)
{
	static const char *const names[] = {"https-remap", "force-http10",
		"upgrade", "connect", "map-urlpath", "map-host-request",
		"map-host-response", "map-urlpath-resp-host-include",
		"map-urlpath-resp-host-exclude"};
	const struct cfg_value *v = &c->st->val;

	if (known_keys(c, v, names, N(names), NULL))
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct cfg_value *o = &v->items[i];
		int flag = strncmp(o->key, "map-", 4) != 0;

		if (flag && cfg_value_bool(o) < 0)
			return cfg_check_error(c,
				"\"%s\" must be \"enable\" "
				"or \"disable\"",
				o->key);
		if (!flag && o->type != CFG_ARRAY)
			return cfg_check_error(
				c, "\"%s\" must be an array", o->key);
	}
	return 0;
}

int
cfg_check_forwarded(struct cfg_check *c)
{
	static const char *const names[] = {
		"for", "proto", "host", "by", "remote_user"};

	if (known_keys(c, &c->st->val, names, N(names), NULL))
		return -1;
	return bool_values(c, &c->st->val, "proxy.forwarded");
}

int
cfg_check_abs_list(struct cfg_check *c)
{
	const struct cfg_value *v = &c->st->val;

	for (size_t i = 0; i < v->n; i++)
		if (v->items[i].str[0] != '/')
			return cfg_check_error(c,
				"\"%s\" is not an absolute "
				"path",
				v->items[i].str);
	return 0;
}

int
cfg_check_cgi_limits(struct cfg_check *c)
{
	static const char *const names[] = {
		"read-timeout", "write-timeout", "tcp-fin-propagate"};
	const struct cfg_value *v = &c->st->val, *o;

	if (known_keys(c, v, names, N(names), NULL))
		return -1;
	for (size_t i = 0; i < 2; i++)
		if ((o = cfg_array_get(v, names[i])) != NULL &&
			o->type != CFG_INT)
			return cfg_check_error(c,
				"\"%s\" must be an integer "
				"(seconds)",
				names[i]);
	return 0;
}

int
cfg_check_parseopts(struct cfg_check *c)
{
	static const char *const names[] = {"header-strict", "host-strict",
		"host-normalize", "url-normalize", "url-normalize-unreserved",
		"url-normalize-required", "url-ctrls-reject",
		"url-path-backslash-trans", "url-path-2f-decode",
		"url-path-2f-reject", "url-path-dotseg-remove",
		"url-path-dotseg-reject", "url-query-20-plus",
		"method-get-body"};

	struct cfg_parseopts po;

	if (known_keys(
		    c, &c->st->val, names, N(names), "server.http-parseopts"))
		return -1;
	if (bool_values(c, &c->st->val, "server.http-parseopts") == -1)
		return -1;
	if (cfg_parseopts_eval(&c->st->val, &po) == -1)
		return cfg_check_error(
			c, "server.http-parseopts: %s", po.error);
	for (size_t i = 0; i < po.nignored; i++)
		cfg_diag_add(c->d, CFG_E_NONE, c->st->file, c->st->line,
			c->st->col, "server.http-parseopts: %s; ignored",
			po.ignored[i]);
	return 0;
}

/* Unknown flags are warnings: lighttpd ignores them, and new lighttpd
 * versions add flags faster than a config is rewritten. */
int
cfg_check_features(struct cfg_check *c)
{
	static const char *const names[] = {"server.h2proto", "server.h2c",
		"server.graceful-shutdown-timeout",
		"server.graceful-restart-bg", "server.clock-jump-restart",
		"server.errorlog-high-precision",
		"server.metrics-high-precision", "cgi.tempfile-accum",
		"gw.upgrade-with-request-body", "proxy.force-http10",
		"request.trailer-whitelist", "auth.delay-invalid-creds",
		"auth.http-goaway-invalid-creds"};
	const struct cfg_value *v = &c->st->val;
	const char *s;
	size_t j;

	for (size_t i = 0; i < v->n; i++) {
		const struct cfg_value *f = &v->items[i];

		for (j = 0; j < N(names); j++)
			if (strcmp(f->key, names[j]) == 0)
				break;
		if (j == N(names)) {
			s = cfg_suggest(f->key, names, N(names));
			cfg_diag_add(c->d, CFG_E_NONE, c->st->file, c->st->line,
				c->st->col,
				"%s: unknown feature flag \"%s\" "
				"ignored%s%s%s",
				c->st->name, f->key,
				s ? "; did you mean \"" : "", s ? s : "",
				s ? "\"?" : "");
		} else if (j < 2 && cfg_value_bool(f) == 1)
			cfg_diag_add(c->d, CFG_E_NONE, c->st->file, c->st->line,
				c->st->col,
				"%s: \"%s\": gatehouse speaks "
				"HTTP/1.x only; ignored",
				c->st->name, f->key);
	}
	return 0;
}

int
cfg_check_alias(struct cfg_check *c)
{
	const struct cfg_value *v = &c->st->val;

	for (size_t i = 0; i < v->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strncmp(v->items[i].key, v->items[j].key,
				    strlen(v->items[j].key)) == 0)
				return cfg_check_error(c,
					"\"%s\" can never "
					"match: the earlier \"%s\" is a prefix "
					"of it",
					v->items[i].key, v->items[j].key);
	return 0;
}

int
cfg_check_regex_keys(struct cfg_check *c)
{
	const struct cfg_value *v = &c->st->val;
	char msg[160];
	regex_t re;
	int rc;

	for (size_t i = 0; i < v->n; i++) {
		const char *why = cfg_regex_check(v->items[i].key,
			strlen(v->items[i].key), msg, sizeof(msg));

		if (why != NULL)
			return cfg_check_error(
				c, "regex \"%s\": %s", v->items[i].key, why);
		if ((rc = regcomp(&re, v->items[i].key, REG_EXTENDED)) != 0) {
			regerror(rc, &re, msg, sizeof(msg));
			return cfg_check_error(
				c, "regex \"%s\": %s", v->items[i].key, msg);
		}
		regfree(&re);
	}
	return 0;
}
