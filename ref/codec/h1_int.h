/*
 * Internals shared by the HTTP/1.1 head parsers h1_req.c and h1_resp.c:
 * character tables, the line splitter with its limits, field lines, the
 * version token and the field writer both encoders use.
 * Everything here is static and this header is included by exactly those
 * two files: each codec object must stand alone (ci/check-purity.sh lets
 * an object call nothing but the mem* functions), so the shared part is
 * compiled into both rather than exported. Not part of the contract
 * (that is h1.h).
 * Rules: spec/http1.md H1-LINE-*, H1-FIELD-*, H1-LIMIT-* (RFC 9112 §2.2,
 * §5; RFC 9110 §5.1, §5.5, §5.6.2).
 */
#ifndef GH_CODEC_H1_INT_H
#define GH_CODEC_H1_INT_H

#include <string.h>

#include "codec/abnf.h"
#include "codec/h1.h"

/* Limits after defaults were applied. */
struct h1_lim {
	unsigned flags;
	size_t max_line, max_field_line, max_fields, max_head;
};

/* The caller's limits, each zero one replaced by the direction's default. */
static void
h1_limits(const struct h1_opts *o, const struct h1_opts *def, struct h1_lim *l)
{
	if (o == NULL)
		o = def;
	l->flags = o->flags;
	l->max_line = o->max_line ? o->max_line : def->max_line;
	l->max_field_line =
		o->max_field_line ? o->max_field_line : def->max_field_line;
	l->max_fields = o->max_fields ? o->max_fields : def->max_fields;
	l->max_head = o->max_head ? o->max_head : def->max_head;
}

/*
 * h1_line(): find the line starting at buf[off]. Returns the offset just
 * past its LF and sets *eol to the end of its content (the CR, or the LF
 * when bare LF is allowed); 0 when the line is incomplete and still within
 * limits; -1 with *why set (BARE_LF, too_long or HEAD_TOO_LARGE).
 * h1_fields(): parse field lines from buf[off] through the empty line;
 * returns the head length, 0 or -1 (*why set) like the public parsers.
 * h1_version(): "HTTP/" DIGIT "." DIGIT; H1_OK with *minor set, or why not.
 * h1_stop(): classify the byte that stopped a scan of a line's content.
 */

static long
h1_line(const char *buf, size_t len, size_t off, size_t max_line,
	const struct h1_lim *l, enum h1_reason too_long, size_t *eol,
	enum h1_reason *why)
{
	size_t avail = len - off, room = l->max_head - off, win;
	const char *lf;

	/*
	 * H1-LIMIT-1..3: look for the LF only as far as both the line limit
	 * and the head limit allow. The verdict then depends only on bytes
	 * up to that window, so it is the same however the input was split.
	 * When both limits end at the same byte the line limit wins.
	 */
	win = max_line <= room ? max_line : room;
	lf = memchr(buf + off, '\n', avail < win ? avail : win);
	if (lf == NULL) {
		if (avail < win)
			return 0;
		*why = max_line <= room ? too_long : H1_HEAD_TOO_LARGE;
		return -1;
	}
	*eol = (size_t)(lf - buf);
	if (*eol > off && lf[-1] == '\r') {
		(*eol)--;
	} else if (!(l->flags & H1_LENIENT_BARE_LF)) {
		/* H1-LINE-2, RFC 9112 §2.2: strict by default. */
		*why = H1_BARE_LF;
		return -1;
	}
	return (long)(lf - buf) + 1;
}

static enum h1_reason
h1_stop(char c, enum h1_reason otherwise)
{
	/* H1-LINE-3, RFC 9112 §2.2: a CR inside a line is a bare CR. */
	return c == '\r' ? H1_BARE_CR : otherwise;
}

