/*
 * The CGI environment builder and the SCRIPT_NAME/PATH_INFO split
 * (spec/cgi.md CGI-ENV-*, CGI-PATH-*). Variables come out in lighttpd's
 * order (http_cgi_headers, CGI-ENV-GEN-2) so a capture compares byte for
 * byte; where spec/cgi.md decides differently from lighttpd (no
 * HTTP_CONTENT_LENGTH, merged repeated fields, collisions refused for
 * every protocol) the rule is cited at the code that does it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cgi_env.h"

#define LIT(s) s, sizeof(s) - 1

/*
 * Field names the server or a common front proxy interprets. A client
 * name with '_' whose '-' spelling is one of these is refused
 * (CGI-ENV-HTTP-5): "X-Forwarded_For" must not reach the app as
 * HTTP_X_FORWARDED_FOR after a proxy filtered only the '-' spelling.
 */
static const char *const known[] = {"accept", "accept-charset",
	"accept-encoding", "accept-language", "authorization", "cache-control",
	"connection", "content-encoding", "content-length", "content-location",
	"content-range", "content-type", "cookie", "date", "dnt", "expect",
	"forwarded", "host", "http2-settings", "if-match", "if-modified-since",
	"if-none-match", "if-range", "if-unmodified-since", "keep-alive",
	"origin", "pragma", "priority", "proxy", "range", "referer", "te",
	"transfer-encoding", "upgrade", "user-agent", "via", "x-forwarded-for",
	"x-forwarded-host", "x-forwarded-proto", "x-host", "x-real-ip"};

static int
name_is(struct slice n, const char *lit)
{
	return n.len == strlen(lit) && strncasecmp(n.p, lit, n.len) == 0;
}

static int
same_name(struct slice a, struct slice b)
{
	return a.len == b.len && strncasecmp(a.p, b.p, a.len) == 0;
}

/* Names with '_' and '-' swapped compare equal (CGI-ENV-HTTP-5). */
static int
dash_equal(struct slice a, const char *b, size_t blen)
{
	size_t i;

	if (a.len != blen)
		return 0;
	for (i = 0; i < blen; i++) {
		char x = a.p[i] == '_' ? '-' : a.p[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (x != (b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]))
			return 0;
	}
	return 1;
}

size_t
cgi_env_http_name(const char *name, size_t len, char *out, size_t cap)
{
	size_t i;

	if (len + 6 > cap)
		return 0;
	memcpy(out, "HTTP_", 5);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 32);
		else if (!((ch >= 'A' && ch <= 'Z') ||
				 (ch >= '0' && ch <= '9')))
			ch = '_';
		out[5 + i] = (char)ch;
	}
	out[5 + len] = '\0';
	return 5 + len;
}

/* Append name=value; the value is the concatenation of parts. */
static int
put_parts(struct cgi_env *e, const char *name, size_t nlen,
	const struct slice *parts, size_t nparts)
{
	char *p;
	size_t i, vlen = 0;

	for (i = 0; i < nparts; i++)
		vlen += parts[i].len;
	if (e->n == e->cap || nlen + vlen > e->memcap - e->used)
		return -1;
	p = e->mem + e->used;
	memcpy(p, name, nlen);
	e->vars[e->n].name.p = p;
	e->vars[e->n].name.len = nlen;
	p += nlen;
	e->vars[e->n].value.p = p;
	e->vars[e->n].value.len = vlen;
	for (i = 0; i < nparts; i++) {
		if (parts[i].len > 0)
			memcpy(p, parts[i].p, parts[i].len);
		p += parts[i].len;
	}
	e->used += nlen + vlen;
	e->n++;
	return 0;
}

static int
put(struct cgi_env *e, const char *name, size_t nlen, const char *v,
	size_t vlen)
{
	struct slice s = {v, vlen};

	return put_parts(e, name, nlen, &s, 1);
}

static int
put_str(struct cgi_env *e, const char *name, size_t nlen, const char *v)
{
	return v == NULL ? 0 : put(e, name, nlen, v, strlen(v));
}

