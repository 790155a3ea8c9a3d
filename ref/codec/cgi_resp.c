/*
 * CGI response head decoder and encoder (RFC 3875 §5, §6).
 *
 * The gateway hands in whatever the backend has sent so far; the decoder
 * walks complete lines only, so a head split anywhere gives the same answer
 * as the head in one piece. Field syntax follows RFC 9110 §5 / RFC 9112 §5
 * strictness (spec/cgi.md CGI-RESP-LINE-*, CGI-RESP-FIELD-*); the CGI
 * fields Status, Location and Content-Type are interpreted
 * (CGI-RESP-STATUS-*, CGI-RESP-LOC-*, CGI-RESP-CT-*, CGI-RESP-CGI-*);
 * Content-Length and Transfer-Encoding are checked because the gateway
 * forwards or de-chunks by them (CGI-RESP-CL-*, CGI-RESP-TE-*). An nph-
 * status line is CGI-NPH-*.
 */
#include "codec/cgi_resp.h"
#include "codec/abnf.h"

#include <limits.h>
#include <string.h>

/* Per-call decoding state; lives on the stack of cgi_resp_decode. */
struct cgi_resp_ctx {
	unsigned flags;
	struct cgi_resp *r;
	struct field *fields;
	size_t max_fields;
	int seen_location, seen_te;
};

/*
 * A switch, not a table of pointers: a pointer table lands in writable
 * relocated data (.data.rel.ro) in PIC builds, which the purity check
 * (ci/check-purity.sh) rightly counts as a global.
 */
const char *
cgi_resp_reason_name(enum cgi_resp_reason why)
{
	switch (why) {
	case CGI_RESP_OK: return "OK";
	case CGI_RESP_HEAD_TOO_LARGE: return "HEAD_TOO_LARGE";
	case CGI_RESP_TOO_MANY_FIELDS: return "TOO_MANY_FIELDS";
	case CGI_RESP_NO_COLON: return "NO_COLON";
	case CGI_RESP_BAD_FIELD_NAME: return "BAD_FIELD_NAME";
	case CGI_RESP_SPACE_BEFORE_COLON: return "SPACE_BEFORE_COLON";
	case CGI_RESP_OBS_FOLD: return "OBS_FOLD";
	case CGI_RESP_BARE_CR: return "BARE_CR";
	case CGI_RESP_BAD_FIELD_VALUE: return "BAD_FIELD_VALUE";
	case CGI_RESP_BAD_STATUS: return "BAD_STATUS";
	case CGI_RESP_BAD_STATUS_LINE: return "BAD_STATUS_LINE";
	case CGI_RESP_DUPLICATE_CGI_FIELD: return "DUPLICATE_CGI_FIELD";
	case CGI_RESP_BAD_LOCATION: return "BAD_LOCATION";
	case CGI_RESP_BAD_CONTENT_LENGTH: return "BAD_CONTENT_LENGTH";
	case CGI_RESP_TRANSFER_ENCODING: return "TRANSFER_ENCODING";
	case CGI_RESP_NO_CGI_FIELD: return "NO_CGI_FIELD";
	case CGI_RESP_REASON_COUNT: break;
	}
	return "UNKNOWN";
}

