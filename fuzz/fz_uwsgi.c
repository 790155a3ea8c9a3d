/*
 * Fuzz target: uwsgi packet decoder and encoder (ref/codec/uwsgi.c,
 * UWSGI-*). Byte 0: bit 0 lenient-any-modifier, bit 1 raw-block, bit 2
 * tiny limits (max_vars 64, 4 vars), bits 3-7 where to split the payload
 * (0..31 of 31sts). Properties, abort() on failure: a prefix never
 * contradicts the whole input; a decoded vars packet re-encodes to exactly
 * its bytes (the uwsgi encoding is canonical).
 * seeds: uwsgi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/uwsgi.h"

#define NV 256

static long
decode(const uint8_t *p, size_t len, const struct uwsgi_opts *o, size_t cap,
	struct uwsgi_packet *pkt, struct field *v, enum uwsgi_reason *why)
{
	/* Exact-size copy, so reading past len is caught by ASan. */
	char *c = malloc(len ? len : 1);
	long n;

	memcpy(c, p, len);
	n = uwsgi_decode(c, len, o, pkt, v, cap, why);
	free(c);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct field v[NV], w[NV];
	struct uwsgi_opts o = {0, 0};
	struct uwsgi_packet pkt, k;
	enum uwsgi_reason why, why2;
	size_t cap = NV, len, cut;
	const uint8_t *p;
	char *enc;
	long n, m;

	if (size < 1)
		return 0;
	o.flags = data[0] & 3;
	if (data[0] & 4) {
		o.max_vars = 64;
		cap = 4;
	}
	p = data + 1;
	len = size - 1;
	cut = len * (data[0] >> 3) / 31;
	n = decode(p, len, &o, cap, &pkt, v, &why);
	m = decode(p, cut, &o, cap, &k, w, &why2);
	if (m != 0 && (m != n || why2 != why))
		abort();
	if (n <= 0 || (o.flags & UWSGI_RAW_BLOCK))
		return 0;
	uwsgi_decode((const char *)p, len, &o, &pkt, v, cap, &why);
	if (uwsgi_vars_size(v, pkt.n_vars) != pkt.datasize)
		abort();
	enc = malloc((size_t)n);
	m = uwsgi_encode_request(
		enc, (size_t)n, pkt.modifier1, pkt.modifier2, v, pkt.n_vars);
	if (m != n || memcmp(enc, p, (size_t)n) != 0)
		abort();
	free(enc);
	return 0;
}
