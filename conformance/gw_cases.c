/*
 * Gateway-mode cases: each is a scenario (gw.h) and one check of what the
 * backend received or what the client got. Rules: RFC 3875 (CGI
 * meta-variables, response head), FastCGI 1.0, SCGI, uwsgi, RFC 9110/9112
 * (hop-by-hop fields, framing, HEAD/204/304), RFC 7239 (Forwarded),
 * RFC 6455 (upgrade), and the bug classes of conformance-fuzz.md §4.
 * A case applies to the gateway kinds in its proto bits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "net.h"
#include "pkt.h"
#include "rec.h"

enum check {
	K_ENV_EQ = 1,     /* k == v */
	K_ENV_OPT_EQ,     /* k absent, or == v */
	K_ENV_EMPTY_OK,   /* k absent or empty passes; any other value fails */
	K_ENV_SET,        /* k present */
	K_ENV_NOT,        /* k absent, or its value does not contain v */
	K_ENV_REJECT_NOT, /* as K_ENV_NOT, or the request refused with 400 */
	K_ENV_ONCE,       /* no variable twice */
	K_ENV_NAMES,      /* names are [A-Za-z0-9_]+ */
	K_ENV_UNSET_IF,   /* k unset when v is unset */
	K_BODY,           /* backend got the pattern body (CGI: and CL) */
	K_BODY_EMPTY,     /* backend got no body bytes */
	K_STATUS,         /* client status == atoi(v) */
	K_HDR_EQ,         /* client header k == v */
	K_HDR_ABSENT,     /* client header k absent */
	K_HDR_COUNT,      /* client header k appears atoi(v) times */
	K_HDR_NOFOLD,     /* no client header line begins with SP/HTAB */
	K_HDR_NOCR,       /* the reply's bare CR never reaches the client */
	K_RBODY,          /* client body == reply body */
	K_RBODY_NOT,      /* client body does not contain v */
	K_NOBODY,         /* no body, and nothing after the head */
	K_FAILED,         /* 502/503/504 or closed without a head */
	K_NO_LIE,         /* never a complete well-framed 2xx */
	K_EXTRA,          /* excess bytes never reach the client */
	K_REDIRECT,       /* 302 with Location v, or a local redirect */
	K_NPH,            /* NPH line honoured or 502, never in the body */
	K_STREAM,         /* body bytes before the backend finished */
	K_UPGRADE,        /* a 101 tunnel both ways, or upgrade not passed */
	K_FCGI,           /* FastCGI framing, sub-check in v */
	K_PKT,            /* SCGI/uwsgi framing, sub-check in v */
	K_H_REQ,          /* HTTP backend request, sub-check in v */
	K_H_ABSENT,       /* header k did not reach the HTTP backend */
	K_H_EQ,           /* backend header k == v */
	K_H_XFF,          /* X-Forwarded-For ends with the client address */
	K_H_FWD           /* Forwarded, if sent, is RFC 7239 syntax */
};

struct gwc {
	struct gc_case c;
	struct gw_scn s;
	enum check check;
	const char *k, *v;
};

/* ---- requests and replies ---- */
#define HOST       "Host: %A\r\n"
#define CLOSE      "Connection: close\r\n"
#define GET(t)     "GET %P" t " HTTP/1.1\r\n" HOST CLOSE "\r\n"
#define GETH(t, h) "GET %P" t " HTTP/1.1\r\n" HOST CLOSE h "\r\n"
#define POST(t, h)                                                             \
	"POST %P" t " HTTP/1.1\r\n" HOST CLOSE                                 \
	"Content-Type: application/octet-stream\r\nContent-Length: %L\r\n" h   \
	"\r\n"
#define POSTC(t)                                                               \
	"POST %P" t " HTTP/1.1\r\n" HOST CLOSE                                 \
	"Content-Type: application/octet-stream\r\n"                           \
	"Transfer-Encoding: chunked\r\n\r\n"
#define OK                                                                     \
	"Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "       \
	"%L\r\n\r\n"
#define OKNOCL  "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n"
#define DEF_GET GET("/info/x?a=1&b=%%20c")

static void
show(char *dst, size_t cap, const void *p, size_t n)
{
	(void)app_show(p, n, dst, cap);
}

/* The body part of the scenario's reply. */
static void
reply_body(struct gc *g, const struct gw_scn *s, struct app_buf *o)
{
	char t[8192], *p;
	unsigned char *pat;

	gw_expand(g, s->reply ? s->reply : "", t, sizeof(t));
	if ((p = strstr(t, "\r\n\r\n")) != NULL)
		app_buf_add(o, p + 4, strlen(p + 4));
	else if ((p = strstr(t, "\n\n")) != NULL)
		app_buf_add(o, p + 2, strlen(p + 2));
	if (s->reply_pattern) {
		pat = malloc(s->reply_pattern);
		if (pat == NULL)
			exit(2);
		app_pattern(pat, s->reply_pattern, 0);
		app_buf_add(o, pat, s->reply_pattern);
		free(pat);
	}
}

static int
need_backend(struct gc *g, const struct gw_ex *ex)
{
	char b[160];

	if (ex->b.accepted && ex->b.complete && ex->b.err[0] == '\0')
		return 1;
	if (!ex->b.accepted)
		gc_fail(g, "the request to reach the backend",
			"no backend connection (client got %u)",
			ex->c.have_head ? ex->c.head.status : 0);
	else if (ex->b.err[0])
		gc_fail(g, "a well-formed backend request", "%s", ex->b.err);
	else
		gc_fail(g, "a complete backend request",
			"%zu bytes then %s: %s", ex->b.raw.len,
			ex->b.eof ? "EOF" : "nothing",
			app_show(ex->b.raw.p, ex->b.raw.len, b, sizeof(b)));
	return 0;
}

static int
need_response(struct gc *g, const struct gw_ex *ex)
{
	char b[160];

	if (ex->c.have_head)
		return 1;
	gc_fail(g, "an HTTP response",
		ex->c.timedout ? "no response within the timeout: %s"
			       : "connection closed: %s",
		app_show(ex->c.raw.p, ex->c.raw.len, b, sizeof(b)));
	return 0;
}

static int
status_in(unsigned st, const char *set)
{
	char b[8];

	snprintf(b, sizeof(b), "%u", st);
	return strstr(set, b) != NULL;
}

static void
check_env(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	char want[512], got[256];
	const char *v;
	size_t vl = 0;
	unsigned i, j;

	if (w->check == K_ENV_REJECT_NOT && ex->c.have_head &&
		ex->c.head.status / 100 == 4 && !ex->b.accepted)
		return;
	if (!need_backend(g, ex))
		return;
	gw_expand(g, w->v ? w->v : "", want, sizeof(want));
	if (strstr(want, "%c"))
		snprintf(want, sizeof(want), "%u", ex->client_port);
	v = gw_env(ex, w->k ? w->k : "", &vl);
	if (v)
		show(got, sizeof(got), v, vl);
	switch (w->check) {
	case K_ENV_EQ:
		if (v == NULL)
			gc_fail(g, want, "%s not set", w->k);
		else if (vl != strlen(want) || memcmp(v, want, vl) != 0)
			gc_fail(g, want, "%s=%s", w->k, got);
		break;
	case K_ENV_OPT_EQ:
		/* RFC 3875 §4.1: a NULL (empty) value is as good as unset */
		if (v && vl > 0 &&
			(vl != strlen(want) || memcmp(v, want, vl) != 0))
			gc_fail(g, want, "%s=%s", w->k, got);
		break;
	case K_ENV_EMPTY_OK:
		if (v && vl > 0)
			gc_fail(g, "unset or empty", "%s=%s", w->k, got);
		else if (v)
			gc_warn(g, "unset", "%s set to the empty string", w->k);
		break;
	case K_ENV_SET:
		if (v == NULL)
			gc_fail(g, "set", "%s not set", w->k);
		break;
	case K_ENV_NOT:
	case K_ENV_REJECT_NOT:
		/* Every occurrence: an app may read the last of two. */
		for (i = 0; i < ex->b.env.n; i++) {
			if (strcmp(ex->b.env.name[i], w->k) != 0 ||
				memmem(ex->b.env.value[i], ex->b.env.vlen[i],
					want, strlen(want)) == NULL)
				continue;
			show(got, sizeof(got), ex->b.env.value[i],
				ex->b.env.vlen[i]);
			gc_fail(g, "no attacker-controlled value", "%s=%s%s",
				w->k, got,
				gw_env_count(ex, w->k) > 1 ? " (sent twice)"
							   : "");
			break;
		}
		break;
	case K_ENV_UNSET_IF:
		if (v && gw_env(ex, w->v, NULL) == NULL)
			gc_fail(g, "unset", "%s=%s without %s", w->k, got,
				w->v);
		break;
	case K_ENV_ONCE:
		for (i = 0; i < ex->b.env.n; i++)
			for (j = i + 1; j < ex->b.env.n; j++)
				if (strcmp(ex->b.env.name[i],
					    ex->b.env.name[j]) == 0) {
					gc_fail(g, "each variable once",
						"%s sent twice",
						ex->b.env.name[i]);
					return;
				}
		break;
	case K_ENV_NAMES:
		for (i = 0; i < ex->b.env.n; i++)
			if (ex->b.env.name[i][0] == '\0' ||
				strspn(ex->b.env.name[i],
					"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk"
					"lmnopqrstuvwxyz0123456789_") !=
					strlen(ex->b.env.name[i])) {
				show(got, sizeof(got), ex->b.env.name[i],
					strlen(ex->b.env.name[i]));
				gc_fail(g, "names of letters, digits and _",
					"variable %s", got);
				return;
			}
		break;
	default: break;
	}
}

