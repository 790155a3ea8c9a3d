/*
 * Unit tests for the chunked transfer coding (ref/codec/chunked.[ch]):
 * every vector in spec/vectors/chunked fed whole, split at every byte, a
 * byte at a time and in random cuts; then named tests for the encoders,
 * the options and the branches vectors cannot reach.
 * Rules: spec/http1-framing.md H1-CHUNK-*.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/chunked.h"
#include "test/vec.h"

/* Options from a vector's opts: words (spec/http1-framing.md). */
static void
parse_opts(const char *words, struct chunked_opts *o)
{
	char buf[512], *save = NULL;

	chunked_opts_default(o);
	strncpy(buf, words, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	for (char *w = strtok_r(buf, " ", &save); w != NULL;
		w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');
		unsigned long long n = eq ? strtoull(eq + 1, NULL, 10) : 0;

		if (strcmp(w, "lenient-bare-lf") == 0)
			o->flags |= CHUNKED_LENIENT_BARE_LF;
		else if (strncmp(w, "max-chunk-size=", 15) == 0)
			o->max_chunk_size = n;
		else if (strncmp(w, "max-ext=", 8) == 0)
			o->max_ext = (size_t)n;
		else if (strncmp(w, "max-trailer-bytes=", 18) == 0)
			o->max_trailer_bytes = (size_t)n;
		else if (strncmp(w, "max-trailers=", 13) == 0)
			o->max_trailers = (size_t)n;
		else
			fail_msg("unknown opts word %s", w);
	}
}

/*
 * Render prefix + escaped bytes + suffix as one line. The vector reader
 * trims trailing whitespace, so a final space is written \x20.
 */
static void
out_esc(struct vec_out *out, const char *prefix, const void *p, size_t n)
{
	size_t pl = strlen(prefix), cap = pl + n * 4 + 8, len;
	char *buf = malloc(cap);

	assert_non_null(buf);
	memcpy(buf, prefix, pl);
	vec_escape(buf + pl, cap - pl, p, n);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == ' ')
		strcpy(buf + len - 1, "\\x20");
	vec_out_line(out, "%s", buf);
	free(buf);
}

/* Pending chunk-data of the current chunk, rendered when it ends. */
struct pending {
	uint8_t *p;
	size_t len;
	int any;
};

static void
flush_data(struct pending *d, struct vec_out *out)
{
	uint32_t h = 2166136261u;

	if (!d->any)
		return;
	if (d->len <= 256) {
		out_esc(out, "data=", d->p, d->len);
	} else {
		for (size_t i = 0; i < d->len; i++)
			h = (h ^ d->p[i]) * 16777619u;
		vec_out_line(out, "data-len=%zu fnv1a=%08x", d->len, h);
	}
	free(d->p);
	memset(d, 0, sizeof(*d));
}

static void
render(const struct chunked_out *ev, struct pending *d, struct vec_out *out)
{
	char pre[1024];

	if (ev->event == CHUNKED_EV_DATA) {
		d->p = realloc(d->p, d->len + ev->data.len);
		assert_non_null(d->p);
		memcpy(d->p + d->len, ev->data.p, ev->data.len);
		d->len += ev->data.len;
		d->any = 1;
		return;
	}
	flush_data(d, out);
	if (ev->event == CHUNKED_EV_CHUNK && ev->ext.len == 0) {
		vec_out_line(out, "chunk=%llu", (unsigned long long)ev->size);
	} else if (ev->event == CHUNKED_EV_CHUNK) {
		snprintf(pre, sizeof(pre),
			"chunk=%llu ext=", (unsigned long long)ev->size);
		out_esc(out, pre, ev->ext.p, ev->ext.len);
	} else if (ev->event == CHUNKED_EV_TRAILER) {
		vec_escape(pre, sizeof(pre) - 16, ev->trailer.name.p,
			ev->trailer.name.len);
		memmove(pre + 8, pre, strlen(pre) + 1);
		memcpy(pre, "trailer=", 8);
		strcat(pre, ": ");
		out_esc(out, pre, ev->trailer.value.p, ev->trailer.value.len);
	}
}

/*
 * Feed the pieces as a connection would: unconsumed bytes are kept and
 * presented again with the next piece, in an exact-size heap block so an
 * over-read shows under ASan.
 */
static void
driver(const struct vec *v, const struct vec_piece *pc, size_t npieces,
	struct vec_out *out)
{
	struct chunked_opts o;
	struct chunked d;
	struct chunked_out ev;
	struct pending data = {NULL, 0, 0};
	uint8_t *buf = NULL;
	size_t len = 0, off = 0, consumed = 0;
	long n = 0;

