/*
 * Unit tests for the CGI environment builder and the SCRIPT_NAME/PATH_INFO
 * split (ref/cgi_env.c): lighttpd's order (CGI-ENV-GEN-2), QUERY_STRING
 * always (CGI-ENV-QUERY_STRING-1), HTTP_* mapping and merging
 * (CGI-ENV-HTTP-1..5), and CGI-PATH-1..7 including the CVE-2019-11043
 * shapes (a decoded LF inside a segment, a non-script file before x.php).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cgi_env.h"

static struct slice
S(const char *s) {
	struct slice v = {s, strlen(s)};

	return v;
}

static struct field vars[64];
static char mem[8192];
static struct cgi_env env;

static struct cgi_env_in
base_in(const struct field *f, size_t n)
{
	struct cgi_env_in in = {0};

	in.content_length = 0;
	in.query = S("x=1");
	in.request_uri = S("/app.php/extra/path?x=1");
	in.script_name = S("/app.php");
	in.path_info = S("/extra/path");
	in.script_filename = "/srv/www/app.php";
	in.document_root = "/srv/www";
	in.method = S("GET");
	in.protocol = "HTTP/1.1";
	in.software = "gatehouse";
	in.server_port = "8080";
	in.server_addr = "127.0.0.1";
	in.host = S("example.org:8080");
	in.remote_addr = "127.0.0.2";
	in.remote_port = "5555";
	in.fields = f;
	in.nfields = n;
	return in;
}

static int
build(const struct cgi_env_in *in, enum cgi_env_reason *why)
{
	env.vars = vars;
	env.cap = 64;
	env.mem = mem;
	env.memcap = sizeof(mem);
	return cgi_env_build(in, &env, why);
}

static void
assert_var(const char *name, const char *want)
{
	const struct slice *v = cgi_env_get(&env, name);

	if (want == NULL) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_int_equal(v->len, strlen(want));
	assert_memory_equal(v->p, want, v->len);
}

static void
test_env_lighttpd_order_and_values(void **state)
{
	static const char *const order[] = {"CONTENT_LENGTH", "QUERY_STRING",
		"REQUEST_URI", "REDIRECT_STATUS", "SCRIPT_NAME", "PATH_INFO",
		"PATH_TRANSLATED", "SCRIPT_FILENAME", "DOCUMENT_ROOT",
		"REQUEST_METHOD", "SERVER_PROTOCOL", "SERVER_SOFTWARE",
		"GATEWAY_INTERFACE", "REQUEST_SCHEME", "SERVER_PORT",
		"SERVER_ADDR", "SERVER_NAME", "REMOTE_ADDR", "REMOTE_PORT",
		"CONTENT_TYPE", "HTTP_HOST"};
	struct field f[] = {{S("Host"), S("example.org:8080")},
		{S("Content-Type"), S("text/plain")}};
	struct cgi_env_in in = base_in(f, 2);
	enum cgi_env_reason why;
	size_t i;

	(void)state;
	assert_int_equal(build(&in, &why), 0);
	assert_int_equal(env.n, sizeof(order) / sizeof(order[0]));
	for (i = 0; i < env.n; i++)
		assert_true(env.vars[i].name.len == strlen(order[i]) &&
			memcmp(env.vars[i].name.p, order[i],
				env.vars[i].name.len) == 0);
	assert_var("PATH_TRANSLATED", "/srv/www/extra/path");
	assert_var("SERVER_NAME", "example.org");
	assert_var("CONTENT_LENGTH", "0");
	assert_var("GATEWAY_INTERFACE", "CGI/1.1");
	assert_var("HTTPS", NULL);
}

static void
test_env_query_string_always_present(void **state)
{
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	in.query = S("");
	assert_int_equal(build(&in, &why), 0);
	assert_var("QUERY_STRING", "");
}

static void
test_env_no_path_info_no_path_translated(void **state)
{
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	in.path_info = S("");
	assert_int_equal(build(&in, &why), 0);
	assert_var("PATH_INFO", NULL);
	assert_var("PATH_TRANSLATED", NULL);
}

static void
test_env_authorizer_omits_length_script_pathinfo(void **state)
{
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	in.authorizer = 1;
	in.content_length = -1;
	assert_int_equal(build(&in, &why), 0);
	assert_var("CONTENT_LENGTH", NULL);
	assert_var("SCRIPT_NAME", NULL);
	assert_var("PATH_INFO", NULL);
	assert_var("PATH_TRANSLATED", NULL);
	assert_var("SCRIPT_FILENAME", "/srv/www/app.php");
}

static void
test_env_http_names_upper_digits_kept_others_underscore(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(cgi_env_http_name("xx-yy123", 8, out, 64), 13);
	assert_string_equal(out, "HTTP_XX_YY123");
	cgi_env_http_name("X.Foo!", 6, out, 64);
	assert_string_equal(out, "HTTP_X_FOO_");
	assert_int_equal(cgi_env_http_name("abc", 3, out, 8), 0);
}

static void
test_env_no_http_proxy_no_content_length_dup(void **state)
{
	struct field f[] = {{S("Proxy"), S("http://evil")},
		{S("Content-Length"), S("5")}, {S("Content-Type"), S("a/b")},
		{S("Transfer-Encoding"), S("chunked")}};
	struct cgi_env_in in = base_in(f, 4);
	enum cgi_env_reason why;

	(void)state;
	in.content_length = 5;
	assert_int_equal(build(&in, &why), 0);
	assert_var("HTTP_PROXY", NULL);
	assert_var("HTTP_CONTENT_LENGTH", NULL);
	assert_var("HTTP_CONTENT_TYPE", NULL);
	assert_var("HTTP_TRANSFER_ENCODING", NULL);
	assert_var("CONTENT_LENGTH", "5");
	assert_var("CONTENT_TYPE", "a/b");
}

static void
test_env_repeated_fields_merged_cookie_with_semicolon(void **state)
{
	struct field f[] = {{S("Accept"), S("a")}, {S("Cookie"), S("x=1")},
		{S("accept"), S("b")}, {S("Cookie"), S("y=2")}};
	struct cgi_env_in in = base_in(f, 4);
	enum cgi_env_reason why;

	(void)state;
	assert_int_equal(build(&in, &why), 0);
	assert_var("HTTP_ACCEPT", "a, b");
	assert_var("HTTP_COOKIE", "x=1; y=2");
}

static void
check_collision(const char *a, const char *b, int want_fail)
{
	struct field f[2] = {
		{S(a), S("1")}, {S(b != NULL ? b : "X-Ok"), S("2")}};
	struct cgi_env_in in = base_in(f, 2);
	enum cgi_env_reason why;

	assert_int_equal(build(&in, &why), want_fail ? -1 : 0);
	if (want_fail)
		assert_int_equal(why, CGI_ENV_COLLISION);
}

static void
test_env_underscore_collision_is_400(void **state)
{
	(void)state;
	check_collision("X-Forwarded_For", NULL, 1);
	check_collision("User_Agent", NULL, 1);
	check_collision("Something_Else", NULL, 0);
	check_collision("Something_Else", "Something-Else", 1);
	check_collision("X-Auth-User", "X.Auth.User", 1);
}

static void
test_env_nul_in_value_refused(void **state)
{
	struct field f[] = {{S("X-A"), {"a\0b", 3}}};
	struct cgi_env_in in = base_in(f, 1);
	enum cgi_env_reason why;

	(void)state;
	assert_int_equal(build(&in, &why), -1);
	assert_int_equal(why, CGI_ENV_NUL);
}

static void
test_env_extra_variables_appended_last(void **state)
{
	struct field x[] = {{S("X_LIGHTTPD_FCGI_AUTH"), S("ok")}};
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	in.extra = x;
	in.nextra = 1;
	assert_int_equal(build(&in, &why), 0);
	assert_var("X_LIGHTTPD_FCGI_AUTH", "ok");
	assert_true(env.vars[env.n - 1].name.len == 20);
}

static void
test_env_extra_cannot_replace_server_variables(void **state)
{
	struct field x[] = {{S("SCRIPT_FILENAME"), S("/etc/passwd")},
		{S("HTTP_HOST"), S("evil")}, {S("OK_VAR"), S("1")}};
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	in.extra = x;
	in.nextra = 3;
	assert_int_equal(build(&in, &why), 0);
	assert_var("SCRIPT_FILENAME", "/srv/www/app.php");
	assert_var("HTTP_HOST", NULL);
	assert_var("OK_VAR", "1");
}

static void
test_env_no_space_is_reported(void **state)
{
	struct cgi_env_in in = base_in(NULL, 0);
	enum cgi_env_reason why;

	(void)state;
	env.vars = vars;
	env.cap = 3;
	env.mem = mem;
	env.memcap = sizeof(mem);
	assert_int_equal(cgi_env_build(&in, &env, &why), -1);
	assert_int_equal(why, CGI_ENV_NO_SPACE);
}

static void
check_prefix(const char *path, const char *key, int fix, const char *sn,
	const char *pi)
{
	struct slice s, p;

	cgi_path_split_prefix(S(path), strlen(key), fix, &s, &p);
	assert_int_equal(s.len, strlen(sn));
	assert_memory_equal(s.p, sn, s.len);
	assert_int_equal(p.len, strlen(pi));
	assert_memory_equal(p.p, pi, p.len);
}

static void
test_path_prefix_split_as_lighttpd(void **state)
{
	(void)state;
	check_prefix(
		"/admin.gw/foo/bar", "/admin.gw", 0, "/admin.gw", "/foo/bar");
	check_prefix(
		"/cgi-bin/foo/bar", "/cgi-bin/", 0, "/cgi-bin/foo", "/bar");
	check_prefix("/abc/def", "/", 0, "/abc", "/def");
	check_prefix("/abc/def/ghi", "/", 1, "", "/abc/def/ghi");
	check_prefix("/admin.gw", "/admin.gw", 0, "/admin.gw", "");
}

/* A fake disk: regular files and directories by exact path. */
static const char *const files[] = {
	"/app.php", "/a.txt", "/d/x.cgi", "/app.php\n"};
