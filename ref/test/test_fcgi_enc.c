/*
 * Unit tests for the FastCGI encoders and name-value pairs
 * (ref/codec/fcgi.c, fcgi_nv.c): exact bytes against the spec and Go's
 * published vectors, round trips through the decoders, the "does not fit"
 * paths (nothing written) and the 16-bit length boundary (FCGI-STREAM-1).
 * The decode vectors run in test_fcgi.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/fcgi.h"

#define GUARD 0xa5

static struct field
pair(const char *n, const char *v)
{
	struct field f = {{n, strlen(n)}, {v, strlen(v)}};

	return f;
}

/* True if every byte of p[0..n) still holds the guard value. */
static int
untouched(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != GUARD)
			return 0;
	return 1;
}

/* Decode a record stream; join the content of `type` records; count. */
struct summary {
	uint8_t *content;
	size_t len;
	size_t records;
	size_t ends; /* empty records of `type` */
	size_t max_record;
	int bad_padding; /* a record not padded to 8 */
};

static void
summarize(const uint8_t *p, size_t n, uint8_t type, struct summary *sm)
{
	struct fcgi_stream s;
	struct fcgi_event ev;

	memset(sm, 0, sizeof(*sm));
	sm->content = malloc(n + 1);
	assert_non_null(sm->content);
	fcgi_stream_init(&s, NULL);
	while (n > 0) {
		long k = fcgi_stream_next(&s, p, n, &ev);

		assert_true(k > 0);
		if ((ev.flags & FCGI_EV_HEADER) && ev.hdr.type == type) {
			sm->records++;
			sm->ends += ev.hdr.content_length == 0;
			if (ev.hdr.content_length > sm->max_record)
				sm->max_record = ev.hdr.content_length;
			if ((ev.hdr.content_length + ev.hdr.padding_length) % 8)
				sm->bad_padding = 1;
		}
		if ((ev.flags & FCGI_EV_CONTENT) && ev.hdr.type == type) {
			memcpy(sm->content + sm->len, ev.content.p,
				ev.content.len);
			sm->len += ev.content.len;
		}
		p += k;
		n -= (size_t)k;
	}
	assert_true(fcgi_stream_at_boundary(&s));
}

static void
test_fcgi_header_round_trip_keeps_every_field(void **state)
{
	struct fcgi_header h = {1, 200, 0xbeef, 0xffff, 0xff}, d;
	enum fcgi_reason why = FCGI_E_OK;
	uint8_t b[8];

	(void)state;
	assert_int_equal(fcgi_header_encode(b, sizeof(b), &h), 8);
	assert_memory_equal(b, "\x01\xc8\xbe\xef\xff\xff\xff\x00", 8);
	assert_int_equal(fcgi_header_decode(b, 8, &d, &why), 8);
	assert_int_equal(d.type, 200);
	assert_int_equal(d.request_id, 0xbeef);
	assert_int_equal(d.content_length, 0xffff);
	assert_int_equal(d.padding_length, 0xff);
	assert_int_equal(fcgi_header_decode(b, 7, &d, &why), 0);
}

static void
test_fcgi_encoders_write_nothing_when_it_does_not_fit(void **state)
{
	uint8_t b[16];

	(void)state;
	memset(b, GUARD, sizeof(b));
	assert_int_equal(
		fcgi_header_encode(b, 7, &(struct fcgi_header){0}), -1);
	assert_int_equal(fcgi_begin_request_encode(b, 15, 1, 1, 0), -1);
	assert_int_equal(fcgi_end_request_encode(b, 15, 1, 0, 0), -1);
	assert_int_equal(fcgi_unknown_type_encode(b, 15, 12), -1);
	assert_int_equal(fcgi_abort_request_encode(b, 7, 1), -1);
	assert_true(untouched(b, sizeof(b)));
}

/* FCGI-BEGIN-2, FastCGI 1.0 Appendix B example 4. */
static void
test_fcgi_begin_request_bytes_responder_keep_conn(void **state)
{
	uint8_t b[16];
	struct fcgi_begin d;

	(void)state;
	assert_int_equal(fcgi_begin_request_encode(b, sizeof(b), 1,
				 FCGI_RESPONDER, FCGI_KEEP_CONN),
		16);
	assert_memory_equal(b,
		"\x01\x01\x00\x01\x00\x08\x00\x00\x00\x01\x01\x00\x00\x00\x00"
		"\x00",
		16);
	fcgi_begin_decode(b + 8, &d);
	assert_int_equal(d.role, FCGI_RESPONDER);
	assert_int_equal(d.flags, FCGI_KEEP_CONN);
}

