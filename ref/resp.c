/*
 * Response framing and output (RFC 9112 §6, RFC 9110 §6.6, §15). One place
 * decides how a body is delimited: Content-Length when the length is
 * known; chunked when it is not and the client speaks HTTP/1.1; otherwise
 * the connection closes after the body (HTTP/1.0). HEAD, 1xx, 204 and 304
 * never carry a body. Every response gets Date (formatted once per second)
 * and Server (server.tag). Output leaves in as few system calls as
 * possible: the head and small bodies in one write(), files by sendfile(2).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httputil.h"
#include "log.h"
#include "mod.h"
#include "server.h"

static const struct {
	int status;
	const char *text;
} reasons[] = {{100, "Continue"}, {200, "OK"}, {204, "No Content"},
	{206, "Partial Content"}, {301, "Moved Permanently"}, {302, "Found"},
	{303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"},
	{308, "Permanent Redirect"}, {400, "Bad Request"}, {403, "Forbidden"},
	{404, "Not Found"}, {405, "Method Not Allowed"},
	{408, "Request Timeout"}, {411, "Length Required"},
	{413, "Payload Too Large"}, {414, "URI Too Long"},
	{416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"}, {501, "Not Implemented"},
	{502, "Bad Gateway"}, {503, "Service Unavailable"},
	{504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"}};

const char *
resp_reason(int status)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].text;
	return "Unknown";
}

/* IMF-fixdate (RFC 9110 §5.6.7), cached for the second it names. */
const char *
resp_http_date(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return out;
}

static const char *
date_now(struct server *s)
{
	static char cached[32];
	static time_t at = -1;
	time_t now = loop_wall(s->loop);

	if (now != at) {
		resp_http_date(now, cached);
		at = now;
	}
	return cached;
}

static int
no_body_status(int status)
{
	return (status >= 100 && status < 200) || status == 204 ||
		status == 304;
}

