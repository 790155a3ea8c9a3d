/*
 * Fuzz gatecheck's FastCGI reader (conformance/rec.c): records, the fixed
 * bodies and name-value pairs, as an application's bytes would reach it.
 * Byte 0: bit 0 decodes the payload as a bare pair stream instead of
 * records. Checks that every length the reader returns stays in bounds.
 * seeds: fastcgi
 */
#include <stddef.h>
#include <stdint.h>

#include "../conformance/rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p, *n, *v;
	size_t len, nl, vl;
	struct rec r;
	enum rec_err e;
	uint32_t app;
	unsigned a, b;
	long used;

	if (size < 1)
		return 0;
	p = data + 1;
	len = size - 1;
	if (data[0] & 1) {
		while ((used = rec_pair_next(p, len, &n, &nl, &v, &vl, &e)) >
			0) {
			if ((size_t)used > len || nl + vl > len)
				__builtin_trap();
			p += used;
			len -= (size_t)used;
		}
		return 0;
	}
	while ((used = rec_read(p, len, &r, &e)) > 0) {
		if ((size_t)used > len)
			__builtin_trap();
		rec_end_body(&r, &app, &a, &e);
		rec_unknown_body(&r, &a, &e);
		rec_begin_body(&r, &a, &b, &e);
		p += used;
		len -= (size_t)used;
	}
	return 0;
}
