/*
 * The split-feeding harness of the codec unit tests: what a driver
 * renders (vec_out_*), and vec_check(), which compares the rendering of a
 * vector's whole input with its expectations and with every split,
 * byte-at-a-time and random-cut feeding. Contract in vec.h.
 */
#include "test/vec.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

void
vec_out_reset(struct vec_out *o)
{
	o->result[0] = '\0';
	o->text[0] = '\0';
	o->len = 0;
	o->n_lines = 0;
	o->overflow = 0;
}

void
vec_out_result(struct vec_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->result, sizeof(o->result), fmt, ap);
	va_end(ap);
}

void
vec_out_line(struct vec_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->text + o->len, VEC_OUT_MAX - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 2 > VEC_OUT_MAX - o->len) {
		o->overflow = 1;
		o->text[o->len] = '\0';
		return;
	}
	o->len += (size_t)n;
	o->text[o->len++] = '\n';
	o->text[o->len] = '\0';
	o->n_lines++;
}

void
vec_escape(char *dst, size_t cap, const void *p, size_t n)
{
	const uint8_t *s = p;
	size_t j = 0;

	/* Each byte needs at most 4 characters (\xHH), plus the final NUL. */
	for (size_t i = 0; i < n && j + 4 < cap; i++) {
		uint8_t c = s[i];

		if (c == '\r') {
			dst[j++] = '\\';
			dst[j++] = 'r';
		} else if (c == '\n') {
			dst[j++] = '\\';
			dst[j++] = 'n';
		} else if (c == '\t') {
			dst[j++] = '\\';
			dst[j++] = 't';
		} else if (c == '\\' || c == '"') {
			dst[j++] = '\\';
			dst[j++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			j += (size_t)snprintf(dst + j, cap - j, "\\x%02x", c);
		} else {
			dst[j++] = (char)c;
		}
	}
	dst[j] = '\0';
}

void
vec_out_bytes(struct vec_out *o, const char *prefix, const void *p, size_t n)
{
	char *tmp = vec_xmalloc(n * 4 + 1);

	vec_escape(tmp, n * 4 + 1, p, n);
	vec_out_line(o, "%s%s", prefix, tmp);
	free(tmp);
}

uint8_t *
vec_join(const struct vec_piece *pc, size_t npieces, size_t upto, size_t *len)
{
	size_t n = 0, off = 0;
	uint8_t *p;

	if (upto > npieces)
		upto = npieces;
	for (size_t i = 0; i < upto; i++)
		n += pc[i].len;
	p = vec_xmalloc(n);
	for (size_t i = 0; i < upto; i++) {
		memcpy(p + off, pc[i].p, pc[i].len);
		off += pc[i].len;
	}
	*len = n;
	return p;
}

/* Feed v cut at cuts[] through d into out, each piece in its own block. */
static void
run_cut(const struct vec *v, vec_driver d, const size_t *cuts, size_t ncuts,
	struct vec_out *out)
{
	struct vec_piece *pc = vec_xmalloc((ncuts + 1) * sizeof(*pc));
	size_t from = 0;

	for (size_t i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : v->in_len;
		uint8_t *p = vec_xmalloc(to - from);

		memcpy(p, v->in + from, to - from);
		pc[i].p = p;
		pc[i].len = to - from;
		from = to;
	}
	vec_out_reset(out);
	d(v, pc, ncuts + 1, out);
	for (size_t i = 0; i <= ncuts; i++)
		free((void *)pc[i].p);
	free(pc);
}

static void
report_diff(const struct vec *v, const char *what, const struct vec_out *want,
	const struct vec_out *got)
{
	/* Big vectors render big texts: show at most 1500 bytes of each, so
	 * one failure cannot flood a log. */
	int wl = want->len > 1500 ? 1500 : (int)want->len;
	int gl = got->len > 1500 ? 1500 : (int)got->len;

	print_error("%s:%d: vector %s (%s): %s\n  want result: %s\n"
		    "  got  result: %s\n  want:\n%.*s%s  got:\n%.*s%s",
		v->file, v->line, v->id, v->rule, what, want->result,
		got->result, wl, want->text,
		want->len > 1500 ? "...(cut)\n" : "", gl, got->text,
		got->len > 1500 ? "...(cut)\n" : "");
	fail();
}

static void
expected_out(const struct vec *v, struct vec_out *o)
{
	vec_out_reset(o);
	vec_out_result(o, "%s", v->result);
	for (size_t i = 0; i < v->n_expect; i++)
		vec_out_line(o, "%s", v->expect[i]);
}

static int
same(const struct vec_out *a, const struct vec_out *b)
{
	return strcmp(a->result, b->result) == 0 &&
		strcmp(a->text, b->text) == 0 && !a->overflow && !b->overflow;
}

/* A small deterministic PRNG so failures reproduce. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

void
vec_check_whole(const struct vec *v, vec_driver d)
{
	struct vec_out *want = vec_xmalloc(sizeof(*want));
	struct vec_out *got = vec_xmalloc(sizeof(*got));

	expected_out(v, want);
	run_cut(v, d, NULL, 0, got);
	if (!same(want, got))
		report_diff(v, "whole input", want, got);
	free(want);
	free(got);
}

void
vec_check(const struct vec *v, vec_driver d)
{
	struct vec_out *want = vec_xmalloc(sizeof(*want));
	struct vec_out *got = vec_xmalloc(sizeof(*got));
	size_t n = v->in_len, *cuts = vec_xmalloc((n + 1) * sizeof(size_t));
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ n;
	char what[128];

	vec_check_whole(v, d);
	expected_out(v, want);
	if (n < 2)
		goto out;
	/* Every single split point, or a sample for big inputs. */
	for (size_t k = 1; k < n; k++) {
		int take = n <= 4096;

		if (!take) {
			/* Line and record boundaries +-1. */
			for (int dk = -1; dk <= 1 && !take; dk++) {
				size_t j = k + (size_t)dk;
				take = j > 0 && j <= n && v->in[j - 1] == '\n';
			}
			take = take || rnd(&seed) % (n / 256 + 1) == 0;
		}
		if (!take)
			continue;
		run_cut(v, d, &k, 1, got);
		if (!same(want, got)) {
			snprintf(what, sizeof(what), "split at byte %zu", k);
			report_diff(v, what, want, got);
		}
	}
	/* Byte at a time. */
	if (n <= 4096) {
		for (size_t k = 1; k < n; k++)
			cuts[k - 1] = k;
		run_cut(v, d, cuts, n - 1, got);
		if (!same(want, got))
			report_diff(v, "byte-at-a-time feeding", want, got);
	}
	/* Random multi-cut feedings. */
	for (int r = 0; r < 64; r++) {
		size_t m = 1 + rnd(&seed) % (n < 16 ? n - 1 : 16), k = 0;

		for (size_t i = 0; i < m; i++)
			cuts[i] = 1 + rnd(&seed) % (n - 1);
		qsort(cuts, m, sizeof(size_t), cmp_size);
		for (size_t i = 0; i < m; i++)
			if (k == 0 || cuts[i] != cuts[k - 1])
				cuts[k++] = cuts[i];
		run_cut(v, d, cuts, k, got);
		if (!same(want, got)) {
			snprintf(what, sizeof(what),
				"random %zu-cut feeding #%d (first cut %zu)", k,
				r, cuts[0]);
			report_diff(v, what, want, got);
		}
	}
out:
	free(cuts);
	free(want);
	free(got);
}

