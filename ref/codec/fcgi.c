/*
 * FastCGI 1.0 records: header and fixed-body codecs, the stream framing
 * encoder and the incremental record decoder (see fcgi.h for the API).
 *
 * The gateway frames requests with the encoders and pushes backend bytes
 * through fcgi_stream_next(), which never buffers more than 8 bytes: a
 * 65535-byte record is handed out as slices of the caller's buffer.
 * Rules: spec/fastcgi.md FCGI-REC-*, FCGI-BEGIN-*, FCGI-END-*, FCGI-MGMT-*,
 * FCGI-STREAM-* (FastCGI 1.0 §3.3, §4, §5, §8).
 */
#include "codec/fcgi.h"

#include <string.h>

/* Arrays of chars, not of pointers: they need no relocation, so they stay
 * in read-only data (ci/check-purity.sh). */
static const char reason_names[FCGI_E_REASON_COUNT][28] = {
	[FCGI_E_OK] = "OK",
	[FCGI_E_BAD_VERSION] = "BAD_VERSION",
	[FCGI_E_NULL_REQUEST_ID] = "NULL_REQUEST_ID",
	[FCGI_E_MGMT_REQUEST_ID] = "MGMT_REQUEST_ID",
	[FCGI_E_UNEXPECTED_REQUEST_ID] = "UNEXPECTED_REQUEST_ID",
	[FCGI_E_UNEXPECTED_TYPE] = "UNEXPECTED_TYPE",
	[FCGI_E_BEGIN_BODY_LENGTH] = "BEGIN_BODY_LENGTH",
	[FCGI_E_END_BODY_LENGTH] = "END_BODY_LENGTH",
	[FCGI_E_UNKNOWN_TYPE_BODY_LENGTH] = "UNKNOWN_TYPE_BODY_LENGTH",
	[FCGI_E_ABORT_BODY_LENGTH] = "ABORT_BODY_LENGTH",
	[FCGI_E_BAD_PROTOCOL_STATUS] = "BAD_PROTOCOL_STATUS",
	[FCGI_E_NV_TRUNCATED] = "NV_TRUNCATED",
	[FCGI_E_NV_LENGTH_OVERFLOW] = "NV_LENGTH_OVERFLOW",
};

static const char type_names[][20] = {
	"",
	"BEGIN_REQUEST",
	"ABORT_REQUEST",
	"END_REQUEST",
	"PARAMS",
	"STDIN",
	"STDOUT",
	"STDERR",
	"DATA",
	"GET_VALUES",
	"GET_VALUES_RESULT",
	"UNKNOWN_TYPE",
};

const char *
fcgi_reason_name(enum fcgi_reason r)
{
	if ((unsigned)r >= FCGI_E_REASON_COUNT)
		return "?";
	return reason_names[r];
}

const char *
fcgi_type_name(unsigned type)
{
	if (type == 0 || type >= sizeof(type_names) / sizeof(type_names[0]))
		return NULL;
	return type_names[type];
}

long
fcgi_header_decode(
	const void *p, size_t len, struct fcgi_header *h, enum fcgi_reason *why)
{
	const uint8_t *b = p;

	if (len < FCGI_HEADER_LEN)
		return 0;
	/* FCGI-REC-2 (§3.3, §8): only version 1 exists; anything else is
	 * not FastCGI and none of the following bytes can be trusted. */
	if (b[0] != FCGI_VERSION_1) {
		*why = FCGI_E_BAD_VERSION;
		return -1;
	}
	h->version = b[0];
	h->type = b[1];
	h->request_id = (uint16_t)(b[2] << 8 | b[3]);
	h->content_length = (uint16_t)(b[4] << 8 | b[5]);
	h->padding_length = b[6];
	/* b[7] is reserved: a reader ignores it, FCGI-REC-3. */
	return FCGI_HEADER_LEN;
}

long
fcgi_header_encode(void *dst, size_t cap, const struct fcgi_header *h)
{
	uint8_t *b = dst;

	if (cap < FCGI_HEADER_LEN)
		return -1;
	b[0] = FCGI_VERSION_1;
	b[1] = h->type;
	b[2] = (uint8_t)(h->request_id >> 8);
	b[3] = (uint8_t)h->request_id;
	b[4] = (uint8_t)(h->content_length >> 8);
	b[5] = (uint8_t)h->content_length;
	b[6] = h->padding_length;
	b[7] = 0;
	return FCGI_HEADER_LEN;
}

