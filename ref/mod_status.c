/*
 * mod_status: the server's own state as a page. status.status-url gives
 * an HTML summary, or with "?auto" lighttpd's machine-readable text
 * (Total Accesses, Total kBytes, Uptime, BusyServers, IdleServers,
 * Scoreboard) that monitoring scripts parse. status.statistics-url lists
 * module counters as "name: value" lines (204 when there are none, as
 * lighttpd; the gateway adds its backend counters there), and
 * status.config-url lists the loaded modules. Pages are built in memory
 * and streamed by the fill callback, like a directory listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httputil.h"
#include "log.h"
#include "mod.h"
#include "server.h"

static unsigned long long total_requests, total_bytes;
static time_t started;

void
mod_status_account(long long bytes_out)
{
	total_requests++;
	if (bytes_out > 0)
		total_bytes += (unsigned long long)bytes_out;
}

size_t
mod_status_auto(const struct status_counts *sc, char *out, size_t cap)
{
	int n = snprintf(out, cap,
		"Total Accesses: %llu\nTotal kBytes: %llu\nUptime: %lld\n"
		"BusyServers: %u\nIdleServers: %u\nScoreboard: %s\n",
		sc->requests, sc->bytes / 1024, sc->uptime, sc->busy, sc->idle,
		sc->scoreboard);

	return n < 0 ? 0 : (size_t)n;
}

struct page {
	char *p;
	size_t len, off;
};

static long
page_fill(struct conn *c, char *dst, size_t cap)
{
	struct page *pg = c->req.fill_state;
	size_t n = pg->len - pg->off < cap ? pg->len - pg->off : cap;

	memcpy(dst, pg->p + pg->off, n);
	pg->off += n;
	return (long)n;
}

static void
page_free(void *state)
{
	struct page *pg = state;

	free(pg->p);
	free(pg);
}

/* Send p[0..len) (malloc'd, taken over) as the response body. */
static int
send_page(struct conn *c, char *p, size_t len, const char *type)
{
	struct req *r = &c->req;
	struct page *pg = calloc(1, sizeof(*pg));

	if (pg == NULL) {
		free(p);
		if (resp_error(c, 500) == -1)
			conn_close(c);
		return 1;
	}
	pg->p = p;
	pg->len = len;
	r->fill = page_fill;
	r->fill_state = pg;
	r->fill_free = page_free;
	if (resp_head(c, 200, (long long)len, type, NULL) == -1) {
		conn_close(c);
		return 1;
	}
	if (!r->is_head && len > 0)
		r->body = BODY_STREAM;
	return 1;
}

/* lighttpd's one-letter connection states. */
static char
short_state(const struct conn *c, const struct conn *self)
{
	if (c == self)
		return 'h';
	switch (c->state) {
	case CONN_HEAD: return c->mem == NULL ? 'k' : 'r';
	case CONN_BODY: return 's';
	case CONN_WRITE: return 'W';
	case CONN_LINGER:
	case CONN_CLOSED: return 'C';
	}
	return '.';
}

static void
counts(struct conn *c, struct status_counts *sc, char *board, size_t slots)
{
	struct server *s = c->srv;
	const struct conn *k;
	size_t i = 0;

	for (k = s->conns; k != NULL && i < slots; k = k->next)
		board[i++] = short_state(k, c);
	while (i < slots)
		board[i++] = '_';
	board[slots] = '\0';
	sc->requests = total_requests;
	sc->bytes = total_bytes;
	sc->uptime = (long long)(loop_wall(s->loop) - started);
	sc->busy = (unsigned)s->nconns;
	sc->idle = slots > s->nconns ? (unsigned)(slots - s->nconns) : 0;
	sc->scoreboard = board;
}

