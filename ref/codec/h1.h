/*
 * HTTP/1.1 message heads: the request head a client sends us (request
 * line + field lines + empty line) and the response head an HTTP backend
 * sends the proxy (status line + field lines + empty line).
 * Sits right after the connection's input buffer: conn hands the bytes
 * read so far to h1_req_parse(); the proxy hands backend bytes to
 * h1_resp_parse(). Framing (Content-Length / Transfer-Encoding) is decided
 * afterwards from the fields by h1frame.
 * Rules: spec/http1.md H1-REQ-*, H1-TARGET-*, H1-FIELD-*, H1-RESP-*,
 * H1-LIMIT-* (RFC 9112 §2-§5, RFC 9110 §5, §9, §15).
 */
#ifndef GH_CODEC_H1_H
#define GH_CODEC_H1_H

#include <stddef.h>

#include "codec/slice.h"

/*
 * Why a parse returned -1. h1_reason_name() gives the UPPER_SNAKE name
 * used in spec/vectors/http1-*; h1_reason_status() the HTTP status.
 */
enum h1_reason {
	H1_OK = 0,
	H1_BARE_CR,               /* CR not followed by LF (400) */
	H1_BARE_LF,               /* LF without CR, strict mode (400) */
	H1_BAD_REQUEST_LINE,      /* not "method SP target SP version" (400) */
	H1_BAD_METHOD,            /* method is not a token (400) */
	H1_BAD_TARGET,            /* target bytes or syntax invalid (400) */
	H1_TARGET_FORM,           /* form not allowed for the method (400) */
	H1_BAD_VERSION,           /* not "HTTP/" DIGIT "." DIGIT (400) */
	H1_VERSION_UNSUPPORTED,   /* well formed, major not 1 (505) */
	H1_BAD_STATUS_LINE,       /* not "version SP code SP reason" (502) */
	H1_BAD_STATUS_CODE,       /* not 3 digits in 100..599 (502) */
	H1_BAD_REASON_PHRASE,     /* CTL in the reason phrase (502) */
	H1_OBS_FOLD,              /* line starting with SP/HTAB (400) */
	H1_SPACE_BEFORE_COLON,    /* whitespace between name and ':' (400) */
	H1_BAD_FIELD_NAME,        /* empty or not a token (400) */
	H1_MISSING_COLON,         /* field line without ':' (400) */
	H1_BAD_FIELD_VALUE,       /* NUL, CTL or DEL in a value (400) */
	H1_REQUEST_LINE_TOO_LONG, /* over max_line (414) */
	H1_STATUS_LINE_TOO_LONG,  /* over max_line (502) */
	H1_FIELD_LINE_TOO_LONG,   /* over max_field_line (431) */
	H1_TOO_MANY_FIELDS,       /* over max_fields or the array (431) */
	H1_HEAD_TOO_LARGE,        /* head over max_head (431) */
	H1_REASON_COUNT
};

/* Leniencies; every one is off by default (spec/http1.md "Options"). */
#define H1_LENIENT_BARE_LF      0x1u /* lenient-bare-lf: LF ends a line */
#define H1_LENIENT_NO_REASON_SP 0x2u /* lenient-no-reason-sp: "HTTP/1.1 200" */
#define H1_LENIENT_TARGET_CHARS 0x4u /* lenient-target-chars: any VCHAR but # */

/*
 * Limits and leniencies. A zero limit means the default for the direction
 * being parsed; a NULL opts pointer means all defaults. Lengths count
 * every byte of a line including its CRLF.
 */
struct h1_opts {
	unsigned flags;        /* H1_LENIENT_* */
	size_t max_line;       /* request or status line: max-line=N */
	size_t max_field_line; /* one field line: max-field-line=N */
	size_t max_fields;     /* field lines: max-fields=N */
	size_t max_head;       /* whole head incl. final CRLF: max-head=N */
};

/*
 * Request defaults follow lighttpd: server.max-request-field-size (8192)
 * bounds the whole head, request line included; a single line may use all
 * of it, so the request line and field line limits equal it (and the
 * request line's own limit is checked first, giving 414, not 431).
 * lighttpd does not count fields separately (the 8 KiB bounds them to
 * about 2000); we cap at 100 like Apache's LimitRequestFields so a
 * caller's field array stays small (100 * 32 bytes).
 */
#define H1_REQ_MAX_LINE       8192
#define H1_REQ_MAX_FIELD_LINE 8192
#define H1_REQ_MAX_FIELDS     100
#define H1_REQ_MAX_HEAD       8192
/*
 * Response defaults follow lighttpd's backend response parser: a head of
 * at most 65535 bytes; lines are only bounded by that. Fields: backends
 * (PHP apps setting many cookies) send more than clients do; 1000 still
 * bounds the caller's array.
 */
