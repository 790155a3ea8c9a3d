/*
 * App mode for FastCGI 1.0: gatecheck plays the web server, sends requests
 * built record by record (sometimes split, sometimes wrong on purpose), and
 * judges every record the application sends back with its own reader
 * (rec.c). Cases cover record framing (§3.3), name-value pairs (§3.4),
 * management records (§4), BEGIN/ABORT/END_REQUEST and the byte streams
 * (§5), the Responder role (§6.2), multiplexing (§3.3, §5.5), the CGI
 * response head (RFC 3875 §6) and recurring bugs (httpoxy, CVE-2019-11043,
 * 31-bit length overflows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "gc.h"
#include "head.h"
#include "net.h"
#include "rec.h"

/* One record as received; content is at in + off. */
struct frec {
	unsigned version, type, id, clen, plen, reserved;
	size_t off;
};

#define FC_MAXREC 4096
#define FC_MAXIN  (16u << 20) /* keep at most 16 MiB of an app's answer */

struct fconn {
	struct gc *g;
	int fd;
	unsigned char *in;
	size_t len, cap, done;
	struct frec *recs;
	size_t nrec;
	int eof;
	int bad;
	enum rec_err err;
	unsigned ids[8]; /* request ids we used on this connection */
	unsigned nids;
};

/* What one request id received. */
struct fview {
	unsigned nout, nerr, nend;
	int out_term, err_term;
	int out_after_term, err_after_term;
	int after_end;
	int end_before_out_term, end_before_err_term;
	int end_len_bad;
	uint32_t app;
	unsigned pstatus;
	struct app_buf out;
	size_t errlen;
};

static const char *
tname(unsigned type, char *buf, size_t cap)
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
		tname(r->type, t, sizeof(t)), r->id, r->clen, r->plen,
		r->reserved ? " reserved!=0" : "", shown);
}

static int
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

static void
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

