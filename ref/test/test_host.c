/*
 * Unit tests for the Host codec (ref/codec/host.c, spec/uri.md URI-HOST-*):
 * every vector in spec/vectors/host at every split point, plus named tests
 * for the address helpers fwd.c shares, the option boundaries, the
 * port range and the reason names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/host.h"
#include "test/vec.h"

static const struct {
	const char *word;
	unsigned flag;
} opt_words[] = {
	{"allow-empty", HOST_ALLOW_EMPTY},
	{"rfc3986", HOST_RFC3986},
	{"port-any", HOST_PORT_ANY},
};

static unsigned
vec_opts(const struct vec *v)
{
	unsigned o = 0;

	for (size_t i = 0; i < sizeof(opt_words) / sizeof(opt_words[0]); i++)
		if (vec_has_word(v->opts, opt_words[i].word))
			o |= opt_words[i].flag;
	return o;
}

static const char *
kind_name(enum host_kind k)
{
	return k == HOST_IPV4 ? "ipv4" : k == HOST_IPV6 ? "ipv6" : "reg-name";
}

/*
 * A Host value is complete when the head codec hands it over, so the
 * driver joins the pieces; the rendering is spec/uri.md "Rendering (Host)".
 */
static void
host_driver(const struct vec *v, const struct vec_piece *pc, size_t n,
	struct vec_out *out)
{
	size_t len;
	uint8_t *in = vec_join(pc, n, n, &len);
	struct host_port hp;
	enum host_reason why = HOST_OK;

	if (host_parse((const char *)in, len, vec_opts(v), &hp, &why) < 0) {
		assert_int_not_equal(why, HOST_OK);
		vec_out_result(out, "error %s", host_reason_name(why));
		goto done;
	}
	assert_int_equal(why, HOST_OK);
	vec_out_result(out, "ok");
	vec_out_line(out, "kind=%s", kind_name(hp.kind));
	vec_out_bytes(out, "host=", hp.host.p, hp.host.len);
	vec_out_line(out, "port=%d", hp.port);
	if (hp.port_text.p != NULL)
		vec_out_bytes(
			out, "port-text=", hp.port_text.p, hp.port_text.len);
done:
	free(in);
}

static struct vec_set set;

static const char *const reasons[] = {"EMPTY", "BAD_IPV6", "BAD_IPV4",
	"BAD_NAME", "BAD_CHAR", "BAD_PERCENT", "BAD_PORT", NULL};

static void
test_host_every_reason_has_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&set, reasons);
	for (int r = HOST_OK; r <= HOST_BAD_PORT; r++)
		assert_string_not_equal(
			host_reason_name((enum host_reason)r), "UNKNOWN");
	assert_string_equal(host_reason_name((enum host_reason)99), "UNKNOWN");
}

/* Parse s with opts; returns "kind host port" or the reason name. */
static const char *
hp(const char *s, unsigned opts)
{
	static char res[300];
	struct host_port h;
	enum host_reason why;

	if (host_parse(s, strlen(s), opts, &h, &why) < 0)
		return host_reason_name(why);
	snprintf(res, sizeof(res), "%s %.*s %d", kind_name(h.kind),
		(int)h.host.len, h.host.p, h.port);
	return res;
}

static void
test_host_empty_needs_allow_empty_and_null_is_fine(void **state)
{
	struct host_port h;
	enum host_reason why;

	(void)state;
	assert_int_equal(host_parse(NULL, 0, 0, &h, &why), -1);
	assert_int_equal(why, HOST_EMPTY);
	assert_int_equal(host_parse(NULL, 0, HOST_ALLOW_EMPTY, &h, &why), 0);
	assert_int_equal(h.host.len, 0);
	assert_null(h.port_text.p);
	assert_string_equal(hp(":", HOST_ALLOW_EMPTY), "reg-name  -1");
	assert_string_equal(hp(":", 0), "EMPTY");
}

static void
test_host_port_range_is_1_to_65535_unless_port_any(void **state)
{
	(void)state;
	assert_string_equal(hp("a:1", 0), "reg-name a 1");
	assert_string_equal(hp("a:65535", 0), "reg-name a 65535");
	assert_string_equal(hp("a:65536", 0), "BAD_PORT");
	assert_string_equal(hp("a:99999", 0), "BAD_PORT");
	assert_string_equal(hp("a:100000", 0), "BAD_PORT");
	assert_string_equal(hp("a:0", 0), "BAD_PORT");
	assert_string_equal(hp("a:00", HOST_PORT_ANY), "reg-name a 0");
	assert_string_equal(hp("a:65536", HOST_PORT_ANY), "reg-name a -1");
	assert_string_equal(hp("a:-1", HOST_PORT_ANY), "BAD_PORT");
	assert_string_equal(hp("a: 80", 0), "BAD_PORT");
}

