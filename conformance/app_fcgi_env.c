/*
 * FastCGI app mode, what the application sees: recurring bugs (httpoxy,
 * CVE-2019-11043's empty PATH_INFO) and probe semantics (RFC 3875 §4.1:
 * QUERY_STRING, REQUEST_METHOD, CONTENT_LENGTH, values across the 1- and
 * 4-byte length boundary of §3.4). Most need the probe app's answer.
 */
#include <stdio.h>
#include <string.h>

#include "app_fcgi.h"
#include "head.h"

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

void
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

void
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
