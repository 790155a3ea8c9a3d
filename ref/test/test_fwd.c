/*
 * Unit tests for the RFC 7239 Forwarded codec (ref/codec/fwd.c, rules
 * PROXY-FWD-* in spec/proxy.md): every vector in spec/vectors/forwarded at
 * every split point, then named tests for the node grammar, formatting and
 * its "does not fit" and invalid-value paths, round trips and each reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/fwd.h"
#include "test/vec.h"

/* Elements the driver has room for unless a vector says cap=N. */
#define DRIVER_CAP 16

static void
out_bytes(struct vec_out *o, const char *prefix, const void *p, size_t n)
{
	char *tmp = malloc(n * 4 + 8);

	vec_escape(tmp, n * 4 + 8, p, n);
	vec_out_line(o, "%s%s", prefix, tmp);
	free(tmp);
}

static const char *const kinds[] = {"", "ipv4", "ipv6", "unknown", "obf"};

/* "for-node=ipv6 2001:db8::1 port=80" for a for/by value. */
static void
render_node(struct vec_out *o, const char *name, const char *v, size_t n)
{
	struct fwd_node node;
	char prefix[64], *text;
	size_t w;

	if (fwd_node_parse(v, n, &node) != 0) {
		vec_out_line(o, "%s-node=invalid", name);
		return;
	}
	snprintf(prefix, sizeof(prefix), "%s-node=%s ", name, kinds[node.kind]);
	text = malloc(node.name.len + node.port.len + 8);
	memcpy(text, node.name.p, node.name.len);
	w = node.name.len;
	if (node.port.len > 0) {
		memcpy(text + w, " port=", 6);
		memcpy(text + w + 6, node.port.p, node.port.len);
		w += 6 + node.port.len;
	}
	out_bytes(o, prefix, text, w);
	free(text);
}

/* Lower-cased copy of a parameter name (names are short tokens). */
static void
lower_name(char *dst, size_t cap, struct slice name)
{
	size_t k;

	for (k = 0; k < name.len && k + 1 < cap; k++) {
		char c = name.p[k];

		dst[k] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	dst[k] = '\0';
}

/*
 * Render one element (spec/proxy.md "Rendering"): each pair in order with
 * its value unquoted, a node line after for/by, then the element formatted
 * again from its four known values (a round trip through fwd_format).
 */
static void
render_elem(struct vec_out *o, const struct fwd_elem *e)
{
	static const char *const kn[] = {"for", "by", "host", "proto"};
	struct slice rest = e->raw;
	struct fwd_pair pr;
	struct fwd_hop hop;
	struct slice *known[] = {
		&hop.for_node, &hop.by_node, &hop.host, &hop.proto};
	char *val[4] = {0}, name[64], *fmt;
	long n;

	memset(&hop, 0, sizeof(hop));
	vec_out_line(o, "elem");
	while (fwd_next_pair(&rest, &pr)) {
		char *v = malloc(pr.value.text.len + 1);
		char prefix[80];
		int k;

		n = fwd_unquote(&pr.value, v, pr.value.text.len);
		assert_true(n >= 0);
		lower_name(name, sizeof(name), pr.name);
		snprintf(prefix, sizeof(prefix), "%s=", name);
		out_bytes(o, prefix, v, (size_t)n);
		for (k = 0; k < 4 && strcmp(name, kn[k]) != 0; k++)
			;
		if (k == 4) {
			free(v);
			continue;
		}
		if (k < 2)
			render_node(o, kn[k], v, (size_t)n);
		known[k]->p = v;
		known[k]->len = (size_t)n;
		val[k] = v;
	}
	fmt = malloc(4096);
	n = fwd_format(&hop, fmt, 4096);
	if (n < 0)
		vec_out_line(o, "format-error");
	else
		out_bytes(o, "format=", fmt, (size_t)n);
	free(fmt);
	for (int k = 0; k < 4; k++)
		free(val[k]);
}

/* The field value is complete when it reaches us: join the pieces. */
static void
fwd_driver(const struct vec *v, const struct vec_piece *pc, size_t n,
	struct vec_out *out)
{
	const char *c = strstr(v->opts, "cap=");
	size_t len, cap = c ? strtoul(c + 4, NULL, 10) : DRIVER_CAP;
	unsigned opts = 0;
	uint8_t *in = vec_join(pc, n, n, &len);
	struct fwd_elem *e = calloc(cap + 1, sizeof(*e));
	struct fwd_result r;

	if (vec_has_word(v->opts, "lenient-ows"))
		opts |= FWD_LENIENT_OWS;
	if (vec_has_word(v->opts, "lenient-values"))
		opts |= FWD_LENIENT_VALUES;
	if (fwd_parse((const char *)in, len, opts, e, cap, &r) < 0) {
		vec_out_result(out, "error %s", fwd_reason_name(r.reason));
	} else {
		vec_out_result(out, "ok");
		for (size_t i = 0; i < r.n; i++)
			render_elem(out, &e[i]);
	}
	free(in);
	free(e);
}

static struct vec_set set;

static const char *const reasons[] = {"EMPTY", "BAD_PAIR", "BAD_VALUE",
	"BAD_QUOTE", "BAD_DELIM", "WHITESPACE", "DUP_PARAM", "BAD_NODE",
	"BAD_HOST", "BAD_PROTO", "TOO_MANY_ELEMS", "TOO_MANY_PAIRS", NULL};

static void
test_fwd_every_reason_has_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&set, reasons);
	for (int r = FWD_OK; r <= FWD_TOO_MANY_PAIRS; r++)
		assert_string_not_equal(
			fwd_reason_name((enum fwd_reason)r), "UNKNOWN");
	assert_string_equal(fwd_reason_name((enum fwd_reason)99), "UNKNOWN");
}

