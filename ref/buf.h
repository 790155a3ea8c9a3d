/*
 * Bounded byte buffers. A buffer's capacity is fixed when it is created
 * (from a limit in limits.h) and never grows: a caller that needs more
 * space than is left gets -1 and turns it into a status or a close.
 * Unread bytes are data[off .. off+len); free space follows them.
 */
#ifndef GH_BUF_H
#define GH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t cap; /* bytes allocated */
	size_t off; /* start of the unread bytes */
	size_t len; /* unread bytes */
};

/* Allocate cap bytes; 0 or -1 (out of memory). */
int buf_init(struct buf *b, size_t cap);
void buf_free(struct buf *b);
/* The unread bytes. */
static inline char *
buf_head(const struct buf *b)
{
	return b->data + b->off;
}
/* Free space after the unread bytes (moves them to the front first when
 * that makes room). */
size_t buf_space(struct buf *b);
static inline char *
buf_tail(const struct buf *b)
{
	return b->data + b->off + b->len;
}
/* n bytes were written at buf_tail(). */
void buf_commit(struct buf *b, size_t n);
/* n unread bytes were used up. */
void buf_consume(struct buf *b, size_t n);
/* Append; 0, or -1 writing nothing when it does not fit. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
