/*
 * Fuzz target: chunked decoder (ref/codec/chunked.c, H1-CHUNK-*).
 * Byte 0: bit 0 lenient-bare-lf, bit 1 tiny limits (max-ext 8, 2 trailers
 * of 40 bytes), bits 2-7 where to split the payload (0..63 of 63ths).
 * Properties, abort() on failure: feeding whole and split must agree on
 * every event and the outcome; re-encoding a complete body canonically
 * and decoding it again gives the same data and trailers.
 * seeds: chunked
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/chunked.h"

struct run {
	uint32_t h; /* FNV-1a over everything decoded, data as a stream */
	long last;  /* last chunked_decode() result */
	size_t off; /* bytes consumed */
	int reason;
};

static void
mix(struct run *r, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		r->h = (r->h ^ ((const uint8_t *)p)[i]) * 16777619u;
}

/* Decode what is unconsumed of p[0..end), as a connection would. */
static void
feed(struct chunked *d, const char *p, size_t end, int with_ext, struct run *r)
{
	struct chunked_out ev;

	while (r->off < end &&
		(r->last = chunked_decode(d, p + r->off, end - r->off, &ev)) >
			0) {
		if ((size_t)r->last > end - r->off)
			abort();
		r->off += (size_t)r->last;
		if (ev.event !=
			CHUNKED_EV_DATA) /* data is hashed as a stream */
			mix(r, &ev.event, sizeof(ev.event));
		if (ev.event == CHUNKED_EV_CHUNK) {
			mix(r, &ev.size, sizeof(ev.size));
			if (with_ext)
				mix(r, ev.ext.p, ev.ext.len);
		}
		mix(r, ev.data.p, ev.data.len);
		mix(r, ev.trailer.name.p, ev.trailer.name.len);
		mix(r, ev.trailer.value.p, ev.trailer.value.len);
	}
}

/* Decode p[0..len) arriving as p[0..cut) and then the rest. */
static void
run(const struct chunked_opts *o, const char *p, size_t len, size_t cut,
	int with_ext, struct run *r)
{
	struct chunked d;

	memset(r, 0, sizeof(*r));
	r->h = 2166136261u;
	chunked_init(&d, o);
	feed(&d, p, cut, with_ext, r);
	feed(&d, p, len, with_ext, r);
	r->reason = r->last < 0 ? (int)d.reason : chunked_done(&d) ? -1 : -2;
}

/* encode(decode(p)) in canonical form; returns its length, 0 if p is not
 * a complete body. */
static size_t
reencode(const struct chunked_opts *o, const char *p, size_t len, char *out,
	size_t cap)
{
	struct chunked d;
	struct chunked_out ev;
	struct field tr[64];
	size_t off = 0, w = 0, ntr = 0;
	long n;

	chunked_init(&d, o);
	while ((n = chunked_decode(&d, p + off, len - off, &ev)) > 0) {
		off += (size_t)n;
		n = 0;
		if (ev.event == CHUNKED_EV_CHUNK && ev.size > 0) {
			n = chunked_encode_head(out + w, cap - w, ev.size);
		} else if (ev.event == CHUNKED_EV_DATA) {
			n = ev.data.len <= cap - w ? (long)ev.data.len : -1;
			if (n > 0)
				memcpy(out + w, ev.data.p, ev.data.len);
		} else if (ev.event == CHUNKED_EV_DATA_END) {
			n = chunked_encode_data_end(out + w, cap - w);
		} else if (ev.event == CHUNKED_EV_TRAILER && ntr < 64) {
			tr[ntr++] = ev.trailer;
		}
		if (n < 0)
			abort(); /* cap is ample for the canonical form */
		w += (size_t)n;
	}
	if (!chunked_done(&d))
		return 0;
	if ((n = chunked_encode_last(out + w, cap - w, tr, ntr)) < 0)
		abort(); /* a trailer the decoder took must be encodable */
	return w + (size_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chunked_opts o;
	struct run whole, split, again;
	const char *p = (const char *)data + 1;
	size_t len, cut, n, cap;
	char *enc;

	if (size < 1)
		return 0;
	len = size - 1;
	cut = len * (data[0] >> 2) / 63;
	chunked_opts_default(&o);
	if (data[0] & 1)
		o.flags |= CHUNKED_LENIENT_BARE_LF;
	if (data[0] & 2) {
		o.max_ext = 8;
		o.max_trailers = 2;
		o.max_trailer_bytes = 40;
	}
	run(&o, p, len, len, 1, &whole);
	run(&o, p, len, cut, 1, &split);
	if (whole.h != split.h || whole.off != split.off ||
		whole.reason != split.reason)
		abort();
	if (whole.reason != -1)
		return 0;
	/* Canonical form: CRLF line ends, no leading zeros, no extensions,
	 * "name: value" trailers; at most twice as long as the input. */
	cap = 2 * len + 64;
	if ((enc = malloc(cap)) == NULL)
		return 0;
	n = reencode(&o, p, len, enc, cap);
	run(&o, p, whole.off, whole.off, 0, &whole);
	chunked_opts_default(&o);
	o.max_trailer_bytes = SIZE_MAX;
	run(&o, enc, n, n, 0, &again);
	if (again.reason != -1 || again.off != n || again.h != whole.h)
		abort();
	free(enc);
	return 0;
}
