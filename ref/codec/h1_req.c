/*
 * HTTP/1.1 request head: request line (method, request-target, version)
 * then the field lines shared with responses (h1.c), plus the encoder the
 * proxy uses to write a request head to a backend.
 * Input: the connection's buffered client bytes. Output: struct h1_req
 * slices into them, for routing and for h1frame's body decision.
 * Rules: spec/http1.md H1-REQ-*, H1-TARGET-* (RFC 9112 §2.2, §3;
 * RFC 9110 §9.1; RFC 3986 §3).
 */
#include <string.h>

#include "codec/h1_int.h"
#include "codec/abnf.h"

/*
 * Request-target bytes (H1-TARGET-1, RFC 3986 §2-§3): unreserved,
 * sub-delims, ":" "@" "/" "?" -> 1; "%" -> 4 (needs two HEXDIG after it);
 * "[" "]" -> 2 (only inside an absolute-form authority). Everything else,
 * including "#" (a fragment is never sent, RFC 9112 §3.2), is refused.
 * The lenient table adds the other VCHARs (but "#") and obs-text.
 */
/* clang-format off */
#define Z16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
#define O16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char target_strict[256] = {
	Z16, Z16,
	/*   ! " # $ % & ' ( ) * + , - . / */
	0, 1, 0, 0, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0-9 : ; < = > ? */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	/* @ A-O */
	O16,
	/* P-Z [ \ ] ^ _ */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 2, 0, 1,
	/* ` a-o */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* p-z { | } ~ DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
	Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16,
};
static const unsigned char target_lenient[256] = {
	Z16, Z16,
	0, 1, 1, 0, 1, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	O16, O16,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1,
	O16,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	O16, O16, O16, O16, O16, O16, O16, O16,
};
/* clang-format on */

/* Names are char arrays, not pointers: no relocated (writable) data. */
static const struct {
	char name[8];
	size_t len;
} methods[] = {
	[H1_METHOD_GET] = {"GET", 3},
	[H1_METHOD_HEAD] = {"HEAD", 4},
	[H1_METHOD_POST] = {"POST", 4},
	[H1_METHOD_PUT] = {"PUT", 3},
	[H1_METHOD_DELETE] = {"DELETE", 6},
	[H1_METHOD_CONNECT] = {"CONNECT", 7},
	[H1_METHOD_OPTIONS] = {"OPTIONS", 7},
	[H1_METHOD_TRACE] = {"TRACE", 5},
	[H1_METHOD_PATCH] = {"PATCH", 5},
};

const char *
h1_method_name(enum h1_method m)
{
	if (m <= H1_METHOD_OTHER || m > H1_METHOD_PATCH)
		return NULL;
	return methods[m].name;
}

const char *
h1_form_name(enum h1_form f)
{
	switch (f) {
	case H1_FORM_ORIGIN: return "origin";
	case H1_FORM_ABSOLUTE: return "absolute";
	case H1_FORM_AUTHORITY: return "authority";
	case H1_FORM_ASTERISK: return "asterisk";
	}
	return "?";
}

