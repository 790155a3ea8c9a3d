/*
 * Unit tests for gatecheck's HTTP/1.1 reader (http.c): request and status
 * lines, field problems, RFC 9112 §6.3 framing, the chunked coding, and
 * every split point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

static long
rd(const char *s, int request, struct http_head *h, enum http_err *e)
{
	return http_read_head(
		(const unsigned char *)s, strlen(s), request, h, e);
}

static void
test_http_request_line_and_fields(void **state)
{
	const char *s = "GET /a?b HTTP/1.1\r\nHost: x\r\nX-A:  v  \r\n\r\nrest";
	struct http_head h;
	enum http_err e;

	(void)state;
	assert_int_equal(rd(s, 1, &h, &e), (long)strlen(s) - 4);
	assert_int_equal(h.mlen, 3);
	assert_memory_equal(h.target, "/a?b", 4);
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.nfields, 2);
	assert_int_equal(http_field(&h, "x-a", 0)->vlen, 1);
	assert_int_equal(h.problems, 0);
}

static void
test_http_needs_more_at_every_split_point(void **state)
{
	const char *s = "HTTP/1.1 200 OK\r\nA: b\r\nC: d\r\n\r\n";
	struct http_head h;
	enum http_err e;
	size_t cut;

	(void)state;
	for (cut = 0; cut < strlen(s); cut++)
		assert_int_equal(http_read_head((const unsigned char *)s, cut,
					 0, &h, &e),
			0);
	assert_int_equal(rd(s, 0, &h, &e), (long)strlen(s));
	assert_int_equal(h.status, 200);
}

static void
test_http_bad_start_lines_are_errors(void **state)
{
	struct http_head h;
	enum http_err e;

	(void)state;
	assert_int_equal(rd("GET /\r\n\r\n", 1, &h, &e), -1);
	assert_int_equal(e, HTTP_E_START);
	assert_int_equal(rd("HTTP/1.1 2x0 OK\r\n\r\n", 0, &h, &e), -1);
	assert_int_equal(rd("G(T / HTTP/1.1\r\n\r\n", 1, &h, &e), -1);
	assert_int_equal(
		rd("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", 0, &h, &e), -1);
	assert_int_equal(e, HTTP_E_BARE_CR);
	assert_int_equal(rd("HTTP/1.1 200 OK\r\nA: \0\r\n\r\n", 0, &h, &e),
		0); /* strlen stops at the NUL: a partial head */
	assert_int_equal(
		http_read_head((const unsigned char *)"HTTP/1.1 200 "
						      "OK\r\nA:\0\r\n\r\n",
			22, 0, &h, &e),
		-1);
	assert_int_equal(e, HTTP_E_NUL);
}

static void
test_http_field_problems_are_bits(void **state)
{
	struct http_head h;
	enum http_err e;

	(void)state;
	assert_true(rd("HTTP/1.1 200 OK\nA: b\n\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_BARE_LF);
	assert_true(rd("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_FOLD);
	assert_true(rd("HTTP/1.1 200 OK\r\nA : b\r\n\r\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_WS_COLON);
	assert_true(rd("HTTP/1.1 200 OK\r\nA\x01: b\r\n\r\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_NAME);
	assert_true(rd("HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_CTL);
	assert_true(rd("HTTP/1.1 200 OK\r\nAb\r\n\r\n", 0, &h, &e) > 0);
	assert_true(h.problems & HTTP_P_NOCOLON);
}

static void
test_http_framing_rfc9112_6_3(void **state)
{
	struct http_head h;
	enum http_err e;
	unsigned long long n;

	(void)state;
	rd("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 0, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_LENGTH);
	assert_int_equal(n, 5);
	assert_int_equal(http_framing(&h, 1, &n), HTTP_BODY_NONE);
	rd("HTTP/1.1 304 NM\r\nContent-Length: 5\r\n\r\n", 0, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_NONE);
	rd("HTTP/1.1 200 OK\r\n\r\n", 0, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_CLOSE);
	rd("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n"
	   "Content-Length: 3\r\n\r\n",
		1, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_CHUNKED);
	assert_true(h.problems & HTTP_P_CL_TE);
	rd("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 1, &h,
		&e);
	assert_int_equal(http_framing(&h, 0, &n), -1);
	rd("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
		1, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), -1);
	assert_true(h.problems & (HTTP_P_DUP_CL | HTTP_P_BAD_CL));
	rd("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n", 1, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_LENGTH);
	rd("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", 1, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), -1);
	rd("GET / HTTP/1.1\r\n\r\n", 1, &h, &e);
	assert_int_equal(http_framing(&h, 0, &n), HTTP_BODY_NONE);
}

static void
test_http_chunked_decodes_and_waits(void **state)
{
	const char *s = "3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: v\r\n\r\n";
	unsigned char out[64];
	size_t olen, cut;

	(void)state;
	assert_int_equal(http_chunked((const unsigned char *)s, strlen(s), out,
				 &olen, 0),
		(long)strlen(s));
	assert_int_equal(olen, 13);
	assert_memory_equal(out, "abc0123456789", 13);
	for (cut = 0; cut < strlen(s); cut++)
		assert_int_equal(http_chunked((const unsigned char *)s, cut,
					 NULL, &olen, 0),
			0);
}

static void
test_http_chunked_rejects_bad_sizes_and_lines(void **state)
{
	size_t olen;
	static const char *bad[] = {"x\r\n\r\n", "-1\r\n", "1 1\r\nab\r\n",
		"1\r\nab\r\n0\r\n\r\n", "1\r\na\n0\r\n\r\n",
		"10000000000000000\r\n", "0\r\nnocolon\r\n\r\n", "1\na\r\n"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(http_chunked((const unsigned char *)bad[i],
					 strlen(bad[i]), NULL, &olen, 0),
			-1);
	assert_int_equal(http_chunked((const unsigned char *)"1\na\n0\n\n", 7,
				 NULL, &olen, 1),
		7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_request_line_and_fields),
		cmocka_unit_test(test_http_needs_more_at_every_split_point),
		cmocka_unit_test(test_http_bad_start_lines_are_errors),
		cmocka_unit_test(test_http_field_problems_are_bits),
		cmocka_unit_test(test_http_framing_rfc9112_6_3),
		cmocka_unit_test(test_http_chunked_decodes_and_waits),
		cmocka_unit_test(test_http_chunked_rejects_bad_sizes_and_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
