/*
 * Access log (lighttpd mod_accesslog): one line per response in
 * accesslog.format, by default lighttpd's (Apache's "combined"):
 *   %h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"
 * Request bytes are escaped (log_escape) so a client cannot forge lines.
 * Lines collect in a buffer written when it fills and once a second (the
 * server's tick), so logging costs no system call per request.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

#define DEFAULT_FORMAT                                                         \
	"%h %V %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""

static struct {
	int fd;
	char *path, *format;
	char buf[LIMIT_ACCESSLOG_BUF];
	size_t len;
} al = {.fd = -1};

int
accesslog_open(const char *path, const char *format)
{
	free(al.path);
	free(al.format);
	al.path = al.format = NULL;
	if (path == NULL || path[0] == '\0')
		return 0;
	al.path = strdup(path);
	al.format = strdup(format && format[0] ? format : DEFAULT_FORMAT);
	if (al.path == NULL || al.format == NULL)
		return -1;
	return accesslog_reopen();
}

int
accesslog_reopen(void)
{
	int fd;

	if (al.path == NULL)
		return 0;
	accesslog_flush();
	fd = open(al.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		return -1;
	if (al.fd != -1)
		close(al.fd);
	al.fd = fd;
	return 0;
}

void
accesslog_flush(void)
{
	if (al.fd != -1 && al.len > 0)
		(void)!write(al.fd, al.buf, al.len);
	al.len = 0;
}

static size_t
put_slice(char *out, size_t cap, const char *p, size_t n)
{
	if (n == 0 || p == NULL) {
		if (cap > 1)
			out[0] = '-';
		return cap > 1 ? 1 : 0;
	}
	log_escape(p, n, out, cap);
	return strlen(out);
}

static size_t
directive(struct conn *c, const char **fmt, char *out, size_t cap)
{
	struct req *r = &c->req;
	const char *f = *fmt;
	char name[64];
	struct tm tm;
	size_t n = 0;

	if (*f == '>')
		f++;
	if (*f == '\0') {
		*fmt = f;
		return 0;
	}
	if (*f == '{') {
		const char *e = strchr(f, '}');
		size_t k = e ? (size_t)(e - f - 1) : 0;
		const struct slice *v;

		if (e == NULL || k >= sizeof(name) || e[1] == '\0')
			return 0;
		memcpy(name, f + 1, k);
		name[k] = '\0';
		f = e + 1;
		*fmt = f + 1;
		if (*f != 'i')
			return put_slice(out, cap, NULL, 0);
		v = req_field(r, name);
		return put_slice(out, cap, v ? v->p : NULL, v ? v->len : 0);
	}
	*fmt = f + 1;
	switch (*f) {
	case 'h':
	case 'a': return put_slice(out, cap, c->peer, strlen(c->peer));
	case 'V': return put_slice(out, cap, r->host.p, r->host.len);
	case 'u':
	case 'l': return put_slice(out, cap, NULL, 0);
	case 't':
		localtime_r(&r->start, &tm);
		return strftime(out, cap, "[%d/%b/%Y:%H:%M:%S %z]", &tm);
	case 'r':
		if (r->head_len == 0)
			return put_slice(out, cap, NULL, 0);
		n = put_slice(out, cap, r->h1.method.p, r->h1.method.len);
		n += (size_t)snprintf(out + n, cap - n, " ");
		n += put_slice(
			out + n, cap - n, r->h1.target.p, r->h1.target.len);
		n += (size_t)snprintf(out + n, cap - n, " HTTP/1.%d",
			r->version == 10 ? 0 : 1);
		return n;
	case 'm': return put_slice(out, cap, r->h1.method.p, r->h1.method.len);
	case 'U': return put_slice(out, cap, r->path, strlen(r->path));
	case 'q': return put_slice(out, cap, r->uri.query.p, r->uri.query.len);
	case 's': return (size_t)snprintf(out, cap, "%d", r->status);
	case 'b':
	case 'O':
		if (r->bytes_out == 0 && *f == 'b')
			return put_slice(out, cap, NULL, 0);
		return (size_t)snprintf(out, cap, "%lld", r->bytes_out);
	case 'T':
		return (size_t)snprintf(out, cap, "%lld",
			(long long)(loop_wall(c->srv->loop) - r->start));
	case '%': return (size_t)snprintf(out, cap, "%%");
	}
	return 0;
}

void
accesslog_write(struct conn *c)
{
	char line[LIMIT_LOG_LINE];
	const char *f;
	size_t n = 0;

	if (al.fd == -1 || c->req.status == 0)
		return;
	for (f = al.format; *f != '\0' && n < sizeof(line) - 2;) {
		if (*f != '%') {
			line[n++] = *f++;
			continue;
		}
		f++;
		n += directive(c, &f, line + n, sizeof(line) - 1 - n);
		if (n > sizeof(line) - 2)
			n = sizeof(line) - 2;
	}
	line[n++] = '\n';
	if (al.len + n > sizeof(al.buf))
		accesslog_flush();
	memcpy(al.buf + al.len, line, n);
	al.len += n;
}
