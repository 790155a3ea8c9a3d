/*
 * Unit tests for the uwsgi packet codec (ref/codec/uwsgi.c,
 * spec/uwsgi.md): every vector in spec/vectors/uwsgi at every split point,
 * plus named tests for the encoder (lighttpd and nginx captures reproduced
 * byte for byte, the 65535/65536-byte boundary, "does not fit"), round
 * trips, options and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/uwsgi.h"
#include "test/vec.h"

/* Var array size the driver uses unless a vector says max-fields=N. */
#define DRIVER_VARS 256

/* Long values render shortened (spec/uwsgi.md "Rendering"). */
#define LONG_VALUE 256
#define SHOW_VALUE 64

#define F(n, v)                                                                \
	{                                                                      \
		{n, sizeof(n) - 1},                                            \
		{                                                              \
			v, sizeof(v) - 1                                       \
		}                                                              \
	}

static void
vec_opts(const struct vec *v, struct uwsgi_opts *o, size_t *cap)
{
	const char *mv = strstr(v->opts, "max-vars=");
	const char *mf = strstr(v->opts, "max-fields=");

	o->flags = 0;
	if (vec_has_word(v->opts, "lenient-any-modifier"))
		o->flags |= UWSGI_LENIENT_ANY_MODIFIER;
	if (vec_has_word(v->opts, "raw-block"))
		o->flags |= UWSGI_RAW_BLOCK;
	o->max_vars = mv ? strtoul(mv + 9, NULL, 10) : 0;
	*cap = mf ? strtoul(mf + 11, NULL, 10) : DRIVER_VARS;
}

/* "prefix" + a + '=' + b, b shortened when long; b may be absent. */
static void
render_pair(struct vec_out *out, const char *prefix, struct slice a,
	const struct slice *b)
{
	size_t vl = b ? (b->len > LONG_VALUE ? SHOW_VALUE : b->len) : 0;
	size_t n = a.len + (b ? 1 + vl : 0);
	char *t = malloc(n + 32);

	memcpy(t, a.p, a.len);
	if (b) {
		t[a.len] = '=';
		memcpy(t + a.len + 1, b->p, vl);
		if (vl < b->len)
			n += (size_t)sprintf(t + n, "...(%zu bytes)", b->len);
	}
	vec_out_bytes(out, prefix, t, n);
	free(t);
}

static void
render(struct vec_out *out, const struct uwsgi_packet *pkt, unsigned flags)
{
	vec_out_line(out, "modifier1=%u", pkt->modifier1);
	vec_out_line(out, "modifier2=%u", pkt->modifier2);
	vec_out_line(out, "datasize=%zu", pkt->datasize);
	if (flags & UWSGI_RAW_BLOCK) {
		render_pair(out, "block=", pkt->block, NULL);
		return;
	}
	for (size_t i = 0; i < pkt->n_vars; i++)
		render_pair(
			out, "var=", pkt->vars[i].name, &pkt->vars[i].value);
}

/* Feed as a socket would: everything so far, after each piece. */
static void
uwsgi_driver(const struct vec *v, const struct vec_piece *pc, size_t np,
	struct vec_out *out)
{
	struct uwsgi_opts o;
	struct uwsgi_packet pkt;
	enum uwsgi_reason why;
	size_t cap, len;
	struct field *vars;
	long rc = 0;

	vec_opts(v, &o, &cap);
	vars = malloc((cap ? cap : 1) * sizeof(*vars));
	for (size_t i = 1; i <= np && rc == 0; i++) {
		uint8_t *in = vec_join(pc, np, i, &len);

		rc = uwsgi_decode(
			(const char *)in, len, &o, &pkt, vars, cap, &why);
		if (rc < 0)
			vec_out_result(out, "error %s", uwsgi_reason_name(why));
		else if (rc > 0 && (size_t)rc == v->in_len)
			vec_out_result(out, "ok");
		else if (rc > 0)
			vec_out_result(out, "ok %ld", rc);
		else
			vec_out_result(out, "partial");
		if (rc > 0)
			render(out, &pkt, o.flags);
		free(in);
	}
	free(vars);
}

static struct vec_set vectors;

static const char *const all_reasons[] = {"MODIFIER_UNSUPPORTED",
	"VARS_TOO_LARGE", "KEY_SIZE_TRUNCATED", "KEY_OVERRUN", "KEY_EMPTY",
	"VALUE_SIZE_TRUNCATED", "VALUE_OVERRUN", "TOO_MANY_VARS", NULL};

static void
test_uwsgi_vectors_reach_every_reason(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&vectors, all_reasons);
	for (int r = 1; r < UWSGI_REASON_COUNT; r++)
		assert_string_equal(uwsgi_reason_name(r), all_reasons[r - 1]);
	assert_string_equal(uwsgi_reason_name(UWSGI_OK), "OK");
	assert_string_equal(uwsgi_reason_name(UWSGI_REASON_COUNT), "UNKNOWN");
}

