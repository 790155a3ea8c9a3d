/*
 * Unit tests for the CGI response head codec (ref/codec/cgi_resp.c,
 * spec/cgi.md CGI-RESP-* and CGI-NPH-*): every vector in
 * spec/vectors/cgi-response fed whole, split at every byte, byte by byte
 * and at random cuts; then named tests for the encoder, round trips,
 * options, limits and each error branch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/cgi_resp.h"
#include "test/vec.h"

/* Field array size the driver uses unless a vector says max-fields=N. */
#define DRIVER_FIELDS CGI_RESP_MAX_FIELDS_DEFAULT
/* spec/cgi.md "Rendering": longer slices are shortened. */
#define RENDER_LONG 200
#define RENDER_HEAD 16

static struct vec_set vectors;

#define S(lit)                                                                 \
	(struct slice)                                                         \
	{                                                                      \
		lit, sizeof(lit) - 1                                           \
	}

static void
vec_opts(const struct vec *v, struct cgi_resp_opts *o, size_t *cap)
{
	const char *mh = strstr(v->opts, "max-head=");
	const char *mf = strstr(v->opts, "max-fields=");

	o->flags = 0;
	if (vec_has_word(v->opts, "nph"))
		o->flags |= CGI_RESP_NPH;
	if (vec_has_word(v->opts, "detect-nph"))
		o->flags |= CGI_RESP_DETECT_NPH;
	if (vec_has_word(v->opts, "lenient-relative-location"))
		o->flags |= CGI_RESP_LENIENT_RELATIVE_LOCATION;
	if (vec_has_word(v->opts, "lenient-no-cgi-field"))
		o->flags |= CGI_RESP_LENIENT_NO_CGI_FIELD;
	if (vec_has_word(v->opts, "allow-te-chunked"))
		o->flags |= CGI_RESP_ALLOW_TE_CHUNKED;
	o->max_head = mh ? strtoul(mh + 9, NULL, 10) : 0;
	*cap = mf ? strtoul(mf + 11, NULL, 10) : DRIVER_FIELDS;
}

/* Escape a slice, shortening it past RENDER_LONG bytes. */
static void
text(char *dst, size_t cap, struct slice s)
{
	if (s.len <= RENDER_LONG) {
		vec_escape(dst, cap, s.p, s.len);
		return;
	}
	vec_escape(dst, cap, s.p, RENDER_HEAD);
	snprintf(dst + strlen(dst), cap - strlen(dst), "...[%zu bytes]", s.len);
}

static const char *const type_names[] = {
	"document", "local-redirect", "client-redirect"};
static const char *const loc_names[] = {
	"none", "local", "absolute", "relative"};

/* Render a decoded head as spec/cgi.md "Rendering" defines. */
static void
render(struct vec_out *out, const struct cgi_resp *r, const struct field *f)
{
	char a[1024], b[1024];

	if (r->nph_minor >= 0)
		vec_out_line(out, "nph=1.%d", r->nph_minor);
	vec_out_line(out, "status=%d", r->status);
	if (r->reason.len > 0) {
		text(a, sizeof(a), r->reason);
		vec_out_line(out, "reason=%s", a);
	}
	vec_out_line(out, "type=%s", type_names[r->type]);
	if (r->location_kind != CGI_RESP_LOC_NONE)
		vec_out_line(out, "location=%s", loc_names[r->location_kind]);
	if (r->content_type.p != NULL) {
		text(a, sizeof(a), r->content_type);
		vec_out_line(out, "content-type=%s", a);
	}
	if (r->content_length >= 0)
		vec_out_line(out, "content-length=%lld",
			(long long)r->content_length);
	if (r->chunked)
		vec_out_line(out, "chunked=1");
	for (size_t i = 0; i < r->nfields; i++) {
		text(a, sizeof(a), f[i].name);
		text(b, sizeof(b), f[i].value);
		vec_out_line(
			out, "field=%s:%s%s", a, f[i].value.len ? " " : "", b);
	}
}

