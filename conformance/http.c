/*
 * gatecheck's HTTP/1.1 reader: start line, field lines, body length and
 * the chunked coding, per RFC 9112 §2-§7. See http.h for the contract.
 * Written from the RFC, not from ref/: gatecheck is a second reading.
 */
#include <string.h>
#include <strings.h>

#include "http.h"

static int
is_tchar(unsigned char c)
{
	/* RFC 9110 §5.6.2 token characters */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		(c >= 'A' && c <= 'Z') ||
		(c != 0 && strchr("!#$%&'*+-.^_`|~", c));
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Find the line starting at p[0..len): its content length *clen and the
 * offset after its end. 0: more needed; -1: bare CR or NUL (err set).
 */
static long
line_end(const unsigned char *p, size_t len, size_t *clen, int *bare_lf,
	enum http_err *err)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\0') {
			*err = HTTP_E_NUL;
			return -1;
		}
		if (p[i] == '\r') {
			if (i + 1 == len)
				return 0;
			if (p[i + 1] != '\n') {
				*err = HTTP_E_BARE_CR;
				return -1;
			}
			*clen = i;
			*bare_lf = 0;
			return (long)i + 2;
		}
		if (p[i] == '\n') {
			*clen = i;
			*bare_lf = 1;
			return (long)i + 1;
		}
	}
	return 0;
}

static int
version(const char *s, size_t n, struct http_head *h)
{
	/* HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3) */
	if (n != 8 || memcmp(s, "HTTP/", 5) != 0 || s[5] < '0' || s[5] > '9' ||
		s[6] != '.' || s[7] < '0' || s[7] > '9')
		return -1;
	h->major = (unsigned)(s[5] - '0');
	h->minor = (unsigned)(s[7] - '0');
	return 0;
}

static int
start_line(const char *s, size_t n, struct http_head *h)
{
	const char *sp1 = memchr(s, ' ', n), *sp2;
	size_t i;

	if (sp1 == NULL)
		return -1;
	if (!h->request) {
		/* status-line = HTTP-version SP status-code SP [reason] */
		if (version(s, (size_t)(sp1 - s), h) != 0 ||
			n < (size_t)(sp1 - s) + 4)
			return -1;
		for (i = 1; i <= 3; i++)
			if (sp1[i] < '0' || sp1[i] > '9')
				return -1;
		if (n > (size_t)(sp1 - s) + 4 && sp1[4] != ' ')
			return -1;
		h->status = (unsigned)((sp1[1] - '0') * 100 +
			(sp1[2] - '0') * 10 + (sp1[3] - '0'));
		return 0;
	}
	/* request-line = method SP request-target SP HTTP-version */
	h->method = s;
	h->mlen = (size_t)(sp1 - s);
	if (h->mlen == 0)
		return -1;
	for (i = 0; i < h->mlen; i++)
		if (!is_tchar((unsigned char)s[i]))
			return -1;
	h->target = sp1 + 1;
	sp2 = memchr(h->target, ' ', n - h->mlen - 1);
	if (sp2 == NULL || sp2 == h->target)
		return -1;
	h->tlen = (size_t)(sp2 - h->target);
	for (i = 0; i < h->tlen; i++)
		if ((unsigned char)h->target[i] <= ' ' ||
			(unsigned char)h->target[i] == 0x7f)
			return -1;
	return version(sp2 + 1, n - (size_t)(sp2 + 1 - s), h);
}

