/*
 * Unit tests for the configuration language (ref/config*.c, rules CONF-*
 * in spec/config.md): every vector in spec/vectors/config, then named
 * tests for what vectors cannot show: includes on disk, include_shell,
 * env., per-request evaluation of conditionals, captures, defaults and
 * the limits that keep a hostile or broken config bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "test/vec.h"

#define FIXTURES GH_SPEC_DIR "/../ref/test/fixtures/config/"
#define SAFE     (CFG_NO_SHELL | CFG_NO_INCLUDE | CFG_NO_ENV)

/* Vector driver: load the text, render every message and the -p lines. */
static void
drive(const struct vec *v, const struct vec_piece *pc, size_t npieces,
	struct vec_out *out)
{
	struct cfg_diag d;
	struct config *cfg;
	size_t len;
	char *text = (char *)vec_join(pc, npieces, npieces, &len);

	cfg = config_load_mem("vec", text, len, NULL, SAFE, &d);
	if (cfg != NULL)
		vec_out_result(out, "ok");
	else
		vec_out_result(out, "error %s", cfg_reason_name(d.reason));
	for (char *l = d.text; l != NULL && *l;) {
		char *nl = strchr(l, '\n');

		vec_out_line(out, "diag=%.*s", (int)(nl - l), l);
		l = nl + 1;
	}
	if (cfg != NULL && vec_has_word(v->opts, "print")) {
		char *buf = NULL, *l;
		size_t n = 0;
		FILE *f = open_memstream(&buf, &n);

		config_print_ex(cfg, f, CFG_PRINT_NO_BUILTIN);
		fclose(f);
		for (l = buf; *l;) {
			char *nl = strchr(l, '\n');

			vec_out_line(out, "print=%.*s", (int)(nl - l), l);
			l = nl + 1;
		}
		free(buf);
	}
	config_free(cfg);
	cfg_diag_free(&d);
	free(text);
}

static void
test_config_vectors(void **state)
{
	static const char *const reasons[] = {"SYNTAX", "INCLUDE", "COND",
		"KEY", "VALUE", "MODULE", "VAR", NULL};
	struct vec_set s = {0};

	(void)state;
	vec_load_dir(&s, "config");
	assert_true(s.n >= 30);
	for (size_t i = 0; i < s.n; i++)
		vec_check_whole(&s.v[i], drive);
	vec_assert_reasons_covered(&s, reasons);
	vec_set_free(&s);
}

static struct config *
load(const char *text, unsigned flags)
{
	struct cfg_diag d;
	struct config *cfg;

	cfg = config_load_mem("t", text, strlen(text), NULL, flags, &d);
	if (cfg == NULL)
		print_message("%s", d.text ? d.text : "(no message)\n");
	cfg_diag_free(&d);
	return cfg;
}

static enum cfg_reason
load_fails(const char *text, unsigned flags)
{
	struct cfg_diag d;
	struct config *cfg;
	enum cfg_reason r;

	cfg = config_load_mem("t", text, strlen(text), NULL, flags, &d);
	assert_null(cfg);
	r = d.reason;
	cfg_diag_free(&d);
	return r;
}

static const char *
get_str(struct cfg_eval *ev, const char *name)
{
	const struct cfg_value *v = config_get(ev, name, NULL);

	return v && v->type == CFG_STRING ? v->str : NULL;
}

static const char *
root_for(struct config *cfg, const struct cfg_request *r)
{
	static char buf[256];
	struct cfg_eval ev;
	const char *s;

	assert_int_equal(config_eval_init(&ev, cfg, r), 0);
	s = get_str(&ev, "server.document-root");
	snprintf(buf, sizeof(buf), "%s", s ? s : "(unset)");
	config_eval_done(&ev);
	return buf;
}

static void
test_config_include_relative_to_main_config_dir(void **state)
{
	struct cfg_diag d;
	struct config *cfg;

	(void)state;
	cfg = config_load(FIXTURES "main.conf", 0, &d);
	assert_non_null(cfg);
	assert_int_equal(config_global(cfg, "server.port")->num, 8081);
	assert_string_equal(
		config_global(cfg, "server.tag")->str, "from-conf.d");
	assert_int_equal(config_global(cfg, "url.access-deny")->n, 1);
	config_free(cfg);
	cfg_diag_free(&d);
}