/* H1-REQ-3, RFC 9110 §9.1: methods are case-sensitive. */
static enum h1_method
method_id(const char *p, size_t n)
{
	for (int m = H1_METHOD_GET; m <= H1_METHOD_PATCH; m++)
		if (methods[m].len == n && memcmp(methods[m].name, p, n) == 0)
			return (enum h1_method)m;
	return H1_METHOD_OTHER;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_hex(char c)
{
	return abnf_is_digit(c) || (c >= 'a' && c <= 'f') ||
		(c >= 'A' && c <= 'F');
}

/* H1-TARGET-2, RFC 3986 §2.1: every "%" starts a pct-encoded triplet. */
static int
pct_ok(const char *p, const char *end)
{
	while ((p = memchr(p, '%', (size_t)(end - p))) != NULL) {
		if (end - p < 3 || !is_hex(p[1]) || !is_hex(p[2]))
			return 0;
		p += 3;
	}
	return 1;
}

/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static int
has_scheme(const char *p, const char *end)
{
	if (p == end || !is_alpha(*p))
		return 0;
	for (p++; p < end && *p != ':'; p++)
		if (!is_alpha(*p) && !abnf_is_digit(*p) && *p != '+' &&
			*p != '-' && *p != '.')
			return 0;
	return p < end;
}

/*
 * H1-TARGET-5, RFC 9112 §3.2.3: authority-form = uri-host ":" port, no
 * userinfo. Host is an IP-literal "[...]" of hex digits, ":" and "." or a
 * non-empty reg-name (unreserved / sub-delims / pct-encoded); port is
 * 1*DIGIT.
 */
static int
authority_ok(const char *p, const char *end)
{
	const char *h = p;

	if (p < end && *p == '[') {
		for (p++; p < end && (is_hex(*p) || *p == ':' || *p == '.');)
			p++;
		if (p == end || *p != ']' || p == h + 1)
			return 0;
		p++;
	} else {
		while (p < end && *p != ':' &&
			target_strict[(unsigned char)*p] && *p != '@' &&
			*p != '/' && *p != '?' && *p != '[' && *p != ']')
			p++;
		if (p == h)
			return 0;
	}
	if (p == end || *p != ':' || ++p == end)
		return 0;
	while (p < end && abnf_is_digit(*p))
		p++;
	return p == end;
}

/* Classify and check the target against the method (H1-TARGET-3..6). */
static enum h1_reason
target_form(struct h1_req *r, unsigned acc)
{
	const char *p = r->target.p, *end = p + r->target.len;
	int connect = r->method_id == H1_METHOD_CONNECT;

	if (*p == '/') {
		r->form = H1_FORM_ORIGIN;
	} else if (r->target.len == 1 && *p == '*') {
		r->form = H1_FORM_ASTERISK;
	} else if (!connect && has_scheme(p, end)) {
		r->form = H1_FORM_ABSOLUTE;
	} else if (authority_ok(p, end)) {
		r->form = H1_FORM_AUTHORITY;
	} else {
		return H1_BAD_TARGET;
	}
	/* H1-TARGET-4: "[" "]" belong to an authority (RFC 3986 §3.2.2). */
	if ((acc & 2) && r->form == H1_FORM_ORIGIN)
		return H1_BAD_TARGET;
	if ((acc & 4) && !pct_ok(p, end))
		return H1_BAD_TARGET;
	/* H1-TARGET-5/6, RFC 9112 §3.2.3-§3.2.4, RFC 9110 §9.3.6. */
	if (connect != (r->form == H1_FORM_AUTHORITY))
		return H1_TARGET_FORM;
	if (r->form == H1_FORM_ASTERISK && r->method_id != H1_METHOD_OPTIONS)
		return H1_TARGET_FORM;
	return H1_OK;
}

/* A byte where a part of the request line ended wrongly: whitespace means
 * the separators are wrong (H1-REQ-2), anything else the part itself. */
static enum h1_reason
sep_or(char c, enum h1_reason part)
{
	if (c == ' ' || c == '\t')
		return H1_BAD_REQUEST_LINE;
	return h1_stop(c, part);
}

/* H1-REQ-2, RFC 9112 §3: method SP request-target SP HTTP-version. */
static enum h1_reason
request_line(const char *buf, size_t off, size_t eol, unsigned flags,
	struct h1_req *r)
{
	const unsigned char *tt = (flags & H1_LENIENT_TARGET_CHARS)
		? target_lenient
		: target_strict;
	size_t p = off, t;
	unsigned acc = 0, k;
	enum h1_reason why;

	while (p < eol && abnf_tchar[(unsigned char)buf[p]])
		p++;
	/* H1-REQ-3: a method is a non-empty token followed by one SP. */
	if (p == eol)
		return H1_BAD_REQUEST_LINE;
	if (buf[p] != ' ' || p == off)
		return sep_or(buf[p], H1_BAD_METHOD);
	r->method.p = buf + off;
	r->method.len = p - off;
	r->method_id = method_id(r->method.p, r->method.len);

	for (t = ++p; p < eol && (k = tt[(unsigned char)buf[p]]) != 0; p++)
		acc |= k;
	if (p == eol) /* no version: HTTP/0.9 is not served */
		return H1_BAD_REQUEST_LINE;
	if (buf[p] != ' ' || p == t)
		return sep_or(buf[p], H1_BAD_TARGET);
	r->target.p = buf + t;
	r->target.len = p - t;

	p++;
	if ((why = h1_version(buf + p, eol - p, &r->minor)) != H1_OK)
		return why;
	return target_form(r, acc);
}

/* Limits of this direction when the caller leaves one at zero. */
static const struct h1_opts defaults = {0, H1_REQ_MAX_LINE,
	H1_REQ_MAX_FIELD_LINE, H1_REQ_MAX_FIELDS, H1_REQ_MAX_HEAD};

long
h1_req_parse(
	const char *buf, size_t len, const struct h1_opts *o, struct h1_req *r)
{
	struct h1_lim l;
	size_t off = 0, eol;
	long next;

	h1_limits(o, &defaults, &l);
	r->nfields = 0;
	r->reason = H1_OK;
	/* H1-REQ-1, RFC 9112 §2.2: empty lines before the request line are
	 * skipped (they count towards max_head). */
	for (;;) {
		next = h1_line(buf, len, off, l.max_line, &l,
			H1_REQUEST_LINE_TOO_LONG, &eol, &r->reason);
		if (next <= 0)
			return next;
		if (eol > off)
			break;
		off = (size_t)next;
	}
	if ((r->reason = request_line(buf, off, eol, l.flags, r)) != H1_OK)
		return -1;
	return h1_fields(buf, len, (size_t)next, &l, r->fields, r->fields_cap,
		&r->nfields, &r->reason);
}

long
h1_req_encode(char *dst, size_t cap, const struct h1_req *r)
{
	size_t n = r->method.len + 1 + r->target.len + 1 + 8 + 2;
	char *p = dst;

	if (r->minor < 0 || r->minor > 9)
		return -1;
	n += h1_fields_len(r->fields, r->nfields);
	if (n > cap)
		return -1;
	memcpy(p, r->method.p, r->method.len);
	p += r->method.len;
	*p++ = ' ';
	memcpy(p, r->target.p, r->target.len);
	p += r->target.len;
	memcpy(p, " HTTP/1.", 8);
	p += 8;
	*p++ = (char)('0' + r->minor);
	memcpy(p, "\r\n", 2);
	p = h1_put_fields(p + 2, r->fields, r->nfields);
	return (long)(p - dst);
}
