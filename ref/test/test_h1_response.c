/*
 * Unit tests for the HTTP/1.1 response head parser (ref/codec/h1_resp.c):
 * every vector in spec/vectors/http1-response fed whole and split, plus
 * named tests for the encoder, the options, the limits and 1xx looping.
 * Rendering of a decode: spec/http1.md "Rendering".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/h1.h"
#include "test/vec.h"

#include "test/h1_test.h"

/* Feed the pieces as the proxy would: reparse the backend bytes so far
 * after each read until the parser stops saying "need more". */
static void
driver(const struct vec *v, const struct vec_piece *pc, size_t npieces,
	struct vec_out *out)
{
	struct h1_opts o;
	struct h1_resp r;
	size_t len = 0;
	uint8_t *buf = NULL;
	long n = 0;

	memset(&r, 0, sizeof(r));
	r.fields = fields;
	r.fields_cap = parse_opts(v->opts, &o);
	for (size_t i = 1; i <= npieces && n == 0; i++) {
		free(buf);
		buf = vec_join(pc, npieces, i, &len);
		n = h1_resp_parse((const char *)buf, len, &o, &r);
	}
	if (n == 0) {
		vec_out_result(out, "partial");
	} else if (n < 0) {
		vec_out_result(out, "error %s", h1_reason_name(r.why));
	} else {
		if ((size_t)n == v->in_len)
			vec_out_result(out, "ok");
		else
			vec_out_result(out, "ok %ld", n);
		vec_out_line(out, "version=1.%d", r.minor);
		vec_out_line(out, "status=%03d", r.status);
		vec_out_bytes(out, "reason=", r.reason.p, r.reason.len);
		for (size_t i = 0; i < r.nfields; i++)
			out_field(out, &r.fields[i]);
	}
	free(buf);
}

static struct vec_set set;

static const char *const reasons[] = {"BARE_CR", "BARE_LF", "BAD_VERSION",
	"VERSION_UNSUPPORTED", "BAD_STATUS_LINE", "BAD_STATUS_CODE",
	"BAD_REASON_PHRASE", "OBS_FOLD", "SPACE_BEFORE_COLON", "BAD_FIELD_NAME",
	"MISSING_COLON", "BAD_FIELD_VALUE", "STATUS_LINE_TOO_LONG",
	"FIELD_LINE_TOO_LONG", "TOO_MANY_FIELDS", "HEAD_TOO_LARGE", NULL};

static void
test_h1_resp_every_reason_reached_by_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&set, reasons);
}

static long
parse(const char *s, const struct h1_opts *o, struct h1_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->fields = fields;
	r->fields_cap = CAP;
	return h1_resp_parse(s, strlen(s), o, r);
}

static void
test_h1_resp_encode_round_trip_is_canonical(void **state)
{
	const char *in = "HTTP/1.0 404 Not  Found\r\nA:  x \r\nB:\r\n\r\n";
	const char *canon = "HTTP/1.0 404 Not  Found\r\nA: x\r\nB: \r\n\r\n";
	struct h1_resp r, r2;
	struct field f2[4];
	char out[128];
	long n;

	(void)state;
	assert_int_equal(parse(in, NULL, &r), (long)strlen(in));
	n = h1_resp_encode(out, sizeof(out), &r);
	assert_int_equal(n, (long)strlen(canon));
	assert_memory_equal(out, canon, (size_t)n);
	memset(&r2, 0, sizeof(r2));
	r2.fields = f2;
	r2.fields_cap = 4;
	assert_int_equal(h1_resp_parse(out, (size_t)n, NULL, &r2), n);
	assert_int_equal(r2.status, 404);
	assert_int_equal(r2.minor, 0);
	assert_int_equal(r2.nfields, 2);
}

static void
test_h1_resp_encode_empty_reason_keeps_the_sp(void **state)
{
	struct h1_resp r;
	char out[32];

	(void)state;
	assert_true(parse("HTTP/1.1 200\r\n\r\n",
			    &(struct h1_opts){.flags = H1_LENIENT_NO_REASON_SP},
			    &r) > 0);
	assert_int_equal(h1_resp_encode(out, sizeof(out), &r), 17);
	assert_memory_equal(out, "HTTP/1.1 200 \r\n\r\n", 17);
}

static void
test_h1_resp_encode_does_not_fit_writes_nothing(void **state)
{
	const char *in = "HTTP/1.1 503 Busy\r\nRetry-After: 5\r\n\r\n";
	struct h1_resp r;
	char out[64];
	long need;

	(void)state;
	assert_true(parse(in, NULL, &r) > 0);
	need = h1_resp_encode(out, sizeof(out), &r);
	assert_int_equal(need, (long)strlen(in));
	for (long cap = 0; cap < need; cap++) {
		memset(out, 'Z', sizeof(out));
		assert_int_equal(h1_resp_encode(out, (size_t)cap, &r), -1);
		assert_int_equal(out[0], 'Z');
	}
	r.minor = 10;
	assert_int_equal(h1_resp_encode(out, sizeof(out), &r), -1);
	r.minor = -1;
	assert_int_equal(h1_resp_encode(out, sizeof(out), &r), -1);
	r.minor = 1;
	r.status = 99;
	assert_int_equal(h1_resp_encode(out, sizeof(out), &r), -1);
	r.status = 600;
	assert_int_equal(h1_resp_encode(out, sizeof(out), &r), -1);
}