/* FCGI-END-1/2, Appendix B example 3 (appStatus 938). */
static void
test_fcgi_end_request_round_trip_app_status_and_status(void **state)
{
	uint8_t b[16];
	struct fcgi_end d;

	(void)state;
	assert_int_equal(fcgi_end_request_encode(
				 b, sizeof(b), 1, 938, FCGI_REQUEST_COMPLETE),
		16);
	assert_memory_equal(b,
		"\x01\x03\x00\x01\x00\x08\x00\x00\x00\x00\x03\xaa\x00\x00\x00"
		"\x00",
		16);
	assert_int_equal(fcgi_end_request_encode(
				 b, sizeof(b), 2, 0xfffffffeu, FCGI_OVERLOADED),
		16);
	fcgi_end_decode(b + 8, &d);
	assert_int_equal(d.app_status, 0xfffffffeu);
	assert_int_equal(d.protocol_status, FCGI_OVERLOADED);
}

/* FCGI-MGMT-4 and FCGI-REC-7. */
static void
test_fcgi_unknown_type_and_abort_bytes(void **state)
{
	uint8_t b[16];

	(void)state;
	assert_int_equal(fcgi_unknown_type_encode(b, sizeof(b), 42), 16);
	assert_memory_equal(b,
		"\x01\x0b\x00\x00\x00\x08\x00\x00\x2a\x00\x00\x00\x00\x00\x00"
		"\x00",
		16);
	assert_int_equal(fcgi_abort_request_encode(b, sizeof(b), 7), 8);
	assert_memory_equal(b, "\x01\x02\x00\x07\x00\x00\x00\x00", 8);
}

/* FCGI-STREAM-1: the 16-bit truncation boundary (CVE-2007-4727). */
static void
test_fcgi_stream_65536_bytes_become_65535_and_1(void **state)
{
	size_t len = 65536, cap = fcgi_stream_size(len, FCGI_ENC_END);
	uint8_t *body = malloc(len), *out = malloc(cap);
	struct summary sm;

	(void)state;
	memset(body, 'b', len);
	body[65535] = 'Z';
	assert_int_equal(cap, 8 + 65535 + 8 + 1 + 8);
	assert_int_equal(fcgi_stream_encode(out, cap, FCGI_STDIN, 1, body, len,
				 FCGI_ENC_END),
		(long)cap);
	assert_memory_equal(out, "\x01\x05\x00\x01\xff\xff\x00\x00", 8);
	assert_memory_equal(
		out + 8 + 65535, "\x01\x05\x00\x01\x00\x01\x00\x00Z", 9);
	summarize(out, cap, FCGI_STDIN, &sm);
	assert_int_equal(sm.records, 3);
	assert_int_equal(sm.ends, 1);
	assert_int_equal(sm.len, len);
	assert_memory_equal(sm.content, body, len);
	free(sm.content);
	free(body);
	free(out);
}

/* FCGI-STREAM-1/2, FCGI-REC-9: Go's 66000-byte case and a 70000 body. */
static void
test_fcgi_stream_go_66000_and_70000_with_padding(void **state)
{
	size_t sizes[] = {66000, 70000};

	(void)state;
	for (int i = 0; i < 2; i++) {
		size_t len = sizes[i];
		size_t cap =
			fcgi_stream_size(len, FCGI_ENC_PAD8 | FCGI_ENC_END);
		uint8_t *body = malloc(len), *out = malloc(cap);
		struct summary sm;

		for (size_t j = 0; j < len; j++)
			body[j] = (uint8_t)(j * 7);
		assert_int_equal(
			fcgi_stream_encode(out, cap, FCGI_STDIN, 300, body, len,
				FCGI_ENC_PAD8 | FCGI_ENC_END),
			(long)cap);
		/* 65535 + pad 1, then rest + pad to 8, then the end. */
		assert_memory_equal(out, "\x01\x05\x01\x2c\xff\xff\x01\x00", 8);
		summarize(out, cap, FCGI_STDIN, &sm);
		assert_int_equal(sm.records, 3);
		assert_int_equal(sm.max_record, 65535);
		assert_false(sm.bad_padding);
		assert_int_equal(sm.len, len);
		assert_memory_equal(sm.content, body, len);
		free(sm.content);
		free(body);
		free(out);
	}
	/* Go: 66000 = 65535 + 465, padded 1 and 7. */
	assert_int_equal(fcgi_stream_size(66000, FCGI_ENC_PAD8 | FCGI_ENC_END),
		8 + 65535 + 1 + 8 + 465 + 7 + 8);
}

