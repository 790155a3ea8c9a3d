/*
 * lighttpd 1.4 configuration language: load, validate, print, evaluate.
 *
 * config_load() reads a lighttpd.conf (with include, include_shell, var.,
 * env., +=, :=, conditionals) into a tree of blocks: block 0 is the global
 * scope, every $HTTP[...]/$SERVER[...] { } is one more block in file order.
 * Every key is checked against the key table (config_keys.c) at load time,
 * regexes are compiled and CIDRs parsed then, so a request never meets a
 * config error. Per request, struct cfg_eval caches which blocks match and
 * config_get() returns the effective value: the last matching block that
 * sets the key wins, as in lighttpd. Rules: spec/config.md (CONF-*).
 *
 * Ownership: everything hangs off struct config and is released by one
 * config_free(). Values returned by config_get() stay valid until then.
 */
#ifndef GH_CONFIG_H
#define GH_CONFIG_H

#include <regex.h>
#include <stddef.h>
#include <stdio.h>

/* Bounds (CONF-LIMIT-*): a config is trusted input but must not be able to
 * exhaust us by mistake (an include loop, a runaway include_shell). */
#define CFG_MAX_FILE_SIZE   (8u << 20) /* one file or include_shell output */
#define CFG_MAX_INCLUDE     16         /* include nesting depth */
#define CFG_MAX_NESTING     32         /* conditional and array nesting */
#define CFG_MAX_ELSE_CHAIN  256        /* links in one else chain */
#define CFG_MAX_CAPTURES    10         /* %0..%9 and $0..$9 */
#define CFG_MAX_VALUE_NODES 1000000    /* values in one config, all told */

enum cfg_vtype {
	CFG_STRING = 1,
	CFG_INT,
	CFG_ARRAY,
};

/* A value. Array elements are values too; in a hash each has a key. */
struct cfg_value {
	enum cfg_vtype type;
	char *key;               /* array element key, or NULL */
	char *str;               /* CFG_STRING, NUL-terminated */
	size_t len;              /* bytes in str */
	long long num;           /* CFG_INT */
	struct cfg_value *items; /* CFG_ARRAY, n of them */
	size_t n;
};

struct cfg_key;

/* One assignment as it stands after +=/:= merging. */
struct cfg_setting {
	char *name;                /* "server.port", "var.x" */
	const struct cfg_key *key; /* NULL for var.* */
	struct cfg_value val;
	const char *file; /* owned by the config */
	unsigned line, col;
};

enum cfg_field {
	CFG_F_URL,
	CFG_F_HOST,
	CFG_F_METHOD,
	CFG_F_SCHEME,
	CFG_F_REMOTE_IP,
	CFG_F_QUERY,
	CFG_F_SOCKET, /* $SERVER["socket"] */
};

enum cfg_op {
	CFG_OP_EQ,      /* == */
	CFG_OP_NE,      /* != */
	CFG_OP_MATCH,   /* =~ */
	CFG_OP_NOMATCH, /* !~ */
	CFG_OP_PREFIX,  /* =^ */
	CFG_OP_SUFFIX,  /* =$ */
	CFG_OP_ELSE,    /* bare else: no condition of its own */
};

/* A conditional block. Block 0 is the global scope (no condition). */
struct cfg_block {
	unsigned id;
	struct cfg_block *parent;
	struct cfg_block *prev; /* previous block of an else chain, or NULL */
	enum cfg_field field;
	enum cfg_op op;
	char *pattern;
	size_t pattern_len;
	regex_t re; /* =~ and !~ only */
	int has_re;
	/* remote-ip with == or != and a CIDR: network bytes and prefix. */
	int cidr_family; /* 0: compare as a string */
	unsigned char net[16];
	unsigned bits;
	struct cfg_setting *settings;
	size_t n, cap;
	const char *file;
	unsigned line;
};

struct config {
	struct cfg_block **blocks; /* file order, blocks[0] global */
	size_t n, cap;
	char **files; /* every file name seen, owned */
	size_t nfiles;
	size_t nodes; /* values allocated, against CFG_MAX_VALUE_NODES */
	const char *reported[64]; /* unsupported modules already named */
	size_t nreported;
};

/* What kind of error came first (tests and vectors name it). */
enum cfg_reason {
	CFG_E_NONE,    /* no error; also "this message is a warning" */
	CFG_E_SYNTAX,  /* lexer or grammar */
	CFG_E_INCLUDE, /* include / include_shell failed */
	CFG_E_COND,    /* unknown field, bad regex or CIDR */
	CFG_E_KEY,     /* unknown key */
	CFG_E_VALUE,   /* wrong type, range or structure */
	CFG_E_MODULE,  /* a module (or its key) gatehouse does not implement */
	CFG_E_LIMIT,   /* a CFG_MAX_* bound */
	CFG_E_VAR,     /* undefined variable, bad env. */
};

/* Diagnostics: every error and warning as "file:line:col: message\n". */
struct cfg_diag {
	char *text; /* malloc'd, NUL-terminated, or NULL when empty */
	size_t len;
	unsigned errors, warnings;
	enum cfg_reason reason; /* of the first error */
};

/* "SYNTAX", "KEY"...: the reason names the spec and vectors use. */
const char *cfg_reason_name(enum cfg_reason r);

