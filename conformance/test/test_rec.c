/*
 * Unit tests for gatecheck's FastCGI reader/writer (rec.c): record framing
 * (FastCGI §3.3), name-value pair lengths (§3.4), the fixed bodies (§4.2,
 * §5.1, §5.5), every split point, and the 31-bit overflow guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rec.h"

static void
test_rec_read_stdout_record_with_padding(void **state)
{
	const unsigned char in[] = {
		1, 6, 0x12, 0x34, 0, 3, 5, 0, 'a', 'b', 'c', 0, 0, 0, 0, 0};
	struct rec r;
	enum rec_err e;

	(void)state;
	assert_int_equal(rec_read(in, sizeof(in), &r, &e), 16);
	assert_int_equal(r.type, REC_STDOUT);
	assert_int_equal(r.id, 0x1234);
	assert_int_equal(r.clen, 3);
	assert_int_equal(r.plen, 5);
	assert_memory_equal(r.content, "abc", 3);
}

static void
test_rec_read_needs_more_at_every_split_point(void **state)
{
	const unsigned char in[] = {
		1, 6, 0, 1, 0, 3, 5, 0, 'a', 'b', 'c', 0, 0, 0, 0, 0};
	struct rec r;
	enum rec_err e;
	size_t cut;

	(void)state;
	for (cut = 0; cut < sizeof(in); cut++)
		assert_int_equal(rec_read(in, cut, &r, &e), 0);
}

static void
test_rec_read_refuses_version_other_than_1(void **state)
{
	const unsigned char in[] = {2, 6, 0, 1, 0, 0, 0, 0};
	struct rec r;
	enum rec_err e;

	(void)state;
	assert_int_equal(rec_read(in, sizeof(in), &r, &e), -1);
	assert_int_equal(e, REC_E_VERSION);
}

static void
test_rec_end_body_needs_exactly_8_bytes(void **state)
{
	const unsigned char in[] = {
		1, 3, 0, 1, 0, 8, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0};
	struct rec r;
	enum rec_err e;
	uint32_t app;
	unsigned ps;

	(void)state;
	assert_int_equal(rec_read(in, sizeof(in), &r, &e), 16);
	assert_int_equal(rec_end_body(&r, &app, &ps, &e), 0);
	assert_int_equal(app, 0x102);
	assert_int_equal(ps, 3);
	r.clen = 7;
	assert_int_equal(rec_end_body(&r, &app, &ps, &e), -1);
	assert_int_equal(e, REC_E_END_LEN);
}

/* Lengths from Go's net/http/fcgi vectors: 0, 127, 128, 1000, 33554431. */
static void
test_rec_pair_length_encoding_1_byte_up_to_127_else_4(void **state)
{
	unsigned char out[8];

	(void)state;
	assert_int_equal(rec_put_len(out, 8, 0, 0), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(rec_put_len(out, 8, 127, 0), 1);
	assert_int_equal(out[0], 0x7f);
	assert_int_equal(rec_put_len(out, 8, 128, 0), 4);
	assert_memory_equal(out, "\x80\x00\x00\x80", 4);
	assert_int_equal(rec_put_len(out, 8, 1000, 0), 4);
	assert_memory_equal(out, "\x80\x00\x03\xe8", 4);
	assert_int_equal(rec_put_len(out, 8, 33554431, 0), 4);
	assert_memory_equal(out, "\x81\xff\xff\xff", 4);
}

static void
test_rec_pair_round_trip_short_and_long(void **state)
{
	unsigned char buf[400], val[200];
	const unsigned char *n, *v;
	size_t nl, vl;
	long a, b, used;
	enum rec_err e;

	(void)state;
	memset(val, 'v', sizeof(val));
	a = rec_put_pair(buf, sizeof(buf), "QUERY_STRING", 12, "a=1", 3, 0);
	b = rec_put_pair(buf + a, sizeof(buf) - (size_t)a, "X", 1, val, 200, 0);
	assert_int_equal(a, 2 + 12 + 3);
	assert_int_equal(b, 1 + 4 + 1 + 200);
	used = rec_pair_next(buf, (size_t)(a + b), &n, &nl, &v, &vl, &e);
	assert_int_equal(used, a);
	assert_memory_equal(n, "QUERY_STRING", 12);
	used = rec_pair_next(buf + a, (size_t)b, &n, &nl, &v, &vl, &e);
	assert_int_equal(used, b);
	assert_int_equal(vl, 200);
	assert_int_equal(rec_pair_next(buf, 0, &n, &nl, &v, &vl, &e), 0);
}

static void
test_rec_pair_31_bit_lengths_that_wrap_are_refused(void **state)
{
	const unsigned char in[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x', 'y'};
	const unsigned char *n, *v;
	size_t nl, vl;
	enum rec_err e;

	(void)state;
	assert_int_equal(
		rec_pair_next(in, sizeof(in), &n, &nl, &v, &vl, &e), -1);
	assert_int_equal(e, REC_E_NV_OVERRUN);
}

static void
test_rec_pair_truncated_4_byte_length_is_refused(void **state)
{
	const unsigned char in[] = {1, 1, 'a', 'b', 0x80, 0};
	const unsigned char *n, *v;
	size_t nl, vl;
	enum rec_err e;

	(void)state;
	assert_int_equal(rec_pair_next(in, 4, &n, &nl, &v, &vl, &e), 4);
	assert_int_equal(rec_pair_next(in + 4, 2, &n, &nl, &v, &vl, &e), -1);
	assert_int_equal(e, REC_E_NV_TRUNC);
}

static void
test_rec_put_refuses_what_does_not_fit(void **state)
{
	unsigned char out[10];

	(void)state;
	assert_int_equal(
		rec_put(out, sizeof(out), REC_STDIN, 1, "abc", 3, 0), -1);
	assert_int_equal(
		rec_put(out, sizeof(out), REC_STDIN, 1, "ab", 2, 0), 10);
	assert_int_equal(rec_put_header(out, sizeof(out), 1, 1, 70000, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rec_read_stdout_record_with_padding),
		cmocka_unit_test(test_rec_read_needs_more_at_every_split_point),
		cmocka_unit_test(test_rec_read_refuses_version_other_than_1),
		cmocka_unit_test(test_rec_end_body_needs_exactly_8_bytes),
		cmocka_unit_test(
			test_rec_pair_length_encoding_1_byte_up_to_127_else_4),
		cmocka_unit_test(test_rec_pair_round_trip_short_and_long),
		cmocka_unit_test(
			test_rec_pair_31_bit_lengths_that_wrap_are_refused),
		cmocka_unit_test(
			test_rec_pair_truncated_4_byte_length_is_refused),
		cmocka_unit_test(test_rec_put_refuses_what_does_not_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