static void
check_body(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	unsigned char *want;
	char got[160], cl[32];
	const char *v;
	size_t vl = 0, i;

	if (w->s.chunk_body && ex->c.have_head && ex->c.head.status == 411 &&
		!ex->b.accepted) {
		gc_warn(g, "the chunked body forwarded",
			"411 Length Required (permitted: RFC 9112 §6.3)");
		return;
	}
	if (!need_backend(g, ex))
		return;
	if (w->check == K_BODY_EMPTY) {
		if (ex->b.body.len)
			gc_fail(g, "no body", "%zu body bytes", ex->b.body.len);
		return;
	}
	want = malloc(w->s.body_pattern + 1);
	if (want == NULL)
		exit(2);
	app_pattern(want, w->s.body_pattern, 0);
	if (ex->b.body.len != w->s.body_pattern ||
		memcmp(ex->b.body.p, want, w->s.body_pattern) != 0) {
		for (i = 0; i < ex->b.body.len && i < w->s.body_pattern &&
			ex->b.body.p[i] == want[i];
			i++)
			;
		gc_fail(g, "the body as sent",
			"%zu bytes (sent %zu), first difference at %zu",
			ex->b.body.len, w->s.body_pattern, i);
	}
	free(want);
	if (g->proto == GC_HTTP)
		return;
	v = gw_env(ex, "CONTENT_LENGTH", &vl);
	snprintf(cl, sizeof(cl), "%zu", w->s.body_pattern);
	if (v == NULL || vl != strlen(cl) || memcmp(v, cl, vl) != 0)
		gc_fail(g, cl, "CONTENT_LENGTH=%s",
			v ? app_show(v, vl, got, sizeof(got)) : "(unset)");
}

