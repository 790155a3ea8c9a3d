/*
 * The backend's response head -> the client's (RFC 3875 §6, lighttpd
 * http_response_parse_headers, spec/gateway.md). The cgi_resp codec
 * decides what is malformed (every refusal is a 502, RFC 9110 §15.6.3);
 * here: Status and Location (302) become the status line, 1xx heads are
 * forwarded (never to HTTP/1.0, RFC 9110 §15.2) and parsing goes on,
 * hop-by-hop and server-owned fields are dropped, X-Sendfile is served
 * from disk under x-sendfile-docroot, and an authorizer's 200 turns its
 * Variable-* fields into variables for the responder, never the client.
 * Integrity: HEAD, 1xx, 204 and 304 responses never carry a body.
 * The protocol table's unframe() delivers here: gw_on_stdout() (head
 * bytes, then the body cut at Content-Length or de-chunked, RFC 9112
 * §6.3/§7.1) and gw_on_stderr() (escaped into the error log).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw.h"
#include "httputil.h"
#include "log.h"
#include "server.h"

static int
is(struct slice n, const char *lit)
{
	return n.len == strlen(lit) && strncasecmp(n.p, lit, n.len) == 0;
}

static int
starts(struct slice n, const char *lit)
{
	size_t k = strlen(lit);

	return n.len >= k && strncasecmp(n.p, lit, k) == 0;
}

/* Fields that never reach the client: ours to set (Date, framing),
 * hop-by-hop (Connection), or instructions to us (X-Sendfile...). */
static int
dropped(struct slice n)
{
	return is(n, "connection") || is(n, "keep-alive") || is(n, "date") ||
		is(n, "content-length") || is(n, "transfer-encoding") ||
		is(n, "x-sendfile") || is(n, "x-sendfile2") ||
		starts(n, "x-lighttpd-");
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* X-Sendfile (lighttpd-gateway.md §5.6): 0 with the file queued, or the
 * status to answer: 403 outside x-sendfile-docroot or unreadable, 404
 * missing, 502 not a regular file or a path we refuse to decode. */
static int
xsendfile(struct gw_req *g, struct slice v, int status)
{
	struct conn *c = g->c;
	struct req *r = &c->req;
	char path[LIMIT_PATH];
	size_t i, n = 0;
	struct stat st;
	int fd, ok;

	for (i = 0; i < v.len && n + 1 < sizeof(path); i++) {
		if (v.p[i] == '%' && i + 2 < v.len && hexval(v.p[i + 1]) >= 0 &&
			hexval(v.p[i + 2]) >= 0) {
			path[n++] = (char)(hexval(v.p[i + 1]) * 16 +
				hexval(v.p[i + 2]));
			i += 2;
		} else {
			path[n++] = v.p[i];
		}
	}
	path[n] = '\0';
	if (n == 0 || path[0] != '/' || memchr(path, '\0', n) != NULL ||
		strstr(path, "/../") != NULL ||
		(n >= 3 && strcmp(path + n - 3, "/..") == 0))
		return 502;
	ok = g->host->nxsendfile_docroot == 0;
	for (i = 0; i < g->host->nxsendfile_docroot; i++)
		if (strncmp(path, g->host->xsendfile_docroot[i],
			    strlen(g->host->xsendfile_docroot[i])) == 0)
			ok = 1;
	if (!ok)
		return 403;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 404 : 403;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 502;
	}
	r->file_fd = fd;
	r->file_off = 0;
	r->file_left = st.st_size;
	g->discard = 1;
	if (resp_head(c, status, st.st_size, NULL, g->extra) == -1)
		return 502;
	r->body = r->is_head ? BODY_NONE : BODY_FILE;
	return 0;
}

