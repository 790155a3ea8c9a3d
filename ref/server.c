/*
 * The server object: settings read from the configuration once at start
 * (units as lighttpd: max-request-size in KiB, idle times in seconds),
 * the listening sockets (server.bind/server.port plus every
 * $SERVER["socket"] == "host:port" block), the one-second tick, and the
 * two ways to stop: at once (SIGTERM) or gracefully (SIGINT: stop
 * accepting, close idle connections, let in-flight requests finish within
 * server.feature-flags "server.graceful-shutdown-timeout").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gw.h"
#include "log.h"
#include "mod.h"
#include "net.h"
#include "server.h"
#include "stat_cache.h"

static const char *
global_str(const struct config *cfg, const char *name, const char *def)
{
	const struct cfg_value *v = config_global(cfg, name);

	return v != NULL && v->type == CFG_STRING ? v->str : def;
}

static long long
global_int(const struct config *cfg, const char *name)
{
	const struct cfg_value *v = config_global(cfg, name);
	const char *def;

	if (v != NULL && v->type == CFG_INT)
		return v->num;
	if (v != NULL && v->type == CFG_STRING)
		return strtoll(v->str, NULL, 10);
	def = cfg_key_default(cfg_key_find(name));
	return def != NULL ? strtoll(def, NULL, 10) : 0;
}

/*
 * server.http-parseopts, resolved by the same helper the config check uses
 * (cfg_parseopts_eval), so -tt reports exactly what the server does. The
 * check has already refused a bad hash.
 */
static void
parseopts(struct server *s)
{
	struct cfg_parseopts po;

	if (cfg_parseopts_eval(
		    config_global(s->cfg, "server.http-parseopts"), &po) == -1)
		return;
	s->conf.uri_opts = po.uri_opts;
	s->conf.h1.flags =
		(s->conf.h1.flags & ~H1_LENIENT_BARE_LF) | po.h1_flags;
	s->conf.host_opts = po.host_opts;
	s->conf.get_body = po.get_body;
	s->conf.query_20_plus = po.query_20_plus;
}

static unsigned
feature_int(struct server *s, const char *name, unsigned def)
{
	const struct cfg_value *h =
		config_global(s->cfg, "server.feature-flags");
	size_t i;

	for (i = 0; h != NULL && h->type == CFG_ARRAY && i < h->n; i++) {
		const struct cfg_value *v = &h->items[i];

		if (v->key != NULL && strcmp(v->key, name) == 0)
			return v->type == CFG_INT
				? (unsigned)v->num
				: (unsigned)strtoul(
					  v->str ? v->str : "0", NULL, 10);
	}
	return def;
}

/* server.max-fds as lighttpd: raise the soft (and, as root, hard)
 * descriptor limit; connections default to a share of it. */
static int
fd_budget(long long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return LIMIT_DEFAULT_MAX_CONNS;
	if (want > 0) {
		struct rlimit n = rl;

		n.rlim_cur = (rlim_t)want;
		if (n.rlim_max < n.rlim_cur)
			n.rlim_max = n.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &n) == 0)
			rl = n;
		else
			log_warn("server.max-fds %lld", want);
	}
	return rl.rlim_cur > (1 << 24) ? (1 << 24) : (int)rl.rlim_cur;
}

static void
on_accept(struct loop *l, struct loop_io *io, unsigned ev)
{
	struct listener *lis = io->data;

	(void)l;
	(void)ev;
	conn_accept(lis->srv, lis);
}

/* Listen on host:port; name is what $SERVER["socket"] compares with
 * (NULL: "host:port"). A name already listening is not bound twice. */