/*
 * encode(decode(x)) == x for every valid vector decoded with default
 * options: the lighttpd and nginx captures are rebuilt byte for byte from
 * their vars and modifiers.
 */
static void
test_uwsgi_encode_of_decoded_vectors_gives_same_bytes(void **state)
{
	struct field *vars = malloc(DRIVER_VARS * sizeof(*vars));
	char *buf = malloc(4 + UWSGI_MAX_VARS);
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < vectors.n; i++) {
		const struct vec *v = &vectors.v[i];
		struct uwsgi_packet pkt;
		enum uwsgi_reason why;
		long n, m;

		if (strncmp(v->result, "ok", 2) != 0 || v->opts[0] != '\0')
			continue;
		n = uwsgi_decode((const char *)v->in, v->in_len, NULL, &pkt,
			vars, DRIVER_VARS, &why);
		assert_true(n > 0);
		m = uwsgi_encode_request(buf, 4 + UWSGI_MAX_VARS, pkt.modifier1,
			pkt.modifier2, pkt.vars, pkt.n_vars);
		assert_int_equal(m, n);
		assert_memory_equal(buf, v->in, (size_t)n);
		assert_int_equal(
			uwsgi_vars_size(pkt.vars, pkt.n_vars), (size_t)n - 4);
		checked++;
	}
	assert_true(checked >= 4);
	free(vars);
	free(buf);
}