/* CGI-ENV-HTTP-5: does field i collide with another name? */
static int
collides(const struct cgi_env_in *in, size_t i)
{
	struct slice n = in->fields[i].name;
	char a[256], b[256];
	size_t j, alen;

	if (memchr(n.p, '_', n.len) != NULL)
		for (j = 0; j < sizeof(known) / sizeof(known[0]); j++)
			if (dash_equal(n, known[j], strlen(known[j])))
				return 1;
	alen = cgi_env_http_name(n.p, n.len, a, sizeof(a));
	for (j = 0; j < in->nfields; j++) {
		struct slice m = in->fields[j].name;

		if (j == i || same_name(n, m))
			continue;
		if (cgi_env_http_name(m.p, m.len, b, sizeof(b)) == alen &&
			memcmp(a, b, alen) == 0)
			return 1;
	}
	return 0;
}

/* Emit HTTP_* for field i unless an earlier field of the same name
 * already carried it (CGI-ENV-HTTP-2: one variable, values merged). */
static int
put_field(struct cgi_env *e, const struct cgi_env_in *in, size_t i)
{
	struct slice parts[2 * 16], n = in->fields[i].name;
	size_t j, np = 0;
	char vname[256];
	size_t vlen;
	int cookie = name_is(n, "cookie");

	for (j = 0; j < i; j++)
		if (same_name(n, in->fields[j].name))
			return 0;
	if ((vlen = cgi_env_http_name(n.p, n.len, vname, sizeof(vname))) == 0)
		return -1;
	for (j = i; j < in->nfields; j++) {
		if (!same_name(n, in->fields[j].name))
			continue;
		if (np + 2 > sizeof(parts) / sizeof(parts[0]))
			return -1;
		if (np > 0) {
			parts[np].p = cookie ? "; " : ", ";
			parts[np++].len = 2;
		}
		parts[np++] = in->fields[j].value;
	}
	return put_parts(e, vname, vlen, parts, np);
}

/* SERVER_NAME: the Host without its port, IPv6 brackets kept. */
static struct slice
host_name(struct slice h)
{
	size_t i;

	if (h.len > 0 && h.p[0] == '[') {
		const char *q = memchr(h.p, ']', h.len);

		if (q != NULL)
			h.len = (size_t)(q - h.p) + 1;
		return h;
	}
	for (i = h.len; i > 0; i--)
		if (h.p[i - 1] == ':') {
			h.len = i - 1;
			break;
		}
	return h;
}

static int
put_fixed(struct cgi_env *e, const struct cgi_env_in *in)
{
	char num[32];
	struct slice sn;
	const struct slice *ct = NULL;
	size_t i;
	int rc = 0;

	if (in->content_length >= 0) {
		snprintf(num, sizeof(num), "%lld", in->content_length);
		rc |= put_str(e, LIT("CONTENT_LENGTH"), num);
	}
	rc |= put(e, LIT("QUERY_STRING"), in->query.p, in->query.len);
	rc |= put(
		e, LIT("REQUEST_URI"), in->request_uri.p, in->request_uri.len);
	rc |= put_str(e, LIT("REDIRECT_STATUS"), "200");
	if (!in->authorizer) {
		rc |= put(e, LIT("SCRIPT_NAME"), in->script_name.p,
			in->script_name.len);
		if (in->path_info.len > 0) {
			struct slice pt[2] = {
				{in->document_root, strlen(in->document_root)},
				in->path_info};

			rc |= put(e, LIT("PATH_INFO"), in->path_info.p,
				in->path_info.len);
			rc |= put_parts(e, LIT("PATH_TRANSLATED"), pt, 2);
		}
	}
	rc |= put_str(e, LIT("SCRIPT_FILENAME"), in->script_filename);
	rc |= put_str(e, LIT("DOCUMENT_ROOT"), in->document_root);
	rc |= put(e, LIT("REQUEST_METHOD"), in->method.p, in->method.len);
	rc |= put_str(e, LIT("SERVER_PROTOCOL"), in->protocol);
	rc |= put_str(e, LIT("SERVER_SOFTWARE"), in->software);
	rc |= put_str(e, LIT("GATEWAY_INTERFACE"), "CGI/1.1");
	rc |= put_str(e, LIT("REQUEST_SCHEME"), in->https ? "https" : "http");
	if (in->https)
		rc |= put_str(e, LIT("HTTPS"), "on");
	rc |= put_str(e, LIT("SERVER_PORT"), in->server_port);
	rc |= put_str(e, LIT("SERVER_ADDR"), in->server_addr);
	sn = host_name(in->host);
	if (sn.len > 0)
		rc |= put(e, LIT("SERVER_NAME"), sn.p, sn.len);
	else
		rc |= put_str(e, LIT("SERVER_NAME"), in->server_addr);
	rc |= put_str(e, LIT("REMOTE_ADDR"), in->remote_addr);
	rc |= put_str(e, LIT("REMOTE_PORT"), in->remote_port);
	for (i = 0; i < in->nfields; i++)
		if (name_is(in->fields[i].name, "content-type"))
			ct = &in->fields[i].value;
	if (ct != NULL)
		rc |= put(e, LIT("CONTENT_TYPE"), ct->p, ct->len);
	return rc;
}

