/*
 * Gateway mode's engine (see gw.h): one exchange = client request to the
 * gateway, the gateway's backend request recorded and decoded on our
 * listener, the scenario's answer, the client's response read back.
 * Single-threaded: every wait is a poll with the --timeout bound, in the
 * order a correct gateway moves (request, backend, reply, response).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "gw.h"
#include "net.h"
#include "pkt.h"
#include "rec.h"

#define UP_C2B      "GC-UPGRADE-CLIENT-TO-BACKEND"
#define UP_B2C      "GC-UPGRADE-BACKEND-TO-CLIENT"
#define SECOND_BODY "second"

static long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
gw_parse_url(struct gc *g)
{
	const char *u = g->o->url, *hp, *slash, *colon;
	size_t n;

	if (u == NULL || strncmp(u, "http://", 7) != 0) {
		fprintf(stderr, "gatecheck: --url http://HOST:PORT/PREFIX\n");
		return -1;
	}
	hp = u + 7;
	slash = strchr(hp, '/');
	n = slash ? (size_t)(slash - hp) : strlen(hp);
	if (n == 0 || n >= sizeof(g->host)) {
		fprintf(stderr, "gatecheck: bad --url %s\n", u);
		return -1;
	}
	memcpy(g->host, hp, n);
	g->host[n] = '\0';
	colon = strrchr(g->host, ':');
	if (colon && strchr(colon, ']') == NULL) {
		snprintf(g->port, sizeof(g->port), "%s", colon + 1);
		g->host[colon - g->host] = '\0';
	} else {
		snprintf(g->port, sizeof(g->port), "80");
	}
	snprintf(g->prefix, sizeof(g->prefix), "%s", slash ? slash : "");
	n = strlen(g->prefix);
	while (n > 0 && g->prefix[n - 1] == '/')
		g->prefix[--n] = '\0';
	snprintf(g->addr, sizeof(g->addr), "%s:%s", g->host, g->port);
	return 0;
}

int
gw_setup(struct gc *g)
{
	char err[256];

	g->lfd = -1;
	if (gw_parse_url(g) != 0)
		return -1;
	if (g->o->backend == NULL)
		return 0;
	g->lfd = net_listen(g->o->backend, err, sizeof(err));
	if (g->lfd < 0) {
		fprintf(stderr, "gatecheck: %s\n", err);
		return -1;
	}
	return 0;
}

void
gw_teardown(struct gc *g)
{
	if (g->lfd >= 0)
		close(g->lfd);
	g->lfd = -1;
	if (g->o->backend && strncmp(g->o->backend, "unix:", 5) == 0)
		unlink(g->o->backend + 5);
}

const char *
gw_expand(const struct gc *g, const char *t, char *dst, size_t cap)
{
	size_t o = 0;
	char tmp[320];

	for (; *t && o + 1 < cap; t++) {
		const char *ins = NULL;
		if (*t == '%' && t[1]) {
			switch (t[1]) {
			case 'P': ins = g->prefix; break;
			case 'A':
				snprintf(tmp, sizeof(tmp), "%s:%s", g->host,
					g->port);
				ins = tmp;
				break;
			case 'h': ins = g->host; break;
			case 'p': ins = g->port; break;
			case '%': ins = "%"; break;
			}
		}
		if (ins == NULL) {
			dst[o++] = *t;
			continue;
		}
		t++;
		while (*ins && o + 1 < cap)
			dst[o++] = *ins++;
	}
	dst[o] = '\0';
	return dst;
}

/* The client's request bytes for s. %L in the template: body length. */
static void
build_request(struct gc *g, const struct gw_scn *s, struct app_buf *out)
{
	char t[8192], lenbuf[32], *p;
	unsigned char *body;
	size_t off;

	gw_expand(g, s->req, t, sizeof(t));
	snprintf(lenbuf, sizeof(lenbuf), "%zu", s->body_pattern);
	while ((p = strstr(t, "%L")) != NULL) {
		memmove(p + strlen(lenbuf), p + 2, strlen(p + 2) + 1);
		memcpy(p, lenbuf, strlen(lenbuf));
	}
	app_buf_add(out, t, strlen(t));
	if (s->body_pattern == 0 || s->body_in_req)
		return;
	body = malloc(s->body_pattern);
	if (body == NULL)
		exit(2);
	app_pattern(body, s->body_pattern, 0);
	if (!s->chunk_body) {
		app_buf_add(out, body, s->body_pattern);
	} else {
		for (off = 0; off < s->body_pattern; off += 1000) {
			size_t n = s->body_pattern - off < 1000
				? s->body_pattern - off
				: 1000;
			snprintf(lenbuf, sizeof(lenbuf), "%zx\r\n", n);
			app_buf_add(out, lenbuf, strlen(lenbuf));
			app_buf_add(out, body + off, n);
			app_buf_add(out, "\r\n", 2);
		}
		app_buf_add(out, "0\r\n\r\n", 5);
	}
	free(body);
}

