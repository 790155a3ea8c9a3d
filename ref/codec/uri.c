/*
 * URI path normalisation (spec/uri.md). Sits between the request-head codec
 * and routing: one pass over the path percent-decodes each byte once
 * (RFC 3986 §2.1, §2.4), writes it to caller space and, at every segment
 * end, applies remove_dot_segments (RFC 3986 §5.2.4) to the segment just
 * written. Decoding before dot removal is what RFC 3986 §6.2.2 orders, and
 * doing both in one pass means a decoded byte is never decoded again.
 */
#include "codec/uri.h"
#include "codec/abnf.h"

#include <string.h>

/*
 * pchar minus pct-encoded (RFC 3986 §3.3): ALPHA DIGIT - . _ ~ ! $ & ' ( )
 * * + , ; = : @, as bit sets over ASCII 0-63 and 64-127. A path is scanned
 * byte by byte on every request, so the test is two shifts, not a search.
 */
#define PCHAR_LO 0x2fff7fd200000000ull
#define PCHAR_HI 0x47fffffe87ffffffull

static int
is_pchar_raw(unsigned char c)
{
	if (c < 64)
		return (int)(PCHAR_LO >> c & 1);
	return c < 128 && (PCHAR_HI >> (c - 64) & 1);
}

/*
 * Classify one raw byte that is not '%' (URI-CHAR-1, -2): URI_OK if it may
 * appear, else the reason.
 */
static enum uri_reason
check_raw(unsigned char c, unsigned opts, int in_query)
{
	if (c == 0)
		return URI_NUL; /* URI-NUL-1 */
	if (abnf_is_ctl(c))
		return URI_CTL; /* URI-CTL-1: raw CTLs are never allowed */
	if (is_pchar_raw(c) || c == '/' || (in_query && c == '?'))
		return URI_OK;
	if (c == '\\' && (opts & URI_BACKSLASH_TRANS))
		return URI_OK;
	/* RFC 3986 §3.3: anything else must arrive percent-encoded. */
	if ((opts & URI_LENIENT_CHARS) && c != ' ')
		return URI_OK; /* URI-CHAR-2 */
	return URI_BAD_CHAR;
}

/* Decode %HH at p (p[0] == '%'); -1 if malformed (URI-PCT-1). */
static int
pct_decode(const char *p, const char *end)
{
	int h, l;

	if (end - p < 3)
		return -1;
	h = abnf_hexval((unsigned char)p[1]);
	l = abnf_hexval((unsigned char)p[2]);
	if (h < 0 || l < 0)
		return -1;
	return h << 4 | l;
}

/* Writer state for the path: out[0..w) is the normalised path so far. */
struct wr {
	char *out;
	size_t cap, w;
	size_t seg; /* where the current segment starts in out */
};

static int
put(struct wr *wr, const char *p, size_t n)
{
	if (wr->cap - wr->w < n)
		return -1;
	memcpy(wr->out + wr->w, p, n);
	wr->w += n;
	return 0;
}

/*
 * The current segment out[seg..w) has ended, at a '/' (slash = 1) or at the
 * end of the path. Apply RFC 3986 §5.2.4 to it: "." is dropped, ".." also
 * drops the segment before it (never climbing above the root, URI-DOT-2),
 * anything else is kept and followed by the '/'.
 */
static enum uri_reason
end_segment(struct wr *wr, int slash, unsigned opts)
{
	size_t n = wr->w - wr->seg;
	const char *s = wr->out + wr->seg;
	int dot = n == 1 && s[0] == '.';
	int dotdot = n == 2 && s[0] == '.' && s[1] == '.';

	if (dot || dotdot) {
		if (opts & URI_DOTSEG_REJECT)
			return URI_DOTSEG; /* URI-DOT-4 */
		wr->w = wr->seg;           /* URI-DOT-1: drop "." */
		if (dotdot && wr->seg > 1) {
			/* URI-DOT-1: drop the previous segment too; out[seg-1]
			 * is its trailing '/', so look before that one. */
			size_t k = wr->seg - 1;

			while (k > 0 && wr->out[k - 1] != '/')
				k--;
			wr->w = k;
		}
		wr->seg = wr->w;
		return URI_OK; /* the '/' after a dot segment is absorbed */
	}
	if (!slash)
		return URI_OK;
	if (n == 0 && (opts & URI_MERGE_SLASHES))
		return URI_OK; /* URI-SLASH-2: empty segment collapses */
	if (put(wr, "/", 1) != 0)
		return URI_TOO_LONG;
	wr->seg = wr->w;
	return URI_OK;
}

/*
 * One decoded byte c of the path (from "%HH" when enc). Returns the reason
 * if it is refused. Boundary bytes end the segment instead of being stored.
 */
static enum uri_reason
path_byte(struct wr *wr, unsigned char c, int enc, unsigned opts)
{
	char esc[3] = {'%', '2', 'F'};

	if (c == 0)
		return URI_NUL; /* URI-NUL-1 */
	if (enc && c == '/') {
		if (opts & URI_2F_REJECT)
			return URI_ENCODED_SLASH; /* URI-PCT-4 */
		if (!(opts & URI_2F_DECODE))      /* URI-PCT-3: keep "%2F" */
			return put(wr, esc, 3) ? URI_TOO_LONG : URI_OK;
	}
	if (enc && c == '%' && !(opts & (URI_2F_DECODE | URI_2F_REJECT))) {
		esc[2] = '5'; /* URI-PCT-5: keep "%25" beside a kept "%2F" */
		return put(wr, esc, 3) ? URI_TOO_LONG : URI_OK;
	}
	if (c == '\\' && (opts & URI_BACKSLASH_TRANS))
		c = '/'; /* URI-SLASH-3 */
	if (c == '/')
		return end_segment(wr, 1, opts);
	if (enc && abnf_is_ctl(c) && !(opts & URI_CTRLS_ALLOW))
		return URI_CTL; /* URI-CTL-2 */
	return put(wr, (const char *)&c, 1) ? URI_TOO_LONG : URI_OK;
}

