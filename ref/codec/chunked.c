/*
 * Chunked transfer coding (RFC 9112 §7.1): decoder state machine and
 * encoders. The decoder is fed the body bytes of a message whose framing
 * h1frame_decide() found to be CHUNKED; it hands chunk-data out as slices
 * of the caller's buffer and trailer fields one at a time. Lines are
 * checked byte by byte from their start on every call, so the verdict on a
 * given byte string never depends on how it was split.
 * Rules: spec/http1-framing.md H1-CHUNK-1 .. H1-CHUNK-14.
 */
#include "codec/chunked.h"
#include "codec/abnf.h"

#include <string.h>

void
chunked_opts_default(struct chunked_opts *o)
{
	o->flags = 0;
	o->max_chunk_size = CHUNKED_DEFAULT_MAX_CHUNK_SIZE;
	o->max_ext = CHUNKED_DEFAULT_MAX_EXT;
	o->max_trailer_bytes = CHUNKED_DEFAULT_MAX_TRAILER_BYTES;
	o->max_trailers = CHUNKED_DEFAULT_MAX_TRAILERS;
}

void
chunked_init(struct chunked *d, const struct chunked_opts *opts)
{
	memset(d, 0, sizeof(*d));
	if (opts != NULL)
		d->opts = *opts;
	else
		chunked_opts_default(&d->opts);
	/* H1-CHUNK-3: 2^63-1 is the ceiling whatever the caller asks for. */
	if (d->opts.max_chunk_size > CHUNKED_DEFAULT_MAX_CHUNK_SIZE)
		d->opts.max_chunk_size = CHUNKED_DEFAULT_MAX_CHUNK_SIZE;
	d->state = CHUNKED_S_SIZE;
}

int
chunked_done(const struct chunked *d)
{
	return d->state == CHUNKED_S_DONE;
}

static long
fail(struct chunked *d, enum chunked_reason r)
{
	d->state = CHUNKED_S_ERROR;
	d->reason = r;
	return -1;
}

/*
 * A line ending starts at p[i] (CR or LF). Returns its length (1 or 2),
 * 0 when the LF after a CR has not arrived, or -1 with d failed.
 * H1-CHUNK-9: CRLF only; a bare LF only as the lenient-bare-lf option; a
 * CR not followed by LF never (RFC 9112 §2.2).
 */
static int
eol(struct chunked *d, const char *p, size_t len, size_t i)
{
	if (p[i] == '\n') {
		if (d->opts.flags & CHUNKED_LENIENT_BARE_LF)
			return 1;
		return (int)fail(d, CHUNKED_BARE_LF);
	}
	if (i + 1 == len)
		return 0;
	if (p[i + 1] == '\n')
		return 2;
	return (int)fail(d, CHUNKED_BARE_CR);
}

/* Where the chunk-ext scanner is (RFC 9112 §7.1.1 grammar):
 * chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted ) ] ) */
enum ext_state {
	X_SIZE,     /* right after the digits */
	X_BWS0,     /* BWS after the digits, before the first ';' */
	X_NAME0,    /* after ';' and BWS, before the name */
	X_NAME,     /* inside the name */
	X_NAME_BWS, /* BWS after the name */
	X_VAL0,     /* after '=' and BWS, before the value */
	X_TOKEN,    /* inside a token value */
	X_QUOTED,   /* inside a quoted-string */
	X_ESCAPE,   /* after a backslash in a quoted-string */
	X_CLOSED,   /* after the closing quote */
	X_BWS,      /* BWS after a value, before the next ';' */
};

