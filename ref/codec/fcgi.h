/*
 * FastCGI 1.0 codec: record framing, the fixed-size record bodies and
 * name-value pairs. Pure functions over caller memory (no I/O, no malloc).
 *
 * Data flow: the gateway encodes BEGIN_REQUEST, PARAMS and STDIN records
 * with the encoders below and feeds whatever bytes the backend sends to a
 * struct fcgi_stream, which yields each record's header, its content (in
 * as many pieces as the bytes arrived) and its end. The application side
 * (mock backends, bench responders) uses the same decoder with the other
 * direction option.
 *
 * Rules: spec/fastcgi.md (FCGI-REC-*, FCGI-NV-*, FCGI-BEGIN-*, FCGI-END-*,
 * FCGI-MGMT-*, FCGI-STREAM-*), after the FastCGI 1.0 specification (§3-§8).
 */
#ifndef GH_CODEC_FCGI_H
#define GH_CODEC_FCGI_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

#define FCGI_VERSION_1       1
#define FCGI_HEADER_LEN      8     /* FastCGI 1.0 §3.3: fixed record prefix */
#define FCGI_MAX_CONTENT     65535 /* contentLength is 16 bits */
#define FCGI_MAX_PADDING     255   /* paddingLength is 8 bits */
#define FCGI_NULL_REQUEST_ID 0     /* management records (§3.3) */
#define FCGI_NV_MAX_LEN      0x7fffffffUL /* 31-bit lengths (§3.4) */

/*
 * Record types (FastCGI 1.0 §8). The set is open: any other value is a
 * valid record type whose meaning this peer does not know (§4.2).
 */
enum fcgi_type {
	FCGI_BEGIN_REQUEST = 1,
	FCGI_ABORT_REQUEST = 2,
	FCGI_END_REQUEST = 3,
	FCGI_PARAMS = 4,
	FCGI_STDIN = 5,
	FCGI_STDOUT = 6,
	FCGI_STDERR = 7,
	FCGI_DATA = 8,
	FCGI_GET_VALUES = 9,
	FCGI_GET_VALUES_RESULT = 10,
	FCGI_UNKNOWN_TYPE = 11,
};

enum fcgi_role {
	FCGI_RESPONDER = 1,
	FCGI_AUTHORIZER = 2,
	FCGI_FILTER = 3,
};

#define FCGI_KEEP_CONN 1 /* BEGIN_REQUEST flags bit (§5.1) */

enum fcgi_protocol_status {
	FCGI_REQUEST_COMPLETE = 0,
	FCGI_CANT_MPX_CONN = 1,
	FCGI_OVERLOADED = 2,
	FCGI_UNKNOWN_ROLE = 3,
};

/* Why a decoder returned -1. fcgi_reason_name() gives the vector name. */
enum fcgi_reason {
	FCGI_E_OK = 0,
	FCGI_E_BAD_VERSION,     /* FCGI-REC-2: version byte is not 1 */
	FCGI_E_NULL_REQUEST_ID, /* FCGI-REC-4: app record with id 0 */
	FCGI_E_MGMT_REQUEST_ID, /* FCGI-MGMT-1: mgmt record with id != 0 */
	FCGI_E_UNEXPECTED_REQUEST_ID, /* FCGI-REC-5: id != opts.expect_id */
	FCGI_E_UNEXPECTED_TYPE,       /* FCGI-REC-6: type wrong for direction */
	FCGI_E_BEGIN_BODY_LENGTH,     /* FCGI-BEGIN-1: contentLength != 8 */
	FCGI_E_END_BODY_LENGTH,       /* FCGI-END-1: contentLength != 8 */
	FCGI_E_UNKNOWN_TYPE_BODY_LENGTH, /* FCGI-MGMT-4: contentLength != 8 */
	FCGI_E_ABORT_BODY_LENGTH,   /* FCGI-REC-7: ABORT_REQUEST has content */
	FCGI_E_BAD_PROTOCOL_STATUS, /* FCGI-END-2: protocolStatus > 3 */
	FCGI_E_NV_TRUNCATED,        /* FCGI-NV-4: content ends in a length */
	FCGI_E_NV_LENGTH_OVERFLOW,  /* FCGI-NV-5: a length runs past the end */
	FCGI_E_REASON_COUNT
};

/* Upper-snake name of r ("BAD_VERSION"), "?" for an unknown value. */
const char *fcgi_reason_name(enum fcgi_reason r);
/* "STDOUT" etc. for types 1-11, NULL for any other type. */
const char *fcgi_type_name(unsigned type);

/* The fixed part of a record (§3.3). The reserved byte is not kept. */
struct fcgi_header {
	uint8_t version;
	uint8_t type;
	uint16_t request_id;
	uint16_t content_length;
	uint8_t padding_length;
};

