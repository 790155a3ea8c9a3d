/*
 * epoll(7) backend for the event loop (after redis ae_epoll.c). Level
 * triggered: the connection layer reads once per readiness with a large
 * buffer and relies on being woken again, which keeps a keep-alive request
 * to one epoll_wait, one read and one write. The one exception is
 * LOOP_HUP watched alone (a client waiting for a producer), edge
 * triggered so a half-closed client is reported once, not in a spin.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "limits.h"
#include "loop.h"

struct loop_backend {
	int epfd;
	struct epoll_event events[LIMIT_EVENTS];
};

struct loop_backend *
loop_be_new(void)
{
	struct loop_backend *be;

	if ((be = calloc(1, sizeof(*be))) == NULL)
		return NULL;
	if ((be->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(be);
		return NULL;
	}
	return be;
}

void
loop_be_free(struct loop_backend *be)
{
	if (be == NULL)
		return;
	close(be->epfd);
	free(be);
}

int
loop_be_set(struct loop_backend *be, struct loop_io *io, unsigned old,
	unsigned mask)
{
	struct epoll_event ev = {0};
	int op;

	ev.data.ptr = io;
	if (mask & LOOP_READ)
		ev.events |= EPOLLIN | EPOLLRDHUP;
	if (mask & LOOP_WRITE)
		ev.events |= EPOLLOUT;
	/* Alone, edge-triggered: a FIN stays readable for ever, and the
	 * owner wants to hear of it once, then still hear of a reset. */
	if (mask == LOOP_HUP)
		ev.events |= EPOLLRDHUP | EPOLLET;
	if (mask == 0 && old != 0)
		op = EPOLL_CTL_DEL;
	else if (old == 0)
		op = EPOLL_CTL_ADD;
	else
		op = EPOLL_CTL_MOD;
	if (mask == 0 && old == 0)
		return 0;
	return epoll_ctl(be->epfd, op, io->fd, &ev);
}

int
loop_be_wait(struct loop_backend *be, int timeout, struct loop_io **ios,
	unsigned *events, int max)
{
	int n, i;

	if (max > LIMIT_EVENTS)
		max = LIMIT_EVENTS;
	n = epoll_wait(be->epfd, be->events, max, timeout);
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		unsigned e = be->events[i].events, ev = 0;

		if (e & (EPOLLIN | EPOLLRDHUP))
			ev |= LOOP_READ;
		if (e & EPOLLOUT)
			ev |= LOOP_WRITE;
		if (e & (EPOLLERR | EPOLLHUP))
			ev |= LOOP_ERROR;
		if (e & EPOLLRDHUP)
			ev |= LOOP_HUP;
		ios[i] = be->events[i].data.ptr;
		events[i] = ev;
	}
	return n;
}
