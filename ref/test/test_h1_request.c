/*
 * Unit tests for the HTTP/1.1 request head parser (ref/codec/h1_req.c):
 * every vector in spec/vectors/http1-request fed whole and split, plus
 * named tests for the encoder, the options, the limits and the helpers.
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

/* Feed the pieces as a connection would: reparse the bytes so far after
 * each read until the parser stops saying "need more". */
static void
driver(const struct vec *v, const struct vec_piece *pc, size_t npieces,
	struct vec_out *out)
{
	struct h1_opts o;
	struct h1_req r;
	size_t len = 0;
	uint8_t *buf = NULL;
	long n = 0;

	memset(&r, 0, sizeof(r));
	r.fields = fields;
	r.fields_cap = parse_opts(v->opts, &o);
	for (size_t i = 1; i <= npieces && n == 0; i++) {
		free(buf);
		buf = vec_join(pc, npieces, i, &len);
		n = h1_req_parse((const char *)buf, len, &o, &r);
	}
	if (n == 0) {
		vec_out_result(out, "partial");
	} else if (n < 0) {
		vec_out_result(out, "error %s", h1_reason_name(r.reason));
	} else {
		if ((size_t)n == v->in_len)
			vec_out_result(out, "ok");
		else
			vec_out_result(out, "ok %ld", n);
		vec_out_bytes(out, "method=", r.method.p, r.method.len);
		vec_out_bytes(out, "target=", r.target.p, r.target.len);
		vec_out_line(out, "form=%s", h1_form_name(r.form));
		vec_out_line(out, "version=1.%d", r.minor);
		for (size_t i = 0; i < r.nfields; i++)
			out_field(out, &r.fields[i]);
	}
	free(buf);
}

static struct vec_set set;

static const char *const reasons[] = {"BARE_CR", "BARE_LF", "BAD_REQUEST_LINE",
	"BAD_METHOD", "BAD_TARGET", "TARGET_FORM", "BAD_VERSION",
	"VERSION_UNSUPPORTED", "OBS_FOLD", "SPACE_BEFORE_COLON",
	"BAD_FIELD_NAME", "MISSING_COLON", "BAD_FIELD_VALUE",
	"REQUEST_LINE_TOO_LONG", "FIELD_LINE_TOO_LONG", "TOO_MANY_FIELDS",
	"HEAD_TOO_LARGE", NULL};

static void
test_h1_req_every_reason_reached_by_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&set, reasons);
}

static long
parse(const char *s, const struct h1_opts *o, struct h1_req *r)
{
	memset(r, 0, sizeof(*r));
	r->fields = fields;
	r->fields_cap = CAP;
	return h1_req_parse(s, strlen(s), o, r);
}

static void
test_h1_req_encode_round_trip_is_canonical(void **state)
{
	const char *in = "GET /a?b HTTP/1.1\r\nHost:  x \r\nA:\r\n\r\n";
	const char *canon = "GET /a?b HTTP/1.1\r\nHost: x\r\nA: \r\n\r\n";
	struct h1_req r, r2;
	struct field f2[4];
	char out[128];
	long n;

	(void)state;
	assert_int_equal(parse(in, NULL, &r), (long)strlen(in));
	n = h1_req_encode(out, sizeof(out), &r);
	assert_int_equal(n, (long)strlen(canon));
	assert_memory_equal(out, canon, (size_t)n);
	memset(&r2, 0, sizeof(r2));
	r2.fields = f2;
	r2.fields_cap = 4;
	assert_int_equal(h1_req_parse(out, (size_t)n, NULL, &r2), n);
	assert_int_equal(r2.nfields, 2);
	assert_int_equal(r2.method_id, H1_METHOD_GET);
}

static void
test_h1_req_encode_does_not_fit_writes_nothing(void **state)
{
	const char *in = "OPTIONS * HTTP/1.0\r\nX: y\r\n\r\n";
	struct h1_req r;
	char out[64];
	long need;

	(void)state;
	assert_true(parse(in, NULL, &r) > 0);
	need = h1_req_encode(out, sizeof(out), &r);
	assert_int_equal(need, (long)strlen(in));
	for (long cap = 0; cap < need; cap++) {
		memset(out, 'Z', sizeof(out));
		assert_int_equal(h1_req_encode(out, (size_t)cap, &r), -1);
		assert_int_equal(out[0], 'Z');
	}
	r.minor = 10;
	assert_int_equal(h1_req_encode(out, sizeof(out), &r), -1);
	r.minor = -1;
	assert_int_equal(h1_req_encode(out, sizeof(out), &r), -1);
}