/*
 * Decode 8 header bytes. Returns 8, 0 when len < 8, or -1 with *why set
 * (BAD_VERSION only: type and id checks belong to fcgi_stream).
 */
long fcgi_header_decode(const void *p, size_t len, struct fcgi_header *h,
	enum fcgi_reason *why);
/* Write 8 bytes (version forced to 1, reserved 0): 8, or -1 if cap < 8. */
long fcgi_header_encode(void *dst, size_t cap, const struct fcgi_header *h);

/* Fixed-size bodies: each is exactly 8 bytes of content (§5.1, §5.5, §4.2). */
struct fcgi_begin {
	/* enum fcgi_role; any other value is answered with UNKNOWN_ROLE. */
	uint16_t role;
	uint8_t flags; /* FCGI_KEEP_CONN; other bits are reserved, kept as is */
};
struct fcgi_end {
	uint32_t app_status;
	uint8_t protocol_status; /* enum fcgi_protocol_status */
};

void fcgi_begin_decode(const uint8_t body[8], struct fcgi_begin *b);
void fcgi_end_decode(const uint8_t body[8], struct fcgi_end *e);

/*
 * Whole 16-byte records: header plus 8-byte body. Each returns 16, or -1
 * (writing nothing) when cap < 16. ABORT_REQUEST is a bare header: 8.
 */
long fcgi_begin_request_encode(
	void *dst, size_t cap, uint16_t id, uint16_t role, uint8_t flags);
long fcgi_end_request_encode(void *dst, size_t cap, uint16_t id,
	uint32_t app_status, uint8_t protocol_status);
long fcgi_unknown_type_encode(void *dst, size_t cap, uint8_t type);
long fcgi_abort_request_encode(void *dst, size_t cap, uint16_t id);

/*
 * Stream encoding (FCGI-STREAM-1..3): frame len bytes of body as records
 * of `type` for request `id`, each carrying at most 65535 bytes. Flags:
 * FCGI_ENC_PAD8 pads each record to a multiple of 8 bytes (§3.3
 * recommends it); FCGI_ENC_END appends the empty record that closes the
 * stream. len == 0 without FCGI_ENC_END writes nothing (an empty record
 * would end the stream). fcgi_stream_size() gives the exact byte count;
 * fcgi_stream_encode() returns it, or -1 (writing nothing) if it does not
 * fit in cap.
 */
#define FCGI_ENC_PAD8 0x1u
#define FCGI_ENC_END  0x2u
size_t fcgi_stream_size(size_t len, unsigned flags);
long fcgi_stream_encode(void *dst, size_t cap, uint8_t type, uint16_t id,
	const void *body, size_t len, unsigned flags);

/*
 * Incremental record decoder (gateway side: the backend's byte stream).
 * The caller keeps a struct fcgi_stream per connection, zeroed by
 * fcgi_stream_init(), and hands it the bytes as they arrive, split and
 * coalesced in any way:
 *
 *	while (len > 0) {
 *		n = fcgi_stream_next(&s, p, len, &ev);
 *		if (n < 0) fail(s.reason);
 *		(use ev)  p += n; len -= n;
 *	}
 *
 * fcgi_stream_next() returns the bytes it consumed (> 0 whenever len > 0;
 * 0 only for len == 0, i.e. "need more input"), or -1 on a malformed
 * record with s->reason set; the stream is then dead (-1 again). One call
 * works within one record and reports in ev->flags what happened:
 *   FCGI_EV_HEADER  the header completed; ev->hdr is valid (and stays
 *                   valid in every later event of this record)
 *   FCGI_EV_CONTENT ev->content is the next piece of content (never empty)
 *   FCGI_EV_END     the record's content and padding are all consumed
 * A call may report none of them (it absorbed part of a header or of the
 * padding), or several (a whole small record). A call that completes the
 * header of a BEGIN_REQUEST, END_REQUEST or UNKNOWN_TYPE record returns
 * with the header alone, so a body that fails its checks (-1) never hides
 * a header already seen. Content is zero-copy: the
 * slice points into p, valid while the caller keeps p. The 8-byte bodies
 * of BEGIN_REQUEST, END_REQUEST and UNKNOWN_TYPE are the exception: they
 * are gathered in the state and delivered whole in one event, already
 * decoded into ev->begin / ev->end / ev->unknown_type; their slice points
 * into *s and is valid until the next call.
 *
 * Checks (strict; spec/fastcgi.md): version 1; BEGIN/END/UNKNOWN_TYPE
 * bodies exactly 8 bytes, ABORT_REQUEST empty; END_REQUEST
 * protocolStatus 0-3; management types carry id 0 and application types
 * 1-8 a non-zero id; with expect_id != 0, application records must carry
 * that id (lighttpd and nginx use one request per connection). The
 * reserved byte and padding bytes are ignored whatever they hold.
 */
