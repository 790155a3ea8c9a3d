/*
 * FastCGI app mode, the exchange layer: gatecheck plays the web server on
 * one connection (struct fconn), builds requests record by record
 * (sometimes split, sometimes wrong on purpose) and decodes every record
 * the application sends back with its own reader (rec.c, FastCGI §3.3).
 * fc_view sums up what one request id received for the checks in
 * app_fcgi_*.c; the contracts are in app_fcgi.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_fcgi.h"
#include "net.h"

#define FC_MAXREC 4096
#define FC_MAXIN  (16u << 20) /* keep at most 16 MiB of an app's answer */

const char *
fc_tname(unsigned type, char *buf, size_t cap)
{
	const char *n = rec_type_name(type);

	if (n != NULL)
		return n;
	snprintf(buf, cap, "type %u", type);
	return buf;
}

static void
fc_trace_rec(struct fconn *c, const char *dir, const struct frec *r)
{
	char t[32], shown[120];
	const unsigned char *p = c->in + r->off + REC_HEADER_LEN;

	if (!c->g->o->verbose)
		return;
	if (r->type == REC_END_REQUEST && r->clen == 8)
		snprintf(shown, sizeof(shown),
			" appStatus=%u protocolStatus=%u",
			(unsigned)p[0] << 24 | (unsigned)p[1] << 16 |
				(unsigned)p[2] << 8 | p[3],
			p[4]);
	else if (r->type == REC_UNKNOWN_TYPE && r->clen >= 1)
		snprintf(shown, sizeof(shown), " names type %u", p[0]);
	else if (r->clen > 0) {
		char tmp[100];
		snprintf(shown, sizeof(shown), " \"%s\"",
			app_show(p, r->clen > 48 ? 48 : r->clen, tmp,
				sizeof(tmp)));
	} else
		shown[0] = '\0';
	gc_trace(c->g, "  %s %-17s id=%-5u len=%-5u pad=%u%s%s", dir,
		fc_tname(r->type, t, sizeof(t)), r->id, r->clen, r->plen,
		r->reserved ? " reserved!=0" : "", shown);
}

int
fc_open(struct gc *g, struct fconn *c)
{
	char err[300];

	memset(c, 0, sizeof(*c));
	c->g = g;
	c->fd = net_connect(g->addr, err, sizeof(err));
	if (c->fd < 0) {
		gc_fail(g, "the application accepts a connection", "%s", err);
		return -1;
	}
	gc_trace(g, "  -- connected to %s", g->addr);
	return 0;
}

void
fc_close(struct fconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->in);
	free(c->recs);
	c->in = NULL;
	c->recs = NULL;
}

/* Decode every complete record received so far. */
static void
fc_decode(struct fconn *c)
{
	struct rec r;
	long n;

	while (!c->bad && c->nrec < FC_MAXREC) {
		n = rec_read(c->in + c->done, c->len - c->done, &r, &c->err);
		if (n == 0)
			return;
		if (n < 0) {
			c->bad = 1;
			gc_trace(c->g,
				"  <- unreadable bytes at offset %zu: %s",
				c->done, rec_strerror(c->err));
			return;
		}
		struct frec *f = &c->recs[c->nrec++];
		f->version = r.version;
		f->type = r.type;
		f->id = r.id;
		f->clen = r.clen;
		f->plen = r.plen;
		f->reserved = r.reserved;
		f->off = c->done;
		fc_trace_rec(c, "<-", f);
		c->done += (size_t)n;
	}
}

/* Read what arrives within ms; returns 0 on data, -1 on EOF/timeout. */
static int
fc_pump(struct fconn *c, int ms)
{
	long n;

	if (c->eof)
		return -1;
	if (c->recs == NULL)
		c->recs = calloc(FC_MAXREC, sizeof(*c->recs));
	if (c->cap - c->len < 65536) {
		c->cap = c->cap ? c->cap * 2 : 1 << 17;
		c->in = realloc(c->in, c->cap);
		if (c->in == NULL || c->recs == NULL) {
			perror("gatecheck");
			exit(2);
		}
	}
	n = net_read(c->fd, c->in + c->len, c->cap - c->len, ms);
	if (n == NET_TIMEOUT)
		return -1;
	if (n <= 0) {
		c->eof = 1;
		gc_trace(c->g, "  <- %s",
			n == 0 ? "connection closed" : "connection reset");
		return -1;
	}
	gc_hexdump(c->g, "<-", c->in + c->len, (size_t)n);
	c->len += (size_t)n;
	if (c->len > FC_MAXIN)
		c->eof = 1;
	fc_decode(c);
	return 0;
}