	parse_opts(v->opts, &o);
	chunked_init(&d, &o);
	for (size_t i = 0; i < npieces && !chunked_done(&d) && n >= 0; i++) {
		size_t keep = len - off, sz = keep + pc[i].len;
		uint8_t *nb = malloc(sz ? sz : 1);

		assert_non_null(nb);
		if (keep)
			memcpy(nb, buf + off, keep);
		if (pc[i].len)
			memcpy(nb + keep, pc[i].p, pc[i].len);
		len = sz;
		off = 0;
		free(buf);
		buf = nb;
		while (off < len &&
			(n = chunked_decode(&d, (const char *)buf + off,
				 len - off, &ev)) > 0) {
			assert_true((size_t)n <= len - off);
			render(&ev, &data, out);
			off += (size_t)n;
			consumed += (size_t)n;
		}
	}
	flush_data(&data, out);
	if (n < 0)
		vec_out_result(out, "error %s", chunked_reason_name(d.reason));
	else if (!chunked_done(&d))
		vec_out_result(out, "partial");
	else if (consumed == v->in_len)
		vec_out_result(out, "ok");
	else
		vec_out_result(out, "ok %zu", consumed);
	free(buf);
}

static struct vec_set vectors;

static const char *const reasons[] = {"BAD_SIZE", "SIZE_TOO_LARGE", "BAD_EXT",
	"EXT_TOO_LONG", "BARE_CR", "BARE_LF", "BAD_DATA_END",
	"BAD_TRAILER_NAME", "BAD_TRAILER_VALUE", "TRAILER_OBS_FOLD",
	"TRAILERS_TOO_LARGE", "TOO_MANY_TRAILERS", NULL};

static void
test_chunked_every_reason_has_a_vector(void **state)
{
	(void)state;
	vec_assert_reasons_covered(&vectors, reasons);
}

static void
test_chunked_reason_names_are_distinct(void **state)
{
	(void)state;
	for (int r = CHUNKED_OK; r <= CHUNKED_TOO_MANY_TRAILERS; r++)
		for (int s = r + 1; s <= CHUNKED_TOO_MANY_TRAILERS; s++)
			assert_string_not_equal(
				chunked_reason_name((enum chunked_reason)r),
				chunked_reason_name((enum chunked_reason)s));
	assert_string_equal(
		chunked_reason_name((enum chunked_reason)99), "UNKNOWN");
}

/* Decode a whole body with default options; returns the last result. */
static long
decode_all(const char *in, size_t len, struct chunked *d,
	const struct chunked_opts *o)
{
	struct chunked_out ev;
	size_t off = 0;
	long n = 0;

	chunked_init(d, o);
	while (off < len &&
		(n = chunked_decode(d, in + off, len - off, &ev)) > 0)
		off += (size_t)n;
	return n < 0 ? -1 : (long)off;
}

static void
test_chunked_encode_head_is_lowercase_hex_without_zeros(void **state)
{
	char b[32];

	(void)state;
	assert_int_equal(chunked_encode_head(b, sizeof(b), 1), 3);
	assert_memory_equal(b, "1\r\n", 3);
	assert_int_equal(chunked_encode_head(b, sizeof(b), 0xabc), 5);
	assert_memory_equal(b, "abc\r\n", 5);
	assert_int_equal(chunked_encode_head(b, sizeof(b), UINT64_MAX), 18);
	assert_memory_equal(b, "ffffffffffffffff\r\n", 18);
}

static void
test_chunked_encode_head_refuses_zero_and_short_space(void **state)
{
	char b[8];

	(void)state;
	memset(b, 'x', sizeof(b));
	assert_int_equal(chunked_encode_head(b, sizeof(b), 0), -1);
	assert_int_equal(chunked_encode_head(b, 4, 0x1000), -1);
	assert_int_equal(b[0], 'x');
	assert_int_equal(chunked_encode_head(b, 6, 0x1000), 6);
	assert_int_equal(chunked_encode_data_end(b, 1), -1);
	assert_int_equal(chunked_encode_data_end(b, 2), 2);
	assert_memory_equal(b, "\r\n", 2);
}

