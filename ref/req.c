/*
 * Request intake: from the bytes of the connection's input buffer to a
 * request ready to answer. The h1 codec parses the head; here the server
 * applies its own rules on top: Host (RFC 9112 §3.2: 400 for HTTP/1.1
 * without exactly one valid Host; an absolute-form target's authority
 * wins), persistence (RFC 9112 §9.3), Expect (RFC 9110 §10.1.1: 100
 * Continue, never to HTTP/1.0; anything else 417), body framing
 * (h1frame, RFC 9112 §6.3; 411 as lighttpd for a POST/PUT without one),
 * size limits (413), path normalisation (uri codec) and the body itself:
 * by length or chunked (trailers parsed and dropped, never merged into the
 * head), kept in memory up to LIMIT_BODY_MEM and spilled to an unlinked
 * temp file in server.upload-dirs beyond it.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "codec/host.h"
#include "log.h"
#include "server.h"

static int
fail(struct conn *c, int status, const char *why)
{
	char esc[128];

	c->req.status = status;
	c->close_after = 1;
	log_conn(c->id, c->req.id, "%d %s (%s)", status, why,
		log_escape(c->req.h1.target.p, c->req.h1.target.len, esc,
			sizeof(esc)));
	return -1;
}

static int
slice_eq(struct slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Does the comma-separated token list v contain tok (any case)? */
static int
has_token(struct slice v, const char *tok)
{
	const char *p = v.p, *end = v.p + v.len;

	while (p < end) {
		const char *q = memchr(p, ',', (size_t)(end - p));
		struct slice t;

		if (q == NULL)
			q = end;
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		t.p = p;
		t.len = (size_t)(q - p);
		while (t.len > 0 &&
			(t.p[t.len - 1] == ' ' || t.p[t.len - 1] == '\t'))
			t.len--;
		if (slice_eq(t, tok))
			return 1;
		p = q + 1;
	}
	return 0;
}

/*
 * RFC 9110 §7.2 / RFC 3986 §3.2.2: check a Host value (or an absolute
 * target's authority) with the host codec and narrow *h to the host
 * itself for routing ($HTTP["host"], SERVER_NAME): without the port and
 * a trailing dot, lower-cased (RFC 3986 §3.2.2: case-insensitive). The
 * bytes are lower-cased in place; they are the connection's own input
 * buffer, and lighttpd hands backends the normalised Host as well.
 */
static int
host_check(struct slice *h, unsigned opts)
{
	struct host_port hp;
	enum host_reason why;
	char *w;
	size_t i;

	if (host_parse(h->p, h->len, opts, &hp, &why) == -1)
		return -1;
	if (hp.kind == HOST_IPV6) {
		hp.host.p--; /* keep the brackets: "[::1]" */
		hp.host.len += 2;
	} else if (hp.host.len > 1 && hp.host.p[hp.host.len - 1] == '.') {
		hp.host.len--;
	}
	w = (char *)(uintptr_t)hp.host.p;
	for (i = 0; i < hp.host.len; i++)
		if (w[i] >= 'A' && w[i] <= 'Z')
			w[i] = (char)(w[i] + 32);
	*h = hp.host;
	return 0;
}

const struct slice *
req_field(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->h1.nfields; i++)
		if (slice_eq(r->fields[i].name, name))
			return &r->fields[i].value;
	return NULL;
}

/* Split an absolute-form target into authority and path (RFC 9112
 * §3.2.2): the authority replaces Host, the path is routed. */
static int
split_absolute(struct req *r, struct slice *path)
{
	const char *p = r->h1.target.p, *end = p + r->h1.target.len;
	const char *s = memchr(p, ':', (size_t)(end - p)), *a;

	if (s == NULL || end - s < 3 || s[1] != '/' || s[2] != '/')
		return -1;
	a = s + 3;
	s = a;
	while (s < end && *s != '/' && *s != '?')
		s++;
	r->host.p = a;
	r->host.len = (size_t)(s - a);
	path->p = s;
	path->len = (size_t)(end - s);
	return 0;
}