static int
status_page(struct conn *c, int text)
{
	struct server *s = c->srv;
	size_t slots = s->conf.max_conns > 0 ? (size_t)s->conf.max_conns : 1;
	size_t cap, n;
	char *board, *p, up[64];
	struct status_counts sc;
	char date[32];

	if (slots < s->nconns)
		slots = s->nconns; /* never cut the board short */
	cap = slots + 4096;
	board = malloc(slots + 1);
	p = malloc(cap);
	if (board == NULL || p == NULL) {
		free(board);
		free(p);
		if (resp_error(c, 500) == -1)
			conn_close(c);
		return 1;
	}
	counts(c, &sc, board, slots);
	if (text) {
		n = mod_status_auto(&sc, p, cap);
		free(board);
		return send_page(c, p, n < cap ? n : cap - 1, "text/plain");
	}
	snprintf(up, sizeof(up), "%lld days %lld hours %lld min %lld s",
		sc.uptime / 86400, sc.uptime / 3600 % 24, sc.uptime / 60 % 60,
		sc.uptime % 60);
	n = (size_t)snprintf(p, cap,
		"<!DOCTYPE html>\n<html>\n<head>\n<title>Status</title>\n"
		"</head>\n<body>\n<h1>%s</h1>\n<table summary=\"status\">\n"
		"<tr><th>Uptime</th><td>%s</td></tr>\n"
		"<tr><th>Started at</th><td>%s</td></tr>\n"
		"<tr><th>Requests</th><td>%llu</td></tr>\n"
		"<tr><th>Traffic</th><td>%llu kbyte</td></tr>\n"
		"<tr><th>Connections</th><td>%u busy, %u idle</td></tr>\n"
		"</table>\n<pre>%s</pre>\n"
		"<p>legend: k keep-alive, r read, s read body, h handle, "
		"W write, C close, _ free slot</p>\n</body>\n</html>\n",
		s->conf.tag[0] != '\0' ? s->conf.tag : "gatehouse", up,
		resp_http_date(started, date), sc.requests, sc.bytes / 1024,
		sc.busy, sc.idle, board);
	free(board);
	return send_page(c, p, n < cap ? n : cap - 1, "text/html");
}

static int
config_page(struct conn *c)
{
	const struct cfg_value *m =
		config_global(c->srv->cfg, "server.modules");
	size_t cap = 1024, n, i;
	char *p;

	for (i = 0; m != NULL && m->type == CFG_ARRAY && i < m->n; i++)
		cap += m->items[i].len + 32;
	if ((p = malloc(cap)) == NULL) {
		if (resp_error(c, 500) == -1)
			conn_close(c);
		return 1;
	}
	n = (size_t)snprintf(p, cap,
		"<!DOCTYPE html>\n<html>\n<head>\n<title>Status</title>\n"
		"</head>\n<body>\n<h1>%s</h1>\n<table summary=\"status\">\n"
		"<tr><th>Loaded Modules</th></tr>\n",
		c->srv->conf.tag[0] != '\0' ? c->srv->conf.tag : "gatehouse");
	for (i = 0; m != NULL && m->type == CFG_ARRAY && i < m->n; i++)
		if (m->items[i].type == CFG_STRING &&
			strspn(m->items[i].str,
				"abcdefghijklmnopqrstuvwxyz0123456789_") ==
				m->items[i].len)
			n += (size_t)snprintf(p + n, cap - n,
				"<tr><td>%s</td></tr>\n", m->items[i].str);
	n += (size_t)snprintf(p + n, cap - n, "</table>\n</body>\n</html>\n");
	return send_page(c, p, n, "text/html");
}

static int
url_is(struct cfg_eval *ev, const char *key, const struct req *r)
{
	const struct cfg_value *v = config_get(ev, key, NULL);

	return v != NULL && v->type == CFG_STRING && v->len > 0 &&
		v->len == r->uri.path.len &&
		memcmp(v->str, r->path, v->len) == 0;
}

int
mod_status(struct conn *c, struct mod_eval *me)
{
	struct req *r = &c->req;

	if (started == 0)
		started = loop_wall(c->srv->loop);
	if (url_is(&me->ev, "status.status-url", r)) {
		int text = r->uri.query.len == 4 &&
			memcmp(r->uri.query.p, "auto", 4) == 0;

		return status_page(c, text);
	}
	if (url_is(&me->ev, "status.statistics-url", r)) {
		/* No module keeps counters yet: lighttpd's empty answer. */
		r->body = BODY_NONE;
		if (resp_head(c, 204, 0, "text/plain", NULL) == -1)
			conn_close(c);
		return 1;
	}
	if (url_is(&me->ev, "status.config-url", r))
		return config_page(c);
	return 0;
}

void
mod_status_start(time_t now)
{
	started = now;
}