static void
test_chunked_encode_last_with_trailers_round_trips(void **state)
{
	struct field t[2] = {
		{{"Expires", 7}, {"0", 1}}, {{"X-Sum", 5}, {"a b\tc", 5}}};
	char b[128], body[160];
	struct chunked d;
	struct chunked_out ev;
	long n, m, off = 0, k;
	int seen = 0;

	(void)state;
	n = chunked_encode_head(body, sizeof(body), 3);
	memcpy(body + n, "abc", 3);
	n += 3;
	n += chunked_encode_data_end(body + n, sizeof(body) - (size_t)n);
	m = chunked_encode_last(b, sizeof(b), t, 2);
	assert_int_equal(m, 3 + 12 + 14 + 2);
	assert_memory_equal(b, "0\r\nExpires: 0\r\nX-Sum: a b\tc\r\n\r\n", m);
	memcpy(body + n, b, (size_t)m);
	n += m;
	chunked_init(&d, NULL);
	while ((k = chunked_decode(&d, body + off, (size_t)(n - off), &ev)) >
		0) {
		if (ev.event == CHUNKED_EV_TRAILER) {
			assert_int_equal(ev.trailer.name.len, t[seen].name.len);
			assert_memory_equal(ev.trailer.value.p, t[seen].value.p,
				t[seen].value.len);
			seen++;
		}
		off += k;
	}
	assert_int_equal(seen, 2);
	assert_int_equal(off, n);
	assert_true(chunked_done(&d));
	assert_int_equal(d.total, 3);
}

static void
test_chunked_encode_last_refuses_splitting_fields(void **state)
{
	struct field crlf = {{"X", 1}, {"a\r\nEvil: 1", 10}};
	struct field sp = {{"X Y", 3}, {"a", 1}};
	struct field empty = {{"", 0}, {"a", 1}};
	struct field del = {{"X", 1}, {"\x7f", 1}};
	struct field ok = {{"X", 1}, {"a", 1}};
	char b[64];

	(void)state;
	memset(b, 'x', sizeof(b));
	assert_int_equal(chunked_encode_last(b, sizeof(b), &crlf, 1), -1);
	assert_int_equal(chunked_encode_last(b, sizeof(b), &sp, 1), -1);
	assert_int_equal(chunked_encode_last(b, sizeof(b), &empty, 1), -1);
	assert_int_equal(chunked_encode_last(b, sizeof(b), &del, 1), -1);
	assert_int_equal(b[0], 'x');
	assert_int_equal(chunked_encode_last(b, 10, &ok, 1), -1);
	assert_int_equal(b[0], 'x');
	assert_int_equal(chunked_encode_last(b, 11, &ok, 1), 11);
	assert_int_equal(chunked_encode_last(b, 4, NULL, 0), -1);
	assert_int_equal(chunked_encode_last(b, 5, NULL, 0), 5);
	assert_memory_equal(b, "0\r\n\r\n", 5);
}

static void
test_chunked_max_chunk_size_is_capped_at_2_63_minus_1(void **state)
{
	struct chunked_opts o;
	struct chunked d;
	const char *big = "8000000000000000\r\n";

	(void)state;
	chunked_opts_default(&o);
	o.max_chunk_size = UINT64_MAX;
	assert_int_equal(decode_all(big, strlen(big), &d, &o), -1);
	assert_int_equal(d.reason, CHUNKED_SIZE_TOO_LARGE);
	assert_int_equal(decode_all("7fffffffffffffff\r\n", 18, &d, &o), 18);
	assert_int_equal(d.remaining, 0x7fffffffffffffffull);
}

static void
test_chunked_error_is_sticky_and_done_consumes_nothing(void **state)
{
	struct chunked d;
	struct chunked_out ev;

	(void)state;
	assert_int_equal(decode_all("g\r\n", 3, &d, NULL), -1);
	assert_int_equal(chunked_decode(&d, "0\r\n", 3, &ev), -1);
	assert_int_equal(d.reason, CHUNKED_BAD_SIZE);
	assert_int_equal(decode_all("0\r\n\r\n", 5, &d, NULL), 5);
	assert_true(chunked_done(&d));
	assert_int_equal(chunked_decode(&d, "0\r\n", 3, &ev), 0);
	chunked_init(&d, NULL);
	assert_int_equal(chunked_decode(&d, "", 0, &ev), 0);
}

