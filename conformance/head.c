/*
 * CGI response head reader (RFC 3875 §6.2, §6.3) with the field syntax of
 * RFC 9110 §5.1/§5.5 and the NPH status line of RFC 9112 §4.
 *
 * Lines end in LF, optionally preceded by CR: RFC 3875 defines NL loosely
 * and gateways (lighttpd, nginx) accept both, so either passes; a mix of
 * the two in one head is recorded as a problem of its own.
 */
#include <string.h>
#include <strings.h>

#include "head.h"

static int
is_tchar(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 1;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static void
problem(struct head *h, unsigned bit, size_t off)
{
	unsigned i;

	if (h->problems & bit)
		return;
	h->problems |= bit;
	for (i = 0; i < HEAD_NPROBLEMS; i++)
		if (bit == 1u << i)
			h->where[i] = off;
}

static int
name_is(const unsigned char *n, size_t nlen, const char *want)
{
	return nlen == strlen(want) &&
		strncasecmp((const char *)n, want, nlen) == 0;
}

/* "NNN" then optionally SP and anything. */
static void
check_status(struct head *h, const unsigned char *v, size_t vlen, size_t off)
{
	unsigned code = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (i >= vlen || v[i] < '0' || v[i] > '9') {
			problem(h, HEAD_P_STATUS, off);
			return;
		}
		code = code * 10 + (unsigned)(v[i] - '0');
	}
	if (vlen > 3 && v[3] != ' ') {
		problem(h, HEAD_P_STATUS, off);
		return;
	}
	if (vlen == 3)
		problem(h, HEAD_P_STATUS_SP, off);
	if (code < 100 || code > 599)
		problem(h, HEAD_P_STATUS_RANGE, off);
	h->status = code;
}

static int
token_run(const unsigned char *v, size_t vlen, size_t *i)
{
	size_t start = *i;

	while (*i < vlen && is_tchar(v[*i]))
		(*i)++;
	return *i > start;
}

/* media-type = type "/" subtype *( OWS ";" OWS parameter ) */
static int
ctype_ok(const unsigned char *v, size_t vlen)
{
	size_t i = 0;

	if (!token_run(v, vlen, &i) || i >= vlen || v[i] != '/')
		return 0;
	i++;
	if (!token_run(v, vlen, &i))
		return 0;
	while (i < vlen && (v[i] == ' ' || v[i] == '\t'))
		i++;
	return i == vlen || v[i] == ';';
}

/* absolute-URI (scheme ":" ...) or a local path starting with "/". */
static int
location_ok(const unsigned char *v, size_t vlen)
{
	size_t i;

	if (vlen == 0)
		return 0;
	for (i = 0; i < vlen; i++)
		if (v[i] <= ' ' || v[i] >= 0x7f)
			return 0;
	if (v[0] == '/')
		return 1;
	if (!((v[0] | 0x20) >= 'a' && (v[0] | 0x20) <= 'z'))
		return 0;
	for (i = 1; i < vlen && v[i] != ':'; i++)
		if (!(is_tchar(v[i]) && v[i] != '_'))
			return 0;
	return i < vlen;
}

static void
check_nph(struct head *h, const unsigned char *l, size_t llen)
{
	/* HTTP-version SP 3DIGIT SP reason-phrase (RFC 9112 §4) */
	if (llen < 12 || memcmp(l, "HTTP/", 5) != 0 || l[5] < '0' ||
		l[5] > '9' || l[6] != '.' || l[7] < '0' || l[7] > '9' ||
		l[8] != ' ') {
		problem(h, HEAD_P_NPH_LINE, 0);
		return;
	}
	check_status(h, l + 9, llen - 9, 0);
	if (h->problems & HEAD_P_STATUS) {
		h->problems &= ~(unsigned)HEAD_P_STATUS;
		problem(h, HEAD_P_NPH_LINE, 0);
	}
	h->has_status = 1;
}

