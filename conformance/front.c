/*
 * HTTP mode: gatecheck probes an HTTP/1.1 front end with the framing and
 * smuggling cases of RFC 9112 (CL+TE, duplicate and malformed
 * Content-Length, Transfer-Encoding obfuscations, chunk syntax, obs-fold,
 * bare CR/LF, NUL, Host rules, oversized lines and heads, pipelining,
 * 100-continue, HEAD, persistence). Each case writes raw bytes on one
 * connection and reads every response back; with --backend, gatecheck is
 * also the origin the front end forwards to, answers each request and
 * checks that no hidden request and no malformed head reached it.
 * Where RFC 9112 permits alternatives, every permitted outcome passes.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "gw.h"
#include "http.h"
#include "net.h"

#define MAXRESP 8
#define MAXBK   8

enum fkind {
	F_REJECT = 1,   /* 400-class (or a close: WARN), nothing smuggled */
	F_ACCEPT,       /* processed normally */
	F_SAFE,         /* either, but nothing smuggled or forwarded broken */
	F_NRESP,        /* exactly n processed responses, in order */
	F_CLOSE,        /* one response, then the server closes */
	F_KEEP,         /* the connection stays usable */
	F_CONTINUE,     /* 100 Continue (or a final status) before the body */
	F_NO100,        /* no 100 Continue for HTTP/1.0 */
	F_CLTE,         /* CL+TE: rejected, or chunked and then closed */
	F_NRESP_OR_REJ, /* n processed responses, or 400 and close */
	F_NONE,         /* no processed response (an incomplete request) */
	F_HOSTFWD       /* absolute-form: the backend's Host is the target's */
};

struct fcase {
	struct gc_case c;
	const char *req;
	enum fkind kind;
	unsigned n;         /* F_NRESP: responses expected */
	unsigned head_mask; /* bit i: response i answers a HEAD */
	int need_backend;   /* only meaningful with --backend */
};

struct fx {
	struct app_buf raw;
	int closed, timedout;
	unsigned nresp;
	unsigned status[MAXRESP];
	int broken;  /* bytes that are not a response */
	size_t used; /* raw bytes consumed by whole responses */
	int got100;
	/* backend */
	unsigned nbk;
	int smuggled; /* a request for /smuggled reached the backend */
	unsigned bk_problems;
	int bk_bad; /* a backend request we could not read */
	char bk_target[MAXBK][64];
	char bk_host[128]; /* Host of the first backend request */
};

#define CL_MARK "\001\002CL\002\001"

static void
add_str(struct app_buf *b, const char *s)
{
	app_buf_add(b, s, strlen(s));
}

static void
fill_cl(struct app_buf *b)
{
	unsigned char *m, *e;
	char num[24];
	size_t after, nl;

	while ((m = memmem(b->p, b->len, CL_MARK, 6)) != NULL) {
		e = memmem(m, b->len - (size_t)(m - b->p), "\r\n\r\n", 4);
		if (e == NULL)
			return;
		after = b->len - (size_t)(e + 4 - b->p);
		nl = (size_t)snprintf(num, sizeof(num), "%zu", after);
		memmove(m + nl, m + 6, b->len - (size_t)(m + 6 - b->p));
		memcpy(m, num, nl);
		b->len = b->len - 6 + nl;
	}
}

/* Expand the template: %P %A %h %p as gw_expand, %0 NUL, %X 70000 'a',
   %H 3000 header lines, %C the number of bytes after the first head. */
static void
build(struct gc *g, const char *t, struct app_buf *out)
{
	char tmp[320];
	unsigned i;

	for (; *t; t++) {
		if (*t != '%' || t[1] == '\0') {
			app_buf_add(out, t, 1);
			continue;
		}
		t++;
		switch (*t) {
		case '0': app_buf_add(out, "", 1); break;
		case 'X':
			for (i = 0; i < 70000; i++)
				app_buf_add(out, "a", 1);
			break;
		case 'C': add_str(out, CL_MARK); break;
		case 'H':
			for (i = 0; i < 3000; i++) {
				snprintf(tmp, sizeof(tmp), "X-Gc-%u: v\r\n", i);
				add_str(out, tmp);
			}
			break;
		default: {
			char pat[3] = {'%', *t, 0};
			add_str(out, gw_expand(g, pat, tmp, sizeof(tmp)));
		}
		}
	}
	fill_cl(out);
}

