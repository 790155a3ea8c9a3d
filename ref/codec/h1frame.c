/*
 * HTTP/1.1 message framing decision: RFC 9112 §6.3's eight rules, applied
 * in their order, with §6.1's Transfer-Encoding requirements and RFC 9110
 * §8.6's Content-Length syntax. Called once per message head by the
 * request path (client bodies) and the proxy (backend responses).
 * Rules: spec/http1-framing.md H1-FRAME-1 .. H1-FRAME-17.
 */
#include "codec/h1frame.h"
#include "codec/abnf.h"

#include <string.h>

/* ASCII case-insensitive comparison of s with the lower-case word w. */
static int
same_word(const char *s, size_t len, const char *w)
{
	if (len != strlen(w))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)w[i])
			return 0;
	}
	return 1;
}

static int
same_slice(struct slice s, const char *w)
{
	return s.len == strlen(w) && memcmp(s.p, w, s.len) == 0;
}

/* What the Transfer-Encoding fields add up to. */
struct codings {
	size_t n;         /* codings listed, over every field */
	size_t chunked;   /* how many of them are chunked */
	int last_chunked; /* the final one is chunked */
};

/* Skip a token at s[*i]; returns its length (0: none there). */
static size_t
token(const char *s, size_t len, size_t *i)
{
	size_t start = *i;

	while (*i < len && abnf_is_tchar((unsigned char)s[*i]))
		(*i)++;
	return *i - start;
}

/* Skip OWS (RFC 9110 §5.6.3). */
static void
ows(const char *s, size_t len, size_t *i)
{
	while (*i < len && abnf_is_ws((unsigned char)s[*i]))
		(*i)++;
}