int
resp_head(struct conn *c, int status, long long len, const char *type,
	const char *extra)
{
	struct req *r = &c->req;
	struct buf *b = &c->out;
	const char *tag = c->srv->conf.tag;
	struct hbuf h;
	char code[4] = {(char)('0' + status / 100),
		(char)('0' + status / 10 % 10), (char)('0' + status % 10), 0};

	r->status = status;
	buf_space(b);
	h.p = buf_tail(b);
	h.cap = b->cap - b->off - b->len;
	h.len = 0;
	h.over = 0;
	hb_put(&h, r->version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ", 9);
	hb_put(&h, code, 3);
	hb_put(&h, " ", 1);
	hb_str(&h, resp_reason(status));
	hb_put(&h, "\r\n", 2);
	if (type != NULL)
		hb_field(&h, "Content-Type", type);
	if (status >= 200 && (r->resp_add != NULL || r->resp_set != NULL))
		mod_setenv_response(r->resp_add, r->resp_set, extra, &h);
	else if (extra != NULL)
		hb_str(&h, extra);
	if (no_body_status(status)) {
		/* RFC 9110 §8.6: no Content-Length on 1xx, 204 or 304 */
	} else if (len >= 0) {
		hb_put(&h, "Content-Length: ", 16);
		hb_num(&h, len);
		hb_put(&h, "\r\n", 2);
	} else if (r->version == 11) {
		r->chunked_out = !r->is_head;
		hb_str(&h, "Transfer-Encoding: chunked\r\n");
	} else {
		/* RFC 9112 §6.3 rule 8: an HTTP/1.0 client reads to close. */
		c->close_after = 1;
	}
	if (!r->keep_alive || c->srv->stopping)
		c->close_after = 1;
	if (c->close_after)
		hb_str(&h, "Connection: close\r\n");
	else if (r->version == 10)
		hb_str(&h, "Connection: keep-alive\r\n");
	hb_field(&h, "Date", date_now(c->srv));
	/* A gateway backend's own Server field is kept (lighttpd). */
	if (tag[0] != '\0' &&
		(extra == NULL ||
			(strncasecmp(extra, "server:", 7) != 0 &&
				strcasestr(extra, "\nserver:") == NULL)))
		hb_field(&h, "Server", tag);
	hb_put(&h, "\r\n", 2);
	if (h.over)
		return -1;
	buf_commit(b, h.len);
	return 0;
}

int
resp_error(struct conn *c, int status)
{
	struct req *r = &c->req;
	char body[512];
	int n;

	r->body = BODY_NONE;
	if (no_body_status(status))
		return resp_head(c, status, 0, NULL, NULL);
	/* The same page lighttpd sends, so clients see no difference. */
	n = snprintf(body, sizeof(body),
		"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
		"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
		"Transitional//EN\"\n"
		"         \"http://www.w3.org/TR/xhtml1/DTD/"
		"xhtml1-transitional.dtd\">\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" "
		"lang=\"en\">\n <head>\n  <title>%d %s</title>\n </head>\n"
		" <body>\n  <h1>%d %s</h1>\n </body>\n</html>\n",
		status, resp_reason(status), status, resp_reason(status));
	if (resp_head(c, status, n, "text/html", NULL) == -1)
		return -1;
	if (r->is_head)
		return 0;
	r->bytes_out += n;
	return buf_append(&c->out, body, (size_t)n);
}

/* Frame the next piece of a stream into the output buffer. */
static int
stream_more(struct conn *c)
{
	struct req *r = &c->req;
	struct buf *b = &c->out;
	size_t room = buf_space(b);
	char *p = buf_tail(b);
	long n;

	if (room < 64)
		return 0;
	if (!r->chunked_out) {
		n = r->fill(c, p, room);
		if (n == -2)
			return 2;
		if (n > 0) {
			buf_commit(b, (size_t)n);
			r->bytes_out += n;
		}
		return n == 0 ? 1 : n < 0 ? -1 : 0;
	}
	/* "XXXX\r\n" with leading zeros (RFC 9112 §7.1 chunk-size is
	 * 1*HEXDIG) so the size line can be written after the data. */
	n = r->fill(c, p + 6, room - 6 - 7 < 0xffff ? room - 6 - 7 : 0xffff);
	if (n == -2)
		return 2;
	if (n < 0)
		return -1;
	if (n == 0) {
		memcpy(p, "0\r\n\r\n", 5);
		buf_commit(b, 5);
		return 1;
	}
	{
		static const char hex[] = "0123456789abcdef";
		int i;

		for (i = 0; i < 4; i++)
			p[i] = hex[(n >> (12 - 4 * i)) & 15];
		p[4] = '\r';
		p[5] = '\n';
	}
	memcpy(p + 6 + n, "\r\n", 2);
	buf_commit(b, (size_t)n + 8);
	r->bytes_out += n;
	return 0;
}

/* Write what is queued. 1: the response is complete; 0: the socket is
 * full (wait for LOOP_WRITE); 2: all written, the stream's producer has
 * nothing yet (it calls conn_wake); -1: the client is gone. */
int
resp_write(struct conn *c)
{
	struct req *r = &c->req;
	int ended = r->body != BODY_STREAM, stalled = 0;

	for (;;) {
		if (!ended && !stalled) {
			int rc = stream_more(c);

			/* The producer failed: what is queued (the head, the
			 * body so far) still leaves, best effort, before the
			 * close tells the client the body is cut. */
			if (rc == -1) {
				(void)send(c->fd, buf_head(&c->out), c->out.len,
					MSG_NOSIGNAL);
				return -1;
			}
			stalled = rc == 2;
			ended = rc == 1;
			if (ended)
				r->body = BODY_NONE;
		}
		while (c->out.len > 0) {
			int more = r->body == BODY_FILE ? MSG_MORE : 0;
			ssize_t n = send(c->fd, buf_head(&c->out), c->out.len,
				MSG_NOSIGNAL | more);

			if (n == -1)
				return errno == EAGAIN || errno == EINTR ? 0
									 : -1;
			buf_consume(&c->out, (size_t)n);
		}
		if (ended)
			break;
		if (stalled)
			return 2;
	}
	while (r->body == BODY_FILE && r->file_left > 0) {
		size_t want = r->file_left > (1 << 30) ? (1 << 30)
						       : (size_t)r->file_left;
		ssize_t n = sendfile(c->fd, r->file_fd, &r->file_off, want);

		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (n == 0) /* the file shrank under us: cut, and close */
			return -1;
		r->file_left -= n;
		r->bytes_out += n;
	}
	return 1;
}
