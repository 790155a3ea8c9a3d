/*
 * Fuzz target: HTTP/1.1 response head parser (ref/codec/h1_resp.c,
 * H1-RESP-*, H1-FIELD-*, H1-LIMIT-*), as the proxy meets backend bytes.
 * Byte 0: bit 0 lenient-bare-lf, bit 1 lenient-no-reason-sp, bit 2 tiny
 * limits (line 64, field line 48, 4 fields, head 256), bits 3-7 where to
 * cut the payload (0..31 of 31ths).
 * Properties, abort() on failure: a prefix that is not "need more" gives
 * the same verdict as the whole input; every slice lies inside the input;
 * the status is 100..599; encoding a parsed head and parsing that again
 * gives the same parts, and encoding is then a fixed point; a 1xx head
 * leaves the bytes after it to the next parse (parsed here too).
 * seeds: http1-response
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
check_same(const struct h1_resp *a, const struct h1_resp *b)
{
	if (a->status != b->status || a->minor != b->minor ||
		!same(&a->reason, &b->reason) || a->nfields != b->nfields)
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
	struct h1_resp a = {.fields = f1, .fields_cap = NF};
	struct h1_resp b = {.fields = f2, .fields_cap = NF};
	static const size_t lots = (size_t)1 << 20;
	static char enc[2][1 << 16];
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

	whole = h1_resp_parse(p, n, &o, &a);
	if (whole > (long)n || (whole < 0 && a.why == H1_OK))
		abort();
	part = h1_resp_parse(p, cut, &o, &b);
	if (part != 0 && (part != whole || b.why != a.why))
		abort();
	if (whole <= 0)
		return 0;
	if (part > 0)
		check_same(&a, &b);
	if (a.status < 100 || a.status > 599)
		abort();
	check_in(&a.reason, p, n);
	for (size_t i = 0; i < a.nfields; i++) {
		check_in(&a.fields[i].name, p, n);
		check_in(&a.fields[i].value, p, n);
	}
	/* Round trip with roomy limits: canonical output may be longer. */
	big.flags = o.flags;
	big.max_line = big.max_field_line = big.max_head = lots;
	big.max_fields = NF;
	e1 = h1_resp_encode(enc[0], sizeof(enc[0]), &a);
	if (e1 >= 0) {
		if (h1_resp_parse(enc[0], (size_t)e1, &big, &b) != e1)
			abort();
		check_same(&a, &b);
		e2 = h1_resp_encode(enc[1], sizeof(enc[1]), &b);
		if (e2 != e1 || memcmp(enc[0], enc[1], (size_t)e1) != 0)
			abort();
	}
	/* After a 1xx the caller parses the next head from what follows. */
	if (a.status < 200)
		(void)h1_resp_parse(p + whole, n - (size_t)whole, &o, &b);
	return 0;
}