/* transfer-parameter value: token / quoted-string (RFC 9110 §5.6.4). */
static int
param_value(const char *s, size_t len, size_t *i)
{
	if (*i == len)
		return 0;
	if (s[*i] != '"')
		return token(s, len, i) > 0;
	for ((*i)++; *i < len; (*i)++) {
		unsigned char c = (unsigned char)s[*i];

		if (c == '"') {
			(*i)++;
			return 1;
		}
		if (c == '\\' && ++(*i) == len)
			return 0;
		c = (unsigned char)s[*i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 0;
}

/*
 * H1-FRAME-9, H1-FRAME-10: one Transfer-Encoding field value as
 * #transfer-coding (RFC 9110 §5.6.1 list, §10.1.4 transfer-coding):
 * empty elements and OWS around them are allowed, names compare without
 * case; "chunked" takes no parameters. Returns 0, or -1 if malformed.
 */
static int
parse_codings(struct slice v, struct codings *c)
{
	size_t i = 0, before = c->n;

	for (;;) {
		size_t start;
		int chunked, params = 0;

		ows(v.p, v.len, &i);
		if (i == v.len)
			break;
		if (v.p[i] == ',') {
			i++;
			continue;
		}
		start = i;
		if (token(v.p, v.len, &i) == 0)
			return -1;
		chunked = same_word(v.p + start, i - start, "chunked");
		ows(v.p, v.len, &i);
		while (i < v.len && v.p[i] == ';') {
			i++;
			ows(v.p, v.len, &i);
			if (token(v.p, v.len, &i) == 0)
				return -1;
			ows(v.p, v.len, &i);
			if (i == v.len || v.p[i] != '=')
				return -1;
			i++;
			ows(v.p, v.len, &i);
			if (!param_value(v.p, v.len, &i))
				return -1;
			ows(v.p, v.len, &i);
			params = 1;
		}
		if ((chunked && params) || (i < v.len && v.p[i] != ','))
			return -1;
		c->n++;
		c->chunked += (size_t)chunked;
		c->last_chunked = chunked;
	}
	/* A Transfer-Encoding field naming no coding at all is refused: it
	 * can only come from a broken or hostile sender. */
	return c->n > before ? 0 : -1;
}

/*
 * H1-FRAME-12..14: every Content-Length field value, each a list of
 * 1*DIGIT (RFC 9110 §8.6). Fills *len or returns a reason.
 */
static enum h1frame_reason
content_length(const struct h1frame_msg *m, unsigned opts, uint64_t *len)
{
	size_t n = 0;

	for (size_t f = 0; f < m->nfields; f++) {
		struct slice v = m->fields[f].value;
		size_t i = 0;

		if (!same_word(m->fields[f].name.p, m->fields[f].name.len,
			    "content-length"))
			continue;
		for (;;) {
			uint64_t x = 0;
			size_t start;

			ows(v.p, v.len, &i);
			for (start = i;
				i < v.len && v.p[i] >= '0' && v.p[i] <= '9';
				i++) {
				uint64_t d = (uint64_t)(v.p[i] - '0');

				/* No silent wrap: 2^63-1 fits any off_t. */
				if (x > (0x7fffffffffffffffull - d) / 10)
					return H1FRAME_CL_INVALID;
				x = x * 10 + d;
			}
			if (i == start)
				return H1FRAME_CL_INVALID;
			ows(v.p, v.len, &i);
			if (n > 0 && x != *len)
				return H1FRAME_CL_CONFLICT;
			*len = x;
			n++;
			if (i == v.len)
				break;
			if (v.p[i] != ',')
				return H1FRAME_CL_INVALID;
			i++;
		}
	}
	if (n > 1 && !(opts & H1FRAME_LENIENT_CL_LIST))
		return H1FRAME_CL_DUPLICATE;
	return H1FRAME_OK;
}

static enum h1frame_kind
result(struct h1frame *out, enum h1frame_kind k, int must_close)
{
	out->kind = k;
	out->must_close = must_close;
	return k;
}

static enum h1frame_kind
faulty(struct h1frame *out, enum h1frame_reason r)
{
	/* H1-FRAME-17: RFC 9112 §6.3 rules 4 and 5 close after the error. */
	out->reason = r;
	out->length = 0; /* content_length() may have stored a value */
	return result(out, H1FRAME_ERROR, 1);
}

/* H1-FRAME-7..11, 15, 16: the message has Transfer-Encoding (§6.3
 * rules 3 and 4). */
static enum h1frame_kind
by_coding(const struct h1frame_msg *m, unsigned opts, int has_cl,
	struct h1frame *out)
{
	struct codings c = {0, 0, 0};

	/* H1-FRAME-11: RFC 9112 §6.1, TE in HTTP/1.0 is faulty framing. */
	if (m->version < 11)
		return faulty(out, H1FRAME_TE_HTTP10);
	for (size_t f = 0; f < m->nfields; f++)
		if (same_word(m->fields[f].name.p, m->fields[f].name.len,
			    "transfer-encoding") &&
			parse_codings(m->fields[f].value, &c) != 0)
			return faulty(out, H1FRAME_TE_INVALID);
	/* RFC 9112 §6.1: chunked MUST NOT be applied more than once. */
	if (c.chunked > 1)
		return faulty(out, H1FRAME_TE_CHUNKED_TWICE);
	/* H1-FRAME-8: §6.1, a server MAY reject CL+TE (an option). */
	if (has_cl && (opts & H1FRAME_REJECT_CL_TE))
		return faulty(out, H1FRAME_CL_AND_TE);
	if (!c.last_chunked) {
		/* §6.3 rule 4 (request) and rule 3 (response). */
		if (m->is_request || (opts & H1FRAME_STRICT_RESPONSE_TE))
			return faulty(out, H1FRAME_TE_NOT_CHUNKED);
		return result(out, H1FRAME_UNTIL_CLOSE, 1);
	}
	/* §6.1: a coding the server does not understand gets 501. */
	if (m->is_request && c.n > 1)
		return faulty(out, H1FRAME_TE_UNSUPPORTED);
	/* H1-FRAME-8: §6.1 and §6.3 rule 3, TE overrides CL and the
	 * connection closes afterwards. */
	return result(out, H1FRAME_CHUNKED, has_cl);
}

enum h1frame_kind
h1frame_decide(const struct h1frame_msg *m, unsigned opts, struct h1frame *out)
{
	int has_te = 0, has_cl = 0;
	enum h1frame_reason r;

	memset(out, 0, sizeof(*out));
	if (!m->is_request) {
		/* H1-FRAME-1..3: §6.3 rule 1, whatever the fields say. */
		if (same_slice(m->method, "HEAD") ||
			(m->status >= 100 && m->status <= 199) ||
			m->status == 204 || m->status == 304)
			return result(out, H1FRAME_NONE, 0);
		/* H1-FRAME-4: §6.3 rule 2, a 2xx to CONNECT is a tunnel. */
		if (same_slice(m->method, "CONNECT") && m->status >= 200 &&
			m->status <= 299)
			return result(out, H1FRAME_NONE, 0);
	}
	for (size_t f = 0; f < m->nfields; f++) {
		struct slice n = m->fields[f].name;

		has_te |= same_word(n.p, n.len, "transfer-encoding");
		has_cl |= same_word(n.p, n.len, "content-length");
	}
	if (has_te)
		return by_coding(m, opts, has_cl, out);
	if (has_cl) {
		/* H1-FRAME-12..14: §6.3 rules 5 and 6. */
		if ((r = content_length(m, opts, &out->length)) != H1FRAME_OK)
			return faulty(out, r);
		return result(out, H1FRAME_LENGTH, 0);
	}
	/* H1-FRAME-5: §6.3 rule 7, a request without either has no body. */
	if (m->is_request)
		return result(out, H1FRAME_NONE, 0);
	/* H1-FRAME-6: §6.3 rule 8, the response runs until close. */
	return result(out, H1FRAME_UNTIL_CLOSE, 1);
}

const char *
h1frame_reason_name(enum h1frame_reason r)
{
	switch (r) {
	case H1FRAME_OK: return "OK";
	case H1FRAME_TE_HTTP10: return "TE_HTTP10";
	case H1FRAME_TE_INVALID: return "TE_INVALID";
	case H1FRAME_TE_CHUNKED_TWICE: return "TE_CHUNKED_TWICE";
	case H1FRAME_TE_NOT_CHUNKED: return "TE_NOT_CHUNKED";
	case H1FRAME_TE_UNSUPPORTED: return "TE_UNSUPPORTED";
	case H1FRAME_CL_INVALID: return "CL_INVALID";
	case H1FRAME_CL_DUPLICATE: return "CL_DUPLICATE";
	case H1FRAME_CL_CONFLICT: return "CL_CONFLICT";
	case H1FRAME_CL_AND_TE: return "CL_AND_TE";
	}
	return "UNKNOWN";
}

const char *
h1frame_kind_name(enum h1frame_kind k)
{
	switch (k) {
	case H1FRAME_NONE: return "NONE";
	case H1FRAME_LENGTH: return "LENGTH";
	case H1FRAME_CHUNKED: return "CHUNKED";
	case H1FRAME_UNTIL_CLOSE: return "UNTIL_CLOSE";
	case H1FRAME_ERROR: return "ERROR";
	}
	return "UNKNOWN";
}
