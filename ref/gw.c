/*
 * The gateway engine's state machine: one struct gw_req per backend
 * exchange. Connect without blocking (connect-timeout), write the framed
 * request (the body is complete, in memory or a spilled temp file, so
 * CONTENT_LENGTH is exact even for chunked uploads; or, under
 * server.stream-request-body, framed as it arrives, gw_body_more()),
 * read and unframe
 * the response through the protocol table, hand the head to gw_resp.c and
 * stream the body to the client through req.fill with back-pressure: the
 * backend is read only while the client-side buffer has room. Under
 * server.stream-response-body 0 the response is held instead (memory,
 * then a temp file) and sent with its exact length once the backend is
 * done (gw_unhold(), spec/gateway.md GW-HOLD-*).
 *
 * Every failure ends in gw_fail(), the one table of spec/gateway.md:
 * connect failures disable the proc for disable-time and retry another
 * host while the backend can have seen nothing (then 503); write/read
 * timeouts 504; a backend that closes early or sends a malformed stream or
 * head 502; once the head went out, the client connection is closed
 * without a final chunk, so it can tell the body is cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "gw.h"
#include "log.h"
#include "server.h"

/* Raw backend bytes held: one whole FastCGI record (header, 65535 bytes
 * of content, 255 of padding) fits, so a record never has to wait for
 * room that only its own completion would free. */
#define GW_RB_CAP (8 + 65535 + 255)
/* Largest response head: lighttpd's 65535 (cgi_resp's default). */
#define GW_HEAD_CAP CGI_RESP_MAX_HEAD_DEFAULT
/* Connect attempts per request: lighttpd reconnects up to 5 times. */
#define GW_MAX_TRIES 5

static void on_backend_io(struct loop *l, struct loop_io *io, unsigned ev);
static void on_backend_timeout(struct loop *l, struct loop_timer *t);
static int gw_connect(struct gw_req *g);

static struct loop *
gw_loop(const struct gw_req *g)
{
	return g->c->srv->loop;
}

static void
gw_close_backend(struct gw_req *g)
{
	if (g->fd == -1)
		return;
	if (!g->detached) {
		loop_io_del(gw_loop(g), &g->io);
		loop_timer_stop(gw_loop(g), &g->timer);
	}
	close(g->fd);
	g->fd = -1;
	if (g->host->proc.load > 0)
		g->host->proc.load--;
	g->state = GW_DONE;
}

static void
gw_free(void *obj)
{
	struct gw_req *g = obj;

	buf_free(&g->wb);
	buf_free(&g->rb);
	buf_free(&g->head);
	buf_free(&g->ob);
	buf_free(&g->cb);
	if (g->spool_fd != -1)
		close(g->spool_fd);
	free(g->env.vars);
	free(g->env.mem);
	free(g->vars_mem);
	gw_conf_put(g->conf);
	free(g);
}

/* req.fill_free: the request is over (answered, or the client left). */
static void
gw_release(void *state)
{
	struct gw_req *g = state;
	struct loop *l = gw_loop(g);

	gw_close_backend(g);
	g->detached = 1;
	g->defer.fn = gw_free;
	g->defer.obj = g;
	loop_defer(l, &g->defer);
}

/* Let the client side run; the last thing a callback does, as it may
 * end the request and release g. */
static void
gw_wake(struct gw_req *g)
{
	if (!g->detached)
		conn_wake(g->c);
}

/*
 * The failure table: decided and logged once, with the backend named.
 * Before the head: answer status. After it: the client connection is
 * closed once the queued body is out (gw_fill returns -1).
 */
void
gw_fail(struct gw_req *g, int status, const char *why)
{
	struct conn *c = g->c;

	int sent;

	if (g->failed || g->detached)
		return;
	g->failed = 1;
	/* A held response (stream-response-body 0) has sent nothing. */
	sent = g->head_done && !g->hold;
	log_conn(c->id, c->req.id, "%s backend %s (%s): %s -> %s",
		g->conf->proto->name, g->host->label, g->host->proc.name, why,
		sent ? "connection closed" : resp_reason(status));
	gw_close_backend(g);
	if (!sent) {
		g->head_done = 1;
		/* The request was read whole: the client connection stays
		 * in sync and may carry its next request (RFC 9112 §9.3).
		 * A body still streaming closes it after (conn.c). */
		c->out.len = c->out.off = 0;
		if (resp_error(c, status) == -1)
			conn_close(c);
	}
}