int
cgi_resp_reason_status(enum cgi_resp_reason why)
{
	/*
	 * CGI-RESP-ERR-1: whatever is wrong, it is the backend's fault and
	 * the client did nothing to cause it: 502 Bad Gateway, RFC 9110
	 * §15.6.3 ("invalid response from an inbound server").
	 */
	return why == CGI_RESP_OK ? 200 : 502;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Case-insensitive match of s against lower-case ASCII literal lit. */
static int
name_is(struct slice s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/*
 * "3DIGIT [SP reason]" shared by the Status field (RFC 3875 §6.3.3) and
 * the NPH status line (RFC 9112 §4). The code must be 100..599: RFC 9110
 * §15 defines no others and a client may choke on them (CGI-RESP-STATUS-2).
 */
static int
parse_code(const char *p, size_t n, struct cgi_resp *r)
{
	int code;

	if (n < 3 || !abnf_is_digit(p[0]) || !abnf_is_digit(p[1]) ||
		!abnf_is_digit(p[2]))
		return -1;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (code < 100 || code > 599)
		return -1;
	if (n > 3 && p[3] != ' ')
		return -1;
	r->status = code;
	r->has_status = 1;
	r->reason.p = n > 4 ? p + 4 : NULL;
	r->reason.len = n > 4 ? n - 4 : 0;
	return 0;
}

/* VCHAR / SP / HTAB / obs-text: RFC 9110 §5.5 field-value bytes. */
static int
value_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

/* CGI-NPH-2: "HTTP/1.0" or "HTTP/1.1", SP, then the code rules above. */
static enum cgi_resp_reason
status_line(const char *p, size_t n, struct cgi_resp *r)
{
	if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 ||
		(p[7] != '0' && p[7] != '1') || p[8] != ' ' ||
		!value_ok(p, n) || parse_code(p + 9, n - 9, r) != 0)
		return CGI_RESP_BAD_STATUS_LINE;
	r->nph_minor = p[7] - '0';
	return CGI_RESP_OK;
}

/* CGI-RESP-LOC-1..3: local path, absolute URI, or (lenient) relative. */
static enum cgi_resp_reason
location(struct slice v, struct cgi_resp_ctx *c)
{
	size_t i = 0;

	if (c->seen_location)
		return CGI_RESP_DUPLICATE_CGI_FIELD;
	c->seen_location = 1;
	/* A URI never holds whitespace (RFC 3986 §2); one here is garbage. */
	if (v.len == 0 || memchr(v.p, ' ', v.len) || memchr(v.p, '\t', v.len))
		return CGI_RESP_BAD_LOCATION;
	c->r->location = v;
	if (v.p[0] == '/') {
		c->r->location_kind = CGI_RESP_LOC_LOCAL;
		return CGI_RESP_OK;
	}
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), RFC 3986 §3.1 */
	if (is_alpha(v.p[0]))
		for (i = 1; i < v.len &&
			(is_alpha(v.p[i]) || abnf_is_digit(v.p[i]) ||
				v.p[i] == '+' || v.p[i] == '-' ||
				v.p[i] == '.');
			i++)
			;
	if (i > 0 && i < v.len && v.p[i] == ':') {
		c->r->location_kind = CGI_RESP_LOC_ABSOLUTE;
		return CGI_RESP_OK;
	}
	if (!(c->flags & CGI_RESP_LENIENT_RELATIVE_LOCATION))
		return CGI_RESP_BAD_LOCATION;
	c->r->location_kind = CGI_RESP_LOC_RELATIVE;
	return CGI_RESP_OK;
}

/* CGI-RESP-CL-1/2: 1*DIGIT that fits int64; a repeat must agree. */
static enum cgi_resp_reason
content_length(struct slice v, struct cgi_resp *r)
{
	int64_t n = 0;

	if (v.len == 0)
		return CGI_RESP_BAD_CONTENT_LENGTH;
	for (size_t i = 0; i < v.len; i++) {
		if (!abnf_is_digit(v.p[i]) || n > (INT64_MAX - 9) / 10)
			return CGI_RESP_BAD_CONTENT_LENGTH;
		n = n * 10 + (v.p[i] - '0');
	}
	if (r->content_length >= 0 && r->content_length != n)
		return CGI_RESP_BAD_CONTENT_LENGTH;
	r->content_length = n;
	return CGI_RESP_OK;
}

/* CGI-RESP-TE-1/2: refused unless allowed, and then only "chunked" once. */
static enum cgi_resp_reason
transfer_encoding(struct slice v, struct cgi_resp_ctx *c)
{
	if (!(c->flags & CGI_RESP_ALLOW_TE_CHUNKED) || c->seen_te ||
		!name_is(v, "chunked"))
		return CGI_RESP_TRANSFER_ENCODING;
	c->seen_te = 1;
	c->r->chunked = 1;
	return CGI_RESP_OK;
}