static void
test_chunked_data_slices_point_into_the_input(void **state)
{
	const char in[] = "5\r\nhello\r\n";
	struct chunked d;
	struct chunked_out ev;

	(void)state;
	chunked_init(&d, NULL);
	assert_int_equal(chunked_decode(&d, in, 3, &ev), 3);
	assert_int_equal(ev.event, CHUNKED_EV_CHUNK);
	assert_int_equal(chunked_decode(&d, in + 3, 2, &ev), 2);
	assert_ptr_equal(ev.data.p, in + 3);
	assert_int_equal(chunked_decode(&d, in + 5, 8, &ev), 3);
	assert_ptr_equal(ev.data.p, in + 5);
	assert_int_equal(chunked_decode(&d, in + 8, 2, &ev), 2);
	assert_int_equal(ev.event, CHUNKED_EV_DATA_END);
	assert_int_equal(d.total, 5);
}

static void
test_chunked_zero_limits_refuse_any_ext_or_trailer(void **state)
{
	struct chunked_opts o;
	struct chunked d;

	(void)state;
	chunked_opts_default(&o);
	o.max_ext = 0;
	o.max_trailers = 0;
	assert_int_equal(decode_all("1;a\r\n", 5, &d, &o), -1);
	assert_int_equal(d.reason, CHUNKED_EXT_TOO_LONG);
	assert_int_equal(decode_all("0\r\nA: b\r\n\r\n", 11, &d, &o), -1);
	assert_int_equal(d.reason, CHUNKED_TOO_MANY_TRAILERS);
	chunked_opts_default(&o);
	o.max_trailer_bytes = 0;
	assert_int_equal(decode_all("0\r\nA: b\r\n\r\n", 11, &d, &o), -1);
	assert_int_equal(d.reason, CHUNKED_TRAILERS_TOO_LARGE);
	assert_int_equal(decode_all("0\r\n\r\n", 5, &d, &o), 5);
}

/* H1-CHUNK-14: re-encoding what a canonical body decodes to gives back
 * the same bytes (every vector naming H1-CHUNK-14). */
static void
test_chunked_encoder_reproduces_canonical_vectors(void **state)
{
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < vectors.n; i++) {
		const struct vec *v = &vectors.v[i];
		struct field tr[8];
		size_t ntr = 0, off = 0, cap = v->in_len + 64, w = 0;
		char *enc = malloc(cap);
		struct chunked d;
		struct chunked_out ev;
		long n;

		if (!vec_has_word(v->rule, "H1-CHUNK-14")) {
			free(enc);
			continue;
		}
		assert_non_null(enc);
		chunked_init(&d, NULL);
		while ((n = chunked_decode(&d, (const char *)v->in + off,
				v->in_len - off, &ev)) > 0) {
			off += (size_t)n;
			if (ev.event == CHUNKED_EV_CHUNK && ev.size > 0)
				w += (size_t)chunked_encode_head(
					enc + w, cap - w, ev.size);
			if (ev.event == CHUNKED_EV_DATA) {
				memcpy(enc + w, ev.data.p, ev.data.len);
				w += ev.data.len;
			}
			if (ev.event == CHUNKED_EV_DATA_END)
				w += (size_t)chunked_encode_data_end(
					enc + w, cap - w);
			if (ev.event == CHUNKED_EV_TRAILER && ntr < 8)
				tr[ntr++] = ev.trailer;
		}
		assert_true(chunked_done(&d));
		w += (size_t)chunked_encode_last(enc + w, cap - w, tr, ntr);
		assert_int_equal(w, v->in_len);
		assert_memory_equal(enc, v->in, w);
		free(enc);
		checked++;
	}
	assert_true(checked >= 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunked_every_reason_has_a_vector),
		cmocka_unit_test(test_chunked_reason_names_are_distinct),
		cmocka_unit_test(
			test_chunked_encode_head_is_lowercase_hex_without_zeros),
		cmocka_unit_test(
			test_chunked_encode_head_refuses_zero_and_short_space),
		cmocka_unit_test(
			test_chunked_encode_last_with_trailers_round_trips),
		cmocka_unit_test(
			test_chunked_encode_last_refuses_splitting_fields),
		cmocka_unit_test(
			test_chunked_max_chunk_size_is_capped_at_2_63_minus_1),
		cmocka_unit_test(
			test_chunked_error_is_sticky_and_done_consumes_nothing),
		cmocka_unit_test(test_chunked_data_slices_point_into_the_input),
		cmocka_unit_test(
			test_chunked_encoder_reproduces_canonical_vectors),
		cmocka_unit_test(
			test_chunked_zero_limits_refuse_any_ext_or_trailer),
	};
	int rc;

	vec_load_dir(&vectors, "chunked");
	rc = vec_run_all("chunked vectors", &vectors, driver);
	rc += cmocka_run_group_tests_name("chunked", tests, NULL, NULL);
	vec_set_free(&vectors);
	return rc ? 1 : 0;
}