static const char *const dirs[] = {"/d"};
static const char *walk_path;

static int
fake_kind(void *ctx, size_t n)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strlen(files[i]) == n &&
			memcmp(files[i], walk_path, n) == 0)
			return i == 3 ? -1 : 1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strlen(dirs[i]) == n && memcmp(dirs[i], walk_path, n) == 0)
			return 0;
	return -1;
}

static long
walk(const char *p)
{
	walk_path = p;
	return cgi_path_split_physical(p, strlen(p), fake_kind, NULL);
}

static void
test_path_physical_first_regular_file_is_script(void **state)
{
	(void)state;
	assert_int_equal(walk("/app.php/extra/path"), 8);
	assert_int_equal(walk("/app.php"), 8);
	assert_int_equal(walk("/app.php/"), 8); /* CGI-PATH-7: PATH_INFO "/" */
	assert_int_equal(walk("/d/x.cgi/y"), 8);
	assert_int_equal(walk("/d"), -1);        /* a directory: not a script */
	assert_int_equal(walk("/d/nope/y"), -1); /* 404 */
	assert_int_equal(walk("/missing.php"), -1);
}

static void
test_path_cve_2019_11043_shapes(void **state)
{
	(void)state;
	/* A decoded LF stays part of its segment: no such file, 404. */
	assert_int_equal(walk("/app.php\n/info.php"), -1);
	/* A non-script file followed by /x.php: the script is a.txt, whose
	 * name the caller then matches against the ext (no .php). */
	assert_int_equal(walk("/a.txt/x.php"), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_lighttpd_order_and_values),
		cmocka_unit_test(test_env_query_string_always_present),
		cmocka_unit_test(test_env_no_path_info_no_path_translated),
		cmocka_unit_test(
			test_env_authorizer_omits_length_script_pathinfo),
		cmocka_unit_test(
			test_env_http_names_upper_digits_kept_others_underscore),
		cmocka_unit_test(test_env_no_http_proxy_no_content_length_dup),
		cmocka_unit_test(
			test_env_repeated_fields_merged_cookie_with_semicolon),
		cmocka_unit_test(test_env_underscore_collision_is_400),
		cmocka_unit_test(test_env_nul_in_value_refused),
		cmocka_unit_test(test_env_extra_variables_appended_last),
		cmocka_unit_test(
			test_env_extra_cannot_replace_server_variables),
		cmocka_unit_test(test_env_no_space_is_reported),
		cmocka_unit_test(test_path_prefix_split_as_lighttpd),
		cmocka_unit_test(
			test_path_physical_first_regular_file_is_script),
		cmocka_unit_test(test_path_cve_2019_11043_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
