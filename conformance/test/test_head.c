/*
 * Unit tests for gatecheck's CGI response head reader (head.c): RFC 3875
 * §6 heads, NPH status lines, each problem bit, and every split point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "head.h"

static long
read_str(const char *s, struct head *h)
{
	return head_read((const unsigned char *)s, strlen(s), h);
}

static void
test_head_cgi_status_and_content_type(void **state)
{
	const char *s = "Status: 404 Not Found\r\nContent-Type: text/html; "
			"charset=utf-8\r\n\r\nbody";
	struct head h;

	(void)state;
	assert_int_equal(read_str(s, &h), (long)strlen(s) - 4);
	assert_int_equal(h.status, 404);
	assert_true(h.has_ctype);
	assert_int_equal(h.problems, 0);
}

static void
test_head_needs_more_at_every_split_point(void **state)
{
	const char *s = "Content-Type: text/plain\nX-A: b\n\n";
	struct head h;
	size_t cut;

	(void)state;
	for (cut = 0; cut < strlen(s); cut++)
		assert_int_equal(
			head_read((const unsigned char *)s, cut, &h), 0);
	assert_int_equal(read_str(s, &h), (long)strlen(s));
}

static void
test_head_nph_status_line(void **state)
{
	struct head h;

	(void)state;
	assert_true(read_str("HTTP/1.1 200 OK\r\nContent-Type: a/b\r\n\r\n",
			    &h) > 0);
	assert_true(h.nph);
	assert_int_equal(h.status, 200);
	assert_int_equal(h.problems, 0);
	assert_true(read_str("HTTP/1.1 2x0 OK\r\n\r\n", &h) > 0);
	assert_true(h.problems & HEAD_P_NPH_LINE);
}

static void
test_head_problem_bits_each_rule(void **state)
{
	struct head h;

	(void)state;
	read_str("Bad Name: x\n\n", &h);
	assert_true(h.problems & HEAD_P_NAME);
	read_str("nocolon\n\n", &h);
	assert_true(h.problems & HEAD_P_NOCOLON);
	read_str("X: a\001b\n\n", &h);
	assert_true(h.problems & HEAD_P_CTL);
	read_str("X: a\rb\n\n", &h);
	assert_true(h.problems & HEAD_P_BARE_CR);
	read_str("Status: 2x0 OK\n\n", &h);
	assert_true(h.problems & HEAD_P_STATUS);
	read_str("Status: 200\n\n", &h);
	assert_true(h.problems & HEAD_P_STATUS_SP);
	read_str("Status: 999 X\n\n", &h);
	assert_true(h.problems & HEAD_P_STATUS_RANGE);
	read_str("Status: 200 A\nStatus: 201 B\n\n", &h);
	assert_true(h.problems & HEAD_P_DUP_STATUS);
	read_str("Content-Type: texthtml\n\n", &h);
	assert_true(h.problems & HEAD_P_CTYPE);
	read_str("Location: not a uri\n\n", &h);
	assert_true(h.problems & HEAD_P_LOCATION);
	read_str("Content-Length: 1x\n\n", &h);
	assert_true(h.problems & HEAD_P_CL);
	read_str("X: a\n b\n\n", &h);
	assert_true(h.problems & HEAD_P_FOLD);
	read_str("X: a\r\nY: b\n\n", &h);
	assert_true(h.problems & HEAD_P_MIXED_EOL);
}

static void
test_head_location_forms_allowed_by_rfc3875(void **state)
{
	struct head h;

	(void)state;
	read_str("Location: /local/path?q=1\n\n", &h);
	assert_int_equal(h.problems, 0);
	read_str("Location: https://example.com/x\n\n", &h);
	assert_int_equal(h.problems, 0);
	assert_true(h.has_location);
}

static void
test_head_too_big_is_refused(void **state)
{
	static unsigned char big[HEAD_MAX + 10];
	struct head h;

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_int_equal(head_read(big, sizeof(big), &h), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_cgi_status_and_content_type),
		cmocka_unit_test(test_head_needs_more_at_every_split_point),
		cmocka_unit_test(test_head_nph_status_line),
		cmocka_unit_test(test_head_problem_bits_each_rule),
		cmocka_unit_test(test_head_location_forms_allowed_by_rfc3875),
		cmocka_unit_test(test_head_too_big_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
