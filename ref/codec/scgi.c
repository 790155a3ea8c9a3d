/*
 * SCGI request head codec: netstring framing (D. J. Bernstein's netstring
 * format, as SCGI uses it) around NUL-terminated name/value pairs.
 *
 * Sits between cgi_env (which builds the variables) and the backend
 * socket on the gateway side, and at the front of a server reading SCGI.
 * Implements spec/scgi.md: SCGI-NS-1..5 (netstring), SCGI-HDR-1..7 (pairs,
 * CONTENT_LENGTH first, SCGI=1, no duplicates) and SCGI-ENC-1..3 (what
 * the encoder refuses). Pure: no allocation, slices into the caller's
 * buffer.
 */
#include "codec/scgi.h"

#include <string.h>

/* More digits than any real length needs (2^64 has 20). */
#define MAX_LEN_DIGITS 20

/* Largest CONTENT_LENGTH we accept: fits a signed 64-bit file offset. */
#define MAX_CONTENT_LENGTH 0x7fffffffffffffffULL

/* Encoder bound on field and head sizes, so size sums cannot wrap. */
#define ENC_LIMIT ((size_t)-1 / 4)

const char *
scgi_reason_name(enum scgi_reason r)
{
	/* A switch, not a table: a table of pointers would be relocated
	 * writable data, which the purity check forbids. */
	switch (r) {
	case SCGI_OK: return "OK";
	case SCGI_LENGTH_INVALID: return "LENGTH_INVALID";
	case SCGI_LENGTH_LEADING_ZERO: return "LENGTH_LEADING_ZERO";
	case SCGI_HEAD_TOO_LARGE: return "HEAD_TOO_LARGE";
	case SCGI_MISSING_COMMA: return "MISSING_COMMA";
	case SCGI_NAME_EMPTY: return "NAME_EMPTY";
	case SCGI_NAME_UNTERMINATED: return "NAME_UNTERMINATED";
	case SCGI_VALUE_UNTERMINATED: return "VALUE_UNTERMINATED";
	case SCGI_CONTENT_LENGTH_NOT_FIRST: return "CONTENT_LENGTH_NOT_FIRST";
	case SCGI_CONTENT_LENGTH_INVALID: return "CONTENT_LENGTH_INVALID";
	case SCGI_SCGI_MISSING: return "SCGI_MISSING";
	case SCGI_SCGI_VALUE_INVALID: return "SCGI_VALUE_INVALID";
	case SCGI_DUPLICATE_NAME: return "DUPLICATE_NAME";
	case SCGI_TOO_MANY_FIELDS: return "TOO_MANY_FIELDS";
	case SCGI_REASON_COUNT: break;
	}
	return "UNKNOWN";
}

static int
slice_is(struct slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && memcmp(s.p, lit, n) == 0;
}

/*
 * CONTENT_LENGTH value: a non-empty run of ASCII digits (SCGI-HDR-4).
 * Leading zeros are harmless here (RFC 9110 §8.6 allows them too); the
 * value must fit MAX_CONTENT_LENGTH. Returns 0 and sets *out, or -1.
 */
