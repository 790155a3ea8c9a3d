/*
 * HTTP/1.1 response head: the status line an HTTP backend sends the proxy
 * (version, status code, reason phrase) then the field lines shared with
 * requests (h1.c), plus the encoder for the head we send a client.
 * Input: bytes read from the backend. Output: struct h1_resp slices into
 * them; any failure becomes a 502 at the gateway.
 * Rules: spec/http1.md H1-RESP-* (RFC 9112 §4, RFC 9110 §15).
 */
#include <string.h>

#include "codec/h1_int.h"

/*
 * H1-RESP-1, RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase].
 * H1_LENIENT_NO_REASON_SP accepts a missing second SP when the phrase is
 * empty, which some backends send.
 */
static enum h1_reason
status_line(const char *buf, size_t off, size_t eol, unsigned flags,
	struct h1_resp *r)
{
	const char *sp = memchr(buf + off, ' ', eol - off);
	size_t p, e;
	enum h1_reason why;

	if (sp == NULL)
		return memchr(buf + off, '\r', eol - off) ? H1_BARE_CR
							  : H1_BAD_STATUS_LINE;
	p = (size_t)(sp - buf);
	if ((why = h1_version(buf + off, p - off, &r->minor)) != H1_OK)
		return why;
	p++;
	/* H1-RESP-3, RFC 9110 §15: three digits, 100..599. */
	if (eol - p < 3 || buf[p] < '1' || buf[p] > '5' || buf[p + 1] < '0' ||
		buf[p + 1] > '9' || buf[p + 2] < '0' || buf[p + 2] > '9')
		return H1_BAD_STATUS_CODE;
	r->status = (buf[p] - '0') * 100 + (buf[p + 1] - '0') * 10 +
		(buf[p + 2] - '0');
	p += 3;
	if (p == eol) {
		if (!(flags & H1_LENIENT_NO_REASON_SP))
			return H1_BAD_STATUS_LINE;
		r->reason.p = buf + p;
		r->reason.len = 0;
		return H1_OK;
	}
	if (buf[p] != ' ')
		return buf[p] >= '0' && buf[p] <= '9'
			? H1_BAD_STATUS_CODE
			: h1_stop(buf[p], H1_BAD_STATUS_LINE);
	/* H1-RESP-4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ). */
	for (e = ++p; e < eol && abnf_field_char[(unsigned char)buf[e]]; e++)
		;
	if (e < eol)
		return h1_stop(buf[e], H1_BAD_REASON_PHRASE);
	r->reason.p = buf + p;
	r->reason.len = eol - p;
	return H1_OK;
}

/* Limits of this direction when the caller leaves one at zero. */
static const struct h1_opts defaults = {0, H1_RESP_MAX_LINE,
	H1_RESP_MAX_FIELD_LINE, H1_RESP_MAX_FIELDS, H1_RESP_MAX_HEAD};

long
h1_resp_parse(
	const char *buf, size_t len, const struct h1_opts *o, struct h1_resp *r)
{
	struct h1_lim l;
	size_t eol;
	long next;

	h1_limits(o, &defaults, &l);
	r->nfields = 0;
	r->why = H1_OK;
	/* H1-RESP-1: no empty lines are skipped before a status line; the
	 * RFC 9112 §2.2 allowance is for servers reading requests. */
	next = h1_line(buf, len, 0, l.max_line, &l, H1_STATUS_LINE_TOO_LONG,
		&eol, &r->why);
	if (next <= 0)
		return next;
	if ((r->why = status_line(buf, 0, eol, l.flags, r)) != H1_OK)
		return -1;
	return h1_fields(buf, len, (size_t)next, &l, r->fields, r->fields_cap,
		&r->nfields, &r->why);
}

long
h1_resp_encode(char *dst, size_t cap, const struct h1_resp *r)
{
	size_t n = 8 + 1 + 3 + 1 + r->reason.len + 2;
	char *p = dst;

	if (r->minor < 0 || r->minor > 9 || r->status < 100 || r->status > 599)
		return -1;
	n += h1_fields_len(r->fields, r->nfields);
	if (n > cap)
		return -1;
	memcpy(p, "HTTP/1.", 7);
	p[7] = (char)('0' + r->minor);
	p[8] = ' ';
	p[9] = (char)('0' + r->status / 100);
	p[10] = (char)('0' + r->status / 10 % 10);
	p[11] = (char)('0' + r->status % 10);
	p[12] = ' ';
	p += 13;
	if (r->reason.len > 0)
		memcpy(p, r->reason.p, r->reason.len);
	p += r->reason.len;
	memcpy(p, "\r\n", 2);
	p = h1_put_fields(p + 2, r->fields, r->nfields);
	return (long)(p - dst);
}