int
fc_count_end(struct fconn *c, unsigned id)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nrec; i++)
		if (c->recs[i].type == REC_END_REQUEST && c->recs[i].id == id)
			n++;
	return n;
}

static int
count_type(struct fconn *c, unsigned type)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nrec; i++)
		if (c->recs[i].type == type)
			n++;
	return n;
}

/*
 * Read until id's END_REQUEST (or n records of type when type != 0), EOF,
 * unreadable bytes or the timeout. Then linger grace_ms for stray records.
 * Returns 1 when the awaited record came.
 */
int
fc_wait(struct fconn *c, unsigned id, unsigned type, int n, int grace_ms)
{
	int waited = 0, step = 50, got = 0;

	for (;;) {
		got = type ? count_type(c, type) >= n
			   : fc_count_end(c, id) >= n;
		if (got || c->eof || c->bad || waited >= c->g->o->timeout_ms)
			break;
		if (fc_pump(c, step) < 0 && !c->eof)
			waited += step;
	}
	for (waited = 0; got && !c->eof && !c->bad && waited < grace_ms;
		waited += 10)
		fc_pump(c, 10);
	return got;
}

/* Send bytes, in pieces of `step` bytes with a pause between (0: whole). */
int
fc_send(struct fconn *c, const unsigned char *p, size_t len, size_t step)
{
	size_t off = 0, n;

	gc_hexdump(c->g, "->", p, len);
	while (off < len) {
		n = step && step < len - off ? step : len - off;
		if (net_write_all(c->fd, p + off, n, c->g->o->timeout_ms) < 0) {
			gc_trace(
				c->g, "  -> write failed after %zu bytes", off);
			return -1;
		}
		off += n;
		if (step && off < len && off < 4096)
			net_sleep_ms(1);
	}
	return 0;
}

void
fc_put_rec(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
	const void *p, size_t len)
{
	unsigned char h[REC_HEADER_LEN];
	struct frec f = {1, type, id, (unsigned)len, 0, 0, 0};

	rec_put_header(h, sizeof(h), type, id, (unsigned)len, 0);
	app_buf_add(b, h, sizeof(h));
	app_buf_add(b, p, len);
	if (c->g->o->verbose) {
		/* Trace from a scratch copy so offsets stay simple. */
		unsigned char *save = c->in;
		size_t scap = c->cap;
		c->in = b->p + b->len - len - REC_HEADER_LEN;
		c->cap = 0;
		f.off = 0;
		fc_trace_rec(c, "->", &f);
		c->in = save;
		c->cap = scap;
	}
}

/* Stream bytes as records of at most `max` content bytes, then the empty
 * record that ends the stream (§3.3) unless noterm. */
void
fc_put_stream(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
	const unsigned char *p, size_t len, size_t max, int noterm)
{
	size_t off = 0, n;

	if (max == 0 || max > REC_MAX_CONTENT)
		max = REC_MAX_CONTENT;
	while (off < len) {
		n = len - off < max ? len - off : max;
		fc_put_rec(c, b, type, id, p + off, n);
		off += n;
	}
	if (!noterm)
		fc_put_rec(c, b, type, id, NULL, 0);
}

static void
encode_pairs(const struct gc *g, const struct freq *q, struct app_buf *ps)
{
	struct app_kv kv;
	unsigned i;
	unsigned char *tmp;
	long n;

	app_params(g, &q->a, &kv);
	for (i = 0; i < kv.n; i++) {
		size_t nl = strlen(kv.name[i]), cap = nl + kv.vlen[i] + 8;
		tmp = malloc(cap);
		n = rec_put_pair(tmp, cap, kv.name[i], nl, kv.value[i],
			kv.vlen[i], q->force4);
		app_buf_add(ps, tmp, (size_t)n);
		free(tmp);
	}
}

