/*
 * Validation after parsing (CONF-KEY-*, CONF-MOD-*, CONF-GW-*): every
 * setting against the key table, modules against what gatehouse
 * implements, and the nested values of the gateway modules against the
 * host options of reference/lighttpd-gateway.md §1.2. All problems are
 * reported, not just the first, so one -tt run lists them all.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_keys.h"

/* Modules of issues 6-9 and the gateways. mod_indexfile, mod_dirlisting
 * and mod_staticfile are loaded implicitly, as lighttpd does. */
static const char *const supported[] = {"mod_indexfile", "mod_staticfile",
	"mod_dirlisting", "mod_access", "mod_alias", "mod_redirect",
	"mod_rewrite", "mod_setenv", "mod_accesslog", "mod_status",
	"mod_fastcgi", "mod_scgi", "mod_proxy", "mod_cgi"};
#define NSUPPORTED (sizeof(supported) / sizeof(supported[0]))

/* lighttpd 1.4 modules we do not implement, with their key prefixes. */
static const struct {
	const char *module, *prefix;
} unsupported[] = {
	{"mod_openssl", "ssl."},
	{"mod_gnutls", "ssl."},
	{"mod_mbedtls", "ssl."},
	{"mod_wolfssl", "ssl."},
	{"mod_nss", "ssl."},
	{"mod_auth", "auth."},
	{"mod_authn_file", "auth.backend."},
	{"mod_authn_ldap", "auth.backend.ldap"},
	{"mod_authn_pam", "auth.backend.pam"},
	{"mod_authn_gssapi", "auth.backend.gssapi"},
	{"mod_authn_sasl", "auth.backend.sasl"},
	{"mod_authn_dbi", "auth.backend.dbi"},
	{"mod_webdav", "webdav."},
	{"mod_deflate", "deflate."},
	{"mod_compress", "compress."},
	{"mod_expire", "expire."},
	{"mod_evhost", "evhost."},
	{"mod_simple_vhost", "simple-vhost."},
	{"mod_vhostdb", "vhostdb."},
	{"mod_userdir", "userdir."},
	{"mod_ssi", "ssi."},
	{"mod_rrdtool", "rrdtool."},
	{"mod_extforward", "extforward."},
	{"mod_magnet", "magnet."},
	{"mod_secdownload", "secdownload."},
	{"mod_usertrack", "usertrack."},
	{"mod_evasive", "evasive."},
	{"mod_wstunnel", "wstunnel."},
	{"mod_sockproxy", "sockproxy."},
	{"mod_ajp13", "ajp13."},
	{"mod_maxminddb", "maxminddb."},
	{"mod_uploadprogress", "upload-progress."},
	{"mod_flv_streaming", "flv-streaming."},
	{"mod_trigger_b4_dl", "trigger-before-download."},
	{"mod_h2", NULL},
	{"mod_vhostdb_ldap", NULL},
	{"mod_vhostdb_mysql", NULL},
	{"mod_vhostdb_pgsql", NULL},
	{"mod_vhostdb_dbi", NULL},
};
#define NUNSUPPORTED (sizeof(unsupported) / sizeof(unsupported[0]))

/* Core keys of lighttpd we know and do not implement. */
static const char *const core_unsupported[] = {"server.chroot",
	"server.event-handler", "server.network-backend",
	"server.kbytes-per-second", "connection.kbytes-per-second",
	"server.core-files", "server.stat-cache-engine",
	"server.systemd-socket-activation", "server.use-noatime",
	"server.compat-module-load", "server.syslog-facility",
	"server.bsd-accept-filter", "server.defer-accept",
	"server.errorlog-placeholder"};

int
cfg_module_supported(const char *name)
{
	for (size_t i = 0; i < NSUPPORTED; i++)
		if (strcmp(name, supported[i]) == 0)
			return 1;
	return 0;
}

int
cfg_check_error(struct cfg_check *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_diag_add(c->d, c->reason, c->st->file, c->st->line, c->st->col,
		"%s: %s", c->st->name, msg);
	return -1;
}

static int
is_int(const struct cfg_value *v, long long *out)
{
	char *end;

	if (v->type == CFG_INT) {
		*out = v->num;
		return 1;
	}
	if (v->type != CFG_STRING || v->len == 0 || v->len > 18)
		return 0;
	*out = strtoll(v->str, &end, 10);
	return *end == '\0' && v->str[0] >= '0' && v->str[0] <= '9';
}

/* Check v against type t; what names the place ("value", "key \"x\""). */
static int
check_type(struct cfg_check *c, const struct cfg_value *v, enum cfg_ktype t,
	const char *what)
{
	long long n;

	switch (t) {
	case KT_STRING:
		if (v->type != CFG_STRING)
			return cfg_check_error(c, "%s must be a string", what);
		return 0;
	case KT_INT:
		if (!is_int(v, &n))
			return cfg_check_error(
				c, "%s must be an integer", what);
		return 0;
	case KT_BOOL:
		if (cfg_value_bool(v) < 0)
			return cfg_check_error(c,
				"%s must be \"enable\" or "
				"\"disable\"",
				what);
		return 0;
	case KT_LIST:
		if (v->type != CFG_ARRAY)
			return cfg_check_error(c,
				"%s must be a list "
				"(\"a\", \"b\")",
				what);
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i].type != CFG_STRING ||
				v->items[i].key != NULL)
				return cfg_check_error(c,
					"%s: element %zu "
					"must be a plain string",
					what, i + 1);
		return 0;
	case KT_HASH:
	case KT_HASH_ANY:
	case KT_GW:
		if (v->type != CFG_ARRAY)
			return cfg_check_error(c,
				"%s must be an array "
				"(\"key\" => value, ...)",
				what);
		for (size_t i = 0; i < v->n; i++) {
			if (v->items[i].key == NULL)
				return cfg_check_error(c,
					"%s: element %zu "
					"needs a \"key\" =>",
					what, i + 1);
			if (t == KT_HASH && v->items[i].type != CFG_STRING)
				return cfg_check_error(c,
					"%s: value of \"%s\" "
					"must be a string",
					what, v->items[i].key);
		}
		return 0;
	}
	return 0;
}

