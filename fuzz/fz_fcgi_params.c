/*
 * Fuzz target: FastCGI name-value pairs (ref/codec/fcgi_nv.c, rules
 * FCGI-NV-*). The payload is a block of pairs (4-byte lengths reach
 * 2^31-1). Byte 0: bit 0 pads records to 8, bits 1-7 a split offset.
 * Properties: one-pair-at-a-time decoding over a buffer cut at the offset
 * agrees with the block walk; every pair re-encodes to a pair that decodes
 * to the same bytes; the pairs framed as PARAMS records and decoded back
 * through the record decoder give the same pair bytes.
 * seeds: fastcgi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/fcgi.h"

#define MAX_PAIRS 64

static void
check_framing(const struct field *nv, size_t n, const uint8_t *canon,
	size_t clen, unsigned flags)
{
	size_t cap = fcgi_nv_stream_size(FCGI_PARAMS, nv, n, flags), got = 0;
	uint8_t *out = malloc(cap + 1);
	struct fcgi_stream s;
	struct fcgi_event ev;
	long w = fcgi_nv_stream_encode(out, cap, FCGI_PARAMS, 1, nv, n, flags);

	if (w < 0 || (size_t)w != cap ||
		fcgi_nv_stream_encode(
			out, cap - 1, FCGI_PARAMS, 1, nv, n, flags) != -1)
		abort();
	fcgi_stream_init(&s, NULL);
	for (size_t off = 0; off < (size_t)w;) {
		long k = fcgi_stream_next(&s, out + off, (size_t)w - off, &ev);

		if (k <= 0)
			abort();
		if ((ev.flags & FCGI_EV_CONTENT) &&
			(got + ev.content.len > clen ||
				memcmp(canon + got, ev.content.p,
					ev.content.len) != 0))
			abort();
		got += ev.flags & FCGI_EV_CONTENT ? ev.content.len : 0;
		off += (size_t)k;
	}
	if (got != clen || !fcgi_stream_at_boundary(&s))
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field nv[MAX_PAIRS], one;
	enum fcgi_reason why;
	const uint8_t *p = data + 1;
	size_t len = size ? size - 1 : 0, off = 0, n = 0, coff = 0;
	size_t cut = size ? (data[0] >> 1) % (len + 1) : 0, inc = 0;
	uint8_t *canon = malloc(len + 1);
	long k;

	if (size < 1) {
		free(canon);
		return 0;
	}
	while (n < MAX_PAIRS && fcgi_nv_next(p, len, &off, &nv[n], &why) == 1)
		n++;
	/* Incremental decoding sees first p[0..cut), then all of p. */
	for (size_t i = 0; i < n; i++) {
		k = fcgi_nv_decode(
			p + inc, (inc < cut ? cut : len) - inc, &one);
		if (k == 0 && inc < cut)
			k = fcgi_nv_decode(p + inc, len - inc, &one);
		if (k <= 0 || one.name.p != nv[i].name.p ||
			one.value.len != nv[i].value.len)
			abort();
		inc += (size_t)k;
		/* Re-encoding is never longer than the input form. */
		k = fcgi_nv_encode(canon + coff, len + 1 - coff, &nv[i]);
		if (k < 0 ||
			fcgi_nv_decode(canon + coff, (size_t)k, &one) != k ||
			memcmp(one.name.p, nv[i].name.p, nv[i].name.len) != 0 ||
			memcmp(one.value.p, nv[i].value.p, nv[i].value.len))
			abort();
		coff += (size_t)k;
	}
	if (coff > 0)
		check_framing(nv, n, canon, coff, data[0] & 1u);
	free(canon);
	return 0;
}
