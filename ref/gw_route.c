/*
 * Routing a request to a gateway ext and building its CGI environment
 * (lighttpd gw_check_extension + http_cgi_headers' inputs). Authorizer
 * exts are tried first, then responders, each in config order, first
 * match wins. With check-local (the default) the physical path is split
 * first (CGI-PATH-1: the first regular file is the script, 404 through the
 * static handler otherwise) and the ext is matched on the script, so
 * "/a.txt/x.php" never reaches PHP (CVE-2019-11043's shape); without it
 * the URI path is matched and a prefix key splits PATH_INFO (CGI-PATH-2,
 * fix-root-scriptname CGI-PATH-3). fastcgi.server set inside conditionals
 * is honoured per request (GW-COND-1). The fastcgi.server conf is loaded on
 * first use and again after a reload; a replaced conf lives until its
 * last request ends.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw.h"
#include "config.h"
#include "log.h"
#include "mod.h"
#include "net.h"
#include "server.h"

static struct gw_conf *cur;

void
gw_conf_put(struct gw_conf *gc)
{
	if (--gc->refs == 0 && gc->stale) {
		gw_conf_free(gc);
		free(gc);
	}
}

static struct gw_conf *
conf_get(struct server *s)
{
	struct gw_conf *gc;
	const struct cfg_value *v;

	if (cur != NULL && cur->cfg == s->cfg)
		return cur;
	if (cur != NULL) {
		cur->stale = 1;
		cur->refs++;
		gw_conf_put(cur);
		cur = NULL;
	}
	if ((gc = calloc(1, sizeof(*gc))) == NULL)
		return NULL;
	/* As lighttpd: fastcgi.server does nothing unless mod_fastcgi is
	 * loaded (an empty conf then). */
	if (server_has_module(s->cfg, "mod_fastcgi") &&
		gw_conf_load(gc, s->cfg, "fastcgi", &gw_fastcgi) == -1) {
		free(gc);
		return NULL;
	}
	v = config_global(s->cfg, "server.stream-request-body");
	if (v != NULL && v->type == CFG_INT)
		gc->stream_request_body = (int)v->num;
	v = config_global(s->cfg, "server.stream-response-body");
	if (v != NULL && v->type == CFG_INT)
		gc->stream_response_body = (int)v->num;
	gc->cfg = s->cfg;
	return cur = gc;
}

static int
ext_match(const struct gw_conf *gc, const struct gw_ext *x, const char *p,
	size_t len)
{
	size_t k = strlen(x->key), i;

	if (k == 0)
		return 1;
	if (x->prefix)
		return len >= k && memcmp(p, x->key, k) == 0;
	if (len >= k && memcmp(p + len - k, x->key, k) == 0)
		return 1;
	/* fastcgi.map-extensions: ".php3" => ".php" (case-sensitive). */
	for (i = 0; i < gc->nmap_ext; i++) {
		const struct field *m = &gc->map_ext[i];

		if (m->value.len == k && memcmp(m->value.p, x->key, k) == 0 &&
			len >= m->name.len &&
			memcmp(p + len - m->name.len, m->name.p, m->name.len) ==
				0)
			return 1;
	}
	return 0;
}

struct walk {
	char *fs;
	size_t rootlen;
	const char *path;
};

static int
walk_kind(void *ctx, size_t n)
{
	struct walk *w = ctx;
	struct stat st;

	if (w->rootlen + n >= LIMIT_PATH)
		return -1;
	memcpy(w->fs + w->rootlen, w->path, n);
	w->fs[w->rootlen + n] = '\0';
	if (stat(w->fs, &st) == -1)
		return -1;
	return S_ISREG(st.st_mode) ? 1 : S_ISDIR(st.st_mode) ? 0 : -1;
}

struct route {
	struct gw_ext *x;
	struct slice script, pathinfo;
	char fs[LIMIT_PATH];    /* docroot + script */
	char upath[LIMIT_PATH]; /* "/dir/" + an index-file name */
};

