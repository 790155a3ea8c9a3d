/*
 * SCGI request head: the netstring of NUL-terminated name/value pairs a
 * gateway sends before the request body (SCGI protocol, N. Schemenauer).
 *
 * Data flow: the gateway (gw_scgi) turns the CGI environment built by
 * cgi_env into a head with scgi_encode_head() and sends the body after it;
 * a server (our mocks' C-side tests, gatecheck-like tools) reads a head
 * with scgi_decode_head(). Rules SCGI-NS-*, SCGI-HDR-*, SCGI-ENC-* of
 * spec/scgi.md. The response (a CGI-style head) is codec/cgi_resp's job.
 */
#ifndef GH_CODEC_SCGI_H
#define GH_CODEC_SCGI_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

/* Why scgi_decode_head() returned -1. Names: scgi_reason_name(). */
enum scgi_reason {
	SCGI_OK = 0,
	SCGI_LENGTH_INVALID,      /* netstring length: no digits, non-digit */
	SCGI_LENGTH_LEADING_ZERO, /* netstring length "0N..." (SCGI-NS-2) */
	SCGI_HEAD_TOO_LARGE,      /* netstring length > opts max_head */
	SCGI_MISSING_COMMA,       /* byte after the headers is not ',' */
	SCGI_NAME_EMPTY,          /* a pair starts with NUL (SCGI-HDR-2) */
	SCGI_NAME_UNTERMINATED,   /* block ends inside a name */
	SCGI_VALUE_UNTERMINATED,  /* block ends inside a value */
	SCGI_CONTENT_LENGTH_NOT_FIRST, /* first pair is not CONTENT_LENGTH */
	SCGI_CONTENT_LENGTH_INVALID,   /* not 1*DIGIT, or over 2^63-1 */
	SCGI_SCGI_MISSING,             /* no SCGI pair (SCGI-HDR-5) */
	SCGI_SCGI_VALUE_INVALID,       /* SCGI pair whose value is not "1" */
	SCGI_DUPLICATE_NAME,           /* a name appears twice (SCGI-HDR-6) */
	SCGI_TOO_MANY_FIELDS,          /* more pairs than the caller's array */
	SCGI_REASON_COUNT
};

/* Leniencies, all off by default (strict). Vector option names in []. */
#define SCGI_LENIENT_LEADING_ZERO 0x1u /* [lenient-leading-zero] "07:" */
#define SCGI_LENIENT_NO_SCGI      0x2u /* [lenient-no-scgi] no SCGI pair */
#define SCGI_LENIENT_DUPLICATES   0x4u /* [lenient-duplicates] keep both */

/*
 * Default head limit. 64 KiB: large enough for every CGI environment a
 * real gateway sends (lighttpd and nginx stay far below it; nginx's own
 * request-header buffers cap what it can forward at a few tens of KiB)
 * and small enough that a server never holds more for one head.
 */
#define SCGI_DEFAULT_MAX_HEAD 65536

struct scgi_opts {
	unsigned flags;  /* SCGI_LENIENT_* */
	size_t max_head; /* largest netstring length accepted; 0 = default */
};

/*
 * A decoded head. Slices point into the buffer given to scgi_decode_head()
 * and stay valid while that buffer is unchanged. fields[] is the caller's
 * array; fields[0] is always CONTENT_LENGTH.
 */
struct scgi_head {
	size_t block_len;        /* the netstring length: bytes of pairs */
	uint64_t content_length; /* value of CONTENT_LENGTH: body bytes */
	struct field *fields;    /* caller's array, in wire order */
	size_t n_fields;
};

/*
 * Decode the head at p[0..len). len is everything received so far; call
 * again with more bytes after a 0. fields/cap is the caller's array for
 * the pairs (SCGI_TOO_MANY_FIELDS when it is too small). opts may be NULL
 * for the strict defaults.
 *
 * Returns the head's size in bytes (the body starts at p + return), 0 when
 * the head is incomplete but valid so far, or -1 with *why set. Errors in
 * the length prefix are reported as soon as its bytes arrive, so a bad
 * peer is dropped without waiting for max_head bytes. Until the whole head
 * is there a call reads only the length prefix, so calling again after
 * every read costs O(1), not O(bytes so far).
 */
long scgi_decode_head(const char *p, size_t len, const struct scgi_opts *opts,
	struct scgi_head *h, struct field *fields, size_t cap,
	enum scgi_reason *why);

/* UPPER_SNAKE name of a reason, as used in spec/vectors/scgi. */
const char *scgi_reason_name(enum scgi_reason r);

/* Encoder failures (nothing is written in either case). */
#define SCGI_ENC_NOSPACE (-1) /* does not fit in cap: retry with more */
#define SCGI_ENC_INVALID (-2) /* the fields cannot form a valid head */

/*
 * Bytes scgi_encode_head() would write for these fields, or 0 when they
 * are invalid (see below). Lets the caller size its buffer first.
 */
size_t scgi_head_size(const struct field *fields, size_t n);

/*
 * Encode fields[0..n) as an SCGI head into dst[0..cap): the netstring
 * "<len>:" NAME NUL VALUE NUL ... "," followed by nothing (the caller sends
 * the body). fields[0] must be CONTENT_LENGTH with a 1*DIGIT value
 * (SCGI-ENC-1). "SCGI" NUL "1" NUL is appended last, as lighttpd does,
 * unless the caller supplied an SCGI field itself, whose value must be "1".
 * A name must be non-empty; no name or value may contain NUL (a NUL in a
 * value would end it early and inject a pair: SCGI-ENC-2); names must be
 * unique (SCGI-HDR-6). The output always decodes with the strict defaults
 * when it is within max_head.
 *
 * Returns bytes written, SCGI_ENC_NOSPACE, or SCGI_ENC_INVALID.
 */
long
scgi_encode_head(char *dst, size_t cap, const struct field *fields, size_t n);

#endif
