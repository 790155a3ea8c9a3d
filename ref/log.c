/*
 * Error log: see log.h. One line is formatted into a stack buffer and
 * written with a single write(), so lines from a server and its children
 * (later: spawned backends sharing the fd) never interleave mid-line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "limits.h"
#include "log.h"

static int log_fd_ = 2;
static char *log_path;
static int verbose;

int
log_open(const char *path)
{
	int fd;

	free(log_path);
	log_path = NULL;
	if (path == NULL || path[0] == '\0') {
		log_close();
		return 0;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		return -1;
	log_close();
	log_fd_ = fd;
	log_path = strdup(path);
	return 0;
}

int
log_reopen(void)
{
	char *p = log_path;
	int rc;

	if (p == NULL)
		return 0;
	log_path = NULL;
	rc = log_open(p);
	if (rc == -1)
		log_path = p; /* keep writing to the old file */
	else
		free(p);
	return rc;
}

void
log_close(void)
{
	if (log_fd_ > 2)
		close(log_fd_);
	log_fd_ = 2;
}

void
log_set_verbose(int v)
{
	verbose = v;
}

int
log_fd(void)
{
	return log_fd_;
}

static void
vlog(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	char line[LIMIT_LOG_LINE];
	struct tm tm;
	time_t now = time(NULL);
	size_t n;
	int k;

	localtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S: ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "%s", prefix);
	n += k > 0 ? (size_t)k : 0;
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (k > 0)
		n = n + (size_t)k < sizeof(line) ? n + (size_t)k
						 : sizeof(line) - 1;
	if (errnum != 0) {
		k = snprintf(
			line + n, sizeof(line) - n, ": %s", strerror(errnum));
		if (k > 0)
			n = n + (size_t)k < sizeof(line) ? n + (size_t)k
							 : sizeof(line) - 1;
	}
	line[n < sizeof(line) - 1 ? n : sizeof(line) - 2] = '\n';
	n = n < sizeof(line) - 1 ? n + 1 : sizeof(line) - 1;
	(void)!write(log_fd_, line, n);
}

#define LOG_BODY(prefix, errnum)                                               \
	do {                                                                   \
		va_list ap;                                                    \
		va_start(ap, fmt);                                             \
		vlog(prefix, errnum, fmt, ap);                                 \
		va_end(ap);                                                    \
	} while (0)

void
log_warn(const char *fmt, ...)
{
	int e = errno;

	LOG_BODY("", e);
	errno = e;
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY("", 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY("", 0);
}

void
log_debug(const char *fmt, ...)
{
	if (verbose)
		LOG_BODY("debug: ", 0);
}

void
log_conn(uint64_t cid, uint64_t rid, const char *fmt, ...)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix),
		"conn %llu req %llu: ", (unsigned long long)cid,
		(unsigned long long)rid);
	LOG_BODY(prefix, 0);
}

void
fatal(const char *fmt, ...)
{
	int e = errno;

	LOG_BODY("fatal: ", e);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY("fatal: ", 0);
	exit(1);
}

char *
log_escape(const char *p, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (cap == 0)
		return out;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
			if (o + 1 >= cap)
				break;
			out[o++] = (char)ch;
			continue;
		}
		if (o + 4 >= cap)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[ch >> 4];
		out[o++] = hex[ch & 15];
	}
	out[o] = '\0';
	return out;
}
