/*
 * FastCGI 1.0 name-value pairs (§3.4): decode one pair, walk a block of
 * pairs, encode a pair, and frame a list of pairs as PARAMS or GET_VALUES
 * records (see fcgi.h for the API).
 *
 * The gateway encodes the CGI environment with fcgi_nv_stream_encode();
 * the application side (mocks, bench responders) and GET_VALUES_RESULT
 * handling decode with fcgi_nv_next(). Rules: spec/fastcgi.md FCGI-NV-*,
 * FCGI-MGMT-2/3, FCGI-STREAM-2.
 */
#include "codec/fcgi.h"

#include <string.h>

/*
 * FCGI-NV-1/2 (§3.4): a length is one byte when its top bit is clear,
 * else four bytes whose top bit is dropped (31 bits). Returns the prefix
 * size, or 0 when p holds only part of it.
 */
static size_t
read_len(const uint8_t *p, size_t len, size_t *v)
{
	if (len < 1)
		return 0;
	if ((p[0] & 0x80) == 0) {
		*v = p[0];
		return 1;
	}
	if (len < 4)
		return 0;
	*v = (size_t)(p[0] & 0x7f) << 24 | (size_t)p[1] << 16 |
		(size_t)p[2] << 8 | p[3];
	return 4;
}

long
fcgi_nv_decode(const void *p, size_t len, struct field *nv)
{
	const uint8_t *b = p;
	size_t nl = 0, vl = 0, a, c, rest;

	if ((a = read_len(b, len, &nl)) == 0 ||
		(c = read_len(b + a, len - a, &vl)) == 0)
		return 0;
	rest = len - a - c;
	/* Compare against what is left rather than adding lengths: two
	 * 31-bit lengths must not wrap a 32-bit size_t (the libfcgi
	 * CVE-2025-23016 class, FCGI-NV-5). */
	if (nl > rest || vl > rest - nl)
		return 0;
	nv->name.p = (const char *)b + a + c;
	nv->name.len = nl;
	nv->value.p = nv->name.p + nl;
	nv->value.len = vl;
	return (long)(a + c + nl + vl);
}

int
fcgi_nv_next(const void *p, size_t len, size_t *off, struct field *nv,
	enum fcgi_reason *why)
{
	const uint8_t *b;
	size_t rest, nl, vl, a;
	long n;

	/* Checked first: an empty block may come as (NULL, 0). */
	if (*off >= len)
		return 0;
	b = (const uint8_t *)p + *off;
	rest = len - *off;
	n = fcgi_nv_decode(b, rest, nv);
	if (n > 0) {
		*off += (size_t)n;
		return 1;
	}
	/* The block is complete, so "need more" means malformed: say
	 * whether a length prefix or the bytes it announced were cut. */
	a = read_len(b, rest, &nl);
	if (a == 0 || read_len(b + a, rest - a, &vl) == 0)
		*why = FCGI_E_NV_TRUNCATED; /* FCGI-NV-4 */
	else
		*why = FCGI_E_NV_LENGTH_OVERFLOW; /* FCGI-NV-5 */
	return -1;
}

static size_t
len_size(size_t n)
{
	return n < 128 ? 1 : 4;
}

size_t
fcgi_nv_size(const struct field *nv)
{
	if (nv->name.len > FCGI_NV_MAX_LEN || nv->value.len > FCGI_NV_MAX_LEN)
		return 0;
	return len_size(nv->name.len) + len_size(nv->value.len) + nv->name.len +
		nv->value.len;
}

/* FCGI-NV-1/2: the shortest form, as every known peer writes it. */
static size_t
put_len(uint8_t *d, size_t n)
{
	if (n < 128) {
		d[0] = (uint8_t)n;
		return 1;
	}
	d[0] = (uint8_t)(n >> 24 | 0x80);
	d[1] = (uint8_t)(n >> 16);
	d[2] = (uint8_t)(n >> 8);
	d[3] = (uint8_t)n;
	return 4;
}

long
fcgi_nv_encode(void *dst, size_t cap, const struct field *nv)
{
	uint8_t *d = dst;
	size_t n = fcgi_nv_size(nv), off;

	if (n == 0 || n > cap || n > (size_t)0x7fffffff)
		return -1;
	off = put_len(d, nv->name.len);
	off += put_len(d + off, nv->value.len);
	if (nv->name.len > 0)
		memcpy(d + off, nv->name.p, nv->name.len);
	off += nv->name.len;
	if (nv->value.len > 0)
		memcpy(d + off, nv->value.p, nv->value.len);
	return (long)n;
}

static int
is_mgmt(uint8_t type)
{
	return type == FCGI_GET_VALUES || type == FCGI_GET_VALUES_RESULT;
}

static size_t
pad8(size_t n, unsigned flags)
{
	return (flags & FCGI_ENC_PAD8) ? (8 - n % 8) % 8 : 0;
}

