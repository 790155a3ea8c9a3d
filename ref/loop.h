/*
 * The event loop (after redis ae.c): one callback per file descriptor,
 * timers embedded in their owners, a cached clock, and deferred frees.
 * Everything the server does runs from loop_run(): the kernel backend
 * (loop_epoll.c) reports ready fds, the loop calls their owners, fires due
 * timers, then, just before sleeping again, frees the objects callbacks
 * marked dead, so no callback ever frees memory an event of the same
 * batch still points to.
 */
#ifndef GH_LOOP_H
#define GH_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LOOP_READ  0x1u
#define LOOP_WRITE 0x2u
#define LOOP_ERROR 0x4u /* error or hang-up; delivered whatever the mask */
/* The peer shut down its sending side (TCP FIN). Watched alone, it is
 * edge-triggered: reported once per FIN (and once more on each re-arm),
 * and an error or reset after it still arrives as LOOP_ERROR. A producer
 * waiting on the far side uses it to notice a client that leaves. */
#define LOOP_HUP 0x8u

struct loop;

/* A watched fd, embedded in its owner. fd is -1 once removed, and the
 * loop skips pending events for it. */
struct loop_io {
	int fd;
	unsigned mask;
	void (*cb)(struct loop *l, struct loop_io *io, unsigned events);
	void *data;
};

/* A timer, embedded in its owner. Re-arming later is O(1): the heap keeps
 * the old key and the timer is re-filed when that key comes due. */
struct loop_timer {
	uint64_t when;     /* deadline in loop ms; 0 when disarmed */
	uint64_t heap_key; /* deadline the heap is ordered by */
	size_t idx;        /* heap index + 1; 0 when not in the heap */
	void (*cb)(struct loop *l, struct loop_timer *t);
	void *data;
};

/* A deferred free, embedded in the object it frees. */
struct loop_defer {
	struct loop_defer *next;
	void (*fn)(void *obj);
	void *obj;
	int queued;
};

/* Create a loop; NULL on failure (errno). */
struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watch io->fd for mask (LOOP_READ | LOOP_WRITE); 0 or -1 with errno. */
int loop_io_add(struct loop *l, struct loop_io *io, unsigned mask);
int loop_io_mod(struct loop *l, struct loop_io *io, unsigned mask);
/* Stop watching; sets io->fd to -1 (the caller still owns and closes the
 * descriptor, which it saved before). */
void loop_io_del(struct loop *l, struct loop_io *io);

/* Fire t->cb once, ms milliseconds from the cached now. */
void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t ms);
void loop_timer_stop(struct loop *l, struct loop_timer *t);

/* Cached clocks, refreshed after every wait: monotonic ms and wall time. */
uint64_t loop_now(const struct loop *l);
time_t loop_wall(const struct loop *l);

/* Queue d->fn(d->obj) for just before the loop next sleeps. Idempotent. */
void loop_defer(struct loop *l, struct loop_defer *d);

/* Run until loop_stop(); returns 0, or -1 if waiting failed (errno). */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

/* Kernel backend (loop_epoll.c): private to loop.c. */
struct loop_backend;
struct loop_backend *loop_be_new(void);
void loop_be_free(struct loop_backend *be);
int loop_be_set(struct loop_backend *be, struct loop_io *io, unsigned old,
	unsigned mask);
/* Wait up to timeout ms (-1: forever); fills ios/events, returns count. */
int loop_be_wait(struct loop_backend *be, int timeout, struct loop_io **ios,
	unsigned *events, int max);

#endif