void
fcgi_begin_decode(const uint8_t body[8], struct fcgi_begin *b)
{
	/* FCGI-BEGIN-2 (§5.1): role B1 B0, flags, then 5 reserved bytes. */
	b->role = (uint16_t)(body[0] << 8 | body[1]);
	b->flags = body[2];
}

void
fcgi_end_decode(const uint8_t body[8], struct fcgi_end *e)
{
	/* FCGI-END-1 (§5.5): appStatus B3..B0, protocolStatus, 3 reserved. */
	e->app_status = (uint32_t)body[0] << 24 | (uint32_t)body[1] << 16 |
		(uint32_t)body[2] << 8 | body[3];
	e->protocol_status = body[4];
}

/* A header plus an 8-byte body whose bytes the caller fills in. */
static uint8_t *
fixed_record(void *dst, uint8_t type, uint16_t id)
{
	struct fcgi_header h = {FCGI_VERSION_1, type, id, 8, 0};
	uint8_t *b = dst;

	fcgi_header_encode(b, FCGI_HEADER_LEN, &h);
	memset(b + FCGI_HEADER_LEN, 0, 8);
	return b + FCGI_HEADER_LEN;
}

long
fcgi_begin_request_encode(
	void *dst, size_t cap, uint16_t id, uint16_t role, uint8_t flags)
{
	uint8_t *body;

	if (cap < 16)
		return -1;
	body = fixed_record(dst, FCGI_BEGIN_REQUEST, id);
	body[0] = (uint8_t)(role >> 8);
	body[1] = (uint8_t)role;
	body[2] = flags;
	return 16;
}

long
fcgi_end_request_encode(void *dst, size_t cap, uint16_t id, uint32_t app_status,
	uint8_t protocol_status)
{
	uint8_t *body;

	if (cap < 16)
		return -1;
	body = fixed_record(dst, FCGI_END_REQUEST, id);
	body[0] = (uint8_t)(app_status >> 24);
	body[1] = (uint8_t)(app_status >> 16);
	body[2] = (uint8_t)(app_status >> 8);
	body[3] = (uint8_t)app_status;
	body[4] = protocol_status;
	return 16;
}

long
fcgi_unknown_type_encode(void *dst, size_t cap, uint8_t type)
{
	uint8_t *body;

	if (cap < 16)
		return -1;
	/* FCGI-MGMT-4 (§4.2): a management record, so request id 0. */
	body = fixed_record(dst, FCGI_UNKNOWN_TYPE, FCGI_NULL_REQUEST_ID);
	body[0] = type;
	return 16;
}

long
fcgi_abort_request_encode(void *dst, size_t cap, uint16_t id)
{
	struct fcgi_header h = {FCGI_VERSION_1, FCGI_ABORT_REQUEST, id, 0, 0};

	return fcgi_header_encode(dst, cap, &h);
}

/* Padding that brings n content bytes to a multiple of 8 (§3.3). */
static uint8_t
pad8(size_t n, unsigned flags)
{
	return (flags & FCGI_ENC_PAD8) ? (uint8_t)((8 - n % 8) % 8) : 0;
}

size_t
fcgi_stream_size(size_t len, unsigned flags)
{
	size_t full = len / FCGI_MAX_CONTENT, rest = len % FCGI_MAX_CONTENT;
	size_t n = full *
		(FCGI_HEADER_LEN + FCGI_MAX_CONTENT +
			pad8(FCGI_MAX_CONTENT, flags));

	if (rest > 0)
		n += FCGI_HEADER_LEN + rest + pad8(rest, flags);
	if (flags & FCGI_ENC_END)
		n += FCGI_HEADER_LEN;
	return n;
}