static void
test_h1_resp_1xx_heads_loop_to_the_final_response(void **state)
{
	const char *in = "HTTP/1.1 100 Continue\r\n\r\n"
			 "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
			 "HTTP/1.1 201 Created\r\nLocation: /x\r\n\r\n";
	size_t off = 0, len = strlen(in);
	int seen[3], k = 0;
	struct h1_resp r;
	long n;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.fields = fields;
	r.fields_cap = CAP;
	do {
		n = h1_resp_parse(in + off, len - off, NULL, &r);
		assert_true(n > 0);
		off += (size_t)n;
		seen[k++] = r.status;
	} while (r.status < 200 && k < 3);
	assert_int_equal(seen[0], 100);
	assert_int_equal(seen[1], 103);
	assert_int_equal(seen[2], 201);
	assert_int_equal(off, len);
	assert_int_equal(r.nfields, 1);
}

static void
test_h1_resp_default_limits_are_64k_and_1000_fields(void **state)
{
	static char buf[70000];
	struct h1_resp r;
	size_t n;

	(void)state;
	/* A head of exactly 65535 bytes passes; one more byte is a 431-class
	 * HEAD_TOO_LARGE (the gateway answers 502). */
	memset(buf, 'a', sizeof(buf) - 1);
	memcpy(buf, "HTTP/1.1 200 ", 13);
	memcpy(buf + 65535 - 4, "\r\n\r\n", 5);
	assert_int_equal(parse(buf, NULL, &r), 65535);
	assert_int_equal(r.reason.len, 65535 - 4 - 13);
	memset(buf, 'a', sizeof(buf) - 1);
	memcpy(buf, "HTTP/1.1 200 ", 13);
	memcpy(buf + 65536 - 4, "\r\n\r\n", 5);
	assert_int_equal(parse(buf, NULL, &r), -1);
	assert_int_equal(r.why, H1_HEAD_TOO_LARGE);
	/* 1000 fields pass, 1001 do not. */
	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "a:%d\r\n", i);
	memcpy(buf + n, "\r\n", 3);
	assert_int_equal(parse(buf, NULL, &r), (long)n + 2);
	assert_int_equal(r.nfields, 1000);
	memcpy(buf + n, "b:\r\n\r\n", 7);
	assert_int_equal(parse(buf, NULL, &r), -1);
	assert_int_equal(r.why, H1_TOO_MANY_FIELDS);
}

static void
test_h1_resp_status_line_failures_map_to_502(void **state)
{
	(void)state;
	assert_int_equal(h1_reason_status(H1_BAD_STATUS_LINE), 502);
	assert_int_equal(h1_reason_status(H1_BAD_STATUS_CODE), 502);
	assert_int_equal(h1_reason_status(H1_BAD_REASON_PHRASE), 502);
	assert_int_equal(h1_reason_status(H1_STATUS_LINE_TOO_LONG), 502);
	assert_string_equal(h1_reason_name(H1_STATUS_LINE_TOO_LONG),
		"STATUS_LINE_TOO_LONG");
}

static void
test_h1_resp_incomplete_needs_more_and_null_opts(void **state)
{
	struct h1_resp r;

	(void)state;
	assert_int_equal(parse("", NULL, &r), 0);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n", NULL, &r), 0);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nA: 1\r", NULL, &r), 0);
	assert_int_equal(r.why, H1_OK);
	/* The no-SP leniency applies only with nothing after the code. */
	assert_int_equal(
		parse("HTTP/1.1 200OK\r\n\r\n",
			&(struct h1_opts){.flags = H1_LENIENT_NO_REASON_SP},
			&r),
		-1);
	assert_int_equal(r.why, H1_BAD_STATUS_LINE);
}

static void
test_h1_resp_status_code_digits_and_options(void **state)
{
	static const char *bad_code[] = {"HTTP/1.1 0xx A\r\n\r\n",
		"HTTP/1.1 6xx A\r\n\r\n", "HTTP/1.1 1/0 A\r\n\r\n",
		"HTTP/1.1 1:0 A\r\n\r\n", "HTTP/1.1 10/ A\r\n\r\n",
		"HTTP/1.1 10: A\r\n\r\n", "HTTP/1.1 20\r\n\r\n"};
	struct h1_opts o = {.max_fields = 1};
	struct h1_resp r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_code) / sizeof(bad_code[0]); i++) {
		assert_int_equal(parse(bad_code[i], NULL, &r), -1);
		assert_int_equal(r.why, H1_BAD_STATUS_CODE);
	}
	/* H1-LINE-3: a CR in a status line without any SP. */
	assert_int_equal(parse("HTTP/1.1\r200\r\n\r\n", NULL, &r), -1);
	assert_int_equal(r.why, H1_BARE_CR);
	/* H1-LIMIT-3/4 options. */
	assert_int_equal(
		parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", &o, &r), -1);
	assert_int_equal(r.why, H1_TOO_MANY_FIELDS);
	o.max_fields = 0;
	o.max_head = 20;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nA: 1\r\n\r\n", &o, &r), -1);
	assert_int_equal(r.why, H1_HEAD_TOO_LARGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h1_resp_every_reason_reached_by_a_vector),
		cmocka_unit_test(test_h1_resp_encode_round_trip_is_canonical),
		cmocka_unit_test(test_h1_resp_encode_empty_reason_keeps_the_sp),
		cmocka_unit_test(
			test_h1_resp_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(
			test_h1_resp_1xx_heads_loop_to_the_final_response),
		cmocka_unit_test(
			test_h1_resp_default_limits_are_64k_and_1000_fields),
		cmocka_unit_test(test_h1_resp_status_line_failures_map_to_502),
		cmocka_unit_test(test_h1_resp_status_code_digits_and_options),
		cmocka_unit_test(
			test_h1_resp_incomplete_needs_more_and_null_opts),
	};
	int rc;

	vec_load_dir(&set, "http1-response");
	rc = vec_run_all("http1-response vectors", &set, driver);
	rc |= cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc != 0;
}