/* Interpret a field the gateway acts on; store all but Status. */
static enum cgi_resp_reason
field(struct slice name, struct slice v, struct cgi_resp_ctx *c)
{
	struct cgi_resp *r = c->r;
	enum cgi_resp_reason why = CGI_RESP_OK;

	if (name_is(name, "status")) {
		/* CGI-RESP-STATUS-1; CGI-RESP-CGI-2 (once); CGI-NPH-3 */
		if (r->has_status)
			return CGI_RESP_DUPLICATE_CGI_FIELD;
		return parse_code(v.p, v.len, r) ? CGI_RESP_BAD_STATUS
						 : CGI_RESP_OK;
	}
	if (name_is(name, "location"))
		why = location(v, c);
	else if (name_is(name, "content-type")) {
		if (r->content_type.p != NULL)
			return CGI_RESP_DUPLICATE_CGI_FIELD;
		r->content_type = v;
	} else if (name_is(name, "content-length"))
		why = content_length(v, r);
	else if (name_is(name, "transfer-encoding"))
		why = transfer_encoding(v, c);
	if (why != CGI_RESP_OK)
		return why;
	if (r->nfields == c->max_fields)
		return CGI_RESP_TOO_MANY_FIELDS;
	c->fields[r->nfields].name = name;
	c->fields[r->nfields].value = v;
	r->nfields++;
	return CGI_RESP_OK;
}

/* One field line without its line ending (CGI-RESP-FIELD-1..6). */
static enum cgi_resp_reason
field_line(const char *p, size_t n, struct cgi_resp_ctx *c)
{
	const char *colon;
	struct slice name, v;

	/* RFC 9112 §5.2: obs-fold is refused, never unfolded. */
	if (p[0] == ' ' || p[0] == '\t')
		return CGI_RESP_OBS_FOLD;
	colon = memchr(p, ':', n);
	if (colon == NULL)
		return CGI_RESP_NO_COLON;
	name.p = p;
	name.len = (size_t)(colon - p);
	if (name.len == 0)
		return CGI_RESP_BAD_FIELD_NAME;
	/* RFC 9112 §5.1: no whitespace between name and colon. */
	if (p[name.len - 1] == ' ' || p[name.len - 1] == '\t')
		return CGI_RESP_SPACE_BEFORE_COLON;
	for (size_t i = 0; i < name.len; i++)
		if (!abnf_is_tchar((unsigned char)p[i]))
			return CGI_RESP_BAD_FIELD_NAME;
	/* RFC 9110 §5.5: OWS around the value is not part of it. */
	v.p = colon + 1;
	v.len = n - name.len - 1;
	while (v.len > 0 && (v.p[0] == ' ' || v.p[0] == '\t')) {
		v.p++;
		v.len--;
	}
	while (v.len > 0 && (v.p[v.len - 1] == ' ' || v.p[v.len - 1] == '\t'))
		v.len--;
	if (!value_ok(v.p, v.len))
		return CGI_RESP_BAD_FIELD_VALUE;
	return field(name, v, c);
}

/* After the empty line: defaults and whole-head rules. */
static enum cgi_resp_reason
finish(struct cgi_resp_ctx *c)
{
	struct cgi_resp *r = c->r;

	/* CGI-RESP-CGI-1: at least one CGI field (an NPH line counts). */
	if (!r->has_status && !c->seen_location && r->content_type.p == NULL &&
		!(c->flags & CGI_RESP_LENIENT_NO_CGI_FIELD))
		return CGI_RESP_NO_CGI_FIELD;
	/* CGI-RESP-TE-3: RFC 9112 §6.1, a sender never sends both. */
	if (r->chunked && r->content_length >= 0)
		return CGI_RESP_TRANSFER_ENCODING;
	/* CGI-RESP-STATUS-3: default 302 with Location, else 200. */
	if (!r->has_status)
		r->status = c->seen_location ? 302 : 200;
	/* CGI-RESP-LOC-4: local redirect = a lone local Location. */
	if (!c->seen_location)
		r->type = CGI_RESP_DOCUMENT;
	else if (r->location_kind == CGI_RESP_LOC_LOCAL && !r->has_status &&
		r->nfields == 1)
		r->type = CGI_RESP_LOCAL_REDIRECT;
	else
		r->type = CGI_RESP_CLIENT_REDIRECT;
	return CGI_RESP_OK;
}