/* ---- the backend side: decode what the gateway sent ---- */

static void
bk_err(struct gw_bk *b, const char *fmt, const char *what)
{
	if (b->err[0] == '\0')
		snprintf(b->err, sizeof(b->err), fmt, what);
}

static void
env_add(struct gw_bk *b, const char *name, size_t nlen, const char *value,
	size_t vlen)
{
	/* Names are NUL-terminated copies kept in b itself. */
	unsigned i = b->env.n;

	if (i >= APP_MAX_KV)
		return;
	if (nlen >= sizeof(b->names[i]))
		nlen = sizeof(b->names[i]) - 1;
	memcpy(b->names[i], name, nlen);
	b->names[i][nlen] = '\0';
	b->env.name[i] = b->names[i];
	b->env.value[i] = value;
	b->env.vlen[i] = vlen;
	b->env.n++;
}

static void
parse_fcgi(struct gw_bk *b)
{
	size_t off = 0;
	struct rec r;
	enum rec_err e;
	long n;

	b->params.len = b->body.len = 0;
	b->nrec = b->params_records = b->params_term = b->stdin_term = 0;
	b->after_stdin = b->stdin_records = b->id_mismatch = 0;
	while ((n = rec_read(b->raw.p + off, b->raw.len - off, &r, &e)) > 0) {
		b->nrec++;
		if (r.clen > b->max_clen)
			b->max_clen = r.clen;
		if (b->nrec == 1) {
			b->begin_first = r.type == REC_BEGIN_REQUEST;
			b->begin_id = r.id;
			if (r.type == REC_BEGIN_REQUEST && r.clen == 8) {
				unsigned k;
				b->role = (unsigned)r.content[0] << 8 |
					r.content[1];
				b->flags = r.content[2];
				for (k = 3; k < 8; k++)
					if (r.content[k])
						b->reserved_nonzero = 1;
			}
		} else if (r.id != b->begin_id) {
			b->id_mismatch++;
		}
		if (r.version != REC_VERSION_1)
			bk_err(b, "record version %s (FastCGI §3.3 wants 1)",
				"not 1");
		if (b->stdin_term)
			b->after_stdin++;
		if (r.type == REC_PARAMS) {
			if (r.clen == 0)
				b->params_term++;
			else
				b->params_records++;
			app_buf_add(&b->params, r.content, r.clen);
		} else if (r.type == REC_STDIN) {
			if (r.clen == 0)
				b->stdin_term++;
			else
				b->stdin_records++;
			app_buf_add(&b->body, r.content, r.clen);
		}
		off += (size_t)n;
	}
	if (n < 0) {
		bk_err(b, "unreadable record: %s", rec_strerror(e));
		b->complete = 1;
	}
	if (b->stdin_term)
		b->complete = 1;
}

static void
fcgi_env(struct gw_bk *b)
{
	const unsigned char *nm, *v;
	size_t nl, vl, off = 0;
	enum rec_err e;
	long n;

	while (off < b->params.len &&
		(n = rec_pair_next(b->params.p + off, b->params.len - off, &nm,
			 &nl, &v, &vl, &e)) > 0) {
		env_add(b, (const char *)nm, nl, (const char *)v, vl);
		off += (size_t)n;
	}
	if (off < b->params.len)
		bk_err(b,
			"PARAMS stream does not decode as name-value pairs "
			"(FastCGI §3.4): %s",
			rec_strerror(e));
}