static int
add_listener(struct server *s, const char *host, int port, int backlog,
	const char *name)
{
	struct listener *lis;
	char err[256], text[80];
	size_t i;
	int fd;

	if (host != NULL && host[0] == '/')
		snprintf(text, sizeof(text), "%s", host);
	else
		snprintf(text, sizeof(text), "%s:%d",
			host && host[0] ? host : "0.0.0.0", port);
	if (name == NULL)
		name = text;
	for (i = 0; i < s->nlis; i++)
		if (strcmp(s->lis[i].name, name) == 0 ||
			strcmp(s->lis[i].name, text) == 0)
			return 0;

	if (s->nlis == LIMIT_LISTENERS) {
		log_warnx("more than %d listening sockets", LIMIT_LISTENERS);
		return -1;
	}
	if ((fd = net_listen(host, port, backlog, err, sizeof(err))) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	lis = &s->lis[s->nlis++];
	lis->srv = s;
	lis->io.fd = fd;
	lis->io.cb = on_accept;
	lis->io.data = lis;
	snprintf(lis->name, sizeof(lis->name), "%s", name);
	return loop_io_add(s->loop, &lis->io, LOOP_READ);
}

static int
add_socket_blocks(struct server *s, int backlog)
{
	size_t i;

	for (i = 1; i < s->cfg->n; i++) {
		const struct cfg_block *b = s->cfg->blocks[i];
		char host[256];
		const char *colon;

		if (b->field != CFG_F_SOCKET || b->op != CFG_OP_EQ)
			continue;
		colon = strrchr(b->pattern, ':');
		if (b->pattern[0] == '/' || colon == NULL) {
			if (add_listener(s, b->pattern, 0, backlog, NULL) == -1)
				return -1;
			continue;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(colon - b->pattern),
			b->pattern);
		if (add_listener(s, host, atoi(colon + 1), backlog,
			    b->pattern) == -1)
			return -1;
	}
	return 0;
}

static void
on_tick(struct loop *l, struct loop_timer *t)
{
	struct server *s = t->data;

	accesslog_flush();
	if (s->stopping && s->conf.graceful_secs > 0 &&
		--s->conf.graceful_secs == 0) {
		log_info("graceful shutdown timeout: closing %zu connections",
			s->nconns);
		loop_stop(l);
		return;
	}
	loop_timer_set(l, t, 1000);
}

int
server_has_module(const struct config *cfg, const char *name)
{
	const struct cfg_value *m = config_global(cfg, "server.modules");
	size_t i;

	for (i = 0; m != NULL && m->type == CFG_ARRAY && i < m->n; i++)
		if (m->items[i].type == CFG_STRING &&
			strcmp(m->items[i].str, name) == 0)
			return 1;
	return 0;
}

int
server_init(struct server *s, struct config *cfg, const char *cwd)
{
	const char *bind;
	int backlog, fds;
	long long kib;

	s->cfg = cfg;
	if ((s->loop = loop_new()) == NULL ||
		(s->sc = stat_cache_new()) == NULL) {
		log_warn("event loop");
		return -1;
	}
	mod_status_start(loop_wall(s->loop));
	s->modules = mod_loaded(cfg);
	s->conf.tag = global_str(cfg, "server.tag", "gatehouse");
	fds = fd_budget(global_int(cfg, "server.max-fds"));
	/* As lighttpd, by default at most half the descriptors are client
	 * sockets, so each connection can also open the file it serves; an
	 * explicit server.max-connections may take more (idle keep-alive
	 * connections hold one each). */
	s->conf.max_conns = (int)global_int(cfg, "server.max-connections");
	if (s->conf.max_conns <= 0)
		s->conf.max_conns = fds > 96 ? (fds - 32) / 2 : 16;
	else if (s->conf.max_conns > fds - 32)
		s->conf.max_conns = fds > 96 ? fds - 32 : 16;
	s->conf.max_ka_requests =
		(unsigned)global_int(cfg, "server.max-keep-alive-requests");
	s->conf.ka_idle =
		(unsigned)global_int(cfg, "server.max-keep-alive-idle");
	s->conf.read_idle = (unsigned)global_int(cfg, "server.max-read-idle");
	s->conf.write_idle = (unsigned)global_int(cfg, "server.max-write-idle");
	kib = global_int(cfg, "server.max-request-size");
	s->conf.max_body = kib > 0 && kib * 1024 < LIMIT_BODY_MAX
		? kib * 1024
		: LIMIT_BODY_MAX;
	s->conf.max_head =
		(size_t)global_int(cfg, "server.max-request-field-size");
	if (s->conf.max_head == 0 || s->conf.max_head > LIMIT_CONN_IN / 2)
		s->conf.max_head = LIMIT_CONN_IN / 2;
	s->conf.h1.max_head = s->conf.h1.max_line = s->conf.h1.max_field_line =
		s->conf.max_head;
	s->conf.h1.max_fields = LIMIT_REQ_FIELDS;
	{
		const struct cfg_value *u =
			config_global(cfg, "server.upload-dirs");

		s->conf.upload_dir = (char *)"/var/tmp";
		if (u != NULL && u->type == CFG_ARRAY && u->n > 0 &&
			u->items[0].type == CFG_STRING)
			s->conf.upload_dir = u->items[0].str;
	}
	parseopts(s);
	s->conf.graceful_secs =
		feature_int(s, "server.graceful-shutdown-timeout", 0);
	static_rconf_global(s, cwd);
	/* As lighttpd: mod_access acts only when loaded (the config check
	 * warns about the key otherwise). */
	s->use_access = server_has_module(cfg, "mod_access");
	if (s->global.docroot[0] != '/') {
		/* lighttpd resolves a relative root against the directory
		 * it was started in. */
		size_t n = strlen(cwd) + strlen(s->global.docroot) + 2;

		if ((s->docroot = malloc(n)) == NULL)
			return -1;
		snprintf(s->docroot, n, "%s/%s", cwd, s->global.docroot);
		s->global.docroot = s->docroot;
	}
	/* Gateway backends are resolved once, at start (lighttpd). */
	if (gw_init(s) == -1)
		return -1;
	backlog = (int)global_int(cfg, "server.listen-backlog");
	bind = global_str(cfg, "server.bind", "");
	if (add_listener(s, bind, (int)global_int(cfg, "server.port"), backlog,
		    NULL) == -1 ||
		add_socket_blocks(s, backlog) == -1)
		return -1;
	s->tick.cb = on_tick;
	s->tick.data = s;
	loop_timer_set(s->loop, &s->tick, 1000);
	return 0;
}

static void
close_listeners(struct server *s)
{
	size_t i;

	for (i = 0; i < s->nlis; i++) {
		int fd = s->lis[i].io.fd;

		if (fd == -1)
			continue;
		loop_io_del(s->loop, &s->lis[i].io);
		close(fd);
		if (s->lis[i].name[0] == '/')
			unlink(s->lis[i].name);
	}
}

/* SIGINT: stop accepting, drop idle connections, finish the rest. */
void
server_graceful(struct server *s)
{
	if (s->stopping)
		return;
	s->stopping = 1;
	close_listeners(s);
	conn_close_idle(s);
	if (s->nconns == 0)
		loop_stop(s->loop);
}

void
server_free(struct server *s)
{
	s->stopping = 1;
	while (s->conns != NULL)
		conn_close(s->conns);
	close_listeners(s);
	loop_free(s->loop); /* runs the frees deferred above */
	conn_mem_pool_free(s);
	free(s->docroot);
	stat_cache_free(s->sc);
	accesslog_flush();
}
