/*
 * Fuzz target: framing decision (ref/codec/h1frame.c, H1-FRAME-*). The
 * payload is the text form of a head that framing vectors use
 * (spec/http1-framing.md "Input format of framing vectors"); byte 0 holds
 * the H1FRAME_* options in bits 0-2. abort() when an invariant breaks:
 * errors close, lengths fit in 63 bits, each option changes only what it
 * names, and field names are case-insensitive.
 * seeds: framing
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/h1frame.h"

#define MAX_FIELDS 64

/* First line "request V METHOD" / "response V STATUS METHOD", then
 * "Name: value" lines; returns -1 when p is not in that form. */
static int
parse_text(const char *p, size_t len, struct h1frame_msg *m, struct field *f)
{
	const char *s = p, *e = memchr(p, '\n', len);
	int digits = 0;

	e = e ? e : p + len;
	memset(m, 0, sizeof(*m));
	m->fields = f;
	if (e - s > 8 && memcmp(s, "request ", 8) == 0)
		m->is_request = 1, s += 8;
	else if (e - s > 9 && memcmp(s, "response ", 9) == 0)
		s += 9;
	else
		return -1;
	if (e - s < 4 ||
		(memcmp(s, "1.0 ", 4) != 0 && memcmp(s, "1.1 ", 4) != 0))
		return -1;
	m->version = s[2] == '0' ? 10 : 11;
	for (s += 4;
		!m->is_request && s < e && *s >= '0' && *s <= '9' && digits < 4;
		s++, digits++)
		m->status = m->status * 10 + (*s - '0');
	if (!m->is_request && (digits == 0 || s == e || *s++ != ' '))
		return -1;
	m->method.p = s;
	m->method.len = (size_t)(e - s);
	while (e < p + len && m->nfields < MAX_FIELDS) {
		const char *l = e + 1, *colon;
		struct field *x = &f[m->nfields];

		e = memchr(l, '\n', (size_t)(p + len - l));
		e = e ? e : p + len;
		if ((colon = memchr(l, ':', (size_t)(e - l))) == NULL)
			continue;
		x->name.p = l;
		x->name.len = (size_t)(colon - l);
		x->value.p = colon + 1;
		x->value.len = (size_t)(e - colon - 1);
		while (x->value.len &&
			(*x->value.p == ' ' || *x->value.p == '\t'))
			x->value.p++, x->value.len--;
		while (x->value.len &&
			(x->value.p[x->value.len - 1] == ' ' ||
				x->value.p[x->value.len - 1] == '\t'))
			x->value.len--;
		m->nfields++;
	}
	return 0;
}

static void
check(const struct h1frame_msg *m, unsigned o, struct h1frame *r)
{
	struct h1frame x;

	h1frame_decide(m, o, r);
	if ((r->kind == H1FRAME_ERROR) != (r->reason != H1FRAME_OK) ||
		(r->kind == H1FRAME_ERROR && !r->must_close) ||
		(r->kind == H1FRAME_UNTIL_CLOSE &&
			(!r->must_close || m->is_request)) ||
		(r->kind != H1FRAME_LENGTH && r->length != 0) ||
		r->length > 0x7fffffffffffffffull)
		abort();
	/* Each option may turn only its own case into its own outcome. */
	h1frame_decide(m, o | H1FRAME_REJECT_CL_TE, &x);
	if (x.kind != r->kind && x.reason != H1FRAME_CL_AND_TE)
		abort();
	h1frame_decide(m, o | H1FRAME_LENIENT_CL_LIST, &x);
	if (x.kind != r->kind &&
		(r->reason != H1FRAME_CL_DUPLICATE || x.kind != H1FRAME_LENGTH))
		abort();
	h1frame_decide(m, o | H1FRAME_STRICT_RESPONSE_TE, &x);
	if (x.kind != r->kind &&
		(r->kind != H1FRAME_UNTIL_CLOSE ||
			x.reason != H1FRAME_TE_NOT_CHUNKED))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field f[MAX_FIELDS];
	struct h1frame_msg m;
	struct h1frame r, u;
	char *copy;

	if (size < 1 || parse_text((const char *)data + 1, size - 1, &m, f))
		return 0;
	check(&m, data[0] & 7u, &r);
	/* Upper-casing every field name must not change the decision. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	for (size_t i = 0; i < size - 1; i++)
		if (copy[i] >= 'a' && copy[i] <= 'z')
			copy[i] = (char)(copy[i] - 'a' + 'A');
	for (size_t i = 0; i < m.nfields; i++)
		f[i].name.p = copy + (f[i].name.p - (const char *)data - 1);
	h1frame_decide(&m, data[0] & 7u, &u);
	if (u.kind != r.kind || u.reason != r.reason || u.length != r.length ||
		u.must_close != r.must_close)
		abort();
	free(copy);
	return 0;
}
