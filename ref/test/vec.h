/*
 * Test-vector reader and split-feeding harness for the codec unit tests.
 *
 * spec/vectors/README.md defines the .vec format; this is its C reader
 * (spec/vectors/vectors.py is the Python one). A codec test supplies a
 * driver that feeds a vector's input cut into pieces and renders what the
 * codec decoded as text lines; vec_check() then requires the rendering of
 * the whole input to match the vector and every split feeding to match the
 * whole one (STYLE.md: "tests at every split point").
 *
 * This is test support, not codec code: it allocates, reads files and
 * aborts on a malformed vector file.
 */
#ifndef GH_TEST_VEC_H
#define GH_TEST_VEC_H

#include <stddef.h>
#include <stdint.h>

#define VEC_MAX_EXPECT 256

struct vec {
	const char *file; /* path of the .vec file (owned by the set) */
	int line;         /* line of the vector's "id:" */
	char *id;
	char *rule;   /* one or more rule IDs, space separated */
	char *source; /* where the vector comes from (RFC example, ours...) */
	char *opts;   /* codec options, space separated words; "" if none */
	uint8_t *in;  /* input bytes, exactly in_len long (heap) */
	size_t in_len;
	char *result; /* "ok", "ok N", "partial" or "error REASON" */
	char *expect[VEC_MAX_EXPECT];
	size_t n_expect;
};

struct vec_set {
	struct vec *v;
	size_t n;
	char **files;
	size_t n_files;
};

/* Load every *.vec file in spec/vectors/<subdir> (sorted by name). */
void vec_load_dir(struct vec_set *s, const char *subdir);
/* Load one file (path relative to spec/vectors or absolute). */
void vec_load_file(struct vec_set *s, const char *path);
void vec_set_free(struct vec_set *s);

/* True if word appears in the space-separated list (e.g. v->opts). */
int vec_has_word(const char *list, const char *word);

/*
 * What a driver produced: a result line in the same syntax as "result:"
 * and the rendered decode, one line per expect entry.
 */
#define VEC_OUT_MAX 65536
struct vec_out {
	char result[128];
	char text[VEC_OUT_MAX]; /* lines joined by '\n' */
	size_t len;
	size_t n_lines;
	int overflow;
};

void vec_out_reset(struct vec_out *o);
void vec_out_result(struct vec_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vec_out_line(struct vec_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a line rendering bytes with the .vec escapes (\r \n \t \\ \" \xHH). */
void
vec_out_bytes(struct vec_out *o, const char *prefix, const void *p, size_t n);
/* Render bytes escaped into dst (NUL-terminated, truncated to cap). */
void vec_escape(char *dst, size_t cap, const void *p, size_t n);

/*
 * A driver feeds in[0..len) to the codec in ncuts+1 pieces: piece i runs
 * from cuts[i-1] (or 0) to cuts[i] (or len); cuts are strictly increasing
 * and inside (0, len). It renders the outcome into out. Each piece handed
 * to a driver by vec_check lives in its own exact-size heap block, so
 * ASan catches a read past the bytes a codec was given.
 */
struct vec_piece {
	const uint8_t *p;
	size_t len;
};
typedef void (*vec_driver)(const struct vec *v, const struct vec_piece *pc,
	size_t npieces, struct vec_out *out);

/*
 * Run v through d: whole input must render to v's result and expect lines;
 * every single split point (all of them for inputs up to 4 KiB, else line
 * boundaries +-1 and 256 pseudo-random points), byte-at-a-time feeding
 * (inputs up to 4 KiB) and 64 random multi-cut feedings must render exactly
 * as the whole input does. Fails the cmocka test with a diff on mismatch.
 */
void vec_check(const struct vec *v, vec_driver d);
/* Only the whole-input comparison (for checks where splits make no sense). */
void vec_check_whole(const struct vec *v, vec_driver d);

/* Run every vector of s as its own cmocka test; returns failures. */
int vec_run_all(const char *group, const struct vec_set *s, vec_driver d);

/*
 * For "every error reason reached": fails unless each name in reasons[]
 * (NULL-terminated) appears as "error NAME" in some vector of s.
 */
void
vec_assert_reasons_covered(const struct vec_set *s, const char *const *reasons);

/* malloc that exits the test program when memory runs out. */
void *vec_xmalloc(size_t n);

/* Helpers for drivers: copy pieces into one contiguous heap buffer. */
uint8_t *
vec_join(const struct vec_piece *pc, size_t npieces, size_t upto, size_t *len);

#endif