static void
field(struct head *h, const unsigned char *l, size_t llen, size_t off)
{
	const unsigned char *colon, *v;
	size_t nlen, vlen, i;
	long cl;

	h->nfields++;
	if (l[0] == ' ' || l[0] == '\t') {
		problem(h, HEAD_P_FOLD, off);
		return;
	}
	colon = memchr(l, ':', llen);
	if (colon == NULL) {
		problem(h, HEAD_P_NOCOLON, off);
		return;
	}
	nlen = (size_t)(colon - l);
	for (i = 0; i < nlen; i++)
		if (!is_tchar(l[i]))
			break;
	if (nlen == 0 || i < nlen)
		problem(h, HEAD_P_NAME, off);
	v = colon + 1;
	vlen = llen - nlen - 1;
	while (vlen > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	for (i = 0; i < vlen; i++)
		if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			problem(h, HEAD_P_CTL, off);
	if (name_is(l, nlen, "Status")) {
		if (h->has_status)
			problem(h, HEAD_P_DUP_STATUS, off);
		h->has_status = 1;
		check_status(h, v, vlen, off);
	} else if (name_is(l, nlen, "Content-Type")) {
		if (h->has_ctype)
			problem(h, HEAD_P_DUP_CTYPE, off);
		h->has_ctype = 1;
		if (!ctype_ok(v, vlen))
			problem(h, HEAD_P_CTYPE, off);
	} else if (name_is(l, nlen, "Location")) {
		h->has_location = 1;
		h->location = v;
		h->location_len = vlen;
		if (!location_ok(v, vlen))
			problem(h, HEAD_P_LOCATION, off);
	} else if (name_is(l, nlen, "Content-Length")) {
		cl = vlen > 0 && vlen < 16 ? 0 : -1;
		for (i = 0; cl >= 0 && i < vlen; i++) {
			if (v[i] < '0' || v[i] > '9')
				cl = -1;
			else
				cl = cl * 10 + (v[i] - '0');
		}
		if (cl < 0)
			problem(h, HEAD_P_CL, off);
		h->content_length = cl;
	}
}

long
head_read(const unsigned char *p, size_t len, struct head *h)
{
	size_t off = 0, end, llen;
	int crlf = 0, lf = 0;
	const unsigned char *nl, *cr;

	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	for (;;) {
		if (off >= len || off >= HEAD_MAX)
			return len >= HEAD_MAX ? -1 : 0;
		nl = memchr(p + off, '\n', len - off);
		if (nl == NULL)
			return len >= HEAD_MAX ? -1 : 0;
		end = (size_t)(nl - p);
		if (end >= HEAD_MAX)
			return -1;
		llen = end - off;
		if (llen > 0 && p[end - 1] == '\r') {
			llen--;
			crlf = 1;
		} else {
			lf = 1;
		}
		cr = llen > 0 ? memchr(p + off, '\r', llen) : NULL;
		if (cr != NULL)
			problem(h, HEAD_P_BARE_CR, (size_t)(cr - p));
		if (llen == 0)
			break;
		if (off == 0 && llen >= 5 && memcmp(p, "HTTP/", 5) == 0) {
			h->nph = 1;
			check_nph(h, p, llen);
		} else {
			field(h, p + off, llen, off);
		}
		off = end + 1;
	}
	if (crlf && lf)
		problem(h, HEAD_P_MIXED_EOL, 0);
	h->len = end + 1;
	return (long)h->len;
}

const char *
head_problem_str(unsigned bit)
{
	switch (bit) {
	case HEAD_P_NAME:
		return "a field name that is not a token (RFC 9110 §5.1)";
	case HEAD_P_NOCOLON: return "a head line without ':'";
	case HEAD_P_CTL: return "a control byte in a field value";
	case HEAD_P_BARE_CR: return "a CR not followed by LF";
	case HEAD_P_STATUS: return "a Status that is not 3 digits";
	case HEAD_P_STATUS_SP: return "a Status code with no reason phrase";
	case HEAD_P_DUP_STATUS: return "Status given twice";
	case HEAD_P_DUP_CTYPE: return "Content-Type given twice";
	case HEAD_P_LOCATION:
		return "a Location that is neither an absolute URI nor a "
		       "/path";
	case HEAD_P_CTYPE: return "a Content-Type that is not type/subtype";
	case HEAD_P_CL: return "a Content-Length that is not digits";
	case HEAD_P_FOLD: return "an obs-fold continuation line";
	case HEAD_P_NPH_LINE: return "a malformed HTTP status line";
	case HEAD_P_MIXED_EOL: return "LF and CRLF line ends mixed";
	case HEAD_P_STATUS_RANGE: return "a status code outside 100..599";
	}
	return "?";
}