static int
parse_content_length(struct slice s, uint64_t *out)
{
	uint64_t v = 0;

	if (s.len == 0)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';

		if (d > 9 || v > (MAX_CONTENT_LENGTH - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * The netstring prefix "<digits>:" (SCGI-NS-1..3). Returns the offset of
 * the first block byte, 0 when the prefix is still incomplete, or -1.
 * Each byte is judged as it arrives, so garbage is refused at once.
 */
static long
parse_prefix(const char *p, size_t len, unsigned flags, size_t max,
	size_t *blen, enum scgi_reason *why)
{
	size_t i, n = 0;

	for (i = 0; i < len && p[i] != ':'; i++) {
		unsigned d = (unsigned char)p[i] - '0';

		if (d > 9 || i == MAX_LEN_DIGITS) {
			*why = SCGI_LENGTH_INVALID;
			return -1;
		}
		/* Netstrings: "0:" is the only length starting with 0. */
		if (i == 1 && p[0] == '0' &&
			!(flags & SCGI_LENIENT_LEADING_ZERO)) {
			*why = SCGI_LENGTH_LEADING_ZERO;
			return -1;
		}
		if (d > max || n > (max - d) / 10) {
			*why = SCGI_HEAD_TOO_LARGE;
			return -1;
		}
		n = n * 10 + d;
	}
	if (i == len)
		return 0;
	if (i == 0) {
		*why = SCGI_LENGTH_INVALID;
		return -1;
	}
	*blen = n;
	return (long)i + 1;
}

/*
 * Split the block into NAME NUL VALUE NUL pairs (SCGI-HDR-1..2): names
 * are non-empty, values may be empty, every string ends in NUL inside
 * the block.
 */
static int
split_pairs(const char *q, const char *end, struct field *fields, size_t cap,
	size_t *n, enum scgi_reason *why)
{
	*n = 0;
	while (q < end) {
		const char *ne = memchr(q, '\0', (size_t)(end - q)), *v, *ve;

		if (ne == NULL) {
			*why = SCGI_NAME_UNTERMINATED;
			return -1;
		}
		if (ne == q) {
			*why = SCGI_NAME_EMPTY;
			return -1;
		}
		v = ne + 1;
		ve = memchr(v, '\0', (size_t)(end - v));
		if (ve == NULL) {
			*why = SCGI_VALUE_UNTERMINATED;
			return -1;
		}
		if (*n == cap) {
			*why = SCGI_TOO_MANY_FIELDS;
			return -1;
		}
		fields[*n].name = (struct slice){q, (size_t)(ne - q)};
		fields[*n].value = (struct slice){v, (size_t)(ve - v)};
		(*n)++;
		q = ve + 1;
	}
	return 0;
}

/* SCGI-HDR-6: no name twice. Quadratic, so bounded by the caller's cap. */
static int
has_duplicate(const struct field *f, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (f[i].name.len == f[j].name.len &&
				memcmp(f[i].name.p, f[j].name.p,
					f[i].name.len) == 0)
				return 1;
	return 0;
}

/* The rules about which pairs must be there (SCGI-HDR-3..6). */
static int
check_pairs(struct scgi_head *h, unsigned flags, enum scgi_reason *why)
{
	const struct field *f = h->fields;
	int seen_scgi = 0;

	/* SCGI-HDR-3: the first pair is CONTENT_LENGTH, always. */
	if (h->n_fields == 0 || !slice_is(f[0].name, "CONTENT_LENGTH")) {
		*why = SCGI_CONTENT_LENGTH_NOT_FIRST;
		return -1;
	}
	if (parse_content_length(f[0].value, &h->content_length) != 0) {
		*why = SCGI_CONTENT_LENGTH_INVALID;
		return -1;
	}
	if (!(flags & SCGI_LENIENT_DUPLICATES) &&
		has_duplicate(f, h->n_fields)) {
		*why = SCGI_DUPLICATE_NAME;
		return -1;
	}
	/* SCGI-HDR-5: an SCGI pair whose value is exactly "1". */
	for (size_t i = 1; i < h->n_fields; i++) {
		if (!slice_is(f[i].name, "SCGI"))
			continue;
		if (!slice_is(f[i].value, "1")) {
			*why = SCGI_SCGI_VALUE_INVALID;
			return -1;
		}
		seen_scgi = 1;
	}
	if (!seen_scgi && !(flags & SCGI_LENIENT_NO_SCGI)) {
		*why = SCGI_SCGI_MISSING;
		return -1;
	}
	return 0;
}

long
scgi_decode_head(const char *p, size_t len, const struct scgi_opts *opts,
	struct scgi_head *h, struct field *fields, size_t cap,
	enum scgi_reason *why)
{
	unsigned flags = opts ? opts->flags : 0;
	size_t max =
		opts && opts->max_head ? opts->max_head : SCGI_DEFAULT_MAX_HEAD;
	size_t blen = 0;
	long off;

	*why = SCGI_OK;
	off = parse_prefix(p, len, flags, max, &blen, why);
	if (off <= 0)
		return off;
	/* SCGI-NS-4: the block is followed by exactly one ','. */
	if (len - (size_t)off <= blen)
		return 0;
	if (p[(size_t)off + blen] != ',') {
		*why = SCGI_MISSING_COMMA;
		return -1;
	}
	h->block_len = blen;
	h->content_length = 0;
	h->fields = fields;
	if (split_pairs(p + off, p + off + blen, fields, cap, &h->n_fields,
		    why) != 0 ||
		check_pairs(h, flags, why) != 0)
		return -1;
	return off + (long)blen + 1;
}

/*
 * What the encoder refuses (SCGI-ENC-1..3). Sets *block to the pair bytes
 * it will write and *add_scgi when it must append SCGI=1 itself.
 */
static int
enc_check(const struct field *f, size_t n, size_t *block, int *add_scgi)
{
	uint64_t cl;
	size_t total = 0;

	*add_scgi = 1;
	if (n == 0 || !slice_is(f[0].name, "CONTENT_LENGTH") ||
		parse_content_length(f[0].value, &cl) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t nl = f[i].name.len, vl = f[i].value.len;

		/* Sizes past a quarter of the address space are not real. */
		if (nl > ENC_LIMIT || vl > ENC_LIMIT ||
			nl + vl + 2 > ENC_LIMIT - total)
			return -1;
		if (nl == 0 || memchr(f[i].name.p, '\0', nl) != NULL ||
			memchr(f[i].value.p, '\0', vl) != NULL)
			return -1;
		total += nl + vl + 2;
		if (slice_is(f[i].name, "SCGI")) {
			if (!slice_is(f[i].value, "1"))
				return -1;
			*add_scgi = 0;
		}
	}
	if (has_duplicate(f, n))
		return -1;
	*block = total +
		(*add_scgi ? sizeof("SCGI\0"
				    "1")
			   : 0);
	return 0;
}

static size_t
count_digits(size_t v)
{
	size_t d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

size_t
scgi_head_size(const struct field *fields, size_t n)
{
	size_t block;
	int add_scgi;

	if (enc_check(fields, n, &block, &add_scgi) != 0)
		return 0;
	return count_digits(block) + 1 + block + 1;
}

static char *
put(char *d, const void *s, size_t n)
{
	if (n > 0)
		memcpy(d, s, n);
	return d + n;
}

long
scgi_encode_head(char *dst, size_t cap, const struct field *fields, size_t n)
{
	size_t block, digits, total;
	int add_scgi;
	char *d = dst;

	if (enc_check(fields, n, &block, &add_scgi) != 0)
		return SCGI_ENC_INVALID;
	digits = count_digits(block);
	total = digits + 1 + block + 1;
	if (total > cap)
		return SCGI_ENC_NOSPACE;
	/* SCGI-NS-1: decimal length, most significant digit first. */
	for (size_t i = digits, v = block; i > 0; i--, v /= 10)
		d[i - 1] = (char)('0' + v % 10);
	d += digits;
	*d++ = ':';
	for (size_t i = 0; i < n; i++) {
		d = put(d, fields[i].name.p, fields[i].name.len);
		*d++ = '\0';
		d = put(d, fields[i].value.p, fields[i].value.len);
		*d++ = '\0';
	}
	if (add_scgi)
		d = put(d,
			"SCGI\0"
			"1",
			sizeof("SCGI\0"
			       "1"));
	*d++ = ',';
	return (long)(d - dst);
}