static void
test_config_include_loop_stops_at_depth_bound(void **state)
{
	struct cfg_diag d;

	(void)state;
	assert_null(config_load(FIXTURES "loop.conf", 0, &d));
	assert_int_equal(d.reason, CFG_E_INCLUDE);
	assert_non_null(strstr(d.text, "nested too deeply"));
	cfg_diag_free(&d);
	assert_null(config_load(FIXTURES "broken-include.conf", 0, &d));
	assert_non_null(strstr(d.text,
		"broken-include.conf:2:1: include "
		"file not found"));
	cfg_diag_free(&d);
	assert_null(config_load(FIXTURES "no-such-file.conf", 0, &d));
	assert_int_equal(d.reason, CFG_E_INCLUDE);
	cfg_diag_free(&d);
}

static void
test_config_include_shell_parses_stdout(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = load("var.p = 81\n"
		   "include_shell \"echo server.port = \" + var.p\n",
		0);
	assert_non_null(cfg);
	assert_int_equal(config_global(cfg, "server.port")->num, 81);
	config_free(cfg);
	assert_int_equal(
		load_fails("include_shell \"exit 3\"\n", 0), CFG_E_INCLUDE);
	assert_int_equal(load_fails("include_shell \"true\"\n", CFG_NO_SHELL),
		CFG_E_INCLUDE);
}

static void
test_config_env_reads_environment(void **state)
{
	struct config *cfg;

	(void)state;
	setenv("GH_TEST_ROOT", "/srv/env", 1);
	cfg = load("server.document-root = env.GH_TEST_ROOT + \"/www\"\n", 0);
	assert_non_null(cfg);
	assert_string_equal(config_global(cfg, "server.document-root")->str,
		"/srv/env/www");
	config_free(cfg);
	unsetenv("GH_TEST_ROOT");
	assert_int_equal(
		load_fails("var.x = env.GH_TEST_ROOT\n", 0), CFG_E_VAR);
	assert_int_equal(
		load_fails("var.x = env.HOME\n", CFG_NO_ENV), CFG_E_VAR);
}

static void
test_config_eval_last_matching_block_wins(void **state)
{
	struct cfg_request r = {"/a/x", "example.com", "GET", "http",
		"10.1.2.3", "", "0.0.0.0:80"};
	struct config *cfg;

	(void)state;
	cfg = load(
		"server.document-root = \"/g\"\n"
		"$HTTP[\"url\"] =^ \"/a/\" { server.document-root = \"/a\" }\n"
		"$HTTP[\"host\"] == \"example.com\" {\n"
		"  server.document-root = \"/h\"\n"
		"}\n",
		SAFE);
	assert_non_null(cfg);
	assert_string_equal(root_for(cfg, &r), "/h");
	r.host = "other";
	assert_string_equal(root_for(cfg, &r), "/a");
	r.url = "/b";
	assert_string_equal(root_for(cfg, &r), "/g");
	config_free(cfg);
}

static void
test_config_eval_else_chain_takes_first_match_only(void **state)
{
	struct cfg_request r = {"/x", "b", "GET", "http", "::1", "", NULL};
	struct config *cfg;

	(void)state;
	cfg = load(
		"$HTTP[\"host\"] == \"a\" { server.document-root = \"/a\" }\n"
		"else $HTTP[\"host\"] =~ \"^b\" { server.document-root = "
		"\"/b\" }\n"
		"else $HTTP[\"url\"] =^ \"/\" { server.document-root = \"/u\" "
		"}\n"
		"else { server.document-root = \"/else\" }\n",
		SAFE);
	assert_non_null(cfg);
	assert_string_equal(root_for(cfg, &r), "/b");
	r.host = "a";
	assert_string_equal(root_for(cfg, &r), "/a");
	r.host = "c";
	assert_string_equal(root_for(cfg, &r), "/u");
	r.url = NULL; /* an absent field is "" */
	assert_string_equal(root_for(cfg, &r), "/else");
	config_free(cfg);
}