void
fq_build(struct fconn *c, const struct freq *q, struct app_buf *b)
{
	unsigned char begin[8] = {0};
	struct app_buf ps = {0};
	unsigned char *body;
	size_t sent;

	begin[0] = (unsigned char)(q->role >> 8);
	begin[1] = (unsigned char)q->role;
	begin[2] = (unsigned char)q->flags;
	fc_put_rec(c, b, REC_BEGIN_REQUEST, q->id, begin, 8);
	if (q->raw_params)
		app_buf_add(&ps, q->raw_params->p, q->raw_params->len);
	else
		encode_pairs(c->g, q, &ps);
	fc_put_stream(c, b, REC_PARAMS, q->id, ps.p, ps.len, q->params_rec, 0);
	app_buf_free(&ps);
	if (q->no_stdin)
		goto done;
	body = malloc(q->a.body_len + 1);
	app_pattern(body, q->a.body_len, 0);
	sent = q->no_stdin_term && q->stdin_sent < q->a.body_len
		? q->stdin_sent
		: q->a.body_len;
	fc_put_stream(c, b, REC_STDIN, q->id, body, sent, q->stdin_rec,
		q->no_stdin_term);
	free(body);
done:
	if (c->nids < 8)
		c->ids[c->nids++] = q->id;
}

void
fq_init(struct freq *q, unsigned id, unsigned flags)
{
	memset(q, 0, sizeof(*q));
	q->id = id;
	q->role = REC_RESPONDER;
	q->flags = flags;
}

void
fc_view(struct fconn *c, unsigned id, struct fview *v)
{
	size_t i;
	int ended = 0;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < c->nrec; i++) {
		const struct frec *r = &c->recs[i];
		const unsigned char *p = c->in + r->off + REC_HEADER_LEN;
		if (r->id != id || id == 0)
			continue;
		if (ended)
			v->after_end = 1;
		switch (r->type) {
		case REC_STDOUT:
			if (r->clen == 0)
				v->out_term = 1;
			else if (v->out_term)
				v->out_after_term = 1;
			v->nout++;
			app_buf_add(&v->out, p, r->clen);
			break;
		case REC_STDERR:
			if (r->clen == 0)
				v->err_term = 1;
			else if (v->err_term)
				v->err_after_term = 1;
			v->nerr++;
			v->errlen += r->clen;
			break;
		case REC_END_REQUEST:
			if (v->nend++ == 0) {
				ended = 1;
				v->end_before_out_term =
					v->nout > 0 && !v->out_term;
				v->end_before_err_term =
					v->nerr > 0 && !v->err_term;
				if (r->clen != 8) {
					v->end_len_bad = 1;
				} else {
					v->app = (uint32_t)p[0] << 24 |
						(uint32_t)p[1] << 16 |
						(uint32_t)p[2] << 8 | p[3];
					v->pstatus = p[4];
				}
			}
			break;
		}
	}
}

/* Open, send q (in pieces of step), wait for its END_REQUEST. */
int
fx_one(struct gc *g, struct fconn *c, const struct freq *q, size_t step,
	int grace_ms)
{
	struct app_buf b = {0};

	if (fc_open(g, c) < 0)
		return -1;
	fq_build(c, q, &b);
	fc_send(c, b.p, b.len, step);
	app_buf_free(&b);
	if (!(q->flags & REC_KEEP_CONN))
		grace_ms = g->o->timeout_ms; /* until the app closes */
	fc_wait(c, q->id, 0, 1, grace_ms);
	return 0;
}

/* A fresh connection still gets a complete answer: the app survived. */
int
fx_alive(struct gc *g, const char *after)
{
	struct fconn c;
	struct freq q;
	int ok;

	fq_init(&q, 1, 0);
	if (g->o->spawn && g->pid > 0 && net_exited(g->pid)) {
		gc_fail(g, "the application keeps running",
			"it exited after %s", after);
		return -1;
	}
	if (fc_open(g, &c) < 0) {
		g->verdict = GC_PASS;
		gc_fail(g, "the application keeps serving",
			"no connection after %s", after);
		return -1;
	}
	{
		struct app_buf b = {0};
		fq_build(&c, &q, &b);
		fc_send(&c, b.p, b.len, 0);
		app_buf_free(&b);
	}
	ok = fc_wait(&c, 1, 0, 1, 0);
	fc_close(&c);
	if (!ok && g->o->spawn && g->pid > 0) {
		net_sleep_ms(100);
		if (net_exited(g->pid)) {
			gc_fail(g, "the application keeps running",
				"it exited after %s", after);
			return -1;
		}
	}
	if (!ok)
		gc_fail(g, "the application keeps serving",
			"a fresh request got no END_REQUEST after %s", after);
	return ok ? 0 : -1;
}
