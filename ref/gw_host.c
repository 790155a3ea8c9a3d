/*
 * Hosts and procs from the configuration (lighttpd-gateway.md §1.2-§1.3):
 * fastcgi.server's ext keys (suffix, "/"-prefix, ""), its labelled or
 * anonymous host blocks with the options issue 7 implements, and
 * fastcgi.map-extensions. config_gw.c has already validated the structure
 * (file:line errors); here values become struct gw_host, and addresses
 * are resolved once at start, as lighttpd does. Passive health: a proc
 * whose connect failed sits out disable-time seconds (gw_host_pick).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"
#include "gw.h"
#include "log.h"

static const struct cfg_value *
opt(const struct cfg_value *h, const char *name)
{
	return cfg_array_get(h, name);
}

static int
opt_bool(const struct cfg_value *h, const char *name, int dflt)
{
	const struct cfg_value *v = opt(h, name);

	return v == NULL ? dflt : cfg_value_bool(v) > 0;
}

static unsigned
opt_uint(const struct cfg_value *h, const char *name, unsigned dflt)
{
	const struct cfg_value *v = opt(h, name);

	return v == NULL || v->num < 0 ? dflt : (unsigned)v->num;
}

static char *
opt_str(const struct cfg_value *h, const char *name)
{
	const struct cfg_value *v = opt(h, name);

	return v == NULL ? NULL : strdup(v->str);
}

/* The proc's address: a unix path, or host:port resolved now (blocking,
 * first address, at start only: lighttpd does the same). */
static int
proc_addr(struct gw_proc *p, const struct cfg_value *h)
{
	const struct cfg_value *s = opt(h, "socket"), *hv = opt(h, "host");
	const char *host = hv != NULL ? hv->str : "127.0.0.1";
	unsigned port = opt_uint(h, "port", 80);
	struct addrinfo hints = {0}, *ai;
	char ps[8];

	if (s == NULL && host[0] == '/')
		s = hv;
	if (s != NULL) {
		struct sockaddr_un *un = (struct sockaddr_un *)&p->addr;

		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, s->str, s->len + 1);
		p->addrlen =
			(socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				s->len + 1);
		snprintf(p->name, sizeof(p->name), "unix:%s", s->str);
		return 0;
	}
	snprintf(ps, sizeof(ps), "%u", port);
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, ps, &hints, &ai) != 0) {
		log_warnx("fastcgi: cannot resolve backend host %s", host);
		return -1;
	}
	memcpy(&p->addr, ai->ai_addr, ai->ai_addrlen);
	p->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	snprintf(p->name, sizeof(p->name), "%s%s%s:%u",
		strchr(host, ':') ? "[" : "", host,
		strchr(host, ':') ? "]" : "", port);
	return 0;
}

static int
host_load(struct gw_host *g, const struct cfg_value *h, const char *label)
{
	const struct cfg_value *v;
	size_t i;

	g->label = strdup(label);
	/* Spawning local backends is issue 8's: until then say so once at
	 * start instead of ignoring the option in silence. */
	if (opt(h, "bin-path") != NULL)
		log_warnx("fastcgi host %s: bin-path is not acted on yet (no "
			  "spawning); expecting an app already listening",
			label);
	v = opt(h, "mode");
	g->mode = v != NULL && strcmp(v->str, "authorizer") == 0 ? GW_AUTHORIZER
								 : GW_RESPONDER;
	g->check_local = opt_bool(h, "check-local", 1);
	g->broken_scriptfilename = opt_bool(h, "broken-scriptfilename", 0);
	g->fix_root_scriptname = opt_bool(h, "fix-root-scriptname", 0);
	g->strip_request_uri = opt_str(h, "strip-request-uri");
	if (g->strip_request_uri != NULL) {
		size_t n = strlen(g->strip_request_uri);

		if (n > 0 && g->strip_request_uri[n - 1] == '/')
			g->strip_request_uri[n - 1] = '\0';
	}
	g->docroot = opt_str(h, "docroot");
	g->xsendfile = opt_bool(h, "x-sendfile", 0) ||
		opt_bool(h, "allow-x-send-file", 0);
	if ((v = opt(h, "x-sendfile-docroot")) != NULL && v->n > 0) {
		g->xsendfile_docroot = calloc(v->n, sizeof(char *));
		if (g->xsendfile_docroot == NULL)
			return -1;
		for (i = 0; i < v->n; i++) {
			const char *s = v->items[i].str ? v->items[i].str : "/";
			size_t n = strlen(s);

			if ((g->xsendfile_docroot[i] = malloc(n + 2)) == NULL)
				return -1;
			g->nxsendfile_docroot++;
			memcpy(g->xsendfile_docroot[i], s, n + 1);
			if (n == 0 || s[n - 1] != '/')
				memcpy(g->xsendfile_docroot[i] + n, "/", 2);
		}
	}
	g->connect_timeout = opt_uint(h, "connect-timeout", 8);
	g->write_timeout = opt_uint(h, "write-timeout", 0);
	g->read_timeout = opt_uint(h, "read-timeout", 0);
	g->disable_time = opt_uint(h, "disable-time", 1);
	g->tcp_fin_propagate = opt_bool(h, "tcp-fin-propagate", 0);
	return g->label == NULL ? -1 : proc_addr(&g->proc, h);
}