/*
 * A netstring read leniently: the pairs of "len:pairs," even when the
 * SCGI rules on them (CONTENT_LENGTH first, SCGI=1, no duplicates) are
 * broken, so each case can still judge its own rule. Returns the bytes
 * up to the ',', 0 for more, -1 when it is not a netstring at all.
 */
static long
netstring(const unsigned char *p, size_t len, const unsigned char **pl,
	size_t *plen)
{
	size_t i = 0, n = 0;

	while (i < len && i < 10 && p[i] >= '0' && p[i] <= '9')
		n = n * 10 + (size_t)(p[i++] - '0');
	if (i == len)
		return 0;
	if (i == 0 || p[i] != ':')
		return -1;
	if (len - i - 1 < n + 1)
		return 0;
	if (p[i + 1 + n] != ',')
		return -1;
	*pl = p + i + 1;
	*plen = n;
	return (long)(i + n + 2);
}

static void
parse_scgi(struct gw_bk *b, int cgi)
{
	struct pkt_scgi s;
	enum pkt_err e;
	const unsigned char *pl;
	const char *nm, *v;
	size_t nl, vl, off = 0, plen;
	unsigned long cl = 0;
	long n = pkt_scgi_read(b->raw.p, b->raw.len, &s, &e), k;

	if (n < 0) {
		b->perr = (int)e;
		bk_err(b, "SCGI: %s", pkt_strerror(e));
	}
	n = netstring(b->raw.p, b->raw.len, &pl, &plen);
	if (n == 0)
		return;
	if (n < 0) {
		b->complete = 1;
		return;
	}
	if (b->perr != PKT_E_LENGTH && b->perr != PKT_E_COLON &&
		b->perr != PKT_E_COMMA && b->perr != PKT_E_PAIR)
		b->err[0] = '\0'; /* readable: PKT cases judge the rest */
	b->env.n = 0;
	while ((k = pkt_scgi_pair_next(
			pl + off, plen - off, &nm, &nl, &v, &vl)) > 0) {
		off += (size_t)k;
		if (nl == 14 && memcmp(nm, "CONTENT_LENGTH", 14) == 0 &&
			cl == 0)
			cl = strtoul(v, NULL, 10);
		if (cgi) {
			/* gw_cgi.c's framing: CONTENT_LENGTH (stdin bytes)
			   first, SCGI last, the real one renamed. */
			if ((nl == 14 &&
				    memcmp(nm, "CONTENT_LENGTH", 14) == 0) ||
				(nl == 4 && memcmp(nm, "SCGI", 4) == 0))
				continue;
			if (nl == 17 &&
				memcmp(nm, "GC_CONTENT_LENGTH", 17) == 0) {
				nm += 3;
				nl -= 3;
			}
		}
		env_add(b, nm, nl, v, vl);
	}
	if (b->raw.len < (size_t)n + cl)
		return;
	b->complete = 1;
	b->body.len = 0;
	app_buf_add(&b->body, b->raw.p + n, cl);
}

static void
parse_uwsgi(struct gw_bk *b)
{
	struct pkt_uwsgi u;
	enum pkt_err e;
	const unsigned char *k, *v;
	size_t kl, vl, off = 0;
	unsigned long cl = 0;
	long n = pkt_uwsgi_read(b->raw.p, b->raw.len, &u, &e), m;

	if (n == 0)
		return;
	if (n < 0) {
		bk_err(b, "uwsgi packet: %s", pkt_strerror(e));
		b->perr = (int)e;
		b->complete = 1;
		return;
	}
	b->mod1 = u.modifier1;
	b->mod2 = u.modifier2;
	b->env.n = 0;
	while ((m = pkt_uwsgi_var_next(u.vars + off, u.datasize - off, &k, &kl,
			&v, &vl)) > 0) {
		off += (size_t)m;
		env_add(b, (const char *)k, kl, (const char *)v, vl);
		if (kl == 14 && memcmp(k, "CONTENT_LENGTH", 14) == 0)
			cl = strtoul((const char *)v, NULL, 10);
	}
	if (b->raw.len < (size_t)n + cl)
		return;
	b->complete = 1;
	b->body.len = 0;
	app_buf_add(&b->body, b->raw.p + n, cl);
}