/*
 * http-parseopts url-query-20-plus: "%20" in the query becomes '+' (both
 * mean a space in a form query), so backends and conditions see one
 * spelling. The result goes after the path's NUL in r->path, since the
 * query in the input buffer is also the raw request-target's tail.
 */
static int
query_20_plus(struct req *r)
{
	const char *q = r->uri.query.p, *end = q + r->uri.query.len;
	char *out = r->path + r->uri.path.len + 1, *w = out;

	if (r->uri.query.len > LIMIT_PATH - r->uri.path.len - 1)
		return -1;
	while (q < end) {
		if (end - q >= 3 && q[0] == '%' && q[1] == '2' && q[2] == '0') {
			*w++ = '+';
			q += 3;
		} else
			*w++ = *q++;
	}
	r->uri.query.p = out;
	r->uri.query.len = (size_t)(w - out);
	return 0;
}

static int
scan_fields(struct conn *c)
{
	struct req *r = &c->req;
	int hosts = 0, conn_close = 0, conn_ka = 0;
	size_t i;

	for (i = 0; i < r->h1.nfields; i++) {
		struct slice n = r->fields[i].name, v = r->fields[i].value;

		switch (n.len) {
		case 4:
			if (slice_eq(n, "host")) {
				hosts++;
				r->host = v;
			}
			break;
		case 5:
			if (slice_eq(n, "range"))
				r->range = v;
			break;
		case 6:
			if (slice_eq(n, "expect")) {
				if (!slice_eq(v, "100-continue"))
					return fail(c, 417, "Expect");
				r->expect_continue = 1;
			}
			break;
		case 7:
			if (slice_eq(n, "referer"))
				r->referer = v;
			break;
		case 10:
			if (slice_eq(n, "connection")) {
				conn_close |= has_token(v, "close");
				conn_ka |= has_token(v, "keep-alive");
			} else if (slice_eq(n, "user-agent")) {
				r->user_agent = v;
			}
			break;
		case 13:
			if (slice_eq(n, "if-none-match"))
				r->if_none_match = v;
			break;
		case 17:
			if (slice_eq(n, "if-modified-since"))
				r->if_modified_since = v;
			break;
		}
	}
	/* RFC 9112 §3.2: exactly one Host in HTTP/1.1, and a valid one. */
	if (hosts > 1)
		return fail(c, 400, "more than one Host");
	if (hosts == 0 && r->version == 11 && r->h1.form != H1_FORM_ABSOLUTE)
		return fail(c, 400, "HTTP/1.1 without Host");
	if (hosts == 1 && r->h1.form != H1_FORM_ABSOLUTE &&
		host_check(&r->host, c->srv->conf.host_opts) == -1)
		return fail(c, 400, "invalid Host");
	/* RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only on request. */
	r->keep_alive = r->version == 11 ? !conn_close : conn_ka && !conn_close;
	return 0;
}

static int
decide_framing(struct conn *c)
{
	struct req *r = &c->req;
	struct server *s = c->srv;
	struct h1frame_msg m = {.is_request = 1,
		.method = r->h1.method,
		.version = r->version,
		.fields = r->fields,
		.nfields = r->h1.nfields};

	h1frame_decide(&m, s->conf.frame_opts, &r->frame);
	if (r->frame.kind == H1FRAME_ERROR)
		return fail(c,
			r->frame.reason == H1FRAME_TE_UNSUPPORTED ? 501 : 400,
			h1frame_reason_name(r->frame.reason));
	if (r->frame.must_close)
		r->keep_alive = 0;
	/* lighttpd: a POST or PUT must say how long its body is. */
	if (r->frame.kind == H1FRAME_NONE &&
		(r->h1.method_id == H1_METHOD_POST ||
			r->h1.method_id == H1_METHOD_PUT) &&
		req_field(r, "content-length") == NULL)
		return fail(c, 411, "no Content-Length");
	/* lighttpd's http-parseopts method-get-body (default disable):
	 * a GET or HEAD with a body is refused. */
	if (!s->conf.get_body &&
		(r->h1.method_id == H1_METHOD_GET ||
			r->h1.method_id == H1_METHOD_HEAD) &&
		(r->frame.kind == H1FRAME_CHUNKED ||
			(r->frame.kind == H1FRAME_LENGTH &&
				r->frame.length > 0)))
		return fail(c, 400, "GET/HEAD with a body");
	if (r->frame.kind == H1FRAME_LENGTH &&
		r->frame.length > (uint64_t)s->conf.max_body)
		return fail(c, 413, "Content-Length over max-request-size");
	if (r->frame.kind == H1FRAME_CHUNKED) {
		struct chunked_opts o;

		chunked_opts_default(&o);
		/* A trailer line must fit beside the head in LIMIT_CONN_IN. */
		o.max_trailer_bytes = LIMIT_CONN_IN - s->conf.max_head - 512;
		chunked_init(&r->chunk, &o);
	}
	return 0;
}

