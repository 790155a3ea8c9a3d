/*
 * SCGI request and uwsgi packet readers/writers for gatecheck.
 *
 * SCGI: "the request header is a netstring" whose content is NUL-terminated
 * name/value strings; CONTENT_LENGTH must come first and always be present,
 * SCGI with value 1 must be present, and duplicate names are not allowed.
 * Netstrings (D. J. Bernstein) forbid leading zeros in the length.
 * uwsgi: 16-bit little-endian sizes throughout, so one packet's vars are at
 * most 65535 bytes.
 */
#include <string.h>

#include "pkt.h"

long
pkt_scgi_read(const unsigned char *p, size_t len, struct pkt_scgi *s,
	enum pkt_err *err)
{
	size_t i = 0, n = 0, off, total;
	const char *name, *value;
	size_t nlen, vlen, k, klen2;
	long used;
	int first = 1, seen_scgi = 0;

	*err = PKT_OK;
	memset(s, 0, sizeof(*s));
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		if (i == PKT_MAX_DIGITS || (i == 1 && p[0] == '0')) {
			*err = PKT_E_LENGTH;
			return -1;
		}
		n = n * 10 + (size_t)(p[i] - '0');
		i++;
	}
	if (i == len)
		return 0;
	if (i == 0) {
		*err = PKT_E_LENGTH;
		return -1;
	}
	if (p[i] != ':') {
		*err = PKT_E_COLON;
		return -1;
	}
	off = i + 1;
	total = off + n + 1;
	if (len < total)
		return 0;
	if (p[off + n] != ',') {
		*err = PKT_E_COMMA;
		return -1;
	}
	s->headers = p + off;
	s->headers_len = n;
	for (k = 0; k < n; k += (size_t)used) {
		used = pkt_scgi_pair_next(
			p + off + k, n - k, &name, &nlen, &value, &vlen);
		if (used < 0) {
			*err = PKT_E_PAIR;
			return -1;
		}
		if (nlen == 0) {
			*err = PKT_E_EMPTY_NAME;
			return -1;
		}
		if (first) {
			if (nlen != 14 || memcmp(name, "CONTENT_LENGTH", 14)) {
				*err = PKT_E_FIRST_CL;
				return -1;
			}
			if (vlen == 0 || vlen > PKT_MAX_DIGITS ||
				(vlen > 1 && value[0] == '0')) {
				*err = PKT_E_CL;
				return -1;
			}
			for (klen2 = 0; klen2 < vlen; klen2++) {
				if (value[klen2] < '0' || value[klen2] > '9') {
					*err = PKT_E_CL;
					return -1;
				}
				s->content_length = s->content_length * 10 +
					(unsigned long)(value[klen2] - '0');
			}
			first = 0;
		}
		if (nlen == 4 && memcmp(name, "SCGI", 4) == 0 && vlen == 1 &&
			value[0] == '1')
			seen_scgi = 1;
		s->npairs++;
	}
	if (!seen_scgi) {
		*err = first ? PKT_E_FIRST_CL : PKT_E_NO_SCGI;
		return -1;
	}
	/* Duplicate names: quadratic, but heads are small and this is a
	 * checker, not a server. */
	for (k = 0; k < n;) {
		const char *n1, *v1, *n2, *v2;
		size_t l1, vl1, l2, vl2, j;
		long u1 = pkt_scgi_pair_next(
			p + off + k, n - k, &n1, &l1, &v1, &vl1);

		for (j = k + (size_t)u1; j < n;) {
			long u2 = pkt_scgi_pair_next(
				p + off + j, n - j, &n2, &l2, &v2, &vl2);
			if (l1 == l2 && memcmp(n1, n2, l1) == 0) {
				*err = PKT_E_DUP;
				return -1;
			}
			j += (size_t)u2;
		}
		k += (size_t)u1;
	}
	return (long)total;
}

