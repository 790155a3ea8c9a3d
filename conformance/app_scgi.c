/*
 * App mode for SCGI and uwsgi. Both send one request packet (SCGI: a
 * netstring of NUL-separated headers with CONTENT_LENGTH first and SCGI=1;
 * uwsgi: a 4-byte header and 16-bit little-endian vars), then the body, and
 * read the response until the application closes the connection. The
 * response is a CGI head (RFC 3875 §6) or, by uWSGI's convention, an HTTP
 * status line; the head cases are shared with FastCGI (app.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "gc.h"
#include "head.h"
#include "net.h"
#include "pkt.h"

struct sreq {
	struct app_req a;
	size_t step;      /* write in pieces of this size (0: whole) */
	size_t body_sent; /* with cut: close after this many body bytes */
	int cut;
	size_t extra_body; /* bytes past CONTENT_LENGTH */
	int bad;           /* enum s_bad */
};

enum s_bad {
	SB_NONE,
	SB_NETSTRING,
	SB_NO_CL_FIRST,
	SB_VAR_OVERRUN,
	SB_MODIFIER
};

struct sresp {
	struct app_buf out;
	int eof;
	int connected;
};

static void
build(struct gc *g, const struct sreq *q, struct app_buf *b)
{
	struct app_kv kv;
	struct app_buf h = {0};
	unsigned i, first;
	char len[32];
	unsigned char *tmp;
	long n;

	app_params(g, &q->a, &kv);
	if (g->proto == GC_SCGI) {
		/* SCGI: CONTENT_LENGTH first, always; then SCGI=1. */
		const char *cl = "0";
		for (i = 0; i < kv.n; i++)
			if (strcmp(kv.name[i], "CONTENT_LENGTH") == 0)
				cl = kv.value[i];
		if (q->bad != SB_NO_CL_FIRST) {
			app_buf_add(&h, "CONTENT_LENGTH", 15);
			app_buf_add(&h, cl, strlen(cl) + 1);
		}
		app_buf_add(&h,
			"SCGI\0"
			"1",
			7);
		for (i = 0; i < kv.n; i++) {
			if (strcmp(kv.name[i], "CONTENT_LENGTH") == 0 &&
				q->bad != SB_NO_CL_FIRST)
				continue;
			app_buf_add(&h, kv.name[i], strlen(kv.name[i]) + 1);
			app_buf_add(&h, kv.value[i], kv.vlen[i]);
			app_buf_add(&h, "", 1);
		}
		snprintf(len, sizeof(len),
			q->bad == SB_NETSTRING ? "0x%zx:" : "%zu:", h.len);
		app_buf_add(b, len, strlen(len));
		app_buf_add(b, h.p, h.len);
		app_buf_add(b, ",", 1);
	} else {
		for (first = 0, i = 0; i < kv.n; i++) {
			size_t nl = strlen(kv.name[i]),
			       cap = nl + kv.vlen[i] + 4;
			tmp = malloc(cap);
			n = pkt_uwsgi_put_var(tmp, cap, kv.name[i], nl,
				kv.value[i], kv.vlen[i]);
			if (n > 0)
				app_buf_add(&h, tmp, (size_t)n);
			free(tmp);
		}
		(void)first;
		if (q->bad == SB_VAR_OVERRUN)
			app_buf_add(&h,
				"\xff\x7f"
				"X",
				3);
		unsigned char hd[4];
		pkt_uwsgi_put_header(hd, sizeof(hd),
			q->bad == SB_MODIFIER ? 199 : 0,
			h.len > 0xffff ? 0xffff : h.len, 0);
		app_buf_add(b, hd, 4);
		app_buf_add(b, h.p, h.len);
	}
	app_buf_free(&h);
	if (q->a.body_len + q->extra_body > 0) {
		size_t nb = q->a.body_len + q->extra_body;
		tmp = malloc(nb);
		app_pattern(tmp, nb, 0);
		app_buf_add(b, tmp, q->cut ? q->body_sent : nb);
		free(tmp);
	}
}

