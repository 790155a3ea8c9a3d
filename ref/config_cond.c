/*
 * Parsing conditionals (CONF-COND-1..5): $HTTP["field"] op "pattern"
 * { ... } with nesting and else chains. Each block becomes one struct
 * cfg_block in file order; its pattern is compiled right away
 * (cfg_block_compile) so a bad regex or CIDR is reported at its line.
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* The condition fields lighttpd 1.4 has; those we do not evaluate are
 * named so the error can say "not supported" rather than "unknown". */
static int
parse_field(
	struct src *s, const char *dollar, const char *name, enum cfg_field *f)
{
	static const struct {
		const char *dollar, *name;
		enum cfg_field f;
	} fields[] = {
		{"$HTTP", "url", CFG_F_URL},
		{"$HTTP", "host", CFG_F_HOST},
		{"$HTTP", "request-method", CFG_F_METHOD},
		{"$HTTP", "scheme", CFG_F_SCHEME},
		{"$HTTP", "remote-ip", CFG_F_REMOTE_IP},
		{"$HTTP", "querystring", CFG_F_QUERY},
		{"$SERVER", "socket", CFG_F_SOCKET},
	};
	static const char *const unsupported[] = {"useragent", "referer",
		"cookie", "language", "request-header", "$REQUEST_HEADER",
		"$PHYSICAL", "$ENV"};
	char msg[200];

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(dollar, fields[i].dollar) == 0 &&
			strcmp(name, fields[i].name) == 0) {
			*f = fields[i].f;
			return 0;
		}
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(char *); i++)
		if (strcmp(name, unsupported[i]) == 0 ||
			strcmp(dollar, unsupported[i]) == 0) {
			snprintf(msg, sizeof(msg),
				"condition %s[\"%s\"] is not supported by "
				"gatehouse",
				dollar, name);
			return cfg_error_r(s, CFG_E_COND, &s->tok, msg, 0);
		}
	snprintf(
		msg, sizeof(msg), "unknown condition %s[\"%s\"]", dollar, name);
	return cfg_error_r(s, CFG_E_COND, &s->tok, msg, 0);
}

static struct cfg_block *
new_block(struct src *s, struct cfg_block *parent, const struct cfg_token *t)
{
	struct config *cfg = s->ps->cfg;
	struct cfg_block *b, **bl;

	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 8;

		if ((bl = realloc(cfg->blocks, cap * sizeof(*bl))) == NULL)
			return NULL;
		cfg->blocks = bl;
		cfg->cap = cap;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->id = (unsigned)cfg->n;
	b->parent = parent;
	b->file = s->file;
	b->line = t->line;
	cfg->blocks[cfg->n++] = b;
	return b;
}

static int
parse_body(struct src *s, struct cfg_block *b)
{
	struct cfg_token open = s->tok;

	if (++s->ps->nest > CFG_MAX_NESTING)
		return cfg_error_r(s, CFG_E_LIMIT, &open,
			"conditions nested too deeply", 0);
	if (cfg_expect(s, T_LBRACE, "to open the block") ||
		cfg_parse_stmts(s, b, 1))
		return -1;
	s->ps->nest--;
	return cfg_expect(s, T_RBRACE, "to close the block");
}

/*
 * lighttpd keeps one block per condition within a parent: writing the same
 * condition again (after the =~ simplification) adds to the first block,
 * at the first block's place in the order (checked against lighttpd -p).
 */
static struct cfg_block *
find_twin(const struct config *cfg, const struct cfg_block *b)
{
	for (size_t i = 0; i < b->id; i++) {
		const struct cfg_block *t = cfg->blocks[i];

		if (t->parent == b->parent && t->op != CFG_OP_ELSE &&
			t->op == b->op && t->field == b->field &&
			t->pattern_len == b->pattern_len &&
			memcmp(t->pattern, b->pattern, b->pattern_len) == 0)
			return cfg->blocks[i];
	}
	return NULL;
}

static void
drop_last(struct config *cfg)
{
	struct cfg_block *b = cfg->blocks[--cfg->n];

	free(b->pattern);
	if (b->has_re)
		regfree(&b->re);
	free(b);
}

/* Has block b an else already? A second one could never apply. */
static int
has_else(const struct config *cfg, const struct cfg_block *b)
{
	for (size_t i = b->id + 1; i < cfg->n; i++)
		if (cfg->blocks[i]->prev == b)
			return 1;
	return 0;
}

