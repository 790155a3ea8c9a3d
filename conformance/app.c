/*
 * Shared app-mode pieces: default CGI parameters (RFC 3875 §4.1), the probe
 * answer reader and the CGI response head checks (RFC 3875 §6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "head.h"
#include "sha256.h"

static const char PATTERN[] =
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n";

void
app_buf_add(struct app_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL) {
			perror("gatecheck");
			exit(2);
		}
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
app_buf_free(struct app_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
app_pattern(unsigned char *p, size_t n, size_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)PATTERN[(start + i) % 64];
}

void
app_req_set(struct app_req *q, const char *name, const char *value, size_t vlen)
{
	if (q->nextra == APP_MAX_EXTRA)
		return;
	q->name[q->nextra] = name;
	q->value[q->nextra] = value;
	q->vlen[q->nextra] = vlen ? vlen : strlen(value);
	q->nextra++;
}

static void
kv_set(struct app_kv *kv, const char *name, const char *value, size_t vlen)
{
	unsigned i;

	for (i = 0; i < kv->n; i++)
		if (strcmp(kv->name[i], name) == 0)
			break;
	if (i == APP_MAX_KV)
		return;
	if (i == kv->n)
		kv->n++;
	kv->name[i] = name;
	kv->value[i] = value;
	kv->vlen[i] = vlen;
}

static void
kv_put(struct app_kv *kv, const char *name, const char *value)
{
	kv_set(kv, name, value, strlen(value));
}

void
app_params(const struct gc *g, const struct app_req *q, struct app_kv *kv)
{
	static char uri[4096], cl[32], docroot[1024];
	const char *path = g->o->path ? g->o->path : "/gatecheck";
	const char *query = q->query ? q->query : "gatecheck=1";
	const char *method = q->method ? q->method : "GET";
	const char *slash;
	unsigned i;

	memset(kv, 0, sizeof(*kv));
	snprintf(uri, sizeof(uri), "%s%s%s", path, query[0] ? "?" : "", query);
	/* RFC 3875 §4.1 meta-variables, with lighttpd's usual extras. */
	kv_put(kv, "GATEWAY_INTERFACE", "CGI/1.1");
	kv_put(kv, "SERVER_SOFTWARE", "gatecheck");
	kv_put(kv, "SERVER_PROTOCOL", "HTTP/1.1");
	kv_put(kv, "SERVER_NAME", "localhost");
	kv_put(kv, "SERVER_ADDR", "127.0.0.1");
	kv_put(kv, "SERVER_PORT", "80");
	kv_put(kv, "REMOTE_ADDR", "127.0.0.1");
	kv_put(kv, "REMOTE_PORT", "40000");
	kv_put(kv, "REQUEST_SCHEME", "http");
	kv_put(kv, "REQUEST_METHOD", method);
	kv_put(kv, "REQUEST_URI", uri);
	kv_put(kv, "QUERY_STRING", query);
	kv_put(kv, "SCRIPT_NAME", path);
	if (g->o->script) {
		kv_put(kv, "SCRIPT_FILENAME", g->o->script);
		slash = strrchr(g->o->script, '/');
		snprintf(docroot, sizeof(docroot), "%.*s",
			slash ? (int)(slash - g->o->script) : 1,
			slash ? g->o->script : "/");
		kv_put(kv, "DOCUMENT_ROOT", docroot);
	}
	kv_put(kv, "HTTP_HOST", "localhost");
	kv_put(kv, "HTTP_USER_AGENT", "gatecheck");
	if (q->body_len > 0 || strcmp(method, "POST") == 0) {
		snprintf(cl, sizeof(cl), "%zu", q->body_len);
		if (!q->cl_absent)
			kv_put(kv, "CONTENT_LENGTH", cl);
		kv_put(kv, "CONTENT_TYPE", "application/octet-stream");
	}
	for (i = 0; i < g->o->nparams; i++) {
		const char *eq = strchr(g->o->params[i], '=');
		static char names[GC_MAX_PARAMS][128];
		if (eq == NULL || eq - g->o->params[i] >= 128)
			continue;
		snprintf(names[i], sizeof(names[i]), "%.*s",
			(int)(eq - g->o->params[i]), g->o->params[i]);
		kv_put(kv, names[i], eq + 1);
	}
	for (i = 0; i < q->nextra; i++)
		kv_set(kv, q->name[i], q->value[i], q->vlen[i]);
}

