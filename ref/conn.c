/*
 * Client connections: accept, read, the per-connection state machine,
 * write, timeouts, close. One request at a time per connection, so
 * pipelined responses leave in request order; when several pipelined
 * requests are already buffered and their responses are small, they are
 * answered into the output buffer together and leave in one write.
 * Timeouts as lighttpd: server.max-read-idle while a request is arriving
 * (408 if part of one came), server.max-keep-alive-idle between requests
 * (silent close), server.max-write-idle while the client is not reading.
 * A connection closed after a response first half-closes and drains the
 * client's unread bytes, so the response is not lost to a TCP reset.
 * While a response waits on its producer (a gateway backend) only a
 * hang-up is watched: a reset aborts the request and releases the
 * backend at once, a FIN is a half-close and the response still goes out
 * (RFC 9112 §9.6; spec/gateway.md GW-ABORT-*). Under
 * server.stream-request-body a Content-Length body is read while the
 * response is produced, paused while the backend is behind (GW-STREAM-*).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gw.h"
#include "log.h"
#include "mod.h"
#include "net.h"
#include "server.h"

static void on_client_io(struct loop *l, struct loop_io *io, unsigned ev);
static void on_conn_timeout(struct loop *l, struct loop_timer *t);
static void conn_run(struct conn *c);

/* Take a memory block for a request: from the pool, else malloc. */
static int
mem_get(struct conn *c)
{
	struct server *s = c->srv;
	struct conn_mem *m = s->pool;

	if (m != NULL) {
		s->pool = m->next;
		s->npool--;
	} else if ((m = malloc(sizeof(*m))) == NULL) {
		return -1;
	}
	c->mem = m;
	c->in = (struct buf){m->in, sizeof(m->in), 0, 0};
	c->out = (struct buf){m->out, sizeof(m->out), 0, 0};
	c->req.fields = m->fields;
	c->req.path = m->path;
	m->path[0] = '\0';
	return 0;
}

/* Give the block back; only when nothing in it is still needed. */
static void
mem_put(struct conn *c)
{
	struct server *s = c->srv;
	struct conn_mem *m = c->mem;

	if (m == NULL)
		return;
	c->mem = NULL;
	c->in = c->out = (struct buf){NULL, 0, 0, 0};
	c->req.fields = NULL;
	c->req.path = NULL;
	if (s->npool >= LIMIT_MEM_POOL) {
		free(m);
		return;
	}
	m->next = s->pool;
	s->pool = m;
	s->npool++;
}

void
conn_mem_pool_free(struct server *s)
{
	while (s->pool != NULL) {
		struct conn_mem *m = s->pool;

		s->pool = m->next;
		free(m);
	}
	s->npool = 0;
}

static void
conn_free(void *obj)
{
	struct conn *c = obj;

	req_reset(&c->req);
	mem_put(c);
	free(c);
}

void
server_pause(struct server *s, int pause)
{
	size_t i;

	if (s->paused == pause)
		return;
	s->paused = pause;
	for (i = 0; i < s->nlis; i++)
		if (s->lis[i].io.fd != -1)
			(void)loop_io_mod(
				s->loop, &s->lis[i].io, pause ? 0 : LOOP_READ);
}

void
conn_close(struct conn *c)
{
	struct server *s = c->srv;

	if (c->state == CONN_CLOSED)
		return;
	loop_io_del(s->loop, &c->io);
	close(c->fd);
	loop_timer_stop(s->loop, &c->timer);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nconns--;
	c->state = CONN_CLOSED;
	loop_defer(s->loop, &c->defer);
	if (s->paused && !s->stopping && s->nconns < (size_t)s->conf.max_conns)
		server_pause(s, 0);
	if (s->stopping && s->nconns == 0)
		loop_stop(s->loop);
}

/* Graceful shutdown: connections waiting for a next request go now. */
void
conn_close_idle(struct server *s)
{
	struct conn *c = s->conns, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		if (c->state == CONN_HEAD && c->in.len == 0)
			conn_close(c);
	}
}