static int
node_ok(const char *s)
{
	struct fwd_node n;

	return fwd_node_parse(s, strlen(s), &n) == 0;
}

static void
test_fwd_node_grammar_ipv4_ipv6_unknown_obfuscated(void **state)
{
	(void)state;
	assert_true(node_ok("192.0.2.43"));
	assert_true(node_ok("0.0.0.0:0"));
	assert_true(node_ok("255.255.255.255:65535"));
	assert_false(node_ok("256.1.1.1"));
	assert_false(node_ok("01.1.1.1"));
	assert_false(node_ok("1.1.1"));
	assert_false(node_ok("1.1.1.1."));
	assert_false(node_ok("1.1.1.1:"));
	assert_false(node_ok("1.1.1.1:123456"));
	assert_false(node_ok("1.1.1.1:_"));
	assert_true(node_ok("1.1.1.1:_a.b-c_"));
	assert_true(node_ok("[::]"));
	assert_true(node_ok("[::1]:80"));
	assert_true(node_ok("[1:2:3:4:5:6:7:8]"));
	assert_true(node_ok("[1::8]"));
	assert_true(node_ok("[1:2:3:4:5:6::]"));
	assert_true(node_ok("[::ffff:192.0.2.1]"));
	assert_true(node_ok("[2001:0000:0000:0000:0000:0000:1.9.1.1]"));
	assert_false(node_ok("[1:2:3:4:5:6:7:8:9]"));
	assert_false(node_ok("[1:2:3:4:5:6:7]"));
	assert_false(node_ok("[1::2::3]"));
	assert_false(node_ok("[:1:2:3:4:5:6:7]"));
	assert_false(node_ok("[1:2:3:4:5:6:7:]"));
	assert_false(node_ok("[12345::]"));
	assert_false(node_ok("[::g]"));
	assert_false(node_ok("[::1]x"));
	assert_false(node_ok("[::1"));
	assert_false(node_ok("[]"));
	assert_false(node_ok("[1:2:3:4:5:6:7:1.2.3.4]"));
	assert_false(node_ok("[::1.2.3]"));
	assert_true(node_ok("unknown"));
	assert_true(node_ok("UNKNOWN:_p"));
	assert_true(node_ok("_hidden"));
	assert_false(node_ok("_"));
	assert_false(node_ok("_a/b"));
	assert_false(node_ok("example.com"));
	assert_false(node_ok(""));
	assert_false(node_ok("2001:db8::1"));
}

