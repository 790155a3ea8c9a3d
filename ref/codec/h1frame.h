/*
 * HTTP/1.1 message framing decision (RFC 9112 §6.1 and the eight rules of
 * §6.3): given a parsed head, how long is the body? The head codecs hand
 * their fields here; the answer picks the body reader (a byte count, the
 * chunked decoder, read-until-close, or nothing) and says whether the
 * connection must close afterwards. Pure function, no input bytes kept.
 * Rules: spec/http1-framing.md H1-FRAME-1 .. H1-FRAME-17.
 */
#ifndef GH_CODEC_H1FRAME_H
#define GH_CODEC_H1FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

enum h1frame_kind {
	H1FRAME_NONE = 0,    /* no body (length 0) */
	H1FRAME_LENGTH,      /* exactly .length bytes follow */
	H1FRAME_CHUNKED,     /* chunked body: feed it to chunked_decode() */
	H1FRAME_UNTIL_CLOSE, /* response body runs until the peer closes */
	H1FRAME_ERROR,       /* framing is faulty; .reason says why */
};

/* Why the kind is H1FRAME_ERROR. The suggested status is for a request
 * from a client; a backend response with any of these is a 502. */
enum h1frame_reason {
	H1FRAME_OK = 0,
	H1FRAME_TE_HTTP10,  /* 400: Transfer-Encoding in HTTP/1.0 */
	H1FRAME_TE_INVALID, /* 400: Transfer-Encoding is not a coding list */
	H1FRAME_TE_CHUNKED_TWICE, /* 400: chunked applied more than once */
	H1FRAME_TE_NOT_CHUNKED,   /* 400: final coding is not chunked */
	H1FRAME_TE_UNSUPPORTED,   /* 501: a request coding other than chunked */
	H1FRAME_CL_INVALID,       /* 400: Content-Length is not 1*DIGIT */
	H1FRAME_CL_DUPLICATE,     /* 400: Content-Length repeated (strict) */
	H1FRAME_CL_CONFLICT,      /* 400: Content-Length values differ */
	H1FRAME_CL_AND_TE,        /* 400: both present (reject-cl-te) */
};

/* Options (spec/http1-framing.md "Options"); the default, 0, is strict. */
#define H1FRAME_REJECT_CL_TE       0x1u /* reject-cl-te */
#define H1FRAME_LENIENT_CL_LIST    0x2u /* lenient-cl-list */
#define H1FRAME_STRICT_RESPONSE_TE 0x4u /* strict-response-te */

/* The head facts framing depends on. Nothing here is kept after the
 * call. */
struct h1frame_msg {
	int is_request;      /* 1: a request; 0: a response */
	struct slice method; /* the request's method; for a response, the
			      * method of the request it answers */
	int status;          /* response status code; unused for requests */
	int version;         /* 10 for HTTP/1.0, 11 for HTTP/1.1 */
	const struct field *fields; /* header fields in received order, names
				     * and values without surrounding OWS */
	size_t nfields;
};

struct h1frame {
	enum h1frame_kind kind;
	uint64_t length; /* H1FRAME_LENGTH: body bytes (<= 2^63-1) */
	int must_close;  /* 1: close the connection after this message
				   * (framing's reason only; Connection: close
				   * and HTTP/1.0 persistence are decided by
				   * the caller) */
	enum h1frame_reason reason; /* H1FRAME_ERROR only */
};

/*
 * Decide how m's body is framed. Fills *out and returns out->kind. Never
 * fails in any other way: malformed framing is H1FRAME_ERROR with a reason
 * and must_close set (RFC 9112 §6.3 rules 4 and 5: respond, then close).
 * opts is a mask of H1FRAME_* options.
 */
enum h1frame_kind
h1frame_decide(const struct h1frame_msg *m, unsigned opts, struct h1frame *out);

const char *h1frame_reason_name(enum h1frame_reason r);
const char *h1frame_kind_name(enum h1frame_kind k);

#endif
