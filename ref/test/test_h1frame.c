/*
 * Unit tests for the framing decision (ref/codec/h1frame.[ch]): every
 * vector in spec/vectors/framing, read from the small text form of a head
 * that spec/http1-framing.md defines, checked whole; then named tests for
 * the options, the invariants and the helpers.
 * Rules: spec/http1-framing.md H1-FRAME-*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/h1frame.h"
#include "test/vec.h"

#define MAX_FIELDS 64

static int
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Next '\n'-ended line of p[*off..len) (the last may lack its '\n'). */
static struct slice
next_line(const char *p, size_t len, size_t *off)
{
	struct slice l = {p + *off, 0};

	while (*off + l.len < len && p[*off + l.len] != '\n')
		l.len++;
	*off += l.len + (*off + l.len < len);
	return l;
}

/*
 * "request 1.1 METHOD" or "response 1.1 STATUS METHOD", then "Name: value"
 * lines (spec/http1-framing.md "Input format of framing vectors").
 * Returns 0, or -1 when the text is not in that form.
 */
static int
parse_text(const char *p, size_t len, struct h1frame_msg *m, struct field *f)
{
	size_t off = 0;
	struct slice l = next_line(p, len, &off);
	const char *s = l.p, *e = l.p + l.len;
	int digits = 0;

	memset(m, 0, sizeof(*m));
	m->fields = f;
	if (l.len > 8 && memcmp(s, "request ", 8) == 0)
		m->is_request = 1, s += 8;
	else if (l.len > 9 && memcmp(s, "response ", 9) == 0)
		s += 9;
	else
		return -1;
	if (e - s < 4 ||
		(memcmp(s, "1.0 ", 4) != 0 && memcmp(s, "1.1 ", 4) != 0))
		return -1;
	m->version = s[2] == '0' ? 10 : 11;
	for (s += 4;
		!m->is_request && s < e && *s >= '0' && *s <= '9' && digits < 4;
		s++, digits++)
		m->status = m->status * 10 + (*s - '0');
	if (!m->is_request && (digits == 0 || s == e || *s++ != ' '))
		return -1;
	m->method.p = s;
	m->method.len = (size_t)(e - s);
	while (off < len) {
		const char *colon;
		struct field *x = &f[m->nfields];

		l = next_line(p, len, &off);
		if (l.len == 0)
			continue;
		if ((colon = memchr(l.p, ':', l.len)) == NULL ||
			m->nfields == MAX_FIELDS)
			return -1;
		x->name.p = l.p;
		x->name.len = (size_t)(colon - l.p);
		x->value.p = colon + 1;
		x->value.len = l.len - x->name.len - 1;
		while (x->value.len && is_ws(x->value.p[0]))
			x->value.p++, x->value.len--;
		while (x->value.len && is_ws(x->value.p[x->value.len - 1]))
			x->value.len--;
		m->nfields++;
	}
	return 0;
}

static unsigned
parse_opts(const char *words)
{
	unsigned o = 0;

	if (vec_has_word(words, "reject-cl-te"))
		o |= H1FRAME_REJECT_CL_TE;
	if (vec_has_word(words, "lenient-cl-list"))
		o |= H1FRAME_LENIENT_CL_LIST;
	if (vec_has_word(words, "strict-response-te"))
		o |= H1FRAME_STRICT_RESPONSE_TE;
	return o;
}

static void
driver(const struct vec *v, const struct vec_piece *pc, size_t npieces,
	struct vec_out *out)
{
	struct field f[MAX_FIELDS];
	struct h1frame_msg m;
	struct h1frame r;
	size_t len;
	uint8_t *in = vec_join(pc, npieces, npieces, &len);

	if (parse_text((const char *)in, len, &m, f) != 0) {
		vec_out_result(out, "bad framing vector text");
		free(in);
		return;
	}
	h1frame_decide(&m, parse_opts(v->opts), &r);
	if (r.kind == H1FRAME_ERROR)
		vec_out_result(out, "error %s", h1frame_reason_name(r.reason));
	else
		vec_out_result(out, "ok");
	vec_out_line(out, "kind=%s", h1frame_kind_name(r.kind));
	if (r.kind == H1FRAME_LENGTH || r.length != 0)
		vec_out_line(out, "length=%llu", (unsigned long long)r.length);
	vec_out_line(out, "must-close=%d", r.must_close);
	free(in);
}

static struct vec_set vectors;

static const char *const reasons[] = {"TE_HTTP10", "TE_INVALID",
	"TE_CHUNKED_TWICE", "TE_NOT_CHUNKED", "TE_UNSUPPORTED", "CL_INVALID",
	"CL_DUPLICATE", "CL_CONFLICT", "CL_AND_TE", NULL};

static void
check_vector(void **state)
{
	vec_check_whole(*state, driver);
}

static void
test_h1frame_every_reason_has_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&vectors, reasons);
}

static void
test_h1frame_names_are_distinct_and_total(void **state)
{
	(void)state;
	for (int r = H1FRAME_OK; r <= H1FRAME_CL_AND_TE; r++)
		for (int s = r + 1; s <= H1FRAME_CL_AND_TE; s++)
			assert_string_not_equal(
				h1frame_reason_name((enum h1frame_reason)r),
				h1frame_reason_name((enum h1frame_reason)s));
	assert_string_equal(
		h1frame_reason_name((enum h1frame_reason)99), "UNKNOWN");
	assert_string_equal(h1frame_kind_name(H1FRAME_NONE), "NONE");
	assert_string_equal(
		h1frame_kind_name((enum h1frame_kind)99), "UNKNOWN");
}