static void
test_fwd_format_quotes_ipv6_and_ports_and_round_trips(void **state)
{
	struct fwd_hop h = {{"[2001:db8:cafe::17]:4711", 24}, {"192.0.2.1", 9},
		{"example.com:8080", 16}, {"https", 5}};
	const char want[] = "for=\"[2001:db8:cafe::17]:4711\";by=192.0.2.1;"
			    "host=\"example.com:8080\";proto=https";
	char out[128];
	struct fwd_elem e[2];
	struct fwd_result r;
	long n;

	(void)state;
	n = fwd_format(&h, out, sizeof(out));
	assert_int_equal(n, (long)strlen(want));
	assert_memory_equal(out, want, (size_t)n);
	assert_int_equal(fwd_parse(out, (size_t)n, 0, e, 2, &r), n);
	assert_int_equal(r.n, 1);
	assert_true(e[0].for_node.quoted);
	assert_false(e[0].by_node.quoted);
	/* One byte short: -1 and nothing written. */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(fwd_format(&h, out, (size_t)n - 1), -1);
	assert_int_equal(out[0], 'Z');
	/* Nothing to say is an empty element. */
	memset(&h, 0, sizeof(h));
	assert_int_equal(fwd_format(&h, out, 0), 0);
}

static void
test_fwd_format_refuses_values_the_parser_would_refuse(void **state)
{
	struct fwd_hop h;
	char out[128];

	(void)state;
	memset(&h, 0, sizeof(h));
	h.for_node = (struct slice){"2001:db8::1", 11}; /* no brackets */
	assert_int_equal(fwd_format(&h, out, sizeof(out)), -1);
	memset(&h, 0, sizeof(h));
	h.host = (struct slice){"a b", 3};
	assert_int_equal(fwd_format(&h, out, sizeof(out)), -1);
	h.host = (struct slice){"", 0}; /* empty Host is valid, quoted */
	assert_int_equal(fwd_format(&h, out, sizeof(out)), 7);
	assert_memory_equal(out, "host=\"\"", 7);
	memset(&h, 0, sizeof(h));
	h.proto = (struct slice){"1http", 5};
	assert_int_equal(fwd_format(&h, out, sizeof(out)), -1);
	h.proto = (struct slice){"", 0};
	assert_int_equal(fwd_format(&h, out, sizeof(out)), -1);
}

static void
test_fwd_node_format_brackets_ipv6_and_appends_port(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(fwd_node_format("192.0.2.1", 9, 0, out, 64), 9);
	assert_int_equal(fwd_node_format("192.0.2.1", 9, 8080, out, 64), 14);
	assert_memory_equal(out, "192.0.2.1:8080", 14);
	assert_int_equal(fwd_node_format("::1", 3, 65535, out, 64), 11);
	assert_memory_equal(out, "[::1]:65535", 11);
	assert_int_equal(fwd_node_format("::1", 3, 65536, out, 64), -1);
	assert_int_equal(fwd_node_format("::1", 3, 1, out, 6), -1);
	assert_int_equal(fwd_node_format("::1", 3, 1, out, 7), 7);
}

static void
test_fwd_unquote_resolves_pairs_and_writes_nothing_when_short(void **state)
{
	struct fwd_value v = {{"a\\\"b\\\\", 6}, 1};
	struct fwd_value lone = {{"ab\\", 3}, 1};
	struct fwd_value tok = {{"a\\b", 3}, 0};
	char out[8] = "ZZZZZZZ";

	(void)state;
	assert_int_equal(fwd_unquote(&v, out, 3), -1);
	assert_int_equal(out[0], 'Z');
	assert_int_equal(fwd_unquote(&v, out, 4), 4);
	assert_memory_equal(out, "a\"b\\", 4);
	assert_int_equal(fwd_unquote(&lone, out, 8), 3);
	assert_memory_equal(out, "ab\\", 3);
	assert_int_equal(fwd_unquote(&tok, out, 8), 3);
}