/* Authorizer approved: keep Variable-NAME as NAME for the responder. */
static int
keep_vars(struct gw_req *g, const struct field *f, size_t n)
{
	size_t i, len = 0;
	char *p;

	for (i = 0; i < n; i++)
		if (starts(f[i].name, "variable-") && f[i].name.len > 9)
			len += f[i].name.len + f[i].value.len;
	if ((g->vars_mem = malloc(len + 1)) == NULL)
		return -1;
	p = g->vars_mem;
	for (i = 0; i < n && g->nvars < sizeof(g->vars) / sizeof(g->vars[0]);
		i++) {
		struct field *v = &g->vars[g->nvars];
		size_t k = f[i].name.len - 9;

		if (!starts(f[i].name, "variable-") || k == 0)
			continue;
		memcpy(p, f[i].name.p + 9, k);
		v->name.p = p;
		v->name.len = k;
		p += k;
		memcpy(p, f[i].value.p, f[i].value.len);
		v->value.p = p;
		v->value.len = f[i].value.len;
		p += f[i].value.len;
		g->nvars++;
	}
	return 0;
}

int
gw_resp_head(struct gw_req *g, const struct cgi_resp *cr, const struct field *f,
	size_t n)
{
	struct conn *c = g->c;
	struct req *r = &c->req;
	struct hbuf h = {g->extra, 0, sizeof(g->extra) - 1, 0};
	const struct slice *xs = NULL;
	int status = cr->status, nobody;
	size_t i;

	if (g->host->mode == GW_AUTHORIZER && status == 200) {
		g->auth_ok = 1;
		g->discard = 1;
		return keep_vars(g, f, n) == -1 ? 500 : 0;
	}
	for (i = 0; i < n; i++) {
		if (is(f[i].name, "connection") &&
			memmem(f[i].value.p, f[i].value.len, "close", 5))
			r->keep_alive = 0;
		if (g->host->xsendfile &&
			(is(f[i].name, "x-sendfile") ||
				is(f[i].name, "x-lighttpd-send-file")))
			xs = &f[i].value;
		if (dropped(f[i].name))
			continue;
		hb_put(&h, f[i].name.p, f[i].name.len);
		hb_put(&h, ": ", 2);
		hb_put(&h, f[i].value.p, f[i].value.len);
		hb_put(&h, "\r\n", 2);
	}
	if (h.over)
		return 502;
	g->extra[h.len] = '\0';
	if (xs != NULL)
		return xsendfile(g, *xs, status);
	nobody = r->is_head || status == 204 || status == 304;
	g->cl_left = cr->content_length;
	if (cr->chunked) {
		struct chunked_opts co;

		chunked_opts_default(&co);
		chunked_init(&g->chunk, &co);
		g->chunked = 1;
		g->cl_left = 1; /* until the last chunk: a cut body closes */
	}
	if (!nobody && g->conf->stream_response_body == 0) {
		/* server.stream-response-body 0: the head waits for the
		 * whole body, then goes with its exact length (gw.c). */
		g->hold = 1;
		g->hold_status = status;
		return 0;
	}
	if (resp_head(c, status,
		    nobody && !r->is_head
			    ? 0
			    : (cr->chunked ? -1 : cr->content_length),
		    NULL, g->extra) == -1)
		return 502;
	if (nobody) {
		g->discard = 1;
		r->body = BODY_NONE;
	} else
		r->body = BODY_STREAM;
	return 0;
}

/* 1xx other than 101: forwarded to HTTP/1.1 clients only. */
static void
forward_1xx(struct gw_req *g, const struct cgi_resp *cr, const struct field *f,
	size_t n)
{
	struct conn *c = g->c;
	struct hbuf h;
	size_t i;

	if (c->req.version < 11)
		return;
	buf_space(&c->out);
	h.p = buf_tail(&c->out);
	h.cap = c->out.cap - c->out.off - c->out.len;
	h.len = 0;
	h.over = 0;
	hb_put(&h, "HTTP/1.1 ", 9);
	hb_num(&h, cr->status);
	hb_put(&h, " ", 1);
	hb_str(&h, resp_reason(cr->status));
	hb_put(&h, "\r\n", 2);
	for (i = 0; i < n; i++) {
		hb_put(&h, f[i].name.p, f[i].name.len);
		hb_put(&h, ": ", 2);
		hb_put(&h, f[i].value.p, f[i].value.len);
		hb_put(&h, "\r\n", 2);
	}
	hb_put(&h, "\r\n", 2);
	if (!h.over)
		buf_commit(&c->out, h.len);
}

/* RFC 9112 §7.1: a chunked body from the app is decoded here, framed
 * again (or not) for the client by resp.c; trailers are dropped. */
