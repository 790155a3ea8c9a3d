/*
 * Reader for the spec/vectors .vec files and the split-feeding harness the
 * codec unit tests share. Format: spec/vectors/README.md.
 */
#include "test/vec.h"

#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void
die(const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: bad vector file: %s\n", file, line, msg);
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xmalloc(n);

	memcpy(d, s, n);
	return d;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

struct bytes {
	uint8_t *p;
	size_t len, cap;
};

static void
bytes_put(struct bytes *b, const void *p, size_t n)
{
	if (n == 0) /* nothing to add; b->p may still be NULL */
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL)
			exit(2);
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/*
 * Parse `"escaped string" [* N]` from s and append it N times to b.
 * Escapes: \r \n \t \0 \\ \" \xHH.
 */
static void
parse_quoted(struct bytes *b, const char *s, const char *file, int line)
{
	struct bytes one = {0};
	const char *p = s;
	unsigned long rep = 1;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		die(file, line, "in: expects a double-quoted string");
	for (;;) {
		uint8_t c;

		if (*p == '\0')
			die(file, line, "unterminated string");
		if (*p == '"')
			break;
		if (*p != '\\') {
			c = (uint8_t)*p++;
			bytes_put(&one, &c, 1);
			continue;
		}
		p++;
		switch (*p) {
		case 'r': c = '\r'; break;
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case '0': c = '\0'; break;
		case '\\': c = '\\'; break;
		case '"': c = '"'; break;
		case 'x': {
			int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);

			if (l < 0)
				die(file, line, "\\x needs two hex digits");
			c = (uint8_t)(h << 4 | l);
			p += 2;
			break;
		}
		default: die(file, line, "unknown escape");
		}
		p++;
		bytes_put(&one, &c, 1);
	}
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '*') {
		char *end;

		rep = strtoul(p + 1, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (end == p + 1 || *end != '\0' || rep == 0 || rep > 1 << 24)
			die(file, line, "bad repeat count after *");
	} else if (*p != '\0') {
		die(file, line, "junk after string");
	}
	while (rep-- > 0)
		bytes_put(b, one.p ? one.p : (const uint8_t *)"", one.len);
	free(one.p);
}

static void
parse_hex(struct bytes *b, const char *s, const char *file, int line)
{
	for (const char *p = s; *p;) {
		int h, l;
		uint8_t c;

		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		h = hexval(p[0]);
		l = h < 0 ? -1 : hexval(p[1]);
		if (l < 0)
			die(file, line, "in-hex: expects pairs of hex digits");
		c = (uint8_t)(h << 4 | l);
		bytes_put(b, &c, 1);
		p += 2;
	}
}

static void
finish(struct vec_set *s, struct vec *v, struct bytes *in, const char *file)
{
	if (v->id == NULL)
		return;
	if (v->rule == NULL || v->source == NULL || v->result == NULL)
		die(file, v->line, "vector needs rule:, source: and result:");
	if (strncmp(v->result, "ok", 2) != 0 &&
		strcmp(v->result, "partial") != 0 &&
		strncmp(v->result, "error ", 6) != 0)
		die(file, v->line,
			"result: must be ok [N], partial or error R");
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].id, v->id) == 0)
			die(file, v->line, "duplicate id");
	if (v->opts == NULL)
		v->opts = xstrdup("");
	/* Exact-size copy so an over-read is caught even in whole feeding. */
	v->in = xmalloc(in->len);
	if (in->len)
		memcpy(v->in, in->p, in->len);
	v->in_len = in->len;
	in->len = 0;
	s->v = realloc(s->v, (s->n + 1) * sizeof(*s->v));
	if (s->v == NULL)
		exit(2);
	s->v[s->n++] = *v;
	memset(v, 0, sizeof(*v));
}

