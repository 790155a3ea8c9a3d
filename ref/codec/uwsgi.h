/*
 * uwsgi packet codec: the 4-byte header (modifier1, 16-bit little-endian
 * datasize, modifier2) and the vars block of (u16 LE size, key, u16 LE
 * size, value) entries that carries a request's CGI variables.
 *
 * Data flow: the gateway (gw_scgi with the uwsgi protocol) frames the CGI
 * environment from cgi_env with uwsgi_encode_request() and sends the body
 * after it; a server reads a packet with uwsgi_decode(). Rules UWSGI-PKT-*,
 * UWSGI-VARS-* and UWSGI-ENC-* of spec/uwsgi.md.
 */
#ifndef GH_CODEC_UWSGI_H
#define GH_CODEC_UWSGI_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

/* Why uwsgi_decode() returned -1. Names: uwsgi_reason_name(). */
enum uwsgi_reason {
	UWSGI_OK = 0,
	UWSGI_MODIFIER_UNSUPPORTED, /* not 0/0 and no lenient-any-modifier */
	UWSGI_VARS_TOO_LARGE,       /* datasize > opts max_vars */
	UWSGI_KEY_SIZE_TRUNCATED,   /* 1 byte left where a key size starts */
	UWSGI_KEY_OVERRUN,          /* key size runs past the block */
	UWSGI_KEY_EMPTY,            /* key size 0 (UWSGI-VARS-3) */
	UWSGI_VALUE_SIZE_TRUNCATED, /* block ends before a value size */
	UWSGI_VALUE_OVERRUN,        /* value size runs past the block */
	UWSGI_TOO_MANY_VARS,        /* more vars than the caller's array */
	UWSGI_REASON_COUNT
};

/*
 * Options. By default only modifier1 0 / modifier2 0 (a WSGI-style
 * request with a vars block, what lighttpd and nginx send) is accepted.
 * Vector option names in [].
 */
#define UWSGI_LENIENT_ANY_MODIFIER                                             \
	0x1u                 /* [lenient-any-modifier] parse \
					   vars whatever the modifiers */
#define UWSGI_RAW_BLOCK 0x2u /* [raw-block] any modifiers, block not parsed */

/* Largest vars block the 16-bit datasize can frame. */
#define UWSGI_MAX_VARS 65535

struct uwsgi_opts {
	unsigned flags;  /* UWSGI_LENIENT_ANY_MODIFIER, UWSGI_RAW_BLOCK */
	size_t max_vars; /* largest datasize accepted; 0 = UWSGI_MAX_VARS,
			    i.e. no limit beyond the framing's own: the
			    block lives in the caller's buffer anyway */
};

/*
 * A decoded packet. Slices point into the buffer given to uwsgi_decode()
 * and stay valid while it is unchanged. vars is the caller's array.
 */
struct uwsgi_packet {
	uint8_t modifier1;
	uint8_t modifier2;
	size_t datasize;    /* bytes in block */
	struct slice block; /* the datasize bytes after the header */
	struct field *vars; /* caller's array, wire order; empty for raw */
	size_t n_vars;
};

/*
 * Decode one packet at p[0..len). len is everything received so far;
 * call again with more after a 0. vars/cap is the caller's array for the
 * vars (UWSGI_TOO_MANY_VARS when it is too small). opts may be NULL.
 *
 * Returns the packet's size (4 + datasize; a request body follows it),
 * 0 when incomplete but valid so far, or -1 with *why set. Header bytes
 * are judged as they arrive, so a wrong modifier or an oversized datasize
 * is refused before the block is read. Until the whole packet is there a
 * call reads only the 4-byte header, so calling again after every read
 * costs O(1).
 */
long uwsgi_decode(const char *p, size_t len, const struct uwsgi_opts *opts,
	struct uwsgi_packet *pkt, struct field *vars, size_t cap,
	enum uwsgi_reason *why);

/* UPPER_SNAKE name of a reason, as used in spec/vectors/uwsgi. */
const char *uwsgi_reason_name(enum uwsgi_reason r);

/* Encoder failures (nothing is written in any case). */
#define UWSGI_ENC_NOSPACE (-1) /* does not fit in cap: retry with more */
#define UWSGI_ENC_TOO_LARGE                                                    \
	(-2)                   /* vars block > 65535: cannot be framed,
				    the gateway answers 431 */
#define UWSGI_ENC_INVALID (-3) /* an empty key */

/*
 * Size of the vars block fields[0..n) make (without the 4-byte header).
 * It may exceed UWSGI_MAX_VARS: that is how a caller learns, before
 * encoding, that the request is too large. Saturates at SIZE_MAX.
 */
size_t uwsgi_vars_size(const struct field *fields, size_t n);

/*
 * Encode a request packet: header (modifier1, datasize LE, modifier2) and
 * the vars block, into dst[0..cap). lighttpd and nginx send modifier1 0
 * and modifier2 0 for requests; other values are written as given. The
 * size check is done on the full size_t sum before any 16-bit field is
 * written, so a block of 65536 bytes or more can never be sent with a
 * truncated size (UWSGI-ENC-1, the lighttpd CVE-2007-4727 and Apache
 * CVE-2020-11984 bug class).
 *
 * Returns bytes written (4 + vars size), UWSGI_ENC_NOSPACE,
 * UWSGI_ENC_TOO_LARGE or UWSGI_ENC_INVALID.
 */
long uwsgi_encode_request(char *dst, size_t cap, uint8_t modifier1,
	uint8_t modifier2, const struct field *fields, size_t n);

#endif