static void
host_free(struct gw_host *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nxsendfile_docroot; i++)
		free(g->xsendfile_docroot[i]);
	free(g->xsendfile_docroot);
	free(g->label);
	free(g->strip_request_uri);
	free(g->docroot);
	free(g);
}

static int
ext_load(struct gw_ext *x, const struct cfg_value *v)
{
	size_t j;
	char idx[24];

	x->key = strdup(v->key ? v->key : "");
	x->prefix = x->key != NULL && x->key[0] == '/';
	x->hosts = calloc(v->n, sizeof(*x->hosts));
	if (x->key == NULL || x->hosts == NULL)
		return -1;
	for (j = 0; j < v->n; j++) {
		struct gw_host *g = calloc(1, sizeof(*g));

		if (g == NULL)
			return -1;
		x->hosts[x->nhosts++] = g;
		snprintf(idx, sizeof(idx), "%zu", j);
		if (host_load(g, &v->items[j],
			    v->items[j].key ? v->items[j].key : idx) == -1)
			return -1;
	}
	return 0;
}

/* The value a block itself sets for name (the first, as config_get). */
static const struct cfg_value *
block_value(const struct cfg_block *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->settings[i].name, name) == 0)
			return &b->settings[i].val;
	return NULL;
}

int
gw_conf_load(struct gw_conf *gc, const struct config *cfg, const char *module,
	const struct gw_proto *proto)
{
	char key[64];
	const struct cfg_value *v, *m;
	size_t i, b;

	memset(gc, 0, sizeof(*gc));
	gc->proto = proto;
	snprintf(key, sizeof(key), "%s.server", module);
	/* sets[0] is the global value (maybe none), then one per block
	 * that sets the key, as lighttpd: a conditional's value replaces
	 * the global one for the requests it matches. */
	if ((gc->sets = calloc(cfg->n + 1, sizeof(*gc->sets))) == NULL)
		goto fail;
	gc->nsets = 1;
	for (b = 0; b < cfg->n; b++) {
		struct gw_set *set = &gc->sets[b == 0 ? 0 : gc->nsets];

		if ((v = block_value(cfg->blocks[b], key)) == NULL ||
			v->type != CFG_ARRAY)
			continue;
		if (b > 0)
			gc->nsets++;
		set->val = v;
		if ((set->exts = calloc(v->n, sizeof(*set->exts))) == NULL)
			goto fail;
		for (i = 0; i < v->n; i++) {
			set->nexts++;
			if (ext_load(&set->exts[i], &v->items[i]) == -1)
				goto fail;
		}
	}
	snprintf(key, sizeof(key), "%s.map-extensions", module);
	if ((m = config_global(cfg, key)) != NULL && m->type == CFG_ARRAY &&
		m->n > 0) {
		if ((gc->map_ext = calloc(m->n, sizeof(*gc->map_ext))) == NULL)
			goto fail;
		for (i = 0; i < m->n; i++) {
			if (m->items[i].key == NULL || m->items[i].str == NULL)
				continue;
			gc->map_ext[gc->nmap_ext].name.p = m->items[i].key;
			gc->map_ext[gc->nmap_ext].name.len =
				strlen(m->items[i].key);
			gc->map_ext[gc->nmap_ext].value.p = m->items[i].str;
			gc->map_ext[gc->nmap_ext++].value.len = m->items[i].len;
		}
	}
	snprintf(key, sizeof(key), "%s.debug", module);
	if ((m = config_global(cfg, key)) != NULL && m->type == CFG_INT)
		gc->debug = (int)m->num;
	return 0;
fail:
	log_warnx("%s.server: cannot load the backends", module);
	gw_conf_free(gc);
	return -1;
}

void
gw_conf_free(struct gw_conf *gc)
{
	size_t i, j, k;

	for (k = 0; k < gc->nsets; k++) {
		struct gw_set *set = &gc->sets[k];

		for (i = 0; i < set->nexts; i++) {
			for (j = 0; j < set->exts[i].nhosts; j++)
				host_free(set->exts[i].hosts[j]);
			free(set->exts[i].hosts);
			free(set->exts[i].key);
		}
		free(set->exts);
	}
	free(gc->sets);
	free(gc->map_ext);
	memset(gc, 0, sizeof(*gc));
}

struct gw_host *
gw_host_pick(struct gw_ext *x, time_t now)
{
	size_t i;

	/* Rotation starts after the host tried last, so a retry goes to
	 * another host (issue 8 brings the balancing algorithms). */
	for (i = 0; i < x->nhosts; i++) {
		struct gw_host *g = x->hosts[(x->next + i) % x->nhosts];

		if (g->proc.disabled_until <= now) {
			x->next = (x->next + i) % x->nhosts;
			return g;
		}
	}
	return NULL;
}
