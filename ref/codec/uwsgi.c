/*
 * uwsgi packet codec (uWSGI docs, "The uwsgi Protocol"): the 4-byte
 * packet header and the vars block of 16-bit little-endian sized keys and
 * values.
 *
 * Sits between cgi_env and the backend socket on the gateway side, and at
 * the front of a server reading uwsgi. Implements spec/uwsgi.md:
 * UWSGI-PKT-1..4 (header, modifiers, datasize), UWSGI-VARS-1..4 (the
 * block) and UWSGI-ENC-1..3 (sizes checked before they are narrowed to
 * 16 bits). Pure: no allocation, slices into the caller's buffer.
 */
#include "codec/uwsgi.h"

#include <string.h>

#define HDR_LEN 4

const char *
uwsgi_reason_name(enum uwsgi_reason r)
{
	/* A switch, not a table: a table of pointers would be relocated
	 * writable data, which the purity check forbids. */
	switch (r) {
	case UWSGI_OK: return "OK";
	case UWSGI_MODIFIER_UNSUPPORTED: return "MODIFIER_UNSUPPORTED";
	case UWSGI_VARS_TOO_LARGE: return "VARS_TOO_LARGE";
	case UWSGI_KEY_SIZE_TRUNCATED: return "KEY_SIZE_TRUNCATED";
	case UWSGI_KEY_OVERRUN: return "KEY_OVERRUN";
	case UWSGI_KEY_EMPTY: return "KEY_EMPTY";
	case UWSGI_VALUE_SIZE_TRUNCATED: return "VALUE_SIZE_TRUNCATED";
	case UWSGI_VALUE_OVERRUN: return "VALUE_OVERRUN";
	case UWSGI_TOO_MANY_VARS: return "TOO_MANY_VARS";
	case UWSGI_REASON_COUNT: break;
	}
	return "UNKNOWN";
}

/* UWSGI-PKT-2: every 16-bit size on the wire is little-endian. */
static size_t
get_u16le(const char *p)
{
	return (size_t)(unsigned char)p[0] | (size_t)(unsigned char)p[1] << 8;
}

static void
put_u16le(char *p, size_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)(v >> 8 & 0xff);
}

/*
 * Walk the vars block (UWSGI-VARS-1..4): each entry is a key size, the
 * key, a value size, the value; every size is checked against the bytes
 * left in the block before it is used.
 */
static int
parse_vars(const char *q, size_t left, struct field *vars, size_t cap,
	size_t *n, enum uwsgi_reason *why)
{
	*n = 0;
	while (left > 0) {
		struct field f;
		size_t sz;

		if (left < 2) {
			*why = UWSGI_KEY_SIZE_TRUNCATED;
			return -1;
		}
		sz = get_u16le(q);
		q += 2;
		left -= 2;
		if (sz > left) {
			*why = UWSGI_KEY_OVERRUN;
			return -1;
		}
		if (sz == 0) {
			*why = UWSGI_KEY_EMPTY;
			return -1;
		}
		f.name = (struct slice){q, sz};
		q += sz;
		left -= sz;
		if (left < 2) {
			*why = UWSGI_VALUE_SIZE_TRUNCATED;
			return -1;
		}
		sz = get_u16le(q);
		q += 2;
		left -= 2;
		if (sz > left) {
			*why = UWSGI_VALUE_OVERRUN;
			return -1;
		}
		f.value = (struct slice){q, sz};
		q += sz;
		left -= sz;
		if (*n == cap) {
			*why = UWSGI_TOO_MANY_VARS;
			return -1;
		}
		vars[(*n)++] = f;
	}
	return 0;
}

long
uwsgi_decode(const char *p, size_t len, const struct uwsgi_opts *opts,
	struct uwsgi_packet *pkt, struct field *vars, size_t cap,
	enum uwsgi_reason *why)
{
	unsigned flags = opts ? opts->flags : 0;
	size_t max = opts && opts->max_vars ? opts->max_vars : UWSGI_MAX_VARS;
	int any_mod = (flags & (UWSGI_LENIENT_ANY_MODIFIER | UWSGI_RAW_BLOCK));
	size_t ds;

	*why = UWSGI_OK;
	/* UWSGI-PKT-3: judge each header byte as soon as it is here. */
	if (len >= 1 && p[0] != 0 && !any_mod)
		goto bad_modifier;
	if (len < 3)
		return 0;
	ds = get_u16le(p + 1);
	if (ds > max) {
		*why = UWSGI_VARS_TOO_LARGE;
		return -1;
	}
	if (len < HDR_LEN)
		return 0;
	if (p[3] != 0 && !any_mod)
		goto bad_modifier;
	if (len - HDR_LEN < ds)
		return 0;
	pkt->modifier1 = (uint8_t)p[0];
	pkt->modifier2 = (uint8_t)p[3];
	pkt->datasize = ds;
	pkt->block = (struct slice){p + HDR_LEN, ds};
	pkt->vars = vars;
	pkt->n_vars = 0;
	if (!(flags & UWSGI_RAW_BLOCK) &&
		parse_vars(p + HDR_LEN, ds, vars, cap, &pkt->n_vars, why) != 0)
		return -1;
	return HDR_LEN + (long)ds;

bad_modifier:
	*why = UWSGI_MODIFIER_UNSUPPORTED;
	return -1;
}

size_t
uwsgi_vars_size(const struct field *fields, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		size_t nl = fields[i].name.len, vl = fields[i].value.len;

		/* Saturate instead of wrapping: too large stays too large. */
		if (nl > (size_t)-1 / 4 || vl > (size_t)-1 / 4 ||
			nl + vl + 4 > (size_t)-1 - total)
			return (size_t)-1;
		total += nl + vl + 4;
	}
	return total;
}

long
uwsgi_encode_request(char *dst, size_t cap, uint8_t modifier1,
	uint8_t modifier2, const struct field *fields, size_t n)
{
	size_t block;
	char *d = dst;

	for (size_t i = 0; i < n; i++)
		if (fields[i].name.len == 0)
			return UWSGI_ENC_INVALID;
	/*
	 * UWSGI-ENC-1: decide on the full-width sum. Every key and value
	 * is then < 65536 too, because each is part of the block.
	 */
	block = uwsgi_vars_size(fields, n);
	if (block > UWSGI_MAX_VARS)
		return UWSGI_ENC_TOO_LARGE;
	if (HDR_LEN + block > cap)
		return UWSGI_ENC_NOSPACE;
	*d++ = (char)modifier1;
	put_u16le(d, block);
	d += 2;
	*d++ = (char)modifier2;
	for (size_t i = 0; i < n; i++) {
		const struct field *f = &fields[i];

		put_u16le(d, f->name.len);
		memcpy(d + 2, f->name.p, f->name.len);
		d += 2 + f->name.len;
		put_u16le(d, f->value.len);
		if (f->value.len > 0)
			memcpy(d + 2, f->value.p, f->value.len);
		d += 2 + f->value.len;
	}
	return (long)(d - dst);
}