int
app_probe_get(const unsigned char *body, size_t len, const char *key,
	const unsigned char **v, size_t *vlen)
{
	size_t klen = strlen(key), off = 0;
	const unsigned char *nl;

	while (off < len) {
		nl = memchr(body + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - body) : len;
		if (end - off > klen && memcmp(body + off, key, klen) == 0 &&
			body[off + klen] == ' ') {
			*v = body + off + klen + 1;
			*vlen = end - off - klen - 1;
			if (*vlen > 0 && (*v)[*vlen - 1] == '\r')
				(*vlen)--;
			return 1;
		}
		off = end + 1;
	}
	return 0;
}

const char *
app_show(const void *p, size_t len, char *dst, size_t cap)
{
	const unsigned char *s = p;
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < cap; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			dst[o++] = (char)s[i];
		else
			o += (size_t)snprintf(
				dst + o, cap - o, "\\x%02x", s[i]);
	}
	if (i < len)
		o += (size_t)snprintf(dst + o, cap - o, "...(%zu bytes)", len);
	dst[o] = '\0';
	return dst;
}

/* The body after the head, or NULL when the head does not parse. */
static const unsigned char *
after_head(const unsigned char *out, size_t len, size_t *blen)
{
	struct head h;
	long n = head_read(out, len, &h);

	if (n <= 0)
		return NULL;
	*blen = len - (size_t)n;
	return out + n;
}

int
app_probe_expect(struct gc *g, const unsigned char *out, size_t len,
	const char *key, const void *want, size_t wlen)
{
	const unsigned char *body, *v;
	size_t blen, vlen;
	char a[160], b[160];

	body = after_head(out, len, &blen);
	if (body == NULL ||
		!app_probe_get(body, blen, "gatecheck-probe", &v, &vlen)) {
		gc_skip(g,
			"the response is not a gatecheck probe answer "
			"(check --script/--path)");
		return -1;
	}
	if (!app_probe_get(body, blen, key, &v, &vlen)) {
		if (want == NULL)
			return 0;
		gc_fail(g, app_show(want, wlen, a, sizeof(a)),
			"the probe reports no %s", key);
		return -1;
	}
	if (want == NULL) {
		gc_fail(g, "absent", "the app saw %s = %s", key,
			app_show(v, vlen, b, sizeof(b)));
		return -1;
	}
	if (vlen != wlen || memcmp(v, want, wlen) != 0) {
		gc_fail(g, app_show(want, wlen, a, sizeof(a)),
			"the probe reports %s = %s", key,
			app_show(v, vlen, b, sizeof(b)));
		return -1;
	}
	return 0;
}

int
app_probe_body(
	struct gc *g, const unsigned char *out, size_t len, size_t body_len)
{
	unsigned char *p = malloc(body_len ? body_len : 1);
	char hex[65], n[32];
	int rc;

	app_pattern(p, body_len, 0);
	sha256_hex(p, body_len, hex);
	free(p);
	snprintf(n, sizeof(n), "%zu", body_len);
	rc = app_probe_expect(g, out, len, "body-length", n, strlen(n));
	if (rc == 0)
		rc = app_probe_expect(g, out, len, "body-sha256", hex, 64);
	return rc;
}

unsigned
app_status(const unsigned char *out, size_t len)
{
	struct head h;

	if (head_read(out, len, &h) <= 0)
		return 0;
	if (h.status)
		return h.status;
	return h.has_location ? 302 : 200;
}

