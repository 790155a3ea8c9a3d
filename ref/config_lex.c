/*
 * Tokenizer for lighttpd's configuration language (CONF-LEX-*).
 *
 * Whitespace and newlines only separate tokens: lighttpd needs no ';'
 * between statements. '#' starts a comment to the end of the line.
 * Strings are "..."; the only escape is \" (CONF-LEX-3): any other
 * backslash is kept as it is, exactly as lighttpd 1.4 does, so regexes
 * such as "\.php$" need no doubling. Integers are plain decimal digits;
 * lighttpd 1.4 has no unit suffixes, so "10k" is an error here rather
 * than a silent 10.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

void
cfg_lex_init(struct cfg_lexer *lx, const char *text, size_t len)
{
	lx->p = text;
	lx->end = text + len;
	lx->line_start = text;
	lx->line = 1;
}

void
cfg_tok_free(struct cfg_token *tok)
{
	free(tok->text);
	tok->text = NULL;
}

static int
is_name_char(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

static void
set_text(struct cfg_token *tok, enum cfg_tok type, const char *p, size_t n)
{
	tok->type = type;
	tok->text = malloc(n + 1);
	if (tok->text == NULL) {
		tok->type = T_ERROR;
		return;
	}
	memcpy(tok->text, p, n);
	tok->text[n] = '\0';
	tok->len = n;
}

static void
set_error(struct cfg_token *tok, const char *msg)
{
	set_text(tok, T_ERROR, msg, strlen(msg));
}

/* A string body: copy with \" turned into ", nothing else touched. */
static void
lex_string(struct cfg_lexer *lx, struct cfg_token *tok)
{
	const char *p = lx->p + 1, *start = p;
	size_t n = 0;
	char *out;

	for (; p < lx->end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < lx->end && p[1] == '"')
			p++;
		else if (*p == '\0') {
			set_error(tok, "NUL byte inside a string");
			return;
		} else if (*p == '\n') {
			lx->line++;
			lx->line_start = p + 1;
		}
		n++;
	}
	if (p >= lx->end) {
		set_error(tok, "missing closing quote");
		lx->p = lx->end;
		return;
	}
	if ((out = malloc(n + 1)) == NULL) {
		set_error(tok, "out of memory");
		return;
	}
	tok->type = T_STRING;
	tok->text = out;
	tok->len = n;
	for (const char *q = start; q < p; q++) {
		if (*q == '\\' && q + 1 < p && q[1] == '"')
			q++;
		*out++ = *q;
	}
	*out = '\0';
	lx->p = p + 1;
}

static void
lex_int(struct cfg_lexer *lx, struct cfg_token *tok)
{
	const char *p = lx->p;
	long long v = 0;

	for (; p < lx->end && isdigit((unsigned char)*p); p++) {
		if (v > (CFG_INT_MAX - (*p - '0')) / 10) {
			set_error(tok, "integer out of range");
			lx->p = p;
			return;
		}
		v = v * 10 + (*p - '0');
	}
	if (p < lx->end && is_name_char((unsigned char)*p)) {
		set_error(tok,
			"an integer is digits only (lighttpd 1.4 has no "
			"unit suffixes)");
		lx->p = p;
		return;
	}
	tok->type = T_INT;
	tok->num = v;
	lx->p = p;
}

/* Two-character operators, longest first. */
static int
lex_op(struct cfg_lexer *lx, struct cfg_token *tok)
{
	static const struct {
		char s[3];
		enum cfg_tok t;
		enum cfg_op op;
	} ops[] = {
		{"==", T_CMP, CFG_OP_EQ},
		{"!=", T_CMP, CFG_OP_NE},
		{"=~", T_CMP, CFG_OP_MATCH},
		{"!~", T_CMP, CFG_OP_NOMATCH},
		{"=^", T_CMP, CFG_OP_PREFIX},
		{"=$", T_CMP, CFG_OP_SUFFIX},
		{"=>", T_ARROW, 0},
		{"+=", T_APPEND, 0},
		{":=", T_FORCE, 0},
	};

	if (lx->end - lx->p < 2)
		return 0;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (lx->p[0] == ops[i].s[0] && lx->p[1] == ops[i].s[1]) {
			tok->type = ops[i].t;
			tok->op = ops[i].op;
			lx->p += 2;
			return 1;
		}
	}
	return 0;
}

void
cfg_lex_next(struct cfg_lexer *lx, struct cfg_token *tok)
{
	const char *p;

	memset(tok, 0, sizeof(*tok));
	for (;;) {
		while (lx->p < lx->end &&
			(*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' ||
				*lx->p == '\n')) {
			if (*lx->p == '\n') {
				lx->line++;
				lx->line_start = lx->p + 1;
			}
			lx->p++;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			/* A CR ends a comment too, as in lighttpd. */
			while (lx->p < lx->end && *lx->p != '\n' &&
				*lx->p != '\r' && *lx->p)
				lx->p++;
			/* A NUL means a binary file, even in a comment
			 * (lighttpd: "stray NUL"). */
			if (lx->p < lx->end && *lx->p == '\0')
				break;
			continue;
		}
		break;
	}
	tok->line = lx->line;
	tok->col = (unsigned)(lx->p - lx->line_start) + 1;
	if (lx->p >= lx->end) {
		tok->type = T_EOF;
		return;
	}
	if (lex_op(lx, tok))
		return;
	p = lx->p;
	switch (*p) {
	case '"': lex_string(lx, tok); return;
	case '=': tok->type = T_ASSIGN; break;
	case '+': tok->type = T_PLUS; break;
	case '(': tok->type = T_LPAREN; break;
	case ')': tok->type = T_RPAREN; break;
	case ',': tok->type = T_COMMA; break;
	case '{': tok->type = T_LBRACE; break;
	case '}': tok->type = T_RBRACE; break;
	case '[': tok->type = T_LBRACK; break;
	case ']': tok->type = T_RBRACK; break;
	case '$':
		for (p++; p < lx->end && isalpha((unsigned char)*p); p++)
			;
		set_text(tok, T_DOLLAR, lx->p, (size_t)(p - lx->p));
		lx->p = p;
		return;
	default:
		if (isdigit((unsigned char)*p)) {
			lex_int(lx, tok);
			return;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			while (p < lx->end && is_name_char((unsigned char)*p))
				p++;
			set_text(tok, T_NAME, lx->p, (size_t)(p - lx->p));
			lx->p = p;
			return;
		}
		if (*p == '\0')
			set_error(tok, "stray NUL byte");
		else if (*p == ';')
			set_error(tok,
				"unexpected ';' (lighttpd needs no "
				"statement separator)");
		else
			set_error(tok, "unexpected character");
		lx->p++;
		return;
	}
	lx->p++;
}

const char *
cfg_tok_name(enum cfg_tok t)
{
	switch (t) {
	case T_EOF: return "end of file";
	case T_STRING: return "string";
	case T_INT: return "integer";
	case T_NAME: return "name";
	case T_DOLLAR: return "'$'";
	case T_ASSIGN: return "'='";
	case T_APPEND: return "'+='";
	case T_FORCE: return "':='";
	case T_PLUS: return "'+'";
	case T_LPAREN: return "'('";
	case T_RPAREN: return "')'";
	case T_COMMA: return "','";
	case T_ARROW: return "'=>'";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_LBRACK: return "'['";
	case T_RBRACK: return "']'";
	case T_CMP: return "comparison";
	case T_ERROR: return "error";
	}
	return "?";
}
