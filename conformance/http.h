/*
 * gatecheck's HTTP/1.1 reader (RFC 9112): the head of a request (what a
 * reverse proxy sends its backend) or of a response (what a gateway sends
 * its client), the message body length rules of RFC 9112 §6.3, and the
 * chunked transfer coding (§7.1).
 *
 * Like head.c it notes every deviation it can survive (bare LF, obs-fold,
 * two Content-Length fields, ...) as a problem bit rather than giving up,
 * so each case judges its own rule; only bytes no reading can frame
 * (no head end, a bad start line, a bare CR, NUL) are errors.
 * Pure: no I/O, no allocation; pointers point into the caller's buffer.
 */
#ifndef GC_HTTP_H
#define GC_HTTP_H

#include <stddef.h>

enum http_problem {
	HTTP_P_BARE_LF = 1 << 0,  /* a line ended by LF alone (§2.2) */
	HTTP_P_FOLD = 1 << 1,     /* obs-fold continuation (§5.2) */
	HTTP_P_NAME = 1 << 2,     /* field name not a token (RFC 9110 §5.1) */
	HTTP_P_WS_COLON = 1 << 3, /* whitespace before ':' (§5.1) */
	HTTP_P_CTL = 1 << 4,      /* CTL in a field value (RFC 9110 §5.5) */
	HTTP_P_DUP_CL = 1 << 5,   /* Content-Length given twice */
	HTTP_P_BAD_CL = 1 << 6,   /* Content-Length not 1*DIGIT, or differing */
	HTTP_P_CL_TE = 1 << 7,  /* both Transfer-Encoding and Content-Length */
	HTTP_P_BAD_TE = 1 << 8, /* Transfer-Encoding not ending in chunked */
	HTTP_P_NOCOLON = 1 << 9 /* a field line with no ':' */
};

enum http_err {
	HTTP_OK = 0,
	HTTP_E_START,   /* start line is not METHOD SP target SP HTTP/x.y or
			   HTTP/x.y SP 3DIGIT SP reason */
	HTTP_E_BARE_CR, /* CR not followed by LF */
	HTTP_E_NUL,     /* NUL in the head */
	HTTP_E_FIELDS,  /* more than HTTP_MAX_FIELDS fields */
	HTTP_E_TOO_BIG, /* no head end within HTTP_MAX_HEAD bytes */
	HTTP_E_CHUNK    /* chunked coding broken */
};

#define HTTP_MAX_FIELDS 128
#define HTTP_MAX_HEAD   65536 /* beyond this it is not a head we judge */

struct http_field {
	const char *name, *value; /* value without surrounding OWS */
	size_t nlen, vlen;
};

struct http_head {
	size_t len;  /* bytes up to and including the empty line */
	int request; /* 1: request line, 0: status line */
	const char *method, *target;
	size_t mlen, tlen;
	unsigned major, minor;
	unsigned status; /* response only */
	struct http_field field[HTTP_MAX_FIELDS];
	unsigned nfields;
	unsigned problems; /* enum http_problem bits */
};

/*
 * Read a head at p[0..len). request: 1 for a request, 0 for a response.
 * Returns its length (> 0), 0 when more bytes are needed, -1 with *err
 * set when the bytes cannot be a head.
 */
long http_read_head(const unsigned char *p, size_t len, int request,
	struct http_head *h, enum http_err *err);

/* The idx'th field called name (case-insensitive), or NULL. */
const struct http_field *
http_field(const struct http_head *h, const char *name, unsigned idx);
/* How many fields are called name. */
unsigned http_count(const struct http_head *h, const char *name);
/* 1 if the field's comma-separated list holds token tok (case-insens.). */
int http_has_token(const struct http_field *f, const char *tok);

/* How the body after a head is delimited (RFC 9112 §6.3). */
enum http_framing {
	HTTP_BODY_NONE,    /* no body: HEAD, 1xx, 204, 304, or no CL/TE */
	HTTP_BODY_LENGTH,  /* *length bytes */
	HTTP_BODY_CHUNKED, /* chunked coding */
	HTTP_BODY_CLOSE    /* response read until the connection closes */
};

/*
 * Framing of the body following h. head_request: the response answers a
 * HEAD request. Returns -1 when the framing is invalid (bad or differing
 * Content-Length, a request whose Transfer-Encoding is not chunked).
 */
int http_framing(const struct http_head *h, int head_request,
	unsigned long long *length);

/*
 * Decode a chunked body at p[0..len) (RFC 9112 §7.1) including its
 * trailer section. Data goes to out (which may be NULL; capacity len is
 * always enough) and its size to *outlen. Returns the bytes consumed
 * (> 0), 0 when more are needed (out and *outlen then hold the data
 * decoded so far), -1 when the coding is broken.
 * Bare-LF line ends are accepted only when lenient_lf is set.
 */
long http_chunked(const unsigned char *p, size_t len, unsigned char *out,
	size_t *outlen, int lenient_lf);

const char *http_strerror(enum http_err err);
const char *http_problem_str(unsigned bit);

#endif