#define FCGI_FROM_APP    0x1u /* bytes come from the application */
#define FCGI_FROM_SERVER 0x2u /* bytes come from the web server */

struct fcgi_stream_opts {
	unsigned flags;     /* FCGI_FROM_APP or FCGI_FROM_SERVER or neither */
	uint16_t expect_id; /* 0: any non-zero id */
};

#define FCGI_EV_HEADER  0x1u
#define FCGI_EV_CONTENT 0x2u
#define FCGI_EV_END     0x4u

struct fcgi_event {
	unsigned flags;
	struct fcgi_header hdr;
	struct slice content;
	struct fcgi_begin begin; /* BEGIN_REQUEST content event */
	struct fcgi_end end;     /* END_REQUEST content event */
	uint8_t unknown_type;    /* UNKNOWN_TYPE content event */
};

struct fcgi_stream {
	struct fcgi_stream_opts opts;
	enum fcgi_reason reason; /* set when fcgi_stream_next returns -1 */
	/* Internal state: */
	int state;
	struct fcgi_header hdr;
	uint8_t buf[FCGI_HEADER_LEN]; /* header or fixed body being gathered */
	size_t have;                  /* bytes in buf */
	size_t content_left;          /* size_t: 65535 + 255 must not wrap */
	size_t padding_left;
};

void fcgi_stream_init(struct fcgi_stream *s, const struct fcgi_stream_opts *o);
long fcgi_stream_next(struct fcgi_stream *s, const void *p, size_t len,
	struct fcgi_event *ev);
/* 1 if the stream stands between records (no partial record held). */
int fcgi_stream_at_boundary(const struct fcgi_stream *s);

/*
 * Name-value pairs (FastCGI 1.0 §3.4, fcgi_nv.c). Each length is one byte
 * (< 128) or four bytes with the top bit set (31 bits).
 *
 * fcgi_nv_decode() decodes one pair from p: returns the pair's size (> 0)
 * with nv's slices pointing into p, or 0 when p holds only part of a pair
 * (need more input). It cannot fail: every byte sequence is a prefix of
 * some pair. (A pair longer than LONG_MAX cannot be returned; on 32-bit
 * targets callers bound len below that, as every buffer here is.)
 *
 * fcgi_nv_next() walks a complete block of pairs (one GET_VALUES record's
 * content, or the concatenated contents of a PARAMS stream: the caller
 * joins PARAMS records up to its own limit, FCGI-NV-6). *off starts at 0.
 * Returns 1 with nv set and *off advanced, 0 at the end, or -1 with *why:
 * NV_TRUNCATED if the block ends inside a length prefix, or
 * NV_LENGTH_OVERFLOW if a declared length runs past the block's end (the
 * libfcgi CVE-2025-23016 shape).
 */
long fcgi_nv_decode(const void *p, size_t len, struct field *nv);
int fcgi_nv_next(const void *p, size_t len, size_t *off, struct field *nv,
	enum fcgi_reason *why);

/*
 * fcgi_nv_size(): encoded size of a pair, or 0 if a length exceeds 2^31-1.
 * fcgi_nv_encode(): write one pair (1-byte lengths below 128, else 4),
 * returning its size, or -1 (writing nothing) if it does not fit or a
 * length exceeds 2^31-1.
 */
size_t fcgi_nv_size(const struct field *nv);
long fcgi_nv_encode(void *dst, size_t cap, const struct field *nv);

/*
 * Encode n pairs as a stream of `type` records (PARAMS, or GET_VALUES /
 * GET_VALUES_RESULT with id 0) for request id. The pairs are one byte
 * stream cut into records of at most 65535 bytes, so a pair may straddle
 * records (FCGI-NV-7, FCGI-STREAM-2). Flags as fcgi_stream_encode():
 * PARAMS wants FCGI_ENC_END; a management record must fit one record, so
 * for GET_VALUES* more than 65535 bytes of pairs is -1. Returns bytes
 * written, or -1 (writing nothing) when it does not fit in cap or a pair
 * is too long. fcgi_nv_stream_size() gives the size, or 0 when it cannot
 * be encoded (or, for PARAMS without FCGI_ENC_END and no pairs, when there
 * is nothing to write; fcgi_nv_stream_encode() then returns 0).
 */
size_t fcgi_nv_stream_size(
	uint8_t type, const struct field *nv, size_t n, unsigned flags);
long fcgi_nv_stream_encode(void *dst, size_t cap, uint8_t type, uint16_t id,
	const struct field *nv, size_t n, unsigned flags);

#endif