static void
check_client(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	const struct http_field *f;
	struct app_buf rb = {0};
	char got[200], want[300];
	unsigned st = ex->c.have_head ? ex->c.head.status : 0;
	size_t i;

	gw_expand(g, w->v ? w->v : "", want, sizeof(want));
	switch (w->check) {
	case K_STATUS:
		if (need_response(g, ex) && st != (unsigned)atoi(want))
			gc_fail(g, want, "status %u", st);
		break;
	case K_HDR_EQ:
		if (!need_response(g, ex))
			break;
		f = http_field(&ex->c.head, w->k, 0);
		if (f == NULL)
			gc_fail(g, want, "no %s field", w->k);
		else if (f->vlen != strlen(want) ||
			memcmp(f->value, want, f->vlen) != 0)
			gc_fail(g, want, "%s: %s", w->k,
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	case K_HDR_ABSENT:
		if (need_response(g, ex) &&
			(f = http_field(&ex->c.head, w->k, 0)) != NULL)
			gc_fail(g, "no such field", "%s: %s", w->k,
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	case K_HDR_COUNT:
		if (need_response(g, ex) &&
			http_count(&ex->c.head, w->k) != (unsigned)atoi(want))
			gc_fail(g, want, "%u %s fields",
				http_count(&ex->c.head, w->k), w->k);
		break;
	case K_HDR_NOFOLD:
		if (ex->c.have_head && (ex->c.head.problems & HTTP_P_FOLD))
			gc_fail(g,
				"obs-fold removed or the response refused "
				"(RFC 9112 §5.2)",
				"a folded line reached the client");
		else if (ex->c.have_head && st < 500 &&
			(f = http_field(&ex->c.head, "X-Gc-Fold", 0)) &&
			memmem(f->value, f->vlen, "\r", 1))
			gc_fail(g, "no CR in a value", "CR in X-Gc-Fold");
		break;
	case K_HDR_NOCR:
		if (memmem(ex->c.raw.p, ex->c.raw.len, "a\rb", 3))
			gc_fail(g, "no bare CR (RFC 9110 §5.5: reject or SP)",
				"X-Gc-Ctl: a<CR>b reached the client");
		break;
	case K_RBODY:
	case K_RBODY_NOT:
		if (w->check == K_RBODY_NOT && !ex->c.have_head &&
			ex->c.closed) {
			gc_warn(g, "200 without it",
				"connection closed without a response (treated "
				"as an error)");
			break;
		}
		if (!need_response(g, ex))
			break;
		if (w->check == K_RBODY_NOT) {
			if (memmem(ex->c.body.p, ex->c.body.len, want,
				    strlen(want)))
				gc_fail(g, "not in the body", "body holds %s",
					app_show(want, strlen(want), got,
						sizeof(got)));
			else if (st / 100 != 2)
				gc_warn(g, "200 without it",
					"status %u (treated as an error)", st);
			break;
		}
		reply_body(g, &w->s, &rb);
		if (!ex->c.framed &&
			!(ex->c.framing == HTTP_BODY_CLOSE && ex->c.closed)) {
			gc_fail(g, "the backend's body, completely framed",
				"%zu body bytes, then %s", ex->c.body.len,
				ex->c.closed ? "a close before the end of "
					       "the framing"
					     : "nothing");
			app_buf_free(&rb);
			break;
		}
		if (ex->c.body.len != rb.len ||
			memcmp(ex->c.body.p, rb.p, rb.len) != 0) {
			for (i = 0; i < rb.len && i < ex->c.body.len &&
				rb.p[i] == ex->c.body.p[i];
				i++)
				;
			gc_fail(g, "the backend's body",
				"%zu bytes (backend sent %zu), first "
				"difference at %zu%s",
				ex->c.body.len, rb.len, i,
				ex->c.framed || ex->c.framing == HTTP_BODY_CLOSE
					? ""
					: ", not framed");
		}
		app_buf_free(&rb);
		break;
	case K_NOBODY:
		if (!need_response(g, ex))
			break;
		if (ex->c.framing != HTTP_BODY_NONE &&
			!(ex->c.framing == HTTP_BODY_LENGTH &&
				ex->c.body.len == 0 && ex->c.framed) &&
			strncmp(w->s.req, "HEAD", 4) != 0)
			gc_fail(g, "no message body (RFC 9110 §6.4.1)",
				"framing %d with %zu body bytes", ex->c.framing,
				ex->c.body.len);
		else if (ex->c.have_second && ex->c.head2.status != 200)
			gc_fail(g, "the next response intact",
				"next response status %u", ex->c.head2.status);
		else if (!ex->c.have_second && ex->c.raw.len > ex->c.end)
			gc_fail(g, "nothing after the head",
				"%zu bytes followed: %s",
				ex->c.raw.len - ex->c.end,
				app_show(ex->c.raw.p + ex->c.end,
					ex->c.raw.len - ex->c.end, got,
					sizeof(got)));
		break;
	case K_FAILED:
		if (ex->c.have_head && status_in(st, "502 503 504"))
			break;
		/* A CGI program is local: its failure is a 500 (§6.2). */
		if (g->proto == GC_CGI && st == 500)
			break;
		if (!ex->c.have_head && ex->c.closed)
			break;
		if (!ex->c.have_head && w->s.act == GA_HANG)
			gc_warn(g, "504 Gateway Timeout",
				"no answer within %d ms (the gateway's "
				"timeout is longer)",
				g->o->timeout_ms * 4);
		else if (!ex->c.have_head)
			gc_fail(g, "502/503/504 or a closed connection",
				"no answer within the timeout");
		else
			gc_fail(g, "502/503/504 or a closed connection",
				"status %u with %zu body bytes", st,
				ex->c.body.len);
		break;
	case K_NO_LIE:
		if (ex->c.have_head && ex->c.framed && st < 500 &&
			ex->c.framing != HTTP_BODY_NONE)
			gc_fail(g, "a truncated or failed response",
				"a complete %s response of %zu bytes",
				ex->c.framing == HTTP_BODY_CHUNKED
					? "chunked"
					: "Content-Length",
				ex->c.body.len);
		break;
	case K_EXTRA:
		if (!need_response(g, ex))
			break;
		if (!ex->c.framed && !ex->c.closed &&
			ex->c.framing != HTTP_BODY_CLOSE) {
			gc_fail(g, "a complete response or a close",
				"the response stopped short of its framing");
			break;
		}
		if (st >= 500 && !w->s.second)
			break;
		if (memmem(ex->c.body.p, ex->c.body.len, "EXTRA", 5) ||
			memmem(ex->c.raw.p, ex->c.raw.len, "EXTRA", 5))
			gc_fail(g, "only Content-Length bytes",
				"the excess bytes reached the client");
		else if (w->s.second && !ex->c.closed && !ex->c.have_second)
			gc_fail(g, "the next response intact (or a close)",
				"no well-formed response to the next request: "
				"%s",
				app_show(ex->c.raw2.p, ex->c.raw2.len, got,
					sizeof(got)));
		break;
	case K_REDIRECT:
		if (!need_response(g, ex))
			break;
		f = http_field(&ex->c.head, "Location", 0);
		if (st == 302 && f && f->vlen == strlen(want) &&
			memcmp(f->value, want, f->vlen) == 0)
			break;
		if (st == 200 && want[0] == '/' && f == NULL)
			break; /* local redirect, RFC 3875 §6.2.2 */
		gc_fail(g, "302 with Location (RFC 3875 §6.2.3)",
			"status %u, Location %s", st,
			f ? app_show(f->value, f->vlen, got, sizeof(got))
			  : "(none)");
		break;
	case K_NPH:
		if (!need_response(g, ex))
			break;
		if (memmem(ex->c.body.p, ex->c.body.len, "HTTP/1.", 7))
			gc_fail(g, "the NPH line honoured or 502",
				"the status line reached the body");
		else if (st != 299 && st != 502)
			gc_fail(g, "299 (the NPH status) or 502", "status %u",
				st);
		else if (st == 502)
			gc_warn(g, "299",
				"502: NPH not supported "
				"(RFC 3875 §5 makes it optional)");
		break;
	case K_STREAM:
		if (!need_response(g, ex))
			break;
		if (ex->c.streamed == 0)
			gc_warn(g,
				"the first body bytes before the backend "
				"finished",
				"nothing until the backend finished "
				"(buffered)");
		break;
	case K_UPGRADE:
		if (!ex->b.accepted) {
			gc_fail(g, "the request at the backend",
				"no backend connection");
			break;
		}
		if (!gw_upgrade_asked(g, &ex->b)) {
			if (st == 101)
				gc_fail(g,
					"no 101 for an upgrade not passed on",
					"101");
			else
				gc_warn(g, "Upgrade passed to the backend",
					"the gateway removed Upgrade "
					"(permitted: no tunnel support)");
			break;
		}
		if (st != 101)
			gc_fail(g, "101 passed to the client", "status %u", st);
		else if (!ex->up_seen)
			gc_fail(g, "client bytes through the tunnel",
				"they never reached the backend");
		else if (!ex->up_back)
			gc_fail(g, "backend bytes through the tunnel",
				"they never reached the client");
		break;
	default: break;
	}
}

static void
check_fcgi(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	const struct gw_bk *b = &ex->b;
	const char *v = w->v;

	if (!b->accepted || b->nrec == 0) {
		gc_fail(g, "FastCGI records", "none arrived");
		return;
	}
	if (strcmp(v, "begin") == 0 && !b->begin_first)
		gc_fail(g, "FCGI_BEGIN_REQUEST first", "another record type");
	else if (strcmp(v, "role") == 0 && b->role != REC_RESPONDER)
		gc_fail(g, "role 1 (FCGI_RESPONDER)", "role %u", b->role);
	else if (strcmp(v, "id") == 0 && b->begin_id == 0)
		gc_fail(g, "a request id other than 0 (§3.3)", "id 0");
	else if (strcmp(v, "sameid") == 0 && b->id_mismatch)
		gc_fail(g, "every record with the BEGIN_REQUEST id",
			"%u records with another id", b->id_mismatch);
	else if (strcmp(v, "flags") == 0 && (b->flags & ~1u))
		gc_fail(g, "flags 0 or FCGI_KEEP_CONN", "flags 0x%x", b->flags);
	else if (strcmp(v, "reserved") == 0 && b->reserved_nonzero)
		gc_fail(g, "reserved bytes zero (§5.1)", "non-zero");
	else if (strcmp(v, "params-term") == 0 && b->params_term != 1)
		gc_fail(g, "one empty FCGI_PARAMS ending the stream",
			"%u empty PARAMS records", b->params_term);
	else if (strcmp(v, "stdin-term") == 0 && b->stdin_term != 1)
		gc_fail(g, "one empty FCGI_STDIN ending the stream",
			"%u empty STDIN records", b->stdin_term);
	else if (strcmp(v, "after-stdin") == 0 && b->after_stdin)
		gc_fail(g, "nothing after the empty STDIN", "%u more records",
			b->after_stdin);
	else if (strcmp(v, "params-nonempty") == 0 && b->params_records == 0)
		gc_fail(g, "parameters in PARAMS records", "none");
	else if (strcmp(v, "pairs") == 0 && b->err[0])
		gc_fail(g, "well-formed records and pairs", "%s", b->err);
	else if (strcmp(v, "stdin-split") == 0 && b->stdin_records < 2)
		gc_fail(g, "a 200 KB body in several STDIN records",
			"%u records", b->stdin_records);
	else if (strcmp(v, "no-stdin-data") == 0 && b->stdin_records)
		gc_fail(g, "no STDIN data for an empty body",
			"%u STDIN records with data", b->stdin_records);
}

static void
check_pkt(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	const struct gw_bk *b = &ex->b;
	const char *v = w->v;
	int e = b->perr;

	if (!b->accepted || b->raw.len == 0) {
		gc_fail(g, "a request packet", "nothing arrived");
		return;
	}
	b = &ex->b;
#define err_of(b) pkt_strerror((enum pkt_err)(b)->perr)
	if (strcmp(v, "netstring") == 0 &&
		(e == PKT_E_LENGTH || e == PKT_E_COLON || e == PKT_E_COMMA ||
			e == PKT_E_PAIR || e == PKT_E_EMPTY_NAME))
		gc_fail(g, "a netstring of NUL-terminated pairs", "%s",
			err_of(b));
	else if (strcmp(v, "first-cl") == 0 &&
		(e == PKT_E_FIRST_CL || e == PKT_E_CL))
		gc_fail(g, "CONTENT_LENGTH first, decimal", "%s", err_of(b));
	else if (strcmp(v, "scgi1") == 0 && e == PKT_E_NO_SCGI)
		gc_fail(g, "SCGI=1", "%s", err_of(b));
	else if (strcmp(v, "dup") == 0 && e == PKT_E_DUP)
		gc_fail(g, "each header once", "%s", err_of(b));
	else if (strcmp(v, "vars") == 0 && e == PKT_E_VAR)
		gc_fail(g, "vars inside datasize", "%s", err_of(b));
	else if (strcmp(v, "mod1") == 0 && !b->err[0] && b->mod1 != 0)
		gc_fail(g, "modifier1 0 (WSGI request)", "modifier1 %u",
			b->mod1);
	else if (strcmp(v, "mod2") == 0 && !b->err[0] && b->mod2 != 0)
		gc_fail(g, "modifier2 0", "modifier2 %u", b->mod2);
}

static void
check_http_backend(struct gc *g, const struct gwc *w, struct gw_ex *ex)
{
	const struct http_head *h = &ex->b.head;
	const struct http_field *f;
	char want[300], got[200];
	size_t n;

	if (!need_backend(g, ex))
		return;
	gw_expand(g, w->v ? w->v : "", want, sizeof(want));
	switch (w->check) {
	case K_H_REQ:
		if (strcmp(w->k, "version") == 0 && h->major != 1)
			gc_fail(g, "HTTP/1.x", "HTTP/%u.%u", h->major,
				h->minor);
		else if (strcmp(w->k, "method") == 0 &&
			(h->mlen != strlen(want) ||
				memcmp(h->method, want, h->mlen) != 0))
			gc_fail(g, want, "%s",
				app_show(h->method, h->mlen, got, sizeof(got)));
		else if (strcmp(w->k, "target") == 0 &&
			(h->tlen != strlen(want) ||
				memcmp(h->target, want, h->tlen) != 0))
			gc_fail(g, want, "%s",
				app_show(h->target, h->tlen, got, sizeof(got)));
		else if (strcmp(w->k, "host") == 0 &&
			http_count(h, "Host") != 1)
			gc_fail(g, "exactly one Host (RFC 9112 §3.2)",
				"%u Host fields", http_count(h, "Host"));
		else if (strcmp(w->k, "syntax") == 0 && h->problems)
			gc_fail(g, "a clean request head", "%s",
				http_problem_str(h->problems & -h->problems));
		else if (strcmp(w->k, "one-cl") == 0 &&
			(h->problems & (HTTP_P_DUP_CL | HTTP_P_CL_TE)))
			gc_fail(g, "one framing header", "%s",
				http_problem_str(h->problems &
					(HTTP_P_DUP_CL | HTTP_P_CL_TE)));
		break;
	case K_H_ABSENT:
		if ((f = http_field(h, w->k, 0)) != NULL)
			gc_fail(g, "not forwarded (hop-by-hop)", "%s: %s", w->k,
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	case K_H_EQ:
		f = http_field(h, w->k, 0);
		if (f == NULL)
			gc_fail(g, want, "no %s", w->k);
		else if (f->vlen != strlen(want) ||
			memcmp(f->value, want, f->vlen) != 0)
			gc_fail(g, want, "%s: %s", w->k,
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	case K_H_XFF:
		f = http_field(h, "X-Forwarded-For", 0);
		n = strlen(want);
		if (f == NULL)
			gc_fail(g, want, "no X-Forwarded-For");
		else if (f->vlen < n ||
			memcmp(f->value + f->vlen - n, want, n) != 0 ||
			(w->k &&
				memmem(f->value, f->vlen, w->k, strlen(w->k)) ==
					NULL))
			gc_fail(g, want, "X-Forwarded-For: %s",
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	case K_H_FWD: {
		/* forwarded-element = [ pair ] *( ";" [ pair ] ),
		   pair = token "=" value (RFC 7239 §4) */
		size_t i;
		int ok = 1;
		f = http_field(h, "Forwarded", 0);
		if (f == NULL) {
			gc_warn(g, "Forwarded (RFC 7239)", "not sent");
			break;
		}
		for (i = 0; i < f->vlen; i++) {
			unsigned char ch = (unsigned char)f->value[i];
			if (ch < 0x20 || ch == 0x7f)
				ok = 0;
		}
		if (memmem(f->value, f->vlen, "for=", 4) == NULL &&
			memmem(f->value, f->vlen, "For=", 4) == NULL)
			ok = 0;
		if (w->k &&
			memmem(f->value, f->vlen, w->k, strlen(w->k)) == NULL)
			ok = 0;
		if (ok &&
			memmem(f->value, f->vlen, "for=127.0.0.1", 13) ==
				NULL &&
			memmem(f->value, f->vlen, "for=\"127.0.0.1", 14) ==
				NULL)
			ok = 0;
		if (!ok)
			gc_fail(g,
				w->k ? "the earlier element kept, then "
				       "for=127.0.0.1"
				     : "for=127.0.0.1 in RFC 7239 syntax",
				"Forwarded: %s",
				app_show(f->value, f->vlen, got, sizeof(got)));
		break;
	}
	default: break;
	}
}

static void c_gw(struct gc *g, const struct gc_case *c);

#define S_ENV    "RFC 3875 §4.1 meta-variables"
#define S_PATH   "RFC 3875 §4.1.5, §4.1.13 PATH_INFO and SCRIPT_NAME"
#define S_SEC    "conformance-fuzz §4 security"
#define S_BODY   "request body integrity"
#define S_FCGI   "FastCGI 1.0 records as sent"
#define S_PKT    "SCGI and uwsgi framing as sent"
#define S_PROXY  "RFC 9110 §7.6 proxy request"
#define S_FWD    "RFC 7239 and X-Forwarded-*"
#define S_RESP   "RFC 3875 §6 response translation"
#define S_MSG    "RFC 9110 §6 response framing"
#define S_FAIL   "backend failure handling"
#define S_STREAM "streaming"
#define S_WS     "RFC 6455 upgrade passthrough"

#define CF     GC_GW_CGIFAM
#define ALL    GC_GW_ALL
#define W(...) __VA_ARGS__
#define SC(r_, ...)                                                            \
	{                                                                      \
		.req = r_, __VA_ARGS__                                         \
	}
#define R_OK .reply = OK, .reply_pattern = 64

/* id, section, level, rule, desc, outcomes, proto, scenario+check */
#define CASE(id, sec, lvl, rule, desc, outc, proto, ...)                       \
	{                                                                      \
		.c = {id, sec, lvl, rule, desc, outc, proto, 0, c_gw, 0},      \
		__VA_ARGS__                                                    \
	}

static const struct gwc table[] = {
	/* --- meta-variables (RFC 3875 §4.1) --- */
	CASE("GW-ENV-001", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.12)",
		"REQUEST_METHOD is the request's method", "GET", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "REQUEST_METHOD", .v = "GET")),
	CASE("GW-ENV-002", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.12)",
		"REQUEST_METHOD for a POST", "POST", CF,
		W(.s = SC(POST("/info", ""), .body_pattern = 10, R_OK),
			.check = K_ENV_EQ, .k = "REQUEST_METHOD", .v = "POST")),
	CASE("GW-ENV-003", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.7)",
		"QUERY_STRING is the query exactly as sent, not decoded",
		"a=1&b=%20c", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "QUERY_STRING", .v = "a=1&b=%%20c")),
	CASE("GW-ENV-004", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.7)",
		"QUERY_STRING is set, empty, when there is no query", "\"\"",
		CF,
		W(.s = SC(GET("/info"), R_OK), .check = K_ENV_EQ,
			.k = "QUERY_STRING", .v = "")),
	CASE("GW-ENV-005", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.16)",
		"SERVER_PROTOCOL is the request's version", "HTTP/1.1", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "SERVER_PROTOCOL", .v = "HTTP/1.1")),
	CASE("GW-ENV-006", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.16)",
		"SERVER_PROTOCOL for an HTTP/1.0 request", "HTTP/1.0", CF,
		W(.s = SC("GET %P/info HTTP/1.0\r\n" HOST "\r\n", R_OK),
			.check = K_ENV_EQ, .k = "SERVER_PROTOCOL",
			.v = "HTTP/1.0")),
	CASE("GW-ENV-007", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.4)",
		"GATEWAY_INTERFACE is CGI/1.1", "CGI/1.1", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "GATEWAY_INTERFACE", .v = "CGI/1.1")),
	CASE("GW-ENV-008", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.2)",
		"CONTENT_LENGTH is the body's size", "100", CF,
		W(.s = SC(POST("/info", ""), .body_pattern = 100, R_OK),
			.check = K_ENV_EQ, .k = "CONTENT_LENGTH", .v = "100")),
	CASE("GW-ENV-009", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.2)",
		"CONTENT_LENGTH unset (or 0) without a body",
		"unset, or 0 as lighttpd", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_OPT_EQ,
			.k = "CONTENT_LENGTH", .v = "0")),
	CASE("GW-ENV-010", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.3)",
		"CONTENT_TYPE is the request's Content-Type",
		"application/octet-stream", CF,
		W(.s = SC(POST("/info", ""), .body_pattern = 10, R_OK),
			.check = K_ENV_EQ, .k = "CONTENT_TYPE",
			.v = "application/octet-stream")),
	CASE("GW-ENV-011", S_ENV, GC_SHOULD, "CGI-ENV (RFC 3875 §4.1.3)",
		"CONTENT_TYPE unset when the request has none",
		"unset; empty is a WARN", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EMPTY_OK,
			.k = "CONTENT_TYPE")),
	CASE("GW-ENV-012", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.14)",
		"SERVER_NAME is the Host without the port", "URL host", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "SERVER_NAME",
			.v = "%h")),
	CASE("GW-ENV-013", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.15)",
		"SERVER_PORT is the port the request came in on", "URL port",
		CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "SERVER_PORT",
			.v = "%p")),
	CASE("GW-ENV-014", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.8)",
		"REMOTE_ADDR is the client's address", "127.0.0.1", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "REMOTE_ADDR",
			.v = "127.0.0.1")),
	CASE("GW-ENV-015", S_ENV, GC_SHOULD, "CGI-ENV (lighttpd's set)",
		"REMOTE_PORT is the client's port", "the client's port", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "REMOTE_PORT",
			.v = "%c")),
	CASE("GW-ENV-016", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.17)",
		"SERVER_SOFTWARE is set", "any value", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_SET,
			.k = "SERVER_SOFTWARE")),
	CASE("GW-ENV-017", S_ENV, GC_MUST, "CGI-ENV-HTTP-1 (§4.1.18)",
		"a request header becomes HTTP_ with - as _",
		"HTTP_X_GC_TEST=hello", CF,
		W(.s = SC(GETH("/info", "X-Gc-Test: hello\r\n"), R_OK),
			.check = K_ENV_EQ, .k = "HTTP_X_GC_TEST",
			.v = "hello")),
	CASE("GW-ENV-018", S_ENV, GC_MUST, "CGI-ENV-HTTP-1 (§4.1.18)",
		"header names with digits and mixed case map to upper case",
		"HTTP_X_GC_2_B=v", CF,
		W(.s = SC(GETH("/info", "x-gC-2-b: v\r\n"), R_OK),
			.check = K_ENV_EQ, .k = "HTTP_X_GC_2_B", .v = "v")),
	CASE("GW-ENV-019", S_ENV, GC_MUST, "CGI-ENV-HTTP-2 (§4.1.18)",
		"repeated header fields arrive as one variable joined by \", "
		"\"",
		"HTTP_X_GC_MULTI=a, b", CF,
		W(.s = SC(GETH("/info", "X-Gc-Multi: a\r\nX-Gc-Multi: b\r\n"),
			  R_OK),
			.check = K_ENV_EQ, .k = "HTTP_X_GC_MULTI",
			.v = "a, b")),
	CASE("GW-ENV-020", S_ENV, GC_MUST, "CGI-ENV-HTTP-2 (§4.1.18)",
		"no meta-variable is sent twice", "each name once", CF,
		W(.s = SC(GETH("/info", "X-Gc-Multi: a\r\nX-Gc-Multi: b\r\n"),
			  R_OK),
			.check = K_ENV_ONCE)),
	CASE("GW-ENV-021", S_ENV, GC_MUST, "CGI-ENV-GEN-1 (§4.1)",
		"meta-variable names are letters, digits and underscores",
		"[A-Za-z0-9_]+", CF,
		W(.s = SC(GETH("/info", "X-Gc-Test: hello\r\n"), R_OK),
			.check = K_ENV_NAMES)),
	CASE("GW-ENV-022", S_ENV, GC_MUST, "CGI-ENV-HTTP-1 (§4.1.18)",
		"HTTP_HOST is the Host header", "URL authority", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "HTTP_HOST",
			.v = "%A")),
	CASE("GW-ENV-023", S_ENV, GC_SHOULD, "CGI-ENV (lighttpd's set)",
		"REQUEST_URI is the original target, undecoded",
		"/P/info/x?a=1&b=%20c", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "REQUEST_URI",
			.v = "%P/info/x?a=1&b=%%20c")),
	CASE("GW-ENV-024", S_ENV, GC_SHOULD, "CGI-ENV (lighttpd's set)",
		"REDIRECT_STATUS=200 (PHP's force-redirect)", "200", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "REDIRECT_STATUS", .v = "200")),
	CASE("GW-ENV-025", S_ENV, GC_SHOULD, "CGI-ENV (lighttpd's set)",
		"REQUEST_SCHEME is http", "http", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ,
			.k = "REQUEST_SCHEME", .v = "http")),
	CASE("GW-ENV-026", S_ENV, GC_MUST, "CGI-ENV-HTTPS-1",
		"HTTPS is not \"on\" for a plain connection", "unset", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_NOT, .k = "HTTPS",
			.v = "on")),
	CASE("GW-ENV-027", S_ENV, GC_SHOULD, "CGI-ENV (lighttpd's set)",
		"SERVER_ADDR is set", "the local address", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_SET,
			.k = "SERVER_ADDR")),
	CASE("GW-ENV-028", S_ENV, GC_MAY, "CGI-ENV (lighttpd's set)",
		"DOCUMENT_ROOT is set", "any value", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_SET,
			.k = "DOCUMENT_ROOT")),
	CASE("GW-ENV-029", S_ENV, GC_MUST, "CGI-ENV (RFC 3875 §4.1.2)",
		"CONTENT_LENGTH is 0 or unset for an empty POST", "0 or unset",
		CF,
		W(.s = SC(POST("/info", ""), R_OK), .check = K_ENV_OPT_EQ,
			.k = "CONTENT_LENGTH", .v = "0")),
	CASE("GW-ENV-030", S_ENV, GC_MUST, "CGI-ENV-HTTP-1 (§4.1.18)",
		"a header value keeps inner spaces and punctuation",
		"a  b;c=\"d\"", CF,
		W(.s = SC(GETH("/info", "X-Gc-Val: a  b;c=\"d\"\r\n"), R_OK),
			.check = K_ENV_EQ, .k = "HTTP_X_GC_VAL",
			.v = "a  b;c=\"d\"")),
	/* --- PATH_INFO / SCRIPT_NAME --- */
	CASE("GW-PATH-001", S_PATH, GC_MUST, "CGI-PATH-2 (§4.1.13)",
		"SCRIPT_NAME is the mount prefix", "/P", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "SCRIPT_NAME",
			.v = "%P")),
	CASE("GW-PATH-002", S_PATH, GC_MUST, "CGI-PATH-2 (§4.1.5)",
		"PATH_INFO is the path after the script", "/info/x", CF,
		W(.s = SC(DEF_GET, R_OK), .check = K_ENV_EQ, .k = "PATH_INFO",
			.v = "/info/x")),
	CASE("GW-PATH-003", S_PATH, GC_MUST, "CGI-PATH-2 (§4.1.5)",
		"PATH_INFO is URL-decoded", "/a b", CF,
		W(.s = SC(GET("/a%%20b"), R_OK), .check = K_ENV_EQ,
			.k = "PATH_INFO", .v = "/a b")),
	CASE("GW-PATH-004", S_PATH, GC_MUST, "CGI-PATH-2 (§4.1.5)",
		"PATH_INFO unset or empty for the script itself",
		"unset or empty", CF,
		W(.s = SC(GET(""), R_OK), .check = K_ENV_OPT_EQ,
			.k = "PATH_INFO", .v = "")),
	CASE("GW-PATH-005", S_PATH, GC_MUST, "CGI-PATH (RFC 3875 §4.1.6)",
		"PATH_TRANSLATED unset when PATH_INFO is unset",
		"unset (RFC 3875 §4.1.6)", CF,
		W(.s = SC(GET(""), R_OK), .check = K_ENV_UNSET_IF,
			.k = "PATH_TRANSLATED", .v = "PATH_INFO")),
	CASE("GW-PATH-006", S_PATH, GC_MUST, "CGI-PATH-2 (§4.1.5)",
		"SCRIPT_NAME + PATH_INFO is the decoded path",
		"SCRIPT_NAME /P with PATH_INFO /dir/file.txt", CF,
		W(.s = SC(GET("/dir/file.txt"), R_OK), .check = K_ENV_EQ,
			.k = "PATH_INFO", .v = "/dir/file.txt")),
	CASE("GW-PATH-007", S_PATH, GC_MUST, "CGI-PATH-7",
		"PATH_INFO keeps a trailing slash", "/d/", CF,
		W(.s = SC(GET("/d/"), R_OK), .check = K_ENV_EQ,
			.k = "PATH_INFO", .v = "/d/")),
	/* --- security: httpoxy, name collisions --- */
	CASE("GW-SEC-001", S_SEC, GC_MUST, "CGI-ENV-HTTP-4 (httpoxy)",
		"a Proxy header never becomes HTTP_PROXY (httpoxy)",
		"unset or empty", CF,
		W(.s = SC(GETH("/info", "Proxy: http://evil.example:1/\r\n"),
			  R_OK),
			.check = K_ENV_NOT, .k = "HTTP_PROXY", .v = "evil")),
	CASE("GW-SEC-002", S_SEC, GC_MUST, "CGI-ENV-HTTP-5",
		"X-Gc_Dup cannot override X-Gc-Dup's HTTP_X_GC_DUP",
		"400, or the underscore header dropped", CF,
		W(.s = SC(GETH("/info", "X-Gc-Dup: good\r\nX-Gc_Dup: evil\r\n"),
			  R_OK),
			.check = K_ENV_REJECT_NOT, .k = "HTTP_X_GC_DUP",
			.v = "evil")),
	CASE("GW-SEC-003", S_SEC, GC_MUST, "CGI-ENV-HTTP-5",
		"X-Forwarded_For cannot forge HTTP_X_FORWARDED_FOR",
		"400, or the underscore header dropped", CF,
		W(.s = SC(GETH("/info", "X-Forwarded_For: 6.6.6.6\r\n"), R_OK),
			.check = K_ENV_REJECT_NOT, .k = "HTTP_X_FORWARDED_FOR",
			.v = "6.6.6.6")),
	CASE("GW-SEC-004", S_SEC, GC_MUST, "CGI-ENV-HTTP-5",
		"Content_Type cannot replace CONTENT_TYPE",
		"CONTENT_TYPE from Content-Type only", CF,
		W(.s = SC(POST("/info", "Content_Type: text/evil\r\n"),
			  .body_pattern = 4, R_OK),
			.check = K_ENV_REJECT_NOT, .k = "CONTENT_TYPE",
			.v = "evil")),
	CASE("GW-SEC-005", S_SEC, GC_MUST, "CGI-ENV-HTTP-5",
		"a Content-Length header cannot replace CONTENT_LENGTH",
		"CONTENT_LENGTH is the real body size", CF,
		W(.s = SC(POST("/info", "Content_Length: 999\r\n"),
			  .body_pattern = 4, R_OK),
			.check = K_ENV_REJECT_NOT, .k = "CONTENT_LENGTH",
			.v = "999")),
	CASE("GW-SEC-006", S_SEC, GC_MUST, "CGI-ENV-HTTP-8",
		"a header named like a meta-variable stays under HTTP_",
		"PATH_INFO not taken from a Path-Info header", CF,
		W(.s = SC(GETH("/info", "Path-Info: /evil\r\n"), R_OK),
			.check = K_ENV_NOT, .k = "PATH_INFO", .v = "evil")),
	CASE("GW-SEC-007", S_SEC, GC_MUST, "CGI-ENV-HTTP-8",
		"a Script-Name header cannot set SCRIPT_NAME",
		"SCRIPT_NAME from the URL", CF,
		W(.s = SC(GETH("/info", "Script-Name: /evil\r\n"), R_OK),
			.check = K_ENV_NOT, .k = "SCRIPT_NAME", .v = "evil")),
	CASE("GW-SEC-008", S_SEC, GC_MUST, "CGI-ENV-HTTP-8",
		"an encoded newline in the path does not become a variable",
		"no HTTP_X_EVIL, or the request is refused", CF,
		W(.s = SC(GET("/a%%0aX-Evil:1"), R_OK),
			.check = K_ENV_REJECT_NOT, .k = "HTTP_X_EVIL",
			.v = "1")),
	/* --- body integrity --- */
	CASE("GW-BODY-001", S_BODY, GC_MUST, "RFC 3875 §4.2",
		"a Content-Length body arrives intact", "100 bytes", ALL,
		W(.s = SC(POST("/info", ""), .body_pattern = 100, R_OK),
			.check = K_BODY)),
	CASE("GW-BODY-002", S_BODY, GC_MUST, "RFC 9112 §7.1; RFC 3875 §4.2",
		"a chunked body arrives de-chunked with an exact length",
		"5000 bytes, CONTENT_LENGTH 5000; 411 is a WARN", ALL,
		W(.s = SC(POSTC("/info"), .body_pattern = 5000, .chunk_body = 1,
			  R_OK),
			.check = K_BODY)),
	CASE("GW-BODY-003", S_BODY, GC_MUST, "RFC 3875 §4.2",
		"a 200 KB body arrives intact", "204800 bytes", ALL,
		W(.s = SC(POST("/info", ""), .body_pattern = 204800, R_OK),
			.check = K_BODY)),
	CASE("GW-BODY-004", S_BODY, GC_MUST, "RFC 3875 §4.2",
		"no body bytes for a GET", "none", ALL,
		W(.s = SC(DEF_GET, R_OK), .check = K_BODY_EMPTY)),
	CASE("GW-BODY-005", S_BODY, GC_MUST, "PROXY-REQ-2 (RFC 9110 §10.1.1)",
		"Expect: 100-continue still delivers the body", "64 bytes", ALL,
		W(.s = SC(POST("/info", "Expect: 100-continue\r\n"),
			  .body_pattern = 64, R_OK),
			.check = K_BODY)),
	CASE("GW-BODY-006", S_BODY, GC_MUST, "RFC 9112 §7.1.2",
		"chunk extensions and trailers do not reach the body",
		"the data bytes only", ALL,
		W(.s = SC("POST %P/info HTTP/1.1\r\n" HOST CLOSE
			  "Transfer-Encoding: chunked\r\n\r\n"
			  "a;ext=1\r\n0123456789\r\n0\r\nX-Gc-Trailer: t\r\n"
			  "\r\n",
			  .body_pattern = 10, .body_in_req = 1, R_OK),
			.check = K_BODY, .k = "trailer")),
	/* --- FastCGI records as sent --- */
	CASE("GW-FCGI-001", S_FCGI, GC_MUST, "FCGI-BEGIN-2 (§5.1)",
		"the first record is FCGI_BEGIN_REQUEST", "BEGIN_REQUEST",
		GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "begin")),
	CASE("GW-FCGI-002", S_FCGI, GC_MUST, "FCGI-BEGIN-2 (§5.1, §6)",
		"role is FCGI_RESPONDER", "1", GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "role")),
	CASE("GW-FCGI-003", S_FCGI, GC_MUST, "FCGI-REC-4 (§3.3)",
		"the request id is not 0 (0 is management)", "1..65535",
		GC_FCGI, W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "id")),
	CASE("GW-FCGI-004", S_FCGI, GC_MUST, "FCGI-REC-5 (§3.3)",
		"every record carries the BEGIN_REQUEST's id", "one id",
		GC_FCGI,
		W(.s = SC(POST("/info", ""), .body_pattern = 70000, R_OK),
			.check = K_FCGI, .v = "sameid")),
	CASE("GW-FCGI-005", S_FCGI, GC_MUST, "FCGI-BEGIN-2 (§5.1)",
		"flags hold only FCGI_KEEP_CONN", "0 or 1", GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "flags")),
	CASE("GW-FCGI-006", S_FCGI, GC_SHOULD, "FCGI-BEGIN-2 (§5.1)",
		"BEGIN_REQUEST's reserved bytes are zero", "5 zero bytes",
		GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "reserved")),
	CASE("GW-FCGI-007", S_FCGI, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"PARAMS ends with exactly one empty record", "1", GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "params-term")),
	CASE("GW-FCGI-008", S_FCGI, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"STDIN ends with exactly one empty record", "1", GC_FCGI,
		W(.s = SC(POST("/info", ""), .body_pattern = 100, R_OK),
			.check = K_FCGI, .v = "stdin-term")),
	CASE("GW-FCGI-009", S_FCGI, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"the empty STDIN is sent even without a body", "1", GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI, .v = "stdin-term")),
	CASE("GW-FCGI-010", S_FCGI, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"nothing follows the empty STDIN for the request", "none",
		GC_FCGI,
		W(.s = SC(POST("/info", ""), .body_pattern = 100, R_OK),
			.check = K_FCGI, .v = "after-stdin")),
	CASE("GW-FCGI-011", S_FCGI, GC_MUST, "FCGI-NV-1 (§3.4)",
		"records and name-value pairs decode cleanly", "valid lengths",
		GC_FCGI,
		W(.s = SC(GETH("/info",
				  "X-Gc-Long: "
				  "01234567890123456789012345678901234567890123"
				  "45678901"
				  "23456789012345678901234567890123456789012345"
				  "67890123"
				  "456789\r\n"),
			  R_OK),
			.check = K_FCGI, .v = "pairs")),
	CASE("GW-FCGI-012", S_FCGI, GC_MUST, "FCGI-NV-6 (§5.2)",
		"parameters arrive in non-empty PARAMS records", ">= 1",
		GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI,
			.v = "params-nonempty")),
	CASE("GW-FCGI-013", S_FCGI, GC_MUST, "FCGI-REC-1 (§3.3)",
		"a body over 65535 bytes spans several STDIN records",
		">= 2 records", GC_FCGI,
		W(.s = SC(POST("/info", ""), .body_pattern = 204800, R_OK),
			.check = K_FCGI, .v = "stdin-split")),
	CASE("GW-FCGI-014", S_FCGI, GC_MUST, "FCGI-STREAM-2 (§3.3)",
		"an empty body sends no STDIN data", "only the empty STDIN",
		GC_FCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_FCGI,
			.v = "no-stdin-data")),
	CASE("GW-FCGI-015", S_FCGI, GC_MUST, "FCGI-REC-6 (§5.3)",
		"FCGI_STDERR output never reaches the client",
		"not in the body", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_STDERR),
			.check = K_RBODY_NOT, .v = "GC-STDERR")),
	CASE("GW-FCGI-016", S_FCGI, GC_MUST, "FCGI-REC-3 (§3.3)",
		"padding bytes of STDOUT records are dropped",
		"the body without padding", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_PAD),
			.check = K_RBODY)),
	CASE("GW-FCGI-017", S_FCGI, GC_MUST, "FCGI-REC-8 (§3.3)",
		"a response split into 7-byte STDOUT records is reassembled",
		"the body", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_SPLIT),
			.check = K_RBODY)),
	CASE("GW-FCGI-018", S_FCGI, GC_SHOULD, "FCGI-END-3 (§5.5)",
		"END_REQUEST without the empty STDOUT still ends the response",
		"the body (PHP does this)", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_NOTERM),
			.check = K_RBODY)),
	CASE("GW-FCGI-019", S_FCGI, GC_MUST, "FCGI-REC-5 (§3.3)",
		"STDOUT for another request id never reaches the client",
		"not in the body", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_OTHERID),
			.check = K_RBODY_NOT, .v = "GC-OTHER-ID")),
	CASE("GW-FCGI-020", S_FCGI, GC_MUST, "FCGI-REC-2 (§3.3)",
		"a record with version 2 is not passed on as data",
		"502, a close, or the record dropped", GC_FCGI,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 64,
			  .rflags = GR_FCGI_BADVER),
			.check = K_NO_LIE)),
	/* --- SCGI and uwsgi framing --- */
	CASE("GW-PKT-001", S_PKT, GC_MUST, "SCGI-NS-1..4",
		"the header block is a netstring of NUL-terminated pairs",
		"len:pairs,", GC_SCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "netstring")),
	CASE("GW-PKT-002", S_PKT, GC_MUST, "SCGI-HDR-3, SCGI-HDR-4",
		"CONTENT_LENGTH is the first header, in decimal",
		"CONTENT_LENGTH first", GC_SCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "first-cl")),
	CASE("GW-PKT-003", S_PKT, GC_MUST, "SCGI-HDR-5",
		"the header SCGI with value 1 is present", "SCGI=1", GC_SCGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "scgi1")),
	CASE("GW-PKT-004", S_PKT, GC_MUST, "SCGI-HDR-6", "no header name twice",
		"each once", GC_SCGI,
		W(.s = SC(GETH("/info", "X-Gc-Multi: a\r\nX-Gc-Multi: b\r\n"),
			  R_OK),
			.check = K_PKT, .v = "dup")),
	CASE("GW-PKT-005", S_PKT, GC_MUST, "UWSGI-PKT-3",
		"modifier1 is 0 (a WSGI request)", "0", GC_UWSGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "mod1")),
	CASE("GW-PKT-006", S_PKT, GC_MUST, "UWSGI-ENC-2", "modifier2 is 0", "0",
		GC_UWSGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "mod2")),
	CASE("GW-PKT-007", S_PKT, GC_MUST, "UWSGI-VARS-2",
		"every var's lengths stay inside datasize", "consistent",
		GC_UWSGI,
		W(.s = SC(DEF_GET, R_OK), .check = K_PKT, .v = "vars")),
	/* --- HTTP proxy request --- */
	CASE("GW-PROXY-001", S_PROXY, GC_MUST, "PROXY-REQ-3 (RFC 9112 §3)",
		"the backend gets an HTTP/1.x request line", "HTTP/1.0 or 1.1",
		GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_REQ, .k = "version")),
	CASE("GW-PROXY-002", S_PROXY, GC_MUST, "PROXY-REQ-3",
		"the method is forwarded unchanged", "PUT", GC_HTTP,
		W(.s = SC("PUT %P/info HTTP/1.1\r\n" HOST CLOSE
			  "Content-Length: %L\r\n\r\n",
			  .body_pattern = 8, R_OK),
			.check = K_H_REQ, .k = "method", .v = "PUT")),
	CASE("GW-PROXY-003", S_PROXY, GC_MUST, "PROXY-TARGET-1",
		"the target path and query are forwarded unchanged",
		"/P/info/x?a=1&b=%20c", GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_REQ, .k = "target",
			.v = "%P/info/x?a=1&b=%%20c")),
	CASE("GW-PROXY-004", S_PROXY, GC_MUST, "PROXY-HOST-3 (RFC 9112 §3.2)",
		"the backend request has exactly one Host", "1", GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_REQ, .k = "host")),
	CASE("GW-PROXY-005", S_PROXY, GC_MUST, "PROXY-HOP-1 (RFC 9110 §7.6.1)",
		"a header named in Connection is not forwarded",
		"X-Gc-Hop removed", GC_HTTP,
		W(.s = SC("GET %P/info HTTP/1.1\r\n" HOST
			  "Connection: close, X-Gc-Hop\r\nX-Gc-Hop: 1\r\n\r\n",
			  R_OK),
			.check = K_H_ABSENT, .k = "X-Gc-Hop")),
	CASE("GW-PROXY-006", S_PROXY, GC_SHOULD,
		"PROXY-HOP-1 (RFC 9110 §7.6.1)", "Keep-Alive is not forwarded",
		"removed", GC_HTTP,
		W(.s = SC(GETH("/info", "Keep-Alive: timeout=5\r\n"), R_OK),
			.check = K_H_ABSENT, .k = "Keep-Alive")),
	CASE("GW-PROXY-007", S_PROXY, GC_SHOULD,
		"PROXY-HOP-4 (RFC 9110 §10.1.4)",
		"TE is not forwarded (other than \"trailers\")", "removed",
		GC_HTTP,
		W(.s = SC(GETH("/info", "TE: gzip\r\n"), R_OK),
			.check = K_H_ABSENT, .k = "TE")),
	CASE("GW-PROXY-008", S_PROXY, GC_SHOULD, "PROXY-HOP-5 (httpoxy)",
		"Proxy (httpoxy) is not forwarded", "removed", GC_HTTP,
		W(.s = SC(GETH("/info", "Proxy: http://evil.example:1/\r\n"),
			  R_OK),
			.check = K_H_ABSENT, .k = "Proxy")),
	CASE("GW-PROXY-009", S_PROXY, GC_SHOULD,
		"PROXY-HOP-1 (RFC 9110 §7.6.1)",
		"Proxy-Connection is not forwarded", "removed", GC_HTTP,
		W(.s = SC(GETH("/info", "Proxy-Connection: keep-alive\r\n"),
			  R_OK),
			.check = K_H_ABSENT, .k = "Proxy-Connection")),
	CASE("GW-PROXY-010", S_PROXY, GC_MUST, "PROXY-REQ-1 (RFC 9112 §6.1)",
		"the client's Transfer-Encoding is not forwarded with a "
		"different framing",
		"one framing header", GC_HTTP,
		W(.s = SC(POSTC("/info"), .body_pattern = 3000, .chunk_body = 1,
			  R_OK),
			.check = K_H_REQ, .k = "one-cl")),
	CASE("GW-PROXY-011", S_PROXY, GC_MUST, "RFC 9112 §5",
		"the backend request head is clean (CRLF, tokens, no fold)",
		"no problems", GC_HTTP,
		W(.s = SC(GETH("/info", "X-Gc-Test: a\r\n"), R_OK),
			.check = K_H_REQ, .k = "syntax")),
	CASE("GW-PROXY-012", S_PROXY, GC_MUST, "PROXY-HOP-2 (RFC 9110 §7.6)",
		"an end-to-end header is forwarded unchanged", "X-Gc-Test: v",
		GC_HTTP,
		W(.s = SC(GETH("/info", "X-Gc-Test: v w\r\n"), R_OK),
			.check = K_H_EQ, .k = "X-Gc-Test", .v = "v w")),
	CASE("GW-PROXY-013", S_PROXY, GC_SHOULD,
		"PROXY-UPG-3 (RFC 9110 §7.6.1)",
		"Upgrade is not forwarded when the request is not an upgrade "
		"the gateway tunnels",
		"removed, or tunnelled (see GW-WS-*)", GC_HTTP,
		W(.s = SC(GETH("/info", "Upgrade: h2c\r\n"), R_OK),
			.check = K_H_ABSENT, .k = "Upgrade")),
	/* --- forwarding headers --- */
	CASE("GW-FWD-001", S_FWD, GC_SHOULD, "PROXY-XFF-1",
		"X-Forwarded-For ends with the client address", "127.0.0.1",
		GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_XFF, .v = "127.0.0.1")),
	CASE("GW-FWD-002", S_FWD, GC_SHOULD, "PROXY-XFF-1",
		"an incoming X-Forwarded-For is kept and appended to",
		"192.0.2.1, 127.0.0.1", GC_HTTP,
		W(.s = SC(GETH("/info", "X-Forwarded-For: 192.0.2.1\r\n"),
			  R_OK),
			.check = K_H_XFF, .k = "192.0.2.1", .v = "127.0.0.1")),
	CASE("GW-FWD-003", S_FWD, GC_SHOULD, "PROXY-XFF-2",
		"X-Forwarded-Proto is http", "http", GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_EQ,
			.k = "X-Forwarded-Proto", .v = "http")),
	CASE("GW-FWD-004", S_FWD, GC_MAY, "PROXY-XFF-2",
		"X-Forwarded-Host is the client's Host", "URL authority",
		GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_EQ,
			.k = "X-Forwarded-Host", .v = "%A")),
	CASE("GW-FWD-005", S_FWD, GC_SHOULD, "PROXY-FWD-1 (RFC 7239 §4)",
		"Forwarded carries for=127.0.0.1 in RFC 7239 syntax",
		"for=127.0.0.1", GC_HTTP,
		W(.s = SC(DEF_GET, R_OK), .check = K_H_FWD)),
	CASE("GW-FWD-006", S_FWD, GC_SHOULD, "PROXY-FWD-15 (RFC 7239 §4)",
		"an incoming Forwarded element is kept, ours appended",
		"for=192.0.2.9, for=127.0.0.1", GC_HTTP,
		W(.s = SC(GETH("/info", "Forwarded: for=192.0.2.9\r\n"), R_OK),
			.check = K_H_FWD, .k = "192.0.2.9")),
	/* --- response translation --- */
	CASE("GW-RESP-001", S_RESP, GC_MUST, "CGI-RESP-STATUS-1 (§6.3.3)",
		"Status: 404 becomes the response status", "404", ALL,
		W(.s = SC(DEF_GET,
			  .reply =
				  "Status: 404 Not Found\r\nContent-Type: "
				  "text/plain\r\nContent-Length: 3\r\n\r\nnot"),
			.check = K_STATUS, .v = "404")),
	CASE("GW-RESP-002", S_RESP, GC_MUST, "CGI-RESP-STATUS-2 (§6.3.3)",
		"an unusual status passes through", "299", ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 299 Odd\r\nContent-Type: "
				   "text/plain\r\nContent-Length: 2\r\n\r\nok"),
			.check = K_STATUS, .v = "299")),
	CASE("GW-RESP-003", S_RESP, GC_MUST, "CGI-RESP-STATUS-3 (§6.2.3)",
		"Location with no Status gives 302", "302", CF,
		W(.s = SC(DEF_GET,
			  .reply = "Location: http://gc.example/next\r\n\r\n"),
			.check = K_REDIRECT, .v = "http://gc.example/next")),
	CASE("GW-RESP-004", S_RESP, GC_MUST, "CGI-RESP-LOC-5 (§6.2.4)",
		"Location with Status 301 keeps 301", "301", ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 301 Moved\r\nLocation: "
				   "http://gc.example/m\r\nContent-Length: "
				   "0\r\n\r\n"),
			.check = K_STATUS, .v = "301")),
	CASE("GW-RESP-005", S_RESP, GC_MUST, "CGI-RESP-LOC-2 (§6.3.2)",
		"an absolute Location passes unchanged", "http://gc.example/m",
		ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 301 Moved\r\nLocation: "
				   "http://gc.example/m\r\nContent-Length: "
				   "0\r\n\r\n"),
			.check = K_HDR_EQ, .k = "Location",
			.v = "http://gc.example/m")),
	CASE("GW-RESP-006", S_RESP, GC_MUST, "CGI-RESP-FIELD-8 (RFC 9110 §5.3)",
		"several Set-Cookie fields stay separate", "2 fields", ALL,
		W(.s = SC(DEF_GET,
			  .reply =
				  "Status: 200 OK\r\nContent-Type: "
				  "text/plain\r\n"
				  "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; "
				  "Expires=Wed, 21 Oct 2037 07:28:00 GMT\r\n"
				  "Content-Length: 2\r\n\r\nok"),
			.check = K_HDR_COUNT, .k = "Set-Cookie", .v = "2")),
	CASE("GW-RESP-007", S_RESP, GC_SHOULD, "CGI-RESP-STATUS-1 (§6.3.3)",
		"the CGI Status field is not forwarded to the client",
		"no Status field", CF,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nContent-Type: "
				   "text/plain\r\nContent-Length: 2\r\n\r\nok"),
			.check = K_HDR_ABSENT, .k = "Status")),
	CASE("GW-RESP-008", S_RESP, GC_MUST, "CGI-RESP-CT-1 (§6.3.1)",
		"Content-Type passes through", "text/x-gc; charset=utf-8", ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nContent-Type: text/x-gc; "
				   "charset=utf-8\r\nContent-Length: "
				   "2\r\n\r\nok"),
			.check = K_HDR_EQ, .k = "Content-Type",
			.v = "text/x-gc; charset=utf-8")),
	CASE("GW-RESP-009", S_RESP, GC_MUST, "CGI-NPH-1 (§5)",
		"an NPH status line is honoured or refused, never shown as "
		"body",
		"299, or 502 (WARN)", GC_SCGI | GC_UWSGI | GC_FCGI,
		W(.s = SC(DEF_GET,
			  .reply = "HTTP/1.1 299 Odd\r\nContent-Type: "
				   "text/plain\r\nContent-Length: 2\r\n\r\nok"),
			.check = K_NPH)),
	CASE("GW-RESP-010", S_RESP, GC_MUST, "CGI-RESP-CL-3",
		"a Content-Length body reaches the client intact", "4096 bytes",
		ALL,
		W(.s = SC(DEF_GET, .reply = OK, .reply_pattern = 4096),
			.check = K_RBODY)),
	CASE("GW-RESP-011", S_RESP, GC_MUST, "PROXY-RESP-2 (RFC 9112 §6.3)",
		"a body without Content-Length reaches the client intact and "
		"framed",
		"chunked or close-delimited", ALL,
		W(.s = SC(DEF_GET, .reply = OKNOCL, .reply_pattern = 3000),
			.check = K_RBODY)),
	CASE("GW-RESP-012", S_RESP, GC_MUST, "CGI-RESP-CL-3",
		"a 300 KB response reaches the client intact", "307200 bytes",
		ALL,
		W(.s = SC(DEF_GET, .reply = OK, .reply_pattern = 307200),
			.check = K_RBODY)),
	CASE("GW-RESP-013", S_RESP, GC_MUST, "CGI-RESP-LINE-1 (§6.3.4)",
		"LF-only line ends in the CGI head are accepted", "200 + body",
		CF,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\nContent-Type: "
				   "text/plain\n\nlf-body"),
			.check = K_RBODY)),
	CASE("GW-RESP-014", S_RESP, GC_MUST, "CGI-RESP-FIELD-4 (RFC 9112 §5.2)",
		"an obs-folded backend header is unfolded or refused",
		"no fold reaches the client", ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nContent-Type: "
				   "text/plain\r\nX-Gc-Fold: a\r\n "
				   "b\r\nContent-Length: 2\r\n\r\nok"),
			.check = K_HDR_NOFOLD)),
	CASE("GW-RESP-015", S_RESP, GC_MUST, "CGI-RESP-LINE-2 (RFC 9110 §5.5)",
		"a bare CR in a backend header value is not forwarded",
		"the field dropped, CR replaced by SP, or 502", ALL,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nContent-Type: "
				   "text/plain\r\nX-Gc-Ctl: a\rb\r\n"
				   "Content-Length: 2\r\n\r\nok"),
			.check = K_HDR_NOCR)),
	CASE("GW-RESP-016", S_RESP, GC_MUST, "PROXY-RESP-2 (RFC 9110 §9.3.2)",
		"no body in the response to HEAD", "head only", ALL,
		W(.s = SC("HEAD %P/info HTTP/1.1\r\n" HOST "\r\n", R_OK,
			  .second = 1),
			.check = K_NOBODY)),
	CASE("GW-RESP-017", S_RESP, GC_MUST, "PROXY-RESP-2 (RFC 9110 §15.3.5)",
		"no body after a 204 even if the backend sends one",
		"head only", ALL,
		W(.s = SC(GET("/info"),
			  .reply = "Status: 204 No Content\r\n\r\nGC-BODY-204",
			  .second = 0),
			.check = K_NOBODY)),
	CASE("GW-RESP-018", S_RESP, GC_MUST, "PROXY-RESP-2 (RFC 9110 §15.4.5)",
		"no body after a 304 even if the backend sends one",
		"head only", ALL,
		W(.s = SC(GET("/info"),
			  .reply = "Status: 304 Not "
				   "Modified\r\n\r\nGC-BODY-304"),
			.check = K_NOBODY)),
	CASE("GW-RESP-019", S_RESP, GC_MUST, "CGI-RESP-CL-3 (RFC 9110 §8.6)",
		"bytes beyond the backend's Content-Length never reach the "
		"client",
		"truncated to Content-Length, or 502", ALL,
		W(.s = SC("GET %P/info HTTP/1.1\r\n" HOST "\r\n",
			  .reply = "Status: 200 OK\r\nContent-Type: text/plain"
				   "\r\nContent-Length: 5\r\n\r\nhelloEXTRA"
				   "HTTP/1.1 200 OK\r\nContent-Length: "
				   "0\r\n\r\n",
			  .second = 1),
			.check = K_EXTRA)),
	CASE("GW-RESP-020", S_RESP, GC_MUST, "CGI-RESP-TE-1 (RFC 9112 §7.1)",
		"a chunked backend body is decoded, not passed as data",
		"the decoded body", CF,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nContent-Type: "
				   "text/plain\r\nTransfer-Encoding: "
				   "chunked\r\n\r\n5\r\nhello\r\n0\r\n"
				   "\r\n"),
			.check = K_RBODY_NOT, .v = "5\r\nhello")),
	CASE("GW-RESP-021", S_RESP, GC_MUST, "CGI-RESP-STATUS-1 (§6.3.3)",
		"an invalid Status value gives 502, not a made-up status",
		"502", CF,
		W(.s = SC(DEF_GET,
			  .reply = "Status: abc\r\nContent-Type: "
				   "text/plain\r\n\r\nbad"),
			.check = K_FAILED)),
	CASE("GW-RESP-022", S_RESP, GC_MUST, "CGI-RESP-LIMIT-1",
		"a response head with no end (70 KB of header) fails cleanly",
		"502 or a close", ALL,
		W(.s = SC(DEF_GET, .reply = "Status: 200 OK\r\nX-Gc-Big: ",
			  .reply_pattern = 70000, .act = GA_REPLY),
			.check = K_FAILED)),
	CASE("GW-RESP-023", S_RESP, GC_MUST, "CGI-RESP-CGI-1 (§6.3)",
		"output with no header at all is not served as 200",
		"502 (or lighttpd's CGI leniency: 200)",
		GC_FCGI | GC_SCGI | GC_UWSGI,
		W(.s = SC(DEF_GET, .reply = "just some text\r\n"),
			.check = K_FAILED)),
	CASE("GW-RESP-024", S_RESP, GC_MUST, "PROXY-HOP-6 (RFC 9110 §7.6.1)",
		"the backend's Keep-Alive and Connection-named headers are not "
		"forwarded",
		"removed", GC_HTTP,
		W(.s = SC(DEF_GET,
			  .reply = "Status: 200 OK\r\nConnection: "
				   "X-Gc-Hop\r\nX-Gc-Hop: 1\r\n"
				   "Content-Length: 2\r\n\r\nok"),
			.check = K_HDR_ABSENT, .k = "X-Gc-Hop")),
	/* --- streaming --- */
	CASE("GW-STREAM-001", S_STREAM, GC_SHOULD,
		"lighttpd stream-response-body",
		"the first body bytes reach the client before the backend "
		"finishes",
		"streamed; buffering is a WARN", ALL,
		W(.s = SC(DEF_GET, .act = GA_STREAM, .reply = OKNOCL,
			  .reply_pattern = 2000),
			.check = K_STREAM)),
	CASE("GW-STREAM-002", S_STREAM, GC_MUST, "RFC 3875 §6",
		"a streamed body is complete at the end", "the body", ALL,
		W(.s = SC(DEF_GET, .act = GA_STREAM, .reply = OKNOCL,
			  .reply_pattern = 2000),
			.check = K_RBODY)),
	/* --- upgrade --- */
	CASE("GW-WS-001", S_WS, GC_SHOULD, "WS-TUN-1, WS-GW-1 (RFC 6455 §4)",
		"a WebSocket upgrade is tunnelled both ways, or not passed on",
		"101 tunnel; Upgrade removed is a WARN", GC_HTTP,
		W(.s = SC("GET %P/ws HTTP/1.1\r\n" HOST
			  "Connection: Upgrade\r\nUpgrade: websocket\r\n"
			  "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
			  "dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
			  .act = GA_UPGRADE,
			  .reply =
				  "Status: 101 Switching Protocols\r\nUpgrade: "
				  "websocket\r\nConnection: Upgrade\r\n"
				  "Sec-WebSocket-Accept: "
				  "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
			.check = K_UPGRADE)),
	/* --- failures --- */
	CASE("GW-FAIL-001", S_FAIL, GC_MUST,
		"CGI-RESP-ERR-1 (RFC 9110 §15.6.3)",
		"backend refuses the connection", "502 or 503", ALL,
		W(.s = SC(DEF_GET, .act = GA_REFUSE), .check = K_FAILED)),
	CASE("GW-FAIL-002", S_FAIL, GC_MUST,
		"CGI-RESP-ERR-1 (RFC 9110 §15.6.3)",
		"backend closes before sending a head", "502 or a close", ALL,
		W(.s = SC(DEF_GET, .act = GA_DIE_EARLY), .check = K_FAILED)),
	CASE("GW-FAIL-003", S_FAIL, GC_MUST, "PROXY-RESP-3 (RFC 9112 §8)",
		"backend dies mid-body (Content-Length given): never a "
		"complete response",
		"truncated, or 502", ALL,
		W(.s = SC(DEF_GET, .act = GA_DIE_MID, .reply = OK,
			  .reply_pattern = 4000),
			.check = K_NO_LIE)),
	CASE("GW-FAIL-004", S_FAIL, GC_MUST, "PROXY-RESP-3 (RFC 9112 §7.1)",
		"backend dies mid-body (no length): no last-chunk is made up",
		"no terminating chunk, or a close",
		GC_FCGI, /* elsewhere EOF is how a length-less body ends */
		W(.s = SC(DEF_GET, .act = GA_DIE_MID, .reply = OKNOCL,
			  .reply_pattern = 4000),
			.check = K_NO_LIE)),
	CASE("GW-FAIL-005", S_FAIL, GC_MUST, "RFC 9110 §15.6.5",
		"backend never answers: 504 from the gateway's timeout",
		"504/502 (WARN when slower than 4x --timeout)", ALL,
		W(.s = SC(DEF_GET, .act = GA_HANG), .check = K_FAILED)),
	CASE("GW-FAIL-006", S_FAIL, GC_MUST,
		"CGI-RESP-ERR-1 (RFC 9110 §15.6.3)",
		"backend sends garbage instead of the protocol",
		"502 or a close", ALL,
		W(.s = SC(DEF_GET, .act = GA_GARBAGE), .check = K_FAILED)),
	CASE("GW-FAIL-007", S_FAIL, GC_MUST,
		"CGI-RESP-ERR-1 (RFC 9110 §15.6.3)",
		"backend closes while the request body is on its way",
		"502 or a close, never 200", ALL,
		W(.s = SC(POST("/info", ""), .body_pattern = 300000,
			  .act = GA_DIE_READING),
			.check = K_FAILED)),
	CASE("GW-FAIL-008", S_FAIL, GC_MUST, "RFC 9112 §9.3",
		"the client connection survives a backend failure or is "
		"closed, never desynchronised",
		"the next response intact or a close", ALL,
		W(.s = SC("GET %P/info HTTP/1.1\r\n" HOST "\r\n",
			  .act = GA_DIE_EARLY, .second = 1),
			.check = K_EXTRA)),
};