static void
test_config_eval_nested_needs_parent(void **state)
{
	struct cfg_request r = {
		"/api/v1", "x", "POST", "https", "1.2.3.4", "a=1", NULL};
	struct config *cfg;

	(void)state;
	cfg = load("$HTTP[\"scheme\"] == \"https\" {\n"
		   "  $HTTP[\"request-method\"] == \"POST\" {\n"
		   "    $HTTP[\"querystring\"] =$ \"=1\" {\n"
		   "      server.document-root = \"/deep\"\n"
		   "    }\n"
		   "  }\n"
		   "}\n",
		SAFE);
	assert_non_null(cfg);
	assert_string_equal(root_for(cfg, &r), "/deep");
	r.scheme = "http";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	r.scheme = "https";
	r.method = "GET";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	config_free(cfg);
}

static void
test_config_eval_remote_ip_cidr(void **state)
{
	struct cfg_request r = {
		"/", "h", "GET", "http", "10.200.3.4", "", NULL};
	struct config *cfg;

	(void)state;
	cfg = load("$HTTP[\"remote-ip\"] == \"10.0.0.0/8\" { "
		   "server.document-root = \"/ten\" }\n"
		   "$HTTP[\"remote-ip\"] == \"2001:db8::/32\" { "
		   "server.document-root = \"/doc\" }\n"
		   "$HTTP[\"remote-ip\"] == \"192.168.1.1\" { "
		   "server.document-root = \"/one\" }\n"
		   "$HTTP[\"remote-ip\"] != \"172.16.0.0/12\" { "
		   "server.tag = \"not-172\" }\n",
		SAFE);
	assert_non_null(cfg);
	assert_string_equal(root_for(cfg, &r), "/ten");
	r.remote_ip = "::ffff:10.0.0.1"; /* v4 peer on a v6 socket */
	assert_string_equal(root_for(cfg, &r), "/ten");
	r.remote_ip = "11.0.0.1";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	r.remote_ip = "2001:db8:ffff::1";
	assert_string_equal(root_for(cfg, &r), "/doc");
	r.remote_ip = "2001:db9::1";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	r.remote_ip = "192.168.1.1";
	assert_string_equal(root_for(cfg, &r), "/one");
	r.remote_ip = "not an address";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	config_free(cfg);
}

static void
test_config_eval_cidr_partial_byte_prefix(void **state)
{
	struct cfg_request r = {"/", "h", "GET", "http", "10.0.0.7", "", NULL};
	struct config *cfg;

	(void)state;
	cfg = load("$HTTP[\"remote-ip\"] == \"10.0.0.0/29\" { "
		   "server.document-root = \"/in\" }\n",
		SAFE);
	assert_non_null(cfg);
	assert_string_equal(root_for(cfg, &r), "/in");
	r.remote_ip = "10.0.0.8";
	assert_string_equal(root_for(cfg, &r), "(unset)");
	config_free(cfg);
}

static void
test_config_expand_conditional_and_rule_captures(void **state)
{
	struct cfg_request r = {
		"/user/alice/photos", "h", "GET", "http", "::1", "", NULL};
	const struct cfg_block *from = NULL;
	const struct cfg_value *v;
	struct config *cfg;
	struct cfg_eval ev;
	regmatch_t m[3];
	regex_t re;
	char out[64];
	size_t n;

	(void)state;
	cfg = load("server.modules = (\"mod_rewrite\")\n"
		   "$HTTP[\"url\"] =~ \"^/user/([a-z]+)/\" {\n"
		   "  url.rewrite-once = (\"^/user/[a-z]+/(.*)$\" => "
		   "\"/u.php?name=%1&rest=$1&pct=%%\")\n"
		   "}\n",
		SAFE);
	assert_non_null(cfg);
	assert_int_equal(config_eval_init(&ev, cfg, &r), 0);
	v = config_get(&ev, "url.rewrite-once", &from);
	assert_non_null(v);
	assert_non_null(from);
	assert_int_equal(regcomp(&re, v->items[0].key, REG_EXTENDED), 0);
	assert_int_equal(regexec(&re, r.url, 3, m, 0), 0);
	n = config_expand(
		&ev, from, v->items[0].str, r.url, m, 3, out, sizeof(out));
	assert_string_equal(out, "/u.php?name=alice&rest=photos&pct=%");
	assert_int_equal(n, strlen(out));
	/* Cut short: snprintf's contract. */
	n = config_expand(&ev, from, v->items[0].str, r.url, m, 3, out, 8);
	assert_string_equal(out, "/u.php?");
	assert_true(n > 8);
	regfree(&re);
	config_eval_done(&ev);
	config_free(cfg);
}