void
conn_accept(struct server *s, struct listener *l)
{
	struct sockaddr_storage sa;
	socklen_t salen;

	while (s->nconns < (size_t)s->conf.max_conns) {
		struct conn *c;
		int fd = net_accept(l->io.fd, &sa, &salen);

		if (fd == -1) {
			if (errno == EAGAIN)
				return;
			/* EMFILE and friends: stop accepting until a
			 * connection closes, rather than spin. */
			log_warn("accept on %s", l->name);
			if (s->nconns > 0)
				server_pause(s, 1);
			return;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			log_warnx("out of memory for a connection");
			close(fd);
			return;
		}
		c->srv = s;
		c->fd = fd;
		c->id = ++s->next_cid;
		c->lis = l;
		net_addr_text(&sa, c->peer, sizeof(c->peer));
		if (sa.ss_family != AF_UNIX)
			(void)net_nodelay(fd);
		c->req.body_fd = c->req.file_fd = -1;
		c->io.fd = fd;
		c->io.cb = on_client_io;
		c->io.data = c;
		c->timer.cb = on_conn_timeout;
		c->timer.data = c;
		c->defer.fn = conn_free;
		c->defer.obj = c;
		c->state = CONN_HEAD;
		if (loop_io_add(s->loop, &c->io, LOOP_READ) == -1) {
			log_warn("watch conn %llu", (unsigned long long)c->id);
			close(fd);
			conn_free(c);
			return;
		}
		c->next = s->conns;
		if (s->conns != NULL)
			s->conns->prev = c;
		s->conns = c;
		s->nconns++;
		loop_timer_set(s->loop, &c->timer, s->conf.read_idle * 1000ull);
	}
	/* server.max-connections reached: the kernel backlog holds the
	 * rest until one closes. */
	server_pause(s, 1);
}

static void
linger(struct conn *c)
{
	struct server *s = c->srv;

	(void)shutdown(c->fd, SHUT_WR);
	c->state = CONN_LINGER;
	req_reset(&c->req);
	mem_put(c);
	(void)loop_io_mod(s->loop, &c->io, LOOP_READ);
	loop_timer_set(s->loop, &c->timer, LIMIT_LINGER_SECS * 1000ull);
}

/* Answer a failed request: the error page, then close. */
static void
conn_fail(struct conn *c)
{
	struct req *r = &c->req;

	c->close_after = 1;
	r->keep_alive = 0;
	c->out.len = c->out.off = 0;
	if (resp_error(c, r->status ? r->status : 500) == -1) {
		conn_close(c);
		return;
	}
	c->state = CONN_WRITE;
}

/* A request is fully read: produce its response. */
static void
dispatch(struct conn *c)
{
	c->state = CONN_WRITE;
	if (mod_request(c))
		return;
	if (!gw_handle(c))
		static_handle(c);
}

/* The response is written: log it and get ready for the next request. */
static void
finish(struct conn *c)
{
	struct req *r = &c->req;

	accesslog_write(c);
	mod_status_account(r->bytes_out);
	buf_consume(&c->in, r->body_pos);
	req_reset(r);
	c->state = CONN_HEAD;
}

static void
set_timer(struct conn *c)
{
	struct server *s = c->srv;
	unsigned secs;

	if (c->state == CONN_WRITE)
		secs = s->conf.write_idle;
	else if (c->state == CONN_HEAD && c->in.len == 0 && c->nreq > 0)
		secs = s->conf.ka_idle;
	else
		secs = s->conf.read_idle;
	loop_timer_set(s->loop, &c->timer, secs * 1000ull);
}

/*
 * A streamed request body (server.stream-request-body): take what the
 * input buffer holds, tell the producer. A body that cannot be kept (a
 * full disk) ends the connection: its answer may already be under way.
 * -1 when c was closed.
 */
static int
body_pump(struct conn *c)
{
	struct req *r = &c->req;
	int rc = req_body(c);

	if (rc == -1) {
		log_conn(c->id, r->id, "streamed request body failed: %d",
			r->status);
		if (r->fill_free != NULL)
			r->fill_free(r->fill_state);
		r->fill = NULL;
		r->fill_state = NULL;
		r->fill_free = NULL;
		conn_close(c);
		return -1;
	}
	if (rc == 1)
		r->body_stream = 0;
	gw_body_more(c);
	return 0;
}

