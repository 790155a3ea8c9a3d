/*
 * Static files: map the normalised URL path under server.document-root and
 * answer from the file system as lighttpd's mod_staticfile, mod_indexfile
 * and mod_access do: 301 to add the slash a directory needs, index files,
 * 403 for forbidden or excluded, 404 for missing, ETag/Last-Modified with
 * If-None-Match/If-Modified-Since (RFC 9110 §13.1: 304), a single byte
 * range (RFC 9110 §14: 206/416), and the body by sendfile(2) (small files
 * are copied after the head so one write() carries both). The path cannot
 * leave the root: the uri codec has already removed every dot segment and
 * rejected NUL, and %2F stays encoded (a literal name byte, never a '/').
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httputil.h"
#include "log.h"
#include "mod.h"
#include "server.h"
#include "stat_cache.h"

static const struct cfg_value *
pick(struct cfg_eval *ev, const struct config *cfg, const char *name)
{
	return ev != NULL ? config_get(ev, name, NULL)
			  : config_global(cfg, name);
}

static int
pick_bool(struct cfg_eval *ev, const struct config *cfg, const char *name)
{
	const struct cfg_value *v;
	const char *def;

	if (ev != NULL)
		return config_bool(ev, name);
	v = config_global(cfg, name);
	if (v != NULL)
		return (v->type == CFG_STRING &&
			       (strcmp(v->str, "enable") == 0 ||
				       strcmp(v->str, "true") == 0 ||
				       strcmp(v->str, "1") == 0)) ||
			(v->type == CFG_INT && v->num != 0);
	def = cfg_key_default(cfg_key_find(name));
	return def != NULL && strcmp(def, "enable") == 0;
}

static const struct cfg_value *
array_or_null(const struct cfg_value *v)
{
	return v != NULL && v->type == CFG_ARRAY ? v : NULL;
}

/* Fill rc from the global scope (ev NULL) or for one request. */
static void
rconf_fill(struct rconf *rc, struct cfg_eval *ev, const struct config *cfg,
	const char *default_root)
{
	const struct cfg_value *v = pick(ev, cfg, "server.document-root");

	rc->docroot =
		v != NULL && v->type == CFG_STRING ? v->str : default_root;
	rc->index_names = array_or_null(pick(ev, cfg, "index-file.names"));
	rc->mimetypes = array_or_null(pick(ev, cfg, "mimetype.assign"));
	rc->exclude_exts =
		array_or_null(pick(ev, cfg, "static-file.exclude-extensions"));
	rc->deny = array_or_null(pick(ev, cfg, "url.access-deny"));
	rc->alias = server_has_module(cfg, "mod_alias")
		? array_or_null(pick(ev, cfg, "alias.url"))
		: NULL;
	rc->dirlist = pick_bool(ev, cfg, "dir-listing.activate") ||
		pick_bool(ev, cfg, "server.dir-listing");
	rc->etags = pick_bool(ev, cfg, "static-file.etags");
	rc->follow_symlink = pick_bool(ev, cfg, "server.follow-symlink");
	rc->ranges = pick_bool(ev, cfg, "server.range-requests");
	rc->hide_dotfiles = pick_bool(ev, cfg, "dir-listing.hide-dotfiles");
}