/*
 * Feed the pieces as a backend would deliver them: after each piece the
 * decoder sees everything so far, in a fresh exact-size block so ASan
 * catches an over-read; 0 means "wait for more".
 */
static void
cgi_driver(const struct vec *v, const struct vec_piece *pc, size_t np,
	struct vec_out *out)
{
	struct cgi_resp_opts o;
	struct cgi_resp r;
	enum cgi_resp_reason why = CGI_RESP_OK;
	struct field *fields;
	size_t cap, len, total = 0;
	uint8_t *buf = NULL;
	int rc = 0;

	vec_opts(v, &o, &cap);
	fields = malloc((cap ? cap : 1) * sizeof(*fields));
	for (size_t i = 0; i < np; i++)
		total += pc[i].len;
	for (size_t i = 1; i <= np && rc == 0; i++) {
		free(buf);
		buf = vec_join(pc, np, i, &len);
		rc = cgi_resp_decode(
			(const char *)buf, len, &o, &r, fields, cap, &why);
	}
	if (rc < 0) {
		vec_out_result(out, "error %s", cgi_resp_reason_name(why));
	} else if (rc == 0) {
		vec_out_result(out, "partial");
	} else {
		if ((size_t)rc == total)
			vec_out_result(out, "ok");
		else
			vec_out_result(out, "ok %d", rc);
		render(out, &r, fields);
	}
	free(buf);
	free(fields);
}

static void
test_cgi_resp_vectors_reach_every_reason(void **state)
{
	static const char *names[CGI_RESP_REASON_COUNT];
	size_t n = 0;

	(void)state;
	for (int i = 1; i < CGI_RESP_REASON_COUNT; i++)
		names[n++] = cgi_resp_reason_name((enum cgi_resp_reason)i);
	names[n] = NULL;
	vec_assert_reasons_covered(&vectors, names);
}

static void
test_cgi_resp_reason_names_and_502_mapping(void **state)
{
	(void)state;
	assert_string_equal(cgi_resp_reason_name(CGI_RESP_OK), "OK");
	assert_string_equal(
		cgi_resp_reason_name(CGI_RESP_REASON_COUNT), "UNKNOWN");
	assert_int_equal(cgi_resp_reason_status(CGI_RESP_OK), 200);
	for (int i = 1; i < CGI_RESP_REASON_COUNT; i++)
		assert_int_equal(
			cgi_resp_reason_status((enum cgi_resp_reason)i), 502);
}

static int
decode(const char *s, unsigned flags, struct cgi_resp *r, struct field *f,
	size_t nf, enum cgi_resp_reason *why)
{
	struct cgi_resp_opts o = {flags, 0};

	return cgi_resp_decode(s, strlen(s), &o, r, f, nf, why);
}

static void
test_cgi_resp_encode_canonical_crlf_head(void **state)
{
	const struct field f[] = {{S("Content-Type"), S("text/html")},
		{S("Set-Cookie"), S("a=1")}};
	const char want[] = "Status: 404 Not Found\r\nContent-Type: text/html"
			    "\r\nSet-Cookie: a=1\r\n\r\n";
	char buf[128];

	(void)state;
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 404, S("Not Found"), f, 2),
		sizeof(want) - 1);
	assert_memory_equal(buf, want, sizeof(want) - 1);
	/* No Status, no reason, no fields: just the empty line. */
	assert_int_equal(cgi_resp_encode(buf, 2, 0, S(""), NULL, 0), 2);
	assert_memory_equal(buf, "\r\n", 2);
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 204, S(""), NULL, 0), 15);
	assert_memory_equal(buf, "Status: 204\r\n\r\n", 15);
}

static void
test_cgi_resp_encode_does_not_fit_writes_nothing(void **state)
{
	const struct field f[] = {{S("Content-Type"), S("text/html")}};
	char buf[64];
	int n;

	(void)state;
	n = cgi_resp_encode(buf, sizeof(buf), 200, S("OK"), f, 1);
	assert_true(n > 0);
	for (int cap = 0; cap < n; cap++) {
		memset(buf, 'Z', sizeof(buf));
		assert_int_equal(
			cgi_resp_encode(buf, (size_t)cap, 200, S("OK"), f, 1),
			-1);
		for (size_t i = 0; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'Z');
	}
}

