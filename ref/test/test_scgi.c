/*
 * Unit tests for the SCGI head codec (ref/codec/scgi.c, spec/scgi.md):
 * every vector in spec/vectors/scgi at every split point, plus named tests
 * for the encoder (spec example and lighttpd capture reproduced byte for
 * byte, "does not fit", every refusal), round trips, options and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/scgi.h"
#include "test/vec.h"

/* Field array size the driver uses unless a vector says max-fields=N. */
#define DRIVER_FIELDS 256

#define F(n, v)                                                                \
	{                                                                      \
		{n, sizeof(n) - 1},                                            \
		{                                                              \
			v, sizeof(v) - 1                                       \
		}                                                              \
	}

static void
vec_opts(const struct vec *v, struct scgi_opts *o, size_t *cap)
{
	const char *mh = strstr(v->opts, "max-head=");
	const char *mf = strstr(v->opts, "max-fields=");

	o->flags = 0;
	if (vec_has_word(v->opts, "lenient-leading-zero"))
		o->flags |= SCGI_LENIENT_LEADING_ZERO;
	if (vec_has_word(v->opts, "lenient-no-scgi"))
		o->flags |= SCGI_LENIENT_NO_SCGI;
	if (vec_has_word(v->opts, "lenient-duplicates"))
		o->flags |= SCGI_LENIENT_DUPLICATES;
	o->max_head = mh ? strtoul(mh + 9, NULL, 10) : 0;
	*cap = mf ? strtoul(mf + 11, NULL, 10) : DRIVER_FIELDS;
}

/*
 * Render one decoded head as spec/scgi.md "Rendering" defines. A value
 * over LONG_VALUE bytes shows its first SHOW_VALUE bytes and its size,
 * which keeps the rendering of a 70000-byte value inside one vec line.
 */
#define LONG_VALUE 256
#define SHOW_VALUE 64

static void
render(struct vec_out *out, const struct scgi_head *h)
{
	vec_out_line(out, "length=%zu", h->block_len);
	for (size_t i = 0; i < h->n_fields; i++) {
		const struct field *f = &h->fields[i];
		size_t vl =
			f->value.len > LONG_VALUE ? SHOW_VALUE : f->value.len;
		size_t n = f->name.len + 1 + vl;
		char *t = malloc(n + 32);

		memcpy(t, f->name.p, f->name.len);
		t[f->name.len] = '=';
		memcpy(t + f->name.len + 1, f->value.p, vl);
		if (vl < f->value.len)
			n += (size_t)sprintf(
				t + n, "...(%zu bytes)", f->value.len);
		vec_out_bytes(out, "field=", t, n);
		free(t);
	}
	vec_out_line(out, "content-length=%llu",
		(unsigned long long)h->content_length);
}

/*
 * Feed the pieces as a socket would deliver them: after each piece the
 * decoder sees everything so far (in a fresh exact-size block, so ASan
 * catches an over-read) and a 0 means "wait for more".
 */
static void
scgi_driver(const struct vec *v, const struct vec_piece *pc, size_t np,
	struct vec_out *out)
{
	struct scgi_opts o;
	struct scgi_head h;
	enum scgi_reason why;
	size_t cap, len;
	struct field *fields;
	long rc = 0;

	vec_opts(v, &o, &cap);
	fields = malloc((cap ? cap : 1) * sizeof(*fields));
	for (size_t i = 1; i <= np && rc == 0; i++) {
		uint8_t *in = vec_join(pc, np, i, &len);

		rc = scgi_decode_head(
			(const char *)in, len, &o, &h, fields, cap, &why);
		if (rc < 0)
			vec_out_result(out, "error %s", scgi_reason_name(why));
		else if (rc > 0 && (size_t)rc == v->in_len)
			vec_out_result(out, "ok");
		else if (rc > 0)
			vec_out_result(out, "ok %ld", rc);
		else
			vec_out_result(out, "partial");
		if (rc > 0)
			render(out, &h);
		free(in);
	}
	free(fields);
}

static struct vec_set vectors;

