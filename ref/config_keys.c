/*
 * The key table: every configuration key gatehouse accepts, with
 * lighttpd's type, unit and default, the module it belongs to and its
 * validator (CONF-KEY-*). Anything not here is an error with a "did you
 * mean" suggestion; a key or module of lighttpd that we do not implement
 * is one "not supported" error naming it (CONF-MOD-*). Validation of the
 * gateway modules' nested values lives in config_check.c.
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "config_keys.h"

static const char *const balance[] = {
	"fair", "least-connection", "round-robin", "hash", "sticky", NULL};
static const char *const scgi_proto[] = {"scgi", "uwsgi", NULL};
static const char *const escaping[] = {"default", "json", NULL};

/* One key per line reads better than any wrapping. */
/* clang-format off */
#define S(n, def, mod) {n, KT_STRING, "", def, mod, 0, 0, NULL, NULL}
#define I(n, unit, def, mod, lo, hi) \
	{n, KT_INT, unit, def, mod, lo, hi, NULL, NULL}
#define B(n, def, mod) {n, KT_BOOL, "", def, mod, 0, 0, NULL, NULL}
#define L(n, def, mod) {n, KT_LIST, "", def, mod, 0, 0, NULL, NULL}
#define H(n, def, mod) {n, KT_HASH, "", def, mod, 0, 0, NULL, NULL}
#define E(n, def, mod, ch) {n, KT_STRING, "", def, mod, 0, 0, ch, NULL}
#define X(n, t, def, mod, fn) {n, t, "", def, mod, 0, 0, NULL, fn}
/* clang-format on */

