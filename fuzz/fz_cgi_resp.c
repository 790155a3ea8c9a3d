/*
 * Fuzz target: CGI response head decoder (ref/codec/cgi_resp.c,
 * CGI-RESP-*, CGI-NPH-*). Byte 0: bits 0-4 the CGI_RESP_* option flags,
 * bit 5 tiny limits (max_head 64, 4 fields). Properties, abort() on
 * failure: a prefix cut at a payload-derived offset decodes to "need
 * more" or to exactly the whole input's answer (CGI-RESP-LINE-3); a
 * decoded head re-encoded canonically decodes to the same head.
 * seeds: cgi-response
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cgi_resp.h"

#define NF 128

static void
same_head(const struct cgi_resp *a, const struct field *fa,
	const struct cgi_resp *b, const struct field *fb)
{
	if (a->status != b->status || a->type != b->type ||
		a->location_kind != b->location_kind ||
		a->content_length != b->content_length ||
		a->chunked != b->chunked || a->nfields != b->nfields ||
		a->reason.len != b->reason.len)
		abort();
	for (size_t i = 0; i < a->nfields; i++)
		if (fa[i].value.len != fb[i].value.len ||
			memcmp(fa[i].value.p, fb[i].value.p, fa[i].value.len) ||
			fa[i].name.len != fb[i].name.len)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char enc[CGI_RESP_MAX_HEAD_DEFAULT * 2];
	struct field f1[NF], f2[NF];
	struct cgi_resp r1, r2;
	enum cgi_resp_reason w1, w2;
	struct cgi_resp_opts o = {0, 0};
	const char *p = (const char *)data + 1;
	size_t len = size ? size - 1 : 0, nf = NF, cut = 0;
	int n, m;

	if (size == 0)
		return 0;
	o.flags = data[0] & 0x1f;
	if (data[0] & 0x20) {
		o.max_head = 64;
		nf = 4;
	}
	for (size_t i = 0; i < len; i++)
		cut = cut * 31 + (uint8_t)p[i];
	cut = len ? cut % (len + 1) : 0;
	n = cgi_resp_decode(p, len, &o, &r1, f1, nf, &w1);
	m = cgi_resp_decode(p, cut, &o, &r2, f2, nf, &w2);
	if (n > (int)len || (n == 0 && m != 0) ||
		(m != 0 && (m != n || (m < 0 && w1 != w2))))
		abort();
	if (m > 0)
		same_head(&r1, f1, &r2, f2);
	if (n <= 0 || r1.nph_minor >= 0)
		return 0;
	m = cgi_resp_encode(enc, sizeof(enc), r1.has_status ? r1.status : 0,
		r1.reason, f1, r1.nfields);
	o.max_head = sizeof(enc);
	if (m <= 0 ||
		cgi_resp_decode(enc, (size_t)m, &o, &r2, f2, nf, &w2) != m)
		abort();
	same_head(&r1, f1, &r2, f2);
	return 0;
}
