/*
 * Unit tests for the request-time modules' pure helpers (ref/mod*.c):
 * alias.url mapping and its ".." refusal, rule matching and $n/%n
 * expansion, the target rewrite and redirect patterns see, setenv's
 * response-field merge, and mod_status's ?auto text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "httputil.h"
#include "mod.h"
#include "server.h"

static struct cfg_value items[4];
static struct cfg_value hash;

/* A CFG_ARRAY hash of n "key" => "value" pairs (static storage). */
static const struct cfg_value *
H(size_t n, const char *const *kv)
{
	size_t i;

	for (i = 0; i < n; i++) {
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

static long
alias(const char *path, const struct cfg_value *a, char *fs, size_t cap,
	size_t *rootlen)
{
	return mod_alias_physical(
		path, strlen(path), a, "/www", fs, cap, rootlen);
}

static void
test_alias_without_match_uses_document_root(void **state)
{
	const char *kv[] = {"/icons/", "/usr/share/icons/"};
	char fs[64];
	size_t root;

	(void)state;
	assert_int_equal(alias("/a.txt", H(1, kv), fs, sizeof(fs), &root), 10);
	assert_string_equal(fs, "/www/a.txt");
	assert_int_equal(root, 4);
	assert_int_equal(alias("/a.txt", NULL, fs, sizeof(fs), &root), 10);
}

static void
test_alias_first_matching_key_replaces_the_prefix(void **state)
{
	const char *kv[] = {"/i/", "/srv/one/", "/i/x", "/srv/two/"};
	char fs[64];
	size_t root;

	(void)state;
	assert_true(alias("/i/x/y", H(2, kv), fs, sizeof(fs), &root) > 0);
	assert_string_equal(fs, "/srv/one/x/y");
	assert_int_equal(root, strlen("/srv/one"));
}

static void
test_alias_key_without_slash_refuses_dot_segments_after_it(void **state)
{
	const char *kv[] = {"/bl", "/srv/alt/"};
	char fs[64];
	size_t root;

	(void)state;
	assert_int_equal(alias("/bl../x", H(1, kv), fs, sizeof(fs), &root), -2);
	assert_int_equal(alias("/bl..", H(1, kv), fs, sizeof(fs), &root), -2);
	assert_int_equal(alias("/bl./x", H(1, kv), fs, sizeof(fs), &root), -2);
	assert_true(alias("/bl...x", H(1, kv), fs, sizeof(fs), &root) > 0);
	assert_string_equal(fs, "/srv/alt/...x");
	assert_true(alias("/blx.txt", H(1, kv), fs, sizeof(fs), &root) > 0);
	assert_string_equal(fs, "/srv/alt/x.txt");
}

static void
test_alias_result_too_long_is_minus_one(void **state)
{
	char fs[8];
	size_t root;

	(void)state;
	assert_int_equal(alias("/abcdefgh", NULL, fs, sizeof(fs), &root), -1);
}

static void
test_regex_cache_returns_one_compiled_pattern_per_text(void **state)
{
	const regex_t *a = mod_regex("^/x$"), *b = mod_regex("^/x$");

	(void)state;
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_null(mod_regex("("));
}

/* Load TEXT and evaluate it for a request to URL on HOST. */
static struct config *
eval(const char *text, const char *url, const char *host,
	struct cfg_request *cr, struct cfg_eval *ev)
{
	struct cfg_diag d = {0};
	struct config *cfg =
		config_load_mem("t.conf", text, strlen(text), NULL, 7, &d);

	cfg_diag_free(&d);
	assert_non_null(cfg);
	memset(cr, 0, sizeof(*cr));
	cr->url = url;
	cr->host = host;
	cr->method = "GET";
	cr->scheme = "http";
	cr->remote_ip = "127.0.0.1";
	cr->query = "";
	cr->socket = "127.0.0.1:80";
	assert_int_equal(config_eval_init(ev, cfg, cr), 0);
	return cfg;
}

static void
test_rule_apply_first_match_expands_dollar_and_percent(void **state)
{
	struct cfg_request cr;
	struct cfg_eval ev;
	const struct cfg_block *from = NULL;
	struct config *cfg =
		eval("server.modules = (\"mod_rewrite\")\n"
		     "$HTTP[\"host\"] =~ \"^(www)\\.ex$\" {\n"
		     "url.rewrite-once = (\"^/no$\" => \"/x\", "
		     "\"^/p/([a-z]+)\\?(.*)$\" => \"/%1/$1.php?$2\", "
		     "\"^/p\" => \"/second\")\n}\n",
			"/p/abc", "www.ex", &cr, &ev);
	const struct cfg_value *rules =
		config_get(&ev, "url.rewrite-once", &from);
	char out[64];

	(void)state;
	assert_int_equal(mod_rule_apply(&ev, from, rules, "/p/abc?q=1", out,
				 sizeof(out)),
		1);
	assert_string_equal(out, "/www/abc.php?q=1");
	assert_int_equal(
		mod_rule_apply(&ev, from, rules, "/p/ABC", out, sizeof(out)),
		2);
	assert_int_equal(
		mod_rule_apply(&ev, from, rules, "/q", out, sizeof(out)), -1);
	assert_int_equal(
		mod_rule_apply(&ev, from, rules, "/p/abc?q=1", out, 8), -2);
	config_eval_done(&ev);
	config_free(cfg);
}

static void
test_target_is_encoded_path_and_raw_query(void **state)
{
	struct req r;
	char path[] = "/a b/c", out[64];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.uri.path.p = path;
	r.uri.path.len = strlen(path);
	assert_int_equal(mod_target(&r, 0, out, sizeof(out)), 8);
	assert_string_equal(out, "/a%20b/c");
	r.uri.has_query = 1;
	r.uri.query.p = "x=%41";
	r.uri.query.len = 5;
	assert_int_equal(mod_target(&r, 0, out, sizeof(out)), 14);
	assert_string_equal(out, "/a%20b/c?x=%41");
	assert_int_equal(mod_target(&r, 0, out, 10), -1);
}

static void
test_setenv_response_set_replaces_and_add_appends(void **state)
{
	const char *set[] = {"location", "/mine", "X-Gone", ""};
	char buf[256];
	struct hbuf h = {buf, 0, sizeof(buf), 0};
	struct cfg_value add = {0}, one = {0};

	(void)state;
	one.type = CFG_STRING;
	one.key = (char *)(uintptr_t) "X-A";
	one.str = (char *)(uintptr_t) "1";
	one.len = 1;
	add.type = CFG_ARRAY;
	add.items = &one;
	add.n = 1;
	mod_setenv_response(&add, H(2, set),
		"Location: /there\r\nX-Gone: a\r\nETag: \"e\"\r\n", &h);
	buf[h.len] = '\0';
	assert_string_equal(
		buf, "ETag: \"e\"\r\nX-A: 1\r\nlocation: /mine\r\n");
}

static void
test_setenv_response_refuses_values_with_line_breaks(void **state)
{
	const char *add[] = {"X-Evil", "a\r\nSet-Cookie: x"};
	char buf[64];
	struct hbuf h = {buf, 0, sizeof(buf), 0};

	(void)state;
	mod_setenv_response(H(1, add), NULL, NULL, &h);
	assert_int_equal(h.len, 0);
}

static void
test_status_auto_is_lighttpds_text_format(void **state)
{
	struct status_counts sc = {3, 4096, 7, 1, 2, "h__"};
	char out[256];
	size_t n;

	(void)state;
	n = mod_status_auto(&sc, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_string_equal(out,
		"Total Accesses: 3\nTotal kBytes: 4\nUptime: 7\n"
		"BusyServers: 1\nIdleServers: 2\nScoreboard: h__\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alias_without_match_uses_document_root),
		cmocka_unit_test(
			test_alias_first_matching_key_replaces_the_prefix),
		cmocka_unit_test(
			test_alias_key_without_slash_refuses_dot_segments_after_it),
		cmocka_unit_test(test_alias_result_too_long_is_minus_one),
		cmocka_unit_test(
			test_regex_cache_returns_one_compiled_pattern_per_text),
		cmocka_unit_test(
			test_rule_apply_first_match_expands_dollar_and_percent),
		cmocka_unit_test(test_target_is_encoded_path_and_raw_query),
		cmocka_unit_test(
			test_setenv_response_set_replaces_and_add_appends),
		cmocka_unit_test(
			test_setenv_response_refuses_values_with_line_breaks),
		cmocka_unit_test(test_status_auto_is_lighttpds_text_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