static void
c_gw(struct gc *g, const struct gc_case *c)
{
	const struct gwc *w = &table[c->arg];
	struct gw_ex ex;

	if (g->lfd < 0 && w->s.act != GA_REFUSE) {
		gc_skip(g, "no backend listener");
		return;
	}
	gw_run(g, &w->s, &ex);
	if (w->s.act == GA_REFUSE)
		net_sleep_ms(1500); /* gateways park a refusing backend ~1 s */
	if (g->verdict == GC_PASS) {
		switch (w->check) {
		case K_ENV_EQ:
		case K_ENV_OPT_EQ:
		case K_ENV_EMPTY_OK:
		case K_ENV_SET:
		case K_ENV_NOT:
		case K_ENV_REJECT_NOT:
		case K_ENV_ONCE:
		case K_ENV_NAMES:
		case K_ENV_UNSET_IF: check_env(g, w, &ex); break;
		case K_BODY:
		case K_BODY_EMPTY: check_body(g, w, &ex); break;
		case K_FCGI: check_fcgi(g, w, &ex); break;
		case K_PKT: check_pkt(g, w, &ex); break;
		case K_H_REQ:
		case K_H_ABSENT:
		case K_H_EQ:
		case K_H_XFF:
		case K_H_FWD: check_http_backend(g, w, &ex); break;
		default: check_client(g, w, &ex); break;
		}
	}
	gw_ex_free(&ex);
}

struct gc_case *
gw_case_list(size_t *n)
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