int
req_head(struct conn *c)
{
	struct req *r = &c->req;
	struct server *s = c->srv;
	struct slice path;
	long n;

	r->h1.fields = r->fields;
	r->h1.fields_cap = LIMIT_REQ_FIELDS;
	n = h1_req_parse(buf_head(&c->in), c->in.len, &s->conf.h1, &r->h1);
	if (n == 0) {
		if (c->in.len >= s->conf.max_head)
			return fail(c, 431, "request head too large");
		return 0;
	}
	r->id = ++c->nreq;
	r->start = loop_wall(s->loop);
	r->version = r->h1.minor >= 1 ? 11 : 10;
	if (n == -1) {
		r->version = 11;
		c->nreq--;
		return fail(c, h1_reason_status(r->h1.reason),
			h1_reason_name(r->h1.reason));
	}
	r->head_len = (size_t)n;
	r->body_pos = r->head_len;
	r->is_head = r->h1.method_id == H1_METHOD_HEAD;
	if (scan_fields(c) == -1 || decide_framing(c) == -1)
		return -1;
	if (c->nreq >= s->conf.max_ka_requests || s->stopping)
		r->keep_alive = 0;
	if (r->h1.method_id == H1_METHOD_OTHER)
		return fail(c, 501, "method not implemented");
	if (r->h1.form == H1_FORM_AUTHORITY)
		return fail(c, 400, "CONNECT is not supported");
	if (r->h1.form == H1_FORM_ASTERISK) {
		r->path[0] = '*';
		r->path[1] = '\0';
		return 1;
	}
	path = r->h1.target;
	if (r->h1.form == H1_FORM_ABSOLUTE) {
		if (split_absolute(r, &path) == -1)
			return fail(c, 400, "bad absolute-form target");
		/* RFC 9110 §4.2.4: no userinfo in an http(s) URI. */
		if (memchr(r->host.p, '@', r->host.len) != NULL)
			return fail(c, 400, "userinfo in absolute-form target");
		if (host_check(&r->host, c->srv->conf.host_opts) == -1)
			return fail(c, 400, "invalid authority");
	}
	if (path.len == 0) {
		path.p = "/";
		path.len = 1;
	}
	if (uri_path_normalize(path.p, path.len, s->conf.uri_opts, r->path,
		    LIMIT_PATH - 1, &r->uri) == -1)
		return fail(c, r->uri.reason == URI_TOO_LONG ? 414 : 400,
			uri_reason_name(r->uri.reason));
	r->path[r->uri.path.len] = '\0';
	if (s->conf.query_20_plus && r->uri.has_query && query_20_plus(r) == -1)
		return fail(c, 414, "query does not fit beside the path");
	return 1;
}

