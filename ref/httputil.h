/*
 * Pure helpers for the static file handler: byte ranges (RFC 9110
 * §14.1.2), HTTP dates (RFC 9110 §5.6.7), entity-tag lists (RFC 9110
 * §13.1.2) and mimetype.assign lookups. No I/O, no allocation; unit tested
 * in ref/test/test_httputil.c.
 */
#ifndef GH_HTTPUTIL_H
#define GH_HTTPUTIL_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "codec/slice.h"
#include "config.h"

enum httputil_range {
	RANGE_NONE,          /* no usable single range: send the whole file */
	RANGE_OK,            /* *first..*last (inclusive) */
	RANGE_UNSATISFIABLE, /* 416 */
};

/*
 * Parse a Range value against a representation of size bytes. Only a
 * single "bytes=" range is honoured; several ranges, other units and
 * syntax errors give RANGE_NONE (the whole file, RFC 9110 §14.2 allows
 * ignoring Range). "bytes=a-b", "bytes=a-" and "bytes=-n" are accepted.
 */
enum httputil_range
httputil_range(struct slice v, off_t size, off_t *first, off_t *last);

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); 0 or -1. */
int httputil_date_parse(struct slice v, time_t *out);

/* Does the If-None-Match list v match etag (weak comparison, "*")? */
int httputil_etag_match(struct slice v, const char *etag);

/*
 * Content type for path from mimetype.assign's items (key => string):
 * the longest key that is a suffix of path wins; an empty key is the
 * fallback. NULL when nothing matches.
 */
const char *httputil_mime(
	const char *path, size_t len, const struct cfg_value *items, size_t n);

/*
 * A response head under construction in caller space: appends never
 * overflow; once something did not fit, over is set and the head must
 * not be used. printf-free, since formatting is most of a small
 * response's cost.
 */
struct hbuf {
	char *p;
	size_t len, cap;
	int over;
};

void hb_put(struct hbuf *h, const char *s, size_t n);
void hb_str(struct hbuf *h, const char *s);
void hb_num(struct hbuf *h, long long v);
/* "Name: value\r\n" */
void hb_field(struct hbuf *h, const char *name, const char *value);

#endif