static void
parse_http(struct gw_bk *b)
{
	enum http_err e;
	unsigned long long len;
	long n = http_read_head(b->raw.p, b->raw.len, 1, &b->head, &e), m;
	size_t olen;

	if (n == 0)
		return;
	if (n < 0) {
		bk_err(b, "request head: %s", http_strerror(e));
		b->complete = 1;
		return;
	}
	b->framing = http_framing(&b->head, 0, &len);
	b->body.len = 0;
	if (b->framing == HTTP_BODY_LENGTH) {
		if (b->raw.len - (size_t)n < len)
			return;
		app_buf_add(&b->body, b->raw.p + n, (size_t)len);
	} else if (b->framing == HTTP_BODY_CHUNKED) {
		unsigned char *tmp = malloc(b->raw.len - (size_t)n + 1);
		if (tmp == NULL)
			exit(2);
		m = http_chunked(
			b->raw.p + n, b->raw.len - (size_t)n, tmp, &olen, 0);
		if (m == 0) {
			free(tmp);
			return;
		}
		if (m < 0)
			bk_err(b, "request body: %s",
				"broken chunked coding (RFC 9112 §7.1)");
		else
			app_buf_add(&b->body, tmp, olen);
		free(tmp);
	} else if (b->framing < 0) {
		bk_err(b, "request framing: %s",
			"invalid Content-Length/Transfer-Encoding");
	}
	b->complete = 1;
}

static void
bk_parse(struct gc *g, struct gw_bk *b)
{
	switch (g->proto) {
	case GC_FCGI:
		parse_fcgi(b);
		if (b->complete) {
			b->env.n = 0;
			fcgi_env(b);
		}
		break;
	case GC_SCGI: parse_scgi(b, 0); break;
	case GC_CGI: parse_scgi(b, 1); break;
	case GC_UWSGI: parse_uwsgi(b); break;
	default: parse_http(b); break;
	}
}

/* Read from the backend connection until a whole request arrived. */
static void
bk_read(struct gc *g, int fd, struct gw_bk *b, int head_only)
{
	unsigned char buf[65536];
	long n;

	while (!b->complete) {
		n = net_read(fd, buf, sizeof(buf), g->o->timeout_ms);
		if (n <= 0) {
			b->eof = n == 0;
			bk_parse(g, b);
			return;
		}
		app_buf_add(&b->raw, buf, (size_t)n);
		gc_trace(g, "backend <- gateway: %ld bytes", n);
		if (g->o->verbose > 1)
			gc_hexdump(g, "B<", buf, (size_t)n);
		bk_parse(g, b);
		if (head_only && b->env.n > 0)
			return;
	}
}

/* ---- the backend side: answer ---- */

static void
put_fcgi(struct app_buf *o, unsigned type, unsigned id, const void *p, size_t n,
	unsigned plen)
{
	unsigned char rec[8 + 65535 + 255];
	long k = rec_put(rec, sizeof(rec), type, id, p, n, plen);

	if (k > 0)
		app_buf_add(o, rec, (size_t)k);
}

/* Wrap CGI response bytes in the protocol; end: add the terminators. */
static void
frame_reply(struct gc *g, const struct gw_bk *b, const struct gw_scn *s,
	const unsigned char *p, size_t n, int end, struct app_buf *o)
{
	unsigned id = b->begin_id ? b->begin_id : 1;
	size_t off, step;

	if (g->proto != GC_FCGI) {
		app_buf_add(o, p, n);
		return;
	}
	step = (s->rflags & GR_FCGI_SPLIT) ? 7 : 65535;
	for (off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		unsigned pad = (s->rflags & GR_FCGI_PAD)
			? (unsigned)((8 - k % 8) % 8 + 8)
			: 0;
		put_fcgi(o, REC_STDOUT, id, p + off, k, pad);
		/* After the first record: inside the body, not the head. */
		if ((s->rflags & GR_FCGI_STDERR) && off == 0)
			put_fcgi(o, REC_STDERR, id, "GC-STDERR-TEXT\n", 15, 0);
		if ((s->rflags & GR_FCGI_OTHERID) && off == 0)
			put_fcgi(o, REC_STDOUT, id + 1, "GC-OTHER-ID", 11, 0);
		if ((s->rflags & GR_FCGI_BADVER) && off == 0) {
			unsigned char bad[32];
			long k2 = rec_put(bad, sizeof(bad), REC_STDOUT, id,
				"GC-BADVER", 9, 0);
			bad[0] = 2;
			app_buf_add(o, bad, (size_t)k2);
		}
	}
	if (end) {
		unsigned char eb[8] = {0, 0, 0, 0, 0, 0, 0, 0};
		if (!(s->rflags & GR_FCGI_NOTERM))
			put_fcgi(o, REC_STDOUT, id, "", 0, 0);
		put_fcgi(o, REC_END_REQUEST, id, eb, 8, 0);
	}
}