static const char *const all_reasons[] = {"LENGTH_INVALID",
	"LENGTH_LEADING_ZERO", "HEAD_TOO_LARGE", "MISSING_COMMA", "NAME_EMPTY",
	"NAME_UNTERMINATED", "VALUE_UNTERMINATED", "CONTENT_LENGTH_NOT_FIRST",
	"CONTENT_LENGTH_INVALID", "SCGI_MISSING", "SCGI_VALUE_INVALID",
	"DUPLICATE_NAME", "TOO_MANY_FIELDS", NULL};

static void
test_scgi_vectors_reach_every_reason(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&vectors, all_reasons);
	for (int r = 1; r < SCGI_REASON_COUNT; r++)
		assert_string_equal(scgi_reason_name(r), all_reasons[r - 1]);
	assert_string_equal(scgi_reason_name(SCGI_OK), "OK");
	assert_string_equal(scgi_reason_name(SCGI_REASON_COUNT), "UNKNOWN");
}

/* The request in the SCGI protocol text's example, head only. */
static const char spec_example[] = "70:"
				   "CONTENT_LENGTH\0"
				   "27\0"
				   "SCGI\0"
				   "1\0"
				   "REQUEST_METHOD\0"
				   "POST\0"
				   "REQUEST_URI\0"
				   "/deepthought\0"
				   ",";

static void
test_scgi_encode_reproduces_spec_example(void **state)
{
	const struct field f[] = {F("CONTENT_LENGTH", "27"), F("SCGI", "1"),
		F("REQUEST_METHOD", "POST"), F("REQUEST_URI", "/deepthought")};
	char buf[128];
	long n;

	(void)state;
	n = scgi_encode_head(buf, sizeof(buf), f, 4);
	assert_int_equal(n, sizeof(spec_example) - 1);
	assert_memory_equal(buf, spec_example, (size_t)n);
	assert_int_equal(scgi_head_size(f, 4), (size_t)n);
}

/*
 * encode(decode(x)) == x for every valid vector decoded with default
 * options: the lighttpd and nginx captures are rebuilt byte for byte.
 */
static void
test_scgi_encode_of_decoded_vectors_gives_same_bytes(void **state)
{
	struct field *fields = malloc(DRIVER_FIELDS * sizeof(*fields));
	char *buf = malloc(2 * SCGI_DEFAULT_MAX_HEAD);
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < vectors.n; i++) {
		const struct vec *v = &vectors.v[i];
		struct scgi_head h;
		enum scgi_reason why;
		long n, m;

		if (strncmp(v->result, "ok", 2) != 0 || v->opts[0] != '\0')
			continue;
		n = scgi_decode_head((const char *)v->in, v->in_len, NULL, &h,
			fields, DRIVER_FIELDS, &why);
		assert_true(n > 0);
		m = scgi_encode_head(
			buf, 2 * SCGI_DEFAULT_MAX_HEAD, h.fields, h.n_fields);
		assert_int_equal(m, n);
		assert_memory_equal(buf, v->in, (size_t)n);
		assert_int_equal(
			scgi_head_size(h.fields, h.n_fields), (size_t)n);
		checked++;
	}
	assert_true(checked >= 4);
	free(fields);
	free(buf);
}

/* SCGI-ENC-3: without an SCGI field the encoder appends it last. */
static void
test_scgi_encode_appends_scgi_last_like_lighttpd(void **state)
{
	const struct field f[] = {
		F("CONTENT_LENGTH", "0"), F("QUERY_STRING", "")};
	static const char want[] = "38:CONTENT_LENGTH\0"
				   "0\0"
				   "QUERY_STRING\0\0SCGI\0"
				   "1\0,";
	char buf[64];
	long n;

	(void)state;
	n = scgi_encode_head(buf, sizeof(buf), f, 2);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(buf, want, sizeof(want) - 1);
}