static void
test_config_eval_caches_each_condition(void **state)
{
	struct cfg_request r = {"/a", "h", "GET", "http", "::1", "", NULL};
	struct config *cfg;
	struct cfg_eval ev;

	(void)state;
	cfg = load("$HTTP[\"url\"] == \"/a\" { server.tag = \"a\" }\n", SAFE);
	assert_non_null(cfg);
	assert_int_equal(config_eval_init(&ev, cfg, &r), 0);
	assert_string_equal(get_str(&ev, "server.tag"), "a");
	/* The result is cached: changing the request now has no effect. */
	r.url = "/b";
	assert_string_equal(get_str(&ev, "server.tag"), "a");
	assert_int_equal(ev.state[1], 1);
	config_eval_done(&ev);
	config_free(cfg);
}

static void
test_config_defaults_and_units_from_key_table(void **state)
{
	struct cfg_request r = {0};
	struct config *cfg;
	struct cfg_eval ev;

	(void)state;
	cfg = load("server.max-request-size = 1024\n", SAFE);
	assert_non_null(cfg);
	assert_int_equal(config_eval_init(&ev, cfg, &r), 0);
	assert_int_equal(config_int(&ev, "server.max-request-size"), 1024);
	assert_string_equal(
		cfg_key_unit(cfg_key_find("server.max-request-size")), "KiB");
	assert_string_equal(
		cfg_key_unit(cfg_key_find("server.max-request-field-size")),
		"bytes");
	assert_int_equal(
		config_int(&ev, "server.max-request-field-size"), 8192);
	assert_int_equal(config_int(&ev, "server.max-keep-alive-idle"), 5);
	assert_int_equal(config_bool(&ev, "server.follow-symlink"), 1);
	assert_int_equal(config_bool(&ev, "dir-listing.activate"), 0);
	assert_non_null(
		strstr(cfg_key_default(cfg_key_find("accesslog.format")),
			"%{User-Agent}i"));
	assert_null(cfg_key_find("server.nonsense"));
	config_eval_done(&ev);
	config_free(cfg);
}

static void
test_config_modules_supported_list(void **state)
{
	(void)state;
	assert_true(cfg_module_supported("mod_fastcgi"));
	assert_true(cfg_module_supported("mod_rewrite"));
	assert_false(cfg_module_supported("mod_openssl"));
	assert_false(cfg_module_supported("mod_webdav"));
}