static void
test_h1_req_method_ids_are_case_sensitive(void **state)
{
	static const char *names[] = {"GET", "HEAD", "POST", "PUT", "DELETE",
		"CONNECT", "OPTIONS", "TRACE", "PATCH"};
	char line[64];
	struct h1_req r;

	(void)state;
	for (int m = H1_METHOD_GET; m <= H1_METHOD_PATCH; m++) {
		const char *t = m == H1_METHOD_CONNECT ? "h:1"
			: m == H1_METHOD_OPTIONS       ? "*"
						       : "/";

		snprintf(line, sizeof(line), "%s %s HTTP/1.1\r\n\r\n",
			names[m - 1], t);
		assert_true(parse(line, NULL, &r) > 0);
		assert_int_equal(r.method_id, m);
		assert_string_equal(
			h1_method_name((enum h1_method)m), names[m - 1]);
	}
	assert_true(parse("get / HTTP/1.1\r\n\r\n", NULL, &r) > 0);
	assert_int_equal(r.method_id, H1_METHOD_OTHER);
	assert_true(parse("GETS / HTTP/1.1\r\n\r\n", NULL, &r) > 0);
	assert_int_equal(r.method_id, H1_METHOD_OTHER);
	assert_null(h1_method_name(H1_METHOD_OTHER));
	assert_null(h1_method_name((enum h1_method)99));
}

static void
test_h1_req_reason_status_map(void **state)
{
	(void)state;
	assert_int_equal(h1_reason_status(H1_OK), 0);
	assert_int_equal(h1_reason_status(H1_BAD_TARGET), 400);
	assert_int_equal(h1_reason_status(H1_OBS_FOLD), 400);
	assert_int_equal(h1_reason_status(H1_REQUEST_LINE_TOO_LONG), 414);
	assert_int_equal(h1_reason_status(H1_FIELD_LINE_TOO_LONG), 431);
	assert_int_equal(h1_reason_status(H1_TOO_MANY_FIELDS), 431);
	assert_int_equal(h1_reason_status(H1_HEAD_TOO_LARGE), 431);
	assert_int_equal(h1_reason_status(H1_VERSION_UNSUPPORTED), 505);
	assert_int_equal(h1_reason_status(H1_BAD_STATUS_CODE), 502);
	assert_string_equal(h1_reason_name(H1_OK), "OK");
	assert_string_equal(h1_reason_name(H1_REASON_COUNT), "UNKNOWN");
	assert_string_equal(h1_form_name((enum h1_form)0), "?");
	for (int i = 1; i < H1_REASON_COUNT; i++)
		assert_true(h1_reason_status((enum h1_reason)i) >= 400);
}

static void
test_h1_req_default_limits_match_lighttpd_8k_head(void **state)
{
	static char buf[9000];
	struct h1_req r;
	size_t n;

	(void)state;
	/* A request line of exactly 8192 bytes (with CRLF) is not a 414... */
	memset(buf, 'a', sizeof(buf) - 1);
	memcpy(buf, "GET /", 5);
	memcpy(buf + 8192 - 11, " HTTP/1.1\r\n", 11);
	buf[8192] = '\0';
	/* ...but it fills the head: the empty line can never fit (431). */
	assert_int_equal(parse(buf, NULL, &r), -1);
	assert_int_equal(r.reason, H1_HEAD_TOO_LARGE);
	/* Two bytes shorter, the empty line ends the head at 8192 exactly. */
	memcpy(buf + 8190 - 11, " HTTP/1.1\r\n\r\n", 14);
	assert_int_equal(parse(buf, NULL, &r), 8192);
	/* One more byte on the request line is a 414. */
	memset(buf, 'a', sizeof(buf) - 1);
	memcpy(buf, "GET /", 5);
	buf[8193] = '\0';
	assert_int_equal(parse(buf, NULL, &r), -1);
	assert_int_equal(r.reason, H1_REQUEST_LINE_TOO_LONG);
	/* 100 fields pass, 101 do not. */
	n = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "a:%d\r\n", i);
	memcpy(buf + n, "\r\n", 3);
	assert_int_equal(parse(buf, NULL, &r), (long)n + 2);
	assert_int_equal(r.nfields, 100);
	memcpy(buf + n, "b:\r\n\r\n", 7);
	assert_int_equal(parse(buf, NULL, &r), -1);
	assert_int_equal(r.reason, H1_TOO_MANY_FIELDS);
}

static void
test_h1_req_fields_cap_smaller_than_max_fields(void **state)
{
	const char *in = "GET / HTTP/1.1\r\na: 1\r\nb: 2\r\n\r\n";
	struct field f[1];
	struct h1_req r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.fields = f;
	r.fields_cap = 1;
	assert_int_equal(h1_req_parse(in, strlen(in), NULL, &r), -1);
	assert_int_equal(r.reason, H1_TOO_MANY_FIELDS);
	r.fields_cap = 0;
	assert_int_equal(h1_req_parse(in, 16, NULL, &r), 0);
}