/* Total pair bytes, or (size_t)-1 if a pair is too long or it wraps. */
static size_t
pairs_len(const struct field *nv, size_t n)
{
	size_t total = 0, k;

	for (size_t i = 0; i < n; i++) {
		if ((k = fcgi_nv_size(&nv[i])) == 0 || total + k < total)
			return (size_t)-1;
		total += k;
	}
	return total;
}

/* Bytes of records carrying len bytes of a stream, without terminator. */
static size_t
framed_len(size_t len, unsigned flags)
{
	size_t full = len / FCGI_MAX_CONTENT, rest = len % FCGI_MAX_CONTENT;
	size_t n = full *
		(FCGI_HEADER_LEN + FCGI_MAX_CONTENT +
			pad8(FCGI_MAX_CONTENT, flags));

	if (rest > 0)
		n += FCGI_HEADER_LEN + rest + pad8(rest, flags);
	return n;
}

size_t
fcgi_nv_stream_size(
	uint8_t type, const struct field *nv, size_t n, unsigned flags)
{
	size_t len = pairs_len(nv, n);

	if (len == (size_t)-1)
		return 0;
	/* FCGI-MGMT-2 (§4.1): a management request or reply is one
	 * record, empty or not; there is no stream to terminate. */
	if (is_mgmt(type))
		return len > FCGI_MAX_CONTENT
			? 0
			: FCGI_HEADER_LEN + len + pad8(len, flags);
	/* Framing adds 8 + 7 bytes per 65535: half of SIZE_MAX is safe. */
	if (len > ((size_t)-1) / 2)
		return 0;
	return framed_len(len, flags) +
		(flags & FCGI_ENC_END ? FCGI_HEADER_LEN : 0);
}

/* The 8-byte header (§3.3); fcgi.c has the public twin, but codec files
 * do not call each other (ci/check-purity.sh sees only builtins). */
static size_t
put_header(uint8_t *d, uint8_t type, uint16_t id, size_t len, size_t pad)
{
	d[0] = FCGI_VERSION_1;
	d[1] = type;
	d[2] = (uint8_t)(id >> 8);
	d[3] = (uint8_t)id;
	d[4] = (uint8_t)(len >> 8);
	d[5] = (uint8_t)len;
	d[6] = (uint8_t)pad;
	d[7] = 0;
	return FCGI_HEADER_LEN;
}

/* Writes pair bytes as record content, opening records as it goes. */
struct writer {
	uint8_t *out;
	size_t off;
	size_t left;     /* pair bytes not yet written */
	size_t rec_left; /* content room in the open record */
	size_t rec_pad;
	uint8_t type;
	uint16_t id;
	unsigned flags;
};

static void
open_record(struct writer *w)
{
	size_t n = w->left < FCGI_MAX_CONTENT ? w->left : FCGI_MAX_CONTENT;

	w->rec_pad = pad8(n, w->flags);
	w->off += put_header(w->out + w->off, w->type, w->id, n, w->rec_pad);
	w->rec_left = n;
}

static void
close_record(struct writer *w)
{
	memset(w->out + w->off, 0, w->rec_pad);
	w->off += w->rec_pad;
}

/* FCGI-NV-7: a pair may straddle a record boundary; records only cut
 * the byte stream, they do not delimit pairs. */
static void
put(struct writer *w, const void *src, size_t n)
{
	const uint8_t *s = src;

	while (n > 0) {
		size_t k;

		if (w->rec_left == 0)
			open_record(w);
		k = n < w->rec_left ? n : w->rec_left;
		memcpy(w->out + w->off, s, k);
		w->off += k;
		w->rec_left -= k;
		w->left -= k;
		s += k;
		n -= k;
		if (w->rec_left == 0)
			close_record(w);
	}
}

long
fcgi_nv_stream_encode(void *dst, size_t cap, uint8_t type, uint16_t id,
	const struct field *nv, size_t n, unsigned flags)
{
	struct writer w = {dst, 0, pairs_len(nv, n), 0, 0, type, id, flags};
	size_t total = fcgi_nv_stream_size(type, nv, n, flags);

	if (total > cap || total > (size_t)0x7fffffff ||
		(total == 0 &&
			(n > 0 || is_mgmt(type) || flags & FCGI_ENC_END)))
		return -1;
	if (is_mgmt(type) && w.left == 0)
		open_record(&w); /* the empty record: no padding needed */
	for (size_t i = 0; i < n; i++) {
		uint8_t pre[8];
		size_t k = put_len(pre, nv[i].name.len);

		k += put_len(pre + k, nv[i].value.len);
		put(&w, pre, k);
		put(&w, nv[i].name.p, nv[i].name.len);
		put(&w, nv[i].value.p, nv[i].value.len);
	}
	if (!is_mgmt(type) && (flags & FCGI_ENC_END))
		w.off += put_header(w.out + w.off, type, id, 0, 0);
	return (long)w.off;
}