static void
test_host_rfc3986_option_widens_only_the_name(void **state)
{
	struct host_port h;
	enum host_reason why;

	(void)state;
	assert_string_equal(hp("a~b", 0), "BAD_CHAR");
	assert_string_equal(hp("a~b", HOST_RFC3986), "reg-name a~b -1");
	assert_string_equal(hp("%41", HOST_RFC3986), "reg-name %41 -1");
	assert_string_equal(hp("%4", HOST_RFC3986), "BAD_PERCENT");
	assert_string_equal(hp("a..b", HOST_RFC3986), "reg-name a..b -1");
	assert_string_equal(hp("127.1", HOST_RFC3986), "reg-name 127.1 -1");
	assert_string_equal(hp("127.0.0.1", HOST_RFC3986), "ipv4 127.0.0.1 -1");
	/* Ports and IP literals are the same in both modes. */
	assert_string_equal(hp("a:0", HOST_RFC3986), "BAD_PORT");
	assert_string_equal(hp("[::1]", HOST_RFC3986), "ipv6 ::1 -1");
	assert_string_equal(hp("[::1%25x]", HOST_RFC3986), "BAD_IPV6");
	assert_string_equal(hp("a\x80", HOST_RFC3986), "BAD_CHAR");
	/* NUL is in neither set. */
	assert_int_equal(host_parse("a\0b", 3, HOST_RFC3986, &h, &why), -1);
	assert_int_equal(why, HOST_BAD_CHAR);
	assert_int_equal(host_parse("a\0b", 3, 0, &h, &why), -1);
	assert_int_equal(why, HOST_BAD_CHAR);
}

static void
test_host_name_labels_and_numeric_shapes(void **state)
{
	(void)state;
	assert_string_equal(hp("0.0.0.0", 0), "ipv4 0.0.0.0 -1");
	assert_string_equal(
		hp("255.255.255.255", 0), "ipv4 255.255.255.255 -1");
	assert_string_equal(hp("1.2.3.4.5", 0), "BAD_IPV4");
	assert_string_equal(hp("1.2.3", 0), "BAD_IPV4");
	assert_string_equal(hp("1.2.3.1234", 0), "BAD_IPV4");
	assert_string_equal(hp("1.2.3.04", 0), "BAD_IPV4");
	assert_string_equal(hp("a.b1", 0), "reg-name a.b1 -1");
	assert_string_equal(hp("a.1b", 0), "reg-name a.1b -1");
	assert_string_equal(hp("a.", 0), "reg-name a. -1");
	assert_string_equal(hp("a..", 0), "BAD_NAME");
	assert_string_equal(hp("-", 0), "reg-name - -1");
	assert_string_equal(hp("a.b:", 0), "reg-name a.b -1");
}

static void
test_host_address_helpers_match_rfc3986(void **state)
{
	(void)state;
	assert_true(host_is_ipv4("1.2.3.4", 7));
	assert_false(host_is_ipv4("1.2.3.4", 6)); /* "1.2.3." */
	assert_false(host_is_ipv4("1.2.3", 5));
	assert_false(host_is_ipv4("", 0));
	assert_true(host_is_ipv6("::", 2));
	assert_true(host_is_ipv6("1::", 3));
	assert_true(host_is_ipv6("::1:2:3:4:5:6:7", 15));
	assert_false(host_is_ipv6("::1:2:3:4:5:6:7:8", 17));
	assert_true(host_is_ipv6("1:2:3:4:5:6:1.2.3.4", 19));
	assert_false(host_is_ipv6("1:2:3:4:5:6:7:1.2.3.4", 21));
	assert_true(host_is_ipv6("abcd:EF01::", 11));
	assert_false(host_is_ipv6("", 0));
	assert_false(host_is_ipv6(":", 1));
	assert_false(host_is_ipv6("1:2:3:4:5:6:7", 13));
	assert_false(host_is_ipv6("1:2:3:4:5:6:7:8:", 16));
}

/* The slices cover the input exactly: host [ ":" port ] re-joins it. */
static void
test_host_slices_point_into_the_input(void **state)
{
	const char *s = "[2001:db8::1]:443";
	struct host_port h;
	enum host_reason why;

	(void)state;
	assert_int_equal(host_parse(s, strlen(s), 0, &h, &why), 0);
	assert_ptr_equal(h.host.p, s + 1);
	assert_int_equal(h.host.len, 11);
	assert_ptr_equal(h.port_text.p, s + 14);
	assert_int_equal(h.port_text.len, 3);
	assert_int_equal(h.port, 443);
	assert_int_equal(host_parse(s, 13, 0, &h, &why), 0);
	assert_null(h.port_text.p);
	assert_int_equal(host_parse(s, 12, 0, &h, &why), -1);
	assert_int_equal(why, HOST_BAD_IPV6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_every_reason_has_a_vector),
		cmocka_unit_test(
			test_host_empty_needs_allow_empty_and_null_is_fine),
		cmocka_unit_test(
			test_host_port_range_is_1_to_65535_unless_port_any),
		cmocka_unit_test(test_host_rfc3986_option_widens_only_the_name),
		cmocka_unit_test(test_host_name_labels_and_numeric_shapes),
		cmocka_unit_test(test_host_address_helpers_match_rfc3986),
		cmocka_unit_test(test_host_slices_point_into_the_input),
	};
	int rc;

	vec_load_dir(&set, "host");
	rc = vec_run_all("host vectors", &set, host_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc;
}
