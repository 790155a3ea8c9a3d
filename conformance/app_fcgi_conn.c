/*
 * FastCGI app mode, the connection: more requests on one kept connection
 * (§5.1, FCGI_KEEP_CONN), management records on request id 0 (§4:
 * GET_VALUES and its reply, UNKNOWN_TYPE) and concurrent requests on one
 * connection (§3.3, §5.5), judged against what GET_VALUES claims for
 * FCGI_MPXS_CONNS.
 */
#include <string.h>

#include "app_fcgi.h"
#include "net.h"

/* ---- FCGI_KEEP_CONN --------------------------------------------- */

void
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
	fc_put_rec(c, b, REC_GET_VALUES, 0, ps.p, ps.len);
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

void
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
		fc_put_rec(&c, &b, 100, 0, body, 8);
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

/* ---- multiplexing ------------------------------------------------ */

void
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
	fc_put_stream(&c, &b, REC_STDIN, 1, rest, sizeof(rest), 0, 0);
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