/* Target bytes and forms, one request line each: every way an authority,
 * a scheme or a pct-encoding can end (H1-TARGET-2, -4, -5, -6). */
static void
test_h1_req_target_shapes_decide_form_or_reason(void **state)
{
	static const struct {
		const char *line;
		unsigned flags;
		long form;          /* enum h1_form when ok */
		enum h1_reason why; /* H1_OK when ok */
	} cases[] = {
		{"CONNECT :80", 0, 0, H1_BAD_TARGET},
		{"CONNECT a@b:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT a/b:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT a?b:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT a[b:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT a]b:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT h:", 0, 0, H1_BAD_TARGET},
		{"CONNECT h:8x", 0, 0, H1_BAD_TARGET},
		{"CONNECT h", 0, 0, H1_BAD_TARGET},
		{"CONNECT [", 0, 0, H1_BAD_TARGET},
		{"CONNECT []:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT [::1:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT [::1]", 0, 0, H1_BAD_TARGET},
		{"CONNECT [fe80::a.B]:443", 0, H1_FORM_AUTHORITY, H1_OK},
		{"CONNECT [::g]:80", 0, 0, H1_BAD_TARGET},
		{"CONNECT h%41:80", 0, H1_FORM_AUTHORITY, H1_OK},
		{"GET a+b-c.d9://x/ ", 0, H1_FORM_ABSOLUTE, H1_OK},
		{"GET Zz://x/", 0, H1_FORM_ABSOLUTE, H1_OK},
		{"GET 9a://x/", 0, 0, H1_BAD_TARGET},
		{"GET h:80", 0, H1_FORM_ABSOLUTE, H1_OK},
		{"GET a~b://x/", 0, 0, H1_BAD_TARGET},
		{"GET a{b://x/", H1_LENIENT_TARGET_CHARS, 0, H1_BAD_TARGET},
		{"GET a`://x/", H1_LENIENT_TARGET_CHARS, 0, H1_BAD_TARGET},
		{"GET a@://x/", 0, 0, H1_BAD_TARGET},
		{"GET *x", 0, 0, H1_BAD_TARGET},
		{"OPTIONS *", 0, H1_FORM_ASTERISK, H1_OK},
		{"GET /%4", 0, 0, H1_BAD_TARGET},
		{"GET /%4g", 0, 0, H1_BAD_TARGET},
		{"GET /%g4", 0, 0, H1_BAD_TARGET},
		{"GET /%aF", 0, H1_FORM_ORIGIN, H1_OK},
	};
	char line[96];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h1_opts o = {.flags = cases[i].flags};
		struct h1_req r;
		long got;

		/* Drop a trailing space the table uses to keep lines apart. */
		snprintf(line, sizeof(line), "%.*s HTTP/1.1\r\n\r\n",
			(int)(strlen(cases[i].line) -
				(cases[i].line[strlen(cases[i].line) - 1] ==
					' ')),
			cases[i].line);
		got = parse(line, &o, &r);
		if (cases[i].why == H1_OK) {
			if (got <= 0 || (long)r.form != cases[i].form)
				fail_msg("%s: got %ld %s form %d",
					cases[i].line, got,
					h1_reason_name(r.reason), r.form);
		} else if (got != -1 || r.reason != cases[i].why) {
			fail_msg("%s: got %ld %s, want %s", cases[i].line, got,
				h1_reason_name(r.reason),
				h1_reason_name(cases[i].why));
		}
	}
}

static void
test_h1_req_empty_input_needs_more(void **state)
{
	struct h1_req r;

	(void)state;
	assert_int_equal(parse("", NULL, &r), 0);
	assert_int_equal(parse("\r\n\r\n", NULL, &r), 0);
	assert_int_equal(r.reason, H1_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h1_req_every_reason_reached_by_a_vector),
		cmocka_unit_test(test_h1_req_encode_round_trip_is_canonical),
		cmocka_unit_test(
			test_h1_req_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(test_h1_req_method_ids_are_case_sensitive),
		cmocka_unit_test(test_h1_req_reason_status_map),
		cmocka_unit_test(
			test_h1_req_default_limits_match_lighttpd_8k_head),
		cmocka_unit_test(
			test_h1_req_fields_cap_smaller_than_max_fields),
		cmocka_unit_test(test_h1_req_empty_input_needs_more),
		cmocka_unit_test(
			test_h1_req_target_shapes_decide_form_or_reason),
	};
	int rc;

	vec_load_dir(&set, "http1-request");
	rc = vec_run_all("http1-request vectors", &set, driver);
	rc |= cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc != 0;
}