/* Parse whole responses from raw[used..]. */
static void
fx_parse(struct fx *x, unsigned head_mask)
{
	struct http_head h;
	enum http_err e;
	unsigned long long len;
	size_t olen;
	long n, m;
	int f;

	while (!x->broken && x->used < x->raw.len && x->nresp < MAXRESP) {
		n = http_read_head(
			x->raw.p + x->used, x->raw.len - x->used, 0, &h, &e);
		if (n < 0) {
			x->broken = 1;
			return;
		}
		if (n == 0)
			return;
		if (h.status / 100 == 1 && h.status != 101) {
			x->got100 = 1;
			x->used += (size_t)n;
			continue;
		}
		f = http_framing(&h, (head_mask >> x->nresp) & 1, &len);
		if (f == HTTP_BODY_LENGTH) {
			if (x->raw.len - x->used - (size_t)n < len)
				return;
			m = n + (long)len;
		} else if (f == HTTP_BODY_CHUNKED) {
			long k = http_chunked(x->raw.p + x->used + n,
				x->raw.len - x->used - (size_t)n, NULL, &olen,
				0);
			if (k == 0)
				return;
			if (k < 0) {
				x->broken = 1;
				return;
			}
			m = n + k;
		} else if (f == HTTP_BODY_CLOSE) {
			if (!x->closed)
				return;
			m = (long)(x->raw.len - x->used);
		} else if (f == HTTP_BODY_NONE) {
			m = n;
		} else {
			x->broken = 1;
			return;
		}
		x->status[x->nresp++] = h.status;
		x->used += (size_t)m;
	}
}

/* Read one backend connection's requests; answer each with 200 "ok". */
static void
fx_backend(struct gc *g, int fd, struct fx *x)
{
	struct app_buf in = {0};
	unsigned char buf[65536];
	struct http_head h;
	enum http_err e;
	unsigned long long len;
	size_t off = 0, olen;
	long n, hl, k;
	int f;
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain"
				 "\r\nContent-Length: 2\r\n\r\nok";

	for (;;) {
		hl = http_read_head(
			in.p ? in.p + off : in.p, in.len - off, 1, &h, &e);
		if (hl < 0) {
			x->bk_bad = 1;
			break;
		}
		if (hl > 0) {
			f = http_framing(&h, 0, &len);
			k = 0;
			if (f == HTTP_BODY_LENGTH &&
				in.len - off - (size_t)hl >= len)
				k = (long)len;
			else if (f == HTTP_BODY_CHUNKED)
				k = http_chunked(in.p + off + hl,
					in.len - off - (size_t)hl, NULL, &olen,
					0);
			else if (f == HTTP_BODY_NONE)
				k = 0;
			else
				k = -2; /* need more */
			if (f < 0 || k == -1) {
				x->bk_bad = 1;
				break;
			}
			if (k >= 0 && !(f == HTTP_BODY_CHUNKED && k == 0)) {
				x->bk_problems |= h.problems;
				if (memmem(h.target, h.tlen, "smuggled", 8))
					x->smuggled = 1;
				if (x->nbk == 0 &&
					http_field(&h, "Host", 0) != NULL) {
					const struct http_field *hf =
						http_field(&h, "Host", 0);
					snprintf(x->bk_host, sizeof(x->bk_host),
						"%.*s", (int)hf->vlen,
						hf->value);
				}
				if (x->nbk < MAXBK)
					snprintf(x->bk_target[x->nbk], 64,
						"%.*s", (int)h.tlen, h.target);
				x->nbk++;
				off += (size_t)hl + (size_t)k;
				(void)net_write_all(fd, ok, sizeof(ok) - 1,
					g->o->timeout_ms);
				continue;
			}
		}
		n = net_read(fd, buf, sizeof(buf), g->o->timeout_ms / 2);
		if (n <= 0)
			break;
		app_buf_add(&in, buf, (size_t)n);
		gc_trace(g, "backend <- front end: %ld bytes", n);
	}
	close(fd);
	app_buf_free(&in);
}

/*
 * Send t (in two writes when split is given: head, pause, rest), then
 * read until the connection closes or stays quiet for the timeout.
 */
static int
fx_run(struct gc *g, const char *t, const char *split, unsigned head_mask,
	struct fx *x)
{
	struct app_buf req = {0};
	unsigned char buf[65536];
	char err[256];
	int cfd, fds[2], w;
	size_t first;
	long n;

