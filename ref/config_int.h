/*
 * Internals shared by config_*.c: the token stream, diagnostics, value
 * helpers and the validation entry point. Not for the rest of the server,
 * which uses config.h only.
 */
#ifndef GH_CONFIG_INT_H
#define GH_CONFIG_INT_H

#include "config.h"

/* The largest config integer. Not LLONG_MAX: ref/limits.h (the server's
 * named limits) shadows <limits.h> on the -Iref include path. */
#define CFG_INT_MAX 0x7fffffffffffffffLL

enum cfg_tok {
	T_EOF,
	T_STRING, /* "..." with \" unescaped */
	T_INT,    /* decimal digits */
	T_NAME,   /* server.port, var.x, include, else */
	T_DOLLAR, /* $HTTP, $SERVER */
	T_ASSIGN, /* = */
	T_APPEND, /* += */
	T_FORCE,  /* := */
	T_PLUS,   /* + */
	T_LPAREN, /* ( */
	T_RPAREN, /* ) */
	T_COMMA,  /* , */
	T_ARROW,  /* => */
	T_LBRACE, /* { */
	T_RBRACE, /* } */
	T_LBRACK, /* [ */
	T_RBRACK, /* ] */
	T_CMP,    /* == != =~ !~ =^ =$, op in tok.op */
	T_ERROR,  /* message in tok.text */
};

struct cfg_token {
	enum cfg_tok type;
	enum cfg_op op;
	char *text; /* malloc'd for STRING, NAME, DOLLAR, ERROR */
	size_t len;
	long long num;
	unsigned line, col;
};

/* A lexer over one file's bytes (not owned). */
struct cfg_lexer {
	const char *p, *end, *line_start;
	unsigned line;
};

void cfg_lex_init(struct cfg_lexer *lx, const char *text, size_t len);
/* Next token; tok->text must be freed by the caller (cfg_tok_free). */
void cfg_lex_next(struct cfg_lexer *lx, struct cfg_token *tok);
void cfg_tok_free(struct cfg_token *tok);
const char *cfg_tok_name(enum cfg_tok t);

/* Parser state (config_parse.c, config_load.c). */
struct parser {
	struct config *cfg;
	struct cfg_diag *d;
	unsigned flags;
	const char *basedir;
	int depth; /* include depth */
	int nest;  /* block depth */
	int failed;
};

struct src {
	struct parser *ps;
	struct cfg_lexer lx;
	struct cfg_token tok;
	const char *file;
};

int cfg_parse_stmts(struct src *s, struct cfg_block *b, int in_block);
int cfg_parse_chain(struct src *s, struct cfg_block *parent);
int cfg_parse_expr(struct src *s, struct cfg_block *b, struct cfg_value *out);
/* Advance; expect: advance past a token of type t or report. */
int cfg_next(struct src *s);
int cfg_expect(struct src *s, enum cfg_tok t, const char *what);
/* Parse TEXT (NAME in messages) into block b. */
int cfg_parse_text(struct parser *ps, const char *name, const char *text,
	size_t len, struct cfg_block *b);
/* include "PATTERN" and include_shell "CMD" (config_load.c). */
int cfg_include(struct src *s, struct cfg_block *b, const char *pattern,
	const struct cfg_token *at);
int cfg_include_shell(struct src *s, struct cfg_block *b, const char *cmd,
	const struct cfg_token *at);
/* Report a syntax error at t (only the first one is kept); returns -1. */
int cfg_error_at(struct src *s, const struct cfg_token *t, const char *msg,
	const char *arg);
int cfg_error_r(struct src *s, enum cfg_reason r, const struct cfg_token *t,
	const char *msg, const char *arg);
const char *cfg_intern_file(struct config *cfg, const char *name);

/* Diagnostics. */
/* reason: CFG_E_NONE for a warning, else the error's kind. */
void cfg_diag_add(struct cfg_diag *d, enum cfg_reason reason, const char *file,
	unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Values. */
void cfg_value_clear(struct cfg_value *v);
int cfg_value_copy(
	struct config *cfg, struct cfg_value *dst, const struct cfg_value *src);
const struct cfg_value *
cfg_array_get(const struct cfg_value *a, const char *key);
/* "enable"/"disable"/"true"/"false"/"1"/"0" or an integer: 1, 0 or -1. */
int cfg_value_bool(const struct cfg_value *v);

/* Validation after parsing (config_keys.c): 0 or -1, messages to d. */
int cfg_validate(struct config *cfg, struct cfg_diag *d);
/* Compile block conditions (config_eval.c): 0 or -1 with a message. */
int cfg_block_compile(struct cfg_block *b, struct cfg_diag *d, unsigned col);
/* Can regex p[0..n) go to regcomp() with lighttpd's meaning, in bounded
 * memory? NULL if so, else the reason (in buf, or a constant). */
const char *cfg_regex_check(const char *p, size_t n, char *buf, size_t cap);
/* Edit distance, capped (config_keys.c). */
unsigned cfg_distance(const char *a, const char *b);

extern const char *const cfg_field_names[];
extern const char *const cfg_op_names[];

#endif
