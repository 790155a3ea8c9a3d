/*
 * Sockets and process spawning for gatecheck. Every wait is bounded by a
 * timeout in milliseconds; EINTR is retried here and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

void
net_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	strcpy(sun->sun_path, path);
	return 0;
}

int
net_connect(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], *colon;
	int fd = -1, rc;

	if (strncmp(addr, "unix:", 5) == 0) {
		if (unix_addr(addr + 5, &sun) < 0) {
			snprintf(err, errlen, "socket path too long: %s", addr);
			return -1;
		}
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 ||
			connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
			goto fail;
		return fd;
	}
	snprintf(host, sizeof(host), "%s", addr);
	colon = strrchr(host, ':');
	if (colon == NULL) {
		snprintf(err, errlen,
			"address %s is not unix:/path or "
			"host:port",
			addr);
		return -1;
	}
	*colon = '\0';
	if (host[0] == '[' && colon[-1] == ']') {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		return fd;
fail:
	snprintf(err, errlen, "connect %s: %s", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int
net_listen(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct addrinfo hints, *res = NULL;
	char host[256], *colon;
	int fd = -1, one = 1, rc;

	if (strncmp(addr, "unix:", 5) == 0) {
		if (unix_addr(addr + 5, &sun) < 0) {
			snprintf(err, errlen, "socket path too long: %s", addr);
			return -1;
		}
		unlink(addr + 5);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 ||
			bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
			chmod(addr + 5, 0666) < 0 || listen(fd, 64) < 0)
			goto fail;
		return fd;
	}
	snprintf(host, sizeof(host), "%s", addr);
	colon = strrchr(host, ':');
	if (colon == NULL) {
		snprintf(err, errlen,
			"address %s is not unix:/path or host:port", addr);
		return -1;
	}
	*colon = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) <
			0 ||
		bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
		listen(fd, 64) < 0) {
		freeaddrinfo(res);
		goto fail;
	}
	freeaddrinfo(res);
	return fd;
fail:
	snprintf(err, errlen, "listen %s: %s", addr, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int
net_wait_any(const int *fds, int n, int timeout_ms)
{
	struct pollfd pfd[8];
	int i, rc;

	for (i = 0; i < n && i < 8; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	do
		rc = poll(pfd, (nfds_t)i, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0)
		return -1;
	for (i = 0; i < n && i < 8; i++)
		if (pfd[i].revents)
			return i;
	return -1;
}

int
net_accept(int lfd, int timeout_ms)
{
	int fd;

	if (net_wait_any(&lfd, 1, timeout_ms) < 0)
		return NET_TIMEOUT;
	fd = accept(lfd, NULL, NULL);
	return fd < 0 ? -1 : fd;
}

static int
wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd pfd = {fd, events, 0};
	int rc;

	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc;
}

int
net_write_all(int fd, const void *p, size_t len, int timeout_ms)
{
	const unsigned char *b = p;
	ssize_t n;

	while (len > 0) {
		if (wait_fd(fd, POLLOUT, timeout_ms) <= 0)
			return -1;
		n = send(fd, b, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

long
net_read(int fd, void *p, size_t cap, int timeout_ms)
{
	ssize_t n;
	int rc;

	for (;;) {
		rc = wait_fd(fd, POLLIN, timeout_ms);
		if (rc == 0)
			return NET_TIMEOUT;
		if (rc < 0)
			return -1;
		n = recv(fd, p, cap, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		return n < 0 ? -1 : (long)n;
	}
}

pid_t
net_spawn(const char *cmd, char *dir, size_t dirlen, char *addr, size_t addrlen,
	char *err, size_t errlen)
{
	struct sockaddr_un sun;
	char path[160];
	pid_t pid;
	int fd, log;

	if (dir[0] == '\0') {
		snprintf(dir, dirlen, "/tmp/gatecheck-XXXXXX");
		if (mkdtemp(dir) == NULL) {
			snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
			return -1;
		}
		chmod(dir, 0755);
	}
	snprintf(path, sizeof(path), "%s/app.sock", dir);
	unlink(path);
	if (unix_addr(path, &sun) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
		listen(fd, 64) < 0) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	chmod(path, 0777);
	/* The app's own output goes to DIR/app.log, not into our report. */
	snprintf(path, sizeof(path), "%s/app.log", dir);
	log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (pid == 0) {
		/* FastCGI §2.2: the listening socket is fd 0; the app gets
		 * no stdin and keeps our stdout/stderr for its logs. */
		setpgid(0, 0);
		dup2(fd, 0);
		if (fd != 0)
			close(fd);
		signal(SIGPIPE, SIG_DFL);
		if (log >= 0) {
			dup2(log, 1);
			dup2(log, 2);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	if (log >= 0)
		close(log);
	/* Our copy goes: once the app dies, connecting fails at once
	 * instead of queueing on a socket nobody accepts on. */
	close(fd);
	snprintf(addr, addrlen, "unix:%s/app.sock", dir);
	return pid;
}

int
net_exited(pid_t pid)
{
	int status;
	pid_t r = waitpid(pid, &status, WNOHANG);

	/* ECHILD: reaped by an earlier call, so it is gone all the same. */
	return r == pid || (r < 0 && errno == ECHILD);
}

void
net_unspawn(pid_t pid)
{
	int i, status;

	if (pid <= 0)
		return;
	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto reaped;
		net_sleep_ms(20);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
reaped:
	/* Children the app forked (php-fpm workers, uwsgi workers). */
	kill(-pid, SIGKILL);
}