struct vec_case {
	const struct vec *v;
	vec_driver d;
};

static void
run_case(void **state)
{
	struct vec_case *c = *state;

	vec_check(c->v, c->d);
}

int
vec_run_all(const char *group, const struct vec_set *s, vec_driver d)
{
	struct CMUnitTest *t = vec_xmalloc(s->n * sizeof(*t));
	struct vec_case *c = vec_xmalloc(s->n * sizeof(*c));
	int rc;

	for (size_t i = 0; i < s->n; i++) {
		c[i].v = &s->v[i];
		c[i].d = d;
		memset(&t[i], 0, sizeof(t[i]));
		t[i].name = s->v[i].id;
		t[i].test_func = run_case;
		t[i].initial_state = &c[i];
	}
	rc = _cmocka_run_group_tests(group, t, s->n, NULL, NULL);
	free(t);
	free(c);
	return rc;
}

void
vec_assert_reasons_covered(const struct vec_set *s, const char *const *reasons)
{
	int missing = 0;

	for (const char *const *r = reasons; *r; r++) {
		int seen = 0;

		for (size_t i = 0; i < s->n && !seen; i++)
			seen = strncmp(s->v[i].result, "error ", 6) == 0 &&
				strcmp(s->v[i].result + 6, *r) == 0;
		if (!seen) {
			print_error("no vector reaches error %s\n", *r);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}