static int
count_end(struct fconn *c, unsigned id)
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
static int
fc_wait(struct fconn *c, unsigned id, unsigned type, int n, int grace_ms)
{
	int waited = 0, step = 50, got = 0;

	for (;;) {
		got = type ? count_type(c, type) >= n : count_end(c, id) >= n;
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
static int
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

static void
put_rec(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
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
static void
put_stream(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
	const unsigned char *p, size_t len, size_t max, int noterm)
{
	size_t off = 0, n;

	if (max == 0 || max > REC_MAX_CONTENT)
		max = REC_MAX_CONTENT;
	while (off < len) {
		n = len - off < max ? len - off : max;
		put_rec(c, b, type, id, p + off, n);
		off += n;
	}
	if (!noterm)
		put_rec(c, b, type, id, NULL, 0);
}

/* One request to build. */
struct freq {
	unsigned id, role, flags;
	struct app_req a;
	size_t params_rec; /* PARAMS record content size; 0 = largest */
	size_t stdin_rec;
	size_t stdin_sent; /* send only this much STDIN (with no_stdin_term) */
	int no_stdin_term;
	int force4;
	int no_stdin;                     /* no STDIN records at all */
	const struct app_buf *raw_params; /* the pair stream, as is */
};

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

static void
fq_build(struct fconn *c, const struct freq *q, struct app_buf *b)
{
	unsigned char begin[8] = {0};
	struct app_buf ps = {0};
	unsigned char *body;
	size_t sent;

	begin[0] = (unsigned char)(q->role >> 8);
	begin[1] = (unsigned char)q->role;
	begin[2] = (unsigned char)q->flags;
	put_rec(c, b, REC_BEGIN_REQUEST, q->id, begin, 8);
	if (q->raw_params)
		app_buf_add(&ps, q->raw_params->p, q->raw_params->len);
	else
		encode_pairs(c->g, q, &ps);
	put_stream(c, b, REC_PARAMS, q->id, ps.p, ps.len, q->params_rec, 0);
	app_buf_free(&ps);
	if (q->no_stdin)
		goto done;
	body = malloc(q->a.body_len + 1);
	app_pattern(body, q->a.body_len, 0);
	sent = q->no_stdin_term && q->stdin_sent < q->a.body_len
		? q->stdin_sent
		: q->a.body_len;
	put_stream(c, b, REC_STDIN, q->id, body, sent, q->stdin_rec,
		q->no_stdin_term);
	free(body);
done:
	if (c->nids < 8)
		c->ids[c->nids++] = q->id;
}

static void
fq_init(struct freq *q, unsigned id, unsigned flags)
{
	memset(q, 0, sizeof(*q));
	q->id = id;
	q->role = REC_RESPONDER;
	q->flags = flags;
}

static void
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
static int
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
static int
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

/* ---- basic exchange checks -------------------------------------- */

enum {
	B_VERSION = 100,
	B_FRAMING,
	B_TYPES,
	B_PAD8,
	B_RESERVED,
	B_ID_STREAM,
	B_ID_END,
	B_OUT_TERM,
	B_ERR_TERM,
	B_OUT_AFTER,
	B_END_ARRIVES,
	B_ONE_END,
	B_END_LEN,
	B_PSTATUS_VALID,
	B_COMPLETE,
	B_AFTER_END,
	B_CLOSE,
	B_NONEMPTY,
	B_HIGH_ID
};

static int
foreign_id(const struct fconn *c, unsigned id)
{
	unsigned i;

	if (id == 0)
		return 0;
	for (i = 0; i < c->nids; i++)
		if (c->ids[i] == id)
			return 0;
	return 1;
}

static void
check_basic(
	struct gc *g, int what, struct fconn *c, struct fview *v, unsigned id)
{
	size_t i;
	char t[32];

	switch (what) {
	case B_VERSION:
		if (c->bad && c->err == REC_E_VERSION)
			gc_fail(g, "version 1 in every record header",
				"version %u in the record at offset %zu",
				c->in[c->done], c->done);
		break;
	case B_FRAMING:
		if (c->bad)
			gc_fail(g, "a stream of whole records",
				"unreadable bytes at offset %zu: %s", c->done,
				rec_strerror(c->err));
		else if (c->eof && c->len > c->done)
			gc_fail(g, "a stream of whole records",
				"the connection ended inside a record: %zu "
				"bytes "
				"of a record at offset %zu",
				c->len - c->done, c->done);
		break;
	case B_TYPES:
		for (i = 0; i < c->nrec; i++) {
			unsigned ty = c->recs[i].type;
			if (ty == REC_STDOUT || ty == REC_STDERR ||
				ty == REC_END_REQUEST ||
				(c->recs[i].id == 0 &&
					(ty == REC_GET_VALUES_RESULT ||
						ty == REC_UNKNOWN_TYPE)))
				continue;
			gc_fail(g,
				"only STDOUT, STDERR, END_REQUEST "
				"(and management replies on id 0)",
				"a %s record with id %u",
				tname(ty, t, sizeof(t)), c->recs[i].id);
			break;
		}
		break;
	case B_PAD8:
		for (i = 0; i < c->nrec; i++)
			if ((c->recs[i].clen + c->recs[i].plen) % 8) {
				gc_warn(g,
					"records padded to a multiple of 8 "
					"bytes (recommended)",
					"a %s record of %u+%u bytes",
					tname(c->recs[i].type, t, sizeof(t)),
					c->recs[i].clen, c->recs[i].plen);
				break;
			}
		break;
	case B_RESERVED:
		for (i = 0; i < c->nrec; i++)
			if (c->recs[i].reserved) {
				gc_fail(g, "reserved header byte 0",
					"0x%02x in a %s record",
					c->recs[i].reserved,
					tname(c->recs[i].type, t, sizeof(t)));
				break;
			}
		break;
	case B_ID_STREAM:
	case B_ID_END:
	case B_HIGH_ID:
		for (i = 0; i < c->nrec; i++) {
			const struct frec *r = &c->recs[i];
			int end = r->type == REC_END_REQUEST;
			if ((what == B_ID_END) != end && what != B_HIGH_ID)
				continue;
			if (foreign_id(c, r->id)) {
				gc_fail(g, "the request id that was sent",
					"a %s record for id %u (sent: %u)",
					tname(r->type, t, sizeof(t)), r->id,
					id);
				break;
			}
		}
		if (g->verdict == GC_PASS && v->nend == 0 &&
			what != B_ID_STREAM)
			gc_fail(g, "END_REQUEST for the id that was sent",
				"no END_REQUEST for id %u", id);
		break;
	case B_OUT_TERM:
		if (v->nout > 0 && (!v->out_term || v->end_before_out_term))
			gc_fail(g, "an empty STDOUT record before END_REQUEST",
				"%s",
				v->out_term ? "the empty STDOUT came after "
					      "END_REQUEST"
					    : "no empty STDOUT record");
		break;
	case B_ERR_TERM:
		if (v->errlen > 0 && (!v->err_term || v->end_before_err_term))
			gc_fail(g, "an empty STDERR record before END_REQUEST",
				"%zu STDERR bytes and %s", v->errlen,
				v->err_term
					? "the empty STDERR after END_REQUEST"
					: "no empty STDERR record");
		break;
	case B_OUT_AFTER:
		if (v->out_after_term || v->err_after_term)
			gc_fail(g, "no stream data after its empty record",
				"non-empty %s after the stream's end",
				v->out_after_term ? "STDOUT" : "STDERR");
		break;
	case B_END_ARRIVES:
		if (v->nend == 0)
			gc_fail(g, "END_REQUEST",
				"%s after %zu records and %zu STDOUT bytes",
				c->eof ? "the connection closed"
				       : "nothing within the timeout",
				c->nrec, v->out.len);
		break;
	case B_ONE_END:
		if (v->nend > 1)
			gc_fail(g, "exactly one END_REQUEST",
				"%u END_REQUEST records for id %u", v->nend,
				id);
		break;
	case B_END_LEN:
		if (v->end_len_bad)
			gc_fail(g, "END_REQUEST with 8 content bytes", "%s",
				"another length");
		break;
	case B_PSTATUS_VALID:
		if (v->nend && v->pstatus > REC_UNKNOWN_ROLE)
			gc_fail(g, "protocolStatus 0..3", "protocolStatus %u",
				v->pstatus);
		break;
	case B_COMPLETE:
		if (v->nend && v->pstatus != REC_REQUEST_COMPLETE)
			gc_fail(g, "FCGI_REQUEST_COMPLETE for a lone request",
				"protocolStatus %u", v->pstatus);
		break;
	case B_AFTER_END:
		if (v->after_end)
			gc_fail(g, "nothing for the request after END_REQUEST",
				"%s", "more records for it");
		break;
	case B_CLOSE:
		if (v->nend && !c->eof)
			gc_fail(g,
				"the application closes the connection "
				"(FCGI_KEEP_CONN clear)",
				"still open %d ms after END_REQUEST",
				g->o->timeout_ms);
		break;
	case B_NONEMPTY:
		if (v->nend && v->out.len == 0)
			gc_fail(g, "a response on STDOUT", "%s",
				"no STDOUT bytes at all");
		break;
	}
}

static void
c_basic(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	unsigned id = cs->arg == B_HIGH_ID ? 0x1234 : 1;

	fq_init(&q, id, 0);
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, id, &v);
	if (cs->arg >= B_VERSION)
		check_basic(g, cs->arg, &c, &v, id);
	else if (v.nend == 0 && v.out.len == 0)
		gc_skip(g, "no response to judge");
	else
		app_check_head(g, cs->arg, v.out.p, v.out.len, 0);
	app_buf_free(&v.out);
	fc_close(&c);
}

static void
c_head_method(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;

	(void)cs;
	fq_init(&q, 1, 0);
	q.a.method = "HEAD";
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	app_check_head(g, HC_HEAD_NOBODY, v.out.p, v.out.len, 0);
	app_buf_free(&v.out);
	fc_close(&c);
}

/* ---- FCGI_KEEP_CONN --------------------------------------------- */

enum { K_SECOND, K_SECOND_ID, K_TEN, K_OPEN };

static void
c_keep(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct freq q;
	struct app_buf b = {0};
	int i, n = cs->arg == K_TEN ? 10 : 2;
	unsigned id;

	if (fc_open(g, &c) < 0)
		return;
	for (i = 0; i < n; i++) {
		id = cs->arg == K_SECOND_ID ? (unsigned)i + 1 : 1;
		fq_init(&q, id, REC_KEEP_CONN);
		b.len = 0;
		fq_build(&c, &q, &b);
		if (fc_send(&c, b.p, b.len, 0) < 0 ||
			!fc_wait(&c, id, 0, cs->arg == K_SECOND_ID ? 1 : i + 1,
				cs->arg == K_OPEN ? 300 : 20)) {
			gc_fail(g,
				"every request on a kept connection answered",
				"request %d of %d got no END_REQUEST (%s)",
				i + 1, n,
				c.eof ? "connection closed" : "timeout");
			break;
		}
		if (cs->arg == K_OPEN && c.eof) {
			gc_fail(g, "the connection stays open (FCGI_KEEP_CONN)",
				"%s",
				"the application closed it after "
				"END_REQUEST");
			break;
		}
		if (cs->arg == K_SECOND_ID && i == 1) {
			struct fview v;
			fc_view(&c, 2, &v);
			if (v.nend != 1 || v.out.len == 0)
				gc_fail(g, "id 2 answered with id 2",
					"%u END_REQUEST and %zu STDOUT bytes "
					"for id "
					"2",
					v.nend, v.out.len);
			app_buf_free(&v.out);
		}
		if (cs->arg == K_OPEN)
			break;
	}
	app_buf_free(&b);
	fc_close(&c);
}

/* ---- management records ----------------------------------------- */

enum {
	M_GV_ANSWER,
	M_GV_PAIRS,
	M_GV_ASKED,
	M_GV_NUMBERS,
	M_GV_MPXS,
	M_GV_UNKNOWN,
	M_GV_THEN_REQ,
	M_UT_ANSWER,
	M_UT_BODY,
	M_UT_THEN_REQ
};

static void
gv_query(struct fconn *c, struct app_buf *b, int unknown_only)
{
	struct app_buf ps = {0};
	unsigned char tmp[64];
	const char *names[] = {
		"FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"};
	unsigned i;
	long n;

	if (unknown_only) {
		n = rec_put_pair(
			tmp, sizeof(tmp), "GATECHECK_NO_SUCH", 17, "", 0, 0);
		app_buf_add(&ps, tmp, (size_t)n);
	} else {
		for (i = 0; i < 3; i++) {
			n = rec_put_pair(tmp, sizeof(tmp), names[i],
				strlen(names[i]), "", 0, 0);
			app_buf_add(&ps, tmp, (size_t)n);
		}
	}
	put_rec(c, b, REC_GET_VALUES, 0, ps.p, ps.len);
	app_buf_free(&ps);
}

static const struct frec *
find_type(const struct fconn *c, unsigned type)
{
	size_t i;

	for (i = 0; i < c->nrec; i++)
		if (c->recs[i].type == type)
			return &c->recs[i];
	return NULL;
}

/* Ask GET_VALUES on a fresh connection; the reply or NULL. */
static const struct frec *
gv_exchange(struct gc *g, struct fconn *c, int unknown_only)
{
	struct app_buf b = {0};

	if (fc_open(g, c) < 0)
		return NULL;
	gv_query(c, &b, unknown_only);
	fc_send(c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(c, 0, REC_GET_VALUES_RESULT, 1, 50);
	return find_type(c, REC_GET_VALUES_RESULT);
}

static int
is_digits(const unsigned char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return n > 0;
}

/* 1 when the app claims FCGI_MPXS_CONNS=1, 0 otherwise. */
static int
gv_claims_mpx(struct gc *g)
{
	struct fconn c;
	const struct frec *r;
	const unsigned char *p, *nm, *val;
	size_t nl, vl;
	long n;
	enum rec_err e;
	int claim = 0;
	enum gc_verdict saved = g->verdict;
	/* One run grades one application: ask once. */
	static int cached = -1;

	if (cached >= 0)
		return cached;
	r = gv_exchange(g, &c, 0);
	g->verdict = saved;
	if (r != NULL) {
		p = c.in + r->off + REC_HEADER_LEN;
		for (size_t off = 0; off < r->clen; off += (size_t)n) {
			n = rec_pair_next(p + off, r->clen - off, &nm, &nl,
				&val, &vl, &e);
			if (n <= 0)
				break;
			if (nl == 15 &&
				memcmp(nm, "FCGI_MPXS_CONNS", 15) == 0 &&
				vl == 1 && val[0] == '1')
				claim = 1;
		}
	}
	fc_close(&c);
	cached = claim;
	return claim;
}

static void
c_mgmt(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	const struct frec *r;
	const unsigned char *p, *nm, *val;
	size_t nl, vl, off;
	long n;
	enum rec_err e;
	char a[100], bb[100];

	if (cs->arg >= M_UT_ANSWER) {
		struct app_buf b = {0};
		unsigned char body[8] = {0};
		unsigned ty;
		if (fc_open(g, &c) < 0)
			return;
		put_rec(&c, &b, 100, 0, body, 8);
		fc_send(&c, b.p, b.len, 0);
		app_buf_free(&b);
		fc_wait(&c, 0, REC_UNKNOWN_TYPE, 1, 50);
		r = find_type(&c, REC_UNKNOWN_TYPE);
		if (cs->arg == M_UT_ANSWER && r == NULL)
			gc_fail(g, "FCGI_UNKNOWN_TYPE naming type 100", "%s",
				c.eof ? "the connection closed"
				      : "no answer within the timeout");
		if (cs->arg == M_UT_BODY && r == NULL)
			gc_skip(g, "%s", "no UNKNOWN_TYPE record to judge");
		if (cs->arg == M_UT_BODY && r != NULL) {
			struct rec rr = {1, r->type, r->id, r->clen, r->plen, 0,
				c.in + r->off + REC_HEADER_LEN};
			if (rec_unknown_body(&rr, &ty, &e) < 0)
				gc_fail(g, "an 8-byte FCGI_UnknownTypeBody",
					"%u content bytes", r->clen);
			else if (ty != 100 || r->id != 0)
				gc_fail(g, "type 100 on request id 0",
					"type %u on request id %u", ty, r->id);
		}
		if (cs->arg == M_UT_THEN_REQ)
			goto then_req;
		fc_close(&c);
		return;
	}
	r = gv_exchange(g, &c, cs->arg == M_GV_UNKNOWN);
	if (g->verdict != GC_PASS)
		goto out;
	if (r == NULL) {
		if (cs->arg == M_GV_ANSWER)
			gc_fail(g, "FCGI_GET_VALUES_RESULT", "%s",
				c.eof ? "the connection closed"
				      : "no answer within the timeout");
		else if (cs->arg != M_GV_THEN_REQ)
			gc_skip(g, "%s", "no GET_VALUES_RESULT to judge");
		if (cs->arg != M_GV_THEN_REQ)
			goto out;
	}
	if (cs->arg == M_GV_THEN_REQ)
		goto then_req;
	if (cs->arg == M_GV_ANSWER && r->id != 0)
		gc_fail(g, "GET_VALUES_RESULT on request id 0", "id %u", r->id);
	p = c.in + r->off + REC_HEADER_LEN;
	for (off = 0; off < r->clen; off += (size_t)n) {
		n = rec_pair_next(
			p + off, r->clen - off, &nm, &nl, &val, &vl, &e);
		if (n < 0) {
			if (cs->arg == M_GV_PAIRS)
				gc_fail(g, "well-formed name-value pairs",
					"at content offset %zu: %s", off,
					rec_strerror(e));
			else
				gc_skip(g, "%s", "malformed pairs");
			break;
		}
		int known = (nl == 14 && !memcmp(nm, "FCGI_MAX_CONNS", 14)) ||
			(nl == 13 && !memcmp(nm, "FCGI_MAX_REQS", 13)) ||
			(nl == 15 && !memcmp(nm, "FCGI_MPXS_CONNS", 15));
		app_show(nm, nl, a, sizeof(a));
		app_show(val, vl, bb, sizeof(bb));
		if ((cs->arg == M_GV_ASKED && !known) ||
			cs->arg == M_GV_UNKNOWN) {
			gc_fail(g,
				cs->arg == M_GV_UNKNOWN
					? "an empty reply to an unknown name"
					: "only the names asked for",
				"%s=%s in the reply", a, bb);
			break;
		}
		if (cs->arg == M_GV_NUMBERS && known && !is_digits(val, vl))
			gc_fail(g, "a decimal number", "%s=%s", a, bb);
		if (cs->arg == M_GV_MPXS && nl == 15 &&
			!memcmp(nm, "FCGI_MPXS_CONNS", 15) &&
			!(vl == 1 && (val[0] == '0' || val[0] == '1')))
			gc_fail(g, "FCGI_MPXS_CONNS 0 or 1", "%s=%s", a, bb);
	}
	goto out;
then_req:
	if (c.eof) {
		gc_fail(g,
			"the connection stays usable after a management "
			"record",
			"%s", "the application closed it");
	} else {
		struct freq q;
		struct app_buf b = {0};
		fq_init(&q, 1, 0);
		fq_build(&c, &q, &b);
		fc_send(&c, b.p, b.len, 0);
		app_buf_free(&b);
		if (!fc_wait(&c, 1, 0, 1, 0))
			gc_fail(g, "a request on the same connection answered",
				"%s",
				c.eof ? "the connection closed"
				      : "no END_REQUEST");
	}
out:
	fc_close(&c);
}

/* ---- roles and inactive ids -------------------------------------- */

static void
c_role_unknown(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;

	(void)cs;
	fq_init(&q, 1, 0);
	q.role = 77;
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	if (v.nend == 0)
		gc_fail(g, "END_REQUEST with FCGI_UNKNOWN_ROLE",
			"%s (%zu STDOUT bytes)",
			c.eof ? "the connection closed" : "no END_REQUEST",
			v.out.len);
	else if (v.pstatus != REC_UNKNOWN_ROLE)
		gc_fail(g, "END_REQUEST with FCGI_UNKNOWN_ROLE",
			"protocolStatus %u after %zu STDOUT bytes", v.pstatus,
			v.out.len);
	app_buf_free(&v.out);
	fc_close(&c);
}

static void
c_inactive(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	struct app_buf b = {0};
	unsigned char junk[16] = "not-a-request!!";

	(void)cs;
	if (fc_open(g, &c) < 0)
		return;
	/* §3.3: records for an id that is not active are ignored. */
	put_rec(&c, &b, REC_STDIN, 9, junk, sizeof(junk));
	put_rec(&c, &b, REC_PARAMS, 9, NULL, 0);
	put_rec(&c, &b, REC_ABORT_REQUEST, 9, NULL, 0);
	fq_init(&q, 1, 0);
	fq_build(&c, &q, &b);
	fc_send(&c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, 0);
	fc_view(&c, 1, &v);
	if (count_end(&c, 9) > 0)
		gc_fail(g, "records for inactive id 9 ignored", "%s",
			"an END_REQUEST for id 9");
	else if (v.nend != 1 || v.pstatus != REC_REQUEST_COMPLETE)
		gc_fail(g, "request 1 completes normally",
			"%u END_REQUEST, protocolStatus %u%s", v.nend,
			v.pstatus,
			c.eof && v.nend == 0 ? ", connection closed" : "");
	app_buf_free(&v.out);
	fc_close(&c);
}

/* ---- PARAMS ------------------------------------------------------ */

/* The status a plain GET gets: split or odd framing must not change it. */
static unsigned
baseline_status(struct gc *g)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	unsigned st = 0;
	enum gc_verdict saved = g->verdict;

	fq_init(&q, 1, 0);
	if (fx_one(g, &c, &q, 0, 0) == 0) {
		fc_view(&c, 1, &v);
		st = app_status(v.out.p, v.out.len);
		app_buf_free(&v.out);
		fc_close(&c);
	}
	g->verdict = saved;
	return st;
}

enum { P_ONEBYTE, P_ODD, P_LEN4, P_LARGE, P_BIGPAIR, P_EMPTY, P_FORCE4 };

static void
c_params(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	static char big[100000], v200[200];
	char name[32];
	static char names[40][32];
	struct app_buf raw = {0};
	int i;

	fq_init(&q, 1, 0);
	memset(v200, 'v', sizeof(v200) - 1);
	switch (cs->arg) {
	case P_ONEBYTE: q.params_rec = 1; break;
	case P_ODD:
		q.params_rec = 7;
		app_req_set(&q.a, "HTTP_X_GATECHECK", v200, 0);
		break;
	case P_LEN4: {
		/* Cut the PARAMS stream two bytes into a 4-byte length. */
		struct app_kv kv;
		unsigned char tmp[300];
		long n;
		app_req_set(&q.a, "HTTP_X_GATECHECK", v200, 0);
		app_params(g, &q.a, &kv);
		for (i = 0; i < (int)kv.n; i++) {
			size_t nl = strlen(kv.name[i]);
			if (strcmp(kv.name[i], "HTTP_X_GATECHECK") == 0)
				q.params_rec = raw.len + 1 + 2;
			n = rec_put_pair(tmp, sizeof(tmp), kv.name[i], nl,
				kv.value[i], kv.vlen[i], 0);
			app_buf_add(&raw, tmp, (size_t)n);
		}
		q.raw_params = &raw;
		break;
	}
	case P_LARGE:
		for (i = 0; i < 40; i++) {
			snprintf(names[i], sizeof(names[i]),
				"HTTP_X_GATECHECK_%02d", i);
			memset(big, 'p', 2999);
			big[2999] = '\0';
		}
		for (i = 0; i < 14; i++)
			app_req_set(&q.a, names[i], big, 2999);
		/* 14 x 3000 + ... add two more big ones to pass 64 KiB */
		memset(big, 'p', sizeof(big) - 1);
		app_req_set(&q.a, "HTTP_X_GATECHECK", big, 30000);
		break;
	case P_BIGPAIR:
		memset(big, 'p', sizeof(big) - 1);
		app_req_set(&q.a, "HTTP_X_GATECHECK", big, 70000);
		break;
	case P_EMPTY: {
		q.raw_params = &raw;
		break;
	}
	case P_FORCE4: q.force4 = 1; break;
	}
	(void)name;
	if (fx_one(g, &c, &q, 0, 0) < 0)
		goto out;
	fc_view(&c, 1, &v);
	/* Close before any further request: a single-process app (php-cgi)
	 * drains its side until we close ours. */
	close(c.fd);
	c.fd = -1;
	if (cs->arg == P_EMPTY) {
		/* Any answer is permitted for a request with no parameters;
		 * hanging or dying is not. */
		if (v.nend == 0 && !c.eof)
			gc_fail(g, "an answer or a close", "%s",
				"nothing within the timeout");
		else
			fx_alive(g, "an empty PARAMS stream");
	} else if (v.nend == 0) {
		gc_fail(g, "END_REQUEST", "%s after %zu STDOUT bytes",
			c.eof ? "the connection closed" : "nothing", v.out.len);
	} else if (v.pstatus != REC_REQUEST_COMPLETE) {
		gc_fail(g, "FCGI_REQUEST_COMPLETE", "protocolStatus %u",
			v.pstatus);
	} else if (app_status(v.out.p, v.out.len) == 0) {
		app_check_head(g, HC_COMPLETE, v.out.p, v.out.len, 0);
	} else if ((cs->arg == P_LARGE || cs->arg == P_BIGPAIR) &&
		app_status(v.out.p, v.out.len) >= 400) {
		/* No spec limit on parameters, but an app may have one: an
		 * error answer is a legal refusal, only less useful. */
		gc_warn(g, "served like the plain request",
			"refused with status %u",
			app_status(v.out.p, v.out.len));
	} else if (app_status(v.out.p, v.out.len) != baseline_status(g)) {
		gc_fail(g, "the same status as the request sent plainly",
			"status %u (plainly: %u)",
			app_status(v.out.p, v.out.len), baseline_status(g));
	} else if (cs->arg == P_LARGE || cs->arg == P_BIGPAIR ||
		cs->arg == P_ODD || cs->arg == P_LEN4) {
		if (gc_has_probe(g)) {
			struct app_req *a = &q.a;
			unsigned k = a->nextra - 1;
			if (app_probe_expect(g, v.out.p, v.out.len,
				    "env.HTTP_X_GATECHECK", a->value[k],
				    a->vlen[k]) < 0 &&
				g->verdict == GC_SKIP)
				g->verdict = GC_PASS;
		}
	}
	app_buf_free(&v.out);
	fc_close(&c);
out:
	app_buf_free(&raw);
}

/* ---- robustness: bad lengths, garbage, early close --------------- */

enum {
	O_NV_HUGE,
	O_NV_WRAP,
	O_NV_TRUNC,
	O_GARBAGE,
	O_EOF_PARAMS,
	O_EOF_STDIN,
	O_NUL
};

static void
c_robust(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct app_buf b = {0}, raw = {0};
	struct freq q;
	unsigned char tmp[16];
	const char *what = "?";
	long n;

	if (fc_open(g, &c) < 0)
		return;
	fq_init(&q, 1, 0);
	switch (cs->arg) {
	case O_NV_HUGE:
		/* A pair claiming a 2^31-1 byte value (CVE-2025-23016). */
		n = rec_put_pair(tmp, sizeof(tmp), "A", 1, "", 0, 0);
		app_buf_add(&raw, tmp, (size_t)n);
		n = rec_put_len(tmp, sizeof(tmp), 4, 0);
		n += rec_put_len(
			tmp + n, sizeof(tmp) - (size_t)n, 0x7fffffff, 0);
		app_buf_add(&raw, tmp, (size_t)n);
		app_buf_add(&raw, "NAMEvalue", 9);
		q.raw_params = &raw;
		what = "a pair with a 2^31-1 value length";
		break;
	case O_NV_WRAP:
		n = rec_put_len(tmp, sizeof(tmp), 0x7fffffff, 0);
		n += rec_put_len(
			tmp + n, sizeof(tmp) - (size_t)n, 0x7fffffff, 0);
		app_buf_add(&raw, tmp, (size_t)n);
		app_buf_add(&raw, "xy", 2);
		q.raw_params = &raw;
		what = "a pair whose two 31-bit lengths wrap 32 bits";
		break;
	case O_NV_TRUNC:
		n = rec_put_pair(tmp, sizeof(tmp), "A", 1, "b", 1, 0);
		app_buf_add(&raw, tmp, (size_t)n);
		app_buf_add(&raw, "\x80\x00", 2);
		q.raw_params = &raw;
		what = "a PARAMS stream ending inside a 4-byte length";
		break;
	case O_GARBAGE:
		app_buf_add(&b, "\x09\x01\x00\x01\x00\x08\x00\x00garbage!", 16);
		what = "a record with version 9";
		break;
	case O_EOF_PARAMS:
	case O_EOF_STDIN:
		q.a.body_len = 1000;
		q.a.method = "POST";
		q.no_stdin_term = 1;
		q.stdin_sent = 10;
		what = cs->arg == O_EOF_STDIN
			? "a connection closed mid-STDIN"
			: "a connection closed mid-PARAMS";
		break;
	case O_NUL:
		app_req_set(&q.a, "HTTP_X_GATECHECK", "a\0b\x01\xff", 5);
		what = "NUL and 8-bit bytes in a value";
		break;
	}
	if (cs->arg != O_GARBAGE)
		fq_build(&c, &q, &b);
	if (cs->arg == O_EOF_PARAMS)
		b.len = REC_HEADER_LEN + 8 + REC_HEADER_LEN + 20;
	fc_send(&c, b.p, b.len, 0);
	if (cs->arg == O_EOF_PARAMS || cs->arg == O_EOF_STDIN) {
		net_sleep_ms(100);
		fc_close(&c);
		net_sleep_ms(50);
	} else {
		fc_wait(&c, 1, 0, 1, 0);
		if (cs->arg == O_NUL) {
			struct fview v;
			fc_view(&c, 1, &v);
			if (v.nend == 0)
				gc_fail(g, "a complete answer", "%s",
					c.eof ? "connection closed"
					      : "no END_REQUEST");
			app_buf_free(&v.out);
		} else if (count_end(&c, 1) == 0 && !c.eof) {
			gc_warn(g, "an error answer or a close", "%s",
				"nothing within the timeout (the app may "
				"still be waiting)");
		}
		fc_close(&c);
	}
	app_buf_free(&b);
	app_buf_free(&raw);
	if (g->verdict != GC_FAIL)
		fx_alive(g, what);
}

/* ---- STDIN ------------------------------------------------------- */

enum { I_SMALL, I_LARGE, I_ODD, I_EMPTY, I_DELAYED };

static void
c_stdin(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	struct app_buf b = {0};
	size_t sizes[] = {1000, 300000, 5000, 0, 2000};

	fq_init(&q, 1, 0);
	q.a.method = "POST";
	q.a.body_len = sizes[cs->arg];
	if (cs->arg == I_ODD)
		q.stdin_rec = 7;
	if (fc_open(g, &c) < 0)
		return;
	if (cs->arg == I_DELAYED)
		q.no_stdin_term = 1, q.stdin_sent = 1000;
	fq_build(&c, &q, &b);
	fc_send(&c, b.p, b.len, cs->arg == I_ODD ? 13 : 0);
	if (cs->arg == I_DELAYED) {
		unsigned char body[1000];
		b.len = 0;
		app_pattern(body, sizeof(body), 1000);
		net_sleep_ms(300);
		put_stream(&c, &b, REC_STDIN, 1, body, sizeof(body), 0, 0);
		fc_send(&c, b.p, b.len, 0);
	}
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, g->o->timeout_ms);
	fc_view(&c, 1, &v);
	if (v.nend == 0)
		gc_fail(g, "END_REQUEST", "%s after %zu STDOUT bytes",
			c.eof ? "the connection closed" : "nothing", v.out.len);
	else if (v.pstatus != REC_REQUEST_COMPLETE)
		gc_fail(g, "FCGI_REQUEST_COMPLETE", "protocolStatus %u",
			v.pstatus);
	else if (gc_has_probe(g))
		app_probe_body(g, v.out.p, v.out.len, q.a.body_len);
	if (g->verdict == GC_SKIP)
		g->verdict = GC_PASS;
	app_buf_free(&v.out);
	fc_close(&c);
}

/* ---- ABORT_REQUEST ----------------------------------------------- */

enum { A_END, A_KEEP, A_INACTIVE };

static void
c_abort(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct freq q;
	struct app_buf b = {0};

	if (fc_open(g, &c) < 0)
		return;
	fq_init(&q, 1, cs->arg == A_KEEP ? REC_KEEP_CONN : 0);
	q.a.method = "POST";
	q.a.body_len = 1000;
	q.no_stdin_term = 1;
	q.stdin_sent = 10;
	fq_build(&c, &q, &b);
	if (cs->arg == A_INACTIVE) {
		put_rec(&c, &b, REC_ABORT_REQUEST, 5, NULL, 0);
		{
			unsigned char rest[990];
			app_pattern(rest, sizeof(rest), 10);
			put_stream(
				&c, &b, REC_STDIN, 1, rest, sizeof(rest), 0, 0);
		}
	} else {
		put_rec(&c, &b, REC_ABORT_REQUEST, 1, NULL, 0);
	}
	fc_send(&c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, 200);
	if (cs->arg == A_INACTIVE) {
		if (count_end(&c, 5) > 0)
			gc_fail(g, "ABORT_REQUEST for an inactive id ignored",
				"%s", "an END_REQUEST for id 5");
		else if (count_end(&c, 1) != 1)
			gc_fail(g, "request 1 completes", "%s",
				c.eof ? "the connection closed"
				      : "no END_REQUEST");
	} else if (cs->arg == A_END && count_end(&c, 1) > 0) {
		struct fview v;
		fc_view(&c, 1, &v);
		if (v.pstatus != REC_REQUEST_COMPLETE)
			gc_fail(g, "END_REQUEST with FCGI_REQUEST_COMPLETE",
				"protocolStatus %u", v.pstatus);
		app_buf_free(&v.out);
	} else if (count_end(&c, 1) == 0) {
		gc_fail(g, "END_REQUEST for the aborted request", "%s",
			c.eof ? "the connection closed without one"
			      : "nothing within the timeout");
	} else if (cs->arg == A_KEEP) {
		fq_init(&q, 2, REC_KEEP_CONN);
		fq_build(&c, &q, &b);
		fc_send(&c, b.p, b.len, 0);
		app_buf_free(&b);
		if (!fc_wait(&c, 2, 0, 1, 0))
			gc_fail(g,
				"the kept connection serves the next request",
				"%s",
				c.eof ? "the connection closed"
				      : "no END_REQUEST for id 2");
	}
	fc_close(&c);
}

/* ---- multiplexing ------------------------------------------------ */

enum { X_CLAIM, X_UNCLAIMED, X_NO_HARM };

static void
c_mpx(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct freq q1, q2;
	struct fview v1, v2;
	struct app_buf b = {0};
	unsigned char rest[990];
	int claim = gv_claims_mpx(g);

	if (cs->arg == X_CLAIM && !claim) {
		gc_skip(g, "%s",
			"the application does not claim "
			"FCGI_MPXS_CONNS=1");
		return;
	}
	if (cs->arg == X_UNCLAIMED && claim) {
		gc_skip(g, "%s", "the application claims FCGI_MPXS_CONNS=1");
		return;
	}
	if (fc_open(g, &c) < 0)
		return;
	/* Request 1 waits for the rest of its body while request 2 comes. */
	fq_init(&q1, 1, REC_KEEP_CONN);
	q1.a.method = "POST";
	q1.a.body_len = 1000;
	q1.no_stdin_term = 1;
	q1.stdin_sent = 10;
	fq_build(&c, &q1, &b);
	fq_init(&q2, 2, REC_KEEP_CONN);
	fq_build(&c, &q2, &b);
	app_pattern(rest, sizeof(rest), 10);
	fc_send(&c, b.p, b.len, 0);
	b.len = 0;
	net_sleep_ms(50);
	put_stream(&c, &b, REC_STDIN, 1, rest, sizeof(rest), 0, 0);
	fc_send(&c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, 0);
	fc_wait(&c, 2, 0, 1, 100);
	fc_view(&c, 1, &v1);
	fc_view(&c, 2, &v2);
	if (cs->arg == X_NO_HARM || cs->arg == X_UNCLAIMED) {
		if (v1.nend != 1 || v1.pstatus != REC_REQUEST_COMPLETE ||
			v1.out.len == 0)
			gc_fail(g, "request 1 completes untouched",
				"%u END_REQUEST (protocolStatus %u), %zu "
				"STDOUT "
				"bytes%s",
				v1.nend, v1.pstatus, v1.out.len,
				c.eof ? ", connection closed" : "");
		else if (cs->arg == X_UNCLAIMED && v2.nend == 0)
			gc_fail(g,
				"request 2 answered: CANT_MPX_CONN or served",
				"%s", "no END_REQUEST for id 2");
	} else {
		if (v1.nend != 1 || v2.nend != 1 ||
			v1.pstatus != REC_REQUEST_COMPLETE ||
			v2.pstatus != REC_REQUEST_COMPLETE)
			gc_fail(g,
				"both concurrent requests complete "
				"(FCGI_MPXS_CONNS=1 claimed)",
				"id 1: %u END (status %u), id 2: %u END "
				"(status "
				"%u)",
				v1.nend, v1.pstatus, v2.nend, v2.pstatus);
	}
	app_buf_free(&v1.out);
	app_buf_free(&v2.out);
	fc_close(&c);
}

/* ---- recurring bugs, probe semantics ----------------------------- */

/* PATH_INFO seen empty or not at all: both keep the underflow shut. */
static void
expect_empty_path_info(struct gc *g, const unsigned char *out, size_t len)
{
	struct head h;
	const unsigned char *v;
	size_t vlen;
	long n = head_read(out, len, &h);
	char buf[100];

	if (n > 0 &&
		app_probe_get(
			out + n, len - (size_t)n, "env.PATH_INFO", &v, &vlen) &&
		vlen > 0)
		gc_fail(g, "PATH_INFO empty or unset",
			"the app saw PATH_INFO = %s",
			app_show(v, vlen, buf, sizeof(buf)));
}

static void
c_pathinfo(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	static char sname[256], uri[300], hui[5001], qs[1701];
	const char *path = g->o->path ? g->o->path : "/gatecheck";

	/* php bug 78599 / CVE-2019-11043: empty PATH_INFO with a request
	 * URI that a %0a broke out of nginx's split regex. */
	(void)cs;
	snprintf(sname, sizeof(sname), "%s", path);
	snprintf(uri, sizeof(uri), "%s/PHP%%0Ais_the_shelled", path);
	memset(hui, 'A', 5000);
	memset(qs, 'Q', 1700);
	fq_init(&q, 1, 0);
	q.a.query = qs;
	app_req_set(&q.a, "PATH_INFO", "", 0);
	q.a.vlen[q.a.nextra - 1] = 0;
	app_req_set(&q.a, "REQUEST_URI", uri, 0);
	app_req_set(&q.a, "HTTP_HUI", hui, 5000);
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	if (v.nend == 0 && c.eof)
		gc_warn(g, "a complete answer",
			"the connection closed without END_REQUEST (a refusal "
			"at least)");
	else if (v.nend == 0)
		gc_fail(g, "a complete answer or a close", "%s",
			"nothing within the timeout");
	else if (gc_has_probe(g))
		expect_empty_path_info(g, v.out.p, v.out.len);
	app_buf_free(&v.out);
	fc_close(&c);
	if (g->verdict != GC_FAIL)
		fx_alive(g, "the CVE-2019-11043 request");
}

enum { E_HTTPOXY, E_QUERY, E_METHOD, E_127_128 };

static void
c_env(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	static char s127[128], s128[129];
	const char *query = "a=1&b=%20x&c=%2F&d=caf%C3%A9";

	fq_init(&q, 1, 0);
	memset(s127, '7', 127);
	memset(s128, '8', 128);
	switch (cs->arg) {
	case E_HTTPOXY:
		app_req_set(&q.a, "HTTP_PROXY", "http://127.0.0.1:9/", 0);
		break;
	case E_QUERY: q.a.query = query; break;
	case E_METHOD:
		q.a.method = "POST";
		q.a.body_len = 10;
		break;
	case E_127_128:
		app_req_set(&q.a, "HTTP_X_GATECHECK_127", s127, 127);
		app_req_set(&q.a, "HTTP_X_GATECHECK_128", s128, 128);
		break;
	}
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	if (v.nend == 0) {
		gc_fail(g, "a complete answer", "%s",
			c.eof ? "the connection closed" : "nothing");
	} else if (cs->arg == E_HTTPOXY) {
		app_probe_expect(
			g, v.out.p, v.out.len, "getenv.HTTP_PROXY", NULL, 0);
	} else if (cs->arg == E_QUERY) {
		app_probe_expect(g, v.out.p, v.out.len, "env.QUERY_STRING",
			query, strlen(query));
	} else if (cs->arg == E_METHOD) {
		if (app_probe_expect(g, v.out.p, v.out.len,
			    "env.REQUEST_METHOD", "POST", 4) == 0)
			app_probe_expect(g, v.out.p, v.out.len,
				"env.CONTENT_LENGTH", "10", 2);
	} else {
		if (app_probe_expect(g, v.out.p, v.out.len,
			    "env.HTTP_X_GATECHECK_127", s127, 127) == 0)
			app_probe_expect(g, v.out.p, v.out.len,
				"env.HTTP_X_GATECHECK_128", s128, 128);
	}
	app_buf_free(&v.out);
	fc_close(&c);
}

/* ---- the case table ---------------------------------------------- */

#define S_REC  "FastCGI 1.0 §3.3 records"
#define S_NV   "FastCGI 1.0 §3.4 name-value pairs"
#define S_MGT  "FastCGI 1.0 §4 management records"
#define S_REQ  "FastCGI 1.0 §5 requests and streams"
#define S_CONN "FastCGI 1.0 §5.1 connections (FCGI_KEEP_CONN)"
#define S_MPX  "FastCGI 1.0 §5.5 multiplexing"
#define S_HEAD "RFC 3875 §6 CGI response on STDOUT"
#define S_SEC  "Recurring bugs (conformance-fuzz §4)"
#define S_SEM  "Probe semantics (RFC 3875 §4.1)"

#define ANY "PASS when the bytes follow the rule"
#define F   GC_FCGI

const struct gc_case fcgi_cases[] = {
	{"FCGI-APP-REC-001", S_REC, GC_MUST, "FCGI-REC-2 (§3.3)",
		"every record carries version FCGI_VERSION_1", ANY, F, 0,
		c_basic, B_VERSION},
	{"FCGI-APP-REC-002", S_REC, GC_MUST, "FCGI-REC-1 (§3.3)",
		"records are whole: content and padding as the header says",
		ANY, F, 0, c_basic, B_FRAMING},
	{"FCGI-APP-REC-003", S_REC, GC_MUST, "FCGI-REC-6 (§4, §5)",
		"only application record types are sent", ANY, F, 0, c_basic,
		B_TYPES},
	{"FCGI-APP-REC-004", S_REC, GC_MAY, "FCGI-REC-9 (§3.3)",
		"records are padded to 8-byte boundaries (recommended)",
		"PASS padded; WARN unpadded", F, 0, c_basic, B_PAD8},
	{"FCGI-APP-REC-005", S_REC, GC_SHOULD, "FCGI-REC-3 (§3.3)",
		"the reserved header byte is zero", ANY, F, 0, c_basic,
		B_RESERVED},
	{"FCGI-APP-REC-006", S_REC, GC_MUST, "FCGI-REC-5 (§3.3)",
		"STDOUT/STDERR records echo the request id", ANY, F, 0, c_basic,
		B_ID_STREAM},
	{"FCGI-APP-REC-007", S_REC, GC_MUST, "FCGI-REC-5 (§3.3, §5.5)",
		"END_REQUEST echoes the request id", ANY, F, 0, c_basic,
		B_ID_END},
	{"FCGI-APP-REC-008", S_REC, GC_MUST, "FCGI-REC-5 (§3.3)",
		"a request id above 255 (0x1234) is echoed in full", ANY, F, 0,
		c_basic, B_HIGH_ID},
	{"FCGI-APP-STR-001", S_REQ, GC_MUST, "FCGI-STREAM-2 (§3.3, §6.2)",
		"STDOUT ends with an empty STDOUT record before END_REQUEST",
		ANY, F, 0, c_basic, B_OUT_TERM},
	{"FCGI-APP-STR-002", S_REQ, GC_MUST, "FCGI-STREAM-2 (§3.3, §6.2)",
		"STDERR, when sent, ends with an empty record before "
		"END_REQUEST",
		"PASS also when no STDERR is sent", F, 0, c_basic, B_ERR_TERM},
	{"FCGI-APP-STR-003", S_REQ, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"no stream data after the stream's empty record", ANY, F, 0,
		c_basic, B_OUT_AFTER},
	{"FCGI-APP-STR-004", S_REQ, GC_MUST, "FCGI-END-3 (§5.5, §6.2)",
		"a Responder request ends with END_REQUEST", ANY, F, 0, c_basic,
		B_END_ARRIVES},
	{"FCGI-APP-STR-005", S_REQ, GC_MUST, "FCGI-END-3 (§5.5)",
		"exactly one END_REQUEST per request", ANY, F, 0, c_basic,
		B_ONE_END},
	{"FCGI-APP-STR-006", S_REQ, GC_MUST, "FCGI-END-1 (§5.5)",
		"END_REQUEST content is the 8-byte FCGI_EndRequestBody", ANY, F,
		0, c_basic, B_END_LEN},
	{"FCGI-APP-STR-007", S_REQ, GC_MUST, "FCGI-END-2 (§5.5)",
		"protocolStatus is one of the four defined values", ANY, F, 0,
		c_basic, B_PSTATUS_VALID},
	{"FCGI-APP-STR-008", S_REQ, GC_SHOULD, "FCGI-END-2 (§5.5)",
		"a lone request completes with FCGI_REQUEST_COMPLETE",
		"OVERLOADED is legal but fails this SHOULD", F, 0, c_basic,
		B_COMPLETE},
	{"FCGI-APP-STR-009", S_REQ, GC_MUST, "FCGI-END-3 (§3.3, §5.5)",
		"no records for a request after its END_REQUEST", ANY, F, 0,
		c_basic, B_AFTER_END},
	{"FCGI-APP-STR-010", S_REQ, GC_MUST, "RFC 3875 §6.1, FastCGI §6.2",
		"a Responder writes a non-empty response on STDOUT", ANY, F, 0,
		c_basic, B_NONEMPTY},
	{"FCGI-APP-STR-011", S_REQ, GC_MUST, "FCGI-NV-6 (§3.3, §5.2)",
		"PARAMS sent one byte per record is read as one stream", ANY, F,
		0, c_params, P_ONEBYTE},
	{"FCGI-APP-STR-012", S_REQ, GC_MUST, "FCGI-STREAM-1 (§5.3)",
		"a 1000-byte STDIN body is read and answered",
		"probe: digest matches", F, 0, c_stdin, I_SMALL},
	{"FCGI-APP-STR-013", S_REQ, GC_MUST, "FCGI-STREAM-1 (§5.3)",
		"a 300 KB STDIN body in 64 KiB records is answered",
		"probe: digest matches", F, 0, c_stdin, I_LARGE},
	{"FCGI-APP-STR-014", S_REQ, GC_MUST, "FCGI-STREAM-1 (§3.3, §5.3)",
		"STDIN in 7-byte records written in 13-byte pieces is answered",
		"probe: digest matches", F, 0, c_stdin, I_ODD},
	{"FCGI-APP-STR-015", S_REQ, GC_MUST, "FCGI-STREAM-2 (§5.3)",
		"a POST with an empty STDIN stream is answered", ANY, F, 0,
		c_stdin, I_EMPTY},
	{"FCGI-APP-STR-016", S_REQ, GC_MUST, "FCGI-STREAM-1 (§5.3)",
		"the app waits for STDIN that arrives 300 ms late",
		"probe: digest matches", F, 0, c_stdin, I_DELAYED},
	{"FCGI-APP-STR-017", S_REQ, GC_MUST,
		"FastCGI §3.3 (inactive request ids)",
		"records for an inactive request id are ignored", ANY, F, 0,
		c_inactive, 0},
	{"FCGI-APP-BEG-001", S_REQ, GC_SHOULD,
		"FCGI-BEGIN-2, FCGI-END-2 (§5.1, §5.5)",
		"an unknown role gets END_REQUEST with FCGI_UNKNOWN_ROLE", ANY,
		F, 0, c_role_unknown, 0},
	{"FCGI-APP-ABT-001", S_REQ, GC_MUST, "FCGI-REC-7 (§5.4)",
		"ABORT_REQUEST is answered with END_REQUEST", ANY, F, 0,
		c_abort, A_END},
	{"FCGI-APP-ABT-002", S_REQ, GC_SHOULD,
		"FCGI-REC-7, FCGI-BEGIN-3 (§5.4, §5.1)",
		"after an abort, a kept connection serves the next request",
		ANY, F, 0, c_abort, A_KEEP},
	{"FCGI-APP-ABT-003", S_REQ, GC_MUST, "FCGI-REC-7 (§3.3, §5.4)",
		"ABORT_REQUEST for an inactive id is ignored", ANY, F, 0,
		c_abort, A_INACTIVE},
	{"FCGI-APP-NV-001", S_NV, GC_MUST, "FCGI-NV-7 (§3.4, §5.2)",
		"PARAMS in 7-byte records (pairs and lengths split) is read "
		"whole",
		"probe: value intact", F, 0, c_params, P_ODD},
	{"FCGI-APP-NV-002", S_NV, GC_MUST, "FCGI-NV-7 (§3.4, §5.2)",
		"a record boundary inside a 4-byte length is handled",
		"probe: value intact", F, 0, c_params, P_LEN4},
	{"FCGI-APP-NV-003", S_NV, GC_SHOULD, "FCGI-NV-6, FCGI-STREAM-1 (§5.2)",
		"more than 64 KiB of PARAMS across records is answered",
		"served (probe: value intact); WARN refused with 4xx/5xx", F, 0,
		c_params, P_LARGE},
	{"FCGI-APP-NV-004", S_NV, GC_SHOULD, "FCGI-NV-6, FCGI-STREAM-1 (§5.2)",
		"one 70000-byte value spanning two records is answered",
		"served (probe: value intact); WARN refused with 4xx/5xx", F, 0,
		c_params, P_BIGPAIR},
	{"FCGI-APP-NV-005", S_NV, GC_MUST, "FCGI-NV-6 (§5.2)",
		"an empty PARAMS stream gets an answer or a close, not a hang",
		"any END_REQUEST or a close, then still serving", F, 0,
		c_params, P_EMPTY},
	{"FCGI-APP-NV-006", S_NV, GC_SHOULD, "FCGI-NV-2 (§3.4)",
		"short lengths written in the 4-byte form are accepted", ANY, F,
		0, c_params, P_FORCE4},
	{"FCGI-APP-NV-007", S_NV, GC_MUST, "FCGI-NV-5 (§3.4), CVE-2025-23016",
		"a 2^31-1 value length past the stream does not kill the app",
		"error answer, close or (WARN) silence; then still serving", F,
		0, c_robust, O_NV_HUGE},
	{"FCGI-APP-NV-008", S_NV, GC_MUST, "FCGI-NV-5 (§3.4), CVE-2025-23016",
		"two 31-bit lengths that wrap 32 bits do not kill the app",
		"error answer, close or (WARN) silence; then still serving", F,
		0, c_robust, O_NV_WRAP},
	{"FCGI-APP-NV-009", S_NV, GC_MUST, "FCGI-NV-4 (§3.4)",
		"a stream ending inside a 4-byte length does not kill the app",
		"error answer, close or (WARN) silence; then still serving", F,
		0, c_robust, O_NV_TRUNC},
	{"FCGI-APP-NV-010", S_NV, GC_SHOULD, "FCGI-NV-3 (§3.4)",
		"NUL and 8-bit bytes in a value are carried, not fatal", ANY, F,
		0, c_robust, O_NUL},
	{"FCGI-APP-CONN-001", S_CONN, GC_MUST, "FCGI-BEGIN-3 (§5.1, §3.5)",
		"without FCGI_KEEP_CONN the app closes after END_REQUEST", ANY,
		F, 0, c_basic, B_CLOSE},
	{"FCGI-APP-CONN-002", S_CONN, GC_MUST, "FCGI-BEGIN-3 (§5.1)",
		"with FCGI_KEEP_CONN the connection stays open", ANY, F, 0,
		c_keep, K_OPEN},
	{"FCGI-APP-CONN-003", S_CONN, GC_MUST, "FCGI-BEGIN-3 (§5.1)",
		"a second request on a kept connection is answered", ANY, F, 0,
		c_keep, K_SECOND},
	{"FCGI-APP-CONN-004", S_CONN, GC_MUST,
		"FCGI-BEGIN-3, FCGI-REC-5 (§5.1, §3.3)",
		"a new request id on a kept connection is answered with that "
		"id",
		ANY, F, 0, c_keep, K_SECOND_ID},
	{"FCGI-APP-CONN-005", S_CONN, GC_MUST, "FCGI-BEGIN-3 (§5.1)",
		"ten requests in a row on one kept connection are answered",
		ANY, F, 0, c_keep, K_TEN},
	{"FCGI-APP-CONN-006", S_CONN, GC_SHOULD, "FCGI-REC-2 (§3.3)",
		"a record with a bad version does not kill the app",
		"close or ignore; then still serving", F, 0, c_robust,
		O_GARBAGE},
	{"FCGI-APP-CONN-007", S_CONN, GC_MUST, "FastCGI §3.5, §5.4",
		"a server closing mid-PARAMS does not kill the app",
		"then still serving", F, 0, c_robust, O_EOF_PARAMS},
	{"FCGI-APP-CONN-008", S_CONN, GC_MUST, "FastCGI §3.5, §5.4",
		"a server closing mid-STDIN does not kill the app",
		"then still serving", F, 0, c_robust, O_EOF_STDIN},
	{"FCGI-APP-MGT-001", S_MGT, GC_MUST, "FCGI-MGMT-2 (§4.1)",
		"GET_VALUES gets GET_VALUES_RESULT on request id 0", ANY, F, 0,
		c_mgmt, M_GV_ANSWER},
	{"FCGI-APP-MGT-002", S_MGT, GC_MUST,
		"FCGI-MGMT-2, FCGI-NV-1 (§4.1, §3.4)",
		"GET_VALUES_RESULT holds well-formed name-value pairs", ANY, F,
		0, c_mgmt, M_GV_PAIRS},
	{"FCGI-APP-MGT-003", S_MGT, GC_MUST, "FCGI-MGMT-3 (§4.1)",
		"GET_VALUES_RESULT answers only the names asked", ANY, F, 0,
		c_mgmt, M_GV_ASKED},
	{"FCGI-APP-MGT-004", S_MGT, GC_MUST, "FCGI-MGMT-2 (§4.1)",
		"FCGI_MAX_CONNS and FCGI_MAX_REQS are decimal numbers", ANY, F,
		0, c_mgmt, M_GV_NUMBERS},
	{"FCGI-APP-MGT-005", S_MGT, GC_MUST, "FCGI-MGMT-2 (§4.1)",
		"FCGI_MPXS_CONNS is \"0\" or \"1\"", ANY, F, 0, c_mgmt,
		M_GV_MPXS},
	{"FCGI-APP-MGT-006", S_MGT, GC_MUST, "FCGI-MGMT-3 (§4.1)",
		"a name the app does not know is left out of the reply", ANY, F,
		0, c_mgmt, M_GV_UNKNOWN},
	{"FCGI-APP-MGT-007", S_MGT, GC_SHOULD,
		"FCGI-MGMT-1 (§4), php bug 76922",
		"a request after GET_VALUES on the same connection is answered",
		ANY, F, 0, c_mgmt, M_GV_THEN_REQ},
	{"FCGI-APP-MGT-008", S_MGT, GC_MUST, "FCGI-REC-10, FCGI-MGMT-4 (§4.2)",
		"an unknown management record type gets FCGI_UNKNOWN_TYPE", ANY,
		F, 0, c_mgmt, M_UT_ANSWER},
	{"FCGI-APP-MGT-009", S_MGT, GC_MUST, "FCGI-MGMT-4 (§4.2)",
		"FCGI_UNKNOWN_TYPE is 8 bytes on id 0 naming the type sent",
		ANY, F, 0, c_mgmt, M_UT_BODY},
	{"FCGI-APP-MGT-010", S_MGT, GC_SHOULD, "FCGI-REC-10 (§4.2)",
		"a request after FCGI_UNKNOWN_TYPE on the same connection is "
		"answered",
		ANY, F, 0, c_mgmt, M_UT_THEN_REQ},
	{"FCGI-APP-MPX-001", S_MPX, GC_MUST,
		"FCGI-MGMT-2, FCGI-STREAM-3 (§4.1, §3.3)",
		"FCGI_MPXS_CONNS=1 is real: two concurrent requests complete",
		"SKIP when not claimed", F, 0, c_mpx, X_CLAIM},
	{"FCGI-APP-MPX-002", S_MPX, GC_SHOULD, "FCGI-END-2 (§5.5)",
		"unclaimed: a concurrent BEGIN gets FCGI_CANT_MPX_CONN or is "
		"served",
		"SKIP when claimed", F, 0, c_mpx, X_UNCLAIMED},
	{"FCGI-APP-MPX-003", S_MPX, GC_MUST, "FCGI-END-2 (§5.5)",
		"a concurrent BEGIN does not disturb the request in progress",
		ANY, F, 0, c_mpx, X_NO_HARM},
	{"FCGI-APP-HDR-001", S_HEAD, GC_MUST, "CGI-RESP-LINE-1 (RFC 3875 §6.2)",
		"STDOUT starts with a head ended by an empty line", ANY, F, 0,
		c_basic, HC_COMPLETE},
	{"FCGI-APP-HDR-002", S_HEAD, GC_MUST,
		"CGI-RESP-FIELD-2/3/4 (RFC 3875 §6.3)",
		"head lines are token \":\" value, no obs-fold", ANY, F, 0,
		c_basic, HC_NAME},
	{"FCGI-APP-HDR-003", S_HEAD, GC_MUST,
		"CGI-RESP-FIELD-5, CGI-RESP-LINE-2",
		"no CTL, NUL or bare CR in head values", ANY, F, 0, c_basic,
		HC_CTL},
	{"FCGI-APP-HDR-004", S_HEAD, GC_MUST,
		"CGI-RESP-STATUS-1 (RFC 3875 §6.3.3)",
		"Status is 3 digits (then SP reason)", ANY, F, 0, c_basic,
		HC_STATUS},
	{"FCGI-APP-HDR-005", S_HEAD, GC_SHOULD, "CGI-RESP-STATUS-2",
		"the status code is in 100..599", ANY, F, 0, c_basic,
		HC_STATUS_RANGE},
	{"FCGI-APP-HDR-006", S_HEAD, GC_SHOULD,
		"CGI-RESP-STATUS-1 (RFC 3875 §6.3.3)",
		"Status carries a reason phrase", ANY, F, 0, c_basic,
		HC_REASON},
	{"FCGI-APP-HDR-007", S_HEAD, GC_MUST, "CGI-RESP-CGI-2 (RFC 3875 §6.3)",
		"Status and Content-Type appear at most once", ANY, F, 0,
		c_basic, HC_DUP},
	{"FCGI-APP-HDR-008", S_HEAD, GC_MUST, "CGI-RESP-CT-1 (RFC 3875 §6.3.1)",
		"Content-Type is type/subtype", ANY, F, 0, c_basic, HC_CTYPE},
	{"FCGI-APP-HDR-009", S_HEAD, GC_MUST, "RFC 3875 §6.3.1",
		"a response with a body has Content-Type", ANY, F, 0, c_basic,
		HC_CTYPE_BODY},
	{"FCGI-APP-HDR-010", S_HEAD, GC_MUST,
		"CGI-RESP-LOC-3 (RFC 3875 §6.3.2)",
		"Location is an absolute URI or a /local-path",
		"PASS when absent", F, 0, c_basic, HC_LOCATION},
	{"FCGI-APP-HDR-011", S_HEAD, GC_MUST, "CGI-RESP-CGI-1 (RFC 3875 §6.3)",
		"the head has Content-Type, Location or Status", ANY, F, 0,
		c_basic, HC_CGI_FIELD},
	{"FCGI-APP-HDR-012", S_HEAD, GC_MUST, "CGI-RESP-CL-1 (RFC 9110 §8.6)",
		"Content-Length, when given, is the body length",
		"PASS when absent", F, 0, c_basic, HC_CL},
	{"FCGI-APP-HDR-013", S_HEAD, GC_SHOULD,
		"CGI-RESP-LINE-1 (RFC 3875 §6.3.4)",
		"one kind of line end in the head", ANY, F, 0, c_basic, HC_EOL},
	{"FCGI-APP-HDR-014", S_HEAD, GC_SHOULD, "RFC 3875 §5 (NPH), §6",
		"a parsed CGI head rather than an NPH status line",
		"PASS CGI head; WARN NPH", F, 0, c_basic, HC_NOT_NPH},
	{"FCGI-APP-HDR-015", S_HEAD, GC_MUST, "RFC 3875 §4.3.2",
		"no body for a HEAD request", ANY, F, 0, c_head_method, 0},
	{"FCGI-APP-SEC-001", S_SEC, GC_SHOULD, "conformance-fuzz §4.1 httpoxy",
		"an HTTP_PROXY parameter is not exposed through getenv()",
		"probe needed", F, GC_PROBE, c_env, E_HTTPOXY},
	{"FCGI-APP-SEC-002", S_SEC, GC_MUST, "CVE-2019-11043 php bug 78599",
		"the PATH_INFO underflow request is answered; PATH_INFO stays "
		"empty",
		"any complete answer; probe: PATH_INFO empty", F, 0, c_pathinfo,
		0},
	{"FCGI-APP-SEM-001", S_SEM, GC_MUST, "RFC 3875 §4.1.7",
		"QUERY_STRING reaches the app byte for byte", "probe needed", F,
		GC_PROBE, c_env, E_QUERY},
	{"FCGI-APP-SEM-002", S_SEM, GC_MUST, "RFC 3875 §4.1.2 §4.1.12",
		"REQUEST_METHOD and CONTENT_LENGTH reach the app",
		"probe needed", F, GC_PROBE, c_env, E_METHOD},
	{"FCGI-APP-SEM-003", S_SEM, GC_MUST, "FastCGI §3.4",
		"values of 127 and 128 bytes (1- and 4-byte lengths) arrive "
		"intact",
		"probe needed", F, GC_PROBE, c_env, E_127_128},
};

const size_t fcgi_ncases = sizeof(fcgi_cases) / sizeof(fcgi_cases[0]);