/* Parse one field line buf[off..eol) into *f. */
static enum h1_reason
field_line(const char *buf, size_t off, size_t eol, struct field *f)
{
	size_t p = off, v, e;

	/* H1-FIELD-1, RFC 9112 §5.2 / §2.2: obs-fold, or whitespace before
	 * the first field, is rejected (400 is one of the allowed answers). */
	if (buf[p] == ' ' || buf[p] == '\t')
		return H1_OBS_FOLD;
	while (p < eol && abnf_tchar[(unsigned char)buf[p]])
		p++;
	if (p == eol) /* H1-FIELD-4, RFC 9112 §5: name ":" value */
		return H1_MISSING_COLON;
	if (buf[p] != ':') {
		size_t q = p;

		/* H1-FIELD-3, RFC 9112 §5.1: no whitespace before ':'. */
		while (q < eol && (buf[q] == ' ' || buf[q] == '\t'))
			q++;
		if (q > p && q < eol && buf[q] == ':')
			return H1_SPACE_BEFORE_COLON;
		if (buf[p] != '\r' && memchr(buf + p, ':', eol - p) == NULL)
			return H1_MISSING_COLON; /* H1-FIELD-4 */
		return h1_stop(buf[p], H1_BAD_FIELD_NAME);
	}
	if (p == off) /* H1-FIELD-2: a name is at least one tchar */
		return H1_BAD_FIELD_NAME;
	f->name.p = buf + off;
	f->name.len = p - off;
	/* H1-FIELD-5, RFC 9112 §5: OWS around the value is not part of it. */
	for (v = p + 1; v < eol && (buf[v] == ' ' || buf[v] == '\t'); v++)
		;
	for (e = v; e < eol && abnf_field_char[(unsigned char)buf[e]]; e++)
		;
	if (e < eol) /* H1-FIELD-6, RFC 9110 §5.5: no CTL, NUL or DEL */
		return h1_stop(buf[e], H1_BAD_FIELD_VALUE);
	while (e > v && (buf[e - 1] == ' ' || buf[e - 1] == '\t'))
		e--;
	f->value.p = buf + v;
	f->value.len = e - v;
	return H1_OK;
}

static long
h1_fields(const char *buf, size_t len, size_t off, const struct h1_lim *l,
	struct field *f, size_t cap, size_t *n, enum h1_reason *why)
{
	size_t max = l->max_fields < cap ? l->max_fields : cap, eol;
	struct field tmp;
	long next;

	*n = 0;
	for (;;) {
		next = h1_line(buf, len, off, l->max_field_line, l,
			H1_FIELD_LINE_TOO_LONG, &eol, why);
		if (next <= 0)
			return next;
		if (eol == off) /* H1-FIELD-7: the empty line ends the head */
			return next;
		if ((*why = field_line(buf, off, eol, &tmp)) != H1_OK)
			return -1;
		if (*n == max) { /* H1-LIMIT-4 */
			*why = H1_TOO_MANY_FIELDS;
			return -1;
		}
		f[(*n)++] = tmp;
		off = (size_t)next;
	}
}

static enum h1_reason
h1_version(const char *p, size_t n, int *minor)
{
	/* H1-REQ-5 / H1-RESP-2, RFC 9112 §2.3: case-sensitive, one digit
	 * each side of the dot. */
	if (n != 8 || memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9' ||
		p[6] != '.' || p[7] < '0' || p[7] > '9')
		return memchr(p, '\r', n) ? H1_BARE_CR : H1_BAD_VERSION;
	/* RFC 9110 §2.5: only major version 1 is ours; a higher minor is
	 * served as the highest we know (1.1). */
	if (p[5] != '1')
		return H1_VERSION_UNSUPPORTED;
	*minor = p[7] - '0';
	return H1_OK;
}

static size_t
h1_fields_len(const struct field *f, size_t n)
{
	size_t total = 2; /* final CRLF */

	for (size_t i = 0; i < n; i++)
		total += f[i].name.len + 2 + f[i].value.len + 2;
	return total;
}

static char *
h1_put_fields(char *dst, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memcpy(dst, f[i].name.p, f[i].name.len);
		dst += f[i].name.len;
		memcpy(dst, ": ", 2);
		dst += 2;
		if (f[i].value.len > 0)
			memcpy(dst, f[i].value.p, f[i].value.len);
		dst += f[i].value.len;
		memcpy(dst, "\r\n", 2);
		dst += 2;
	}
	memcpy(dst, "\r\n", 2);
	return dst + 2;
}

#endif