/* The scenario's reply as the protocol's response stream (unframed). */
static void
reply_bytes(struct gc *g, const struct gw_scn *s, const char *tmpl, size_t pat,
	struct app_buf *o)
{
	char t[8192], *p;
	unsigned char *body;

	gw_expand(g, tmpl ? tmpl : "", t, sizeof(t));
	if ((p = strstr(t, "%L")) != NULL) {
		char lenbuf[32];
		snprintf(lenbuf, sizeof(lenbuf), "%zu", pat);
		memmove(p + strlen(lenbuf), p + 2, strlen(p + 2) + 1);
		memcpy(p, lenbuf, strlen(lenbuf));
	}
	if (g->proto == GC_HTTP && !(s->rflags & GR_HTTP_RAW)) {
		/* An origin server answers with a status line: made from
		   the CGI Status field (RFC 3875 §6.3.3), 200 without one. */
		if (strncmp(t, "Status: ", 8) == 0) {
			char *eol = strchr(t, '\n');
			app_buf_add(o, "HTTP/1.1 ", 9);
			app_buf_add(o, t + 8, (size_t)(eol + 1 - (t + 8)));
			p = eol + 1;
		} else {
			app_buf_add(o, "HTTP/1.1 200 OK\r\n", 17);
			p = t;
		}
		app_buf_add(o, p, strlen(p));
	} else {
		app_buf_add(o, t, strlen(t));
	}
	if (pat) {
		body = malloc(pat);
		if (body == NULL)
			exit(2);
		app_pattern(body, pat, 0);
		app_buf_add(o, body, pat);
		free(body);
	}
}