static void
test_fwd_error_offset_and_element_capacity(void **state)
{
	struct fwd_elem e[1];
	struct fwd_result r;
	const char *s = "for=a_b";

	(void)state;
	assert_int_equal(fwd_parse("for=1.2.3.4 x", 13, 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_BAD_DELIM);
	assert_int_equal(r.err_off, 12);
	assert_int_equal(fwd_parse(s, strlen(s), 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_BAD_NODE);
	assert_int_equal(fwd_parse("for=_x,by=_y", 12, 0, e, 0, &r), -1);
	assert_int_equal(r.reason, FWD_TOO_MANY_ELEMS);
	assert_int_equal(fwd_parse(" , ;, ", 6, 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_EMPTY);
}

static void
test_fwd_long_quoted_values_are_bounded(void **state)
{
	char in[FWD_VALUE_MAX + 16];
	struct fwd_elem e[1];
	struct fwd_result r;

	(void)state;
	/* host="aaa..." longer than FWD_VALUE_MAX cannot be valid. */
	memcpy(in, "host=\"", 6);
	memset(in + 6, 'a', FWD_VALUE_MAX + 1);
	in[6 + FWD_VALUE_MAX + 1] = '"';
	assert_int_equal(fwd_parse(in, FWD_VALUE_MAX + 8, 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_BAD_HOST);
	/* The same for proto, whose longest valid value is unlimited. */
	memcpy(in, "proto=\"", 7);
	memset(in + 7, 'a', FWD_VALUE_MAX + 1);
	in[8 + FWD_VALUE_MAX] = '"';
	assert_int_equal(fwd_parse(in, FWD_VALUE_MAX + 9, 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_BAD_PROTO);
	assert_int_equal(
		fwd_parse(in, FWD_VALUE_MAX + 9, FWD_LENIENT_VALUES, e, 1, &r),
		FWD_VALUE_MAX + 9);
	assert_int_equal(fwd_parse(in, FWD_VALUE_MAX + 8, 0, e, 1, &r), -1);
	assert_int_equal(r.reason, FWD_BAD_QUOTE);
	memcpy(in, "x=\"", 3);
	memset(in + 3, 'a', FWD_VALUE_MAX + 3);
	in[FWD_VALUE_MAX + 7] = '"';
	assert_int_equal(fwd_parse(in, FWD_VALUE_MAX + 8, 0, e, 1, &r),
		FWD_VALUE_MAX + 8);
	assert_int_equal(
		fwd_parse(in, FWD_VALUE_MAX + 8, FWD_LENIENT_VALUES, e, 1, &r),
		FWD_VALUE_MAX + 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fwd_every_reason_has_a_vector),
		cmocka_unit_test(
			test_fwd_node_grammar_ipv4_ipv6_unknown_obfuscated),
		cmocka_unit_test(
			test_fwd_format_quotes_ipv6_and_ports_and_round_trips),
		cmocka_unit_test(
			test_fwd_format_refuses_values_the_parser_would_refuse),
		cmocka_unit_test(
			test_fwd_node_format_brackets_ipv6_and_appends_port),
		cmocka_unit_test(
			test_fwd_unquote_resolves_pairs_and_writes_nothing_when_short),
		cmocka_unit_test(test_fwd_error_offset_and_element_capacity),
		cmocka_unit_test(test_fwd_long_quoted_values_are_bounded),
	};
	int rc;

	vec_load_dir(&set, "forwarded");
	rc = vec_run_all("forwarded vectors", &set, fwd_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc;
}
