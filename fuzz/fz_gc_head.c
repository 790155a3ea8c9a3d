/*
 * Fuzz gatecheck's CGI response head reader (conformance/head.c) with the
 * bytes an application writes on STDOUT. Byte 0 is unused (options slot).
 * Checks that the head length and every problem offset stay in bounds.
 * seeds: cgi-response
 */
#include <stddef.h>
#include <stdint.h>

#include "../conformance/head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct head h;
	long n;
	unsigned i;

	if (size < 1)
		return 0;
	n = head_read(data + 1, size - 1, &h);
	if (n > (long)(size - 1))
		__builtin_trap();
	if (n > 0)
		for (i = 0; i < HEAD_NPROBLEMS; i++)
			if ((h.problems & (1u << i)) && h.where[i] >= (size_t)n)
				__builtin_trap();
	return 0;
}