/* FCGI-STREAM-2: an empty body is the terminator alone, and without
 * FCGI_ENC_END nothing at all (an empty record would end the stream). */
static void
test_fcgi_stream_empty_body_is_only_the_terminator(void **state)
{
	uint8_t b[16];

	(void)state;
	memset(b, GUARD, sizeof(b));
	assert_int_equal(fcgi_stream_encode(b, sizeof(b), FCGI_STDIN, 1, NULL,
				 0, FCGI_ENC_END | FCGI_ENC_PAD8),
		8);
	assert_memory_equal(b, "\x01\x05\x00\x01\x00\x00\x00\x00", 8);
	assert_true(untouched(b + 8, 8));
	assert_int_equal(
		fcgi_stream_encode(b, sizeof(b), FCGI_STDIN, 1, NULL, 0, 0), 0);
}

static void
test_fcgi_stream_encode_does_not_fit_writes_nothing(void **state)
{
	uint8_t b[32];

	(void)state;
	memset(b, GUARD, sizeof(b));
	/* 8 + 3 + 5 padding + 8 = 24 bytes needed. */
	assert_int_equal(fcgi_stream_encode(b, 23, FCGI_STDOUT, 1, "abc", 3,
				 FCGI_ENC_PAD8 | FCGI_ENC_END),
		-1);
	assert_true(untouched(b, sizeof(b)));
	assert_int_equal(fcgi_stream_encode(b, 24, FCGI_STDOUT, 1, "abc", 3,
				 FCGI_ENC_PAD8 | FCGI_ENC_END),
		24);
	/* A length whose framing would wrap size_t is refused. */
	assert_int_equal(fcgi_stream_encode(b, sizeof(b), FCGI_STDOUT, 1, "",
				 (size_t)-1 - 4, 0),
		-1);
}

/* FCGI-NV-1/2: Go net/http/fcgi sizeTests. */
static void
test_fcgi_nv_4byte_length_when_over_127(void **state)
{
	static const struct {
		size_t n;
		const char *prefix;
		size_t plen;
	} t[] = {{0, "\x00", 1}, {127, "\x7f", 1}, {128, "\x80\x00\x00\x80", 4},
		{1000, "\x80\x00\x03\xe8", 4},
		{33554431, "\x81\xff\xff\xff", 4}};
	char *big = calloc(1, 33554431 + 16);

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct field f = {{"", 0}, {big, t[i].n}}, d;
		size_t sz = fcgi_nv_size(&f);
		char *out = malloc(sz);

		assert_int_equal(sz, 1 + t[i].plen + t[i].n);
		assert_int_equal(fcgi_nv_encode(out, sz, &f), (long)sz);
		assert_memory_equal(out + 1, t[i].prefix, t[i].plen);
		assert_int_equal(fcgi_nv_decode(out, sz, &d), (long)sz);
		assert_int_equal(d.value.len, t[i].n);
		assert_int_equal(fcgi_nv_decode(out, sz - 1, &d), 0);
		free(out);
	}
	free(big);
}

/* FCGI-NV-5: lengths above 2^31-1 cannot be written. */
static void
test_fcgi_nv_refuses_lengths_over_31_bits(void **state)
{
	struct field f = {{"n", 1}, {"v", (size_t)0x80000000UL}};
	uint8_t b[16];

	(void)state;
	memset(b, GUARD, sizeof(b));
	assert_int_equal(fcgi_nv_size(&f), 0);
	assert_int_equal(fcgi_nv_encode(b, sizeof(b), &f), -1);
	f.value.len = 1;
	f.name.len = (size_t)0x80000000UL;
	assert_int_equal(fcgi_nv_encode(b, sizeof(b), &f), -1);
	assert_int_equal(fcgi_nv_stream_size(FCGI_PARAMS, &f, 1, 0), 0);
	assert_int_equal(
		fcgi_nv_stream_encode(b, sizeof(b), FCGI_PARAMS, 1, &f, 1, 0),
		-1);
	assert_true(untouched(b, sizeof(b)));
}