/* clang-format off */
static const struct cfg_key keys[] = {
	/* core: lighttpd src/configfile.c config_insert() */
	I("server.port", "", "80", "core", 0, 65535),
	S("server.bind", "(all addresses)", "core"),
	S("server.document-root", NULL, "core"),
	S("server.errorlog", "(stderr)", "core"),
	B("server.errorlog-use-syslog", "disable", "core"),
	S("server.breakagelog", "(stderr)", "core"),
	S("server.pid-file", NULL, "core"),
	S("server.tag", "gatehouse", "core"),
	S("server.name", "(the Host)", "core"),
	S("server.username", NULL, "core"),
	S("server.groupname", NULL, "core"),
	I("server.max-fds", "fds", "0", "core", 0, 1 << 24),
	I("server.max-connections", "", "0", "core", 0, 1 << 24),
	I("server.max-keep-alive-requests", "", "1000", "core", 0, 1 << 30),
	I("server.max-keep-alive-idle", "s", "5", "core", 0, 1 << 30),
	I("server.max-read-idle", "s", "60", "core", 0, 1 << 30),
	I("server.max-write-idle", "s", "360", "core", 0, 1 << 30),
	I("server.max-request-size", "KiB", "0", "core", 0, 1LL << 32),
	I("server.max-request-field-size", "bytes", "8192", "core", 0, 1 << 30),
	I("server.listen-backlog", "", "1024", "core", 0, 1 << 20),
	L("server.upload-dirs", "(\"/var/tmp\")", "core"),
	I("server.stream-request-body", "", "0", "core", 0, 2),
	I("server.stream-response-body", "", "0", "core", 0, 2),
	B("server.follow-symlink", "enable", "core"),
	B("server.use-ipv6", "disable", "core"),
	B("server.set-v6only", "enable", "core"),
	B("server.range-requests", "enable", "core"),
	B("server.error-intercept", "disable", "core"),
	S("server.error-handler", NULL, "core"),
	S("server.error-handler-404", NULL, "core"),
	S("server.errorfile-prefix", NULL, "core"),
	B("server.reject-expect-100-with-417", "disable", "core"),
	B("server.protocol-http11", "enable", "core"),
	I("server.max-worker", "", "0", "core", 0, 0),
	X("server.http-parseopts", KT_HASH_ANY, NULL, "core",
		cfg_check_parseopts),
	X("server.feature-flags", KT_HASH_ANY, NULL, "core",
		cfg_check_features),
	X("server.modules", KT_LIST, NULL, "core", cfg_check_modules),
	B("server.dir-listing", "disable", "mod_dirlisting"),
	B("debug.log-request-header", "disable", "core"),
	B("debug.log-response-header", "disable", "core"),
	B("debug.log-request-handling", "disable", "core"),
	B("debug.log-file-not-found", "disable", "core"),
	B("debug.log-condition-handling", "disable", "core"),
	B("debug.log-timeouts", "disable", "core"),
	/* mod_indexfile, mod_staticfile, mimetype, etag */
	L("index-file.names", "()", "mod_indexfile"),
	H("mimetype.assign", "()", "core"),
	B("mimetype.use-xattr", "disable", "core"),
	S("mimetype.xattr-name", "Content-Type", "core"),
	L("static-file.exclude-extensions", "()", "mod_staticfile"),
	B("static-file.etags", "enable", "mod_staticfile"),
	B("static-file.disable-pathinfo", "disable", "mod_staticfile"),
	B("etag.use-inode", "enable", "core"),
	B("etag.use-mtime", "enable", "core"),
	B("etag.use-size", "enable", "core"),
	/* mod_access, mod_alias, mod_redirect, mod_rewrite, mod_setenv */
	L("url.access-deny", "()", "mod_access"),
	L("url.access-allow", "()", "mod_access"),
	X("alias.url", KT_HASH, "()", "mod_alias", cfg_check_alias),
	X("url.redirect", KT_HASH, "()", "mod_redirect", cfg_check_regex_keys),
	I("url.redirect-code", "", "301", "mod_redirect", 300, 399),
	X("url.rewrite", KT_HASH, "()", "mod_rewrite", cfg_check_regex_keys),
	X("url.rewrite-once", KT_HASH, "()", "mod_rewrite",
		cfg_check_regex_keys),
	X("url.rewrite-repeat", KT_HASH, "()", "mod_rewrite",
		cfg_check_regex_keys),
	X("url.rewrite-final", KT_HASH, "()", "mod_rewrite",
		cfg_check_regex_keys),
	X("url.rewrite-if-not-file", KT_HASH, "()", "mod_rewrite",
		cfg_check_regex_keys),
	X("url.rewrite-repeat-if-not-file", KT_HASH, "()", "mod_rewrite",
		cfg_check_regex_keys),
	H("setenv.add-environment", "()", "mod_setenv"),
	H("setenv.add-request-header", "()", "mod_setenv"),
	H("setenv.add-response-header", "()", "mod_setenv"),
	H("setenv.set-environment", "()", "mod_setenv"),
	H("setenv.set-request-header", "()", "mod_setenv"),
	H("setenv.set-response-header", "()", "mod_setenv"),
	/* mod_dirlisting */
	B("dir-listing.activate", "disable", "mod_dirlisting"),
	B("dir-listing.hide-dotfiles", "enable", "mod_dirlisting"),
	L("dir-listing.exclude", "()", "mod_dirlisting"),
	S("dir-listing.encoding", "utf-8", "mod_dirlisting"),
	S("dir-listing.external-css", NULL, "mod_dirlisting"),
	S("dir-listing.external-js", NULL, "mod_dirlisting"),
	S("dir-listing.set-footer", NULL, "mod_dirlisting"),
	B("dir-listing.show-readme", "disable", "mod_dirlisting"),
	B("dir-listing.hide-readme-file", "disable", "mod_dirlisting"),
	B("dir-listing.show-header", "disable", "mod_dirlisting"),
	B("dir-listing.hide-header-file", "disable", "mod_dirlisting"),
	B("dir-listing.encode-readme", "enable", "mod_dirlisting"),
	B("dir-listing.encode-header", "enable", "mod_dirlisting"),
	B("dir-listing.auto-layout", "enable", "mod_dirlisting"),
	B("dir-listing.sort", "enable", "mod_dirlisting"),
	/* mod_accesslog: the default format is lighttpd's, %V included */
	S("accesslog.filename", NULL, "mod_accesslog"),
	S("accesslog.format",
		"%h %V %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"",
		"mod_accesslog"),
	B("accesslog.use-syslog", "disable", "mod_accesslog"),
	E("accesslog.escaping", "default", "mod_accesslog", escaping),
	/* mod_status */
	S("status.status-url", NULL, "mod_status"),
	S("status.statistics-url", NULL, "mod_status"),
	S("status.config-url", NULL, "mod_status"),
	B("status.enable-sort", "enable", "mod_status"),
	/* gateways: reference/lighttpd-gateway.md §1 */
	X("fastcgi.server", KT_GW, NULL, "mod_fastcgi", cfg_check_gw),
	X("fastcgi.map-extensions", KT_HASH, "()", "mod_fastcgi",
		cfg_check_map_ext),
	I("fastcgi.debug", "", "0", "mod_fastcgi", 0, 1 << 20),
	E("fastcgi.balance", "fair", "mod_fastcgi", balance),
	X("scgi.server", KT_GW, NULL, "mod_scgi", cfg_check_gw),
	X("scgi.map-extensions", KT_HASH, "()", "mod_scgi", cfg_check_map_ext),
	I("scgi.debug", "", "0", "mod_scgi", 0, 1 << 20),
	E("scgi.balance", "fair", "mod_scgi", balance),
	E("scgi.protocol", "scgi", "mod_scgi", scgi_proto),
	X("proxy.server", KT_GW, NULL, "mod_proxy", cfg_check_gw),
	I("proxy.debug", "", "0", "mod_proxy", 0, 1 << 20),
	E("proxy.balance", "fair", "mod_proxy", balance),
	X("proxy.header", KT_HASH_ANY, "()", "mod_proxy",
		cfg_check_proxy_header),
	X("proxy.forwarded", KT_HASH_ANY, "()", "mod_proxy",
		cfg_check_forwarded),
	B("proxy.replace-http-host", "disable", "mod_proxy"),
	H("cgi.assign", "()", "mod_cgi"),
	B("cgi.execute-x-only", "disable", "mod_cgi"),
	B("cgi.upgrade", "disable", "mod_cgi"),
	B("cgi.x-sendfile", "disable", "mod_cgi"),
	X("cgi.x-sendfile-docroot", KT_LIST, "()", "mod_cgi",
		cfg_check_abs_list),
	B("cgi.local-redir", "disable", "mod_cgi"),
	X("cgi.limits", KT_HASH_ANY, "()", "mod_cgi", cfg_check_cgi_limits),
};

/* clang-format on */

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

const struct cfg_key *
cfg_key_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

const char *
cfg_key_default(const struct cfg_key *k)
{
	return k ? k->def : NULL;
}

const char *
cfg_key_unit(const struct cfg_key *k)
{
	return k ? k->unit : NULL;
}

const struct cfg_key *
cfg_key_at(size_t i)
{
	return i < NKEYS ? &keys[i] : NULL;
}

/* Levenshtein distance, two rows; names are short. */
unsigned
cfg_distance(const char *a, const char *b)
{
	unsigned row[2][64];
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *prev = row[(i - 1) & 1], *cur = row[i & 1];

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned c = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
	}
	return row[la & 1][lb];
}

const char *
cfg_suggest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned bd = 99, d;

	for (size_t i = 0; i < n; i++) {
		const char *c = cands ? cands[i] : keys[i].name;

		if ((d = cfg_distance(name, c)) < bd) {
			bd = d;
			best = c;
		}
	}
	/* Close enough to be a typo, not a different word. */
	return bd <= 3 && bd * 3 <= strlen(name) + 2 ? best : NULL;
}

const char *
cfg_suggest_key(const char *name)
{
	return cfg_suggest(name, NULL, NKEYS);
}
