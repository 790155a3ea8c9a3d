/*
 * Error log (server.errorlog) in the OpenBSD daemon style: log_warn (with
 * errno's text), log_warnx, log_info, log_debug, fatal, fatalx. Messages
 * about a connection carry its id and request id (log_conn) so one client's
 * story can be grepped out; bytes a peer sent are escaped before they are
 * logged (log_escape), so a request cannot forge log lines. The log is
 * process-global and written with one write() per line; SIGHUP reopens it.
 */
#ifndef GH_LOG_H
#define GH_LOG_H

#include <stddef.h>
#include <stdint.h>

/* Open path (append) as the error log; NULL or "" means stderr. 0 or -1. */
int log_open(const char *path);
/* Reopen the same path (after logrotate moved it); 0 or -1. */
int log_reopen(void);
void log_close(void);
void log_set_verbose(int v);
int log_fd(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_conn(uint64_t cid, uint64_t rid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void
fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void
fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy p[0..n) into out[0..cap) with bytes outside printable ASCII, '"'
 * and '\\' written as \xHH; always NUL-terminates, cutting if needed.
 * Returns out. */
char *log_escape(const char *p, size_t n, char *out, size_t cap);

#endif