static void
test_fcgi_nv_encode_does_not_fit_writes_nothing(void **state)
{
	struct field f = pair("SERVER_PORT", "80");
	uint8_t b[16];

	(void)state;
	memset(b, GUARD, sizeof(b));
	assert_int_equal(fcgi_nv_encode(b, 14, &f), -1);
	assert_true(untouched(b, sizeof(b)));
	assert_int_equal(fcgi_nv_encode(b, 15, &f), 15);
	assert_memory_equal(b, "\x0b\x02SERVER_PORT80", 15);
}

/* FCGI-NV-2: a four-byte form of a small length decodes (any prefix of
 * the pair is "need more"), and re-encoding gives the short form. */
static void
test_fcgi_nv_decode_need_more_at_every_prefix(void **state)
{
	static const uint8_t in[] = "\x80\x00\x00\x04\x80\x00\x00\x01NAMEv";
	struct field d;
	uint8_t out[16];

	(void)state;
	for (size_t n = 0; n < 13; n++)
		assert_int_equal(fcgi_nv_decode(in, n, &d), 0);
	assert_int_equal(fcgi_nv_decode(in, 13, &d), 13);
	assert_int_equal(fcgi_nv_encode(out, sizeof(out), &d), 7);
	assert_memory_equal(out, "\x04\x01NAMEv", 7);
}

/* FCGI-NV-7, FCGI-STREAM-1/2: params over 64 KiB straddle records. */
static void
test_fcgi_params_over_64k_straddle_records(void **state)
{
	size_t vlen = 70000;
	char *v = malloc(vlen);
	struct field nv[3];
	struct summary sm;
	size_t cap;
	uint8_t *out;
	enum fcgi_reason why = FCGI_E_OK;
	struct field d;
	size_t off = 0;

	(void)state;
	memset(v, 'c', vlen);
	nv[0] = pair("SCRIPT_FILENAME", "/srv/index.php");
	nv[1] = (struct field){{"HTTP_COOKIE", 11}, {v, vlen}};
	nv[2] = pair("REQUEST_METHOD", "GET");
	cap = fcgi_nv_stream_size(FCGI_PARAMS, nv, 3, FCGI_ENC_END);
	out = malloc(cap);
	assert_int_equal(fcgi_nv_stream_encode(out, cap - 1, FCGI_PARAMS, 1, nv,
				 3, FCGI_ENC_END),
		-1);
	assert_int_equal(fcgi_nv_stream_encode(
				 out, cap, FCGI_PARAMS, 1, nv, 3, FCGI_ENC_END),
		(long)cap);
	summarize(out, cap, FCGI_PARAMS, &sm);
	assert_int_equal(sm.records, 3);
	assert_int_equal(sm.ends, 1);
	assert_int_equal(sm.max_record, 65535);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
			fcgi_nv_next(sm.content, sm.len, &off, &d, &why), 1);
		assert_int_equal(d.name.len, nv[i].name.len);
		assert_memory_equal(d.name.p, nv[i].name.p, d.name.len);
		assert_int_equal(d.value.len, nv[i].value.len);
		assert_memory_equal(d.value.p, nv[i].value.p, d.value.len);
	}
	assert_int_equal(fcgi_nv_next(sm.content, sm.len, &off, &d, &why), 0);
	free(sm.content);
	free(out);
	free(v);
}