static void
field_line(const char *s, size_t n, struct http_head *h)
{
	const char *colon = memchr(s, ':', n);
	struct http_field *f;
	size_t i, nlen, vs, ve;

	if (colon == NULL) {
		h->problems |= HTTP_P_NOCOLON;
		return;
	}
	nlen = (size_t)(colon - s);
	if (nlen > 0 && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
		h->problems |= HTTP_P_WS_COLON;
	if (nlen == 0)
		h->problems |= HTTP_P_NAME;
	for (i = 0; i < nlen; i++)
		if (!is_tchar((unsigned char)s[i]) && s[i] != ' ' &&
			s[i] != '\t')
			h->problems |= HTTP_P_NAME;
	while (nlen > 0 && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
		nlen--;
	vs = (size_t)(colon - s) + 1;
	ve = n;
	while (vs < ve && (s[vs] == ' ' || s[vs] == '\t'))
		vs++;
	while (ve > vs && (s[ve - 1] == ' ' || s[ve - 1] == '\t'))
		ve--;
	for (i = vs; i < ve; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
			(unsigned char)s[i] == 0x7f)
			h->problems |= HTTP_P_CTL;
	f = &h->field[h->nfields++];
	f->name = s;
	f->nlen = nlen;
	f->value = s + vs;
	f->vlen = ve - vs;
}

static void framing_problems(struct http_head *h);

long
http_read_head(const unsigned char *p, size_t len, int request,
	struct http_head *h, enum http_err *err)
{
	size_t off = 0, clen = 0;
	int bare = 0, first = 1;
	long n;

	memset(h, 0, sizeof(*h));
	h->request = request;
	*err = HTTP_OK;
	/* RFC 9112 §2.2: a recipient SHOULD ignore one leading empty line
	   before a request-line; we accept CRLFs but do not need them. */
	for (;;) {
		size_t lim = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
		n = line_end(p + off, lim - off, &clen, &bare, err);
		if (n < 0)
			return -1;
		if (n == 0) {
			if (len >= HTTP_MAX_HEAD) {
				*err = HTTP_E_TOO_BIG;
				return -1;
			}
			return 0;
		}
		if (bare)
			h->problems |= HTTP_P_BARE_LF;
		if (first) {
			if (start_line((const char *)p + off, clen, h) != 0) {
				*err = HTTP_E_START;
				return -1;
			}
			first = 0;
		} else if (clen == 0) {
			h->len = off + (size_t)n;
			framing_problems(h);
			return (long)h->len;
		} else if (p[off] == ' ' || p[off] == '\t') {
			h->problems |= HTTP_P_FOLD;
		} else if (h->nfields == HTTP_MAX_FIELDS) {
			*err = HTTP_E_FIELDS;
			return -1;
		} else {
			field_line((const char *)p + off, clen, h);
		}
		off += (size_t)n;
	}
}

const struct http_field *
http_field(const struct http_head *h, const char *name, unsigned idx)
{
	size_t n = strlen(name);
	unsigned i;

	for (i = 0; i < h->nfields; i++)
		if (h->field[i].nlen == n &&
			strncasecmp(h->field[i].name, name, n) == 0 &&
			idx-- == 0)
			return &h->field[i];
	return NULL;
}

unsigned
http_count(const struct http_head *h, const char *name)
{
	unsigned k = 0;

	while (http_field(h, name, k) != NULL)
		k++;
	return k;
}

int
http_has_token(const struct http_field *f, const char *tok)
{
	size_t n = strlen(tok), i = 0, s, e;

	if (f == NULL)
		return 0;
	while (i < f->vlen) {
		while (i < f->vlen &&
			(f->value[i] == ' ' || f->value[i] == '\t' ||
				f->value[i] == ','))
			i++;
		s = i;
		while (i < f->vlen && f->value[i] != ',')
			i++;
		e = i;
		while (e > s &&
			(f->value[e - 1] == ' ' || f->value[e - 1] == '\t'))
			e--;
		if (e - s == n && strncasecmp(f->value + s, tok, n) == 0)
			return 1;
	}
	return 0;
}

/* Content-Length = 1*DIGIT; a list of identical values is one value. */
static int
cl_value(const struct http_field *f, unsigned long long *v, int *seen)
{
	size_t i = 0;

	while (i < f->vlen) {
		unsigned long long x = 0;
		size_t d = 0;
		while (i < f->vlen &&
			(f->value[i] == ' ' || f->value[i] == ','))
			i++;
		while (i < f->vlen && f->value[i] >= '0' &&
			f->value[i] <= '9') {
			if (x > 99999999999999999ULL)
				return -1;
			x = x * 10 + (unsigned)(f->value[i++] - '0');
			d++;
		}
		while (i < f->vlen && f->value[i] == ' ')
			i++;
		if (d == 0 || (i < f->vlen && f->value[i] != ','))
			return -1;
		if (*seen && x != *v)
			return -1;
		*v = x;
		*seen = 1;
	}
	return *seen ? 0 : -1;
}

int
http_framing(
	const struct http_head *h, int head_request, unsigned long long *length)
{
	const struct http_field *te = http_field(h, "Transfer-Encoding", 0);
	unsigned i, ncl = http_count(h, "Content-Length");
	int seen = 0;

	*length = 0;
	if (!h->request &&
		(head_request || h->status / 100 == 1 || h->status == 204 ||
			h->status == 304))
		return HTTP_BODY_NONE;
	if (te != NULL) {
		/* RFC 9112 §6.3: TE overrides CL; chunked must be last. */
		const char *v = te->value;
		size_t n = te->vlen;
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == ','))
			n--;
		if (http_count(h, "Transfer-Encoding") == 1 && n >= 7 &&
			strncasecmp(v + n - 7, "chunked", 7) == 0 &&
			(n == 7 || v[n - 8] == ' ' || v[n - 8] == ','))
			return HTTP_BODY_CHUNKED;
		return h->request ? -1 : HTTP_BODY_CLOSE;
	}
	for (i = 0; i < ncl; i++)
		if (cl_value(http_field(h, "Content-Length", i), length,
			    &seen) != 0)
			return -1;
	if (seen)
		return HTTP_BODY_LENGTH;
	return h->request ? HTTP_BODY_NONE : HTTP_BODY_CLOSE;
}

