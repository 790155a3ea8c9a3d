/*
 * Socket helpers (after redis anet.c): non-blocking listeners on IPv4,
 * IPv6 and unix paths, accept, peer address text. They never log: a
 * failure returns -1 and, where given, a message in err[0..errlen) that
 * the caller logs once with its own context.
 */
#ifndef GH_NET_H
#define GH_NET_H

#include <stddef.h>
#include <sys/socket.h>

/* Listen on host:port (host NULL or "" = all IPv4 addresses; an IPv6
 * literal may come bracketed) or on a unix path given as "/path". Returns
 * the non-blocking, close-on-exec fd or -1. */
int
net_listen(const char *host, int port, int backlog, char *err, size_t errlen);
/* Accept one connection, non-blocking and close-on-exec; -1 with errno
 * (EAGAIN when none is pending). */
int net_accept(int lfd, struct sockaddr_storage *sa, socklen_t *salen);
/* "1.2.3.4", "::1" or "unix" for sa; always NUL-terminates. */
void net_addr_text(const struct sockaddr_storage *sa, char *out, size_t len);
/* Disable Nagle: responses are written whole, so delaying them only adds
 * latency (a head and a sendfile are two writes). */
int net_nodelay(int fd);

#endif
