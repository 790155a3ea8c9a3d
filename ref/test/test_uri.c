/*
 * Unit tests for the URI path codec (ref/codec/uri.c, spec/uri.md): every
 * vector in spec/vectors/uri-path at every split point, plus named tests
 * for the encoder's round trip and "does not fit" path, each option, the
 * SCRIPT_NAME/PATH_INFO split helper and every error branch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/uri.h"
#include "test/vec.h"

/* Output space the driver gives the codec unless a vector says cap=N. */
#define DRIVER_CAP 8192

static const struct {
	const char *word;
	unsigned flag;
} opt_words[] = {
	{"2f-decode", URI_2F_DECODE},
	{"2f-reject", URI_2F_REJECT},
	{"dotseg-reject", URI_DOTSEG_REJECT},
	{"merge-slashes", URI_MERGE_SLASHES},
	{"backslash-trans", URI_BACKSLASH_TRANS},
	{"ctrls-allow", URI_CTRLS_ALLOW},
	{"lenient-chars", URI_LENIENT_CHARS},
};

static unsigned
vec_opts(const struct vec *v, size_t *cap)
{
	const char *c = strstr(v->opts, "cap=");
	unsigned o = 0;

	for (size_t i = 0; i < sizeof(opt_words) / sizeof(opt_words[0]); i++)
		if (vec_has_word(v->opts, opt_words[i].word))
			o |= opt_words[i].flag;
	*cap = c ? strtoul(c + 4, NULL, 10) : DRIVER_CAP;
	return o;
}

/* vec_out_bytes with room to spare: it renders nothing for 1 byte. */
static void
out_bytes(struct vec_out *o, const char *prefix, const void *p, size_t n)
{
	char *tmp = malloc(n * 4 + 8);

	vec_escape(tmp, n * 4 + 8, p, n);
	vec_out_line(o, "%s%s", prefix, tmp);
	free(tmp);
}

/*
 * The request-target is complete when the head codec hands it over, so the
 * driver joins the pieces; the rendering is spec/uri.md "Rendering".
 */
static void
uri_driver(const struct vec *v, const struct vec_piece *pc, size_t n,
	struct vec_out *out)
{
	size_t len, cap;
	unsigned opts = vec_opts(v, &cap);
	uint8_t *in = vec_join(pc, n, n, &len);
	char *buf = malloc(cap ? cap : 1), *enc = malloc(3 * DRIVER_CAP + 3);
	struct uri_path r;
	const char *split;
	long rc;

	rc = uri_path_normalize((const char *)in, len, opts, buf, cap, &r);
	if (rc < 0) {
		vec_out_result(out, "error %s", uri_reason_name(r.reason));
		goto done;
	}
	assert_int_equal(rc, (long)len);
	vec_out_result(out, "ok");
	out_bytes(out, "path=", r.path.p, r.path.len);
	if (r.has_query)
		out_bytes(out, "query=", r.query.p, r.query.len);
	rc = uri_path_encode(
		r.path.p, r.path.len, opts, enc, 3 * DRIVER_CAP + 3);
	if (rc >= 0)
		out_bytes(out, "encoded=", enc, (size_t)rc);
	if ((split = strstr(v->opts, "split=")) != NULL) {
		struct slice script, info;
		size_t plen = strcspn(split + 6, " ");

		if (uri_path_split(r.path, split + 6, plen, &script, &info)) {
			vec_out_line(out, "split=none");
		} else {
			out_bytes(out, "script=", script.p, script.len);
			out_bytes(out, "info=", info.p, info.len);
		}
	}
done:
	free(in);
	free(buf);
	free(enc);
}

static struct vec_set set;

static const char *const reasons[] = {"BAD_PERCENT", "NUL", "CTL", "BAD_CHAR",
	"ENCODED_SLASH", "DOTSEG", "NOT_ABSOLUTE", "TOO_LONG", NULL};

static void
test_uri_every_reason_has_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&set, reasons);
	for (int r = URI_OK; r <= URI_TOO_LONG; r++)
		assert_string_not_equal(
			uri_reason_name((enum uri_reason)r), "UNKNOWN");
	assert_string_equal(uri_reason_name((enum uri_reason)99), "UNKNOWN");
}

/* Normalise s with opts into a 256-byte buffer; returns the NUL-ended path
 * or the reason name. */
static const char *
norm(const char *s, unsigned opts)
{
	static char buf[257], res[300];
	struct uri_path r;

	if (uri_path_normalize(s, strlen(s), opts, buf, 256, &r) < 0) {
		snprintf(res, sizeof(res), "%s", uri_reason_name(r.reason));
		return res;
	}
	snprintf(res, sizeof(res), "%.*s", (int)r.path.len, r.path.p);
	return res;
}

