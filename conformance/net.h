/*
 * gatecheck's socket layer: connect to unix:/path or host:port, timed
 * reads and writes, and --spawn (start an application with a listening
 * socket on fd 0, FCGI_LISTENSOCK_FILENO, as lighttpd's bin-path does).
 * Functions return -1 and fill err instead of printing.
 */
#ifndef GC_NET_H
#define GC_NET_H

#include <stddef.h>
#include <sys/types.h>

#define NET_TIMEOUT (-2)

int net_connect(const char *addr, char *err, size_t errlen);
/* Write all of p; -1 on error or timeout. */
int net_write_all(int fd, const void *p, size_t len, int timeout_ms);
/* Bytes read (> 0), 0 at EOF, -1 on error (reset), NET_TIMEOUT. */
long net_read(int fd, void *p, size_t cap, int timeout_ms);
/*
 * Start cmd under /bin/sh with a new unix listening socket on fd 0 in dir
 * (made if empty). Writes "unix:PATH" into addr. Returns the pid or -1.
 */
pid_t net_spawn(const char *cmd, char *dir, size_t dirlen, char *addr,
	size_t addrlen, char *err, size_t errlen);
/* SIGTERM the spawned group, SIGKILL after a grace period, reap. */
void net_unspawn(pid_t pid);
/* 1 if pid has exited (reaped), 0 if still running. */
int net_exited(pid_t pid);
void net_sleep_ms(int ms);
/*
 * Listen on unix:/path (an old socket file is removed) or host:port;
 * gateway mode's backend. Returns the fd or -1 with err filled.
 */
int net_listen(const char *addr, char *err, size_t errlen);
/* Accept one connection within timeout_ms: fd, -1 error, NET_TIMEOUT. */
int net_accept(int lfd, int timeout_ms);
/* Poll fds for input; returns the index of the first readable, -1 on
   timeout or error. */
int net_wait_any(const int *fds, int n, int timeout_ms);

#endif