long
pkt_scgi_pair_next(const unsigned char *p, size_t len, const char **name,
	size_t *nlen, const char **value, size_t *vlen)
{
	const unsigned char *z1, *z2;

	if (len == 0)
		return 0;
	z1 = memchr(p, '\0', len);
	if (z1 == NULL)
		return -1;
	z2 = memchr(z1 + 1, '\0', len - (size_t)(z1 + 1 - p));
	if (z2 == NULL)
		return -1;
	*name = (const char *)p;
	*nlen = (size_t)(z1 - p);
	*value = (const char *)z1 + 1;
	*vlen = (size_t)(z2 - z1 - 1);
	return (long)(z2 + 1 - p);
}

static size_t
le16(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8;
}

long
pkt_uwsgi_var_next(const unsigned char *p, size_t len,
	const unsigned char **key, size_t *klen, const unsigned char **val,
	size_t *vlen)
{
	if (len == 0)
		return 0;
	if (len < 2)
		return -1;
	*klen = le16(p);
	if (len - 2 < *klen + 2)
		return -1;
	*key = p + 2;
	*vlen = le16(p + 2 + *klen);
	if (len - 4 - *klen < *vlen)
		return -1;
	*val = p + 4 + *klen;
	return (long)(4 + *klen + *vlen);
}

long
pkt_uwsgi_read(const unsigned char *p, size_t len, struct pkt_uwsgi *u,
	enum pkt_err *err)
{
	const unsigned char *k, *v;
	size_t kl, vl, off;
	long used;

	*err = PKT_OK;
	memset(u, 0, sizeof(*u));
	if (len < PKT_UWSGI_HEADER)
		return 0;
	u->modifier1 = p[0];
	u->datasize = le16(p + 1);
	u->modifier2 = p[3];
	u->vars = p + PKT_UWSGI_HEADER;
	if (len < PKT_UWSGI_HEADER + u->datasize)
		return 0;
	for (off = 0; off < u->datasize; off += (size_t)used) {
		used = pkt_uwsgi_var_next(
			u->vars + off, u->datasize - off, &k, &kl, &v, &vl);
		if (used <= 0) {
			*err = PKT_E_VAR;
			return -1;
		}
		u->nvars++;
	}
	return (long)(PKT_UWSGI_HEADER + u->datasize);
}

long
pkt_uwsgi_put_var(unsigned char *out, size_t cap, const void *key, size_t klen,
	const void *val, size_t vlen)
{
	if (klen > 0xffff || vlen > 0xffff || cap < 4 + klen + vlen)
		return -1;
	out[0] = (unsigned char)klen;
	out[1] = (unsigned char)(klen >> 8);
	if (klen > 0)
		memcpy(out + 2, key, klen);
	out[2 + klen] = (unsigned char)vlen;
	out[3 + klen] = (unsigned char)(vlen >> 8);
	if (vlen > 0)
		memcpy(out + 4 + klen, val, vlen);
	return (long)(4 + klen + vlen);
}

long
pkt_uwsgi_put_header(unsigned char *out, size_t cap, unsigned mod1,
	size_t datasize, unsigned mod2)
{
	if (cap < PKT_UWSGI_HEADER || datasize > 0xffff)
		return -1;
	out[0] = (unsigned char)mod1;
	out[1] = (unsigned char)datasize;
	out[2] = (unsigned char)(datasize >> 8);
	out[3] = (unsigned char)mod2;
	return PKT_UWSGI_HEADER;
}

const char *
pkt_strerror(enum pkt_err err)
{
	switch (err) {
	case PKT_OK: return "no error";
	case PKT_E_LENGTH:
		return "netstring length is not digits or has a leading zero";
	case PKT_E_COLON: return "no ':' after the netstring length";
	case PKT_E_COMMA: return "no ',' after the netstring";
	case PKT_E_PAIR: return "a header name without a NUL-ended value";
	case PKT_E_FIRST_CL: return "the first header is not CONTENT_LENGTH";
	case PKT_E_CL: return "CONTENT_LENGTH is not a decimal number";
	case PKT_E_NO_SCGI: return "no SCGI=1 header";
	case PKT_E_DUP: return "a header name appears twice";
	case PKT_E_EMPTY_NAME: return "an empty header name";
	case PKT_E_VAR: return "a uwsgi var runs past the packet";
	}
	return "unknown error";
}