/* Keep count bytes of body: memory first, then an unlinked temp file. */
static int
body_sink(struct conn *c, const char *p, size_t n)
{
	struct req *r = &c->req;
	struct server *s = c->srv;
	long long old = r->body_len;

	if ((long long)n > s->conf.max_body - r->body_len)
		return fail(c, 413, "body over max-request-size");
	r->body_len += (long long)n;
	if (r->body_len <= LIMIT_BODY_MEM) {
		if (r->body_mem == NULL &&
			(r->body_mem = malloc(LIMIT_BODY_MEM)) == NULL)
			return fail(c, 500, "out of memory for a body");
		memcpy(r->body_mem + old, p, n);
		return 0;
	}
	if (r->body_fd == -1) {
		struct statvfs sv;
		int fd;

		fd = open(s->conf.upload_dir, O_TMPFILE | O_RDWR | O_CLOEXEC,
			0600);
		if (fd == -1) {
			log_warn("conn %llu: temp file in %s",
				(unsigned long long)c->id, s->conf.upload_dir);
			return fail(c, 500, "cannot spill body");
		}
		r->body_fd = fd;
		/* Free-space check: refuse before filling the disk. */
		if (fstatvfs(fd, &sv) == 0 &&
			(long long)(sv.f_bavail * sv.f_frsize) <
				LIMIT_UPLOAD_RESERVE +
					(long long)r->frame.length)
			return fail(c, 413, "no room in upload dir");
		if (old > 0 && write(fd, r->body_mem, (size_t)old) != old)
			return fail(c, 500, "writing spilled body");
	}
	if (write(r->body_fd, p, n) != (ssize_t)n)
		return fail(c, 500, "writing spilled body");
	return 0;
}

/* Drop processed body bytes so the buffer has room to read more; the
 * head stays in place (its slices are still in use). */
static void
body_compact(struct conn *c)
{
	struct req *r = &c->req;
	char *base = buf_head(&c->in);
	size_t left = c->in.len - r->body_pos;

	memmove(base + r->head_len, base + r->body_pos, left);
	c->in.len = r->head_len + left;
	r->body_pos = r->head_len;
}

static int
chunked_status(enum chunked_reason why)
{
	if (why == CHUNKED_SIZE_TOO_LARGE)
		return 413;
	if (why == CHUNKED_TRAILERS_TOO_LARGE ||
		why == CHUNKED_TOO_MANY_TRAILERS)
		return 431;
	return 400;
}

int
req_body(struct conn *c)
{
	struct req *r = &c->req;
	const char *base = buf_head(&c->in);

	if (r->frame.kind == H1FRAME_LENGTH) {
		size_t avail = c->in.len - r->body_pos;
		uint64_t want = r->frame.length - (uint64_t)r->body_len;
		size_t n = avail < want ? avail : (size_t)want;

		if (n > 0 && body_sink(c, base + r->body_pos, n) == -1)
			return -1;
		r->body_pos += n;
		if ((uint64_t)r->body_len == r->frame.length)
			return 1;
		body_compact(c);
		return 0;
	}
	for (;;) {
		struct chunked_out o;
		long n = chunked_decode(&r->chunk, base + r->body_pos,
			c->in.len - r->body_pos, &o);

		if (n == -1)
			return fail(c, chunked_status(r->chunk.reason),
				chunked_reason_name(r->chunk.reason));
		if (n == 0) {
			body_compact(c);
			if (c->in.len == c->in.cap)
				return fail(c, 431, "chunk line too long");
			return 0;
		}
		r->body_pos += (size_t)n;
		/* Trailer fields are parsed and dropped: framing and routing
		 * fields there must never reach the head (RFC 9112 §7.1.2). */
		if (o.event == CHUNKED_EV_DATA &&
			body_sink(c, o.data.p, o.data.len) == -1)
			return -1;
		if (o.event == CHUNKED_EV_DONE)
			return 1;
	}
}

void
req_reset(struct req *r)
{
	if (r->body_fd != -1)
		close(r->body_fd);
	if (r->file_fd != -1)
		close(r->file_fd);
	if (r->fill_free != NULL)
		r->fill_free(r->fill_state);
	free(r->body_mem);
	memset(r, 0, REQ_RESET_SIZE);
	r->body_fd = r->file_fd = -1;
	if (r->path != NULL)
		r->path[0] = '\0';
}
