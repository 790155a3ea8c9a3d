/*
 * Bounded byte buffers: see buf.h. Compaction is lazy (only when space is
 * asked for, and only when unread bytes remain), so consuming a whole
 * request costs no memmove.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int
buf_init(struct buf *b, size_t cap)
{
	b->off = b->len = 0;
	b->cap = cap;
	b->data = malloc(cap);
	return b->data == NULL ? -1 : 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->cap = b->off = b->len = 0;
}

size_t
buf_space(struct buf *b)
{
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return b->cap - b->off - b->len;
}

void
buf_commit(struct buf *b, size_t n)
{
	b->len += n;
}

void
buf_consume(struct buf *b, size_t n)
{
	b->off += n;
	b->len -= n;
	if (b->len == 0)
		b->off = 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > b->cap - b->off - b->len) {
		if (n > b->cap - b->len)
			return -1;
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	memcpy(buf_tail(b), p, n);
	b->len += n;
	return 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(buf_tail(b), room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -1;
	b->len += (size_t)n;
	return 0;
}