static void
test_cgi_resp_encode_refuses_status_out_of_range_and_huge_sizes(void **state)
{
	struct field huge = {S("X"), {"v", (size_t)-1 / 2}};
	struct slice big = {"r", (size_t)-1 / 2};
	char buf[64];

	(void)state;
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 99, S(""), NULL, 0), -1);
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 600, S(""), NULL, 0), -1);
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 200, big, NULL, 0), -1);
	assert_int_equal(
		cgi_resp_encode(buf, sizeof(buf), 0, S(""), &huge, 1), -1);
}

static void
test_cgi_resp_round_trip_decode_encode_decode(void **state)
{
	char out[70000];
	struct field f1[DRIVER_FIELDS], f2[DRIVER_FIELDS];
	struct cgi_resp r1, r2;
	enum cgi_resp_reason why;
	struct cgi_resp_opts o = {0, 0};
	size_t done = 0;

	(void)state;
	/* Every decodable vector re-encodes to a head that decodes alike. */
	for (size_t i = 0; i < vectors.n; i++) {
		const struct vec *v = &vectors.v[i];
		size_t cap;
		int n, m;

		vec_opts(v, &o, &cap);
		if (cap > DRIVER_FIELDS)
			cap = DRIVER_FIELDS;
		n = cgi_resp_decode(
			(const char *)v->in, v->in_len, &o, &r1, f1, cap, &why);
		if (n <= 0 || r1.nph_minor >= 0)
			continue;
		m = cgi_resp_encode(out, sizeof(out),
			r1.has_status ? r1.status : 0, r1.reason, f1,
			r1.nfields);
		assert_true(m > 0);
		assert_int_equal(
			cgi_resp_decode(out, (size_t)m, &o, &r2, f2, cap, &why),
			m);
		assert_int_equal(r1.status, r2.status);
		assert_int_equal(r1.type, r2.type);
		assert_int_equal(r1.location_kind, r2.location_kind);
		assert_true(r1.content_length == r2.content_length);
		assert_int_equal(r1.nfields, r2.nfields);
		for (size_t k = 0; k < r1.nfields; k++) {
			assert_int_equal(f1[k].value.len, f2[k].value.len);
			assert_memory_equal(
				f1[k].value.p, f2[k].value.p, f1[k].value.len);
		}
		done++;
	}
	assert_true(done > 20);
}

static void
test_cgi_resp_every_prefix_is_partial_or_same_error(void **state)
{
	const char head[] = "Status: 404 Not Found\r\nContent-Type: text/html"
			    "\r\nLocation: /x\r\n\r\n";
	struct field f[8];
	struct cgi_resp r;
	enum cgi_resp_reason why;
	struct cgi_resp_opts o = {0, 0};

	(void)state;
	for (size_t n = 0; n < sizeof(head) - 1; n++)
		assert_int_equal(
			cgi_resp_decode(head, n, &o, &r, f, 8, &why), 0);
	assert_int_equal(
		cgi_resp_decode(head, sizeof(head) - 1, NULL, &r, f, 8, &why),
		sizeof(head) - 1);
	assert_int_equal(r.type, CGI_RESP_CLIENT_REDIRECT);
	assert_int_equal(r.status, 404);
}

static void
test_cgi_resp_local_redirect_only_for_lone_local_location(void **state)
{
	struct field f[4];
	struct cgi_resp r;
	enum cgi_resp_reason why;

	(void)state;
	assert_true(decode("Location: /a?b\n\n", 0, &r, f, 4, &why) > 0);
	assert_int_equal(r.type, CGI_RESP_LOCAL_REDIRECT);
	assert_int_equal(r.status, 302);
	assert_int_equal(r.location.len, 4);
	assert_memory_equal(r.location.p, "/a?b", 4);
	assert_true(decode("Location: /a\nContent-Type: text/html\n\n", 0, &r,
			    f, 4, &why) > 0);
	assert_int_equal(r.type, CGI_RESP_CLIENT_REDIRECT);
	assert_true(decode("Location: http://h/\n\n", 0, &r, f, 4, &why) > 0);
	assert_int_equal(r.type, CGI_RESP_CLIENT_REDIRECT);
	assert_int_equal(r.location_kind, CGI_RESP_LOC_ABSOLUTE);
}