static size_t
head_end(const struct app_buf *r)
{
	size_t i;

	for (i = 0; i + 1 < r->len; i++) {
		if (r->p[i] == '\n' && r->p[i + 1] == '\n')
			return i + 2;
		if (i + 3 < r->len && memcmp(r->p + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	}
	return r->len;
}

static void
bk_send(struct gc *g, int fd, const void *p, size_t n)
{
	gc_trace(g, "backend -> gateway: %zu bytes", n);
	if (g->o->verbose > 1)
		gc_hexdump(g, "B>", p, n);
	(void)net_write_all(fd, p, n, g->o->timeout_ms);
}

/* ---- the client side ---- */

static int
is_head_req(const struct gw_scn *s)
{
	return strncmp(s->req, "HEAD ", 5) == 0;
}

/* Re-read the response from raw; sets head, body, framed. */
static void
cl_parse(struct gw_cl *c, int head_req)
{
	enum http_err e;
	unsigned long long len;
	size_t off = 0, olen;
	long n, m;

	c->have_head = 0;
	c->framed = 0;
	c->body.len = 0;
	for (;;) {
		n = http_read_head(
			c->raw.p + off, c->raw.len - off, 0, &c->head, &e);
		if (n <= 0)
			return;
		/* 1xx other than 101 are interim (RFC 9110 §15.2) */
		if (c->head.status / 100 == 1 && c->head.status != 101) {
			off += (size_t)n;
			continue;
		}
		break;
	}
	c->have_head = 1;
	c->body_start = off + (size_t)n;
	c->framing = http_framing(&c->head, head_req, &len);
	off = c->body_start;
	switch (c->framing) {
	case HTTP_BODY_NONE:
		c->framed = 1;
		c->end = off;
		break;
	case HTTP_BODY_LENGTH:
		m = (long)(c->raw.len - off < len ? c->raw.len - off : len);
		app_buf_add(&c->body, c->raw.p + off, (size_t)m);
		c->framed = c->raw.len - off >= len;
		c->end = off + (size_t)m;
		break;
	case HTTP_BODY_CHUNKED: {
		unsigned char *tmp = malloc(c->raw.len - off + 1);
		if (tmp == NULL)
			exit(2);
		m = http_chunked(
			c->raw.p + off, c->raw.len - off, tmp, &olen, 1);
		app_buf_add(&c->body, tmp, olen);
		c->framed = m > 0;
		c->end = m > 0 ? off + (size_t)m : c->raw.len;
		free(tmp);
		break;
	}
	default:
		app_buf_add(&c->body, c->raw.p + off, c->raw.len - off);
		c->end = c->raw.len;
		break;
	}
}

/*
 * Read the client connection until the response is framed, the
 * connection closes, want body bytes arrived, or wait_ms passes quietly.
 */
static void
cl_pump(struct gc *g, int fd, struct gw_cl *c, int head_req, size_t want,
	int wait_ms, long t0)
{
	unsigned char buf[65536];
	long n;

	cl_parse(c, head_req);
	while (!c->closed && !(c->have_head && c->framed) &&
		!(want && c->have_head && c->body.len >= want)) {
		n = net_read(fd, buf, sizeof(buf), wait_ms);
		if (n == NET_TIMEOUT) {
			c->timedout = 1;
			return;
		}
		if (n <= 0) {
			c->closed = 1;
			c->reset = n < 0;
			break;
		}
		app_buf_add(&c->raw, buf, (size_t)n);
		gc_trace(g, "client <- gateway: %ld bytes", n);
		if (g->o->verbose > 1)
			gc_hexdump(g, "C<", buf, (size_t)n);
		cl_parse(c, head_req);
		if (c->have_head && !c->ms_head)
			c->ms_head = ms_now() - t0;
	}
	cl_parse(c, head_req);
	c->ms_total = ms_now() - t0;
}

/* ---- one exchange ---- */

int
gw_upgrade_asked(const struct gc *g, const struct gw_bk *b)
{
	unsigned i;

	if (g->proto == GC_HTTP)
		return http_field(&b->head, "Upgrade", 0) != NULL;
	for (i = 0; i < b->env.n; i++)
		if (strcmp(b->env.name[i], "HTTP_UPGRADE") == 0)
			return 1;
	return 0;
}
#define upgrade_asked gw_upgrade_asked

static void
backend_answer(struct gc *g, int bfd, struct gw_ex *ex, int cfd, long t0)
{
	const struct gw_scn *s = ex->s;
	struct app_buf r = {0}, o = {0};
	size_t he, half;
	int head_req = is_head_req(s);

	if (s->act == GA_UPGRADE && !upgrade_asked(g, &ex->b)) {
		/* The gateway did not pass the upgrade on: answer plainly. */
		static const struct gw_scn plain = {
			.reply =
				"Status: 200 OK\r\nContent-Type: text/plain\r\n"
				"Content-Length: 2\r\n\r\nno"};
		reply_bytes(g, &plain, plain.reply, 0, &r);
		frame_reply(g, &ex->b, &plain, r.p, r.len, 1, &o);
		bk_send(g, bfd, o.p, o.len);
		app_buf_free(&r);
		app_buf_free(&o);
		return;
	}
	reply_bytes(g, s, s->reply, s->reply_pattern, &r);
	he = head_end(&r);
	switch (s->act) {
	case GA_DIE_EARLY:
	case GA_DIE_READING:
	case GA_HANG: break;
	case GA_GARBAGE:
		bk_send(g, bfd,
			"\x17\x03\x03garbage\0\xff\r\n\r\nnot the protocol",
			32);
		break;
	case GA_DIE_MID:
		half = he + (r.len - he) / 2;
		frame_reply(g, &ex->b, s, r.p, half, 0, &o);
		bk_send(g, bfd, o.p, o.len);
		break;
	case GA_STREAM:
		half = he + (r.len - he) / 2;
		frame_reply(g, &ex->b, s, r.p, half, 0, &o);
		bk_send(g, bfd, o.p, o.len);
		cl_pump(g, cfd, &ex->c, head_req, half - he, g->o->timeout_ms,
			t0);
		ex->c.streamed = ex->c.body.len;
		ex->c.timedout = 0;
		o.len = 0;
		frame_reply(g, &ex->b, s, r.p + half, r.len - half, 1, &o);
		bk_send(g, bfd, o.p, o.len);
		break;
	case GA_UPGRADE: {
		unsigned char buf[4096];
		struct gw_bk up = {0};
		long n;
		frame_reply(g, &ex->b, s, r.p, r.len, 0, &o);
		bk_send(g, bfd, o.p, o.len);
		cl_pump(g, cfd, &ex->c, 0, 0, g->o->timeout_ms, t0);
		if (!ex->c.have_head || ex->c.head.status != 101)
			break;
		(void)net_write_all(
			cfd, UP_C2B, strlen(UP_C2B), g->o->timeout_ms);
		while ((n = net_read(bfd, buf, sizeof(buf), g->o->timeout_ms)) >
			0) {
			app_buf_add(&up.raw, buf, (size_t)n);
			if (memmem(up.raw.p, up.raw.len, UP_C2B,
				    strlen(UP_C2B)) != NULL) {
				ex->up_seen = 1;
				break;
			}
		}
		app_buf_free(&up.raw);
		o.len = 0;
		frame_reply(g, &ex->b, s, (const unsigned char *)UP_B2C,
			strlen(UP_B2C), 0, &o);
		bk_send(g, bfd, o.p, o.len);
		while ((n = net_read(cfd, buf, sizeof(buf), g->o->timeout_ms)) >
			0) {
			app_buf_add(&ex->c.raw, buf, (size_t)n);
			if (memmem(ex->c.raw.p, ex->c.raw.len, UP_B2C,
				    strlen(UP_B2C)) != NULL) {
				ex->up_back = 1;
				break;
			}
		}
		break;
	}
	default:
		frame_reply(g, &ex->b, s, r.p, r.len, 1, &o);
		bk_send(g, bfd, o.p, o.len);
		break;
	}
	app_buf_free(&r);
	app_buf_free(&o);
}

static void
second_exchange(struct gc *g, int cfd, struct gw_ex *ex, long t0)
{
	static const struct gw_scn again = {
		.reply = "Status: 200 OK\r\nContent-Type: text/plain\r\n"
			 "Content-Length: 6\r\n\r\n" SECOND_BODY};
	struct app_buf req = {0}, r = {0};
	struct gw_bk b2;
	struct gw_cl c2;
	int bfd = -1, fds[2] = {g->lfd, cfd};

	memset(&b2, 0, sizeof(b2));
	memset(&c2, 0, sizeof(c2));
	build_request(g, ex->s, &req);
	if (net_write_all(cfd, req.p, req.len, g->o->timeout_ms) == 0) {
		if (g->lfd >= 0 && net_wait_any(fds, 2, g->o->timeout_ms) == 0)
			bfd = net_accept(g->lfd, 0);
		if (bfd >= 0) {
			bk_read(g, bfd, &b2, 0);
			req.len = 0;
			reply_bytes(g, &again, again.reply, 0, &r);
			frame_reply(g, &b2, &again, r.p, r.len, 1, &req);
			bk_send(g, bfd, req.p, req.len);
			close(bfd);
		}
		/* The second response is whatever follows the first. */
		app_buf_add(&c2.raw, ex->c.raw.p + ex->c.end,
			ex->c.raw.len - ex->c.end);
		cl_pump(g, cfd, &c2, 0, 0, g->o->timeout_ms, t0);
		ex->c.have_second = c2.have_head;
		if (c2.have_head)
			ex->c.head2 = c2.head;
		ex->c.raw2 = c2.raw;
		app_buf_free(&c2.body);
	}
	app_buf_free(&b2.raw);
	app_buf_free(&b2.params);
	app_buf_free(&b2.body);
	app_buf_free(&req);
	app_buf_free(&r);
}

void
gw_run(struct gc *g, const struct gw_scn *s, struct gw_ex *ex)
{
	struct app_buf req = {0};
	char err[256];
	int cfd, bfd = -1, fds[2], wait = g->o->timeout_ms;
	long t0 = ms_now();
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	memset(ex, 0, sizeof(*ex));
	ex->s = s;
	/* Late connections from an earlier case (a gateway's retry) go. */
	while (g->lfd >= 0 && (bfd = net_accept(g->lfd, 0)) >= 0)
		close(bfd);
	bfd = -1;
	build_request(g, s, &req);
	cfd = net_connect(g->addr, err, sizeof(err));
	if (cfd < 0) {
		gc_fail(g, "a connection to the gateway", "%s", err);
		app_buf_free(&req);
		return;
	}
	if (getsockname(cfd, (struct sockaddr *)&ss, &sl) == 0)
		ex->client_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	gc_trace(g, "client -> gateway: %zu bytes", req.len);
	if (g->o->verbose > 1)
		gc_hexdump(g, "C>", req.p, req.len);
	if (s->act == GA_REFUSE && g->lfd >= 0) {
		close(g->lfd);
		g->lfd = -1;
		if (strncmp(g->o->backend, "unix:", 5) == 0)
			unlink(g->o->backend + 5);
	}
	(void)net_write_all(cfd, req.p, req.len, g->o->timeout_ms);
	/* The gateway connects to us, or answers the client by itself. */
	if (g->lfd >= 0) {
		long until = ms_now() + g->o->timeout_ms;
		fds[0] = g->lfd;
		fds[1] = cfd;
		while (bfd < 0 && ms_now() < until) {
			int w = net_wait_any(fds, 2, (int)(until - ms_now()));
			unsigned char buf[4096];
			long n;
			if (w == 0) {
				bfd = net_accept(g->lfd, 0);
				continue;
			}
			if (w != 1)
				break;
			/* An interim 100 Continue: the backend may still come. */
			n = net_read(cfd, buf, sizeof(buf), 0);
			if (n <= 0)
				break;
			app_buf_add(&ex->c.raw, buf, (size_t)n);
			cl_parse(&ex->c, is_head_req(s));
			if (ex->c.have_head)
				break;
		}
	}
	if (bfd >= 0) {
		ex->b.accepted = 1;
		bk_read(g, bfd, &ex->b,
			s->act == GA_DIE_READING || s->act == GA_UPGRADE);
		backend_answer(g, bfd, ex, cfd, t0);
		if (s->act == GA_HANG)
			wait = g->o->timeout_ms * 4;
		if (s->act != GA_HANG && !(ex->b.flags & REC_KEEP_CONN)) {
			close(bfd);
			bfd = -1;
		}
	}
	if (s->act != GA_UPGRADE)
		cl_pump(g, cfd, &ex->c, is_head_req(s), 0, wait, t0);
	if (ex->c.have_head && ex->c.framing == HTTP_BODY_NONE &&
		!ex->c.closed) {
		/* A body a HEAD/204/304 response must not have shows up
		   right after the head: linger to catch it. */
		unsigned char buf[4096];
		long n = net_read(cfd, buf, sizeof(buf), g->o->timeout_ms / 4);
		if (n > 0)
			app_buf_add(&ex->c.raw, buf, (size_t)n);
		else if (n == 0)
			ex->c.closed = 1;
	}
	if (bfd >= 0)
		close(bfd);
	if (s->second && !ex->c.closed && ex->c.have_head && ex->c.framed)
		second_exchange(g, cfd, ex, t0);
	close(cfd);
	if (s->act == GA_REFUSE) {
		char e2[256];
		g->lfd = net_listen(g->o->backend, e2, sizeof(e2));
	}
	app_buf_free(&req);
}

void
gw_ex_free(struct gw_ex *ex)
{
	app_buf_free(&ex->b.raw);
	app_buf_free(&ex->b.params);
	app_buf_free(&ex->b.body);
	app_buf_free(&ex->c.raw);
	app_buf_free(&ex->c.body);
	app_buf_free(&ex->c.raw2);
}

const char *
gw_env(const struct gw_ex *ex, const char *name, size_t *len)
{
	unsigned i;

	for (i = 0; i < ex->b.env.n; i++)
		if (strcmp(ex->b.env.name[i], name) == 0) {
			if (len)
				*len = ex->b.env.vlen[i];
			return ex->b.env.value[i];
		}
	return NULL;
}

unsigned
gw_env_count(const struct gw_ex *ex, const char *name)
{
	unsigned i, k = 0;

	for (i = 0; i < ex->b.env.n; i++)
		k += strcmp(ex->b.env.name[i], name) == 0;
	return k;
}
