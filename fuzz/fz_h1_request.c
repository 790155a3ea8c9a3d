/*
 * Fuzz target: HTTP/1.1 request head parser (ref/codec/h1_req.c, H1-REQ-*,
 * H1-TARGET-*, H1-FIELD-*, H1-LIMIT-*). Byte 0: bit 0 lenient-bare-lf,
 * bit 1 lenient-target-chars, bit 2 tiny limits (line 64, field line 48,
 * 4 fields, head 256), bits 3-7 where to cut the payload (0..31 of 31ths).
 * Properties, abort() on failure: a parse of a prefix that is not "need
 * more" gives the same verdict as the whole input (the parser is
 * stateless and judges a line only once complete or over a limit); every
 * slice lies inside the input; encoding a parsed head and parsing that
 * again gives the same parts, and encoding is then a fixed point.
 * seeds: http1-request
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/h1.h"

#define NF 128

static void
check_in(const struct slice *s, const char *p, size_t n)
{
	if (s->p < p || s->p + s->len > p + n)
		abort();
}

static int
same(const struct slice *a, const struct slice *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* a and b must have parsed to the same head. */
static void
check_same(const struct h1_req *a, const struct h1_req *b)
{
	if (!same(&a->method, &b->method) || !same(&a->target, &b->target) ||
		a->method_id != b->method_id || a->form != b->form ||
		a->minor != b->minor || a->nfields != b->nfields)
		abort();
	for (size_t i = 0; i < a->nfields; i++)
		if (!same(&a->fields[i].name, &b->fields[i].name) ||
			!same(&a->fields[i].value, &b->fields[i].value))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h1_opts o = {0}, big = {0};
	struct field f1[NF], f2[NF];
	struct h1_req a = {.fields = f1, .fields_cap = NF};
	struct h1_req b = {.fields = f2, .fields_cap = NF};
	static const size_t lots = (size_t)1 << 20;
	char enc[2][1 << 15];
	const char *p = (const char *)data + 1;
	size_t n, cut;
	long whole, part, e1, e2;

	if (size < 1)
		return 0;
	n = size - 1;
	o.flags = data[0] & 3u;
	if (data[0] & 4u) {
		o.max_line = 64, o.max_field_line = 48;
		o.max_fields = 4, o.max_head = 256;
	}
	cut = n * (data[0] >> 3) / 31;

	whole = h1_req_parse(p, n, &o, &a);
	if (whole > (long)n || (whole < 0 && a.reason == H1_OK))
		abort();
	part = h1_req_parse(p, cut, &o, &b);
	if (part != 0 && (part != whole || b.reason != a.reason))
		abort();
	if (whole <= 0)
		return 0;
	if (part > 0)
		check_same(&a, &b);
	check_in(&a.method, p, n);
	check_in(&a.target, p, n);
	for (size_t i = 0; i < a.nfields; i++) {
		check_in(&a.fields[i].name, p, n);
		check_in(&a.fields[i].value, p, n);
	}
	/* Round trip with roomy limits: canonical output may be longer. */
	big.flags = o.flags;
	big.max_line = big.max_field_line = big.max_head = lots;
	big.max_fields = NF;
	e1 = h1_req_encode(enc[0], sizeof(enc[0]), &a);
	if (e1 < 0)
		return 0;
	if (h1_req_parse(enc[0], (size_t)e1, &big, &b) != e1)
		abort();
	check_same(&a, &b);
	e2 = h1_req_encode(enc[1], sizeof(enc[1]), &b);
	if (e2 != e1 || memcmp(enc[0], enc[1], (size_t)e1) != 0)
		abort();
	return 0;
}