static void
gw_dechunk(struct gw_req *g, const char *p, size_t n)
{
	if (g->cl_left == 0)
		return; /* past the last chunk: excess is cut */
	if (g->cb.data == NULL && buf_init(&g->cb, GW_OB_CAP) == -1) {
		gw_fail(g, 502, "out of memory for a chunked body");
		return;
	}
	(void)buf_append(&g->cb, p, n);
	while (g->cb.len > 0) {
		struct chunked_out o;
		long k = chunked_decode(
			&g->chunk, buf_head(&g->cb), g->cb.len, &o);

		if (k < 0) {
			gw_fail(g, 502, chunked_reason_name(g->chunk.reason));
			return;
		}
		if (k == 0)
			break;
		if (o.event == CHUNKED_EV_DATA)
			(void)buf_append(&g->ob, o.data.p, o.data.len);
		buf_consume(&g->cb, (size_t)k);
		if (o.event == CHUNKED_EV_DONE) {
			g->cl_left = 0;
			g->cb.len = g->cb.off = 0;
			return;
		}
	}
	buf_space(&g->cb); /* keep a partial line at the front */
}

size_t
gw_on_stdout(struct gw_req *g, const char *p, size_t n)
{
	size_t room = gw_room(g);

	if (p == NULL)
		return room;
	if (g->discard)
		return n;
	if (g->head_done && g->chunked) {
		gw_dechunk(g, p, n);
		return n;
	}
	if (g->head_done) {
		/* Beyond Content-Length: cut (the connection is never
		 * reused; one request per connection here anyway). */
		if (g->cl_left >= 0 && (long long)n > g->cl_left)
			n = (size_t)g->cl_left;
		if (g->cl_left >= 0)
			g->cl_left -= (long long)n;
		(void)buf_append(&g->ob, p, n);
		return n;
	}
	if (buf_append(&g->head, p, n) == -1)
		return 0;
	gw_head_more(g);
	return n;
}

void
gw_on_stderr(struct gw_req *g, const char *p, size_t n)
{
	char esc[LIMIT_LOG_LINE / 2];

	if (g->detached)
		return;
	log_conn(g->c->id, g->c->req.id, "%s backend %s stderr: %s",
		g->conf->proto->name, g->host->label,
		log_escape(p, n, esc, sizeof(esc)));
}

void
gw_head_more(struct gw_req *g)
{
	static struct field f[CGI_RESP_MAX_FIELDS_DEFAULT];
	struct cgi_resp_opts o = {CGI_RESP_DETECT_NPH |
			CGI_RESP_LENIENT_NO_CGI_FIELD |
			CGI_RESP_ALLOW_TE_CHUNKED,
		0};
	struct cgi_resp cr;
	enum cgi_resp_reason why;
	int hlen, st;

	for (;;) {
		hlen = cgi_resp_decode(buf_head(&g->head), g->head.len, &o, &cr,
			f, CGI_RESP_MAX_FIELDS_DEFAULT, &why);
		if (hlen == 0) {
			if (buf_space(&g->head) == 0)
				gw_fail(g, 502, "response head too large");
			return;
		}
		if (hlen < 0) {
			gw_fail(g, 502, cgi_resp_reason_name(why));
			return;
		}
		if (cr.status >= 100 && cr.status < 200 && cr.status != 101 &&
			g->host->mode != GW_AUTHORIZER) {
			forward_1xx(g, &cr, f, cr.nfields);
			buf_consume(&g->head, (size_t)hlen);
			continue;
		}
		break;
	}
	/* No Upgrade through the gateway yet (lgw §9): a 101 would switch
	 * the client's protocol to something nobody relays. */
	if (cr.status < 200) {
		gw_fail(g, 502, "1xx as a final response (upgrade is off)");
		return;
	}
	if ((st = gw_resp_head(g, &cr, f, cr.nfields)) != 0) {
		gw_fail(g, st,
			st == 502 ? "response head refused" : "x-sendfile");
		return;
	}
	g->head_done = 1;
	buf_consume(&g->head, (size_t)hlen);
	if (g->head.len > 0)
		(void)gw_on_stdout(g, buf_head(&g->head), g->head.len);
	g->head.len = g->head.off = 0;
}