/* $HTTP["field"] op "pattern" { ... } [else ...] (CONF-COND-1..). */
static int
parse_cond(struct src *s, struct cfg_block *parent, struct cfg_block *prev,
	struct cfg_block **out)
{
	struct cfg_token start = s->tok, at;
	struct cfg_block *b, *twin;
	struct cfg_value v;
	enum cfg_field field = CFG_F_URL;
	enum cfg_op op;
	char *dollar = s->tok.text;

	s->tok.text = NULL;
	if (cfg_next(s) || cfg_expect(s, T_LBRACK, "after the condition name"))
		goto fail;
	if (s->tok.type != T_STRING) {
		cfg_error_at(s, &s->tok, "expected a quoted field name", 0);
		goto fail;
	}
	if (parse_field(s, dollar, s->tok.text, &field) || cfg_next(s) ||
		cfg_expect(s, T_RBRACK, "after the field name"))
		goto fail;
	at = s->tok;
	if (at.type != T_CMP) {
		cfg_error_at(s, &at, "expected ==, !=, =~, !~, =^ or =$", 0);
		goto fail;
	}
	op = at.op;
	if (field == CFG_F_SOCKET && op != CFG_OP_EQ) {
		cfg_error_r(s, CFG_E_COND, &at,
			"$SERVER[\"socket\"] only takes ==", 0);
		goto fail;
	}
	if (cfg_next(s))
		goto fail;
	at = s->tok;
	if (cfg_parse_expr(s, parent, &v))
		goto fail;
	if (v.type != CFG_STRING) {
		cfg_value_clear(&v);
		cfg_error_at(s, &at, "a condition compares with a string", 0);
		goto fail;
	}
	free(dollar);
	dollar = NULL;
	if ((b = new_block(s, parent, &start)) == NULL) {
		cfg_value_clear(&v);
		return cfg_error_at(s, &start, "out of memory", 0);
	}
	b->prev = prev;
	b->field = field;
	b->op = op;
	b->pattern = v.str;
	b->pattern_len = v.len;
	if (cfg_block_compile(b, s->ps->d, at.col)) {
		s->ps->failed = 1;
		return -1;
	}
	if ((twin = find_twin(s->ps->cfg, b)) != NULL) {
		drop_last(s->ps->cfg);
		if (prev != NULL || twin->prev != NULL)
			return cfg_error_r(s, CFG_E_COND, &start,
				"unreachable else condition: the same "
				"condition is already used in this block",
				0);
		b = twin;
	}
	*out = b;
	return parse_body(s, b);
fail:
	free(dollar);
	return -1;
}

/* A condition and its else chain. */
int
cfg_parse_chain(struct src *s, struct cfg_block *parent)
{
	struct cfg_block *b = NULL, *e;
	struct cfg_token at;
	unsigned links = 0;

	if (parse_cond(s, parent, NULL, &b))
		return -1;
	while (s->tok.type == T_NAME) {
		if (strcmp(s->tok.text, "elseif") == 0 ||
			strcmp(s->tok.text, "elsif") == 0)
			return cfg_error_at(s, &s->tok, "lighttpd 1.4 has no ",
				"elseif: write else $HTTP[...] { }");
		if (strcmp(s->tok.text, "else") != 0)
			break;
		at = s->tok;
		/* Bounded so evaluating a chain cannot run out of stack. */
		if (++links > CFG_MAX_ELSE_CHAIN)
			return cfg_error_r(
				s, CFG_E_LIMIT, &at, "else chain too long", 0);
		if (b->op == CFG_OP_ELSE)
			return cfg_error_at(s, &at,
				"unreachable condition "
				"following else catch-all",
				0);
		if (has_else(s->ps->cfg, b))
			return cfg_error_r(s, CFG_E_COND, &at,
				"unreachable else condition: this block "
				"already has an else",
				0);
		if (cfg_next(s))
			return -1;
		if (s->tok.type == T_DOLLAR) {
			if (parse_cond(s, parent, b, &e))
				return -1;
		} else {
			if ((e = new_block(s, parent, &at)) == NULL)
				return cfg_error_at(s, &at, "out of memory", 0);
			e->prev = b;
			e->op = CFG_OP_ELSE;
			e->field = b->field;
			if (parse_body(s, e))
				return -1;
		}
		b = e;
	}
	return 0;
}
