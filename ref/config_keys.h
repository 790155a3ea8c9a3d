/*
 * The key table's entry type and the validators it names (config_keys.c,
 * config_check.c). Private to the config code.
 */
#ifndef GH_CONFIG_KEYS_H
#define GH_CONFIG_KEYS_H

#include "config_int.h"

enum cfg_ktype {
	KT_STRING,   /* "text" (choices, if any, list the allowed ones) */
	KT_INT,      /* 123, or a digit string, within [min, max] */
	KT_BOOL,     /* "enable"/"disable" (also true/false/1/0) */
	KT_LIST,     /* ("a", "b") */
	KT_HASH,     /* ("k" => "v", ...) with string values */
	KT_HASH_ANY, /* ("k" => any, ...) */
	KT_GW,       /* fastcgi.server and friends: ext => hosts */
};

struct cfg_check {
	struct config *cfg;
	const struct cfg_block *block;
	const struct cfg_setting *st;
	struct cfg_diag *d;
	enum cfg_reason reason; /* for cfg_check_error, CFG_E_VALUE mostly */
};

struct cfg_key {
	const char *name;
	enum cfg_ktype type;
	const char *unit;
	/* lighttpd's default as config text ("8192", "enable", "()"); a
	 * "(description)" when it depends on something else ("(stderr)");
	 * NULL when there is none (server.document-root). */
	const char *def;
	const char *module;
	long long min, max;
	const char *const *choices;
	int (*check)(struct cfg_check *c);
};

const struct cfg_key *cfg_key_at(size_t i);
const char *cfg_suggest(const char *name, const char *const *cands, size_t n);
const char *cfg_suggest_key(const char *name);
/* An error about the setting being checked; returns -1. */
int cfg_check_error(struct cfg_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cfg_check_parseopts(struct cfg_check *c);
int cfg_check_features(struct cfg_check *c);
int cfg_check_modules(struct cfg_check *c);
int cfg_check_alias(struct cfg_check *c);
int cfg_check_regex_keys(struct cfg_check *c);
int cfg_check_gw(struct cfg_check *c);
int cfg_check_map_ext(struct cfg_check *c);
int cfg_check_proxy_header(struct cfg_check *c);
int cfg_check_forwarded(struct cfg_check *c);
int cfg_check_abs_list(struct cfg_check *c);
int cfg_check_cgi_limits(struct cfg_check *c);

#endif
