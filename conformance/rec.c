/*
 * FastCGI 1.0 record and name-value pair reader/writer for gatecheck.
 *
 * Implements FastCGI §3.3 (FCGI_Header: version, type, requestId,
 * contentLength, paddingLength, reserved), §3.4 (name-value pair lengths of
 * 1 or 4 bytes), §4.2 (FCGI_UnknownTypeBody), §5.1 (FCGI_BeginRequestBody)
 * and §5.5 (FCGI_EndRequestBody). Pure: no I/O, no allocation.
 */
#include <string.h>

#include "rec.h"

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

long
rec_read(const unsigned char *p, size_t len, struct rec *r, enum rec_err *err)
{
	size_t total;

	*err = REC_OK;
	if (len < REC_HEADER_LEN)
		return 0;
	r->version = p[0];
	r->type = p[1];
	r->id = be16(p + 2);
	r->clen = be16(p + 4);
	r->plen = p[6];
	r->reserved = p[7];
	r->content = p + REC_HEADER_LEN;
	/* §3.3: FCGI_VERSION_1 is the only version; anything else means the
	 * stream is not FastCGI 1.0 (or is misframed), so nothing after it
	 * can be trusted. */
	if (r->version != REC_VERSION_1) {
		*err = REC_E_VERSION;
		return -1;
	}
	total = REC_HEADER_LEN + (size_t)r->clen + r->plen;
	if (len < total)
		return 0;
	return (long)total;
}

int
rec_end_body(const struct rec *r, uint32_t *app_status, unsigned *pstatus,
	enum rec_err *err)
{
	if (r->clen != 8) {
		*err = REC_E_END_LEN;
		return -1;
	}
	*app_status = be32(r->content);
	*pstatus = r->content[4];
	return 0;
}

int
rec_unknown_body(const struct rec *r, unsigned *type, enum rec_err *err)
{
	if (r->clen != 8) {
		*err = REC_E_UNKNOWN_LEN;
		return -1;
	}
	*type = r->content[0];
	return 0;
}

int
rec_begin_body(
	const struct rec *r, unsigned *role, unsigned *flags, enum rec_err *err)
{
	if (r->clen != 8) {
		*err = REC_E_BEGIN_LEN;
		return -1;
	}
	*role = be16(r->content);
	*flags = r->content[2];
	return 0;
}

/* One §3.4 length at p[*off]; -1 when it runs past len. */
static int
pair_len(const unsigned char *p, size_t len, size_t *off, size_t *n)
{
	if (*off >= len)
		return -1;
	if ((p[*off] & 0x80) == 0) {
		*n = p[*off];
		*off += 1;
		return 0;
	}
	if (len - *off < 4)
		return -1;
	*n = be32(p + *off) & 0x7fffffffu;
	*off += 4;
	return 0;
}

long
rec_pair_next(const unsigned char *p, size_t len, const unsigned char **name,
	size_t *nlen, const unsigned char **value, size_t *vlen,
	enum rec_err *err)
{
	size_t off = 0;

	*err = REC_OK;
	if (len == 0)
		return 0;
	if (pair_len(p, len, &off, nlen) < 0 ||
		pair_len(p, len, &off, vlen) < 0) {
		*err = REC_E_NV_TRUNC;
		return -1;
	}
	/* Compare against what is left rather than adding the lengths, so
	 * two 31-bit lengths cannot wrap (libfcgi CVE-2025-23016). */
	if (*nlen > len - off || *vlen > len - off - *nlen) {
		*err = REC_E_NV_OVERRUN;
		return -1;
	}
	*name = p + off;
	*value = p + off + *nlen;
	return (long)(off + *nlen + *vlen);
}

const char *
rec_strerror(enum rec_err err)
{
	switch (err) {
	case REC_OK: return "no error";
	case REC_E_VERSION: return "version byte is not FCGI_VERSION_1 (1)";
	case REC_E_NV_TRUNC:
		return "a name-value length field runs past the end of the "
		       "stream";
	case REC_E_NV_OVERRUN:
		return "a name-value pair's lengths run past the end of the "
		       "stream";
	case REC_E_END_LEN: return "END_REQUEST content is not 8 bytes";
	case REC_E_UNKNOWN_LEN: return "UNKNOWN_TYPE content is not 8 bytes";
	case REC_E_BEGIN_LEN: return "BEGIN_REQUEST content is not 8 bytes";
	}
	return "unknown error";
}

const char *
rec_type_name(unsigned type)
{
	static const char *names[] = {NULL, "BEGIN_REQUEST", "ABORT_REQUEST",
		"END_REQUEST", "PARAMS", "STDIN", "STDOUT", "STDERR", "DATA",
		"GET_VALUES", "GET_VALUES_RESULT", "UNKNOWN_TYPE"};

	if (type >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[type];
}

long
rec_put_header(unsigned char *out, size_t cap, unsigned type, unsigned id,
	unsigned clen, unsigned plen)
{
	if (cap < REC_HEADER_LEN || clen > REC_MAX_CONTENT || plen > 255)
		return -1;
	out[0] = REC_VERSION_1;
	out[1] = (unsigned char)type;
	out[2] = (unsigned char)(id >> 8);
	out[3] = (unsigned char)id;
	out[4] = (unsigned char)(clen >> 8);
	out[5] = (unsigned char)clen;
	out[6] = (unsigned char)plen;
	out[7] = 0;
	return REC_HEADER_LEN;
}

long
rec_put(unsigned char *out, size_t cap, unsigned type, unsigned id,
	const void *content, size_t clen, unsigned plen)
{
	size_t total = REC_HEADER_LEN + clen + plen;

	if (clen > REC_MAX_CONTENT || plen > 255 || cap < total)
		return -1;
	rec_put_header(out, cap, type, id, (unsigned)clen, plen);
	if (clen > 0)
		memcpy(out + REC_HEADER_LEN, content, clen);
	memset(out + REC_HEADER_LEN + clen, 0, plen);
	return (long)total;
}

long
rec_put_len(unsigned char *out, size_t cap, uint32_t n, int force4)
{
	if (n < 128 && !force4) {
		if (cap < 1)
			return -1;
		out[0] = (unsigned char)n;
		return 1;
	}
	if (cap < 4)
		return -1;
	out[0] = (unsigned char)(n >> 24 | 0x80);
	out[1] = (unsigned char)(n >> 16);
	out[2] = (unsigned char)(n >> 8);
	out[3] = (unsigned char)n;
	return 4;
}

long
rec_put_pair(unsigned char *out, size_t cap, const void *name, size_t nlen,
	const void *value, size_t vlen, int force4)
{
	unsigned char hdr[8];
	long a, b;

	if (nlen > 0x7fffffff || vlen > 0x7fffffff)
		return -1;
	a = rec_put_len(hdr, sizeof(hdr), (uint32_t)nlen, force4);
	b = rec_put_len(
		hdr + a, sizeof(hdr) - (size_t)a, (uint32_t)vlen, force4);
	if (cap < (size_t)(a + b) + nlen + vlen)
		return -1;
	memcpy(out, hdr, (size_t)(a + b));
	if (nlen > 0)
		memcpy(out + a + b, name, nlen);
	if (vlen > 0)
		memcpy(out + a + b + nlen, value, vlen);
	return (long)((size_t)(a + b) + nlen + vlen);
}