	memset(x, 0, sizeof(*x));
	build(g, t, &req);
	cfd = net_connect(g->addr, err, sizeof(err));
	if (cfd < 0) {
		gc_fail(g, "a connection to the front end", "%s", err);
		app_buf_free(&req);
		return -1;
	}
	first = req.len;
	if (split) {
		char *s = memmem(req.p, req.len, split, strlen(split));
		if (s)
			first = (size_t)((unsigned char *)s - req.p);
	}
	gc_trace(g, "client -> front end: %zu bytes", req.len);
	if (g->o->verbose > 1)
		gc_hexdump(g, "C>", req.p, req.len);
	(void)net_write_all(cfd, req.p, first, g->o->timeout_ms);
	fds[0] = cfd;
	fds[1] = g->lfd;
	for (;;) {
		w = net_wait_any(fds, g->lfd >= 0 ? 2 : 1,
			split && first < req.len ? g->o->timeout_ms / 2
						 : g->o->timeout_ms);
		if (w < 0) {
			if (split && first < req.len) {
				/* the pause is over: send the body */
				(void)net_write_all(cfd, req.p + first,
					req.len - first, g->o->timeout_ms);
				first = req.len;
				continue;
			}
			x->timedout = 1;
			break;
		}
		if (w == 1) {
			int bfd = net_accept(g->lfd, 0);
			if (bfd >= 0)
				fx_backend(g, bfd, x);
			continue;
		}
		n = net_read(cfd, buf, sizeof(buf), 0);
		if (n == NET_TIMEOUT)
			continue;
		if (n <= 0) {
			x->closed = 1;
			break;
		}
		app_buf_add(&x->raw, buf, (size_t)n);
		gc_trace(g, "client <- front end: %ld bytes", n);
		if (g->o->verbose > 1)
			gc_hexdump(g, "C<", buf, (size_t)n);
		fx_parse(x, head_mask);
		if (split && first < req.len && (x->got100 || x->nresp)) {
			(void)net_write_all(cfd, req.p + first, req.len - first,
				g->o->timeout_ms);
			first = req.len;
		}
	}
	fx_parse(x, head_mask);
	close(cfd);
	app_buf_free(&req);
	return 0;
}

static int
is_reject(unsigned st)
{
	return st == 400 || st == 411 || st == 413 || st == 414 || st == 417 ||
		st == 431 || st == 501 || st == 505;
}

static const char *
statuses(const struct fx *x, char *dst, size_t cap)
{
	size_t o = 0;
	unsigned i;

	dst[0] = '\0';
	for (i = 0; i < x->nresp && o + 8 < cap; i++)
		o += (size_t)snprintf(
			dst + o, cap - o, "%s%u", i ? "," : "", x->status[i]);
	snprintf(dst + o, cap - o, "%s%s%s", x->nresp ? "" : "no response",
		x->closed ? " then close" : "", x->broken ? " + garbage" : "");
	return dst;
}

static void c_front(struct gc *g, const struct gc_case *c);

#define S_LEN   "RFC 9112 §6 message body length"
#define S_CHUNK "RFC 9112 §7.1 chunked coding"
#define S_SYN   "RFC 9112 §2-§5 message syntax"
#define S_HOST  "RFC 9112 §3.2 Host"
#define S_SIZE  "RFC 9112 §3, RFC 6585 limits"
#define S_CONN  "RFC 9112 §9 connections"
#define S_EXP   "RFC 9110 §10.1.1 Expect"

#define H    "Host: %A\r\n"
#define RL   "POST %P/ HTTP/1.1\r\n" H
#define SMUG "GET %P/smuggled HTTP/1.1\r\n" H "\r\n"
#define NEXT "GET %P/next HTTP/1.1\r\n" H "Connection: close\r\n\r\n"
#define FC(id, sec, lvl, rule, desc, outc, ...)                                \
	{                                                                      \
		.c = {id, sec, lvl, rule, desc, outc, GC_FRONT, 0, c_front,    \
			0},                                                    \
		__VA_ARGS__                                                    \
	}

