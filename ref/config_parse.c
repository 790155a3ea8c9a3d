/*
 * Parser for lighttpd's configuration language (CONF-SYN-*, CONF-ASSIGN-*,
 * CONF-INC-*, CONF-COND-*). One pass over the tokens of config_lex.c
 * builds the block tree of config.h directly; there is no separate AST.
 * Values are computed as they are read ("a" + var.x is one string by the
 * time it is stored) and += is resolved against the enclosing scopes then,
 * which is what lighttpd does and what `lighttpd -p` shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"

int
cfg_error_r(struct src *s, enum cfg_reason r, const struct cfg_token *t,
	const char *msg, const char *arg)
{
	if (!s->ps->failed)
		cfg_diag_add(s->ps->d, r, s->file, t->line, t->col, "%s%s", msg,
			arg ? arg : "");
	s->ps->failed = 1;
	return -1;
}

int
cfg_error_at(struct src *s, const struct cfg_token *t, const char *msg,
	const char *arg)
{
	return cfg_error_r(s, CFG_E_SYNTAX, t, msg, arg);
}

int
cfg_next(struct src *s)
{
	cfg_tok_free(&s->tok);
	cfg_lex_next(&s->lx, &s->tok);
	if (s->tok.type == T_ERROR)
		return cfg_error_at(
			s, &s->tok, s->tok.text ? s->tok.text : "", 0);
	return 0;
}

int
cfg_expect(struct src *s, enum cfg_tok t, const char *what)
{
	char msg[160];

	if (s->tok.type != t) {
		snprintf(msg, sizeof(msg), "expected %s %s, found %s",
			cfg_tok_name(t), what, cfg_tok_name(s->tok.type));
		return cfg_error_at(s, &s->tok, msg, 0);
	}
	return cfg_next(s);
}

static struct cfg_setting *
find_in(const struct cfg_block *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->settings[i].name, name) == 0)
			return &b->settings[i];
	return NULL;
}

/* Variables and keys are visible in the block that sets them and below. */
static struct cfg_setting *
lookup(const struct cfg_block *b, const char *name)
{
	struct cfg_setting *st;

	for (; b != NULL; b = b->parent)
		if ((st = find_in(b, name)) != NULL)
			return st;
	return NULL;
}

/* "foo" means "var.foo", as in lighttpd. */
static char *
full_name(const char *name)
{
	char *p;

	if (strchr(name, '.') != NULL)
		return strdup(name);
	if ((p = malloc(strlen(name) + 5)) != NULL) {
		memcpy(p, "var.", 4);
		strcpy(p + 4, name);
	}
	return p;
}

static int
set_string(struct cfg_value *v, const char *p, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->type = CFG_STRING;
	if ((v->str = malloc(n + 1)) == NULL)
		return -1;
	memcpy(v->str, p, n);
	v->str[n] = '\0';
	v->len = n;
	return 0;
}

/* a = a + b (CONF-ASSIGN-4); b is consumed either way. */
static const char *
merge(struct cfg_value *a, struct cfg_value *b)
{
	char num[32], *s;
	const char *err = NULL;

	if (a->type == CFG_INT && b->type == CFG_INT) {
		if ((b->num > 0 && a->num > CFG_INT_MAX - b->num))
			err = "integer overflow";
		else
			a->num += b->num;
	} else if (a->type != CFG_ARRAY && b->type != CFG_ARRAY) {
		const char *x = a->str, *y = b->str;
		size_t xn = a->len, yn = b->len;

		if (a->type == CFG_INT) {
			xn = (size_t)snprintf(num, sizeof(num), "%lld", a->num);
			x = num;
		} else if (b->type == CFG_INT) {
			yn = (size_t)snprintf(num, sizeof(num), "%lld", b->num);
			y = num;
		}
		if ((s = malloc(xn + yn + 1)) == NULL)
			err = "out of memory";
		else {
			memcpy(s, x, xn);
			memcpy(s + xn, y, yn);
			s[xn + yn] = '\0';
			free(a->str);
			a->str = s;
			a->len = xn + yn;
			a->type = CFG_STRING;
		}
	} else if (a->type == CFG_ARRAY && b->type == CFG_ARRAY) {
		struct cfg_value *it;

		for (size_t i = 0; i < b->n && err == NULL; i++)
			if (b->items[i].key != NULL &&
				cfg_array_get(a, b->items[i].key) != NULL)
				err = "duplicate array key in +=";
		it = err ? NULL
			 : realloc(a->items, (a->n + b->n + 1) * sizeof(*it));
		if (it != NULL) {
			if (b->n > 0)
				memcpy(it + a->n, b->items, b->n * sizeof(*it));
			a->items = it;
			a->n += b->n;
			free(b->items);
			b->items = NULL;
			b->n = 0;
		} else if (err == NULL)
			err = "out of memory";
	} else
		err = "data type mismatch: cannot add an array and a "
		      "non-array";
	cfg_value_clear(b);
	return err;
}

