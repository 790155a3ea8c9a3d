/*
 * Chunked transfer coding (RFC 9112 §7.1): an incremental decoder the
 * connection layer feeds with whatever bytes have arrived, and the three
 * small encoders a gateway needs to re-frame a body of unknown length.
 * Sits between the request/response head codecs and the body sinks: after
 * h1frame_decide() says CHUNKED, every body byte goes through here.
 * Rules: spec/http1-framing.md H1-CHUNK-1 .. H1-CHUNK-14.
 */
#ifndef GH_CODEC_CHUNKED_H
#define GH_CODEC_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

/* Why chunked_decode() returned -1; chunked_reason_name() gives the
 * UPPER_SNAKE name used by spec/vectors/chunked. Every one maps to 400
 * from a client and 502 from a backend, except the *_TOO_* limits, which a
 * server may map to 413/431. */
enum chunked_reason {
	CHUNKED_OK = 0,
	CHUNKED_BAD_SIZE,         /* no hex digit, or junk after the digits */
	CHUNKED_SIZE_TOO_LARGE,   /* > max_chunk_size or > 16 hex digits */
	CHUNKED_BAD_EXT,          /* chunk-ext does not match the grammar */
	CHUNKED_EXT_TOO_LONG,     /* chunk-ext longer than max_ext */
	CHUNKED_BARE_CR,          /* CR not followed by LF */
	CHUNKED_BARE_LF,          /* LF without CR (strict mode) */
	CHUNKED_BAD_DATA_END,     /* chunk-data not followed by CRLF */
	CHUNKED_BAD_TRAILER_NAME, /* not a token, or no colon, or SP before ':' */
	CHUNKED_BAD_TRAILER_VALUE, /* CTL (other than HTAB) in a trailer value */
	CHUNKED_TRAILER_OBS_FOLD,  /* trailer line starting with SP or HTAB */
	CHUNKED_TRAILERS_TOO_LARGE, /* trailer section over max_trailer_bytes */
	CHUNKED_TOO_MANY_TRAILERS,  /* more than max_trailers fields */
};

/* Leniencies, all off by default (spec/http1-framing.md "Options"). */
#define CHUNKED_LENIENT_BARE_LF 0x1u /* opts word: lenient-bare-lf */

struct chunked_opts {
	unsigned flags;           /* CHUNKED_LENIENT_* */
	uint64_t max_chunk_size;  /* opts word: max-chunk-size=N */
	size_t max_ext;           /* opts word: max-ext=N */
	size_t max_trailer_bytes; /* opts word: max-trailer-bytes=N */
	size_t max_trailers;      /* opts word: max-trailers=N */
};

/*
 * Defaults (chunked_opts_default()):
 * - max_chunk_size 2^63-1: the largest size a signed 64-bit file offset can
 *   hold, so a caller may add it to an off_t; anything bigger is an attack.
 * - max_ext 256: nothing in practice sends more than an 80-byte signature
 *   (aws-chunked); the whole size line must sit in the caller's buffer.
 * - max_trailer_bytes 8192 and max_trailers 32: trailers are rare and
 *   small; they are buffered like a head, so they get a head-like bound.
 */
#define CHUNKED_DEFAULT_MAX_CHUNK_SIZE    0x7fffffffffffffffull
#define CHUNKED_DEFAULT_MAX_EXT           256
#define CHUNKED_DEFAULT_MAX_TRAILER_BYTES 8192
#define CHUNKED_DEFAULT_MAX_TRAILERS      32

/* A chunk-size written with more digits than this is refused even when the
 * extra digits are leading zeros: the size line must fit in a buffer. */
#define CHUNKED_MAX_SIZE_DIGITS 16

enum chunked_state {
	CHUNKED_S_SIZE = 0, /* expecting a chunk-size line */
	CHUNKED_S_DATA,     /* inside chunk-data, remaining bytes left */
	CHUNKED_S_DATA_END, /* expecting the CRLF after chunk-data */
	CHUNKED_S_TRAILER,  /* expecting a trailer field line or the end */
	CHUNKED_S_DONE,     /* final CRLF consumed */
	CHUNKED_S_ERROR,    /* a decode failed; reason says why */
};