/* Arm the one timer for the phase we are in (0 s: no limit). */
static void
gw_arm(struct gw_req *g)
{
	unsigned secs = 0;

	if (g->fd == -1)
		return;
	if (g->state == GW_CONNECT)
		secs = g->host->connect_timeout;
	else if (g->wb.len > 0)
		secs = g->host->write_timeout;
	else if (!g->eof && gw_room(g) > 0)
		/* Paused for a slow client: the client side's write
		 * timeout governs, not the backend's read timeout. */
		secs = g->host->read_timeout;
	if (secs == 0)
		loop_timer_stop(gw_loop(g), &g->timer);
	else
		loop_timer_set(gw_loop(g), &g->timer, secs * 1000ull);
}

/* Room in the client-side queue for body bytes. */
static size_t
gw_ob_room(struct gw_req *g)
{
	size_t ob = buf_space(&g->ob);

	/* Decoded chunked data is never longer than its encoding. */
	if (g->chunked)
		return ob > g->cb.len ? ob - g->cb.len : 0;
	return ob;
}

/*
 * A held response (stream-response-body 0) outgrew memory: move what ob
 * holds to the spool file, an unlinked temp file in server.upload-dirs
 * opened on first use (lighttpd's temp files). 0, or -1 after gw_fail():
 * the client gets a clean 502, nothing having been sent.
 */
static int
gw_spill(struct gw_req *g)
{
	const char *dir = g->c->srv->conf.upload_dir;

	if (g->spool_fd == -1) {
		struct statvfs sv;

		g->spool_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (g->spool_fd == -1) {
			log_warn("conn %llu: temp file in %s",
				(unsigned long long)g->c->id, dir);
			gw_fail(g, 502, "cannot spool the held response");
			return -1;
		}
		/* Free-space check, as for spilled request bodies. */
		if (fstatvfs(g->spool_fd, &sv) == 0 &&
			(long long)(sv.f_bavail * sv.f_frsize) <
				LIMIT_UPLOAD_RESERVE) {
			gw_fail(g, 502,
				"no room in upload dir for the response");
			return -1;
		}
	}
	if (g->spool_len + (long long)g->ob.len > LIMIT_RESP_HOLD_MAX) {
		gw_fail(g, 502, "held response over LIMIT_RESP_HOLD_MAX");
		return -1;
	}
	while (g->ob.len > 0) {
		ssize_t n = write(g->spool_fd, buf_head(&g->ob), g->ob.len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			gw_fail(g, 502, "writing the spooled response");
			return -1;
		}
		g->spool_len += n;
		buf_consume(&g->ob, (size_t)n);
	}
	return 0;
}

/* Room for response bytes: the head buffer until the head is complete,
 * then the client-side queue, which a held response empties into its
 * spool file instead of waiting for the client. */
size_t
gw_room(struct gw_req *g)
{
	if (g->discard)
		return GW_OB_CAP;
	if (!g->head_done)
		return buf_space(&g->head);
	if (g->hold && !g->failed && g->ob.len > 0 &&
		(gw_ob_room(g) == 0 || g->ob.len >= LIMIT_RESP_MEM) &&
		gw_spill(g) == -1)
		return 0;
	return gw_ob_room(g);
}

/*
 * The backend finished a held response: queue the head with the body's
 * exact length (RFC 9112 §6.2; no chunked framing needed), then the body
 * from memory (gw_fill) or from the spool file (sent like a static
 * file). A Content-Length the app did not fill is a clean 502 here.
 */
static void
gw_unhold(struct gw_req *g)
{
	struct req *r = &g->c->req;
	long long len;

	if (g->cl_left > 0) {
		gw_fail(g, 502, "backend ended before its Content-Length");
		return;
	}
	if (g->spool_fd != -1 && gw_spill(g) == -1)
		return;
	len = g->spool_fd != -1 ? g->spool_len : (long long)g->ob.len;
	if (resp_head(g->c, g->hold_status, len, NULL, g->extra) == -1) {
		gw_fail(g, 502, "response head refused");
		return;
	}
	g->hold = 0;
	if (g->spool_fd == -1) {
		r->body = BODY_STREAM;
		return;
	}
	r->file_fd = g->spool_fd;
	r->file_off = 0;
	r->file_left = len;
	r->body = BODY_FILE;
	g->spool_fd = -1;
}

