/*
 * Socket helpers: see net.h. Errors go back to the caller as -1 plus a
 * message; EINTR on accept is folded into EAGAIN's "try later".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "net.h"

static int
fail(char *err, size_t errlen, const char *what, const char *addr, int fd)
{
	int e = errno;

	if (err != NULL)
		snprintf(err, errlen, "%s %s: %s", what, addr, strerror(e));
	if (fd != -1)
		close(fd);
	errno = e;
	return -1;
}

static int
listen_unix(const char *path, int backlog, char *err, size_t errlen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return fail(err, errlen, "unix socket", path, -1);
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return fail(err, errlen, "socket", path, -1);
	(void)unlink(path); /* a stale socket from a previous run */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return fail(err, errlen, "bind", path, fd);
	if (listen(fd, backlog) == -1)
		return fail(err, errlen, "listen", path, fd);
	return fd;
}

int
net_listen(const char *host, int port, int backlog, char *err, size_t errlen)
{
	struct addrinfo hints = {0}, *ai = NULL;
	char h[256], p[16], text[300];
	int fd = -1, one = 1, rc;
	size_t n;

	if (host != NULL && host[0] == '/')
		return listen_unix(host, backlog, err, errlen);
	if (host == NULL || host[0] == '\0')
		host = "0.0.0.0";
	n = strlen(host);
	if (host[0] == '[' && n > 2 && host[n - 1] == ']' &&
		n - 2 < sizeof(h)) {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
	} else {
		snprintf(h, sizeof(h), "%s", host);
	}
	snprintf(p, sizeof(p), "%d", port);
	snprintf(text, sizeof(text), "%s:%d", host, port);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(h, p, &hints, &ai)) != 0) {
		if (err != NULL)
			snprintf(err, errlen, "resolve %s: %s", text,
				gai_strerror(rc));
		errno = EINVAL;
		return -1;
	}
	fd = socket(
		ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	/* A restarted server must rebind while old connections linger in
	 * TIME_WAIT. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "[::]:80" means IPv6 only, as lighttpd: IPv4 gets its own socket. */
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(
			fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1)
		goto fail;
	if (listen(fd, backlog) == -1)
		goto fail;
	freeaddrinfo(ai);
	return fd;
fail:
	freeaddrinfo(ai);
	return fail(err, errlen, "listen on", text, fd);
}

int
net_accept(int lfd, struct sockaddr_storage *sa, socklen_t *salen)
{
	int fd;

	*salen = sizeof(*sa);
	fd = accept4(lfd, (struct sockaddr *)sa, salen,
		SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1 && (errno == EINTR || errno == ECONNABORTED))
		errno = EAGAIN;
	return fd;
}

void
net_addr_text(const struct sockaddr_storage *sa, char *out, size_t len)
{
	const void *a = NULL;

	if (sa->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->ss_family, a, out, len) == NULL)
		snprintf(out, len, "unix");
}

int
net_nodelay(int fd)
{
	int one = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}