long
fcgi_stream_encode(void *dst, size_t cap, uint8_t type, uint16_t id,
	const void *body, size_t len, unsigned flags)
{
	const uint8_t *src = body;
	uint8_t *out = dst;
	size_t total = fcgi_stream_size(len, flags), off = 0;

	/* total < len only if the size computation wrapped. */
	if (total > cap || total < len || total > (size_t)0x7fffffff)
		return -1;
	/* FCGI-STREAM-1: contentLength is 16 bits, so a body is cut into
	 * records of at most 65535 bytes; never truncate the length (the
	 * lighttpd CVE-2007-4727 / HAProxy mux-fcgi record smuggling). */
	while (len > 0) {
		size_t n = len < FCGI_MAX_CONTENT ? len : FCGI_MAX_CONTENT;
		struct fcgi_header h = {
			FCGI_VERSION_1, type, id, (uint16_t)n, pad8(n, flags)};

		fcgi_header_encode(out + off, FCGI_HEADER_LEN, &h);
		off += FCGI_HEADER_LEN;
		memcpy(out + off, src, n);
		off += n;
		memset(out + off, 0, h.padding_length);
		off += h.padding_length;
		src += n;
		len -= n;
	}
	/* FCGI-STREAM-2 (§3.3, §5.3): an empty record ends the stream. */
	if (flags & FCGI_ENC_END) {
		struct fcgi_header h = {FCGI_VERSION_1, type, id, 0, 0};

		fcgi_header_encode(out + off, FCGI_HEADER_LEN, &h);
		off += FCGI_HEADER_LEN;
	}
	return (long)off;
}

/* Decoder states; ST_DEAD after an error so a caller cannot resume. */
enum { ST_HEADER, ST_CONTENT, ST_FIXED, ST_PADDING, ST_DEAD };

static int
is_app_type(unsigned t)
{
	return t >= FCGI_BEGIN_REQUEST && t <= FCGI_DATA;
}

static int
is_mgmt_type(unsigned t)
{
	return t >= FCGI_GET_VALUES && t <= FCGI_UNKNOWN_TYPE;
}

/* FCGI-REC-6 (§4, §5, §6): the only types an application ever sends. */
static int
app_may_send(unsigned t)
{
	return t == FCGI_STDOUT || t == FCGI_STDERR || t == FCGI_END_REQUEST ||
		t == FCGI_GET_VALUES_RESULT || t == FCGI_UNKNOWN_TYPE;
}

/* Types whose content is a fixed 8-byte body gathered in the state. */
static int
is_fixed_type(unsigned t)
{
	return t == FCGI_BEGIN_REQUEST || t == FCGI_END_REQUEST ||
		t == FCGI_UNKNOWN_TYPE;
}

/* The checks a header must pass before its content is trusted. */
static enum fcgi_reason
check_header(const struct fcgi_stream *s, const struct fcgi_header *h)
{
	unsigned t = h->type;

	if ((s->opts.flags & FCGI_FROM_APP) && !app_may_send(t))
		return FCGI_E_UNEXPECTED_TYPE;
	if ((s->opts.flags & FCGI_FROM_SERVER) && app_may_send(t))
		return FCGI_E_UNEXPECTED_TYPE;
	/* FCGI-MGMT-1 (§3.3, §4): management records use request id 0. */
	if (is_mgmt_type(t) && h->request_id != FCGI_NULL_REQUEST_ID)
		return FCGI_E_MGMT_REQUEST_ID;
	/* FCGI-REC-4 (§3.3): id 0 would make it a management record. */
	if (is_app_type(t) && h->request_id == FCGI_NULL_REQUEST_ID)
		return FCGI_E_NULL_REQUEST_ID;
	/* FCGI-REC-5: a record for a request we never began (the gateway
	 * maps this to 502, ARCHITECTURE.md failure table). */
	if (is_app_type(t) && s->opts.expect_id != 0 &&
		h->request_id != s->opts.expect_id)
		return FCGI_E_UNEXPECTED_REQUEST_ID;
	switch (t) {
	case FCGI_BEGIN_REQUEST:
		/* FCGI-BEGIN-1 (§5.1) */
		return h->content_length == 8 ? FCGI_E_OK
					      : FCGI_E_BEGIN_BODY_LENGTH;
	case FCGI_END_REQUEST:
		/* FCGI-END-1 (§5.5) */
		return h->content_length == 8 ? FCGI_E_OK
					      : FCGI_E_END_BODY_LENGTH;
	case FCGI_UNKNOWN_TYPE:
		/* FCGI-MGMT-4 (§4.2) */
		return h->content_length == 8 ? FCGI_E_OK
					      : FCGI_E_UNKNOWN_TYPE_BODY_LENGTH;
	case FCGI_ABORT_REQUEST:
		/* FCGI-REC-7 (§5.4): the record is its header alone. */
		return h->content_length == 0 ? FCGI_E_OK
					      : FCGI_E_ABORT_BODY_LENGTH;
	default: return FCGI_E_OK;
	}
}

