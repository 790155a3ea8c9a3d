/*
 * `gatehouse -p`: print the loaded config normalised, in the layout of
 * `lighttpd -p` (CONF-PRINT-1), so the two can be diffed line by line:
 * values fully computed, keys aligned per block, short scalar lists on
 * one line, each block numbered and its end marked. Strings are printed
 * with only '"' escaped, which is the inverse of the lexer's one escape.
 */
#include <string.h>

#include "config_int.h"

static void
indent(FILE *out, int depth)
{
	fprintf(out, "%*s", depth * 4, "");
}

/* In a "# end of" comment a line break would end the comment early, so
 * there (only) CR and LF print as spaces. */
static void
print_str(FILE *out, const char *s, size_t len, int comment)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('\\', out);
		fputc(comment && (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i],
			out);
	}
	fputc('"', out);
}

static void
print_string(FILE *out, const char *s, size_t len)
{
	print_str(out, s, len, 0);
}

static void print_value(FILE *out, const struct cfg_value *v, int depth);

/* lighttpd: up to 5 scalars, the first without a key, go on one line. */
static int
one_line(const struct cfg_value *a)
{
	if (a->n > 5 || (a->n > 0 && a->items[0].key != NULL))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].type == CFG_ARRAY)
			return 0;
	return 1;
}

static void
print_array(FILE *out, const struct cfg_value *a, int depth)
{
	size_t w = 0;

	if (one_line(a)) {
		fputc('(', out);
		for (size_t i = 0; i < a->n; i++) {
			if (i)
				fputs(", ", out);
			print_value(out, &a->items[i], depth);
		}
		fputc(')', out);
		return;
	}
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].key && strlen(a->items[i].key) > w)
			w = strlen(a->items[i].key);
	fputs("(\n", out);
	for (size_t i = 0; i < a->n; i++) {
		const struct cfg_value *e = &a->items[i];

		indent(out, depth + 1);
		if (e->key != NULL) {
			print_string(out, e->key, strlen(e->key));
			fprintf(out, "%*s => ", (int)(w - strlen(e->key)), "");
		}
		print_value(out, e, depth + 1);
		fputs(",\n", out);
	}
	indent(out, depth);
	fputc(')', out);
}

static void
print_value(FILE *out, const struct cfg_value *v, int depth)
{
	switch (v->type) {
	case CFG_STRING: print_string(out, v->str, v->len); break;
	case CFG_INT: fprintf(out, "%lld", v->num); break;
	case CFG_ARRAY: print_array(out, v, depth); break;
	}
}

static void
print_cond(FILE *out, const struct cfg_block *b, int comment)
{
	if (b->op == CFG_OP_ELSE) {
		fputs("else", out);
		return;
	}
	fprintf(out, "%s %s ", cfg_field_names[b->field], cfg_op_names[b->op]);
	print_str(out, b->pattern, b->pattern_len, comment);
}

static void
print_block(FILE *out, const struct config *cfg, const struct cfg_block *b,
	int depth, unsigned flags)
{
	size_t w = 0;

	for (size_t i = 0; i < b->n; i++)
		if (strlen(b->settings[i].name) > w)
			w = strlen(b->settings[i].name);
	for (size_t i = 0; i < b->n; i++) {
		const struct cfg_setting *st = &b->settings[i];

		/* Width above still counts them, so the rest lines up as in
		 * lighttpd -p. */
		if ((flags & CFG_PRINT_NO_BUILTIN) &&
			strcmp(st->file, CFG_BUILTIN_FILE) == 0)
			continue;
		indent(out, depth);
		fprintf(out, "%-*s = ", (int)w, st->name);
		print_value(out, &st->val, depth);
		fputc('\n', out);
	}
	fputc('\n', out);
	for (size_t i = b->id + 1; i < cfg->n; i++) {
		const struct cfg_block *c = cfg->blocks[i];

		if (c->parent != b)
			continue;
		if (c->prev == NULL)
			fputc('\n', out);
		indent(out, depth);
		if (c->prev != NULL)
			fputs("else ", out);
		if (c->op != CFG_OP_ELSE) {
			print_cond(out, c, 0);
			fputc(' ', out);
		}
		fputs("{\n", out);
		indent(out, depth + 1);
		fprintf(out, "# block %u\n", c->id);
		print_block(out, cfg, c, depth + 1, flags);
		indent(out, depth);
		fputs("} # end of ", out);
		print_cond(out, c, 1);
		fputc('\n', out);
	}
}

void
config_print_ex(const struct config *cfg, FILE *out, unsigned flags)
{
	fputs("config {\n", out);
	print_block(out, cfg, cfg->blocks[0], 1, flags);
	fputs("}\n", out);
}

void
config_print(const struct config *cfg, FILE *out)
{
	config_print_ex(cfg, out, 0);
}