static void
exchange(struct gc *g, const struct sreq *q, struct sresp *r)
{
	struct app_buf b = {0};
	char err[300];
	unsigned char buf[65536];
	size_t off = 0, n;
	long got;
	int fd, waited = 0;

	memset(r, 0, sizeof(*r));
	fd = net_connect(g->addr, err, sizeof(err));
	if (fd < 0) {
		gc_fail(g, "the application accepts a connection", "%s", err);
		return;
	}
	r->connected = 1;
	build(g, q, &b);
	gc_trace(g, "  -> %s request: %zu bytes%s",
		g->proto == GC_SCGI ? "SCGI" : "uwsgi", b.len,
		q->step ? " (in pieces)" : "");
	gc_hexdump(g, "->", b.p, b.len);
	while (off < b.len) {
		n = q->step && q->step < b.len - off ? q->step : b.len - off;
		if (net_write_all(fd, b.p + off, n, g->o->timeout_ms) < 0)
			break;
		off += n;
		if (q->step && off < 4096)
			net_sleep_ms(1);
	}
	app_buf_free(&b);
	if (q->cut) {
		net_sleep_ms(100);
		close(fd);
		return;
	}
	while (waited < g->o->timeout_ms) {
		got = net_read(fd, buf, sizeof(buf), 100);
		if (got == NET_TIMEOUT) {
			waited += 100;
			continue;
		}
		if (got <= 0) {
			r->eof = 1;
			break;
		}
		app_buf_add(&r->out, buf, (size_t)got);
		gc_hexdump(g, "<-", buf, (size_t)got);
	}
	gc_trace(g, "  <- %zu response bytes, %s", r->out.len,
		r->eof ? "then close" : "connection still open");
	close(fd);
}

static int
alive(struct gc *g, const char *after)
{
	struct sreq q;
	struct sresp r;
	unsigned status;

	memset(&q, 0, sizeof(q));
	if (g->o->spawn && g->pid > 0 && net_exited(g->pid)) {
		gc_fail(g, "the application keeps running",
			"it exited after %s", after);
		return -1;
	}
	exchange(g, &q, &r);
	status = r.connected ? app_status(r.out.p, r.out.len) : 0;
	app_buf_free(&r.out);
	/* The app may die while the fresh request is on its way: a refused
	 * connection or no answer is checked against its exit, as the
	 * FastCGI cases do (fx_alive), so the verdict never depends on
	 * which came first. */
	if (status == 0) {
		if (g->o->spawn && g->pid > 0) {
			net_sleep_ms(100);
			if (net_exited(g->pid)) {
				gc_fail(g, "the application keeps running",
					"it exited after %s", after);
				return -1;
			}
		}
		gc_fail(g, "the application keeps serving", "%s after %s",
			r.connected ? "no valid response to a fresh request"
				    : "no connection",
			after);
		return -1;
	}
	return 0;
}

static void
s_head(struct gc *g, const struct gc_case *c)
{
	struct sreq q;
	struct sresp r;

	memset(&q, 0, sizeof(q));
	if (c->arg == HC_HEAD_NOBODY)
		q.a.method = "HEAD";
	exchange(g, &q, &r);
	if (r.connected)
		app_check_head(
			g, c->arg, r.out.p, r.out.len, g->proto == GC_UWSGI);
	app_buf_free(&r.out);
}

enum { S_CLOSE, S_SPLIT, S_BODY, S_BIGBODY, S_BIGHEAD, S_EXTRA };

