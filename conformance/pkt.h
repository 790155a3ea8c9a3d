/*
 * gatecheck's reading of the two single-packet gateway protocols: the SCGI
 * request (a netstring of NUL-separated header pairs, then the body; SCGI
 * protocol text, N. Schemenauer) and the uwsgi packet (4-byte header:
 * modifier1, little-endian 16-bit datasize, modifier2; then vars, each a
 * little-endian 16-bit length and bytes; uwsgi-docs "The uwsgi Protocol").
 *
 * App mode writes these (pkt_*_put); the readers are used by gateway mode
 * to judge what a gateway sends, and are unit-tested and fuzzed. Pure.
 */
#ifndef GC_PKT_H
#define GC_PKT_H

#include <stddef.h>

enum pkt_err {
	PKT_OK = 0,
	PKT_E_LENGTH,     /* netstring length not digits, or leading zero */
	PKT_E_COLON,      /* no ':' after the length */
	PKT_E_COMMA,      /* no ',' after the netstring */
	PKT_E_PAIR,       /* a name without its NUL-terminated value */
	PKT_E_FIRST_CL,   /* first header is not CONTENT_LENGTH */
	PKT_E_CL,         /* CONTENT_LENGTH not digits */
	PKT_E_NO_SCGI,    /* no SCGI=1 header */
	PKT_E_DUP,        /* a header name given twice */
	PKT_E_EMPTY_NAME, /* an empty header name */
	PKT_E_VAR         /* uwsgi var length runs past the packet */
};

/* The longest netstring length we read: 9 digits (< 1 GB). */
#define PKT_MAX_DIGITS 9

struct pkt_scgi {
	const unsigned char *headers; /* pairs, inside the caller's buffer */
	size_t headers_len;
	unsigned long content_length;
	unsigned npairs;
};

/*
 * Read an SCGI request head at p[0..len): returns the bytes up to and
 * including the ',' (> 0), 0 for more input, -1 with *err.
 */
long pkt_scgi_read(const unsigned char *p, size_t len, struct pkt_scgi *s,
	enum pkt_err *err);

/*
 * Next NUL-terminated name/value pair in p[0..len) (a validated headers
 * block). Returns bytes consumed, 0 at the end, -1 on a broken pair.
 */
long pkt_scgi_pair_next(const unsigned char *p, size_t len, const char **name,
	size_t *nlen, const char **value, size_t *vlen);

#define PKT_UWSGI_HEADER 4

struct pkt_uwsgi {
	unsigned modifier1, modifier2;
	size_t datasize;
	const unsigned char *vars;
	unsigned nvars;
};

/*
 * Read a uwsgi packet at p[0..len): returns 4 + datasize (> 0), 0 for more
 * input, -1 with *err when a var's lengths run past datasize.
 */
long pkt_uwsgi_read(const unsigned char *p, size_t len, struct pkt_uwsgi *u,
	enum pkt_err *err);

/* Next var in p[0..len): bytes consumed, 0 at end, -1 when truncated. */
long pkt_uwsgi_var_next(const unsigned char *p, size_t len,
	const unsigned char **key, size_t *klen, const unsigned char **val,
	size_t *vlen);

/* Writers: bytes written, or -1 (nothing written) when it does not fit. */
long pkt_uwsgi_put_var(unsigned char *out, size_t cap, const void *key,
	size_t klen, const void *val, size_t vlen);
long pkt_uwsgi_put_header(unsigned char *out, size_t cap, unsigned mod1,
	size_t datasize, unsigned mod2);

const char *pkt_strerror(enum pkt_err err);

#endif
