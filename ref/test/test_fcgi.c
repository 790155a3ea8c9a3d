/*
 * Unit tests for the FastCGI codec (ref/codec/fcgi.c, fcgi_nv.c): every
 * vector of spec/vectors/fastcgi fed whole and split (vec.c), then named
 * tests for the encoders, their "does not fit" paths and the corners the
 * vectors cannot reach. Rendering of a decode: spec/fastcgi.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/fcgi.h"
#include "test/vec.h"

struct bytes {
	uint8_t *p;
	size_t len, cap;
};

static void
put(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static uint32_t
fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 0x811c9dc5u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x01000193u;
	return h;
}

/* spec/fastcgi.md "Rendering": escaped up to 256 bytes, else a digest. */
static void
blob(char *dst, size_t cap, const void *p, size_t n)
{
	if (n <= 256)
		vec_escape(dst, cap, p, n);
	else
		snprintf(dst, cap, "[%zu bytes fnv1a32=%08x]", n, fnv1a(p, n));
}

/* Render every pair of a complete block; returns 0 or the failing reason. */
static enum fcgi_reason
render_pairs(struct vec_out *o, const char *key, const uint8_t *p, size_t n)
{
	static char name[1100], value[1100];
	enum fcgi_reason why = FCGI_E_OK;
	struct field nv;
	size_t off = 0;
	int r;

	while ((r = fcgi_nv_next(p, n, &off, &nv, &why)) == 1) {
		blob(name, sizeof(name), nv.name.p, nv.name.len);
		blob(value, sizeof(value), nv.value.p, nv.value.len);
		vec_out_line(o, "%s=%s=%s", key, name, value);
	}
	return r < 0 ? why : FCGI_E_OK;
}

static const char *
name_or_number(const char *name, unsigned v, char *tmp)
{
	if (name != NULL)
		return name;
	sprintf(tmp, "%u", v);
	return tmp;
}

static void
parse_opts(const struct vec *v, struct fcgi_stream_opts *o)
{
	const char *e = strstr(v->opts, "expect-id=");

	memset(o, 0, sizeof(*o));
	if (vec_has_word(v->opts, "from-app"))
		o->flags |= FCGI_FROM_APP;
	if (vec_has_word(v->opts, "from-server"))
		o->flags |= FCGI_FROM_SERVER;
	if (e != NULL)
		o->expect_id = (uint16_t)atoi(e + 10);
}

#define MAX_IDS 8
struct rstate {
	struct bytes content;
	struct bytes params[MAX_IDS];
	uint16_t params_id[MAX_IDS];
};

static struct bytes *
params_of(struct rstate *st, uint16_t id)
{
	for (int i = 0; i < MAX_IDS; i++)
		if (st->params_id[i] == id || st->params_id[i] == 0) {
			st->params_id[i] = id;
			return &st->params[i];
		}
	fail_msg("more than %d request ids", MAX_IDS);
	return NULL;
}

static const char *const role_names[] = {
	NULL, "RESPONDER", "AUTHORIZER", "FILTER"};
static const char *const status_names[] = {
	"REQUEST_COMPLETE", "CANT_MPX_CONN", "OVERLOADED", "UNKNOWN_ROLE"};

