/*
 * gatecheck's own reading of FastCGI 1.0 records (§3.3) and name-value
 * pairs (§3.4), written from the spec, independent of the server's codec.
 *
 * Readers are pure: bytes in, a decoded struct out, and when the bytes are
 * wrong a reason code plus a sentence saying what is wrong and where, so a
 * failed conformance case can tell an application's author exactly which
 * byte broke which rule. Writers build the records gatecheck sends,
 * including deliberately odd ones (split pairs, 31-bit lengths).
 */
#ifndef GC_REC_H
#define GC_REC_H

#include <stddef.h>
#include <stdint.h>

#define REC_HEADER_LEN  8     /* FastCGI §3.3: FCGI_Header is 8 bytes */
#define REC_MAX_CONTENT 65535 /* contentLength is a 16-bit field */
#define REC_VERSION_1   1

enum rec_type {
	REC_BEGIN_REQUEST = 1,
	REC_ABORT_REQUEST = 2,
	REC_END_REQUEST = 3,
	REC_PARAMS = 4,
	REC_STDIN = 5,
	REC_STDOUT = 6,
	REC_STDERR = 7,
	REC_DATA = 8,
	REC_GET_VALUES = 9,
	REC_GET_VALUES_RESULT = 10,
	REC_UNKNOWN_TYPE = 11
};

enum rec_role { REC_RESPONDER = 1, REC_AUTHORIZER = 2, REC_FILTER = 3 };
#define REC_KEEP_CONN 1 /* FastCGI §5.1 flags bit */

/* FastCGI §5.5 protocolStatus values. */
enum rec_pstatus {
	REC_REQUEST_COMPLETE = 0,
	REC_CANT_MPX_CONN = 1,
	REC_OVERLOADED = 2,
	REC_UNKNOWN_ROLE = 3
};

/* Why bytes were refused. */
enum rec_err {
	REC_OK = 0,
	REC_E_VERSION,     /* version byte is not 1 */
	REC_E_NV_TRUNC,    /* a pair's length bytes run past the stream */
	REC_E_NV_OVERRUN,  /* a pair's name+value run past the stream */
	REC_E_END_LEN,     /* END_REQUEST body is not 8 bytes */
	REC_E_UNKNOWN_LEN, /* UNKNOWN_TYPE body is not 8 bytes */
	REC_E_BEGIN_LEN    /* BEGIN_REQUEST body is not 8 bytes */
};

/*
 * One decoded record. content points into the caller's buffer and is valid
 * as long as that buffer is.
 */
struct rec {
	unsigned version;
	unsigned type;
	unsigned id;
	unsigned clen;     /* contentLength */
	unsigned plen;     /* paddingLength */
	unsigned reserved; /* the header's last byte */
	const unsigned char *content;
};

/*
 * Decode one record from p[0..len). Returns the bytes it occupies
 * (header + content + padding, > 0), 0 when more input is needed, or -1
 * with *err set when the bytes cannot be a FastCGI 1.0 record.
 */
long
rec_read(const unsigned char *p, size_t len, struct rec *r, enum rec_err *err);

/* FastCGI §5.5 FCGI_EndRequestBody. 0, or -1 and *err. */
int rec_end_body(const struct rec *r, uint32_t *app_status, unsigned *pstatus,
	enum rec_err *err);

/* FastCGI §4.2 FCGI_UnknownTypeBody: the type it names. 0 or -1. */
int rec_unknown_body(const struct rec *r, unsigned *type, enum rec_err *err);

/* FastCGI §5.1 FCGI_BeginRequestBody. 0 or -1. */
int rec_begin_body(const struct rec *r, unsigned *role, unsigned *flags,
	enum rec_err *err);

/*
 * Decode the next name-value pair (§3.4) of a complete pair stream
 * p[0..len). Lengths are 1 byte when the high bit is clear, else 4 bytes
 * with the high bit masked off (31 bits). Returns bytes consumed (> 0), 0
 * at the end of the stream, -1 with *err when a length or the pair runs
 * past the end. name/value point into p.
 */
long rec_pair_next(const unsigned char *p, size_t len,
	const unsigned char **name, size_t *nlen, const unsigned char **value,
	size_t *vlen, enum rec_err *err);

/* A short English sentence for err. */
const char *rec_strerror(enum rec_err err);

/* "STDOUT", "END_REQUEST", ... or NULL for a type FastCGI 1.0 lacks. */
const char *rec_type_name(unsigned type);

/*
 * Writers. Each writes into out[0..cap) and returns bytes written, or -1
 * (writing nothing) when it does not fit.
 */
long rec_put_header(unsigned char *out, size_t cap, unsigned type, unsigned id,
	unsigned clen, unsigned plen);
long rec_put(unsigned char *out, size_t cap, unsigned type, unsigned id,
	const void *content, size_t clen, unsigned plen);
/* One pair; force4 writes 4-byte lengths even for short strings. */
long rec_put_pair(unsigned char *out, size_t cap, const void *name, size_t nlen,
	const void *value, size_t vlen, int force4);
/* A raw length field as §3.4 encodes it (1 or 4 bytes). */
long rec_put_len(unsigned char *out, size_t cap, uint32_t n, int force4);

#endif
