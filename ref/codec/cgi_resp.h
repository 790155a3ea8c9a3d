/*
 * CGI response head codec: the header block a CGI script, or a FastCGI,
 * SCGI or uwsgi application, writes before its body (RFC 3875 §6).
 *
 * Data flow: backend bytes (a CGI's stdout, FastCGI STDOUT records, the
 * SCGI/uwsgi stream) -> cgi_resp_decode() -> the gateway, which maps the
 * result to an HTTP response head for the client, a local redirect, or a
 * 502. Rules: spec/cgi.md CGI-RESP-* and CGI-NPH-*.
 *
 * Pure code: no allocation, no I/O. Outputs are slices into the caller's
 * buffer and stay valid while that buffer is unchanged.
 */
#ifndef GH_CODEC_CGI_RESP_H
#define GH_CODEC_CGI_RESP_H

#include <stddef.h>
#include <stdint.h>

#include "codec/slice.h"

/*
 * Why a head was refused. Every reason means "the backend is broken": the
 * gateway answers 502 (RFC 9110 §15.6.3) and closes the backend; see
 * cgi_resp_reason_status().
 */
enum cgi_resp_reason {
	CGI_RESP_OK = 0,
	CGI_RESP_HEAD_TOO_LARGE,     /* no end of head within max_head */
	CGI_RESP_TOO_MANY_FIELDS,    /* more fields than the caller's array */
	CGI_RESP_NO_COLON,           /* a field line without ':' */
	CGI_RESP_BAD_FIELD_NAME,     /* empty name or a non-token byte */
	CGI_RESP_SPACE_BEFORE_COLON, /* "Name : v" */
	CGI_RESP_OBS_FOLD,           /* a line starting with SP or HTAB */
	CGI_RESP_BARE_CR,            /* CR not followed by LF */
	CGI_RESP_BAD_FIELD_VALUE,    /* NUL or another control byte */
	CGI_RESP_BAD_STATUS,         /* Status not "3DIGIT [SP reason]" */
	CGI_RESP_BAD_STATUS_LINE,    /* NPH "HTTP/1.x NNN reason" malformed */
	CGI_RESP_DUPLICATE_CGI_FIELD, /* Status, Location or Content-Type twice */
	CGI_RESP_BAD_LOCATION,        /* neither /path nor absolute URI */
	CGI_RESP_BAD_CONTENT_LENGTH, /* not 1*DIGIT, too big, or conflicting */
	CGI_RESP_TRANSFER_ENCODING,  /* TE present (or not chunked, or + CL) */
	CGI_RESP_NO_CGI_FIELD,       /* none of Status/Location/Content-Type */
	CGI_RESP_REASON_COUNT
};

/* Options: bit flags. 0 is the strict default (spec/cgi.md "Options"). */
/* The head must start with "HTTP/1.x NNN reason" (an nph- script). */
#define CGI_RESP_NPH 0x01u
/* A first line starting with "HTTP/" is a status line (lighttpd does so). */
#define CGI_RESP_DETECT_NPH 0x02u
/* Accept a relative Location ("../x"), passed on like a client redirect. */
#define CGI_RESP_LENIENT_RELATIVE_LOCATION 0x04u
/* Accept a head with no Status, Location or Content-Type (then 200). */
#define CGI_RESP_LENIENT_NO_CGI_FIELD 0x08u
/* Accept "Transfer-Encoding: chunked" (alone); the gateway de-chunks. */
#define CGI_RESP_ALLOW_TE_CHUNKED 0x10u

/*
 * Default head limit: 64 KiB, the size lighttpd accepts (65535), large
 * enough for any sane set of cookies yet a bound a broken backend cannot
 * push memory past. Hard ceiling 16 MiB so counts fit an int.
 */
#define CGI_RESP_MAX_HEAD_DEFAULT 65536u
#define CGI_RESP_MAX_HEAD_CEILING (16u * 1024u * 1024u)
/* Suggested field array size: 100 fields, as nginx/h2o-class servers cap
 * response headers; a real application sends a dozen. */
#define CGI_RESP_MAX_FIELDS_DEFAULT 100u

struct cgi_resp_opts {
	unsigned flags;  /* CGI_RESP_* bits above */
	size_t max_head; /* bytes incl. the empty line; 0 = the default */
};

enum cgi_resp_type {
	CGI_RESP_DOCUMENT,        /* no Location (RFC 3875 §6.2.1) */
	CGI_RESP_LOCAL_REDIRECT,  /* only "Location: /path" (§6.2.2) */
	CGI_RESP_CLIENT_REDIRECT, /* any other head with Location (§6.2.3/4) */
};

enum cgi_resp_loc {
	CGI_RESP_LOC_NONE,
	CGI_RESP_LOC_LOCAL,    /* starts with '/' (local-pathquery) */
	CGI_RESP_LOC_ABSOLUTE, /* scheme ":" ... (fragment-URI) */
	CGI_RESP_LOC_RELATIVE, /* only with LENIENT_RELATIVE_LOCATION */
};

/*
 * A decoded head. Slices point into the decoded buffer. fields[] (the
 * caller's array) holds every field except Status, in received order,
 * names and values as sent (value without surrounding whitespace).
 */
struct cgi_resp {
	/* Status field or NPH line; else 302 with a Location; else 200. */
	int status;
	int has_status;      /* a Status field or NPH line set status */
	int nph_minor;       /* -1, or x of the "HTTP/1.x" status line */
	struct slice reason; /* reason phrase; len 0 (p may be NULL) if none */
	enum cgi_resp_type type;
	enum cgi_resp_loc location_kind;
	struct slice location;     /* valid if location_kind != NONE */
	struct slice content_type; /* p == NULL if absent */
	int64_t content_length;    /* -1 if absent */
	int chunked;               /* Transfer-Encoding: chunked accepted */
	size_t nfields;
};

/*
 * Decode the head at buf[0..len). Stateless: call again with the whole
 * buffer (old bytes plus new) when more arrives; each call costs
 * O(min(len, max_head)).
 *
 * Returns the head's length in bytes including its empty line (> 0) when
 * complete; the body starts at buf + that. Returns 0 when more input is
 * needed (nothing wrong in the complete lines so far). Returns -1 when
 * malformed, with *why set; *r and fields[] are then unspecified. o may
 * be NULL (strict, default limit). max_fields is the capacity of fields[]
 * and the field limit (CGI-RESP-LIMIT-2); Status never takes a slot.
 * Lines end in LF or CRLF, mixed freely (CGI-RESP-LINE-1).
 */
int cgi_resp_decode(const char *buf, size_t len, const struct cgi_resp_opts *o,
	struct cgi_resp *r, struct field *fields, size_t max_fields,
	enum cgi_resp_reason *why);

/*
 * Encode a canonical CGI head into dst[0..cap): "Status: NNN reason\r\n"
 * when status != 0 (reason may be empty), each field as "Name: value\r\n",
 * then "\r\n". Returns bytes written, or -1 (nothing written) when it does
 * not fit or status is outside 100..599. Inputs are not validated further:
 * the caller passes well-formed names and values.
 */
int cgi_resp_encode(char *dst, size_t cap, int status, struct slice reason,
	const struct field *fields, size_t n);

/* UPPER_SNAKE name of a reason, as in vectors' "result: error NAME". */
const char *cgi_resp_reason_name(enum cgi_resp_reason why);

/* The client status a gateway sends for a refused head: always 502. */
int cgi_resp_reason_status(enum cgi_resp_reason why);

#endif