static int
problem_fail(struct gc *g, const struct head *h, unsigned bits,
	const char *expected, const unsigned char *out)
{
	unsigned i;
	char line[200];

	for (i = 0; i < HEAD_NPROBLEMS; i++) {
		if (!(h->problems & bits & (1u << i)))
			continue;
		const unsigned char *l = out + h->where[i];
		const unsigned char *nl = memchr(l, '\n', h->len - h->where[i]);
		size_t ll = nl ? (size_t)(nl - l) : 40;

		if (ll > 0 && l[ll - 1] == '\r')
			ll--;
		gc_fail(g, expected, "%s at head offset %zu: \"%s\"",
			head_problem_str(1u << i), h->where[i],
			app_show(l, ll, line, sizeof(line)));
		return 1;
	}
	return 0;
}

void
app_check_head(struct gc *g, int check, const unsigned char *out, size_t len,
	int nph_ok)
{
	struct head h;
	long n = head_read(out, len, &h);
	size_t blen;
	char buf[200];

	if (n <= 0) {
		if (check == HC_COMPLETE)
			gc_fail(g, "a CGI response head ended by an empty line",
				"%s: %s",
				len ? "no empty line in the response"
				    : "an empty response",
				app_show(out, len > 80 ? 80 : len, buf,
					sizeof(buf)));
		else
			gc_skip(g, "no complete response head to judge");
		return;
	}
	blen = len - (size_t)n;
	switch (check) {
	case HC_COMPLETE: break;
	case HC_NAME:
		problem_fail(g, &h, HEAD_P_NAME | HEAD_P_NOCOLON | HEAD_P_FOLD,
			"field lines of token \":\" value", out);
		break;
	case HC_CTL:
		problem_fail(g, &h, HEAD_P_CTL | HEAD_P_BARE_CR,
			"field values without CTL, NUL or bare CR", out);
		break;
	case HC_STATUS:
		problem_fail(g, &h, HEAD_P_STATUS | HEAD_P_NPH_LINE,
			"Status: 3DIGIT SP reason-phrase", out);
		break;
	case HC_STATUS_RANGE:
		problem_fail(g, &h, HEAD_P_STATUS_RANGE,
			"a status code in 100..599", out);
		break;
	case HC_REASON:
		problem_fail(g, &h, HEAD_P_STATUS_SP,
			"Status: code SP reason-phrase", out);
		break;
	case HC_DUP:
		problem_fail(g, &h, HEAD_P_DUP_STATUS | HEAD_P_DUP_CTYPE,
			"Status and Content-Type at most once each", out);
		break;
	case HC_CTYPE:
		problem_fail(g, &h, HEAD_P_CTYPE,
			"Content-Type: type/subtype *(;parameter)", out);
		break;
	case HC_CTYPE_BODY:
		if (blen > 0 && !h.has_ctype)
			gc_fail(g, "Content-Type with a body",
				"a %zu-byte body and no Content-Type", blen);
		break;
	case HC_LOCATION:
		problem_fail(g, &h, HEAD_P_LOCATION,
			"Location: absolute-URI or /local-path", out);
		break;
	case HC_CGI_FIELD:
		if (!h.nph && !h.has_status && !h.has_ctype && !h.has_location)
			gc_fail(g,
				"at least one of Content-Type, Location, "
				"Status",
				"a head of %u fields with none of them",
				h.nfields);
		break;
	case HC_CL:
		if (h.problems & HEAD_P_CL)
			problem_fail(g, &h, HEAD_P_CL, "Content-Length: digits",
				out);
		else if (h.content_length >= 0 &&
			(size_t)h.content_length != blen)
			gc_fail(g, "Content-Length equal to the body length",
				"Content-Length: %ld with a %zu-byte body",
				h.content_length, blen);
		break;
	case HC_EOL:
		problem_fail(g, &h, HEAD_P_MIXED_EOL,
			"one kind of line end (all CRLF or all LF)", out);
		break;
	case HC_NOT_NPH:
		if (h.nph && !nph_ok)
			gc_warn(g, "a CGI head (Status: field)",
				"an NPH status line \"%s\"",
				app_show(out, 20, buf, sizeof(buf)));
		break;
	case HC_HEAD_NOBODY:
		if (blen > 0)
			gc_fail(g, "no body for HEAD (RFC 3875 §4.3.2)",
				"a %zu-byte body", blen);
		break;
	}
}