/* Decide for one field on a message built from the arguments. */
static struct h1frame
decide1(int is_request, int version, int status, const char *method,
	const char *name, const char *value, unsigned opts)
{
	struct field f = {{name, strlen(name)}, {value, strlen(value)}};
	struct h1frame_msg m = {
		is_request, {method, strlen(method)}, status, version, &f, 1};
	struct h1frame r;
	enum h1frame_kind k = h1frame_decide(&m, opts, &r);

	assert_int_equal(k, r.kind);
	return r;
}

static void
test_h1frame_error_always_sets_must_close(void **state)
{
	static const char *const bad[] = {
		"chunked, chunked", "gzip", "", "chunked;a=1", "gzip, chunked"};
	struct h1frame r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = decide1(1, 11, 0, "POST", "Transfer-Encoding", bad[i], 0);
		assert_int_equal(r.kind, H1FRAME_ERROR);
		assert_int_equal(r.must_close, 1);
	}
	r = decide1(0, 11, 200, "GET", "Content-Length", "x", 0);
	assert_int_equal(r.kind, H1FRAME_ERROR);
	assert_int_equal(r.must_close, 1);
	/* Found by fz_h1frame: a conflict used to leave the first value in
	 * .length. */
	r = decide1(1, 11, 0, "POST", "Content-Length", "5, 6", 0);
	assert_int_equal(r.reason, H1FRAME_CL_CONFLICT);
	assert_int_equal(r.length, 0);
}

static void
test_h1frame_reject_cl_te_applies_to_responses_too(void **state)
{
	struct field f[2] = {{{"Content-Length", 14}, {"5", 1}},
		{{"Transfer-Encoding", 17}, {"chunked", 7}}};
	struct h1frame_msg m = {0, {"GET", 3}, 200, 11, f, 2};
	struct h1frame r;

	(void)state;
	assert_int_equal(h1frame_decide(&m, 0, &r), H1FRAME_CHUNKED);
	assert_int_equal(r.must_close, 1);
	assert_int_equal(
		h1frame_decide(&m, H1FRAME_REJECT_CL_TE, &r), H1FRAME_ERROR);
	assert_int_equal(r.reason, H1FRAME_CL_AND_TE);
}

static void
test_h1frame_length_is_zero_unless_kind_is_length(void **state)
{
	struct h1frame r;

	(void)state;
	r = decide1(1, 11, 0, "POST", "Transfer-Encoding", "chunked", 0);
	assert_int_equal(r.kind, H1FRAME_CHUNKED);
	assert_int_equal(r.length, 0);
	r = decide1(1, 11, 0, "POST", "Content-Length", "12345", 0);
	assert_int_equal(r.kind, H1FRAME_LENGTH);
	assert_int_equal(r.length, 12345);
	assert_int_equal(r.reason, H1FRAME_OK);
}

static void
test_h1frame_status_bounds_of_no_body_rules(void **state)
{
	(void)state;
	assert_int_equal(
		decide1(0, 11, 199, "GET", "X", "y", 0).kind, H1FRAME_NONE);
	assert_int_equal(decide1(0, 11, 99, "GET", "X", "y", 0).kind,
		H1FRAME_UNTIL_CLOSE);
	assert_int_equal(
		decide1(0, 11, 299, "CONNECT", "X", "y", 0).kind, H1FRAME_NONE);
	assert_int_equal(decide1(0, 11, 300, "CONNECT", "X", "y", 0).kind,
		H1FRAME_UNTIL_CLOSE);
	assert_int_equal(
		decide1(0, 11, 199, "CONNECT", "X", "y", 0).kind, H1FRAME_NONE);
	/* Status is unused for requests: a request "204" still has a body. */
	assert_int_equal(
		decide1(1, 11, 204, "HEAD", "Content-Length", "3", 0).kind,
		H1FRAME_LENGTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h1frame_every_reason_has_a_vector),
		cmocka_unit_test(test_h1frame_names_are_distinct_and_total),
		cmocka_unit_test(test_h1frame_error_always_sets_must_close),
		cmocka_unit_test(
			test_h1frame_reject_cl_te_applies_to_responses_too),
		cmocka_unit_test(
			test_h1frame_length_is_zero_unless_kind_is_length),
		cmocka_unit_test(test_h1frame_status_bounds_of_no_body_rules),
	};
	struct CMUnitTest *vt;
	int rc;

	vec_load_dir(&vectors, "framing");
	vt = calloc(vectors.n, sizeof(*vt));
	assert_non_null(vt);
	for (size_t i = 0; i < vectors.n; i++) {
		vt[i].name = vectors.v[i].id;
		vt[i].test_func = check_vector;
		vt[i].initial_state = &vectors.v[i];
	}
	rc = _cmocka_run_group_tests(
		"framing vectors", vt, vectors.n, NULL, NULL);
	rc += cmocka_run_group_tests_name("h1frame", tests, NULL, NULL);
	free(vt);
	vec_set_free(&vectors);
	return rc ? 1 : 0;
}