/* modifier1 as nginx's uwsgi_modifier1 5 sends it (captures.vec). */
static void
test_uwsgi_encode_writes_modifiers_as_given(void **state)
{
	const struct field f[] = {F("A", "b")};
	char buf[16];

	(void)state;
	assert_int_equal(
		uwsgi_encode_request(buf, sizeof(buf), 5, 7, f, 1), 10);
	assert_memory_equal(buf,
		"\x05\x06\x00\x07\x01\x00"
		"A\x01\x00"
		"b",
		10);
	/* No vars at all: a bare 4-byte header. */
	assert_int_equal(uwsgi_encode_request(buf, 4, 0, 0, NULL, 0), 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
}

/* One var whose key is "K" and whose value makes the block total bytes. */
static long
encode_block_of(size_t total, char *dst, size_t cap, char *val)
{
	struct field f = {{"K", 1}, {val, total - 5}};

	return uwsgi_encode_request(dst, cap, 0, 0, &f, 1);
}

/*
 * UWSGI-ENC-1: a 65535-byte block is framed; 65536 is refused with the
 * distinct TOO_LARGE (431), not written with datasize 0 (CVE-2007-4727,
 * CVE-2020-11984).
 */
static void
test_uwsgi_encode_65535_fits_65536_is_too_large(void **state)
{
	size_t cap = 4 + 70000;
	char *buf = malloc(cap), *val = calloc(1, 70000);
	struct field out[2];
	struct uwsgi_packet pkt;
	enum uwsgi_reason why;

	(void)state;
	assert_int_equal(encode_block_of(65535, buf, cap, val), 4 + 65535);
	assert_memory_equal(buf, "\x00\xff\xff\x00", 4);
	assert_int_equal(uwsgi_decode(buf, 4 + 65535, NULL, &pkt, out, 2, &why),
		4 + 65535);
	assert_int_equal(pkt.n_vars, 1);
	assert_int_equal(pkt.vars[0].value.len, 65530);
	memset(buf, 'x', cap);
	assert_int_equal(
		encode_block_of(65536, buf, cap, val), UWSGI_ENC_TOO_LARGE);
	assert_int_equal(
		encode_block_of(65536 + 5, buf, cap, val), UWSGI_ENC_TOO_LARGE);
	assert_int_equal(buf[0], 'x');
	/* Too large wins over "does not fit": a bigger buffer won't help. */
	assert_int_equal(
		encode_block_of(65536, buf, 4, val), UWSGI_ENC_TOO_LARGE);
	free(buf);
	free(val);
}

/* Many small vars summing past 65535 are refused the same way. */
static void
test_uwsgi_encode_many_vars_over_65535_is_too_large(void **state)
{
	struct field *f = malloc(20000 * sizeof(*f));
	char *buf = malloc(100000);

	(void)state;
	for (size_t i = 0; i < 20000; i++)
		f[i] = (struct field){{"AB", 2}, {"", 0}};
	/* 6 bytes each: 10922 vars = 65532 bytes, 10923 = 65538. */
	assert_int_equal(uwsgi_vars_size(f, 10922), 65532);
	assert_int_equal(
		uwsgi_encode_request(buf, 100000, 0, 0, f, 10922), 4 + 65532);
	assert_int_equal(uwsgi_encode_request(buf, 100000, 0, 0, f, 10923),
		UWSGI_ENC_TOO_LARGE);
	assert_int_equal(uwsgi_vars_size(f, 20000), 120000);
	free(f);
	free(buf);
}

/* uwsgi_vars_size saturates instead of wrapping around. */
static void
test_uwsgi_vars_size_saturates(void **state)
{
	struct field f[2] = {F("A", "b"), F("C", "d")};
	char buf[64];

	(void)state;
	f[0].value.len = (size_t)-1 / 4 + 1;
	assert_true(uwsgi_vars_size(f, 2) == (size_t)-1);
	f[0].value.len = 1;
	f[0].name.len = (size_t)-1 / 4 + 1;
	assert_true(uwsgi_vars_size(f, 2) == (size_t)-1);
	f[0].name.len = (size_t)-1 / 4;
	f[0].value.len = (size_t)-1 / 4;
	f[1].name.len = (size_t)-1 / 4;
	f[1].value.len = (size_t)-1 / 4;
	assert_true(uwsgi_vars_size(f, 2) == (size_t)-1);
	assert_int_equal(uwsgi_encode_request(buf, sizeof(buf), 0, 0, f, 2),
		UWSGI_ENC_TOO_LARGE);
}

static void
test_uwsgi_encode_does_not_fit_writes_nothing(void **state)
{
	const struct field f[] = {
		F("CONTENT_LENGTH", "27"), F("QUERY_STRING", "")};
	char buf[64];
	size_t need = 4 + uwsgi_vars_size(f, 2);

	(void)state;
	for (size_t cap = 0; cap < need; cap++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(uwsgi_encode_request(buf, cap, 0, 0, f, 2),
			UWSGI_ENC_NOSPACE);
		for (size_t i = 0; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'x');
	}
	assert_int_equal(
		uwsgi_encode_request(buf, need, 0, 0, f, 2), (long)need);
}

/* UWSGI-VARS-3: the decoder refuses empty keys, so the encoder does too. */
static void
test_uwsgi_encode_refuses_empty_key(void **state)
{
	const struct field f[] = {F("A", "b"), F("", "x")};
	char buf[64];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(uwsgi_encode_request(buf, sizeof(buf), 0, 0, f, 2),
		UWSGI_ENC_INVALID);
	assert_int_equal(buf[0], 'x');
}

/* Round trip, including NUL and 0xff bytes, which uwsgi carries as is. */
static void
test_uwsgi_round_trip_binary_keys_and_values(void **state)
{
	const struct field f[] = {
		F("K\0\xff", "v\0\r\n"), F("EMPTY", ""), F("X", "y")};
	struct field out[4];
	struct uwsgi_packet pkt;
	enum uwsgi_reason why;
	char buf[128];
	long n;

	(void)state;
	n = uwsgi_encode_request(buf, sizeof(buf), 0, 0, f, 3);
	assert_true(n > 0);
	assert_int_equal(
		uwsgi_decode(buf, (size_t)n, NULL, &pkt, out, 4, &why), n);
	assert_int_equal(pkt.n_vars, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(out[i].name.len, f[i].name.len);
		assert_memory_equal(out[i].name.p, f[i].name.p, f[i].name.len);
		assert_int_equal(out[i].value.len, f[i].value.len);
		if (f[i].value.len)
			assert_memory_equal(
				out[i].value.p, f[i].value.p, f[i].value.len);
	}
	/* Every strict prefix is "need more" and sets no reason. */
	for (size_t i = 0; i < (size_t)n; i++) {
		assert_int_equal(
			uwsgi_decode(buf, i, NULL, &pkt, out, 4, &why), 0);
		assert_int_equal(why, UWSGI_OK);
	}
}

/* UWSGI-PKT-3: a wrong modifier1 is refused from its first byte. */
static void
test_uwsgi_decode_refuses_modifier1_at_first_byte(void **state)
{
	struct uwsgi_packet pkt;
	enum uwsgi_reason why;

	(void)state;
	assert_int_equal(
		uwsgi_decode("\x05", 1, NULL, &pkt, NULL, 0, &why), -1);
	assert_int_equal(why, UWSGI_MODIFIER_UNSUPPORTED);
	assert_int_equal(uwsgi_decode("", 0, NULL, &pkt, NULL, 0, &why), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uwsgi_vectors_reach_every_reason),
		cmocka_unit_test(
			test_uwsgi_encode_of_decoded_vectors_gives_same_bytes),
		cmocka_unit_test(test_uwsgi_encode_writes_modifiers_as_given),
		cmocka_unit_test(
			test_uwsgi_encode_65535_fits_65536_is_too_large),
		cmocka_unit_test(
			test_uwsgi_encode_many_vars_over_65535_is_too_large),
		cmocka_unit_test(test_uwsgi_vars_size_saturates),
		cmocka_unit_test(test_uwsgi_encode_does_not_fit_writes_nothing),
		cmocka_unit_test(test_uwsgi_encode_refuses_empty_key),
		cmocka_unit_test(test_uwsgi_round_trip_binary_keys_and_values),
		cmocka_unit_test(
			test_uwsgi_decode_refuses_modifier1_at_first_byte),
	};
	int rc;

	vec_load_dir(&vectors, "uwsgi");
	rc = vec_run_all("uwsgi vectors", &vectors, uwsgi_driver);
	rc += cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&vectors);
	return rc != 0;
}