static void
gw_update_io(struct gw_req *g)
{
	unsigned mask = 0;

	if (g->fd == -1 || g->detached)
		return;
	if (g->state == GW_CONNECT) {
		mask = LOOP_WRITE;
	} else {
		if (g->wb.len > 0)
			mask |= LOOP_WRITE;
		if (!g->eof && buf_space(&g->rb) > 0 && gw_room(g) > 0)
			mask |= LOOP_READ;
	}
	if (mask != g->io.mask)
		(void)loop_io_mod(gw_loop(g), &g->io, mask);
}

/* Frame more of the request body into wb (memory or the spilled file). */
static int
gw_refill(struct gw_req *g)
{
	static char tmp[65535];
	const struct gw_proto *p = g->conf->proto;
	struct req *r = &g->c->req;
	long long total = g->host->mode == GW_AUTHORIZER ? 0
		: r->body_stream ? (long long)r->frame.length
				 : r->body_len;

	while (!g->body_framed) {
		size_t room = buf_space(&g->wb), n;
		long long left = total - g->body_off;
		long k;

		if (room <= p->body_overhead)
			break;
		n = room - p->body_overhead;
		if (n > p->body_max)
			n = p->body_max;
		if ((long long)n > left)
			n = (size_t)left;
		/* A streamed body: only what has arrived. */
		if (g->host->mode != GW_AUTHORIZER &&
			(long long)n > r->body_len - g->body_off)
			n = (size_t)(r->body_len - g->body_off);
		if (n > 0 && r->body_fd != -1) {
			ssize_t got = pread(r->body_fd, tmp, n, g->body_off);

			if (got <= 0)
				return -1;
			n = (size_t)got;
		} else if (n > 0) {
			memcpy(tmp, r->body_mem + g->body_off, n);
		}
		if (n == 0 && left > 0)
			break;
		k = p->frame_body(buf_tail(&g->wb), room, tmp, n,
			g->body_off + (long long)n == total);
		if (k < 0)
			break;
		buf_commit(&g->wb, (size_t)k);
		g->body_off += (long long)n;
		if (g->body_off == total)
			g->body_framed = 1;
	}
	return 0;
}

static void
gw_write(struct gw_req *g)
{
	while (g->wb.len > 0 || !g->body_framed) {
		ssize_t n;

		if (gw_refill(g) == -1) {
			gw_fail(g, 500, "cannot read the spilled request body");
			return;
		}
		if (g->wb.len == 0)
			return; /* the rest of a streamed body is to come */
		n = send(g->fd, buf_head(&g->wb), g->wb.len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* The app stopped reading (it may already have
			 * answered without the body): stop writing, read
			 * on; EOF without a head is then a 502. */
			g->wb.len = g->wb.off = 0;
			g->body_framed = 1;
			return;
		}
		g->sent = 1;
		buf_consume(&g->wb, (size_t)n);
	}
}

/* tcp-fin-propagate (lgw §1.2): pass the client's FIN on once the
 * whole request is written; the app may read its EOF as an abort. */
static void
gw_shut(struct gw_req *g)
{
	if (!g->fin_pending || g->fd == -1 || g->state != GW_XFER ||
		!g->body_framed || g->wb.len > 0)
		return;
	g->fin_pending = 0;
	(void)shutdown(g->fd, SHUT_WR);
}

void
gw_client_fin(struct conn *c)
{
	struct req *r = &c->req;
	struct gw_req *g = r->fill_state;

	if (r->fill_free != gw_release || g->client_fin)
		return;
	g->client_fin = 1;
	r->keep_alive = 0;
	/* Never for the authorizer: its answer decides whether the
	 * responder runs at all (lighttpd). */
	if (g->host->tcp_fin_propagate && g->host->mode != GW_AUTHORIZER) {
		g->fin_pending = 1;
		gw_shut(g);
		gw_update_io(g);
	}
}

