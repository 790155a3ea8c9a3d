/*
 * Fuzz target: SCGI head decoder and encoder (ref/codec/scgi.c, SCGI-*).
 * Byte 0: bits 0-2 the lenient-* flags, bit 3 tiny limits (max_head 64,
 * 4 fields), bits 4-7 where to split the payload (0..15 of 15ths).
 * Properties, abort() on failure: a prefix never contradicts the whole
 * input (it may only ask for more); with strict options encode(decode(x))
 * gives x's head byte for byte; whatever the encoder writes decodes.
 * seeds: scgi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/scgi.h"

#define NF 256

static long
decode(const uint8_t *p, size_t len, const struct scgi_opts *o, size_t cap,
	struct scgi_head *h, struct field *f, enum scgi_reason *why)
{
	/* Exact-size copy, so reading past len is caught by ASan. */
	char *c = malloc(len ? len : 1);
	long n;

	memcpy(c, p, len);
	n = scgi_decode_head(c, len, o, h, f, cap, why);
	free(c);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct field f[NF], g[NF];
	struct scgi_opts o = {0, 0};
	struct scgi_head h, k;
	enum scgi_reason why, why2;
	size_t cap = NF, len, cut;
	const uint8_t *p;
	char *enc;
	long n, m;

	if (size < 1)
		return 0;
	o.flags = data[0] & 7;
	if (data[0] & 8) {
		o.max_head = 64;
		cap = 4;
	}
	p = data + 1;
	len = size - 1;
	cut = len * (data[0] >> 4) / 15;
	n = decode(p, len, &o, cap, &h, f, &why);
	m = decode(p, cut, &o, cap, &k, g, &why2);
	if (m != 0 && (m != n || why2 != why))
		abort();
	if (n <= 0)
		return 0;
	/* The whole input is still in data: slices point into the copy, so
	 * decode again straight from data for the encoder. */
	scgi_decode_head((const char *)p, len, &o, &h, f, cap, &why);
	enc = malloc(scgi_head_size(f, h.n_fields) + 1);
	m = scgi_encode_head(enc, scgi_head_size(f, h.n_fields), f, h.n_fields);
	if (o.flags == 0 && (m != n || memcmp(enc, p, (size_t)n) != 0))
		abort();
	if (m > 0) {
		struct scgi_opts big = {0, (size_t)m};

		if (decode((const uint8_t *)enc, (size_t)m, &big, NF, &k, g,
			    &why2) != m)
			abort();
	}
	free(enc);
	return 0;
}