/* Validate the query (URI-QUERY-1): same bytes as the path, no decoding. */
static long
check_query(const char *p, const char *end, unsigned opts, const char *in,
	struct uri_path *res)
{
	for (const char *q = p; q < end; q++) {
		unsigned char c = (unsigned char)*q;
		enum uri_reason r;

		if (c == '%') {
			r = pct_decode(q, end) < 0 ? URI_BAD_PERCENT : URI_OK;
			q += r == URI_OK ? 2 : 0;
		} else {
			r = check_raw(c, opts, 1);
		}
		if (r != URI_OK) {
			res->reason = r;
			res->err_off = (size_t)(q - in);
			return -1;
		}
	}
	return 0;
}

long
uri_path_normalize(const char *in, size_t len, unsigned opts, char *out,
	size_t cap, struct uri_path *res)
{
	const char *end = in + len, *q, *p;
	struct wr wr = {out, cap, 0, 1};
	enum uri_reason r = URI_OK;

	memset(res, 0, sizeof(*res));
	/* URI-ABS-1: origin-form is absolute-path [ "?" query ]. */
	if (len == 0 || in[0] != '/') {
		res->reason = URI_NOT_ABSOLUTE;
		return -1;
	}
	q = memchr(in, '?', len);
	if (q == NULL)
		q = end;
	if (put(&wr, "/", 1) != 0) {
		res->reason = URI_TOO_LONG;
		return -1;
	}
	for (p = in + 1; p < q && r == URI_OK; p++) {
		unsigned char c = (unsigned char)*p;
		int v;

		if (is_pchar_raw(c)) {
			/* A run of plain bytes is copied in one go; only '/',
			 * '%' and refused bytes need a closer look. */
			const char *s = p;

			while (p + 1 < q && is_pchar_raw((unsigned char)p[1]))
				p++;
			r = put(&wr, s, (size_t)(p - s) + 1) ? URI_TOO_LONG
							     : URI_OK;
		} else if (c != '%') {
			r = check_raw(c, opts, 0);
			if (r == URI_OK)
				r = path_byte(&wr, c, 0, opts);
		} else if ((v = pct_decode(p, q)) < 0) {
			r = URI_BAD_PERCENT; /* URI-PCT-1 */
		} else {
			r = path_byte(&wr, (unsigned char)v, 1, opts);
			p += r == URI_OK ? 2 : 0;
		}
	}
	if (r == URI_OK)
		r = end_segment(&wr, 0, opts);
	else
		p--; /* the loop stepped past the offending byte */
	if (r != URI_OK) {
		res->reason = r;
		res->err_off = (size_t)(p - in);
		return -1;
	}
	if (q < end && check_query(q + 1, end, opts, in, res) != 0)
		return -1;
	res->path.p = out;
	res->path.len = wr.w;
	res->has_query = q < end;
	res->query.p = q < end ? q + 1 : NULL;
	res->query.len = q < end ? (size_t)(end - q - 1) : 0;
	return (long)len;
}

/* Bytes the encoder emits for c: 1 if copied, 3 if it becomes %HH. */
static size_t
enc_width(unsigned char c, unsigned opts)
{
	if (is_pchar_raw(c) || c == '/')
		return 1;
	/* URI-PCT-5: in keep mode a '%' already starts %2F or %25. */
	if (c == '%' && !(opts & (URI_2F_DECODE | URI_2F_REJECT)))
		return 1;
	return 3;
}

long
uri_path_encode(
	const char *path, size_t len, unsigned opts, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t need = 0, w = 0;

	/* Size first so that "does not fit" writes nothing. */
	for (size_t i = 0; i < len; i++)
		need += enc_width((unsigned char)path[i], opts);
	if (need > cap)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		if (enc_width(c, opts) == 1) {
			out[w++] = (char)c;
			continue;
		}
		out[w++] = '%'; /* URI-ENC-1: upper-case hex, RFC 3986 §2.1 */
		out[w++] = hex[c >> 4];
		out[w++] = hex[c & 15];
	}
	return (long)w;
}

int
uri_path_split(struct slice path, const char *prefix, size_t plen,
	struct slice *script, struct slice *info)
{
	if (plen > path.len)
		return -1;
	/* A byte loop, not memcmp: compilers turn an equality memcmp into
	 * bcmp, which the purity check (rightly) does not know. */
	for (size_t i = 0; i < plen; i++)
		if (path.p[i] != prefix[i])
			return -1;
	/* URI-SPLIT-1: "/cgi-bin/a.cgi" must not match "/cgi-bin/a.cgix". */
	if (plen < path.len && path.p[plen] != '/' &&
		(plen == 0 || prefix[plen - 1] != '/'))
		return -1;
	script->p = path.p;
	script->len = plen;
	info->p = path.p + plen;
	info->len = path.len - plen;
	return 0;
}

const char *
uri_reason_name(enum uri_reason r)
{
	switch (r) {
	case URI_OK: return "OK";
	case URI_BAD_PERCENT: return "BAD_PERCENT";
	case URI_NUL: return "NUL";
	case URI_CTL: return "CTL";
	case URI_BAD_CHAR: return "BAD_CHAR";
	case URI_ENCODED_SLASH: return "ENCODED_SLASH";
	case URI_DOTSEG: return "DOTSEG";
	case URI_NOT_ABSOLUTE: return "NOT_ABSOLUTE";
	case URI_TOO_LONG: return "TOO_LONG";
	}
	return "UNKNOWN";
}