static struct gw_req *
gw_of(struct conn *c)
{
	struct req *r = &c->req;

	return r->fill_free == gw_release ? r->fill_state : NULL;
}

void
gw_body_more(struct conn *c)
{
	struct gw_req *g = gw_of(c);

	if (g == NULL || g->fd == -1 || g->state != GW_XFER)
		return;
	gw_write(g);
	gw_shut(g);
	gw_update_io(g);
	gw_arm(g);
}

int
gw_body_room(struct conn *c)
{
	struct gw_req *g = gw_of(c);

	/* Not the gateway, or its backend is gone: the rest of the body is
	 * read and spooled (bounded by max-request-size), then dropped. */
	if (g == NULL || g->fd == -1 || g->host->mode == GW_AUTHORIZER)
		return 1;
	return c->req.body_len - g->body_off + (long long)g->wb.len <
		GW_BODY_HWM;
}

/* Connect failed or timed out: sit the proc out, try another. */
static void
gw_connect_failed(struct gw_req *g, int err)
{
	struct conn *c = g->c;
	time_t now = loop_wall(gw_loop(g));

	log_conn(c->id, c->req.id, "%s backend %s (%s): connect: %s",
		g->conf->proto->name, g->host->label, g->host->proc.name,
		strerror(err));
	g->host->proc.disabled_until = now + (time_t)g->host->disable_time;
	gw_close_backend(g);
	g->state = GW_CONNECT;
	if (++g->tries < GW_MAX_TRIES &&
		(g->host = gw_host_pick(g->ext, now)) != NULL) {
		if (gw_connect(g) == 0)
			return;
	}
	if (g->host == NULL)
		g->host = g->ext->hosts[0];
	gw_fail(g, 503, "no backend available");
}

static int
gw_connect(struct gw_req *g)
{
	struct gw_proc *p = &g->host->proc;
	int fd;

	fd = socket(p->addr.ss_family,
		SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("%s: socket", g->conf->proto->name);
		return -1;
	}
	g->fd = fd;
	p->load++;
	g->io.fd = fd;
	g->io.mask = 0;
	g->io.cb = on_backend_io;
	g->io.data = g;
	g->timer.cb = on_backend_timeout;
	g->timer.data = g;
	g->state = GW_XFER;
	if (connect(fd, (struct sockaddr *)&p->addr, p->addrlen) == -1) {
		/* EAGAIN from a unix socket: its listen queue is full and
		 * nothing is in progress (lighttpd waits on it anyway, then
		 * trusts a socket that never connected): a connect failure,
		 * so another proc is tried. */
		if (errno != EINPROGRESS && errno != EINTR) {
			int err = errno;

			g->io.fd = -1;
			gw_connect_failed(g, err);
			return 0;
		}
		g->state = GW_CONNECT;
	}
	if (loop_io_add(gw_loop(g), &g->io, LOOP_WRITE) == -1) {
		log_warn("%s: watch backend fd", g->conf->proto->name);
		gw_close_backend(g);
		return -1;
	}
	gw_arm(g);
	return 0;
}

/* Unframe what rb holds; never wakes the client side. */
static void
gw_process(struct gw_req *g)
{
	while (g->rb.len > 0 && !g->ended && !g->failed) {
		long k =
			g->conf->proto->unframe(g, buf_head(&g->rb), g->rb.len);

		if (k < 0) {
			gw_fail(g, 502, "malformed response stream");
			return;
		}
		if (k == 0)
			break;
		buf_consume(&g->rb, (size_t)k);
	}
	if (g->ended) {
		gw_close_backend(g);
		if (g->hold && !g->failed)
			gw_unhold(g);
	} else if (g->eof && g->rb.len == 0)
		gw_fail(g, 502, "backend closed before the response ended");
}

static void
gw_read(struct gw_req *g)
{
	for (;;) {
		size_t room = buf_space(&g->rb);
		ssize_t n;

		if (room == 0 || gw_room(g) == 0)
			break;
		n = read(g->fd, buf_tail(&g->rb), room);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			g->eof = 1;
			break;
		}
		buf_commit(&g->rb, (size_t)n);
		gw_process(g);
		if (g->fd == -1)
			return;
	}
	gw_process(g);
}

/* The authorizer said 200: this exchange is over; route the request
 * again for its responder (or the static handler), with the variables. */