static void
s_flow(struct gc *g, const struct gc_case *c)
{
	struct sreq q;
	struct sresp r;
	static char big[60000];

	memset(&q, 0, sizeof(q));
	switch (c->arg) {
	case S_SPLIT: q.step = 1; break;
	case S_BODY:
		q.a.method = "POST";
		q.a.body_len = 1000;
		break;
	case S_BIGBODY:
		q.a.method = "POST";
		q.a.body_len = 300000;
		q.step = 4093;
		break;
	case S_BIGHEAD:
		memset(big, 'p', sizeof(big));
		app_req_set(&q.a, "HTTP_X_GATECHECK", big, 60000);
		break;
	case S_EXTRA:
		q.a.method = "POST";
		q.a.body_len = 100;
		q.extra_body = 50;
		break;
	}
	exchange(g, &q, &r);
	if (!r.connected)
		goto out;
	if (c->arg == S_CLOSE) {
		if (!r.eof)
			gc_fail(g,
				"the app closes the connection after the "
				"response",
				"still open %d ms later with %zu bytes sent",
				g->o->timeout_ms, r.out.len);
	} else if (app_status(r.out.p, r.out.len) == 0) {
		app_check_head(g, HC_COMPLETE, r.out.p, r.out.len, 1);
		if (g->verdict == GC_PASS)
			gc_fail(g, "a response", "%zu unparsable bytes",
				r.out.len);
	} else if (c->arg == S_BIGHEAD &&
		app_status(r.out.p, r.out.len) >= 400) {
		gc_warn(g, "served", "refused with status %u",
			app_status(r.out.p, r.out.len));
	} else if (gc_has_probe(g)) {
		if (c->arg == S_BIGHEAD)
			app_probe_expect(g, r.out.p, r.out.len,
				"env.HTTP_X_GATECHECK", big, 60000);
		else if (q.a.body_len > 0)
			app_probe_body(g, r.out.p, r.out.len, q.a.body_len);
		if (g->verdict == GC_SKIP)
			g->verdict = GC_PASS;
	}
out:
	app_buf_free(&r.out);
}

static void
s_robust(struct gc *g, const struct gc_case *c)
{
	struct sreq q;
	struct sresp r;
	const char *what = "?";

	memset(&q, 0, sizeof(q));
	switch (c->arg) {
	case SB_NETSTRING: what = "a netstring with a hex length"; break;
	case SB_VAR_OVERRUN: what = "a var running past the packet"; break;
	case SB_MODIFIER: what = "modifier1 199"; break;
	case SB_NO_CL_FIRST:
		what = "headers without CONTENT_LENGTH first";
		break;
	case SB_NONE:
		q.a.method = "POST";
		q.a.body_len = 1000;
		q.cut = 1;
		q.body_sent = 10;
		what = "a client closing mid-body";
		break;
	}
	q.bad = c->arg;
	exchange(g, &q, &r);
	if (r.connected && c->arg == SB_NO_CL_FIRST &&
		app_status(r.out.p, r.out.len) / 100 == 2)
		gc_warn(g,
			"a rejection (the SCGI spec requires "
			"CONTENT_LENGTH first)",
			"a %u answer", app_status(r.out.p, r.out.len));
	if (r.connected && !r.eof && !q.cut)
		gc_warn(g, "an error answer or a close", "%s",
			"nothing within the timeout");
	app_buf_free(&r.out);
	/* Give an app that reacts to the close a moment to do so (crash,
	 * or not) before asking whether it still serves. */
	if (q.cut)
		net_sleep_ms(200);
	if (r.connected && g->verdict != GC_FAIL)
		alive(g, what);
}

enum { SE_HTTPOXY, SE_QUERY, SE_METHOD };

static void
s_env(struct gc *g, const struct gc_case *c)
{
	struct sreq q;
	struct sresp r;
	const char *query = "a=1&b=%20x&c=%2F&d=caf%C3%A9";

	memset(&q, 0, sizeof(q));
	if (c->arg == SE_HTTPOXY)
		app_req_set(&q.a, "HTTP_PROXY", "http://127.0.0.1:9/", 0);
	else if (c->arg == SE_QUERY)
		q.a.query = query;
	else {
		q.a.method = "POST";
		q.a.body_len = 10;
	}
	exchange(g, &q, &r);
	if (!r.connected)
		goto out;
	if (c->arg == SE_HTTPOXY)
		app_probe_expect(
			g, r.out.p, r.out.len, "getenv.HTTP_PROXY", NULL, 0);
	else if (c->arg == SE_QUERY)
		app_probe_expect(g, r.out.p, r.out.len, "env.QUERY_STRING",
			query, strlen(query));
	else if (app_probe_expect(g, r.out.p, r.out.len, "env.REQUEST_METHOD",
			 "POST", 4) == 0)
		app_probe_expect(
			g, r.out.p, r.out.len, "env.CONTENT_LENGTH", "10", 2);
out:
	app_buf_free(&r.out);
}

