/*
 * FastCGI app mode, the input streams an application must read: PARAMS
 * split at odd places, 4-byte lengths and large pairs (§3.4, §5.2), STDIN
 * in large or odd records and late (§5.3), ABORT_REQUEST (§5.4), and
 * input that is wrong on purpose: 31-bit lengths that overflow, garbage,
 * a connection closed mid-stream. The app must answer or close, and live.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app_fcgi.h"
#include "net.h"

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

void
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

void
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
		} else if (fc_count_end(&c, 1) == 0 && !c.eof) {
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

void
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
		fc_put_stream(&c, &b, REC_STDIN, 1, body, sizeof(body), 0, 0);
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

void
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
		fc_put_rec(&c, &b, REC_ABORT_REQUEST, 5, NULL, 0);
		{
			unsigned char rest[990];
			app_pattern(rest, sizeof(rest), 10);
			fc_put_stream(
				&c, &b, REC_STDIN, 1, rest, sizeof(rest), 0, 0);
		}
	} else {
		fc_put_rec(&c, &b, REC_ABORT_REQUEST, 1, NULL, 0);
	}
	fc_send(&c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, 200);
	if (cs->arg == A_INACTIVE) {
		if (fc_count_end(&c, 5) > 0)
			gc_fail(g, "ABORT_REQUEST for an inactive id ignored",
				"%s", "an END_REQUEST for id 5");
		else if (fc_count_end(&c, 1) != 1)
			gc_fail(g, "request 1 completes", "%s",
				c.eof ? "the connection closed"
				      : "no END_REQUEST");
	} else if (cs->arg == A_END && fc_count_end(&c, 1) > 0) {
		struct fview v;
		fc_view(&c, 1, &v);
		if (v.pstatus != REC_REQUEST_COMPLETE)
			gc_fail(g, "END_REQUEST with FCGI_REQUEST_COMPLETE",
				"protocolStatus %u", v.pstatus);
		app_buf_free(&v.out);
	} else if (fc_count_end(&c, 1) == 0) {
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