static void
gw_after_auth(struct gw_req *g)
{
	struct conn *c = g->c;
	struct req *r = &c->req;

	r->fill = NULL;
	r->fill_state = NULL;
	r->fill_free = NULL;
	r->body = BODY_NONE;
	gw_release(g); /* freed by the loop: g->vars stay valid till then */
	if (!gw_route(c, g))
		static_handle(c);
	conn_wake(c);
}

static void
on_backend_io(struct loop *l, struct loop_io *io, unsigned ev)
{
	struct gw_req *g = io->data;

	(void)l;
	if (g->state == GW_CONNECT) {
		int err = 0;
		socklen_t len = sizeof(err);

		struct sockaddr_storage sa;
		socklen_t salen = sizeof(sa);

		if (getsockopt(g->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		/* Writable yet not connected: refused without an error. */
		if (err == 0 &&
			getpeername(g->fd, (struct sockaddr *)&sa, &salen) ==
				-1)
			err = ECONNREFUSED;
		if (err != 0) {
			gw_connect_failed(g, err);
			gw_wake(g);
			return;
		}
		g->state = GW_XFER;
	}
	if (ev & (LOOP_WRITE | LOOP_ERROR)) {
		gw_write(g);
		gw_shut(g);
	}
	if (g->fd != -1 && (ev & (LOOP_READ | LOOP_ERROR)))
		gw_read(g);
	if (g->auth_ok && !g->detached) {
		gw_after_auth(g);
		return;
	}
	gw_update_io(g);
	gw_arm(g);
	gw_wake(g);
}

static void
on_backend_timeout(struct loop *l, struct loop_timer *t)
{
	struct gw_req *g = t->data;

	(void)l;
	if (g->state == GW_CONNECT)
		gw_connect_failed(g, ETIMEDOUT);
	else if (g->wb.len > 0)
		gw_fail(g, 504, "write timeout");
	else
		gw_fail(g, 504, "read timeout");
	gw_wake(g);
}

/* req.fill: hand queued body bytes to the client side. -2: none now. */
static long
gw_fill(struct conn *c, char *dst, size_t cap)
{
	struct gw_req *g = c->req.fill_state;
	size_t n = g->ob.len < cap ? g->ob.len : cap;

	if (n > 0) {
		memcpy(dst, buf_head(&g->ob), n);
		buf_consume(&g->ob, n);
		/* Room again: take what rb already holds, and read on. */
		gw_process(g);
		gw_update_io(g);
		gw_arm(g);
		return (long)n;
	}
	if (g->failed)
		return -1;
	if (g->ended || g->eof)
		return g->cl_left > 0 ? -1 : 0;
	return -2;
}

void
gw_on_end(struct gw_req *g, unsigned app_status, int proto_status)
{
	(void)app_status;
	g->ended = 1;
	if (proto_status != FCGI_REQUEST_COMPLETE && !g->head_done)
		gw_fail(g, 503, "backend refused the request (protocolStatus)");
	else if (!g->head_done)
		gw_fail(g, 502, "response ended before a complete head");
}

/* Start the exchange for a routed request: env built, head framed. */
int
gw_start(struct gw_req *g)
{
	struct conn *c = g->c;
	struct req *r = &c->req;
	const struct gw_proto *p = g->conf->proto;
	size_t hs = p->head_size(&g->env);
	long k;

	g->fd = -1;
	g->spool_fd = -1;
	g->cl_left = -1;
	p->init(g);
	if (buf_init(&g->wb, hs + p->body_max + 2 * p->body_overhead) == -1 ||
		buf_init(&g->rb, GW_RB_CAP) == -1 ||
		buf_init(&g->head, GW_HEAD_CAP) == -1 ||
		buf_init(&g->ob, GW_OB_CAP) == -1)
		return -1;
	k = p->frame_head(
		buf_tail(&g->wb), buf_space(&g->wb), &g->env, g->host->mode);
	if (k < 0)
		return -1;
	buf_commit(&g->wb, (size_t)k);
	r->body = BODY_WAIT;
	r->fill = gw_fill;
	r->fill_state = g;
	r->fill_free = gw_release;
	if (gw_connect(g) == -1)
		gw_fail(g, 500, "cannot open a backend socket");
	return 0;
}