#define HEAD_CASES(P, S, PR)                                                   \
	{P "-APP-HDR-001", S, GC_MUST, "CGI-RESP-LINE-1 (RFC 3875 §6.2)",      \
		"the response starts with a head ended by an empty line",      \
		"CGI head or HTTP status line", PR, 0, s_head, HC_COMPLETE},   \
		{P "-APP-HDR-002", S, GC_MUST,                                 \
			"CGI-RESP-FIELD-2/3/4 (RFC 3875 §6.3)",                \
			"head lines are token \":\" value, no obs-fold", "",   \
			PR, 0, s_head, HC_NAME},                               \
		{P "-APP-HDR-003", S, GC_MUST,                                 \
			"CGI-RESP-FIELD-5, CGI-RESP-LINE-2",                   \
			"no CTL, NUL or bare CR in head values", "", PR, 0,    \
			s_head, HC_CTL},                                       \
		{P "-APP-HDR-004", S, GC_MUST,                                 \
			"CGI-RESP-STATUS-1 (RFC 3875 §6.3.3)",                 \
			"Status (or the status line) is well formed", "", PR,  \
			0, s_head, HC_STATUS},                                 \
		{P "-APP-HDR-005", S, GC_SHOULD, "CGI-RESP-STATUS-2",          \
			"the status code is in 100..599", "", PR, 0, s_head,   \
			HC_STATUS_RANGE},                                      \
		{P "-APP-HDR-006", S, GC_MUST,                                 \
			"CGI-RESP-CGI-2 (RFC 3875 §6.3)",                      \
			"Status and Content-Type appear at most once", "", PR, \
			0, s_head, HC_DUP},                                    \
		{P "-APP-HDR-007", S, GC_MUST,                                 \
			"CGI-RESP-CT-1 (RFC 3875 §6.3.1)",                     \
			"Content-Type is type/subtype", "", PR, 0, s_head,     \
			HC_CTYPE},                                             \
		{P "-APP-HDR-008", S, GC_MUST, "RFC 3875 §6.3.1",              \
			"a response with a body has Content-Type", "", PR, 0,  \
			s_head, HC_CTYPE_BODY},                                \
		{P "-APP-HDR-009", S, GC_MUST,                                 \
			"CGI-RESP-LOC-3 (RFC 3875 §6.3.2)",                    \
			"Location is an absolute URI or a /local-path",        \
			"PASS when absent", PR, 0, s_head, HC_LOCATION},       \
		{P "-APP-HDR-010", S, GC_MUST,                                 \
			"CGI-RESP-CGI-1 (RFC 3875 §6.3)",                      \
			"the head has Content-Type, Location, Status or a "    \
			"status "                                              \
			"line",                                                \
			"", PR, 0, s_head, HC_CGI_FIELD},                      \
		{P "-APP-HDR-011", S, GC_MUST,                                 \
			"CGI-RESP-CL-1 (RFC 9110 §8.6)",                       \
			"Content-Length, when given, is the body length",      \
			"PASS when absent", PR, 0, s_head, HC_CL},             \
		{P "-APP-HDR-012", S, GC_SHOULD,                               \
			"CGI-RESP-LINE-1 (RFC 3875 §6.3.4)",                   \
			"one kind of line end in the head", "", PR, 0, s_head, \
			HC_EOL},                                               \
	{                                                                      \
		P "-APP-HDR-013", S, GC_MUST, "RFC 3875 §4.3.2",               \
			"no body for a HEAD request", "", PR, 0, s_head,       \
			HC_HEAD_NOBODY                                         \
	}

