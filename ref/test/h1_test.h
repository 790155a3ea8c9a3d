/*
 * What the HTTP/1.1 head tests share: the vectors' opts words mapped to
 * struct h1_opts (spec/http1.md "Options") and the "field=" rendering.
 * Included by test_h1_request.c and test_h1_response.c only.
 */
#ifndef GH_TEST_H1_TEST_H
#define GH_TEST_H1_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/h1.h"
#include "test/vec.h"

#define CAP 4096

static struct field fields[CAP];

/* Map a vector's opts words (spec/http1.md "Options") to struct h1_opts;
 * "fields-cap=N" sets the caller's array size instead. */
static size_t
parse_opts(const char *list, struct h1_opts *o)
{
	size_t cap = CAP;
	const char *p = list;

	memset(o, 0, sizeof(*o));
	while (p && *p) {
		char w[64];
		size_t n = strcspn(p, " ");
		unsigned long v;

		snprintf(w, sizeof(w), "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		if (strcmp(w, "lenient-bare-lf") == 0)
			o->flags |= H1_LENIENT_BARE_LF;
		else if (strcmp(w, "lenient-no-reason-sp") == 0)
			o->flags |= H1_LENIENT_NO_REASON_SP;
		else if (strcmp(w, "lenient-target-chars") == 0)
			o->flags |= H1_LENIENT_TARGET_CHARS;
		else if (sscanf(w, "max-line=%lu", &v) == 1)
			o->max_line = v;
		else if (sscanf(w, "max-field-line=%lu", &v) == 1)
			o->max_field_line = v;
		else if (sscanf(w, "max-fields=%lu", &v) == 1)
			o->max_fields = v;
		else if (sscanf(w, "max-head=%lu", &v) == 1)
			o->max_head = v;
		else if (sscanf(w, "fields-cap=%lu", &v) == 1 && v <= CAP)
			cap = v;
		else
			fail_msg("unknown opts word %s", w);
	}
	return cap;
}

/* "field=Name: value", both escaped as in .vec files. */
static void
out_field(struct vec_out *out, const struct field *f)
{
	size_t nc = f->name.len * 4 + 6, vc = f->value.len * 4 + 6;
	char *n = malloc(nc), *v = malloc(vc);

	assert_non_null(n);
	assert_non_null(v);
	vec_escape(n, nc, f->name.p, f->name.len);
	vec_escape(v, vc, f->value.p, f->value.len);
	/* An empty value renders as "field=Name:" (expect lines are trimmed). */
	vec_out_line(out, "field=%s:%s%s", n, f->value.len ? " " : "", v);
	free(n);
	free(v);
}

#endif
