/*
 * Directory listings (lighttpd mod_dirlisting, dir-listing.activate): an
 * HTML table of the entries, sorted by name (alphasort). The
 * length is not known up front, so the page is a stream: resp.c frames it
 * chunked for HTTP/1.1 and close-delimited for HTTP/1.0. Names are
 * escaped for HTML and percent-encoded in links.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

struct dirlist {
	struct dirent **ents;
	int n, next;
	int fd; /* the directory, for fstatat() */
	int header_done, footer_done;
	int hide_dot;
	char title[LIMIT_PATH];
};

static void
dirlist_free(void *p)
{
	struct dirlist *d = p;
	int i;

	for (i = 0; i < d->n; i++)
		free(d->ents[i]);
	free(d->ents);
	if (d->fd != -1)
		close(d->fd);
	free(d);
}

static int
html_escape(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;
		size_t k;

		switch (*s) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		k = rep ? strlen(rep) : 1;
		if (o + k + 1 > cap)
			return -1;
		memcpy(out + o, rep ? rep : s, k);
		o += k;
	}
	out[o] = '\0';
	return 0;
}

static int
url_escape(char *out, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (o + 4 > cap)
			return -1;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			(ch >= '0' && ch <= '9') || strchr("-._~", ch)) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
	return 0;
}

/* One row per call while room lasts; 0 at the end. */
static long
dirlist_fill(struct conn *c, char *dst, size_t cap)
{
	struct dirlist *d = c->req.fill_state;
	size_t o = 0;
	int k;

	if (!d->header_done) {
		k = snprintf(dst, cap,
			"<!DOCTYPE html>\n<html>\n<head>\n<meta "
			"charset=\"utf-8\">\n<title>Index of %s</title>\n"
			"</head>\n<body>\n<h2>Index of %s</h2>\n<table>\n"
			"<tr><th>Name</th><th>Last Modified</th>"
			"<th>Size</th></tr>\n"
			"<tr><td><a href=\"../\">..</a>/</td><td></td>"
			"<td>-</td></tr>\n",
			d->title, d->title);
		if (k < 0 || (size_t)k >= cap)
			return -1;
		d->header_done = 1;
		o = (size_t)k;
	}
	while (d->next < d->n) {
		struct dirent *e = d->ents[d->next];
		char name[3 * 256 + 1], href[3 * 256 + 1], when[32];
		struct stat st;
		struct tm tm;
		int dir;

		if (fstatat(d->fd, e->d_name, &st, 0) == -1) {
			d->next++;
			continue;
		}
		dir = S_ISDIR(st.st_mode);
		html_escape(name, sizeof(name), e->d_name);
		url_escape(href, sizeof(href), e->d_name);
		gmtime_r(&st.st_mtime, &tm);
		strftime(when, sizeof(when), "%Y-%b-%d %H:%M:%S", &tm);
		k = snprintf(dst + o, cap - o,
			"<tr><td><a href=\"%s%s\">%s</a>%s</td><td>%s</td>"
			"<td>%lld</td></tr>\n",
			href, dir ? "/" : "", name, dir ? "/" : "", when,
			dir ? 0ll : (long long)st.st_size);
		if (k < 0 || (size_t)k >= cap - o)
			return (long)o; /* next call, with a fresh buffer */
		o += (size_t)k;
		d->next++;
	}
	if (!d->footer_done) {
		k = snprintf(dst + o, cap - o, "</table>\n</body>\n</html>\n");
		if (k < 0 || (size_t)k >= cap - o)
			return (long)o;
		d->footer_done = 1;
		o += (size_t)k;
	}
	return (long)o;
}

static int
skip_dot(const struct dirent *e)
{
	return strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
}

static int
skip_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int
dirlist_start(struct conn *c, const char *fspath)
{
	struct req *r = &c->req;
	struct dirlist *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->fd = open(fspath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d->n = scandir(fspath, &d->ents,
		r->rc.hide_dotfiles ? skip_hidden : skip_dot, alphasort);
	if (d->fd == -1 || d->n < 0) {
		d->n = 0;
		dirlist_free(d);
		return -1;
	}
	html_escape(d->title, sizeof(d->title), r->path);
	r->fill = dirlist_fill;
	r->fill_state = d;
	r->fill_free = dirlist_free;
	if (resp_head(c, 200, -1, "text/html; charset=utf-8", NULL) == -1)
		return -1;
	if (!r->is_head)
		r->body = BODY_STREAM;
	return 0;
}