/*
 * CGI-PATH-1 under the request's docroot: the script's length in *path,
 * or -1. A directory path ending in '/' tries index-file.names, as
 * lighttpd's mod_indexfile does before mod_fastcgi sees the request, so
 * "/" runs index.php instead of the static handler serving its source.
 */
static long
physical(struct req *r, struct route *rt, const char **path, size_t *len)
{
	struct walk w = {rt->fs, strlen(r->rc.docroot), *path};
	const struct cfg_value *ix = r->rc.index_names;
	long split;
	size_t i;

	if (w.rootlen + *len >= LIMIT_PATH)
		return -1;
	memcpy(rt->fs, r->rc.docroot, w.rootlen);
	split = cgi_path_split_physical(*path, *len, walk_kind, &w);
	if (split >= 0 || *len == 0 || (*path)[*len - 1] != '/' || ix == NULL)
		return split;
	for (i = 0; i < ix->n; i++) {
		const struct cfg_value *v = &ix->items[i];

		if (v->type != CFG_STRING || v->len == 0 || v->str[0] == '/' ||
			*len + v->len >= sizeof(rt->upath))
			continue;
		memcpy(rt->upath, *path, *len);
		memcpy(rt->upath + *len, v->str, v->len + 1);
		w.path = rt->upath;
		if (walk_kind(&w, *len + v->len) == 1) {
			*path = rt->upath;
			*len += v->len;
			return (long)*len;
		}
	}
	return -1;
}

static int
find(struct conn *c, const struct gw_conf *gc, const struct gw_set *set,
	enum gw_mode mode, struct route *rt)
{
	struct req *r = &c->req;
	const char *path = r->path;
	size_t len = r->uri.path.len, slen = len, i;
	const char *spath = path;
	long split = -2;

	for (i = 0; i < set->nexts; i++) {
		struct gw_ext *x = &set->exts[i];
		struct gw_host *h = x->hosts[0];

		if (h->mode != mode)
			continue;
		rt->x = x;
		rt->script.p = path;
		rt->pathinfo.p = path + len;
		rt->pathinfo.len = 0;
		if (h->check_local) {
			if (split == -2)
				split = physical(r, rt, &spath, &slen);
			if (split < 0 ||
				!ext_match(gc, x, spath, (size_t)split))
				continue;
			rt->script.p = spath;
			rt->script.len = (size_t)split;
			rt->pathinfo.p = spath + split;
			rt->pathinfo.len = slen - (size_t)split;
			return 1;
		}
		if (!ext_match(gc, x, path, len))
			continue;
		rt->script.len = len;
		if (x->prefix && mode == GW_RESPONDER)
			cgi_path_split_prefix(rt->script, strlen(x->key),
				h->fix_root_scriptname, &rt->script,
				&rt->pathinfo);
		return 1;
	}
	return 0;
}

static char *
join(char *dst, size_t cap, const char *a, struct slice b, struct slice c)
{
	snprintf(dst, cap, "%s%.*s%.*s", a, (int)b.len, b.p, (int)c.len, c.p);
	return dst;
}

/* Append hash h's entries (key => string) to x. */
static void
add_hash(struct field *x, size_t *n, size_t *bytes, const struct cfg_value *h)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++) {
		const struct cfg_value *v = &h->items[i];

		if (v->key == NULL || v->type != CFG_STRING)
			continue;
		x[*n].name.p = v->key;
		x[*n].name.len = strlen(v->key);
		x[*n].value.p = v->str;
		x[*n].value.len = v->len;
		*bytes += x[*n].name.len + v->len;
		(*n)++;
	}
}

/*
 * The variables after the request's own (lighttpd appends r->env): an
 * authorizer's Variable-*, then setenv.set-environment, then
 * setenv.add-environment; the first of a name wins in cgi_env_build, so
 * "set" beats "add". in->extra is malloc'd (the caller frees it).
 */
