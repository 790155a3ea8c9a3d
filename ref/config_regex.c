/*
 * Regex admission (CONF-COND-6, CONF-LIMIT-1): is a config regex safe to
 * hand to regcomp(REG_EXTENDED) in place of lighttpd's PCRE2?
 *
 * Three questions, each a reason to refuse at load instead of misbehaving
 * per request. Is it UTF-8 (lighttpd compiles with PCRE2_UTF, so it would
 * refuse too)? Does it use PCRE syntax that POSIX reads differently (\d,
 * \s, (?i), lazy and possessive quantifiers)? And is its compiled size
 * bounded: glibc expands a{m,n} by copying the atom and can need gigabytes
 * for stacked quantifiers such as "\++++..." or nested counts such as
 * "((a{200}){200}){200}", which fz_config found. We estimate the expanded
 * size by a small recursive scan and refuse anything over REGEX_MAX_COST.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define REGEX_MAX_LEN  4096  /* bytes of pattern */
#define REGEX_MAX_COST 20000 /* atoms after expanding repetitions */

/* Well-formed UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
static int
utf8_valid(const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		unsigned c = *p++, need, min, cp;

		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) < need)
			return 0;
		for (; need > 0; need--, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

struct scan {
	const char *p, *end;
	const char *why;
	char *buf;
	size_t cap;
	int depth;
};

static unsigned long
cap_mul(unsigned long a, unsigned long b)
{
	return a > REGEX_MAX_COST || b > REGEX_MAX_COST ||
			a * b > REGEX_MAX_COST
		? REGEX_MAX_COST + 1
		: a * b;
}

/* After an atom: its quantifier's multiplier, 1 if none. */
static unsigned long
quantifier(struct scan *s)
{
	unsigned long m = 1, lo, hi;
	char *e;

	if (s->p >= s->end)
		return 1;
	if (*s->p == '*' || *s->p == '+' || *s->p == '?') {
		s->p++;
		m = 2;
	} else if (*s->p == '{' && s->p + 1 < s->end &&
		isdigit((unsigned char)s->p[1])) {
		lo = strtoul(s->p + 1, &e, 10);
		hi = lo;
		if (*e == ',')
			hi = isdigit((unsigned char)e[1])
				? strtoul(e + 1, &e, 10)
				: (e++, lo + 1);
		if (*e != '}') {
			s->why = "malformed {m,n} repetition";
			return 1;
		}
		s->p = e + 1;
		m = (hi > lo ? hi : lo) + 1;
	} else
		return 1;
	/* PCRE reads X+? as lazy and X++ as possessive; POSIX differently. */
	if (s->p < s->end && strchr("*+?{", *s->p) != NULL)
		s->why = "stacked quantifiers (PCRE lazy or possessive "
			 "repetition) have no POSIX equivalent";
	return m;
}

static unsigned long alternation(struct scan *s);

static unsigned long
atom(struct scan *s)
{
	const char *p = s->p;

	if (*p == '\\') {
		if (p + 1 >= s->end) {
			s->why = "trailing backslash";
			return 1;
		}
		if (isalpha((unsigned char)p[1]) || p[1] == '0') {
			snprintf(s->buf, s->cap,
				"PCRE escape \\%c has no POSIX equivalent here "
				"(for \\d \\s \\w use [0-9] [[:space:]] "
				"[[:alnum:]_])",
				p[1]);
			s->why = s->buf;
		}
		s->p += 2;
		return 1;
	}
	if (*p == '[') {
		/* A bracket is one atom: skip to its ']' ("[]a]", "[^]a]" and
		 * "[[:alpha:]]" included); regcomp judges the inside. */
		p++;
		if (p < s->end && *p == '^')
			p++;
		if (p < s->end && *p == ']')
			p++;
		while (p < s->end && *p != ']') {
			if (*p == '[' && p + 1 < s->end &&
				strchr(":.=", p[1])) {
				const char *q = strchr(p + 2, p[1]);

				p = q != NULL && q + 1 < s->end ? q + 2
								: s->end;
			} else
				p++;
		}
		s->p = p < s->end ? p + 1 : p;
		return 1;
	}
	if (*p == '(') {
		unsigned long n;

		if (p + 1 < s->end && p[1] == '?') {
			s->why = "PCRE group syntax (?...) not supported by "
				 "POSIX regex";
			return 1;
		}
		if (++s->depth > CFG_MAX_NESTING) {
			s->why = "groups nested too deeply";
			return 1;
		}
		s->p++;
		n = alternation(s);
		s->depth--;
		if (s->p < s->end && *s->p == ')')
			s->p++;
		return n;
	}
	s->p++;
	return 1;
}

static unsigned long
alternation(struct scan *s)
{
	unsigned long total = 0, a;

	while (s->p < s->end && *s->p != ')' && s->why == NULL) {
		if (*s->p == '|') {
			s->p++;
			continue;
		}
		a = atom(s);
		a = cap_mul(a, quantifier(s));
		total += a;
		if (total > REGEX_MAX_COST) {
			s->why =
				"regex too large once repetitions are expanded";
			break;
		}
	}
	return total ? total : 1;
}

const char *
cfg_regex_check(const char *p, size_t n, char *buf, size_t cap)
{
	struct scan s = {p, p + n, NULL, buf, cap, 0};

	if (n > REGEX_MAX_LEN)
		return "regex longer than 4096 bytes";
	if (!utf8_valid((const unsigned char *)p, (const unsigned char *)p + n))
		return "not valid UTF-8";
	while (s.p < s.end && s.why == NULL) {
		alternation(&s);
		if (s.p < s.end && *s.p == ')')
			s.why = "unmatched ')'"; /* PCRE refuses it too */
	}
	return s.why;
}