#define H1_RESP_MAX_LINE       65535
#define H1_RESP_MAX_FIELD_LINE 65535
#define H1_RESP_MAX_FIELDS     1000
#define H1_RESP_MAX_HEAD       65535

/* Methods the server has names for (RFC 9110 §9.3, RFC 5789). */
enum h1_method {
	H1_METHOD_OTHER = 0, /* a valid token we do not know: server says 501 */
	H1_METHOD_GET,
	H1_METHOD_HEAD,
	H1_METHOD_POST,
	H1_METHOD_PUT,
	H1_METHOD_DELETE,
	H1_METHOD_CONNECT,
	H1_METHOD_OPTIONS,
	H1_METHOD_TRACE,
	H1_METHOD_PATCH
};

/* Request-target forms, RFC 9112 §3.2.1-§3.2.4. */
enum h1_form {
	H1_FORM_ORIGIN = 1, /* "/path?query" */
	H1_FORM_ABSOLUTE,   /* "http://host/path" */
	H1_FORM_AUTHORITY,  /* "host:port", CONNECT only */
	H1_FORM_ASTERISK    /* "*", OPTIONS only */
};

/*
 * A parsed request head. The caller sets fields and fields_cap; the parser
 * sets everything else. Every slice points into the buffer given to
 * h1_req_parse() and stays valid while that buffer is unchanged.
 */
struct h1_req {
	struct field *fields; /* in: caller's array */
	size_t fields_cap;    /* in: its capacity */
	size_t nfields;       /* out: fields stored, in received order */
	struct slice method;
	enum h1_method method_id;
	struct slice target;
	enum h1_form form;
	int minor;             /* HTTP/1.<minor>; >1 is served as 1.1 */
	enum h1_reason reason; /* set when the parse returned -1 */
};

/* A parsed response head; same ownership rules as struct h1_req. */
struct h1_resp {
	struct field *fields;
	size_t fields_cap;
	size_t nfields;
	int minor;
	int status;          /* 100..599 */
	struct slice reason; /* reason phrase, may be empty */
	enum h1_reason why;  /* set when the parse returned -1 */
};

/*
 * Parse the request head at the start of buf[0..len).
 *
 * Returns the head's length in bytes (request line through the empty
 * line, including up to any number of empty lines before the request
 * line, RFC 9112 §2.2) when it is complete; 0 when more bytes are needed;
 * -1 when it is malformed or over a limit (r->reason says why).
 * Stateless: after 0, call again with the same bytes plus more. The
 * result never depends on how the bytes arrived: a line is judged only
 * once it is complete or once it is already over a limit.
 * Field names are as received; values have leading and trailing
 * SP/HTAB removed; duplicates are kept in order. The method is any token;
 * method_id says whether it is one we know (deciding 501 is the server's).
 */
long h1_req_parse(
	const char *buf, size_t len, const struct h1_opts *o, struct h1_req *r);

/*
 * Parse a response head at the start of buf[0..len); return values as
 * for h1_req_parse(), with r->why set on -1. A 1xx response is a complete
 * head like any other: the caller handles it and parses the next one.
 */
long h1_resp_parse(const char *buf, size_t len, const struct h1_opts *o,
	struct h1_resp *r);

/*
 * Write "method SP target SP HTTP/1.minor CRLF", each field as
 * "name: value CRLF", then CRLF, into dst[0..cap). Returns the bytes
 * written, or -1 (writing nothing) when it does not fit or minor is not
 * 0..9. The parts are written as given: the caller passes parsed or
 * otherwise valid bytes.
 */
long h1_req_encode(char *dst, size_t cap, const struct h1_req *r);

/* Same for "HTTP/1.minor SP status SP reason CRLF" and the fields; -1 also
 * when status is not 100..599. */
long h1_resp_encode(char *dst, size_t cap, const struct h1_resp *r);

/* "GET" for H1_METHOD_GET...; NULL for H1_METHOD_OTHER. */
const char *h1_method_name(enum h1_method m);
/* "origin", "absolute", "authority", "asterisk". */
const char *h1_form_name(enum h1_form f);
/* UPPER_SNAKE name of a reason ("BARE_CR"); "OK" for H1_OK. */
const char *h1_reason_name(enum h1_reason r);
/*
 * The status to answer a client whose request failed with r: 400, 414,
 * 431 or 505 (0 for H1_OK). Any response-head failure is a 502 from the
 * gateway whatever the reason (ARCHITECTURE.md failure table), so the
 * response-only reasons map to 502. 501 is not a parse failure: the
 * server answers it for H1_METHOD_OTHER.
 */
int h1_reason_status(enum h1_reason r);

#endif