static char *
trim(char *s)
{
	size_t n = strlen(s);

	while (n &&
		(s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
			s[n - 1] == '\t'))
		s[--n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

void
vec_load_file(struct vec_set *s, const char *path)
{
	char full[4096], buf[1 << 16], *fname;
	struct vec v = {0};
	struct bytes in = {0};
	FILE *f;
	int line = 0;

	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(
			full, sizeof(full), "%s/vectors/%s", GH_SPEC_DIR, path);
	f = fopen(full, "r");
	if (f == NULL)
		die(full, 0, "cannot open");
	fname = xstrdup(full);
	s->files = realloc(s->files, (s->n_files + 1) * sizeof(char *));
	if (s->files == NULL)
		exit(2);
	s->files[s->n_files++] = fname;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *k = buf, *val;

		line++;
		if (strchr(buf, '\n') == NULL && !feof(f))
			die(fname, line, "line too long");
		if (buf[0] == '#')
			continue;
		k = trim(buf);
		if (*k == '\0')
			continue;
		val = strchr(k, ':');
		if (val == NULL)
			die(fname, line, "expected key: value");
		*val++ = '\0';
		val = trim(val);
		if (strcmp(k, "id") == 0) {
			finish(s, &v, &in, fname);
			v.file = fname;
			v.line = line;
			v.id = xstrdup(val);
			continue;
		}
		if (v.id == NULL)
			die(fname, line, "field before the first id:");
		if (strcmp(k, "rule") == 0)
			v.rule = xstrdup(val);
		else if (strcmp(k, "source") == 0)
			v.source = xstrdup(val);
		else if (strcmp(k, "opts") == 0)
			v.opts = xstrdup(val);
		else if (strcmp(k, "result") == 0)
			v.result = xstrdup(val);
		else if (strcmp(k, "in") == 0)
			parse_quoted(&in, val, fname, line);
		else if (strcmp(k, "in-hex") == 0)
			parse_hex(&in, val, fname, line);
		else if (strcmp(k, "expect") == 0) {
			if (v.n_expect == VEC_MAX_EXPECT)
				die(fname, line, "too many expect lines");
			v.expect[v.n_expect++] = xstrdup(val);
		} else
			die(fname, line, "unknown key");
	}
	finish(s, &v, &in, fname);
	free(in.p);
	fclose(f);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
vec_load_dir(struct vec_set *s, const char *subdir)
{
	char dir[4096], path[8192];
	char *names[1024];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/vectors/%s", GH_SPEC_DIR, subdir);
	d = opendir(dir);
	if (d == NULL)
		die(dir, 0, "cannot open vector folder");
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".vec") == 0 && n < 1024)
			names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		vec_load_file(s, path);
		free(names[i]);
	}
	if (s->n == 0)
		die(dir, 0, "no vectors");
}

void
vec_set_free(struct vec_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct vec *v = &s->v[i];

		free(v->id);
		free(v->rule);
		free(v->source);
		free(v->opts);
		free(v->result);
		free(v->in);
		for (size_t j = 0; j < v->n_expect; j++)
			free(v->expect[j]);
	}
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->v);
	free(s->files);
	memset(s, 0, sizeof(*s));
}

int
vec_has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == wl && memcmp(p, word, wl) == 0)
			return 1;
		p = e;
	}
	return 0;
}

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
	char *tmp = xmalloc(n * 4 + 1);

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
	p = xmalloc(n);
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
	struct vec_piece *pc = xmalloc((ncuts + 1) * sizeof(*pc));
	size_t from = 0;

	for (size_t i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : v->in_len;
		uint8_t *p = xmalloc(to - from);

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
	struct vec_out *want = xmalloc(sizeof(*want));
	struct vec_out *got = xmalloc(sizeof(*got));

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
	struct vec_out *want = xmalloc(sizeof(*want));
	struct vec_out *got = xmalloc(sizeof(*got));
	size_t n = v->in_len, *cuts = xmalloc((n + 1) * sizeof(size_t));
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
	struct CMUnitTest *t = xmalloc(s->n * sizeof(*t));
	struct vec_case *c = xmalloc(s->n * sizeof(*c));
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
