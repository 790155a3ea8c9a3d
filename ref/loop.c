/*
 * Event loop core: dispatch, timers, cached clock, deferred frees.
 * Timers live in a binary min-heap of pointers to timers embedded in their
 * owners. Pushing a deadline later (every request on a keep-alive
 * connection does) only stores the new deadline; when the old heap key
 * comes due the timer is re-filed instead of fired. So the common case
 * costs no heap work at all, and 10,000 idle connections cost one pointer
 * each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "loop.h"

struct loop {
	struct loop_backend *be;
	struct loop_timer **heap;
	size_t nheap, capheap;
	struct loop_defer *defer;
	uint64_t now;
	time_t wall;
	int stop;
};

static void
clock_update(struct loop *l)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	l->now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	l->wall = time(NULL);
}

struct loop *
loop_new(void)
{
	struct loop *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->be = loop_be_new()) == NULL) {
		free(l);
		return NULL;
	}
	clock_update(l);
	return l;
}

static void run_defers(struct loop *l);

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	run_defers(l);
	loop_be_free(l->be);
	free(l->heap);
	free(l);
}

int
loop_io_add(struct loop *l, struct loop_io *io, unsigned mask)
{
	io->mask = 0;
	return loop_io_mod(l, io, mask);
}

int
loop_io_mod(struct loop *l, struct loop_io *io, unsigned mask)
{
	if (io->mask == mask)
		return 0;
	if (loop_be_set(l->be, io, io->mask, mask) == -1)
		return -1;
	io->mask = mask;
	return 0;
}

void
loop_io_del(struct loop *l, struct loop_io *io)
{
	if (io->fd != -1)
		(void)loop_io_mod(l, io, 0);
	io->fd = -1;
}

/* Heap helpers: idx is 1-based so 0 can mean "not in the heap". */
static void
heap_put(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->idx = i + 1;
}

static void
heap_up(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (l->heap[p]->heap_key <= t->heap_key)
			break;
		heap_put(l, i, l->heap[p]);
		i = p;
	}
	heap_put(l, i, t);
}

static void
heap_down(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap &&
			l->heap[c + 1]->heap_key < l->heap[c]->heap_key)
			c++;
		if (t->heap_key <= l->heap[c]->heap_key)
			break;
		heap_put(l, i, l->heap[c]);
		i = c;
	}
	heap_put(l, i, t);
}

static void
heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t i = t->idx - 1;
	struct loop_timer *last = l->heap[--l->nheap];

	t->idx = 0;
	if (i == l->nheap)
		return;
	heap_put(l, i, last);
	heap_up(l, i);
	heap_down(l, last->idx - 1);
}

static int
heap_push(struct loop *l, struct loop_timer *t)
{
	if (l->nheap == l->capheap) {
		size_t cap = l->capheap ? l->capheap * 2 : 64;
		struct loop_timer **h = realloc(l->heap, cap * sizeof(*h));

		if (h == NULL)
			return -1;
		l->heap = h;
		l->capheap = cap;
	}
	t->heap_key = t->when;
	heap_put(l, l->nheap++, t);
	heap_up(l, l->nheap - 1);
	return 0;
}

void
loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t ms)
{
	t->when = l->now + ms;
	if (t->idx != 0) {
		if (t->when >= t->heap_key)
			return; /* lazy: re-filed when the old key comes due */
		heap_remove(l, t);
	}
	/* Out of memory for the heap: fire on the next iteration rather
	 * than never (the owner's callback re-checks its own state). */
	if (heap_push(l, t) == -1)
		t->when = l->now;
}

void
loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	t->when = 0;
	if (t->idx != 0)
		heap_remove(l, t);
}

uint64_t
loop_now(const struct loop *l)
{
	return l->now;
}

time_t
loop_wall(const struct loop *l)
{
	return l->wall;
}

void
loop_defer(struct loop *l, struct loop_defer *d)
{
	if (d->queued)
		return;
	d->queued = 1;
	d->next = l->defer;
	l->defer = d;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

static void
run_timers(struct loop *l)
{
	while (l->nheap > 0 && l->heap[0]->heap_key <= l->now) {
		struct loop_timer *t = l->heap[0];

		heap_remove(l, t);
		if (t->when == 0)
			continue;
		if (t->when > l->now) {
			(void)heap_push(l, t);
			continue;
		}
		t->when = 0;
		t->cb(l, t);
	}
}

static void
run_defers(struct loop *l)
{
	while (l->defer != NULL) {
		struct loop_defer *d = l->defer;

		l->defer = d->next;
		d->queued = 0;
		d->fn(d->obj);
	}
}

static int
next_timeout(const struct loop *l)
{
	uint64_t key;

	if (l->nheap == 0)
		return -1;
	key = l->heap[0]->heap_key;
	if (key <= l->now)
		return 0;
	return key - l->now > 60000 ? 60000 : (int)(key - l->now);
}

int
loop_run(struct loop *l)
{
	struct loop_io *ios[LIMIT_EVENTS];
	unsigned events[LIMIT_EVENTS];

	l->stop = 0;
	while (!l->stop) {
		int n, i;

		run_defers(l);
		n = loop_be_wait(
			l->be, next_timeout(l), ios, events, LIMIT_EVENTS);
		if (n == -1)
			return -1;
		clock_update(l);
		for (i = 0; i < n; i++) {
			/* An earlier callback of this batch may have
			 * removed the fd; its memory lives until
			 * run_defers(). */
			if (ios[i]->fd == -1)
				continue;
			ios[i]->cb(l, ios[i], events[i]);
		}
		run_timers(l);
	}
	run_defers(l);
	return 0;
}
