/*
 * Fuzz gatecheck's SCGI and uwsgi readers (conformance/pkt.c). Byte 0:
 * bit 0 selects uwsgi instead of SCGI. Checks the returned lengths.
 * seeds: scgi uwsgi
 */
#include <stddef.h>
#include <stdint.h>

#include "../conformance/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_scgi s;
	struct pkt_uwsgi u;
	enum pkt_err e;
	long n;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		n = pkt_uwsgi_read(data + 1, size - 1, &u, &e);
		if (n > 0 && u.datasize + PKT_UWSGI_HEADER != (size_t)n)
			__builtin_trap();
	} else {
		n = pkt_scgi_read(data + 1, size - 1, &s, &e);
		if (n > 0 && s.headers_len >= (size_t)n)
			__builtin_trap();
	}
	if (n > (long)(size - 1))
		__builtin_trap();
	return 0;
}