/* One event of the record decoder; returns a reason to stop with. */
static enum fcgi_reason
on_event(struct rstate *st, const struct fcgi_event *ev, struct vec_out *o)
{
	const struct fcgi_header *h = &ev->hdr;
	char tmp[16];

	if (ev->flags & FCGI_EV_HEADER) {
		vec_out_line(o, "record type=%s id=%u content=%u padding=%u",
			name_or_number(fcgi_type_name(h->type), h->type, tmp),
			h->request_id, h->content_length, h->padding_length);
		st->content.len = 0;
	}
	if ((ev->flags & FCGI_EV_CONTENT) && h->type == FCGI_BEGIN_REQUEST)
		vec_out_line(o, "begin role=%s flags=%u",
			name_or_number(ev->begin.role <= 3
					? role_names[ev->begin.role]
					: NULL,
				ev->begin.role, tmp),
			ev->begin.flags);
	else if ((ev->flags & FCGI_EV_CONTENT) && h->type == FCGI_END_REQUEST)
		vec_out_line(o, "end app-status=%u protocol-status=%s",
			(unsigned)ev->end.app_status,
			status_names[ev->end.protocol_status]);
	else if ((ev->flags & FCGI_EV_CONTENT) && h->type == FCGI_UNKNOWN_TYPE)
		vec_out_line(o, "unknown-type type=%u", ev->unknown_type);
	else if (ev->flags & FCGI_EV_CONTENT)
		put(&st->content, ev->content.p, ev->content.len);
	if (!(ev->flags & FCGI_EV_END) || h->type == FCGI_BEGIN_REQUEST ||
		h->type == FCGI_END_REQUEST || h->type == FCGI_UNKNOWN_TYPE)
		return FCGI_E_OK;
	assert_int_equal(st->content.len, h->content_length);
	if (h->content_length > 0) {
		char *s = malloc(st->content.len * 4 + 64);

		blob(s, st->content.len * 4 + 64, st->content.p,
			st->content.len);
		vec_out_line(o, "content=%s", s);
		free(s);
	}
	if (h->type == FCGI_GET_VALUES || h->type == FCGI_GET_VALUES_RESULT)
		return render_pairs(o, "pair", st->content.p, st->content.len);
	if (h->type == FCGI_PARAMS) {
		struct bytes *pb = params_of(st, h->request_id);
		enum fcgi_reason why = FCGI_E_OK;

		if (h->content_length > 0) {
			put(pb, st->content.p, st->content.len);
		} else {
			why = render_pairs(o, "param", pb->p, pb->len);
			pb->len = 0;
		}
		return why;
	}
	return FCGI_E_OK;
}

static void
record_driver(const struct vec *v, const struct vec_piece *pc, size_t npc,
	struct vec_out *out)
{
	struct fcgi_stream_opts o;
	struct fcgi_stream s;
	struct fcgi_event ev;
	struct rstate st;
	enum fcgi_reason why = FCGI_E_OK;

	memset(&st, 0, sizeof(st));
	parse_opts(v, &o);
	fcgi_stream_init(&s, &o);
	for (size_t i = 0; i < npc && why == FCGI_E_OK; i++) {
		const uint8_t *p = pc[i].p;
		size_t len = pc[i].len;

		while (len > 0 && why == FCGI_E_OK) {
			long n = fcgi_stream_next(&s, p, len, &ev);

			if (n < 0) {
				why = s.reason;
				break;
			}
			assert_true(n > 0 && (size_t)n <= len);
			why = on_event(&st, &ev, out);
			p += n;
			len -= (size_t)n;
		}
	}
	if (why != FCGI_E_OK)
		vec_out_result(out, "error %s", fcgi_reason_name(why));
	else
		vec_out_result(
			out, fcgi_stream_at_boundary(&s) ? "ok" : "partial");
	free(st.content.p);
	for (int i = 0; i < MAX_IDS; i++)
		free(st.params[i].p);
}

/* "nv" vectors: pairs decoded one at a time from a growing buffer, the way
 * an application reads a PARAMS stream as records arrive (FCGI-NV-6). */
static void
nv_driver(const struct vec *v, const struct vec_piece *pc, size_t npc,
	struct vec_out *out)
{
	static char name[1100], value[1100];
	struct bytes b = {0};
	struct field nv;
	enum fcgi_reason why = FCGI_E_OK;
	size_t off = 0;
	long n;