/* The client events to watch while a body streams: read it unless the
 * backend is behind (back-pressure, GW_BODY_HWM). A hang-up alone is
 * then not watched: reading shows the client's FIN or reset. */
static unsigned
body_mask(struct conn *c, unsigned mask)
{
	if (!gw_body_room(c))
		return mask == LOOP_HUP ? LOOP_HUP : mask;
	return (mask & ~LOOP_HUP) | LOOP_READ;
}

/* Run the state machine as far as the buffered bytes allow. */
static void
conn_run(struct conn *c)
{
	struct server *s = c->srv;
	int rc;

	for (;;) {
		switch (c->state) {
		case CONN_HEAD:
			if (c->in.len == 0)
				goto wait;
			rc = req_head(c);
			if (rc == 0)
				goto wait;
			if (rc == -1) {
				conn_fail(c);
				break;
			}
			if (c->req.frame.kind == H1FRAME_NONE) {
				dispatch(c);
				break;
			}
			/* The head's slices must not move while the body
			 * is read: start the buffer at the head. */
			if (c->in.off > 0) {
				buf_space(&c->in);
				memset(&c->req, 0, REQ_RESET_SIZE);
				c->req.body_fd = c->req.file_fd = -1;
				c->nreq--;
				continue;
			}
			c->state = CONN_BODY;
			/* RFC 9110 §10.1.1: 100 only to 1.1 clients, and only
			 * while no body byte has come. */
			if (c->req.expect_continue && c->req.version == 11 &&
				c->in.len == c->req.head_len)
				(void)buf_append(&c->out,
					"HTTP/1.1 100 Continue\r\n\r\n", 25);
			/* server.stream-request-body: answer now, the body
			 * follows the response's producer as it arrives. */
			if (gw_streams_body(c)) {
				c->req.body_stream = 1;
				dispatch(c);
			}
			break;
		case CONN_BODY:
			rc = req_body(c);
			if (rc == 0) {
				if (c->out.len > 0 && resp_write(c) == -1) {
					conn_close(c);
					return;
				}
				goto wait;
			}
			if (rc == -1)
				conn_fail(c);
			else
				dispatch(c);
			break;
		case CONN_WRITE:
			if (c->req.body_stream && body_pump(c) == -1)
				return;
			/* Small complete responses to pipelined requests
			 * are batched into one write. */
			if (c->req.body == BODY_NONE && !c->close_after &&
				!c->req.body_stream &&
				c->in.len > c->req.body_pos &&
				buf_space(&c->out) > LIMIT_CONN_OUT / 2) {
				finish(c);
				break;
			}
			rc = resp_write(c);
			if (rc == 1 && c->req.body == BODY_WAIT)
				rc = 2;
			if (rc == -1) {
				conn_close(c);
				return;
			}
			if (rc == 2) {
				/* The producer wakes us (conn_wake) and has
				 * its own timeouts; meanwhile only a client
				 * that leaves (reset) or half-closes (FIN) is
				 * watched for. */
				if (c->req.body_stream) {
					(void)loop_io_mod(s->loop, &c->io,
						body_mask(c, LOOP_HUP));
					set_timer(c);
					return;
				}
				(void)loop_io_mod(s->loop, &c->io, LOOP_HUP);
				loop_timer_stop(s->loop, &c->timer);
				return;
			}
			if (rc == 0) {
				(void)loop_io_mod(s->loop, &c->io,
					body_mask(c, LOOP_WRITE));
				set_timer(c);
				return;
			}
			/* Answered before its streamed body was all read
			 * (an early error, a static handler): the stream
			 * cannot carry another request. */
			if (c->req.body_stream)
				c->close_after = 1;
			if (c->close_after) {
				accesslog_write(c);
				mod_status_account(c->req.bytes_out);
				linger(c);
				return;
			}
			finish(c);
			(void)loop_io_mod(s->loop, &c->io, LOOP_READ);
			break;
		default: return;
		}
	}
wait:
	/* Responses batched for pipelined requests leave now. */
	if (c->state == CONN_HEAD && c->out.len > 0) {
		rc = resp_write(c);
		if (rc == -1) {
			conn_close(c);
			return;
		}
		(void)loop_io_mod(s->loop, &c->io,
			rc == 0 ? LOOP_READ | LOOP_WRITE : LOOP_READ);
	}
	if (c->state == CONN_HEAD && c->in.len == 0 && c->out.len == 0) {
		if (s->stopping) {
			conn_close(c);
			return;
		}
		mem_put(c); /* idle: the block goes back to the pool */
	}
	set_timer(c);
}