/* Fields that never become HTTP_*: httpoxy (CGI-ENV-HTTP-4) and the
 * framing fields the script sees only as CONTENT_* (CGI-ENV-HTTP-3). */
static int
skipped(struct slice n)
{
	return name_is(n, "proxy") || name_is(n, "content-length") ||
		name_is(n, "content-type") || name_is(n, "transfer-encoding");
}

int
cgi_env_build(const struct cgi_env_in *in, struct cgi_env *e,
	enum cgi_env_reason *why)
{
	size_t i;

	e->n = e->used = 0;
	*why = CGI_ENV_OK;
	for (i = 0; i < in->nfields; i++) {
		const struct field *f = &in->fields[i];

		if (memchr(f->value.p, '\0', f->value.len) != NULL) {
			*why = CGI_ENV_NUL;
			return -1;
		}
		if (!skipped(f->name) && collides(in, i)) {
			*why = CGI_ENV_COLLISION;
			return -1;
		}
	}
	if (put_fixed(e, in) != 0)
		goto nospace;
	for (i = 0; i < in->nfields; i++) {
		const struct field *f = &in->fields[i];

		if (f->value.len == 0 || skipped(f->name))
			continue;
		if (put_field(e, in, i) == -1)
			goto nospace;
	}
	/* CGI-ENV-HTTP-8: a configured or authorizer variable never
	 * replaces one the server set, nor poses as a request field. */
	for (i = 0; i < in->nextra; i++) {
		const struct field *x = &in->extra[i];
		size_t j;
		int taken =
			x->name.len >= 5 && memcmp(x->name.p, "HTTP_", 5) == 0;

		for (j = 0; j < e->n && !taken; j++)
			taken = e->vars[j].name.len == x->name.len &&
				memcmp(e->vars[j].name.p, x->name.p,
					x->name.len) == 0;
		if (!taken &&
			put(e, x->name.p, x->name.len, x->value.p,
				x->value.len) == -1)
			goto nospace;
	}
	return 0;
nospace:
	*why = CGI_ENV_NO_SPACE;
	return -1;
}

const struct slice *
cgi_env_get(const struct cgi_env *e, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < e->n; i++)
		if (e->vars[i].name.len == n &&
			memcmp(e->vars[i].name.p, name, n) == 0)
			return &e->vars[i].value;
	return NULL;
}

void
cgi_path_split_prefix(struct slice path, size_t keylen, int fix_root,
	struct slice *script_name, struct slice *path_info)
{
	const char *slash = NULL;

	if (fix_root && keylen == 1) {
		script_name->p = path.p;
		script_name->len = 0;
		*path_info = path;
		return;
	}
	/* The first '/' at or after the key's length: key "/" gives
	 * "/abc" + "/def", key "/cgi-bin/" gives "/cgi-bin/foo" + "/bar". */
	if (keylen < path.len)
		slash = memchr(path.p + keylen, '/', path.len - keylen);
	*script_name = path;
	path_info->p = path.p + path.len;
	path_info->len = 0;
	if (slash != NULL) {
		script_name->len = (size_t)(slash - path.p);
		path_info->p = slash;
		path_info->len = path.len - script_name->len;
	}
}

long
cgi_path_split_physical(const char *path, size_t len,
	int (*kind)(void *ctx, size_t n), void *ctx)
{
	size_t n = 0;

	while (n < len) {
		const char *q;
		int k;

		q = memchr(path + n + 1, '/', len - n - 1);
		n = q == NULL ? len : (size_t)(q - path);
		k = kind(ctx, n);
		if (k == 1)
			return (long)n;
		if (k == -1)
			return -1;
	}
	return -1;
}