static const struct fcase table[] = {
	/* --- Content-Length and Transfer-Encoding --- */
	FC("HTTP-LEN-001", S_LEN, GC_MUST, "H1-FRAME-8; RFC 9112 §6.1",
		"Content-Length and Transfer-Encoding: chunked together",
		"400, or chunked then close", .kind = F_CLTE,
		.req = RL "Content-Length: %C\r\nTransfer-Encoding: chunked\r\n"
			  "\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-002", S_LEN, GC_MUST, "H1-FRAME-8; RFC 9112 §6.1",
		"TE before CL, CL shorter than the chunked body",
		"400, or chunked then close", .kind = F_CLTE,
		.req = RL "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"
			  "\r\n5\r\nhello\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-003", S_LEN, GC_MUST, "H1-FRAME-14; RFC 9112 §6.3 (5)",
		"two different Content-Length values", "400", .kind = F_REJECT,
		.req = RL
		"Content-Length: 2\r\nContent-Length: 30\r\n\r\nab" SMUG),
	FC("HTTP-LEN-004", S_LEN, GC_MUST, "H1-FRAME-14; RFC 9110 §8.6",
		"Content-Length: 2, 30 (a list of different values)", "400",
		.kind = F_REJECT,
		.req = RL "Content-Length: 2, 30\r\n\r\nab" SMUG),
	FC("HTTP-LEN-005", S_LEN, GC_MUST, "H1-FRAME-13; RFC 9110 §8.6",
		"two identical Content-Length fields: one value or 400",
		"processed once, or 400", .kind = F_SAFE,
		.req = RL "Content-Length: %C\r\nContent-Length: %C\r\n"
			  "\r\n" SMUG),
	FC("HTTP-LEN-006", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length: +2", "400", .kind = F_REJECT,
		.req = RL "Content-Length: +2\r\n\r\nab" SMUG),
	FC("HTTP-LEN-007", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length: -1", "400", .kind = F_REJECT,
		.req = RL "Content-Length: -1\r\n\r\n" SMUG),
	FC("HTTP-LEN-008", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length: 0x2", "400", .kind = F_REJECT,
		.req = RL "Content-Length: 0x2\r\n\r\nab" SMUG),
	FC("HTTP-LEN-009", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length: 2a", "400", .kind = F_REJECT,
		.req = RL "Content-Length: 2a\r\n\r\nab" SMUG),
	FC("HTTP-LEN-010", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"an empty Content-Length", "400", .kind = F_REJECT,
		.req = RL "Content-Length: \r\n\r\n" SMUG),
	FC("HTTP-LEN-011", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length past 2^64", "400 or 413", .kind = F_REJECT,
		.req = RL
		"Content-Length: 99999999999999999999999\r\n\r\n" SMUG),
	FC("HTTP-LEN-012", S_LEN, GC_MUST, "H1-FRAME-15; RFC 9112 §6.3 (4)",
		"Transfer-Encoding with chunked not last", "400",
		.kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked, identity\r\n\r\n"
			  "0\r\n\r\n" SMUG),
	FC("HTTP-LEN-013", S_LEN, GC_MUST, "H1-FRAME-15; RFC 9112 §6.3 (4)",
		"Transfer-Encoding: xchunked", "400 or 501", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-014", S_LEN, GC_MUST, "H1-FIELD-3; RFC 9112 §5.1",
		"whitespace between Transfer-Encoding and the colon", "400",
		.kind = F_REJECT,
		.req = RL "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n"
			  "\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-015", S_LEN, GC_MUST, "H1-FRAME-15; RFC 9112 §6.3 (4)",
		"a second Transfer-Encoding field after chunked", "400",
		.kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\nTransfer-Encoding: "
			  "gzip\r\n\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-016", S_LEN, GC_MUST, "H1-FRAME-7; RFC 9110 §5.6.2",
		"Transfer-Encoding: CHUNKED is chunked (case-insensitive)",
		"processed as chunked", .kind = F_NRESP, .n = 2,
		.req = RL "Transfer-Encoding: CHUNKED\r\n\r\n2\r\nab\r\n0\r\n"
			  "\r\n" NEXT),
	FC("HTTP-LEN-017", S_LEN, GC_MUST, "H1-FIELD-6; RFC 9110 §5.5",
		"a vertical tab before chunked", "400 or 501", .kind = F_REJECT,
		.req = RL
		"Transfer-Encoding: \013chunked\r\n\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-018", S_LEN, GC_SHOULD, "H1-FRAME-15; RFC 9112 §6.1",
		"an unknown transfer coding alone", "501 (or 400)",
		.kind = F_REJECT,
		.req = RL "Transfer-Encoding: gzip\r\n\r\n" SMUG),
	FC("HTTP-LEN-019", S_LEN, GC_MUST, "H1-FRAME-8; RFC 9112 §5.2",
		"Transfer-Encoding continued by obs-fold",
		"400, or chunked then close", .kind = F_CLTE,
		.req = RL
		"Content-Length: %C\r\nTransfer-Encoding:\r\n chunked\r\n"
		"\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-020", S_LEN, GC_MUST, "H1-FRAME-11; RFC 9112 §6.1",
		"Transfer-Encoding in an HTTP/1.0 request: processed then "
		"closed, or 400",
		"never a hidden request", .kind = F_CLTE,
		.req = "POST %P/ HTTP/1.0\r\n" H
		       "Transfer-Encoding: chunked\r\n"
		       "Content-Length: 44\r\n\r\n0\r\n\r\n" SMUG),
	FC("HTTP-LEN-021", S_LEN, GC_MUST, "RFC 9112 §6.3 (6)",
		"a GET with a Content-Length body: the body is consumed",
		"2 responses, or 400 and close (RFC 9110 §9.3.1)",
		.kind = F_NRESP_OR_REJ, .n = 2,
		.req = "GET %P/ HTTP/1.1\r\n" H
		       "Content-Length: 5\r\n\r\nhello" NEXT),
	FC("HTTP-LEN-022", S_LEN, GC_MUST, "H1-FRAME-5; RFC 9112 §6.3 (7)",
		"a POST with neither CL nor TE has an empty body",
		"2 responses (or 411 and close)", .kind = F_NRESP_OR_REJ,
		.n = 2, .req = "POST %P/ HTTP/1.1\r\n" H "\r\n" NEXT),
	FC("HTTP-LEN-023", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length with a space inside the number", "400",
		.kind = F_REJECT,
		.req = RL "Content-Length: 1 0\r\n\r\n0123456789" SMUG),
	FC("HTTP-LEN-024", S_LEN, GC_MUST, "H1-FRAME-12; RFC 9110 §8.6",
		"Content-Length with a leading zero is still the number",
		"processed", .kind = F_NRESP, .n = 2,
		.req = RL "Content-Length: 002\r\n\r\nab" NEXT),
	/* --- chunked coding --- */
	FC("HTTP-CHUNK-001", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a chunk size that is not hex", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n"
			  "\r\n" SMUG),
	FC("HTTP-CHUNK-002", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a chunk size with a 0x prefix", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n0x2\r\nab\r\n0\r\n"
			  "\r\n" SMUG),
	FC("HTTP-CHUNK-003", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a negative chunk size", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n-2\r\nab\r\n0\r\n"
			  "\r\n" SMUG),
	FC("HTTP-CHUNK-004", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a chunk size past 2^64", "400 or 413", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n"
			  "10000000000000000000002\r\nab\r\n0\r\n\r\n" SMUG),
	FC("HTTP-CHUNK-005", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"chunk data longer than its size", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n"
			  "\r\n" SMUG),
	FC("HTTP-CHUNK-006", S_CHUNK, GC_SHOULD, "H1-CHUNK; RFC 9112 §7.1",
		"a space before the chunk size", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n 2\r\nab\r\n0\r\n"
			  "\r\n" SMUG),
	FC("HTTP-CHUNK-007", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1.1",
		"a chunk extension is ignored", "processed", .kind = F_NRESP,
		.n = 2,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n2;name=\"v\"\r\nab"
			  "\r\n0\r\n\r\n" NEXT),
	FC("HTTP-CHUNK-008", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1.2",
		"a trailer section is consumed", "processed", .kind = F_NRESP,
		.n = 2,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n"
			  "X-Gc-Trailer: t\r\n\r\n" NEXT),
	FC("HTTP-CHUNK-009", S_CHUNK, GC_SHOULD, "H1-CHUNK; RFC 9112 §7.1",
		"bare LF after the chunk data", "400", .kind = F_REJECT,
		.req = RL
		"Transfer-Encoding: chunked\r\n\r\n2\r\nab\n0\r\n\r\n" SMUG),
	FC("HTTP-CHUNK-010", S_CHUNK, GC_SHOULD, "H1-CHUNK; RFC 9112 §7.1",
		"a chunk size line ended by bare LF", "400", .kind = F_REJECT,
		.req = RL
		"Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n" SMUG),
	FC("HTTP-CHUNK-011", S_CHUNK, GC_SHOULD, "H1-CHUNK; RFC 9112 §7.1.1",
		"a chunk extension holding a bare LF", "400", .kind = F_REJECT,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n2;a\nb\r\nab\r\n"
			  "0\r\n\r\n" SMUG),
	FC("HTTP-CHUNK-012", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a 100 KB chunked body in 1-byte-size-line chunks of 1000",
		"processed", .kind = F_NRESP, .n = 2,
		.req = RL
		"Transfer-Encoding: chunked\r\n\r\n11170\r\n%X\r\n0\r\n"
		"\r\n" NEXT),
	FC("HTTP-CHUNK-013", S_CHUNK, GC_MUST, "H1-CHUNK; RFC 9112 §7.1",
		"a chunk data CRLF replaced by other bytes", "400",
		.kind = F_REJECT,
		.req = RL
		"Transfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n" SMUG),
	/* --- syntax --- */
	FC("HTTP-SYN-001", S_SYN, GC_MUST, "H1-FIELD-1; RFC 9112 §5.2",
		"obs-fold in a header: 400, or replaced by SP",
		"either; never forwarded folded", .kind = F_SAFE,
		.req = "GET %P/ HTTP/1.1\r\n" H "X-Gc-Fold: a\r\n b\r\n"
		       "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-002", S_SYN, GC_MUST, "H1-FIELD-3; RFC 9112 §5.1",
		"whitespace between a field name and the colon", "400",
		.kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\nHost : %A\r\n\r\n" SMUG),
	FC("HTTP-SYN-003", S_SYN, GC_MUST, "H1-LINE-3; RFC 9112 §2.2",
		"a bare CR in a header value", "400 (or CR as SP)",
		.kind = F_SAFE,
		.req = "GET %P/ HTTP/1.1\r\n" H "X-Gc: a\rb\r\n"
		       "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-004", S_SYN, GC_MAY, "H1-LINE-2; RFC 9112 §2.2",
		"bare LF line ends: accepted or 400", "either", .kind = F_SAFE,
		.req = "GET %P/ HTTP/1.1\n"
		       "Host: %A\n"
		       "Connection: close\n\n"),
	FC("HTTP-SYN-005", S_SYN, GC_MUST, "H1-FIELD-6; RFC 9110 §5.5",
		"NUL in a header value", "400 (or NUL as SP)", .kind = F_SAFE,
		.req = "GET %P/ HTTP/1.1\r\n" H "X-Gc: a%0b\r\n"
		       "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-006", S_SYN, GC_SHOULD, "H1-TARGET-1; RFC 9112 §3",
		"NUL in the request target", "400", .kind = F_REJECT,
		.req = "GET %P/a%0b HTTP/1.1\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-007", S_SYN, GC_SHOULD, "H1-FIELD-2; RFC 9110 §5.1",
		"a control character in a field name", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n" H "X-G\001c: v\r\n\r\n" SMUG),
	FC("HTTP-SYN-008", S_SYN, GC_SHOULD, "H1-FIELD-4; RFC 9112 §5",
		"a header line without a colon", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n" H "NoColonHere\r\n\r\n" SMUG),
	FC("HTTP-SYN-009", S_SYN, GC_MUST, "H1-FIELD-1; RFC 9112 §2.2",
		"whitespace before the first header line: 400 or the line "
		"ignored",
		"400, or the folded line dropped", .kind = F_SAFE,
		.req = "GET %P/ HTTP/1.1\r\n X-Gc: v\r\n" H
		       "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-010", S_SYN, GC_SHOULD, "H1-REQ-2; RFC 9112 §3",
		"two spaces between method and target", "400", .kind = F_REJECT,
		.req = "GET  %P/ HTTP/1.1\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-011", S_SYN, GC_SHOULD, "H1-REQ-5; RFC 9112 §2.3",
		"a malformed HTTP version", "400 or 505", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1x\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-012", S_SYN, GC_SHOULD, "H1-REQ-5; RFC 9112 §2.3",
		"HTTP/2.0 in an HTTP/1 request line", "505 (or 400)",
		.kind = F_REJECT, .req = "GET %P/ HTTP/2.0\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-013", S_SYN, GC_SHOULD, "H1-REQ-3; RFC 9110 §9.1",
		"a method that is not a token", "400", .kind = F_REJECT,
		.req = "G(T %P/ HTTP/1.1\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-014", S_SYN, GC_SHOULD, "H1-REQ-1; RFC 9112 §2.2",
		"an empty line before the request line is ignored", "processed",
		.kind = F_ACCEPT,
		.req = "\r\nGET %P/ HTTP/1.1\r\n" H
		       "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-015", S_SYN, GC_MUST, "H1-REQ-4; RFC 9112 §2.3",
		"HTTP/1.2 is served as HTTP/1.1 (minor version)",
		"processed (or 505)", .kind = F_SAFE,
		.req = "GET %P/ HTTP/1.2\r\n" H "Connection: close\r\n\r\n"),
	FC("HTTP-SYN-016", S_SYN, GC_SHOULD, "H1-TARGET-1; RFC 9112 §3",
		"a space inside the request target", "400", .kind = F_REJECT,
		.req = "GET %P/a b HTTP/1.1\r\n" H "\r\n" SMUG),
	FC("HTTP-SYN-017", S_SYN, GC_MUST, "H1-FIELD-7; RFC 9112 §5",
		"a request head not ended (EOF after headers)",
		"no response to half a request, or 400", .kind = F_NONE,
		.req = "GET %P/ HTTP/1.1\r\n" H),
	/* --- Host --- */
	FC("HTTP-HOST-001", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"an HTTP/1.1 request without Host", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n\r\n" SMUG),
	FC("HTTP-HOST-002", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"two Host fields", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n" H
		       "Host: other.example\r\n\r\n" SMUG),
	FC("HTTP-HOST-003", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"a Host with a space", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\nHost: a b\r\n\r\n" SMUG),
	FC("HTTP-HOST-004", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"a Host holding a path", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\nHost: a/b\r\n\r\n" SMUG),
	FC("HTTP-HOST-005", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"HTTP/1.0 without Host is served", "processed",
		.kind = F_ACCEPT, .req = "GET %P/ HTTP/1.0\r\n\r\n"),
	FC("HTTP-HOST-006", S_HOST, GC_MUST, "PROXY-HOST-1; RFC 9112 §3.2",
		"a Host with a userinfo @", "400", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\nHost: u@h\r\n\r\n" SMUG),
	FC("HTTP-HOST-007", S_HOST, GC_MUST, "PROXY-HOST-2; RFC 9112 §3.2.2",
		"absolute-form: the forwarded Host is the target's authority",
		"Host from the target (or 400)", .kind = F_HOSTFWD,
		.need_backend = 1,
		.req = "GET http://%A%P/ HTTP/1.1\r\nHost: other.example\r\n"
		       "Connection: close\r\n\r\n"),
	/* --- sizes --- */
	FC("HTTP-SIZE-001", S_SIZE, GC_MUST, "H1-LIMIT-1; RFC 9112 §3",
		"a 70 KB request target", "414 (or 400/431)", .kind = F_REJECT,
		.req = "GET %P/%X HTTP/1.1\r\n" H "\r\n"),
	FC("HTTP-SIZE-002", S_SIZE, GC_MUST, "H1-LIMIT-2; RFC 6585 §5",
		"a 70 KB header field", "431 (or 400)", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n" H "X-Gc-Big: %X\r\n\r\n"),
	FC("HTTP-SIZE-003", S_SIZE, GC_SHOULD, "H1-LIMIT-4; RFC 6585 §5",
		"3000 header fields", "431 (or 400)", .kind = F_REJECT,
		.req = "GET %P/ HTTP/1.1\r\n" H "%H\r\n"),
	/* --- connections --- */
	FC("HTTP-CONN-001", S_CONN, GC_MUST, "RFC 9112 §9.3.2",
		"two pipelined GETs get two responses in order", "2 responses",
		.kind = F_NRESP, .n = 2,
		.req = "GET %P/a HTTP/1.1\r\n" H "\r\n" NEXT),
	FC("HTTP-CONN-002", S_CONN, GC_MUST, "RFC 9112 §9.3.2",
		"GET, POST with a body, GET pipelined", "3 responses",
		.kind = F_NRESP, .n = 3,
		.req = "GET %P/a HTTP/1.1\r\n" H "\r\n" RL
		       "Content-Length: 4\r\n\r\nbody" NEXT),
	FC("HTTP-CONN-003", S_CONN, GC_MUST, "RFC 9112 §9.6",
		"Connection: close: one response, then the server closes",
		"close", .kind = F_CLOSE,
		.req = "GET %P/ HTTP/1.1\r\n" H "Connection: close\r\n\r\n"),
	FC("HTTP-CONN-004", S_CONN, GC_MUST, "RFC 9112 §9.3",
		"HTTP/1.0 without keep-alive: the server closes", "close",
		.kind = F_CLOSE, .req = "GET %P/ HTTP/1.0\r\n" H "\r\n"),
	FC("HTTP-CONN-005", S_CONN, GC_SHOULD, "RFC 9112 §9.3",
		"HTTP/1.1 is persistent by default", "both answered",
		.kind = F_KEEP, .req = "GET %P/a HTTP/1.1\r\n" H "\r\n" NEXT),
	FC("HTTP-CONN-006", S_CONN, GC_MUST, "RFC 9110 §9.3.2",
		"HEAD then GET pipelined: no body after the HEAD response",
		"2 clean responses", .kind = F_NRESP, .n = 2, .head_mask = 1,
		.req = "HEAD %P/ HTTP/1.1\r\n" H "\r\n" NEXT),
	FC("HTTP-CONN-007", S_CONN, GC_MUST, "RFC 9112 §9.3.2",
		"a chunked POST then a GET pipelined", "2 responses",
		.kind = F_NRESP, .n = 2,
		.req = RL "Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n"
			  "\r\n" NEXT),
	FC("HTTP-CONN-008", S_CONN, GC_MUST, "RFC 9112 §9.6",
		"Connection: close on the first of two pipelined requests",
		"1 response, then close", .kind = F_CLOSE,
		.req = "GET %P/ HTTP/1.1\r\n" H
		       "Connection: close\r\n\r\n" SMUG),
	/* --- Expect --- */
	FC("HTTP-EXP-001", S_EXP, GC_SHOULD, "PROXY-REQ-2; RFC 9110 §10.1.1",
		"Expect: 100-continue gets 100 before the body is sent",
		"100, or a final status (WARN)", .kind = F_CONTINUE,
		.req = RL "Expect: 100-continue\r\nContent-Length: 4\r\n"
			  "Connection: close\r\n\r\nBODY"),
	FC("HTTP-EXP-002", S_EXP, GC_MUST, "PROXY-REQ-2; RFC 9110 §10.1.1",
		"no 100 Continue for an HTTP/1.0 request", "no 100",
		.kind = F_NO100,
		.req = "POST %P/ HTTP/1.0\r\n" H "Expect: 100-continue\r\n"
		       "Content-Length: 4\r\n\r\nBODY"),
};

static void
c_front(struct gc *g, const struct gc_case *c)
{
	const struct fcase *f = &table[c->arg];
	const char *split = f->kind == F_CONTINUE ? "BODY" : NULL;
	char got[128], bk[160];
	struct fx x;
	unsigned i, acc = 0;

	if (f->need_backend && g->lfd < 0) {
		gc_skip(g, "needs --backend");
		return;
	}
	if (fx_run(g, f->req, split, f->head_mask, &x) != 0)
		return;
	statuses(&x, got, sizeof(got));
	for (i = 0; i < x.nresp; i++)
		acc += !is_reject(x.status[i]);
	/* Smuggling shows as a hidden request at the backend, or as one
	   response too many at the client. */
	if (x.smuggled &&
		(f->kind == F_CLTE || f->kind == F_SAFE ||
			f->kind == F_NRESP)) {
		gc_fail(g, "no hidden request at the backend",
			"the backend got %s (client saw %s)", "/smuggled", got);
		goto out;
	}
	if (x.broken) {
		gc_fail(g, "well-framed responses", "%s: %s", got,
			app_show(x.raw.p + x.used, x.raw.len - x.used, bk,
				sizeof(bk)));
		goto out;
	}
	if (g->lfd >= 0 && (x.bk_problems || x.bk_bad) && f->kind != F_NRESP) {
		gc_fail(g, "a clean request at the backend", "%s",
			x.bk_bad ? "an unreadable request"
				 : http_problem_str(
					   x.bk_problems & -x.bk_problems));
		goto out;
	}
	switch (f->kind) {
	case F_REJECT:
		if (x.nresp == 0 && x.closed)
			gc_warn(g, "400 (RFC 9112)",
				"closed without a response");
		else if (x.nresp == 0)
			gc_fail(g, "400", "no response within the timeout");
		else if (!is_reject(x.status[0]))
			gc_fail(g, "400 (or 411/413/414/431/501/505)", "%s",
				got);
		else if (x.nresp > 1)
			gc_fail(g, "one response", "%s", got);
		break;
	case F_ACCEPT:
		if (x.nresp == 0 || is_reject(x.status[0]))
			gc_fail(g, "the request processed", "%s", got);
		break;
	case F_SAFE:
		if (x.nresp == 0 && !x.closed)
			gc_fail(g, "a response or a close",
				"nothing within the timeout");
		else if (acc > 1)
			gc_fail(g, "at most one processed request", "%s", got);
		break;
	case F_CLTE:
		if (x.nresp == 0 && !x.closed)
			gc_fail(g,
				"400, or chunked then close (RFC 9112 "
				"§6.1)",
				"nothing within the timeout");
		else if (acc > 1)
			gc_fail(g, "the hidden request never processed", "%s",
				got);
		else if (x.nresp >= 1 && !is_reject(x.status[0]) && !x.closed)
			gc_fail(g,
				"the connection closed after the response "
				"(RFC 9112 §6.1)",
				"%s, connection left open", got);
		break;
	case F_NRESP:
		if (acc != f->n || x.nresp != f->n)
			gc_fail(g, "responses to each request, in order",
				"%s (want %u)", got, f->n);
		break;
	case F_NRESP_OR_REJ:
		if (x.nresp >= 1 && is_reject(x.status[0]) && x.closed &&
			x.nresp == 1)
			break;
		if (acc != f->n || x.nresp != f->n)
			gc_fail(g,
				"responses to each request, or 400 and close",
				"%s (want %u)", got, f->n);
		break;
	case F_NONE:
		if (acc > 0)
			gc_fail(g, "no answer to an unfinished request", "%s",
				got);
		break;
	case F_HOSTFWD: {
		char want[160];
		gw_expand(g, "%A", want, sizeof(want));
		if (x.nresp >= 1 && is_reject(x.status[0]))
			break;
		if (x.nbk == 0)
			gc_fail(g, "the request forwarded", "%s", got);
		else if (strcmp(x.bk_host, want) != 0)
			gc_fail(g, want, "the backend got Host: %s", x.bk_host);
		break;
	}
	case F_CLOSE:
		if (x.nresp != 1 || !x.closed)
			gc_fail(g, "one response, then the server closes", "%s",
				got);
		break;
	case F_KEEP:
		if (x.nresp != 2)
			gc_fail(g, "both requests answered on one connection",
				"%s", got);
		break;
	case F_CONTINUE:
		if (x.nresp == 0)
			gc_fail(g, "100 Continue or a final status", "%s", got);
		else if (!x.got100 && !is_reject(x.status[0]))
			gc_warn(g, "100 Continue before the body",
				"only the final status (%s)", got);
		break;
	case F_NO100:
		if (x.got100)
			gc_fail(g,
				"no 100 Continue for HTTP/1.0 (RFC 9110 "
				"§10.1.1)",
				"100 Continue sent");
		else if (x.nresp == 0)
			gc_fail(g, "a response", "%s", got);
		break;
	}
out:
	app_buf_free(&x.raw);
}

struct gc_case *
front_case_list(size_t *n)
{
	static struct gc_case list[sizeof(table) / sizeof(table[0])];
	size_t i;

	*n = sizeof(table) / sizeof(table[0]);
	for (i = 0; i < *n; i++) {
		list[i] = table[i].c;
		list[i].arg = (int)i;
	}
	return list;
}
