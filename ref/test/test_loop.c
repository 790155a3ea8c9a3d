/*
 * Unit tests for the event loop (ref/loop.c, ref/loop_epoll.c): timers
 * fire in deadline order, a timer pushed later fires at its new deadline
 * (the lazy re-file), a stopped timer never fires, deferred frees run
 * before the loop sleeps, and an fd removed by an earlier callback of the
 * same batch gets no callback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"

static int order[8], norder;

static void
on_timer(struct loop *l, struct loop_timer *t)
{
	order[norder++] = (int)(intptr_t)t->data;
	if (norder == 3)
		loop_stop(l);
}

static void
test_timers_fire_in_deadline_order(void **state)
{
	struct loop *l = loop_new();
	struct loop_timer t[3] = {{0}};
	int i;

	(void)state;
	norder = 0;
	for (i = 0; i < 3; i++) {
		t[i].cb = on_timer;
		t[i].data = (void *)(intptr_t)i;
	}
	loop_timer_set(l, &t[0], 30);
	loop_timer_set(l, &t[1], 10);
	loop_timer_set(l, &t[2], 20);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 0);
	loop_free(l);
}

static uint64_t fired_at;

static void
on_stamp(struct loop *l, struct loop_timer *t)
{
	(void)t;
	fired_at = loop_now(l);
	loop_stop(l);
}

static void
test_timer_pushed_later_fires_at_new_deadline(void **state)
{
	struct loop *l = loop_new();
	struct loop_timer t = {.cb = on_stamp};
	uint64_t start = loop_now(l);

	(void)state;
	loop_timer_set(l, &t, 10);
	loop_timer_set(l, &t, 60); /* lazy: heap keeps 10, re-files */
	assert_int_equal(loop_run(l), 0);
	assert_true(fired_at >= start + 60);
	loop_free(l);
}

static void
on_never(struct loop *l, struct loop_timer *t)
{
	(void)l;
	(void)t;
	fail_msg("a stopped timer fired");
}

static void
test_stopped_timer_never_fires(void **state)
{
	struct loop *l = loop_new();
	struct loop_timer a = {.cb = on_never}, b = {.cb = on_stamp};

	(void)state;
	loop_timer_set(l, &a, 5);
	loop_timer_set(l, &b, 30);
	loop_timer_stop(l, &a);
	assert_int_equal(loop_run(l), 0);
	loop_free(l);
}

static int freed;

static void
free_fn(void *obj)
{
	(void)obj;
	freed++;
}

static void
test_deferred_free_runs_once_before_sleeping(void **state)
{
	struct loop *l = loop_new();
	struct loop_defer d = {.fn = free_fn};
	struct loop_timer t = {.cb = on_stamp};

	(void)state;
	freed = 0;
	loop_defer(l, &d);
	loop_defer(l, &d); /* idempotent */
	loop_timer_set(l, &t, 1);
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(freed, 1);
	loop_free(l);
}

/* Two pipes ready in one batch; whichever runs first removes the other. */
static struct loop_io ios[2];
static int calls;

static void
on_io(struct loop *l, struct loop_io *io, unsigned ev)
{
	struct loop_io *other = io == &ios[0] ? &ios[1] : &ios[0];

	(void)ev;
	calls++;
	loop_io_del(l, other);
	loop_io_del(l, io);
	loop_stop(l);
}

static void
test_fd_removed_in_batch_gets_no_callback(void **state)
{
	struct loop *l = loop_new();
	int p[2][2], i;

	(void)state;
	calls = 0;
	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe(p[i]), 0);
		assert_int_equal(write(p[i][1], "x", 1), 1);
		ios[i].fd = p[i][0];
		ios[i].cb = on_io;
		assert_int_equal(loop_io_add(l, &ios[i], LOOP_READ), 0);
	}
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(calls, 1);
	for (i = 0; i < 2; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	loop_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_deadline_order),
		cmocka_unit_test(test_timer_pushed_later_fires_at_new_deadline),
		cmocka_unit_test(test_stopped_timer_never_fires),
		cmocka_unit_test(test_deferred_free_runs_once_before_sleeping),
		cmocka_unit_test(test_fd_removed_in_batch_gets_no_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
