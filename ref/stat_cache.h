/*
 * Stat and small-file cache (as lighttpd's stat_cache): what stat(2) said
 * about a path, and the bytes of small regular files, trusted for one
 * second. Staleness bound: a change on disk is seen at most
 * STAT_CACHE_TTL_MS after it happens (a file rewritten within that window
 * may be served old for the rest of it). Negative answers (ENOENT...) are
 * cached the same way. Direct-mapped with LIMIT_CACHE_ENTRIES slots, so
 * its memory is bounded: at most LIMIT_CACHE_ENTRIES * LIMIT_SMALL_FILE
 * bytes of content.
 */
#ifndef GH_STAT_CACHE_H
#define GH_STAT_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define STAT_CACHE_TTL_MS 1000

struct sc_entry {
	char *path; /* NUL-terminated, owned */
	size_t len;
	int err;          /* 0, or the errno stat(2) gave */
	struct stat st;   /* valid when err == 0 */
	char *data;       /* whole content of a small regular file, or NULL */
	uint64_t checked; /* loop ms of the last stat(2) */
	/* Response facts derived once per version of the file. */
	char etag[48];        /* "\"ino-size-mtime\"" */
	char lastmod[32];     /* IMF-fixdate of st_mtime */
	const char *type;     /* Content-Type, owned by the config */
	const void *type_src; /* the mimetype.assign list type came from */
};

struct stat_cache;

struct stat_cache *stat_cache_new(void);
void stat_cache_free(struct stat_cache *sc);
/*
 * The entry for path[0..len) as of at most STAT_CACHE_TTL_MS before now
 * (loop ms). NULL only when out of memory (errno ENOMEM); otherwise check
 * ->err. The entry is valid until the next stat_cache_get() call; the
 * caller may fill type/type_src.
 */
struct sc_entry *stat_cache_get(
	struct stat_cache *sc, const char *path, size_t len, uint64_t now);

#endif