	(void)v;
	for (size_t i = 0; i < npc; i++) {
		put(&b, pc[i].p, pc[i].len);
		while (off < b.len &&
			(n = fcgi_nv_decode(b.p + off, b.len - off, &nv)) > 0) {
			blob(name, sizeof(name), nv.name.p, nv.name.len);
			blob(value, sizeof(value), nv.value.p, nv.value.len);
			vec_out_line(out, "pair=%s=%s", name, value);
			off += (size_t)n;
		}
	}
	if (off < b.len) {
		assert_int_equal(fcgi_nv_next(b.p, b.len, &off, &nv, &why), -1);
		vec_out_result(out, "error %s", fcgi_reason_name(why));
	} else {
		vec_out_result(out, "ok");
	}
	free(b.p);
}

static void
fcgi_driver(const struct vec *v, const struct vec_piece *pc, size_t npc,
	struct vec_out *out)
{
	if (vec_has_word(v->opts, "nv"))
		nv_driver(v, pc, npc, out);
	else
		record_driver(v, pc, npc, out);
}

static struct vec_set vectors;

static void
test_fcgi_every_reason_reached_by_a_vector(void **state)
{
	static const char *const reasons[] = {"BAD_VERSION", "NULL_REQUEST_ID",
		"MGMT_REQUEST_ID", "UNEXPECTED_REQUEST_ID", "UNEXPECTED_TYPE",
		"BEGIN_BODY_LENGTH", "END_BODY_LENGTH",
		"UNKNOWN_TYPE_BODY_LENGTH", "ABORT_BODY_LENGTH",
		"BAD_PROTOCOL_STATUS", "NV_TRUNCATED", "NV_LENGTH_OVERFLOW",
		NULL};

	(void)state;
	vec_assert_reasons_covered(&vectors, reasons);
	/* And the C names agree with the list, in enum order. */
	for (int r = FCGI_E_BAD_VERSION; r < FCGI_E_REASON_COUNT; r++)
		assert_string_equal(
			fcgi_reason_name((enum fcgi_reason)r), reasons[r - 1]);
	assert_null(reasons[FCGI_E_REASON_COUNT - 1]);
	assert_string_equal(fcgi_reason_name(FCGI_E_REASON_COUNT), "?");
	assert_string_equal(fcgi_reason_name(FCGI_E_OK), "OK");
}

static void
test_fcgi_type_names_cover_types_1_to_11(void **state)
{
	(void)state;
	assert_null(fcgi_type_name(0));
	assert_string_equal(
		fcgi_type_name(FCGI_BEGIN_REQUEST), "BEGIN_REQUEST");
	assert_string_equal(fcgi_type_name(FCGI_UNKNOWN_TYPE), "UNKNOWN_TYPE");
	assert_null(fcgi_type_name(12));
	assert_null(fcgi_type_name(255));
}

/* FCGI-REC-8: the harness samples splits of big inputs; the largest record
 * is also cut at every boundary of header, content and padding, +-1. */
static void
test_fcgi_stream_largest_record_split_at_its_boundaries(void **state)
{
	size_t n = 8 + 65535 + 255 + 16,
	       cuts[] = {1, 7, 8, 9, 65542, 65543, 65544, 65797, 65798, 65799,
		       65806, 65807};
	uint8_t *in = calloc(1, n);
	struct fcgi_stream_opts o = {FCGI_FROM_APP, 1};

	(void)state;
	assert_non_null(in);
	memcpy(in, "\x01\x06\x00\x01\xff\xff\xff\x00", 8);
	memset(in + 8, 'a', 65535);
	fcgi_end_request_encode(in + n - 16, 16, 1, 7, FCGI_REQUEST_COMPLETE);
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		struct fcgi_stream s;
		struct fcgi_event ev;
		size_t off = 0, content = 0, ends = 0;

		fcgi_stream_init(&s, &o);
		while (off < n) {
			size_t lim = off < cuts[c] ? cuts[c] : n;
			long k = fcgi_stream_next(&s, in + off, lim - off, &ev);

			assert_true(k > 0);
			if ((ev.flags & FCGI_EV_CONTENT) &&
				ev.hdr.type == FCGI_STDOUT)
				content += ev.content.len;
			if (ev.flags & FCGI_EV_END)
				ends++;
			if ((ev.flags & FCGI_EV_CONTENT) &&
				ev.hdr.type == FCGI_END_REQUEST)
				assert_int_equal(ev.end.app_status, 7);
			off += (size_t)k;
		}
		assert_int_equal(content, 65535);
		assert_int_equal(ends, 2);
		assert_true(fcgi_stream_at_boundary(&s));
	}
	free(in);
}