static int
collect_extra(const struct req *r, const struct gw_req *auth,
	struct cgi_env_in *in, size_t *bytes)
{
	size_t n = (auth ? auth->nvars : 0) + (r->env_set ? r->env_set->n : 0) +
		(r->env_add ? r->env_add->n : 0);
	struct field *x;
	size_t i;

	if (n == 0)
		return 0;
	if ((x = calloc(n, sizeof(*x))) == NULL)
		return -1;
	n = 0;
	for (i = 0; auth != NULL && i < auth->nvars; i++) {
		x[n] = auth->vars[i];
		*bytes += x[n].name.len + x[n].value.len;
		n++;
	}
	add_hash(x, &n, bytes, r->env_set);
	add_hash(x, &n, bytes, r->env_add);
	in->extra = x;
	in->nextra = n;
	return 0;
}

/* Build g->env for the route (allocations freed with g). */
static int
build_env(struct gw_req *g, struct route *rt, const struct gw_req *auth,
	enum cgi_env_reason *why)
{
	struct conn *c = g->c;
	struct req *r = &c->req;
	struct gw_host *h = g->host;
	struct cgi_env_in in = {0};
	struct sockaddr_storage sa;
	socklen_t salen = sizeof(sa);
	static char sfile[LIMIT_PATH * 2], saddr[64], sport[8], rport[8];
	const char *port = strrchr(c->lis->name, ':');
	struct slice none = {"", 0};
	size_t extra = 0;
	int rc;

	in.content_length = h->mode == GW_AUTHORIZER ? -1
		: r->body_stream ? (long long)r->frame.length
				 : r->body_len;
	in.query = r->uri.query;
	in.request_uri = r->h1.target;
	if (h->strip_request_uri != NULL) {
		size_t k = strlen(h->strip_request_uri);

		if (in.request_uri.len > k &&
			memcmp(in.request_uri.p, h->strip_request_uri, k) ==
				0 &&
			in.request_uri.p[k] == '/') {
			in.request_uri.p += k;
			in.request_uri.len -= k;
		}
	}
	in.script_name = rt->script;
	in.path_info = rt->pathinfo;
	in.document_root = h->docroot ? h->docroot : r->rc.docroot;
	in.script_filename = join(sfile, sizeof(sfile), in.document_root,
		rt->script, h->broken_scriptfilename ? rt->pathinfo : none);
	in.method = r->h1.method;
	in.protocol = r->version == 10 ? "HTTP/1.0" : "HTTP/1.1";
	in.software = c->srv->conf.tag;
	snprintf(sport, sizeof(sport), "%s", port ? port + 1 : "0");
	in.server_port = sport;
	saddr[0] = '\0';
	if (getsockname(c->fd, (struct sockaddr *)&sa, &salen) == 0)
		net_addr_text(&sa, saddr, sizeof(saddr));
	if (strcmp(saddr, "unix") == 0)
		saddr[0] = '\0';
	in.server_addr = saddr;
	in.host = r->host;
	in.remote_addr = c->peer;
	salen = sizeof(sa);
	rport[0] = '\0';
	if (getpeername(c->fd, (struct sockaddr *)&sa, &salen) == 0 &&
		(sa.ss_family == AF_INET || sa.ss_family == AF_INET6))
		snprintf(rport, sizeof(rport), "%u",
			ntohs(sa.ss_family == AF_INET
					? ((struct sockaddr_in *)&sa)->sin_port
					: ((struct sockaddr_in6 *)&sa)
						  ->sin6_port));
	in.remote_port = rport[0] ? rport : NULL;
	in.authorizer = h->mode == GW_AUTHORIZER;
	in.fields = r->fields;
	in.nfields = r->h1.nfields;
	if (collect_extra(r, auth, &in, &extra) == -1) {
		*why = CGI_ENV_NO_SPACE;
		return -1;
	}
	g->env.cap = 40 + in.nfields + in.nextra;
	g->env.memcap = 4096 + 2 * r->head_len + 6 * LIMIT_PATH + extra;
	g->env.vars = calloc(g->env.cap, sizeof(*g->env.vars));
	g->env.mem = malloc(g->env.memcap);
	if (g->env.vars == NULL || g->env.mem == NULL) {
		free((void *)in.extra);
		*why = CGI_ENV_NO_SPACE;
		return -1;
	}
	rc = cgi_env_build(&in, &g->env, why);
	free((void *)in.extra);
	return rc;
}