static void
reset(struct cgi_resp *r)
{
	memset(r, 0, sizeof(*r));
	r->nph_minor = -1;
	r->content_length = -1;
}

/* One complete non-empty line: bare CR check, then status or field line. */
static enum cgi_resp_reason
line(const char *p, size_t n, int first, struct cgi_resp_ctx *c)
{
	int nph;

	/* CGI-RESP-LINE-2: a CR is only valid right before the LF. */
	if (memchr(p, '\r', n) != NULL)
		return CGI_RESP_BARE_CR;
	nph = first &&
		((c->flags & CGI_RESP_NPH) ||
			((c->flags & CGI_RESP_DETECT_NPH) && n >= 5 &&
				memcmp(p, "HTTP/", 5) == 0));
	return nph ? status_line(p, n, c->r) : field_line(p, n, c);
}

int
cgi_resp_decode(const char *buf, size_t len, const struct cgi_resp_opts *o,
	struct cgi_resp *r, struct field *fields, size_t max_fields,
	enum cgi_resp_reason *why)
{
	struct cgi_resp_ctx c = {0};
	size_t max = o && o->max_head ? o->max_head : CGI_RESP_MAX_HEAD_DEFAULT;
	size_t win, pos = 0;

	if (max > CGI_RESP_MAX_HEAD_CEILING)
		max = CGI_RESP_MAX_HEAD_CEILING;
	/* CGI-RESP-LIMIT-1: look no further than the limit allows. */
	win = len < max ? len : max;
	c.flags = o ? o->flags : 0;
	c.r = r;
	c.fields = fields;
	c.max_fields = max_fields;
	reset(r);
	*why = CGI_RESP_OK;
	for (;;) {
		const char *lf = memchr(buf + pos, '\n', win - pos);
		size_t n;

		if (lf == NULL) {
			if (len < max)
				return 0;
			*why = CGI_RESP_HEAD_TOO_LARGE;
			return -1;
		}
		n = (size_t)(lf - (buf + pos));
		/* CGI-RESP-LINE-1: LF or CRLF, mixed freely. */
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		if (n == 0) {
			if (pos == 0 && (c.flags & CGI_RESP_NPH))
				*why = CGI_RESP_BAD_STATUS_LINE;
			else
				*why = finish(&c);
			if (*why != CGI_RESP_OK)
				return -1;
			return (int)(lf - buf) + 1;
		}
		*why = line(buf + pos, n, pos == 0, &c);
		if (*why != CGI_RESP_OK)
			return -1;
		pos = (size_t)(lf - buf) + 1;
	}
}

/* Write the decimal digits of a 3-digit code. */
static char *
put_code(char *p, int code)
{
	p[0] = (char)('0' + code / 100);
	p[1] = (char)('0' + code / 10 % 10);
	p[2] = (char)('0' + code % 10);
	return p + 3;
}

static char *
put(char *p, const void *s, size_t n)
{
	if (n > 0)
		memcpy(p, s, n);
	return p + n;
}

int
cgi_resp_encode(char *dst, size_t cap, int status, struct slice reason,
	const struct field *fields, size_t n)
{
	size_t need = 2;
	char *p = dst;

	if ((status != 0 && (status < 100 || status > 599)) ||
		reason.len > INT_MAX)
		return -1;
	if (status != 0)
		need += 13 + (reason.len ? 1 + reason.len : 0);
	for (size_t i = 0; i < n; i++) {
		size_t one = fields[i].name.len + fields[i].value.len + 4;

		if (need > INT_MAX || one > INT_MAX - need)
			return -1;
		need += one;
	}
	if (need > cap || need > INT_MAX)
		return -1;
	if (status != 0) {
		p = put_code(put(p, "Status: ", 8), status);
		if (reason.len)
			p = put(put(p, " ", 1), reason.p, reason.len);
		p = put(p, "\r\n", 2);
	}
	for (size_t i = 0; i < n; i++) {
		p = put(p, fields[i].name.p, fields[i].name.len);
		p = put(p, ": ", 2);
		p = put(p, fields[i].value.p, fields[i].value.len);
		p = put(p, "\r\n", 2);
	}
	p = put(p, "\r\n", 2);
	return (int)(p - dst);
}
