/*
 * HTTP/1.1 head codec: the reason names and the reason -> status map
 * shared by the request parser (h1_req.c) and the response parser
 * (h1_resp.c). The parsing itself is in those two files and h1_int.h.
 * Rules: spec/http1.md H1-LIMIT-5 (which status each failure gets).
 */
#include "codec/h1.h"

/* Arrays of chars, not pointers: no relocated (writable-section) data. */
static const char reason_names[H1_REASON_COUNT][24] = {
	[H1_OK] = "OK",
	[H1_BARE_CR] = "BARE_CR",
	[H1_BARE_LF] = "BARE_LF",
	[H1_BAD_REQUEST_LINE] = "BAD_REQUEST_LINE",
	[H1_BAD_METHOD] = "BAD_METHOD",
	[H1_BAD_TARGET] = "BAD_TARGET",
	[H1_TARGET_FORM] = "TARGET_FORM",
	[H1_BAD_VERSION] = "BAD_VERSION",
	[H1_VERSION_UNSUPPORTED] = "VERSION_UNSUPPORTED",
	[H1_BAD_STATUS_LINE] = "BAD_STATUS_LINE",
	[H1_BAD_STATUS_CODE] = "BAD_STATUS_CODE",
	[H1_BAD_REASON_PHRASE] = "BAD_REASON_PHRASE",
	[H1_OBS_FOLD] = "OBS_FOLD",
	[H1_SPACE_BEFORE_COLON] = "SPACE_BEFORE_COLON",
	[H1_BAD_FIELD_NAME] = "BAD_FIELD_NAME",
	[H1_MISSING_COLON] = "MISSING_COLON",
	[H1_BAD_FIELD_VALUE] = "BAD_FIELD_VALUE",
	[H1_REQUEST_LINE_TOO_LONG] = "REQUEST_LINE_TOO_LONG",
	[H1_STATUS_LINE_TOO_LONG] = "STATUS_LINE_TOO_LONG",
	[H1_FIELD_LINE_TOO_LONG] = "FIELD_LINE_TOO_LONG",
	[H1_TOO_MANY_FIELDS] = "TOO_MANY_FIELDS",
	[H1_HEAD_TOO_LARGE] = "HEAD_TOO_LARGE",
};

const char *
h1_reason_name(enum h1_reason r)
{
	if ((unsigned)r >= H1_REASON_COUNT)
		return "UNKNOWN";
	return reason_names[r];
}

int
h1_reason_status(enum h1_reason r)
{
	switch (r) {
	case H1_OK: return 0;
	case H1_VERSION_UNSUPPORTED: return 505;   /* RFC 9110 §15.6.6 */
	case H1_REQUEST_LINE_TOO_LONG: return 414; /* RFC 9110 §15.5.15 */
	case H1_FIELD_LINE_TOO_LONG:
	case H1_TOO_MANY_FIELDS:
	case H1_HEAD_TOO_LARGE: return 431; /* RFC 6585 §5 */
	case H1_BAD_STATUS_LINE:
	case H1_BAD_STATUS_CODE:
	case H1_BAD_REASON_PHRASE:
	case H1_STATUS_LINE_TOO_LONG: return 502; /* RFC 9110 §15.6.3 */
	default: return 400;
	}
}