/* FCGI-NV-7 with padding: a pair's length prefix cut by a record end. */
static void
test_fcgi_params_padded_records_cut_inside_a_pair(void **state)
{
	/* Pair 0 is 1 + 4 + 3 + 65525 = 65533 bytes, so the first record ends
	 * between the 0x80 and 0x00 of pair 1's value length. */
	size_t vlen = 65525;
	char *v = malloc(vlen + 200);
	struct field nv[2];
	struct summary sm;
	unsigned fl = FCGI_ENC_PAD8 | FCGI_ENC_END;
	size_t cap;
	uint8_t *out;

	(void)state;
	memset(v, 'x', vlen + 200);
	nv[0] = (struct field){{"abc", 3}, {v, vlen}};
	nv[1] = (struct field){{"def", 3}, {v, 200}};
	cap = fcgi_nv_stream_size(FCGI_PARAMS, nv, 2, fl);
	out = malloc(cap);
	assert_int_equal(
		fcgi_nv_stream_encode(out, cap, FCGI_PARAMS, 9, nv, 2, fl),
		(long)cap);
	summarize(out, cap, FCGI_PARAMS, &sm);
	assert_false(sm.bad_padding);
	assert_int_equal(sm.records, 3);
	assert_int_equal(sm.len, 65533 + 5 + 3 + 200);
	assert_memory_equal(sm.content + 65533, "\x03\x80\x00\x00\xc8", 5);
	/* ... 0x80, one padding byte, the next header. */
	assert_memory_equal(out + 8 + 65533, "\x03\x80\x00\x01\x04\x00\x09", 7);
	free(sm.content);
	free(out);
	free(v);
}

/* FCGI-MGMT-2: GET_VALUES is one record, no terminator, <= 65535. */
static void
test_fcgi_get_values_is_one_record_without_terminator(void **state)
{
	struct field q[3] = {pair("FCGI_MAX_CONNS", ""),
		pair("FCGI_MAX_REQS", ""), pair("FCGI_MPXS_CONNS", "")};
	uint8_t b[128];
	struct field big = {{"n", 1}, {"", 65535}};

	(void)state;
	assert_int_equal(fcgi_nv_stream_encode(b, sizeof(b), FCGI_GET_VALUES, 0,
				 q, 3, FCGI_ENC_END | FCGI_ENC_PAD8),
		8 + 48);
	assert_memory_equal(b, "\x01\x09\x00\x00\x00\x30\x00\x00", 8);
	assert_memory_equal(b + 8,
		"\x0e\x00"
		"FCGI_MAX_CONNS",
		16);
	/* No pairs: one empty record. */
	assert_int_equal(fcgi_nv_stream_encode(b, sizeof(b),
				 FCGI_GET_VALUES_RESULT, 0, NULL, 0, 0),
		8);
	assert_memory_equal(b, "\x01\x0a\x00\x00\x00\x00\x00\x00", 8);
	/* Too big for one record. */
	assert_int_equal(
		fcgi_nv_stream_size(FCGI_GET_VALUES_RESULT, &big, 1, 0), 0);
	assert_int_equal(fcgi_nv_stream_encode(b, sizeof(b),
				 FCGI_GET_VALUES_RESULT, 0, &big, 1, 0),
		-1);
	/* An empty PARAMS list without terminator writes nothing. */
	assert_int_equal(
		fcgi_nv_stream_encode(b, sizeof(b), FCGI_PARAMS, 1, NULL, 0, 0),
		0);
	assert_int_equal(fcgi_nv_stream_encode(b, sizeof(b), FCGI_PARAMS, 1,
				 NULL, 0, FCGI_ENC_END),
		8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fcgi_header_round_trip_keeps_every_field),
		cmocka_unit_test(
			test_fcgi_encoders_write_nothing_when_it_does_not_fit),
		cmocka_unit_test(
			test_fcgi_begin_request_bytes_responder_keep_conn),
		cmocka_unit_test(
			test_fcgi_end_request_round_trip_app_status_and_status),
		cmocka_unit_test(test_fcgi_unknown_type_and_abort_bytes),
		cmocka_unit_test(
			test_fcgi_stream_65536_bytes_become_65535_and_1),
		cmocka_unit_test(
			test_fcgi_stream_go_66000_and_70000_with_padding),
		cmocka_unit_test(
			test_fcgi_stream_empty_body_is_only_the_terminator),
		cmocka_unit_test(
			test_fcgi_stream_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(test_fcgi_nv_4byte_length_when_over_127),
		cmocka_unit_test(test_fcgi_nv_refuses_lengths_over_31_bits),
		cmocka_unit_test(
			test_fcgi_nv_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(test_fcgi_nv_decode_need_more_at_every_prefix),
		cmocka_unit_test(test_fcgi_params_over_64k_straddle_records),
		cmocka_unit_test(
			test_fcgi_params_padded_records_cut_inside_a_pair),
		cmocka_unit_test(
			test_fcgi_get_values_is_one_record_without_terminator),
	};

	return cmocka_run_group_tests_name(
		"fastcgi encoders", tests, NULL, NULL);
}