static void
test_uri_dot_removal_never_climbs_above_root(void **state)
{
	(void)state;
	assert_string_equal(norm("/..", 0), "/");
	assert_string_equal(norm("/../../a", 0), "/a");
	assert_string_equal(norm("/a/../..", 0), "/");
	assert_string_equal(norm("/a/b/..", 0), "/a/");
	assert_string_equal(norm("/a/.", 0), "/a/");
	assert_string_equal(norm("/.", 0), "/");
	assert_string_equal(norm("/a//..", 0), "/a/");
	assert_string_equal(norm("/a/...", 0), "/a/...");
}

static void
test_uri_encoded_dots_are_dot_segments_but_double_encoded_are_not(void **state)
{
	(void)state;
	assert_string_equal(norm("/a/%2e%2E/b", 0), "/b");
	assert_string_equal(norm("/a/.%2e/b", 0), "/b");
	assert_string_equal(norm("/a/%252e%252e/b", 0), "/a/%252e%252e/b");
	assert_string_equal(
		norm("/a/%252e%252e/b", URI_2F_DECODE), "/a/%2e%2e/b");
	assert_string_equal(norm("/a/..%2f/b", 0), "/a/..%2F/b");
	/* RFC 3986 §5.2.4: "/a/..//b" keeps the empty segment. */
	assert_string_equal(norm("/a/..%2f/b", URI_2F_DECODE), "//b");
	assert_string_equal(
		norm("/a/..%2f/b", URI_2F_DECODE | URI_MERGE_SLASHES), "/b");
}

static void
test_uri_options_change_only_their_own_bytes(void **state)
{
	(void)state;
	assert_string_equal(norm("//a///b", 0), "//a///b");
	assert_string_equal(norm("//a///b", URI_MERGE_SLASHES), "/a/b");
	assert_string_equal(norm("/a\\b", 0), "BAD_CHAR");
	assert_string_equal(norm("/a\\b", URI_BACKSLASH_TRANS), "/a/b");
	assert_string_equal(norm("/a%5cb", 0), "/a\\b");
	assert_string_equal(norm("/a%5c..%5cb", URI_BACKSLASH_TRANS), "/b");
	assert_string_equal(norm("/a%09b", 0), "CTL");
	assert_string_equal(norm("/a%09b", URI_CTRLS_ALLOW), "/a\tb");
	assert_string_equal(norm("/a\tb", URI_CTRLS_ALLOW), "CTL");
	assert_string_equal(norm("/a<b>", URI_LENIENT_CHARS), "/a<b>");
	assert_string_equal(norm("/a b", URI_LENIENT_CHARS), "BAD_CHAR");
	assert_string_equal(norm("/./a", URI_DOTSEG_REJECT), "DOTSEG");
	assert_string_equal(norm("/a/..", URI_DOTSEG_REJECT), "DOTSEG");
	assert_string_equal(norm("/a/.b/c.", URI_DOTSEG_REJECT), "/a/.b/c.");
	assert_string_equal(norm("/%2f", URI_2F_REJECT), "ENCODED_SLASH");
	assert_string_equal(norm("/%25", 0), "/%25");
	assert_string_equal(norm("/%25", URI_2F_REJECT), "/%");
}

static void
test_uri_error_offset_points_at_the_bad_byte(void **state)
{
	char buf[64];
	struct uri_path r;

	(void)state;
	assert_int_equal(uri_path_normalize("/ab%zz", 6, 0, buf, 64, &r), -1);
	assert_int_equal(r.reason, URI_BAD_PERCENT);
	assert_int_equal(r.err_off, 3);
	assert_int_equal(uri_path_normalize("/ab%0", 5, 0, buf, 64, &r), -1);
	assert_int_equal(r.err_off, 3);
	assert_int_equal(uri_path_normalize("/a\x01", 3, 0, buf, 64, &r), -1);
	assert_int_equal(r.reason, URI_CTL);
	assert_int_equal(r.err_off, 2);
	assert_int_equal(uri_path_normalize("/a?b%", 5, 0, buf, 64, &r), -1);
	assert_int_equal(r.reason, URI_BAD_PERCENT);
	assert_int_equal(r.err_off, 4);
	assert_int_equal(uri_path_normalize("/a?\x7f", 4, 0, buf, 64, &r), -1);
	assert_int_equal(r.reason, URI_CTL);
	assert_int_equal(r.err_off, 3);
	/* A percent sequence cut by the '?' is malformed, not decoded. */
	assert_int_equal(uri_path_normalize("/a%4?1", 6, 0, buf, 64, &r), -1);
	assert_int_equal(r.reason, URI_BAD_PERCENT);
}