/* Encoders write nothing and return -1 for every cap short of the size. */
static void
test_scgi_encode_does_not_fit_writes_nothing(void **state)
{
	const struct field f[] = {F("CONTENT_LENGTH", "27"), F("SCGI", "1"),
		F("REQUEST_METHOD", "POST"), F("REQUEST_URI", "/deepthought")};
	char buf[128];

	(void)state;
	for (size_t cap = 0; cap < sizeof(spec_example) - 1; cap++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(
			scgi_encode_head(buf, cap, f, 4), SCGI_ENC_NOSPACE);
		for (size_t i = 0; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'x');
	}
}

static void
expect_invalid(const struct field *f, size_t n)
{
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(
		scgi_encode_head(buf, sizeof(buf), f, n), SCGI_ENC_INVALID);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(scgi_head_size(f, n), 0);
}

/* SCGI-ENC-1: CONTENT_LENGTH first, 1*DIGIT. */
static void
test_scgi_encode_refuses_content_length_not_first_or_not_digits(void **s)
{
	const struct field late[] = {F("SCGI", "1"), F("CONTENT_LENGTH", "0")};
	const struct field empty[] = {F("CONTENT_LENGTH", "")};
	const struct field sign[] = {F("CONTENT_LENGTH", "-1")};
	const struct field big[] = {F("CONTENT_LENGTH", "9223372036854775808")};

	(void)s;
	expect_invalid(late, 0);
	expect_invalid(late, 2);
	expect_invalid(empty, 1);
	expect_invalid(sign, 1);
	expect_invalid(big, 1);
}

/* SCGI-ENC-2: a NUL would end a string early and inject a pair. */
static void
test_scgi_encode_refuses_nul_in_name_or_value_and_empty_name(void **s)
{
	const struct field nulv[] = {
		F("CONTENT_LENGTH", "0"), F("PATH_INFO", "/a\0SCGI")};
	const struct field nuln[] = {F("CONTENT_LENGTH", "0"), F("A\0B", "x")};
	const struct field noname[] = {F("CONTENT_LENGTH", "0"), F("", "x")};

	(void)s;
	expect_invalid(nulv, 2);
	expect_invalid(nuln, 2);
	expect_invalid(noname, 2);
}

/* SCGI-ENC-3 and SCGI-HDR-6: SCGI must be "1"; no name twice. */
static void
test_scgi_encode_refuses_bad_scgi_value_and_duplicates(void **s)
{
	const struct field badscgi[] = {
		F("CONTENT_LENGTH", "0"), F("SCGI", "2")};
	const struct field dup[] = {
		F("CONTENT_LENGTH", "0"), F("A", "1"), F("A", "2")};
	const struct field dupcl[] = {
		F("CONTENT_LENGTH", "0"), F("CONTENT_LENGTH", "0")};

	(void)s;
	expect_invalid(badscgi, 2);
	expect_invalid(dup, 3);
	expect_invalid(dupcl, 2);
}

/* Impossible sizes are refused before any byte of them is read. */
static void
test_scgi_encode_refuses_sizes_that_could_wrap(void **s)
{
	struct field f[2] = {F("CONTENT_LENGTH", "0"), F("A", "b")};

	(void)s;
	f[1].value.len = (size_t)-1 / 4 + 1;
	expect_invalid(f, 2);
	f[1].value.len = 1;
	f[1].name.len = (size_t)-1 / 4 + 1;
	expect_invalid(f, 2);
	f[1].name.len = (size_t)-1 / 8;
	f[1].value.len = (size_t)-1 / 8;
	expect_invalid(f, 2);
}