/* Load flags. Tests and the fuzzer turn off everything that reaches out. */
#define CFG_NO_SHELL   0x1 /* include_shell is an error */
#define CFG_NO_INCLUDE 0x2 /* include is an error */
#define CFG_NO_ENV     0x4 /* env.X is an error */

/*
 * Load and validate FILE. Relative include paths resolve against the main
 * file's directory, as lighttpd does. Returns NULL when anything failed;
 * d gets every message either way (call cfg_diag_free()).
 */
struct config *
config_load(const char *path, unsigned flags, struct cfg_diag *d);
/* The same on text in memory; NAME is used in messages, BASEDIR for
 * relative includes (NULL: the current directory). */
struct config *config_load_mem(const char *name, const char *text, size_t len,
	const char *basedir, unsigned flags, struct cfg_diag *d);
void config_free(struct config *cfg);
void cfg_diag_free(struct cfg_diag *d);

/* lighttpd -p: the config normalised, in lighttpd's own layout. */
void config_print(const struct config *cfg, FILE *out);
/* The same; CFG_PRINT_NO_BUILTIN leaves out var.CWD and var.PID while they
 * still hold their predefined values (they differ per process). */
#define CFG_PRINT_NO_BUILTIN 0x1
void config_print_ex(const struct config *cfg, FILE *out, unsigned flags);
/* The file name of settings made before the first line (var.CWD...). */
#define CFG_BUILTIN_FILE "(builtin)"

/* The request facts conditionals look at. NULL fields never match ==, =~,
 * =^ or =$ and always match != and !~ (lighttpd treats them as ""). */
struct cfg_request {
	const char *url;  /* decoded path, without the query */
	const char *host; /* lowercased, port included if the client sent it */
	const char *method;    /* "GET" */
	const char *scheme;    /* "http" or "https" */
	const char *remote_ip; /* textual IPv4 or IPv6 */
	const char *query;     /* after '?', "" if none */
	const char *socket;    /* listening socket, "127.0.0.1:8080" */
};

/* Per-request evaluation state: condition results and regex captures. */
struct cfg_eval {
	const struct config *cfg;
	const struct cfg_request *req;
	signed char *state; /* per block: 0 unknown, 1 match, -1 no match */
	regmatch_t *caps;   /* per block: CFG_MAX_CAPTURES */
	const char **subj;  /* per block: string the captures index */
};

/* Returns 0, or -1 when out of memory. Free with config_eval_done(). */
int config_eval_init(struct cfg_eval *ev, const struct config *cfg,
	const struct cfg_request *req);
void config_eval_done(struct cfg_eval *ev);
/* Does block b (with its parents and else chain) apply to this request? */
int config_block_matches(struct cfg_eval *ev, const struct cfg_block *b);
/* The effective value of NAME for the request, or NULL when unset (then
 * the key table default applies, see cfg_key_default()). FROM, if not
 * NULL, gets the block that set it, for %n captures. */
const struct cfg_value *config_get(
	struct cfg_eval *ev, const char *name, const struct cfg_block **from);
/* The global value of NAME (server-scope keys), or NULL. */
const struct cfg_value *
config_global(const struct config *cfg, const char *name);
/* Typed reads with the table default; a bool is "enable"/"disable". */
long long config_int(struct cfg_eval *ev, const char *name);
int config_bool(struct cfg_eval *ev, const char *name);

/*
 * Expand a rewrite/redirect target: $0..$9 from m (the rule's own regex on
 * subj), %0..%9 from the nearest regex conditional enclosing block `from`
 * that matched. "$$"/"%%" give a literal. Writes at most cap-1 bytes and a
 * NUL; returns the full length wanted (>= cap means it was cut), as
 * snprintf does.
 */
size_t config_expand(struct cfg_eval *ev, const struct cfg_block *from,
	const char *target, const char *subj, const regmatch_t *m, size_t nm,
	char *out, size_t cap);

/* Key table (config_keys.c). */
const struct cfg_key *cfg_key_find(const char *name);
/* lighttpd's default as config text ("8192", "enable"), a "(description)"
 * when it depends on other things, or NULL when there is none. */
const char *cfg_key_default(const struct cfg_key *k);
const char *cfg_key_unit(const struct cfg_key *k); /* "KiB", "s"... */
/* Is a module gatehouse implements (issues 6-9 + gateways)? */
int cfg_module_supported(const char *name);

/*
 * server.http-parseopts resolved with lighttpd's defaults
 * (config_parseopts.c). h may be NULL (all defaults). Returns 0, or -1 with
 * error set (unknown key, bad value, conflicting options). ignored[] holds
 * one static message per setting Gatehouse cannot follow; the config check
 * prints them as warnings.
 */
struct cfg_parseopts {
	unsigned uri_opts;  /* URI_* (codec/uri.h) */
	unsigned host_opts; /* HOST_* (codec/host.h) */
	unsigned h1_flags;  /* H1_LENIENT_* (codec/h1.h) */
	int get_body;       /* method-get-body: GET/HEAD may carry a body */
	int query_20_plus;  /* url-query-20-plus: "%20" in the query is '+' */
	const char *error;
	const char *ignored[6];
	size_t nignored;
};
int cfg_parseopts_eval(const struct cfg_value *h, struct cfg_parseopts *po);

/* The -t/-tt/-p command line part; returns the exit status. */
int config_cli(int argc, char **argv);

#endif