static void
test_uri_output_space_limits_every_write(void **state)
{
	char buf[16];
	struct uri_path r;

	(void)state;
	for (size_t cap = 0; cap < 7; cap++) {
		long rc = uri_path_normalize("/a/%2f", 6, 0, buf, cap, &r);

		assert_int_equal(rc, cap >= 6 ? 6 : -1);
		if (rc < 0)
			assert_int_equal(r.reason, URI_TOO_LONG);
	}
	/* The trailing '/' of a kept segment needs space too. */
	assert_int_equal(uri_path_normalize("/ab/", 4, 0, buf, 3, &r), -1);
	assert_int_equal(r.reason, URI_TOO_LONG);
	assert_int_equal(uri_path_normalize("/a%25", 5, 0, buf, 3, &r), -1);
	assert_int_equal(r.reason, URI_TOO_LONG);
}

static void
test_uri_encode_round_trips_and_writes_nothing_when_short(void **state)
{
	char out[32];
	const char *p = "/a b/%2F/~x?#\x80";
	long n;

	(void)state;
	n = uri_path_encode(p, strlen(p), 0, out, sizeof(out));
	assert_int_equal(n, 22);
	assert_memory_equal(out, "/a%20b/%2F/~x%3F%23%80", 22);
	memset(out, 'Z', sizeof(out));
	assert_int_equal(uri_path_encode(p, strlen(p), 0, out, 21), -1);
	assert_int_equal(out[0], 'Z');
	n = uri_path_encode("/%", 2, URI_2F_DECODE, out, sizeof(out));
	assert_int_equal(n, 4);
	assert_memory_equal(out, "/%25", 4);
	assert_string_equal(
		norm("/a%20b/%2F/~x%3F%23%80", 0), "/a b/%2F/~x?#\x80");
}

static void
test_uri_split_only_at_segment_boundary(void **state)
{
	struct slice path = {"/cgi-bin/a.cgi/x/y", 18}, s = {0}, i = {0};

	(void)state;
	assert_int_equal(uri_path_split(path, "/cgi-bin/a.cgi", 14, &s, &i), 0);
	assert_int_equal(s.len, 14);
	assert_memory_equal(i.p, "/x/y", 4);
	assert_int_equal(uri_path_split(path, "/cgi-bin/", 9, &s, &i), 0);
	assert_memory_equal(i.p, "a.cgi/x/y", 9);
	assert_int_equal(uri_path_split(path, "/cgi-bin/a.cg", 13, &s, &i), -1);
	assert_int_equal(uri_path_split(path, "/cgi-bin/b", 10, &s, &i), -1);
	assert_int_equal(uri_path_split(path, path.p, 18, &s, &i), 0);
	assert_int_equal(i.len, 0);
	assert_int_equal(
		uri_path_split(path, "/cgi-bin/a.cgi/x/y/", 19, &s, &i), -1);
	assert_int_equal(uri_path_split(path, "", 0, &s, &i), 0);
	assert_int_equal(s.len, 0);
}

static void
test_uri_query_is_split_at_first_question_mark_and_kept_raw(void **state)
{
	char buf[64];
	struct uri_path r;

	(void)state;
	assert_int_equal(uri_path_normalize("/a?b?c%00", 9, 0, buf, 64, &r), 9);
	assert_true(r.has_query);
	assert_int_equal(r.query.len, 6);
	assert_memory_equal(r.query.p, "b?c%00", 6);
	assert_int_equal(uri_path_normalize("/a?", 3, 0, buf, 64, &r), 3);
	assert_true(r.has_query);
	assert_int_equal(r.query.len, 0);
	assert_int_equal(uri_path_normalize("/a", 2, 0, buf, 64, &r), 2);
	assert_false(r.has_query);
	assert_null(r.query.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_every_reason_has_a_vector),
		cmocka_unit_test(test_uri_dot_removal_never_climbs_above_root),
		cmocka_unit_test(
			test_uri_encoded_dots_are_dot_segments_but_double_encoded_are_not),
		cmocka_unit_test(test_uri_options_change_only_their_own_bytes),
		cmocka_unit_test(test_uri_error_offset_points_at_the_bad_byte),
		cmocka_unit_test(test_uri_output_space_limits_every_write),
		cmocka_unit_test(
			test_uri_encode_round_trips_and_writes_nothing_when_short),
		cmocka_unit_test(test_uri_split_only_at_segment_boundary),
		cmocka_unit_test(
			test_uri_query_is_split_at_first_question_mark_and_kept_raw),
	};
	int rc;

	vec_load_dir(&set, "uri-path");
	rc = vec_run_all("uri-path vectors", &set, uri_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc;
}
