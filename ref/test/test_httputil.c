/*
 * Unit tests for the static handler's pure helpers (ref/httputil.c):
 * single byte ranges (RFC 9110 §14.1.2), IMF-fixdate parsing (RFC 9110
 * §5.6.7), If-None-Match lists (RFC 9110 §13.1.2) and mimetype.assign's
 * longest-suffix lookup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "httputil.h"

static struct slice
S(const char *s) {
	struct slice v = {s, strlen(s)};

	return v;
}

static void
check_range(
	const char *v, off_t size, enum httputil_range want, off_t a, off_t b)
{
	off_t first = -1, last = -1;

	assert_int_equal(httputil_range(S(v), size, &first, &last), want);
	if (want == RANGE_OK) {
		assert_int_equal(first, a);
		assert_int_equal(last, b);
	}
}

static void
test_range_first_last_inclusive(void **state)
{
	(void)state;
	check_range("bytes=2-5", 10, RANGE_OK, 2, 5);
	check_range("bytes=0-0", 10, RANGE_OK, 0, 0);
	check_range("BYTES=2-5", 10, RANGE_OK, 2, 5);
}

static void
test_range_open_end_runs_to_last_byte(void **state)
{
	(void)state;
	check_range("bytes=7-", 10, RANGE_OK, 7, 9);
}

static void
test_range_last_past_end_is_clamped(void **state)
{
	(void)state;
	check_range("bytes=5-100", 10, RANGE_OK, 5, 9);
}

static void
test_range_suffix_is_last_n_bytes(void **state)
{
	(void)state;
	check_range("bytes=-3", 10, RANGE_OK, 7, 9);
	check_range("bytes=-30", 10, RANGE_OK, 0, 9);
}

static void
test_range_first_past_end_is_416(void **state)
{
	(void)state;
	check_range("bytes=10-20", 10, RANGE_UNSATISFIABLE, 0, 0);
	check_range("bytes=-0", 10, RANGE_UNSATISFIABLE, 0, 0);
	check_range("bytes=0-", 0, RANGE_UNSATISFIABLE, 0, 0);
}

static void
test_range_invalid_or_multiple_is_ignored(void **state)
{
	(void)state;
	check_range("bytes=0-1,3-4", 10, RANGE_NONE, 0, 0);
	check_range("bytes=5-2", 10, RANGE_NONE, 0, 0);
	check_range("items=0-1", 10, RANGE_NONE, 0, 0);
	check_range("bytes=x-1", 10, RANGE_NONE, 0, 0);
	check_range("bytes=1-2x", 10, RANGE_NONE, 0, 0);
	check_range("bytes=", 10, RANGE_NONE, 0, 0);
	check_range("bytes=99999999999999999999-", 10, RANGE_NONE, 0, 0);
}

static void
test_date_imf_fixdate_parses_to_epoch(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(
		httputil_date_parse(S("Sun, 06 Nov 1994 08:49:37 GMT"), &t), 0);
	assert_int_equal(t, 784111777);
}

static void
test_date_other_forms_are_rejected(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(
		httputil_date_parse(S("Sunday, 06-Nov-94 08:49:37 GMT"), &t),
		-1);
	assert_int_equal(
		httputil_date_parse(S("Sun, 06 Foo 1994 08:49:37 GMT"), &t),
		-1);
	assert_int_equal(
		httputil_date_parse(S("Sun, 06 Nov 1994 08:49:37 GMTX"), &t),
		-1);
	assert_int_equal(httputil_date_parse(S(""), &t), -1);
}

static void
test_etag_list_matches_weakly_and_star(void **state)
{
	(void)state;
	assert_true(httputil_etag_match(S("\"a\""), "\"a\""));
	assert_true(httputil_etag_match(S("\"x\", W/\"a\""), "\"a\""));
	assert_true(httputil_etag_match(S("*"), "\"a\""));
	assert_false(httputil_etag_match(S("\"ab\""), "\"a\""));
	assert_false(httputil_etag_match(S("\"a"), "\"a\""));
	assert_false(httputil_etag_match(S(""), "\"a\""));
}

static void
test_mime_longest_suffix_wins_and_empty_is_fallback(void **state)
{
	struct cfg_value items[4] = {
		{.type = CFG_STRING, .key = "", .str = "application/x-any"},
		{.type = CFG_STRING, .key = ".gz", .str = "application/gzip"},
		{.type = CFG_STRING,
			.key = ".tar.gz",
			.str = "application/tgz"},
		{.type = CFG_STRING, .key = ".html", .str = "text/html"},
	};

	(void)state;
	assert_string_equal(
		httputil_mime("/a.tar.gz", 9, items, 4), "application/tgz");
	assert_string_equal(
		httputil_mime("/a.gz", 5, items, 4), "application/gzip");
	assert_string_equal(httputil_mime("/x.html", 7, items, 4), "text/html");
	assert_string_equal(
		httputil_mime("/README", 7, items, 4), "application/x-any");
	assert_null(httputil_mime("/README", 7, items + 1, 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_first_last_inclusive),
		cmocka_unit_test(test_range_open_end_runs_to_last_byte),
		cmocka_unit_test(test_range_last_past_end_is_clamped),
		cmocka_unit_test(test_range_suffix_is_last_n_bytes),
		cmocka_unit_test(test_range_first_past_end_is_416),
		cmocka_unit_test(test_range_invalid_or_multiple_is_ignored),
		cmocka_unit_test(test_date_imf_fixdate_parses_to_epoch),
		cmocka_unit_test(test_date_other_forms_are_rejected),
		cmocka_unit_test(test_etag_list_matches_weakly_and_star),
		cmocka_unit_test(
			test_mime_longest_suffix_wins_and_empty_is_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