void
rconf_resolve(struct server *s, struct conn *c)
{
	struct req *r = &c->req;
	struct cfg_request cr = {0};
	struct cfg_eval ev;
	char host[256], query[1024];
	size_t i, n;

	if (s->cfg->n == 1) {
		r->rc = s->global;
		return;
	}
	n = r->host.len < sizeof(host) - 1 ? r->host.len : sizeof(host) - 1;
	for (i = 0; i < n; i++) {
		char ch = r->host.p[i];

		host[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
	}
	host[n] = '\0';
	n = r->uri.query.len < sizeof(query) - 1 ? r->uri.query.len
						 : sizeof(query) - 1;
	if (n > 0)
		memcpy(query, r->uri.query.p, n);
	query[n] = '\0';
	cr.url = r->path;
	cr.host = r->host.len > 0 ? host : NULL;
	cr.method = h1_method_name(r->h1.method_id);
	cr.scheme = "http";
	cr.remote_ip = c->peer;
	cr.query = query;
	cr.socket = c->lis->name;
	if (config_eval_init(&ev, s->cfg, &cr) == -1) {
		r->rc = s->global;
		return;
	}
	rconf_fill(&r->rc, &ev, s->cfg, s->global.docroot);
	config_eval_done(&ev);
}

void
static_rconf_global(struct server *s, const char *default_root)
{
	rconf_fill(&s->global, NULL, s->cfg, default_root);
}

static int
has_suffix(const char *p, size_t len, const struct cfg_value *list)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++) {
		const struct cfg_value *v = &list->items[i];

		/* An empty suffix matches everything, as in lighttpd
		 * (url.access-deny = ("") denies all). */
		if (v->type == CFG_STRING && v->len <= len &&
			memcmp(p + len - v->len, v->str, v->len) == 0)
			return 1;
	}
	return 0;
}

static void
answer(struct conn *c, int status)
{
	if (resp_error(c, status) == -1)
		conn_close(c);
}

static void
redirect_slash(struct conn *c)
{
	struct req *r = &c->req;
	char loc[LIMIT_PATH + 64], extra[LIMIT_PATH + 96];
	long n;

	n = uri_path_encode(r->path, r->uri.path.len, c->srv->conf.uri_opts,
		loc, sizeof(loc) - 2);
	if (n == -1 || (size_t)n + r->uri.query.len + 3 > sizeof(loc)) {
		answer(c, 414);
		return;
	}
	loc[n++] = '/';
	if (r->uri.has_query) {
		loc[n++] = '?';
		memcpy(loc + n, r->uri.query.p, r->uri.query.len);
		n += (long)r->uri.query.len;
	}
	snprintf(extra, sizeof(extra), "Location: %.*s\r\n", (int)n, loc);
	r->body = BODY_NONE;
	if (resp_head(c, 301, 0, NULL, extra) == -1)
		conn_close(c);
}

/* 304 when the client's copy is current (RFC 9110 §13.1.2, §13.1.3). */
static int
not_modified(struct req *r, const char *etag, time_t mtime)
{
	time_t since;

	if (r->if_none_match.len > 0)
		return etag[0] != '\0' &&
			httputil_etag_match(r->if_none_match, etag);
	if (r->if_modified_since.len > 0 &&
		httputil_date_parse(r->if_modified_since, &since) == 0)
		return mtime <= since;
	return 0;
}

/* Look path up in the stat cache; NULL with errno set when it fails. */
static struct sc_entry *
cached_stat(struct conn *c, const char *path, size_t len)
{
	struct sc_entry *e =
		stat_cache_get(c->srv->sc, path, len, loop_now(c->srv->loop));

	if (e == NULL)
		return NULL;
	if (e->err != 0) {
		errno = e->err;
		return NULL;
	}
	return e;
}

/*
 * server.follow-symlink = "disable", as lighttpd: a symlink anywhere below
 * the document root (or alias target) fs[0..rootlen) refuses the request,
 * not only as the last component. One lstat(2) per component, uncached:
 * the stat cache follows links and may be up to STAT_CACHE_TTL_MS old,
 * while this check must see the path as it is. The final open(2) still
 * carries O_NOFOLLOW, which closes the race for the last component.
 * Returns 1 when a component is a symlink (or cannot be checked).
 */
