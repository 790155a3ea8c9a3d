/*
 * Pure helpers for static responses: see httputil.h. Numbers are parsed
 * by hand with overflow checks rather than strtoll, since the input is a
 * slice (not NUL-terminated) that a client controls.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "httputil.h"

/* Digits at *p..end into *out; -1 on none or overflow. */
static int
num(const char **p, const char *end, off_t *out)
{
	const char *s = *p;
	unsigned long long v = 0;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (0x7fffffffffffffffull - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*p = s;
	*out = (off_t)v;
	return 0;
}

enum httputil_range
httputil_range(struct slice v, off_t size, off_t *first, off_t *last)
{
	const char *p = v.p, *end = v.p + v.len;
	off_t a, b;

	if (v.len < 7 || strncasecmp(p, "bytes=", 6) != 0)
		return RANGE_NONE;
	p += 6;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (memchr(p, ',', (size_t)(end - p)) != NULL)
		return RANGE_NONE;
	if (p < end && *p == '-') {
		/* suffix-range: the last b bytes */
		p++;
		if (num(&p, end, &b) == -1 || p != end)
			return RANGE_NONE;
		if (b == 0 || size == 0)
			return RANGE_UNSATISFIABLE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return RANGE_OK;
	}
	if (num(&p, end, &a) == -1 || p == end || *p != '-')
		return RANGE_NONE;
	p++;
	if (p == end) {
		b = size - 1;
	} else {
		if (num(&p, end, &b) == -1 || p != end || b < a)
			return RANGE_NONE;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return RANGE_UNSATISFIABLE;
	*first = a;
	*last = b;
	return RANGE_OK;
}

int
httputil_date_parse(struct slice v, time_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char s[32];
	struct tm tm = {0};
	char mon[4], gmt[4];
	int n = 0, i;

	if (v.len >= sizeof(s))
		return -1;
	memcpy(s, v.p, v.len);
	s[v.len] = '\0';
	if (sscanf(s, "%*3s, %2d %3s %4d %2d:%2d:%2d %3s%n", &tm.tm_mday, mon,
		    &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, gmt,
		    &n) != 7 ||
		(size_t)n != v.len || strcmp(gmt, "GMT") != 0)
		return -1;
	for (i = 0; i < 12; i++)
		if (strncmp(months + 3 * i, mon, 3) == 0)
			break;
	if (i == 12)
		return -1;
	tm.tm_mon = i;
	tm.tm_year -= 1900;
	*out = timegm(&tm);
	return 0;
}

int
httputil_etag_match(struct slice v, const char *etag)
{
	const char *p = v.p, *end = v.p + v.len;
	size_t elen = strlen(etag);

	while (p < end) {
		const char *q;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p == end)
			break;
		if (*p == '*')
			return 1;
		if (end - p > 2 && p[0] == 'W' && p[1] == '/')
			p += 2;
		q = p;
		if (q < end && *q == '"') {
			q = memchr(q + 1, '"', (size_t)(end - q - 1));
			if (q == NULL)
				return 0;
			q++;
		} else {
			while (q < end && *q != ',')
				q++;
		}
		if ((size_t)(q - p) == elen && memcmp(p, etag, elen) == 0)
			return 1;
		p = q;
	}
	return 0;
}

const char *
httputil_mime(
	const char *path, size_t len, const struct cfg_value *items, size_t n)
{
	const char *best = NULL;
	size_t bestlen = 0, i;
	int have = 0;

	for (i = 0; i < n; i++) {
		const char *key = items[i].key ? items[i].key : "";
		size_t k = strlen(key);

		if (items[i].type != CFG_STRING || k > len ||
			(have && k <= bestlen))
			continue;
		if (memcmp(path + len - k, key, k) == 0) {
			best = items[i].str;
			bestlen = k;
			have = 1;
		}
	}
	return best;
}

void
hb_put(struct hbuf *h, const char *s, size_t n)
{
	if (h->over || n > h->cap - h->len) {
		h->over = 1;
		return;
	}
	memcpy(h->p + h->len, s, n);
	h->len += n;
}

void
hb_str(struct hbuf *h, const char *s)
{
	hb_put(h, s, strlen(s));
}

void
hb_num(struct hbuf *h, long long v)
{
	char tmp[24], *e = tmp + sizeof(tmp), *p = e;
	unsigned long long u =
		v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	hb_put(h, p, (size_t)(e - p));
}

void
hb_field(struct hbuf *h, const char *name, const char *value)
{
	hb_str(h, name);
	hb_put(h, ": ", 2);
	hb_str(h, value);
	hb_put(h, "\r\n", 2);
}
