/*
 * Reader for the spec/vectors .vec files (format: spec/vectors/README.md).
 * The split-feeding harness that uses them is vec_check.c.
 */
#include "test/vec.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
die(const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: bad vector file: %s\n", file, line, msg);
	exit(2);
}

void *
vec_xmalloc(size_t n)
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
	char *d = vec_xmalloc(n);

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
	v->in = vec_xmalloc(in->len);
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