void
fcgi_stream_init(struct fcgi_stream *s, const struct fcgi_stream_opts *o)
{
	memset(s, 0, sizeof(*s));
	if (o != NULL)
		s->opts = *o;
	s->state = ST_HEADER;
}

int
fcgi_stream_at_boundary(const struct fcgi_stream *s)
{
	return s->state == ST_HEADER && s->have == 0;
}

static long
fail(struct fcgi_stream *s, enum fcgi_reason why)
{
	s->state = ST_DEAD;
	s->reason = why;
	return -1;
}

/* Gather up to 8 bytes into s->buf; returns how many were taken. */
static size_t
gather(struct fcgi_stream *s, const uint8_t *b, size_t len)
{
	size_t n = FCGI_HEADER_LEN - s->have;

	if (n > len)
		n = len;
	memcpy(s->buf + s->have, b, n);
	s->have += n;
	return n;
}

/* A complete fixed body: decode it into ev and check what the header
 * could not. */
static enum fcgi_reason
fixed_body(struct fcgi_stream *s, struct fcgi_event *ev)
{
	ev->flags |= FCGI_EV_CONTENT;
	ev->content.p = (const char *)s->buf;
	ev->content.len = FCGI_HEADER_LEN;
	s->content_left = 0;
	s->have = 0;
	switch (s->hdr.type) {
	case FCGI_BEGIN_REQUEST: fcgi_begin_decode(s->buf, &ev->begin); break;
	case FCGI_END_REQUEST:
		fcgi_end_decode(s->buf, &ev->end);
		/* FCGI-END-2 (§5.5): only four protocol statuses exist. */
		if (ev->end.protocol_status > FCGI_UNKNOWN_ROLE)
			return FCGI_E_BAD_PROTOCOL_STATUS;
		break;
	default:
		/* FCGI-MGMT-4 (§4.2): the type byte, then 7 reserved. */
		ev->unknown_type = s->buf[0];
		break;
	}
	return FCGI_E_OK;
}

long
fcgi_stream_next(
	struct fcgi_stream *s, const void *p, size_t len, struct fcgi_event *ev)
{
	const uint8_t *b = p;
	enum fcgi_reason why = FCGI_E_OK;
	size_t used = 0, n;

	memset(ev, 0, sizeof(*ev));
	if (s->state == ST_DEAD)
		return -1;
	if (len == 0)
		return 0;
	if (s->state == ST_HEADER) {
		used = gather(s, b, len);
		if (s->have < FCGI_HEADER_LEN)
			return (long)used;
		s->have = 0;
		if (fcgi_header_decode(s->buf, FCGI_HEADER_LEN, &s->hdr, &why) <
				0 ||
			(why = check_header(s, &s->hdr)) != FCGI_E_OK)
			return fail(s, why);
		ev->flags |= FCGI_EV_HEADER;
		/* size_t counters: 65535 + 255 must not wrap 16-bit
		 * arithmetic (the HAProxy demux bug class, FCGI-REC-8). */
		s->content_left = s->hdr.content_length;
		s->padding_left = s->hdr.padding_length;
		s->state = ST_CONTENT;
		if (is_fixed_type(s->hdr.type)) {
			/* Report the header alone: the body may still fail
			 * its checks, and -1 must not swallow the header. */
			s->state = ST_FIXED;
			ev->hdr = s->hdr;
			return (long)used;
		}
	}
	ev->hdr = s->hdr;
	if (s->state == ST_FIXED && used < len) {
		used += gather(s, b + used, len - used);
		if (s->have == FCGI_HEADER_LEN &&
			(why = fixed_body(s, ev)) != FCGI_E_OK)
			return fail(s, why);
	} else if (s->state == ST_CONTENT && s->content_left > 0 &&
		used < len) {
		n = len - used < s->content_left ? len - used : s->content_left;
		ev->flags |= FCGI_EV_CONTENT;
		ev->content.p = (const char *)b + used;
		ev->content.len = n;
		s->content_left -= n;
		used += n;
	}
	if (s->content_left > 0)
		return (long)used;
	/* FCGI-REC-3 (§3.3): padding bytes are skipped unread. */
	n = len - used < s->padding_left ? len - used : s->padding_left;
	s->padding_left -= n;
	used += n;
	s->state = ST_PADDING;
	if (s->padding_left == 0) {
		ev->flags |= FCGI_EV_END;
		s->state = ST_HEADER;
	}
	return (long)used;
}
