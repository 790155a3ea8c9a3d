/*
 * Fuzz target for the RFC 7239 Forwarded codec (ref/codec/fwd.c,
 * spec/proxy.md PROXY-FWD-*).
 * seeds: forwarded
 * Byte 0: bits 0-1 are the FWD_* option flags. Properties (abort on
 * failure): fwd_next_pair walks exactly n_pairs pairs of each element;
 * in strict mode every accepted element formats (PROXY-FWD-10) and the
 * formatted text parses back to one element with the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/fwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Unquoted value of v into buf (FWD_VALUE_MAX + 1 bytes); p NULL if absent. */
static struct slice
plain(const struct fwd_value *v, char *buf)
{
	struct slice s = {NULL, 0};
	long n;

	if (v->text.p == NULL)
		return s;
	n = fwd_unquote(v, buf, FWD_VALUE_MAX + 1);
	if (n < 0)
		abort(); /* a checked value fits (PROXY-FWD-5) */
	s.p = buf;
	s.len = (size_t)n;
	return s;
}

static int
same(struct slice a, struct slice b)
{
	return (a.p == NULL) == (b.p == NULL) && a.len == b.len &&
		(a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static void
round_trip(const struct fwd_elem *e)
{
	char b[8][FWD_VALUE_MAX + 1];
	char out[4 * (2 * FWD_VALUE_MAX + 16)];
	struct fwd_hop h = {plain(&e->for_node, b[0]), plain(&e->by_node, b[1]),
		plain(&e->host, b[2]), plain(&e->proto, b[3])};
	struct fwd_elem e2;
	struct fwd_result r;
	long n = fwd_format(&h, out, sizeof(out));

	if (n < 0)
		abort();
	if (n == 0)
		return; /* only extension parameters */
	if (fwd_parse(out, (size_t)n, 0, &e2, 1, &r) != n || r.n != 1 ||
		!same(h.for_node, plain(&e2.for_node, b[4])) ||
		!same(h.by_node, plain(&e2.by_node, b[5])) ||
		!same(h.host, plain(&e2.host, b[6])) ||
		!same(h.proto, plain(&e2.proto, b[7])))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fwd_elem e[8];
	struct fwd_result r;
	unsigned opts;

	if (size < 1)
		return 0;
	opts = data[0] & 3;
	if (fwd_parse((const char *)data + 1, size - 1, opts, e, 8, &r) < 0)
		return 0;
	for (size_t i = 0; i < r.n; i++) {
		struct slice rest = e[i].raw;
		struct fwd_pair pr;
		unsigned k = 0;

		while (fwd_next_pair(&rest, &pr))
			k++;
		if (k != e[i].n_pairs)
			abort();
		if (!(opts & FWD_LENIENT_VALUES))
			round_trip(&e[i]);
	}
	return 0;
}
