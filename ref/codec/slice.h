/*
 * The two types every codec returns: a slice of the caller's buffer and a
 * name/value field made of two slices. Codecs never copy: a slice is valid
 * exactly as long as the buffer it points into is unchanged.
 */
#ifndef GH_CODEC_SLICE_H
#define GH_CODEC_SLICE_H

#include <stddef.h>

struct slice {
	const char *p; /* first byte; never NUL-terminated */
	size_t len;    /* number of bytes */
};

struct field {
	struct slice name;
	struct slice value;
};

#endif