#define FLOW_CASES(P, S, PR, SPEC, BODY, LIMIT)                                \
	{P "-APP-REQ-001", S, GC_MUST, SPEC,                                   \
		"the app closes the connection after the response", "", PR, 0, \
		s_flow, S_CLOSE},                                              \
		{P "-APP-REQ-002", S, GC_MUST, SPEC,                           \
			"a request written one byte at a time is answered",    \
			"", PR, 0, s_flow, S_SPLIT},                           \
		{P "-APP-REQ-003", S, GC_MUST, BODY,                           \
			"a 1000-byte body is read", "probe: digest matches",   \
			PR, 0, s_flow, S_BODY},                                \
		{P "-APP-REQ-004", S, GC_MUST, BODY,                           \
			"a 300 KB body written in 4093-byte pieces is read",   \
			"probe: digest matches", PR, 0, s_flow, S_BIGBODY},    \
		{P "-APP-REQ-005", S, GC_SHOULD, LIMIT,                        \
			"a 60000-byte header value is answered",               \
			"served; WARN refused with an error", PR, 0, s_flow,   \
			S_BIGHEAD},                                            \
		{P "-APP-REQ-006", S, GC_MUST, BODY,                           \
			"bytes past CONTENT_LENGTH are not part of the body",  \
			"probe: digest of CONTENT_LENGTH bytes", PR, 0,        \
			s_flow, S_EXTRA},                                      \
		{P "-APP-REQ-007", S, GC_MUST, SPEC,                           \
			"a client closing mid-body does not kill the app",     \
			"then still serving", PR, 0, s_robust, SB_NONE},       \
		{P "-APP-SEC-001", S, GC_SHOULD,                               \
			"conformance-fuzz §4.1 httpoxy",                       \
			"an HTTP_PROXY header is not exposed through "         \
			"getenv()",                                            \
			"probe needed", PR, GC_PROBE, s_env, SE_HTTPOXY},      \
		{P "-APP-SEM-001", S, GC_MUST, "RFC 3875 §4.1.7",              \
			"QUERY_STRING reaches the app byte for byte",          \
			"probe needed", PR, GC_PROBE, s_env, SE_QUERY},        \
	{                                                                      \
		P "-APP-SEM-002", S, GC_MUST, "RFC 3875 §4.1.2 §4.1.12",       \
			"REQUEST_METHOD and CONTENT_LENGTH reach the app",     \
			"probe needed", PR, GC_PROBE, s_env, SE_METHOD         \
	}

#define SS "SCGI protocol"
#define SH "RFC 3875 §6 CGI response over SCGI"
#define US "uwsgi protocol"
#define UH "RFC 3875 §6 response over uwsgi"

const struct gc_case scgi_cases[] = {
	HEAD_CASES("SCGI", SH, GC_SCGI),
	{"SCGI-APP-HDR-014", SH, GC_SHOULD, "RFC 3875 §6",
		"a CGI head rather than an NPH status line",
		"PASS CGI; WARN NPH", GC_SCGI, 0, s_head, HC_NOT_NPH},
	FLOW_CASES("SCGI", SS, GC_SCGI, "SCGI protocol §2", "SCGI-HDR-7",
		"SCGI-NS-5"),
	{"SCGI-APP-REQ-008", SS, GC_MUST, "SCGI-NS-3",
		"a netstring with a non-decimal length does not kill the app",
		"reject or close; then still serving", GC_SCGI, 0, s_robust,
		SB_NETSTRING},
	{"SCGI-APP-REQ-009", SS, GC_SHOULD, "SCGI-HDR-3",
		"headers without CONTENT_LENGTH first are refused",
		"reject or close; WARN if served", GC_SCGI, 0, s_robust,
		SB_NO_CL_FIRST},
	HEAD_CASES("UWSGI", UH, GC_UWSGI),
	FLOW_CASES("UWSGI", US, GC_UWSGI, "UWSGI-PKT-1", "UWSGI-PKT-4",
		"UWSGI-LIM-1"),
	{"UWSGI-APP-REQ-008", US, GC_MUST, "UWSGI-VARS-2",
		"a var whose length runs past the packet does not kill the app",
		"reject or close; then still serving", GC_UWSGI, 0, s_robust,
		SB_VAR_OVERRUN},
	{"UWSGI-APP-REQ-009", US, GC_MUST, "UWSGI-PKT-3",
		"an unknown modifier1 does not kill the app",
		"reject or close; then still serving", GC_UWSGI, 0, s_robust,
		SB_MODIFIER},
};

const size_t scgi_ncases = sizeof(scgi_cases) / sizeof(scgi_cases[0]);