/* Decoder state the caller keeps per message; zero it with
 * chunked_init(). Holds no pointers into the input. */
struct chunked {
	struct chunked_opts opts;
	enum chunked_state state;
	enum chunked_reason reason; /* set when a call returns -1 */
	uint64_t remaining;         /* S_DATA: chunk-data bytes still due */
	uint64_t total;             /* chunk-data bytes decoded so far */
	size_t trailer_bytes;       /* trailer-section bytes seen so far */
	size_t trailers;            /* trailer fields seen so far */
};

/* What one successful chunked_decode() call produced. */
enum chunked_event {
	CHUNKED_EV_CHUNK = 1, /* a chunk-size line: size and ext are set */
	CHUNKED_EV_DATA,      /* some chunk-data: data is set */
	CHUNKED_EV_DATA_END,  /* the CRLF after a chunk's data */
	CHUNKED_EV_TRAILER,   /* one trailer field: trailer is set */
	CHUNKED_EV_DONE,      /* the final CRLF: the body is complete */
};

struct chunked_out {
	enum chunked_event event;
	uint64_t size;        /* EV_CHUNK: chunk-size; 0 for the last-chunk */
	struct slice ext;     /* EV_CHUNK: raw chunk-ext ("" if none) */
	struct slice data;    /* EV_DATA: body bytes, len > 0 */
	struct field trailer; /* EV_TRAILER: name, value without OWS */
};

void chunked_opts_default(struct chunked_opts *o);
/* Reset d for a new message; opts NULL means the defaults. */
void chunked_init(struct chunked *d, const struct chunked_opts *opts);

/*
 * Decode the next piece of a chunked body from p[0..len).
 *
 * Returns the number of bytes consumed (> 0) and fills *out with exactly
 * one event; 0 when more input is needed (nothing consumed; call again with
 * the same unconsumed bytes plus more); -1 when the body is malformed
 * (d->reason says why; every later call returns -1 too).
 *
 * Lines (chunk-size lines, trailer lines, the final CRLF) are consumed
 * only whole, so the caller must keep unconsumed bytes and present them
 * again: at most max_ext + 19 bytes for a size line and max_trailer_bytes
 * for a trailer line. chunk-data is handed out as soon as any of it is
 * present and never copied. Slices in *out point into p and are valid as
 * long as the caller keeps those bytes unchanged. After CHUNKED_EV_DONE
 * the bytes that follow belong to the next message: further calls consume
 * nothing and return 0, and chunked_done() is true.
 */
long chunked_decode(
	struct chunked *d, const char *p, size_t len, struct chunked_out *out);

/* True once the final CRLF has been consumed. */
int chunked_done(const struct chunked *d);

const char *chunked_reason_name(enum chunked_reason r);

/*
 * Encoders: each writes into dst[0..cap) and returns bytes written, or -1
 * (writing nothing) when the result does not fit or the input cannot be
 * encoded.
 *
 * chunked_encode_head: the chunk-size line for n > 0 bytes of data, lower
 * case hex without leading zeros: "%zx\r\n" (n == 0 is -1: use
 * chunked_encode_last, or a zero chunk would end the body).
 * chunked_encode_data_end: the "\r\n" after the chunk's data.
 * chunked_encode_last: "0\r\n", each trailer as "name: value\r\n", then
 * "\r\n". A trailer whose name is not a token or whose value holds a CTL
 * other than HTAB (CR, LF, NUL...) is refused with -1: the encoder never
 * writes bytes that would split the message.
 */
long chunked_encode_head(char *dst, size_t cap, uint64_t n);
long chunked_encode_data_end(char *dst, size_t cap);
long chunked_encode_last(
	char *dst, size_t cap, const struct field *trailers, size_t ntrailers);

#endif
