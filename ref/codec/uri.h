/*
 * URI path normalisation for origin-form request targets.
 *
 * Data flow: the HTTP/1.1 request-head codec hands over the request-target;
 * this codec splits the query off at the first '?', percent-decodes the
 * path once, removes dot segments and writes the result into caller space.
 * Routing, SCRIPT_NAME/PATH_INFO and file mapping all work on that output.
 * Rules: spec/uri.md (URI-*), from RFC 3986 §2.1-§2.4, §3.3, §5.2.4, §6.2
 * and RFC 9110 §4.2.3, with lighttpd's server.http-parseopts as options.
 */
#ifndef GH_CODEC_URI_H
#define GH_CODEC_URI_H

#include <stddef.h>

#include "codec/slice.h"

/*
 * Options, OR-ed together; 0 is the strict default. Each is named after the
 * lighttpd server.http-parseopts key it mirrors (spec/uri.md, "Options").
 */
#define URI_2F_DECODE       0x01u /* %2F becomes '/' (url-path-2f-decode) */
#define URI_2F_REJECT       0x02u /* %2F is an error; beats 2F_DECODE */
#define URI_DOTSEG_REJECT   0x04u /* "." / ".." segment is an error */
#define URI_MERGE_SLASHES   0x08u /* "//" collapses to "/" (nginx style) */
#define URI_BACKSLASH_TRANS 0x10u /* '\' and %5C become '/' */
#define URI_CTRLS_ALLOW     0x20u /* decoded %01-%1F, %7F are kept */
#define URI_LENIENT_CHARS   0x40u /* raw bytes outside pchar are kept */

enum uri_reason {
	URI_OK = 0,
	URI_BAD_PERCENT,   /* '%' not followed by two hex digits */
	URI_NUL,           /* raw NUL or %00 anywhere */
	URI_CTL,           /* raw control byte, or a decoded one */
	URI_BAD_CHAR,      /* raw byte outside pchar / "/" (and "?" in query) */
	URI_ENCODED_SLASH, /* %2F under URI_2F_REJECT */
	URI_DOTSEG,        /* dot segment under URI_DOTSEG_REJECT */
	URI_NOT_ABSOLUTE,  /* path empty or not starting with '/' */
	URI_TOO_LONG,      /* output does not fit the caller's space */
};

/*
 * Result of a normalisation. path points into the caller's out buffer and
 * stays valid while that buffer is unchanged; query points into the input.
 * The path contains decoded bytes, except that without URI_2F_DECODE or
 * URI_2F_REJECT the sequences %2F and %25 stay encoded (upper-case hex), so
 * in that mode a '%' in the output always starts "%2F" or "%25" and the
 * output can be decoded again without ambiguity (URI-PCT-5).
 */
struct uri_path {
	struct slice path;  /* normalised, decoded path; starts with '/' */
	struct slice query; /* raw bytes after the first '?'; not decoded */
	int has_query;      /* 1 if a '?' was present (query may be empty) */
	enum uri_reason reason; /* why -1 was returned */
	size_t err_off;         /* input offset of the offending byte */
};

/*
 * Normalise the request-target in[0..len) into out[0..cap).
 * Returns len (all bytes consumed; the target is complete by the time the
 * head codec delivers it, so there is no "need more" result) or -1 with
 * res->reason and res->err_off set. cap >= len always suffices: decoding
 * and dot removal only shrink. A smaller cap gives URI_TOO_LONG as soon as
 * the decoded path (before a later ".." removes a segment) passes it.
 * out may be written on error.
 */
long uri_path_normalize(const char *in, size_t len, unsigned opts, char *out,
	size_t cap, struct uri_path *res);

/*
 * Percent-encode a normalised path (as produced with the same opts) back
 * into a request-target path, e.g. for proxying it (URI-ENC-1). Bytes that
 * are pchar or '/' are copied; every other byte becomes %HH (upper case).
 * A '%' is copied as is when opts keep %2F encoded (it already starts an
 * escape), and becomes %25 otherwise. Returns bytes written or -1, writing
 * nothing, when the result does not fit in cap.
 */
long uri_path_encode(
	const char *path, size_t len, unsigned opts, char *out, size_t cap);

/*
 * Split a normalised path at prefix[0..plen) for SCRIPT_NAME/PATH_INFO
 * (URI-SPLIT-1): succeeds only when path starts with the prefix and the
 * prefix ends at a segment boundary (end of path, next byte '/', or the
 * prefix itself ends in '/'). script is the prefix part of path, info the
 * rest (possibly empty). Returns 0, or -1 leaving script/info untouched.
 */
int uri_path_split(struct slice path, const char *prefix, size_t plen,
	struct slice *script, struct slice *info);

/* UPPER_SNAKE name of a reason, as used in vectors ("BAD_PERCENT"). */
const char *uri_reason_name(enum uri_reason r);

#endif
