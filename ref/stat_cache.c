/*
 * Stat and small-file cache: see stat_cache.h. A revalidation re-runs
 * stat(2) and keeps the cached bytes only while inode, size, mtime and
 * ctime (with nanoseconds) are unchanged, so a rewrite is noticed at the
 * next revalidation even when it keeps the size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"
#include "stat_cache.h"

struct stat_cache {
	struct sc_entry slot[LIMIT_CACHE_ENTRIES];
};

struct stat_cache *
stat_cache_new(void)
{
	return calloc(1, sizeof(struct stat_cache));
}

static void
entry_clear(struct sc_entry *e)
{
	free(e->path);
	free(e->data);
	memset(e, 0, sizeof(*e));
}

void
stat_cache_free(struct stat_cache *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < LIMIT_CACHE_ENTRIES; i++)
		entry_clear(&sc->slot[i]);
	free(sc);
}

/* FNV-1a: short paths, one pass, good enough spread for a slot index. */
static uint32_t
hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;

	while (len-- > 0)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h;
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
		a->st_size == b->st_size &&
		a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
		a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
		a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
		a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Read a small file whole; NULL (uncached, served by sendfile) on any
 * surprise, such as the file changing size under us. */
static char *
load(const char *path, const struct stat *st)
{
	char *data;
	int fd;

	if (!S_ISREG(st->st_mode) || st->st_size > LIMIT_SMALL_FILE ||
		st->st_size == 0)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return NULL;
	data = malloc((size_t)st->st_size);
	if (data != NULL &&
		read(fd, data, (size_t)st->st_size) != st->st_size) {
		free(data);
		data = NULL;
	}
	close(fd);
	return data;
}

struct sc_entry *
stat_cache_get(
	struct stat_cache *sc, const char *path, size_t len, uint64_t now)
{
	struct sc_entry *e = &sc->slot[hash(path, len) % LIMIT_CACHE_ENTRIES];
	struct stat st;
	int err;

	if (e->path != NULL && e->len == len &&
		memcmp(e->path, path, len) == 0) {
		if (now - e->checked < STAT_CACHE_TTL_MS)
			return e;
	} else {
		entry_clear(e);
		if ((e->path = malloc(len + 1)) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		memcpy(e->path, path, len);
		e->path[len] = '\0';
		e->len = len;
		e->err = -1; /* never stat'ed */
	}
	err = stat(e->path, &st) == -1 ? errno : 0;
	e->checked = now;
	if (err != 0 || e->err != 0 || !same_file(&st, &e->st)) {
		struct tm tm;

		free(e->data);
		e->data = err == 0 ? load(e->path, &st) : NULL;
		e->type = NULL;
		snprintf(e->etag, sizeof(e->etag), "\"%llx-%llx-%llx\"",
			(unsigned long long)st.st_ino,
			(unsigned long long)st.st_size,
			(unsigned long long)st.st_mtime);
		gmtime_r(&st.st_mtime, &tm);
		strftime(e->lastmod, sizeof(e->lastmod),
			"%a, %d %b %Y %H:%M:%S GMT", &tm);
	}
	e->err = err;
	if (err == 0)
		e->st = st;
	return e;
}
