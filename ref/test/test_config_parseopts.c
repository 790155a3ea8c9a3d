/*
 * Unit tests for cfg_parseopts_eval (ref/config_parseopts.c): lighttpd
 * 1.4.69's defaults, each option's codec bit, the conflicts lighttpd
 * refuses, and the settings reported as not followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "codec/h1.h"
#include "codec/host.h"
#include "codec/uri.h"
#include "config.h"

static struct cfg_value items[4];
static struct cfg_value hash;

/* A hash of n "key" => "value" pairs (static storage). */
static const struct cfg_value *
H(size_t n, const char *const *kv)
{
	for (size_t i = 0; i < n; i++) {
		items[i].type = CFG_STRING;
		items[i].key = (char *)(uintptr_t)kv[2 * i];
		items[i].str = (char *)(uintptr_t)kv[2 * i + 1];
		items[i].len = strlen(kv[2 * i + 1]);
	}
	hash.type = CFG_ARRAY;
	hash.items = items;
	hash.n = n;
	return &hash;
}

static void
test_parseopts_defaults_are_lighttpds(void **state)
{
	struct cfg_parseopts po;

	(void)state;
	assert_int_equal(cfg_parseopts_eval(NULL, &po), 0);
	assert_int_equal(po.uri_opts, URI_2F_DECODE);
	assert_int_equal(po.host_opts, 0);
	assert_int_equal(po.h1_flags, 0);
	assert_int_equal(po.get_body, 0);
	assert_int_equal(po.query_20_plus, 0);
	assert_int_equal(po.nignored, 0);
}

static void
test_parseopts_each_option_sets_its_bit(void **state)
{
	static const struct {
		const char *kv[4];
		size_t n;
		unsigned uri, host, h1;
		int get_body, q20;
	} cases[] = {
		{{"url-ctrls-reject", "disable"}, 1,
			URI_2F_DECODE | URI_CTRLS_ALLOW, 0, 0, 0, 0},
		{{"url-path-backslash-trans", "enable"}, 1,
			URI_2F_DECODE | URI_BACKSLASH_TRANS, 0, 0, 0, 0},
		{{"url-path-2f-decode", "disable"}, 1, 0, 0, 0, 0, 0},
		{{"url-path-2f-decode", "disable", "url-path-2f-reject",
			 "enable"},
			2, URI_2F_REJECT, 0, 0, 0, 0},
		{{"url-path-dotseg-remove", "disable", "url-path-dotseg-reject",
			 "enable"},
			2, URI_2F_DECODE | URI_DOTSEG_REJECT, 0, 0, 0, 0},
		{{"header-strict", "disable"}, 1, URI_2F_DECODE, 0,
			H1_LENIENT_BARE_LF, 0, 0},
		{{"host-strict", "disable"}, 1, URI_2F_DECODE, HOST_RFC3986, 0,
			0, 0},
		{{"method-get-body", "enable"}, 1, URI_2F_DECODE, 0, 0, 1, 0},
		{{"url-query-20-plus", "enable"}, 1, URI_2F_DECODE, 0, 0, 0, 1},
		{{"url-normalize-required", "enable"}, 1, URI_2F_DECODE, 0, 0,
			0, 0},
		/* A later setting of the same key wins. */
		{{"method-get-body", "enable", "method-get-body", "disable"}, 2,
			URI_2F_DECODE, 0, 0, 0, 0},
	};
	struct cfg_parseopts po;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
			cfg_parseopts_eval(H(cases[i].n, cases[i].kv), &po), 0);
		assert_int_equal(po.uri_opts, cases[i].uri);
		assert_int_equal(po.host_opts, cases[i].host);
		assert_int_equal(po.h1_flags, cases[i].h1);
		assert_int_equal(po.get_body, cases[i].get_body);
		assert_int_equal(po.query_20_plus, cases[i].q20);
		assert_int_equal(po.nignored, 0);
	}
}

static void
test_parseopts_conflicts_and_bad_values_are_errors(void **state)
{
	static const char *const c1[] = {"url-path-2f-reject", "enable"};
	static const char *const c2[] = {"url-path-dotseg-reject", "enable"};
	static const char *const c3[] = {"url-normalize", "sometimes"};
	static const char *const c4[] = {"url-normalise", "enable"};
	struct cfg_parseopts po;

	(void)state;
	assert_int_equal(cfg_parseopts_eval(H(1, c1), &po), -1);
	assert_non_null(strstr(po.error, "url-path-2f-reject"));
	assert_int_equal(cfg_parseopts_eval(H(1, c2), &po), -1);
	assert_non_null(strstr(po.error, "url-path-dotseg-reject"));
	assert_int_equal(cfg_parseopts_eval(H(1, c3), &po), -1);
	assert_int_equal(cfg_parseopts_eval(H(1, c4), &po), -1);
}

static void
test_parseopts_settings_not_followed_are_named(void **state)
{
	static const char *const off[] = {
		"url-normalize", "disable", "url-path-2f-reject", "enable"};
	static const char *const dot[] = {"url-path-dotseg-remove", "disable"};
	static const char *const host[] = {
		"host-strict", "disable", "host-normalize", "disable"};
	static const char *const hn[] = {"host-normalize", "disable"};
	struct cfg_parseopts po;

	(void)state;
	/* url-normalize off: lighttpd skips the conflict check too. */
	assert_int_equal(cfg_parseopts_eval(H(2, off), &po), 0);
	assert_int_equal(po.nignored, 1);
	assert_non_null(strstr(po.ignored[0], "url-normalize"));
	assert_int_equal(cfg_parseopts_eval(H(1, dot), &po), 0);
	assert_int_equal(po.nignored, 1);
	assert_non_null(strstr(po.ignored[0], "url-path-dotseg-remove"));
	assert_int_equal(cfg_parseopts_eval(H(2, host), &po), 0);
	assert_int_equal(po.nignored, 1);
	assert_non_null(strstr(po.ignored[0], "host-normalize"));
	/* host-strict (default) implies host-normalize: nothing to say. */
	assert_int_equal(cfg_parseopts_eval(H(1, hn), &po), 0);
	assert_int_equal(po.nignored, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parseopts_defaults_are_lighttpds),
		cmocka_unit_test(test_parseopts_each_option_sets_its_bit),
		cmocka_unit_test(
			test_parseopts_conflicts_and_bad_values_are_errors),
		cmocka_unit_test(
			test_parseopts_settings_not_followed_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