/* Encode then decode gives back the same fields (plus SCGI=1). */
static void
test_scgi_round_trip_encode_decode(void **state)
{
	static char big[70000];
	struct field f[3] = {
		F("CONTENT_LENGTH", "12"), F("EMPTY", ""), F("HTTP_X_BIG", "")};
	struct field out[8];
	struct scgi_head h;
	enum scgi_reason why;
	struct scgi_opts o = {0, sizeof(big) + 100};
	char *buf = malloc(sizeof(big) + 200);
	long n, m;

	(void)state;
	memset(big, 'v', sizeof(big));
	f[2].value = (struct slice){big, sizeof(big)};
	n = scgi_encode_head(buf, sizeof(big) + 200, f, 3);
	assert_true(n > 0);
	assert_int_equal(scgi_head_size(f, 3), (size_t)n);
	/* Over the default limit; accepted with a larger max_head. */
	assert_int_equal(
		scgi_decode_head(buf, (size_t)n, NULL, &h, out, 8, &why), -1);
	assert_int_equal(why, SCGI_HEAD_TOO_LARGE);
	m = scgi_decode_head(buf, (size_t)n, &o, &h, out, 8, &why);
	assert_int_equal(m, n);
	assert_int_equal(h.n_fields, 4);
	assert_int_equal(h.content_length, 12);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(out[i].name.len, f[i].name.len);
		assert_memory_equal(out[i].name.p, f[i].name.p, f[i].name.len);
		assert_int_equal(out[i].value.len, f[i].value.len);
		if (f[i].value.len)
			assert_memory_equal(
				out[i].value.p, f[i].value.p, f[i].value.len);
	}
	assert_int_equal(out[3].name.len, 4);
	free(buf);
}

/* NULL options mean the strict defaults; every prefix is "need more". */
static void
test_scgi_decode_every_prefix_of_a_head_is_partial(void **state)
{
	struct field out[8];
	struct scgi_head h;
	enum scgi_reason why;
	size_t n = sizeof(spec_example) - 1;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(scgi_decode_head(spec_example, i, NULL, &h,
					 out, 8, &why),
			0);
		assert_int_equal(why, SCGI_OK);
	}
	assert_int_equal(
		scgi_decode_head(spec_example, n, NULL, &h, out, 8, &why),
		(long)n);
	assert_int_equal(h.content_length, 27);
	assert_int_equal(h.block_len, 70);
}

/* SCGI-NS-5: a limit below one digit still refuses that digit. */
static void
test_scgi_decode_max_head_smaller_than_first_digit(void **state)
{
	struct scgi_opts o = {0, 5};
	struct field out[4];
	struct scgi_head h;
	enum scgi_reason why;

	(void)state;
	assert_int_equal(scgi_decode_head("7:", 2, &o, &h, out, 4, &why), -1);
	assert_int_equal(why, SCGI_HEAD_TOO_LARGE);
	assert_int_equal(scgi_decode_head("5", 1, &o, &h, out, 4, &why), 0);
}

/* TOO_MANY_FIELDS with no array at all. */
static void
test_scgi_decode_zero_field_array_is_too_many_fields(void **state)
{
	struct scgi_head h;
	enum scgi_reason why;

	(void)state;
	assert_int_equal(
		scgi_decode_head(spec_example, sizeof(spec_example) - 1, NULL,
			&h, NULL, 0, &why),
		-1);
	assert_int_equal(why, SCGI_TOO_MANY_FIELDS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scgi_vectors_reach_every_reason),
		cmocka_unit_test(test_scgi_encode_reproduces_spec_example),
		cmocka_unit_test(
			test_scgi_encode_of_decoded_vectors_gives_same_bytes),
		cmocka_unit_test(
			test_scgi_encode_appends_scgi_last_like_lighttpd),
		cmocka_unit_test(test_scgi_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(
			test_scgi_encode_refuses_content_length_not_first_or_not_digits),
		cmocka_unit_test(
			test_scgi_encode_refuses_nul_in_name_or_value_and_empty_name),
		cmocka_unit_test(
			test_scgi_encode_refuses_bad_scgi_value_and_duplicates),
		cmocka_unit_test(
			test_scgi_encode_refuses_sizes_that_could_wrap),
		cmocka_unit_test(test_scgi_round_trip_encode_decode),
		cmocka_unit_test(
			test_scgi_decode_every_prefix_of_a_head_is_partial),
		cmocka_unit_test(
			test_scgi_decode_max_head_smaller_than_first_digit),
		cmocka_unit_test(
			test_scgi_decode_zero_field_array_is_too_many_fields),
	};
	int rc;

	vec_load_dir(&vectors, "scgi");
	rc = vec_run_all("scgi vectors", &vectors, scgi_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&vectors);
	return rc != 0;
}
