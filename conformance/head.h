/*
 * gatecheck's reader of the response head an application writes: a CGI
 * response head (RFC 3875 §6: Status, Content-Type, Location and other
 * fields, ended by an empty line) or an NPH-style HTTP status line, as
 * uWSGI and some SCGI servers send.
 *
 * The reader does not stop at the first mistake: it records every kind of
 * problem it sees (a bit per rule) with the offset of its first
 * occurrence, so each conformance case judges exactly its own rule.
 * Pure: no I/O, no allocation; pointers point into the caller's buffer.
 */
#ifndef GC_HEAD_H
#define GC_HEAD_H

#include <stddef.h>

/* One bit per rule a head can break. */
enum head_problem {
	HEAD_P_NAME = 1 << 0,      /* field name not a token (RFC 9110 §5.1) */
	HEAD_P_NOCOLON = 1 << 1,   /* a line with no ':' */
	HEAD_P_CTL = 1 << 2,       /* CTL or NUL in a value (RFC 9110 §5.5) */
	HEAD_P_BARE_CR = 1 << 3,   /* CR not followed by LF */
	HEAD_P_STATUS = 1 << 4,    /* Status not 3DIGIT (RFC 3875 §6.3.3) */
	HEAD_P_STATUS_SP = 1 << 5, /* Status code without SP reason */
	HEAD_P_DUP_STATUS = 1 << 6, /* Status more than once */
	HEAD_P_DUP_CTYPE = 1 << 7,  /* Content-Type more than once */
	HEAD_P_LOCATION = 1 << 8,   /* Location not URI or /path (§6.3.2) */
	HEAD_P_CTYPE = 1 << 9,     /* Content-Type not type/subtype (§6.3.1) */
	HEAD_P_CL = 1 << 10,       /* Content-Length not digits */
	HEAD_P_FOLD = 1 << 11,     /* obs-fold continuation line */
	HEAD_P_NPH_LINE = 1 << 12, /* malformed HTTP status line */
	HEAD_P_MIXED_EOL = 1 << 13,   /* both LF and CRLF line ends */
	HEAD_P_STATUS_RANGE = 1 << 14 /* status outside 100..599 */
};
#define HEAD_NPROBLEMS 15

/* Hard cap on a head: beyond this, it is not a head. */
#define HEAD_MAX 65536

struct head {
	size_t len;       /* bytes up to and including the empty line */
	int nph;          /* first line was "HTTP/x.y NNN ..." */
	unsigned status;  /* from Status: or the NPH line; 0 when absent */
	unsigned nfields; /* header fields (not the NPH line) */
	int has_status, has_ctype, has_location;
	long content_length;          /* -1 when absent or invalid */
	unsigned problems;            /* enum head_problem bits */
	size_t where[HEAD_NPROBLEMS]; /* offset of first occurrence per bit */
	const unsigned char *location;
	size_t location_len;
};

/*
 * Read the head at p[0..len). Returns its length (> 0) with h filled in,
 * 0 when no empty line has arrived yet (and len < HEAD_MAX), or -1 when
 * HEAD_MAX bytes hold no complete head.
 */
long head_read(const unsigned char *p, size_t len, struct head *h);

/* One sentence naming the rule behind a problem bit. */
const char *head_problem_str(unsigned bit);

#endif