static void
test_config_debian_style_gateway_blocks_accepted(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = load(
		"server.modules = (\"mod_fastcgi\", \"mod_cgi\", "
		"\"mod_alias\", \"mod_proxy\", \"mod_scgi\")\n"
		"fastcgi.server += ( \".php\" => ((\n"
		"  \"bin-path\" => \"/usr/bin/php-cgi\",\n"
		"  \"socket\" => \"/run/lighttpd/php.socket\",\n"
		"  \"max-procs\" => 1,\n"
		"  \"bin-environment\" => (\"PHP_FCGI_CHILDREN\" => \"4\"),\n"
		"  \"bin-copy-environment\" => (\"PATH\", \"SHELL\"),\n"
		"  \"broken-scriptfilename\" => \"enable\"\n"
		")))\n"
		"fastcgi.map-extensions = (\".php3\" => \".php\")\n"
		"scgi.protocol = \"uwsgi\"\n"
		"scgi.server = (\"/app\" => (\"a\" => (\"host\" => "
		"\"127.0.0.1\", \"port\" => 3031, \"check-local\" => "
		"\"disable\")))\n"
		"proxy.forwarded = (\"for\" => 1, \"proto\" => \"enable\")\n"
		"proxy.header = (\"upgrade\" => \"enable\", "
		"\"map-host-request\" "
		"=> (\"-\" => \"backend\"))\n"
		"$HTTP[\"url\"] =~ \"^/cgi-bin/\" {\n"
		"  cgi.assign = ( \"\" => \"\" )\n"
		"  alias.url += ( \"/cgi-bin/\" => \"/usr/lib/cgi-bin/\" )\n"
		"}\n",
		SAFE);
	assert_non_null(cfg);
	config_free(cfg);
	assert_int_equal(load_fails("server.modules = (\"mod_fastcgi\")\n"
				    "fastcgi.map-extensions = (\".php3\" => "
				    "\".php\")\n",
				 SAFE),
		CFG_E_VALUE);
	assert_int_equal(load_fails("server.modules = (\"mod_proxy\")\n"
				    "proxy.server = (\"/\" => ((\"host\" => "
				    "\"h\", \"mode\" => \"authorizer\")))\n",
				 SAFE),
		CFG_E_VALUE);
	assert_int_equal(load_fails("fastcgi.server = (\".php\" => ((\"host\" "
				    "=> \"h\", \"port\" => \"80\")))\n",
				 SAFE),
		CFG_E_VALUE);
}

static void
test_config_limits_bound_hostile_input(void **state)
{
	char text[4096];
	size_t n = 0;

	(void)state;
	/* Doubling an array 30 times would be 2^30 values. */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "var.a = (1, 2)\n");
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(
			text + n, sizeof(text) - n, "var.a := var.a + var.a\n");
	assert_int_equal(load_fails(text, SAFE), CFG_E_LIMIT);
	/* Arrays nested past CFG_MAX_NESTING. */
	n = (size_t)snprintf(text, sizeof(text), "var.a = ");
	for (int i = 0; i < 40; i++)
		text[n++] = '(';
	text[n] = '\0';
	assert_int_equal(load_fails(text, SAFE), CFG_E_LIMIT);
	/* Conditions nested past it. */
	n = 0;
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
			"$HTTP[\"url\"] == \"/\" {");
	assert_int_equal(load_fails(text, SAFE), CFG_E_LIMIT);
	assert_int_equal(load_fails("var.a = 9999999999999999999\n", SAFE),
		CFG_E_SYNTAX);
	assert_int_equal(load_fails("var.a = 9223372036854775807 + 1\n", SAFE),
		CFG_E_SYNTAX);
}

static void
test_config_nul_byte_in_string_rejected(void **state)
{
	static const char text[] = "var.a = \"x\0y\"\n";
	struct cfg_diag d;

	(void)state;
	assert_null(
		config_load_mem("t", text, sizeof(text) - 1, NULL, SAFE, &d));
	assert_non_null(strstr(d.text, "NUL byte"));
	cfg_diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_vectors),
		cmocka_unit_test(
			test_config_include_relative_to_main_config_dir),
		cmocka_unit_test(test_config_include_loop_stops_at_depth_bound),
		cmocka_unit_test(test_config_include_shell_parses_stdout),
		cmocka_unit_test(test_config_env_reads_environment),
		cmocka_unit_test(test_config_eval_last_matching_block_wins),
		cmocka_unit_test(
			test_config_eval_else_chain_takes_first_match_only),
		cmocka_unit_test(test_config_eval_nested_needs_parent),
		cmocka_unit_test(test_config_eval_remote_ip_cidr),
		cmocka_unit_test(test_config_eval_cidr_partial_byte_prefix),
		cmocka_unit_test(
			test_config_expand_conditional_and_rule_captures),
		cmocka_unit_test(test_config_eval_caches_each_condition),
		cmocka_unit_test(test_config_defaults_and_units_from_key_table),
		cmocka_unit_test(test_config_modules_supported_list),
		cmocka_unit_test(
			test_config_debian_style_gateway_blocks_accepted),
		cmocka_unit_test(test_config_limits_bound_hostile_input),
		cmocka_unit_test(test_config_nul_byte_in_string_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