static int
answer(struct conn *c, int status, const char *why)
{
	char esc[256];

	log_conn(c->id, c->req.id, "fastcgi: %s -> %d (%s)", why, status,
		log_escape(c->req.path, c->req.uri.path.len, esc, sizeof(esc)));
	if (resp_error(c, status) == -1)
		conn_close(c);
	return 1;
}

/*
 * The fastcgi.server value in effect for the request: the global one,
 * unless a matching conditional sets its own (lighttpd: the last
 * matching block that sets the key wins, and it replaces the global
 * value rather than adding to it). Conditionals are evaluated only when
 * some block sets the key.
 */
static const struct gw_set *
pick_set(struct conn *c, const struct gw_conf *gc)
{
	char key[64];
	struct mod_eval me;
	const struct cfg_value *v;
	const struct gw_set *set = NULL;
	size_t i;

	if (gc->nsets <= 1)
		return gc->nsets == 1 ? &gc->sets[0] : NULL;
	if (mod_eval_init(c, &me) == -1)
		return NULL;
	snprintf(key, sizeof(key), "%s.server", gc->proto->name);
	v = config_get(&me.ev, key, NULL);
	for (i = 0; v != NULL && i < gc->nsets; i++)
		if (gc->sets[i].val == v)
			set = &gc->sets[i];
	config_eval_done(&me.ev);
	return set;
}

int
gw_route(struct conn *c, const struct gw_req *auth)
{
	static struct route rt;
	struct gw_conf *gc = conf_get(c->srv);
	const struct gw_set *set;
	struct gw_req *g;
	enum cgi_env_reason why = CGI_ENV_OK;

	if (gc == NULL || (set = pick_set(c, gc)) == NULL || set->nexts == 0)
		return 0;
	if (auth == NULL)
		rconf_resolve(c->srv, c);
	/* Authorizers first (lighttpd's exts_auth), once per request. */
	if (!(auth == NULL && find(c, gc, set, GW_AUTHORIZER, &rt)) &&
		!find(c, gc, set, GW_RESPONDER, &rt))
		return 0;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return answer(c, 500, "out of memory");
	g->c = c;
	g->conf = gc;
	gc->refs++;
	g->ext = rt.x;
	g->fd = -1;
	g->host = gw_host_pick(rt.x, loop_wall(c->srv->loop));
	if (g->host == NULL) {
		g->host = rt.x->hosts[0];
		gw_conf_put(gc);
		free(g);
		return answer(c, 503, "all backends of the ext are down");
	}
	if (build_env(g, &rt, auth, &why) == -1 || gw_start(g) == -1) {
		int st = why == CGI_ENV_COLLISION || why == CGI_ENV_NUL ? 400
									: 500;

		free(g->env.vars);
		free(g->env.mem);
		buf_free(&g->wb);
		buf_free(&g->rb);
		buf_free(&g->head);
		buf_free(&g->ob);
		gw_conf_put(gc);
		free(g);
		return answer(c, st,
			st == 400 ? "request field names collide"
				  : "cannot build the request");
	}
	return 1;
}

int
gw_streams_body(struct conn *c)
{
	const struct req *r = &c->req;
	struct gw_conf *gc;

	if (r->frame.kind != H1FRAME_LENGTH || r->frame.length == 0 ||
		!server_has_module(c->srv->cfg, "mod_fastcgi"))
		return 0;
	gc = conf_get(c->srv);
	return gc != NULL && gc->stream_request_body != 0;
}

int
gw_init(struct server *s)
{
	if (!server_has_module(s->cfg, "mod_fastcgi"))
		return 0;
	return conf_get(s) == NULL ? -1 : 0;
}

int
gw_handle(struct conn *c)
{
	return gw_route(c, NULL);
}