static void
test_fcgi_stream_stays_dead_after_an_error(void **state)
{
	struct fcgi_stream s;
	struct fcgi_event ev;
	uint8_t good[16];

	(void)state;
	fcgi_stream_init(&s, NULL);
	assert_int_equal(
		fcgi_stream_next(&s, "\x02\x06\x00\x01\0\0\0\0", 8, &ev), -1);
	assert_int_equal(s.reason, FCGI_E_BAD_VERSION);
	fcgi_end_request_encode(good, sizeof(good), 1, 0, 0);
	assert_int_equal(fcgi_stream_next(&s, good, sizeof(good), &ev), -1);
	assert_int_equal(fcgi_stream_next(&s, good, 0, &ev), -1);
	assert_false(fcgi_stream_at_boundary(&s));
}

static void
test_fcgi_stream_empty_input_needs_more(void **state)
{
	struct fcgi_stream s;
	struct fcgi_event ev;

	(void)state;
	fcgi_stream_init(&s, NULL);
	assert_int_equal(fcgi_stream_next(&s, "", 0, &ev), 0);
	assert_int_equal(ev.flags, 0);
	assert_true(fcgi_stream_at_boundary(&s));
	/* Half a header: consumed into the state, no event, not a boundary. */
	assert_int_equal(fcgi_stream_next(&s, "\x01\x06\x00", 3, &ev), 3);
	assert_int_equal(ev.flags, 0);
	assert_false(fcgi_stream_at_boundary(&s));
}

/* FCGI-REC-8: one call stops at its record's end, so a coalesced read
 * yields one record per call and content slices never span records. */
static void
test_fcgi_stream_one_record_per_call(void **state)
{
	uint8_t in[64];
	struct fcgi_stream s;
	struct fcgi_event ev;
	long n, k;

	(void)state;
	n = fcgi_stream_encode(in, sizeof(in), FCGI_STDOUT, 1, "abc", 3,
		FCGI_ENC_PAD8 | FCGI_ENC_END);
	assert_int_equal(n, 16 + 8);
	fcgi_stream_init(&s, NULL);
	k = fcgi_stream_next(&s, in, (size_t)n, &ev);
	assert_int_equal(k, 16);
	assert_int_equal(
		ev.flags, FCGI_EV_HEADER | FCGI_EV_CONTENT | FCGI_EV_END);
	assert_int_equal(ev.content.len, 3);
	assert_memory_equal(ev.content.p, "abc", 3);
	assert_int_equal(ev.hdr.padding_length, 5);
	k = fcgi_stream_next(&s, in + 16, (size_t)n - 16, &ev);
	assert_int_equal(k, 8);
	assert_int_equal(ev.flags, FCGI_EV_HEADER | FCGI_EV_END);
	assert_int_equal(ev.hdr.content_length, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fcgi_every_reason_reached_by_a_vector),
		cmocka_unit_test(test_fcgi_type_names_cover_types_1_to_11),
		cmocka_unit_test(
			test_fcgi_stream_largest_record_split_at_its_boundaries),
		cmocka_unit_test(test_fcgi_stream_stays_dead_after_an_error),
		cmocka_unit_test(test_fcgi_stream_empty_input_needs_more),
		cmocka_unit_test(test_fcgi_stream_one_record_per_call),
	};
	int rc;

	vec_load_dir(&vectors, "fastcgi");
	rc = vec_run_all("fastcgi vectors", &vectors, fcgi_driver);
	rc += cmocka_run_group_tests_name("fastcgi decoder", tests, NULL, NULL);
	vec_set_free(&vectors);
	return rc != 0;
}