static int
check_setting(struct cfg_check *c, const struct cfg_key *k)
{
	const struct cfg_value *v = &c->st->val;
	long long n;

	if (check_type(c, v, k->type, "value"))
		return -1;
	if (k->type == KT_INT && is_int(v, &n) && (n < k->min || n > k->max))
		return cfg_check_error(c, "%lld is out of range %lld..%lld%s%s",
			n, k->min, k->max, k->unit[0] ? " " : "", k->unit);
	if (k->choices != NULL && k->type == KT_STRING) {
		size_t i;

		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(v->str, k->choices[i]) == 0)
				break;
		if (k->choices[i] == NULL) {
			char list[256] = "";

			for (i = 0; k->choices[i] != NULL; i++)
				snprintf(list + strlen(list),
					sizeof(list) - strlen(list), "%s%s",
					i ? ", " : "", k->choices[i]);
			return cfg_check_error(
				c, "\"%s\" is not one of: %s", v->str, list);
		}
	}
	return k->check ? k->check(c) : 0;
}

static const char *
unsupported_module_of(const char *name)
{
	for (size_t i = 0; i < NUNSUPPORTED; i++)
		if (unsupported[i].prefix != NULL &&
			strncmp(name, unsupported[i].prefix,
				strlen(unsupported[i].prefix)) == 0)
			return unsupported[i].module;
	return NULL;
}

/* Each unsupported module is reported once, wherever it shows first. */
static int
report_module_once(struct config *cfg, const char *module)
{
	for (size_t i = 0; i < cfg->nreported; i++)
		if (strcmp(cfg->reported[i], module) == 0)
			return 0;
	if (cfg->nreported < sizeof(cfg->reported) / sizeof(cfg->reported[0]))
		cfg->reported[cfg->nreported++] = module;
	return 1;
}

int
cfg_check_modules(struct cfg_check *c)
{
	const struct cfg_value *v = &c->st->val;
	const char *s, *m;
	int rc = 0;

	if (c->block->id != 0)
		return cfg_check_error(c,
			"server.modules must be set at the "
			"top level, not in a condition");
	for (size_t i = 0; i < v->n; i++) {
		m = v->items[i].str;
		if (cfg_module_supported(m))
			continue;
		rc = -1;
		c->reason = CFG_E_MODULE;
		for (size_t j = 0; j < NUNSUPPORTED; j++)
			if (strcmp(m, unsupported[j].module) == 0) {
				if (report_module_once(
					    c->cfg, unsupported[j].module))
					cfg_check_error(c,
						"module %s is not "
						"supported by gatehouse",
						m);
				m = NULL;
				break;
			}
		if (m == NULL)
			continue;
		s = cfg_suggest(m, supported, NSUPPORTED);
		c->reason = CFG_E_KEY;
		cfg_check_error(c, "unknown module \"%s\"%s%s%s", m,
			s ? "; did you mean \"" : "", s ? s : "",
			s ? "\"?" : "");
	}
	return rc;
}

static int
module_loaded(const struct config *cfg, const char *module)
{
	const struct cfg_value *mods = config_global(cfg, "server.modules");

	if (strcmp(module, "core") == 0 ||
		strcmp(module, "mod_indexfile") == 0 ||
		strcmp(module, "mod_dirlisting") == 0 ||
		strcmp(module, "mod_staticfile") == 0)
		return 1;
	for (size_t i = 0; mods != NULL && i < mods->n; i++)
		if (mods->items[i].str &&
			strcmp(mods->items[i].str, module) == 0)
			return 1;
	return 0;
}

static int
unknown_key(struct cfg_check *c)
{
	const char *name = c->st->name, *m, *s;

	c->reason = CFG_E_MODULE;
	for (size_t i = 0; i < sizeof(core_unsupported) / sizeof(char *); i++)
		if (strcmp(name, core_unsupported[i]) == 0)
			return cfg_check_error(c, "not supported by gatehouse");
	if ((m = unsupported_module_of(name)) != NULL) {
		if (report_module_once(c->cfg, m))
			return cfg_check_error(c,
				"belongs to %s, which "
				"gatehouse does not support",
				m);
		return -1;
	}
	s = cfg_suggest_key(name);
	c->reason = CFG_E_KEY;
	return cfg_check_error(c, "unknown config key%s%s%s",
		s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
}

int
cfg_validate(struct config *cfg, struct cfg_diag *d)
{
	struct cfg_check c;
	int rc = 0;

	c.cfg = cfg;
	c.d = d;
	for (size_t i = 0; i < cfg->n; i++) {
		struct cfg_block *b = cfg->blocks[i];

		c.block = b;
		for (size_t j = 0; j < b->n; j++) {
			struct cfg_setting *st = &b->settings[j];

			c.st = st;
			c.reason = CFG_E_VALUE;
			if (strncmp(st->name, "var.", 4) == 0)
				continue;
			if ((st->key = cfg_key_find(st->name)) == NULL) {
				rc |= unknown_key(&c);
				continue;
			}
			if (check_setting(&c, st->key))
				rc = -1;
			else if (!module_loaded(cfg, st->key->module))
				cfg_diag_add(d, CFG_E_NONE, st->file, st->line,
					st->col,
					"%s is set but %s is not in "
					"server.modules, so it has no effect",
					st->name, st->key->module);
		}
	}
	return rc ? -1 : 0;
}