static int
has_symlink(char *fs, size_t rootlen, size_t flen)
{
	struct stat st;
	size_t i;
	char save;

	for (i = rootlen + 1; i <= flen; i++) {
		if (i < flen && fs[i] != '/')
			continue;
		if (fs[i - 1] == '/')
			continue; /* "root/" or a trailing slash */
		save = fs[i];
		fs[i] = '\0';
		if (lstat(fs, &st) == -1 || S_ISLNK(st.st_mode)) {
			fs[i] = save;
			return 1;
		}
		fs[i] = save;
	}
	return 0;
}

/* Serve the regular file e describes (its content too, when small). */
static void
serve_file(struct conn *c, const char *fs, struct sc_entry *e)
{
	struct req *r = &c->req;
	const struct stat *st = &e->st;
	const char *data = e->data;
	off_t first = 0, last = st->st_size - 1, len = st->st_size;
	char extra[256];
	struct hbuf h = {extra, 0, sizeof(extra), 0};
	int status = 200, fd = -1;
	size_t flen = strlen(fs);

	if (has_suffix(fs, flen, r->rc.exclude_exts)) {
		answer(c, 403);
		return;
	}
	/* Without server.follow-symlink every file is opened, so that
	 * O_NOFOLLOW can refuse a link. */
	if (data == NULL || !r->rc.follow_symlink) {
		data = NULL;
		fd = open(fs,
			O_RDONLY | O_NONBLOCK | O_CLOEXEC |
				(r->rc.follow_symlink ? 0 : O_NOFOLLOW));
		if (fd == -1) {
			answer(c, errno == ENOENT ? 404 : 403);
			return;
		}
		r->file_fd = fd;
	}
	/* The type is cached with the entry, for the mimetype.assign list
	 * it was looked up in. */
	if (e->type_src != r->rc.mimetypes || e->type == NULL) {
		e->type = r->rc.mimetypes == NULL
			? NULL
			: httputil_mime(fs, flen, r->rc.mimetypes->items,
				  r->rc.mimetypes->n);
		if (e->type == NULL)
			e->type = "application/octet-stream";
		e->type_src = r->rc.mimetypes;
	}
	if (r->rc.etags)
		hb_field(&h, "ETag", e->etag);
	hb_field(&h, "Last-Modified", e->lastmod);
	if (not_modified(r, r->rc.etags ? e->etag : "", st->st_mtime)) {
		hb_put(&h, "", 1);
		if (resp_head(c, 304, 0, NULL, extra) == -1)
			conn_close(c);
		return;
	}
	if (r->range.len > 0 && r->rc.ranges &&
		r->h1.method_id != H1_METHOD_POST) {
		switch (httputil_range(r->range, st->st_size, &first, &last)) {
		case RANGE_UNSATISFIABLE:
			h.len = 0;
			hb_str(&h, "Content-Range: bytes */");
			hb_num(&h, (long long)st->st_size);
			hb_put(&h, "\r\n", 3);
			c->out.len = c->out.off = 0;
			if (resp_head(c, 416, 0, NULL, extra) == -1)
				conn_close(c);
			return;
		case RANGE_OK:
			status = 206;
			len = last - first + 1;
			break;
		case RANGE_NONE:
			first = 0;
			last = st->st_size - 1;
			break;
		}
	}
	if (r->h1.method_id != H1_METHOD_POST)
		hb_str(&h, "Accept-Ranges: bytes\r\n");
	if (status == 206) {
		hb_str(&h, "Content-Range: bytes ");
		hb_num(&h, (long long)first);
		hb_put(&h, "-", 1);
		hb_num(&h, (long long)last);
		hb_put(&h, "/", 1);
		hb_num(&h, (long long)st->st_size);
		hb_put(&h, "\r\n", 2);
	}
	hb_put(&h, "", 1);
	if (h.over || resp_head(c, status, len, e->type, extra) == -1) {
		conn_close(c);
		return;
	}
	if (r->is_head || len == 0)
		return;
	/* Small file: copy it behind the head, so both leave in one write. */
	if (data != NULL && buf_space(&c->out) >= (size_t)len) {
		memcpy(buf_tail(&c->out), data + first, (size_t)len);
		buf_commit(&c->out, (size_t)len);
		r->bytes_out += len;
		return;
	}
	if (fd == -1) {
		/* Cached, but no room left behind a batch of pipelined
		 * responses: open it after all. */
		if ((fd = open(fs, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
			c->close_after = 1;
			return;
		}
		r->file_fd = fd;
	}
	r->body = BODY_FILE;
	r->file_off = first;
	r->file_left = len;
}

/* Directory: add the slash, else try index-file.names, else list or 403. */
static void
serve_dir(struct conn *c, char *fs, size_t flen)
{
	struct req *r = &c->req;
	struct sc_entry *e;
	size_t i;

	if (r->path[r->uri.path.len - 1] != '/') {
		redirect_slash(c);
		return;
	}
	for (i = 0; r->rc.index_names != NULL && i < r->rc.index_names->n;
		i++) {
		const struct cfg_value *v = &r->rc.index_names->items[i];

		if (v->type != CFG_STRING || v->str[0] == '/' ||
			flen + v->len + 1 >= LIMIT_PATH)
			continue;
		memcpy(fs + flen, v->str, v->len + 1);
		e = cached_stat(c, fs, flen + v->len);
		if (e != NULL && S_ISREG(e->st.st_mode)) {
			serve_file(c, fs, e);
			return;
		}
	}
	fs[flen] = '\0';
	if (r->rc.dirlist) {
		if (dirlist_start(c, fs) == -1)
			answer(c, 403);
		return;
	}
	answer(c, 403);
}

void
static_handle(struct conn *c)
{
	struct req *r = &c->req;
	char fs[LIMIT_PATH];
	struct sc_entry *e;
	struct stat st;
	size_t rootlen, flen;
	long n;

	r->body = BODY_NONE;
	switch (r->h1.method_id) {
	case H1_METHOD_GET:
	case H1_METHOD_HEAD:
	case H1_METHOD_POST: break;
	case H1_METHOD_OPTIONS:
		if (resp_head(c, 200, 0, NULL,
			    "Allow: OPTIONS, GET, HEAD, POST\r\n") == -1)
			conn_close(c);
		return;
	default: answer(c, 501); return;
	}
	rconf_resolve(c->srv, c);
	if (c->srv->use_access &&
		has_suffix(r->path, r->uri.path.len, r->rc.deny)) {
		answer(c, 403);
		return;
	}
	n = mod_alias_physical(r->path, r->uri.path.len, r->rc.alias,
		r->rc.docroot, fs, sizeof(fs), &rootlen);
	if (n < 0) {
		answer(c, n == -1 ? 414 : 403);
		return;
	}
	flen = (size_t)n;
	if ((e = cached_stat(c, fs, flen)) == NULL) {
		if (errno == EACCES) {
			answer(c, 403);
			return;
		}
		/* lighttpd serves "/file.html/extra" as the file (PATH_INFO
		 * for a static file is ignored). */
		while (errno == ENOTDIR && flen > rootlen) {
			flen--;
			while (flen > rootlen && fs[flen] != '/')
				flen--;
			fs[flen] = '\0';
			e = cached_stat(c, fs, flen);
			if (e != NULL && S_ISREG(e->st.st_mode)) {
				if (!r->rc.follow_symlink &&
					has_symlink(fs, rootlen, flen)) {
					answer(c, 403);
					return;
				}
				serve_file(c, fs, e);
				return;
			}
			if (e != NULL)
				errno = ENOTDIR;
		}
		answer(c, 404);
		return;
	}
	st = e->st;
	if (!r->rc.follow_symlink && has_symlink(fs, rootlen, flen)) {
		answer(c, 403);
		return;
	}
	if (S_ISDIR(st.st_mode))
		serve_dir(c, fs, flen);
	else if (S_ISREG(st.st_mode))
		serve_file(c, fs, e);
	else
		answer(c, 403);
}