static void
framing_problems(struct http_head *h)
{
	unsigned long long n;
	int f = http_framing(h, 0, &n);

	if (http_count(h, "Content-Length") > 1)
		h->problems |= HTTP_P_DUP_CL;
	if (http_field(h, "Transfer-Encoding", 0) != NULL) {
		if (http_count(h, "Content-Length") > 0)
			h->problems |= HTTP_P_CL_TE;
		if (f != HTTP_BODY_CHUNKED)
			h->problems |= HTTP_P_BAD_TE;
	} else if (f < 0) {
		h->problems |= HTTP_P_BAD_CL;
	}
}

long
http_chunked(const unsigned char *p, size_t len, unsigned char *out,
	size_t *outlen, int lenient_lf)
{
	size_t off = 0, clen, i;
	enum http_err err;
	int bare;
	long n;

	*outlen = 0;
	for (;;) {
		unsigned long long size = 0;
		int digits = 0, h;

		/* chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF */
		n = line_end(p + off, len - off, &clen, &bare, &err);
		if (n <= 0)
			return n;
		if (bare && !lenient_lf)
			return -1;
		for (i = 0; i < clen && (h = hexval(p[off + i])) >= 0; i++) {
			if (++digits > 15)
				return -1;
			size = size * 16 + (unsigned)h;
		}
		if (digits == 0)
			return -1;
		/* chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" ... ] ) */
		while (i < clen && (p[off + i] == ' ' || p[off + i] == '\t'))
			i++;
		if (i < clen && p[off + i] != ';')
			return -1;
		for (; i < clen; i++)
			if (p[off + i] < 0x20 && p[off + i] != '\t')
				return -1;
		off += (size_t)n;
		if (size == 0)
			break;
		if (len - off < size + 1)
			return 0;
		if (out != NULL)
			memcpy(out + *outlen, p + off, (size_t)size);
		*outlen += (size_t)size;
		off += (size_t)size;
		if (p[off] == '\n' && lenient_lf) {
			off += 1;
		} else if (p[off] == '\r') {
			if (len - off < 2)
				return 0;
			if (p[off + 1] != '\n')
				return -1;
			off += 2;
		} else {
			return -1;
		}
	}
	/* trailer-section = *( field-line CRLF ) CRLF */
	for (;;) {
		n = line_end(p + off, len - off, &clen, &bare, &err);
		if (n <= 0)
			return n;
		if (bare && !lenient_lf)
			return -1;
		off += (size_t)n;
		if (clen == 0)
			return (long)off;
		if (memchr(p + off - (size_t)n, ':', clen) == NULL)
			return -1;
	}
}

const char *
http_strerror(enum http_err err)
{
	switch (err) {
	case HTTP_OK: return "no error";
	case HTTP_E_START: return "malformed start line (RFC 9112 §3, §4)";
	case HTTP_E_BARE_CR: return "bare CR (RFC 9112 §2.2)";
	case HTTP_E_NUL: return "NUL in the head (RFC 9110 §5.5)";
	case HTTP_E_FIELDS: return "too many header fields";
	case HTTP_E_TOO_BIG: return "no end of head within 64 KiB";
	case HTTP_E_CHUNK: return "broken chunked coding (RFC 9112 §7.1)";
	}
	return "?";
}

const char *
http_problem_str(unsigned bit)
{
	switch (bit) {
	case HTTP_P_BARE_LF: return "line ended by a bare LF (RFC 9112 §2.2)";
	case HTTP_P_FOLD: return "obs-fold line folding (RFC 9112 §5.2)";
	case HTTP_P_NAME: return "field name is not a token (RFC 9110 §5.1)";
	case HTTP_P_WS_COLON:
		return "whitespace between field name and colon (RFC 9112 "
		       "§5.1)";
	case HTTP_P_CTL:
		return "control character in a field value (RFC 9110 §5.5)";
	case HTTP_P_DUP_CL: return "Content-Length sent twice (RFC 9110 §8.6)";
	case HTTP_P_BAD_CL: return "invalid Content-Length (RFC 9110 §8.6)";
	case HTTP_P_CL_TE:
		return "both Content-Length and Transfer-Encoding (RFC 9112 "
		       "§6.2)";
	case HTTP_P_BAD_TE:
		return "Transfer-Encoding does not end in chunked (RFC 9112 "
		       "§6.3)";
	case HTTP_P_NOCOLON: return "field line without a colon (RFC 9112 §5)";
	}
	return "?";
}