static int
parse_array(struct src *s, struct cfg_block *b, struct cfg_value *out)
{
	struct cfg_token at = s->tok;
	struct cfg_value v, k;
	struct cfg_value *it;

	memset(out, 0, sizeof(*out));
	out->type = CFG_ARRAY;
	if (++s->ps->nest > CFG_MAX_NESTING)
		return cfg_error_r(
			s, CFG_E_LIMIT, &at, "arrays nested too deeply", 0);
	if (cfg_next(s))
		return -1;
	while (s->tok.type != T_RPAREN) {
		at = s->tok;
		if (cfg_parse_expr(s, b, &v))
			return -1;
		if (s->tok.type == T_ARROW) {
			if (v.type != CFG_STRING) {
				cfg_value_clear(&v);
				return cfg_error_at(s, &at,
					"an array key must be "
					"a string",
					0);
			}
			if (cfg_array_get(out, v.str) != NULL) {
				cfg_error_at(
					s, &at, "duplicate array key ", v.str);
				cfg_value_clear(&v);
				return -1;
			}
			k = v;
			if (cfg_next(s) || cfg_parse_expr(s, b, &v)) {
				cfg_value_clear(&k);
				return -1;
			}
			v.key = k.str;
			k.str = NULL;
			cfg_value_clear(&k);
		}
		it = realloc(out->items, (out->n + 1) * sizeof(*it));
		if (it == NULL || ++s->ps->cfg->nodes > CFG_MAX_VALUE_NODES) {
			if (it != NULL)
				out->items = it;
			cfg_value_clear(&v);
			return cfg_error_r(
				s, CFG_E_LIMIT, &at, "config too large", 0);
		}
		out->items = it;
		out->items[out->n++] = v;
		if (s->tok.type == T_COMMA) {
			if (cfg_next(s))
				return -1;
		} else if (s->tok.type != T_RPAREN)
			return cfg_error_at(s, &s->tok,
				"expected ',' or ')' in an "
				"array",
				0);
	}
	s->ps->nest--;
	return cfg_next(s);
}

static int
parse_term(struct src *s, struct cfg_block *b, struct cfg_value *out)
{
	struct cfg_token *t = &s->tok;
	struct cfg_setting *st;
	const char *env;
	char *name;
	int rc;

	memset(out, 0, sizeof(*out));
	switch (t->type) {
	case T_STRING:
		out->type = CFG_STRING;
		out->str = t->text;
		out->len = t->len;
		t->text = NULL;
		s->ps->cfg->nodes++;
		return cfg_next(s);
	case T_INT:
		out->type = CFG_INT;
		out->num = t->num;
		s->ps->cfg->nodes++;
		return cfg_next(s);
	case T_LPAREN: return parse_array(s, b, out);
	case T_NAME:
		if (strncmp(t->text, "env.", 4) == 0) {
			if (s->ps->flags & CFG_NO_ENV)
				return cfg_error_r(s, CFG_E_VAR, t,
					"env. is disabled here", 0);
			if ((env = getenv(t->text + 4)) == NULL)
				return cfg_error_r(s, CFG_E_VAR, t,
					"environment variable "
					"is not set: ",
					t->text + 4);
			if (set_string(out, env, strlen(env)))
				return cfg_error_at(s, t, "out of memory", 0);
			return cfg_next(s);
		}
		if ((name = full_name(t->text)) == NULL)
			return cfg_error_at(s, t, "out of memory", 0);
		st = lookup(b, name);
		free(name);
		if (st == NULL)
			return cfg_error_r(s, CFG_E_VAR, t,
				"undefined config variable: ", t->text);
		rc = cfg_value_copy(s->ps->cfg, out, &st->val);
		free(out->key);
		out->key = NULL;
		if (rc)
			return cfg_error_r(
				s, CFG_E_LIMIT, t, "config too large", 0);
		return cfg_next(s);
	default:
		return cfg_error_at(s, t, "expected a value, found ",
			cfg_tok_name(t->type));
	}
}

int
cfg_parse_expr(struct src *s, struct cfg_block *b, struct cfg_value *out)
{
	struct cfg_value rhs;
	struct cfg_token at;
	const char *err;

	if (parse_term(s, b, out))
		goto fail;
	while (s->tok.type == T_PLUS) {
		at = s->tok;
		memset(&rhs, 0, sizeof(rhs));
		if (cfg_next(s) || parse_term(s, b, &rhs)) {
			cfg_value_clear(&rhs);
			goto fail;
		}
		if ((err = merge(out, &rhs)) != NULL) {
			cfg_error_at(s, &at, err, 0);
			goto fail;
		}
	}
	return 0;
fail:
	cfg_value_clear(out);
	return -1;
}