void
conn_wake(struct conn *c)
{
	if (c->state == CONN_WRITE)
		conn_run(c);
}

static void
conn_read(struct conn *c)
{
	size_t room;
	ssize_t n;

	if (c->state == CONN_LINGER) {
		char junk[4096];

		n = read(c->fd, junk, sizeof(junk));
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			conn_close(c);
		return;
	}
	if (c->mem == NULL && mem_get(c) == -1) {
		log_warnx(
			"conn %llu: out of memory", (unsigned long long)c->id);
		conn_close(c);
		return;
	}
	room = buf_space(&c->in);
	if (room == 0) {
		/* The head does not fit: req_head says 431. */
		conn_run(c);
		return;
	}
	n = read(c->fd, buf_tail(&c->in), room);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			conn_close(c);
		return;
	}
	if (n == 0) {
		/* The client is done sending. Responses still queued for it
		 * go out first; an unfinished request has no one to answer
		 * it. */
		if (c->out.len > 0) {
			c->close_after = 1;
			(void)loop_io_mod(c->srv->loop, &c->io, LOOP_WRITE);
			return;
		}
		conn_close(c);
		return;
	}
	buf_commit(&c->in, (size_t)n);
	conn_run(c);
}

/*
 * The client reset the connection while its response waited on a
 * producer (a gateway backend): nobody is left to answer, so the
 * producer is released now, closing its backend connection and fd at
 * once rather than when a response would have been written.
 */
static void
conn_abort(struct conn *c)
{
	struct req *r = &c->req;

	log_conn(c->id, r->id, "client closed the connection; request aborted");
	if (r->fill_free != NULL)
		r->fill_free(r->fill_state);
	r->fill = NULL;
	r->fill_state = NULL;
	r->fill_free = NULL;
	conn_close(c);
}

static void
on_client_io(struct loop *l, struct loop_io *io, unsigned ev)
{
	struct conn *c = io->data;

	(void)l;
	/* A reset while a streamed body arrives: nothing is left to
	 * write that would notice it, so it is an abort now. */
	if (c->state == CONN_WRITE && c->req.body_stream && (ev & LOOP_ERROR)) {
		conn_abort(c);
		return;
	}
	if (c->state == CONN_WRITE && io->mask == LOOP_HUP) {
		/* Waiting on the producer. A FIN alone is a half-close:
		 * the client may still read the response (RFC 9112 §9.6),
		 * so the request goes on; a reset or error is an abort. */
		if (ev & LOOP_ERROR)
			conn_abort(c);
		else if (ev & LOOP_HUP)
			gw_client_fin(c);
		return;
	}
	if (c->state == CONN_WRITE && (ev & (LOOP_WRITE | LOOP_ERROR))) {
		conn_run(c);
		return;
	}
	if ((ev & LOOP_WRITE) && c->out.len > 0) {
		if (resp_write(c) == -1) {
			conn_close(c);
			return;
		}
		if (c->out.len == 0)
			(void)loop_io_mod(c->srv->loop, &c->io, LOOP_READ);
	}
	if (ev & LOOP_READ) {
		conn_read(c);
		return;
	}
	if (ev & LOOP_ERROR)
		conn_close(c);
}

static void
on_conn_timeout(struct loop *l, struct loop_timer *t)
{
	struct conn *c = t->data;

	(void)l;
	if ((c->state == CONN_HEAD && c->in.len > 0) || c->state == CONN_BODY) {
		log_conn(c->id, c->req.id, "408 read timeout");
		c->req.status = 408;
		if (c->req.version == 0)
			c->req.version = 11;
		conn_fail(c);
		conn_run(c);
		return;
	}
	conn_close(c);
}
