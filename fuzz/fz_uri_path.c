/*
 * Fuzz target for the URI path codec (ref/codec/uri.c, spec/uri.md).
 * seeds: uri-path
 * Byte 0: bits 0-6 are the URI_* option flags, bit 7 asks for a second run
 * with less output space. Properties checked (abort on failure):
 *  - a normalised path starts with '/' and is no longer than the input;
 *  - encode(path) normalises back to the same path (URI-ENC-1), so the
 *    output has no dot segments and no second layer of escapes;
 *  - with less space the result is TOO_LONG or exactly the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 1;
	size_t len = size - 1, cap;
	unsigned opts;
	char *out, *enc, *again;
	struct uri_path r, r2;
	long n;

	if (size < 1)
		return 0;
	opts = data[0] & 0x7f;
	out = malloc(len + 1);
	enc = malloc(3 * len + 1);
	again = malloc(3 * len + 1);
	if (uri_path_normalize(in, len, opts, out, len, &r) >= 0) {
		if (r.path.len == 0 || r.path.p[0] != '/' || r.path.len > len)
			abort();
		n = uri_path_encode(r.path.p, r.path.len, opts, enc, 3 * len);
		if (n < 0 ||
			uri_path_normalize(enc, (size_t)n, opts, again,
				(size_t)n, &r2) != n ||
			r2.path.len != r.path.len ||
			memcmp(r2.path.p, r.path.p, r.path.len) != 0 ||
			r2.has_query)
			abort();
		if ((data[0] & 0x80) && len > 0) {
			cap = (size_t)data[size - 1] % len;
			if (uri_path_normalize(in, len, opts, again, cap, &r2) <
				0) {
				if (r2.reason != URI_TOO_LONG)
					abort();
			} else if (r2.path.len != r.path.len ||
				memcmp(r2.path.p, r.path.p, r.path.len) != 0) {
				abort();
			}
		}
	}
	free(out);
	free(enc);
	free(again);
	return 0;
}