/* One chunk-ext byte; returns the next state or -1 for "not allowed". */
static int
ext_step(enum ext_state s, unsigned char c)
{
	switch (s) {
	case X_SIZE:
	case X_BWS0:
	case X_CLOSED:
	case X_BWS:
		if (c == ';')
			return X_NAME0;
		return abnf_is_ws(c)
			? (s == X_SIZE || s == X_BWS0 ? X_BWS0 : X_BWS)
			: -1;
	case X_NAME0:
		if (abnf_is_ws(c))
			return X_NAME0;
		return abnf_is_tchar(c) ? X_NAME : -1;
	case X_NAME:
	case X_NAME_BWS:
		if (c == ';')
			return X_NAME0;
		if (c == '=')
			return X_VAL0;
		if (abnf_is_ws(c))
			return X_NAME_BWS;
		return s == X_NAME && abnf_is_tchar(c) ? X_NAME : -1;
	case X_VAL0:
		if (abnf_is_ws(c))
			return X_VAL0;
		if (c == '"')
			return X_QUOTED;
		return abnf_is_tchar(c) ? X_TOKEN : -1;
	case X_TOKEN:
		if (c == ';')
			return X_NAME0;
		if (abnf_is_ws(c))
			return X_BWS;
		return abnf_is_tchar(c) ? X_TOKEN : -1;
	case X_QUOTED:
		/* RFC 9110 §5.6.4: qdtext and quoted-pair. */
		if (c == '"')
			return X_CLOSED;
		if (c == '\\')
			return X_ESCAPE;
		return c == '\t' || (c >= 0x20 && c != 0x7f) ? X_QUOTED : -1;
	default: /* X_ESCAPE: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
		return c == '\t' || (c >= 0x20 && c != 0x7f) ? X_QUOTED : -1;
	}
}

/* The line may end here: after the size, a name or a complete value. */
static int
ext_can_end(enum ext_state s)
{
	return s == X_SIZE || s == X_NAME || s == X_TOKEN || s == X_CLOSED;
}

/* H1-CHUNK-1..5: chunk-size [ chunk-ext ] CRLF, consumed only whole. */
static long
decode_size_line(
	struct chunked *d, const char *p, size_t len, struct chunked_out *out)
{
	uint64_t v = 0;
	size_t i = 0, x;
	enum ext_state s = X_SIZE;
	int h, n;

	for (; i < len && (h = abnf_hexval((unsigned char)p[i])) >= 0; i++) {
		/* H1-CHUNK-3: RFC 9112 §7.1 "anticipate potentially large
		 * hexadecimal numerals": stop before the value can wrap. */
		if (i == CHUNKED_MAX_SIZE_DIGITS)
			return fail(d, CHUNKED_SIZE_TOO_LARGE);
		v = v << 4 | (uint64_t)h;
		if (v > d->opts.max_chunk_size)
			return fail(d, CHUNKED_SIZE_TOO_LARGE);
	}
	if (i == len)
		return 0;
	if (i == 0) /* H1-CHUNK-2: 1*HEXDIG, no sign, no "0x", no space. */
		return fail(d, CHUNKED_BAD_SIZE);
	for (x = i; x < len; x++) {
		unsigned char c = (unsigned char)p[x];
		int next;

		if (c == '\r' || c == '\n') {
			if (!ext_can_end(s))
				break;
			if ((n = eol(d, p, len, x)) <= 0)
				return n;
			out->event = CHUNKED_EV_CHUNK;
			out->size = v;
			out->ext.p = p + i;
			out->ext.len = x - i;
			d->state = v ? CHUNKED_S_DATA : CHUNKED_S_TRAILER;
			d->remaining = v;
			return (long)(x + (size_t)n);
		}
		/* H1-CHUNK-5: RFC 9112 §7.1.1 asks for a bound on extensions. */
		if (x - i >= d->opts.max_ext)
			return fail(d, CHUNKED_EXT_TOO_LONG);
		if ((next = ext_step(s, c)) < 0)
			break;
		s = (enum ext_state)next;
	}
	if (x == len)
		return 0;
	/* Junk straight after the digits ("5 x", "5\t") is a bad size
	 * (H1-CHUNK-2); past the first ';' it is a bad extension. */
	return fail(d,
		s == X_SIZE || s == X_BWS0 ? CHUNKED_BAD_SIZE
					   : CHUNKED_BAD_EXT);
}

/* H1-CHUNK-7: chunk-data is followed by exactly CRLF. */
static long
decode_data_end(
	struct chunked *d, const char *p, size_t len, struct chunked_out *out)
{
	int n;

	if (p[0] != '\r' && p[0] != '\n')
		return fail(d, CHUNKED_BAD_DATA_END);
	if ((n = eol(d, p, len, 0)) <= 0)
		return n;
	d->state = CHUNKED_S_SIZE;
	out->event = CHUNKED_EV_DATA_END;
	return n;
}

/*
 * H1-CHUNK-10..13: one trailer field line, or the empty line that ends
 * the body. Field syntax is that of a head field (RFC 9112 §5, RFC 9110
 * §5.5): token name, colon with no space before it, OWS, value of VCHAR,
 * obs-text, SP and HTAB, OWS; no obs-fold.
 */
static long
decode_trailer(
	struct chunked *d, const char *p, size_t len, struct chunked_out *out)
{
	size_t i, colon = 0, vstart = 0, vend = 0;
	size_t room = d->opts.max_trailer_bytes - d->trailer_bytes;
	int n;

	if (p[0] == '\r' || p[0] == '\n') {
		if ((n = eol(d, p, len, 0)) <= 0)
			return n;
		d->state = CHUNKED_S_DONE;
		out->event = CHUNKED_EV_DONE;
		return n;
	}
	if (abnf_is_ws((unsigned char)p[0])) /* RFC 9112 §5.2: no obs-fold */
		return fail(d, CHUNKED_TRAILER_OBS_FOLD);
	if (d->trailers == d->opts.max_trailers)
		return fail(d, CHUNKED_TOO_MANY_TRAILERS);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (i == room)
			return fail(d, CHUNKED_TRAILERS_TOO_LARGE);
		if (colon == 0) {
			/* RFC 9112 §5.1: no whitespace before the colon. */
			if (c == ':' && i > 0) {
				colon = i;
				vstart = vend = i + 1;
			} else if (!abnf_is_tchar(c)) {
				return fail(d, CHUNKED_BAD_TRAILER_NAME);
			}
			continue;
		}
		if (c == '\r' || c == '\n')
			break;
		/* RFC 9110 §5.5: no CTL but HTAB in a value. */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(d, CHUNKED_BAD_TRAILER_VALUE);
		if (abnf_is_ws(c) && vstart == i)
			vstart = vend = i + 1;
		else if (!abnf_is_ws(c))
			vend = i + 1;
	}
	if (i == len)
		return 0;
	if ((n = eol(d, p, len, i)) <= 0)
		return n;
	if ((size_t)n > room - i)
		return fail(d, CHUNKED_TRAILERS_TOO_LARGE);
	d->trailers++;
	d->trailer_bytes += i + (size_t)n;
	out->event = CHUNKED_EV_TRAILER;
	out->trailer.name.p = p;
	out->trailer.name.len = colon;
	out->trailer.value.p = p + vstart;
	out->trailer.value.len = vend - vstart;
	return (long)(i + (size_t)n);
}

long
chunked_decode(
	struct chunked *d, const char *p, size_t len, struct chunked_out *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (d->state == CHUNKED_S_ERROR)
		return -1;
	if (len == 0 || d->state == CHUNKED_S_DONE)
		return 0;
	switch (d->state) {
	case CHUNKED_S_SIZE: return decode_size_line(d, p, len, out);
	case CHUNKED_S_DATA:
		/* H1-CHUNK-6: exactly chunk-size octets, handed out in place. */
		n = d->remaining < len ? (size_t)d->remaining : len;
		d->remaining -= n;
		d->total += n;
		if (d->remaining == 0)
			d->state = CHUNKED_S_DATA_END;
		out->event = CHUNKED_EV_DATA;
		out->data.p = p;
		out->data.len = n;
		return (long)n;
	case CHUNKED_S_DATA_END: return decode_data_end(d, p, len, out);
	default: return decode_trailer(d, p, len, out);
	}
}

const char *
chunked_reason_name(enum chunked_reason r)
{
	switch (r) {
	case CHUNKED_OK: return "OK";
	case CHUNKED_BAD_SIZE: return "BAD_SIZE";
	case CHUNKED_SIZE_TOO_LARGE: return "SIZE_TOO_LARGE";
	case CHUNKED_BAD_EXT: return "BAD_EXT";
	case CHUNKED_EXT_TOO_LONG: return "EXT_TOO_LONG";
	case CHUNKED_BARE_CR: return "BARE_CR";
	case CHUNKED_BARE_LF: return "BARE_LF";
	case CHUNKED_BAD_DATA_END: return "BAD_DATA_END";
	case CHUNKED_BAD_TRAILER_NAME: return "BAD_TRAILER_NAME";
	case CHUNKED_BAD_TRAILER_VALUE: return "BAD_TRAILER_VALUE";
	case CHUNKED_TRAILER_OBS_FOLD: return "TRAILER_OBS_FOLD";
	case CHUNKED_TRAILERS_TOO_LARGE: return "TRAILERS_TOO_LARGE";
	case CHUNKED_TOO_MANY_TRAILERS: return "TOO_MANY_TRAILERS";
	}
	return "UNKNOWN";
}

long
chunked_encode_head(char *dst, size_t cap, uint64_t n)
{
	char tmp[CHUNKED_MAX_SIZE_DIGITS + 2];
	size_t i = sizeof(tmp);

	if (n == 0)
		return -1;
	tmp[--i] = '\n';
	tmp[--i] = '\r';
	for (; n != 0; n >>= 4)
		tmp[--i] = "0123456789abcdef"[n & 0xf];
	if (sizeof(tmp) - i > cap)
		return -1;
	memcpy(dst, tmp + i, sizeof(tmp) - i);
	return (long)(sizeof(tmp) - i);
}

long
chunked_encode_data_end(char *dst, size_t cap)
{
	if (cap < 2)
		return -1;
	memcpy(dst, "\r\n", 2);
	return 2;
}

/* A field the encoder may write: token name, value without CTLs. */
static int
field_ok(const struct field *f)
{
	if (f->name.len == 0)
		return 0;
	for (size_t i = 0; i < f->name.len; i++)
		if (!abnf_is_tchar((unsigned char)f->name.p[i]))
			return 0;
	for (size_t i = 0; i < f->value.len; i++) {
		unsigned char c = (unsigned char)f->value.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

long
chunked_encode_last(
	char *dst, size_t cap, const struct field *trailers, size_t ntrailers)
{
	size_t need = 5, off = 0;

	for (size_t i = 0; i < ntrailers; i++) {
		if (!field_ok(&trailers[i]))
			return -1;
		need += trailers[i].name.len + trailers[i].value.len + 4;
	}
	if (need > cap)
		return -1;
	memcpy(dst, "0\r\n", 3);
	off = 3;
	for (size_t i = 0; i < ntrailers; i++) {
		const struct field *f = &trailers[i];

		memcpy(dst + off, f->name.p, f->name.len);
		off += f->name.len;
		memcpy(dst + off, ": ", 2);
		off += 2;
		memcpy(dst + off, f->value.p, f->value.len);
		off += f->value.len;
		memcpy(dst + off, "\r\n", 2);
		off += 2;
	}
	memcpy(dst + off, "\r\n", 2);
	return (long)(off + 2);
}