static void
test_cgi_resp_zero_field_array_is_too_many_fields(void **state)
{
	struct cgi_resp r;
	enum cgi_resp_reason why;

	(void)state;
	assert_int_equal(
		decode("Content-Type: a/b\n\n", 0, &r, NULL, 0, &why), -1);
	assert_int_equal(why, CGI_RESP_TOO_MANY_FIELDS);
	/* Status alone needs no slot. */
	assert_true(decode("Status: 200\n\n", 0, &r, NULL, 0, &why) > 0);
}

static void
test_cgi_resp_max_head_ceiling_and_default(void **state)
{
	static char big[CGI_RESP_MAX_HEAD_DEFAULT + 8];
	struct cgi_resp_opts o = {0, (size_t)-1};
	struct field f[4];
	struct cgi_resp r;
	enum cgi_resp_reason why;

	(void)state;
	memset(big, 'a', sizeof(big));
	/* A huge max_head is clamped, so a 64 KiB line is only partial. */
	assert_int_equal(
		cgi_resp_decode(big, sizeof(big), &o, &r, f, 4, &why), 0);
	/* The default limit refuses it. */
	assert_int_equal(
		cgi_resp_decode(big, sizeof(big), NULL, &r, f, 4, &why), -1);
	assert_int_equal(why, CGI_RESP_HEAD_TOO_LARGE);
}

static void
test_cgi_resp_nph_detect_needs_http_prefix(void **state)
{
	struct field f[4];
	struct cgi_resp r;
	enum cgi_resp_reason why;

	(void)state;
	/* "HTTP" without "/" is an ordinary (bad) field line. */
	assert_int_equal(
		decode("HTTP 200 OK\n\n", CGI_RESP_DETECT_NPH, &r, f, 4, &why),
		-1);
	assert_int_equal(why, CGI_RESP_NO_COLON);
	assert_int_equal(
		decode("HTTP\n\n", CGI_RESP_DETECT_NPH, &r, f, 4, &why), -1);
	assert_int_equal(why, CGI_RESP_NO_COLON);
	/* Only the first line may be a status line. */
	assert_int_equal(decode("Status: 200\nHTTP/1.1 200 OK\n\n",
				 CGI_RESP_DETECT_NPH, &r, f, 4, &why),
		-1);
	assert_int_equal(why, CGI_RESP_NO_COLON);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgi_resp_vectors_reach_every_reason),
		cmocka_unit_test(test_cgi_resp_reason_names_and_502_mapping),
		cmocka_unit_test(test_cgi_resp_encode_canonical_crlf_head),
		cmocka_unit_test(
			test_cgi_resp_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(
			test_cgi_resp_encode_refuses_status_out_of_range_and_huge_sizes),
		cmocka_unit_test(test_cgi_resp_round_trip_decode_encode_decode),
		cmocka_unit_test(
			test_cgi_resp_every_prefix_is_partial_or_same_error),
		cmocka_unit_test(
			test_cgi_resp_local_redirect_only_for_lone_local_location),
		cmocka_unit_test(
			test_cgi_resp_zero_field_array_is_too_many_fields),
		cmocka_unit_test(test_cgi_resp_max_head_ceiling_and_default),
		cmocka_unit_test(test_cgi_resp_nph_detect_needs_http_prefix),
	};
	int rc;

	vec_load_dir(&vectors, "cgi-response");
	rc = vec_run_all("cgi-response vectors", &vectors, cgi_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&vectors);
	return rc != 0;
}