static int
parse_assign(struct src *s, struct cfg_block *b)
{
	struct cfg_token name = s->tok, op;
	struct cfg_setting *st, *old;
	struct cfg_value v, base;
	const char *err;
	char *full;

	s->tok.text = NULL;
	if (cfg_next(s))
		goto fail0;
	op = s->tok;
	if (op.type != T_ASSIGN && op.type != T_APPEND && op.type != T_FORCE) {
		cfg_error_at(
			s, &op, "expected '=', '+=' or ':=' after ", name.text);
		goto fail0;
	}
	if (strncmp(name.text, "env.", 4) == 0) {
		cfg_error_at(s, &name, "env. variables are read-only", 0);
		goto fail0;
	}
	if (cfg_next(s) || cfg_parse_expr(s, b, &v))
		goto fail0;
	if ((full = full_name(name.text)) == NULL)
		goto oom;
	st = find_in(b, full);
	if (op.type == T_ASSIGN && st != NULL) {
		cfg_diag_add(s->ps->d, CFG_E_SYNTAX, s->file, name.line,
			name.col,
			"duplicate config variable %s in this block (first "
			"set at %s:%u); use := to replace it",
			full, st->file, st->line);
		s->ps->failed = 1;
		goto fail;
	}
	if (op.type == T_APPEND && (old = lookup(b, full)) != NULL) {
		/* += starts from the value in scope, even a parent's. */
		if (cfg_value_copy(s->ps->cfg, &base, &old->val))
			goto oom;
		if ((err = merge(&base, &v)) != NULL) {
			cfg_value_clear(&base);
			cfg_error_at(s, &op, err, 0);
			goto fail;
		}
		v = base;
	}
	if (st != NULL && op.type == T_APPEND) {
		/* lighttpd re-inserts a += key at the end, moving the last
		 * key into its slot; -p shows that order, so keep it. */
		free(st->name);
		cfg_value_clear(&st->val);
		*st = b->settings[--b->n];
		st = NULL;
	}
	if (st == NULL) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 8;

			if ((st = realloc(b->settings, cap * sizeof(*st))) ==
				NULL)
				goto oom;
			b->settings = st;
			b->cap = cap;
		}
		st = &b->settings[b->n++];
		memset(st, 0, sizeof(*st));
		st->name = full;
		full = NULL;
	} else
		cfg_value_clear(&st->val);
	st->val = v;
	st->file = s->file;
	st->line = name.line;
	st->col = name.col;
	free(full);
	free(name.text);
	return 0;
oom:
	cfg_error_at(s, &name, "out of memory", 0);
fail:
	free(full);
	cfg_value_clear(&v);
fail0:
	free(name.text);
	return -1;
}

int
cfg_parse_stmts(struct src *s, struct cfg_block *b, int in_block)
{
	struct cfg_token at;

	for (;;) {
		switch (s->tok.type) {
		case T_EOF:
			if (in_block)
				return cfg_error_at(s, &s->tok,
					"missing '}' at end of file", 0);
			return 0;
		case T_RBRACE:
			if (in_block)
				return 0;
			return cfg_error_at(s, &s->tok, "unmatched '}'", 0);
		case T_DOLLAR:
			if (cfg_parse_chain(s, b))
				return -1;
			break;
		case T_NAME:
			at = s->tok;
			if (strcmp(at.text, "include") == 0 ||
				strcmp(at.text, "include_shell") == 0) {
				struct cfg_value v;
				int shell = at.text[7] == '_', rc;

				if (cfg_next(s) || cfg_parse_expr(s, b, &v))
					return -1;
				if (v.type != CFG_STRING) {
					cfg_value_clear(&v);
					return cfg_error_at(s, &at,
						"include "
						"takes a string",
						0);
				}
				rc = shell ? cfg_include_shell(s, b, v.str, &at)
					   : cfg_include(s, b, v.str, &at);
				cfg_value_clear(&v);
				if (rc)
					return -1;
				break;
			}
			if (strcmp(at.text, "else") == 0)
				return cfg_error_at(s, &at,
					"else without a "
					"condition before it",
					0);
			if (parse_assign(s, b))
				return -1;
			break;
		default:
			return cfg_error_at(s, &s->tok,
				"expected a key, a "
				"condition or include, found ",
				cfg_tok_name(s->tok.type));
		}
	}
}

int
cfg_parse_text(struct parser *ps, const char *name, const char *text,
	size_t len, struct cfg_block *b)
{
	struct src s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.ps = ps;
	if ((s.file = cfg_intern_file(ps->cfg, name)) == NULL)
		return -1;
	cfg_lex_init(&s.lx, text, len);
	if (cfg_next(&s) == 0 && cfg_parse_stmts(&s, b, 0) == 0)
		rc = 0;
	cfg_tok_free(&s.tok);
	return rc;
}
