/*
 * Fuzz gatecheck's HTTP/1.1 reader (conformance/http.c). Byte 0: bit 0
 * reads a request head instead of a response head, bit 1 decodes the
 * input as a chunked body instead. Checks the returned lengths.
 * seeds: http1-request http1-response chunked
 */
#include <stddef.h>
#include <stdint.h>

#include "../conformance/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_head h;
	enum http_err e;
	unsigned long long n;
	size_t olen;
	long r;

	if (size < 1)
		return 0;
	if (data[0] & 2) {
		r = http_chunked(data + 1, size - 1, NULL, &olen, data[0] & 4);
		if (r > 0 && olen >= (size_t)r)
			__builtin_trap();
	} else {
		r = http_read_head(data + 1, size - 1, data[0] & 1, &h, &e);
		if (r > 0 &&
			(h.len != (size_t)r || h.nfields > HTTP_MAX_FIELDS))
			__builtin_trap();
		if (r > 0)
			(void)http_framing(&h, data[0] & 4, &n);
	}
	if (r > (long)(size - 1))
		__builtin_trap();
	return 0;
}
