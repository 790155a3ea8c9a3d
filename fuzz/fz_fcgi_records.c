/*
 * Fuzz target: the FastCGI record-stream decoder on backend bytes
 * (ref/codec/fcgi.c, rules FCGI-REC-*, FCGI-BEGIN/END/MGMT-*).
 * Byte 0: bits 0-1 direction flags, bit 2 expect-id=1, bits 3-7 a piece
 * size (1-32). Property: feeding whole and in pieces gives the same event
 * sequence (content bytes, headers, record ends, final outcome), every
 * call consumes 1..len bytes, and each header re-encodes to its input.
 * seeds: fastcgi
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/fcgi.h"

static uint32_t
mix(uint32_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const uint8_t *)p)[i]) * 0x01000193u;
	return h;
}

static uint32_t
run(const uint8_t *p, size_t len, size_t piece, const uint8_t opt)
{
	struct fcgi_stream_opts o = {opt & 3u, (opt & 4u) ? 1 : 0};
	struct fcgi_stream s;
	struct fcgi_event ev;
	uint32_t h = 0x811c9dc5u;
	size_t off = 0;

	fcgi_stream_init(&s, &o);
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece, start = off;
		int boundary = fcgi_stream_at_boundary(&s);
		long k = fcgi_stream_next(&s, p + off, n, &ev);

		if (k < 0)
			return mix(h, &s.reason, sizeof(s.reason)) ^ 0xdead;
		if (k == 0 || (size_t)k > n)
			abort();
		off += (size_t)k;
		if (ev.flags & FCGI_EV_HEADER) {
			uint8_t re[8];

			fcgi_header_encode(re, 8, &ev.hdr);
			if (boundary && memcmp(re, p + start, 7) != 0)
				abort();
			h = mix(h, re, 7);
		}
		if (ev.flags & FCGI_EV_CONTENT)
			h = mix(h, ev.content.p, ev.content.len);
		if (ev.flags & FCGI_EV_END)
			h = mix(h, "E", 1);
	}
	return h ^ (uint32_t)fcgi_stream_at_boundary(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (run(data + 1, size - 1, size, data[0]) !=
		run(data + 1, size - 1, (data[0] >> 3) + 1u, data[0]))
		abort();
	return 0;
}
