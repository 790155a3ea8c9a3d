/*
 * Config values and diagnostics: copying, freeing and reading the values
 * the parser builds, and the "file:line:col: message" list every config
 * error and warning goes through (CONF-ERR-1).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

void
cfg_diag_add(struct cfg_diag *d, enum cfg_reason reason, const char *file,
	unsigned line, unsigned col, const char *fmt, ...)
{
	char raw[1024], msg[1024], head[512];
	int is_error = reason != CFG_E_NONE;
	size_t hn, mn;
	va_list ap;
	char *t;

	if (d == NULL)
		return;
	if (is_error && d->reason == CFG_E_NONE)
		d->reason = reason;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Config bytes are quoted in messages: escape what a terminal or a
	 * log reader would not show as it is. */
	for (size_t i = 0, o = 0; o + 5 < sizeof(msg); i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '\0') {
			msg[o] = '\0';
			break;
		}
		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(msg + o, 5, "\\x%02x", c);
		else
			msg[o++] = (char)c;
		msg[o] = '\0';
	}
	if (col)
		snprintf(head, sizeof(head), "%s:%u:%u: %s", file, line, col,
			is_error ? "" : "warning: ");
	else if (line)
		snprintf(head, sizeof(head), "%s:%u: %s", file, line,
			is_error ? "" : "warning: ");
	else
		snprintf(head, sizeof(head), "%s: %s", file,
			is_error ? "" : "warning: ");
	hn = strlen(head);
	mn = strlen(msg);
	if (is_error)
		d->errors++;
	else
		d->warnings++;
	/* Past a sane number of messages the rest are noise. */
	if (d->len > 256 * 1024)
		return;
	if ((t = realloc(d->text, d->len + hn + mn + 2)) == NULL)
		return;
	d->text = t;
	memcpy(t + d->len, head, hn);
	memcpy(t + d->len + hn, msg, mn);
	d->len += hn + mn;
	t[d->len++] = '\n';
	t[d->len] = '\0';
}

const char *
cfg_reason_name(enum cfg_reason r)
{
	switch (r) {
	case CFG_E_NONE: return "NONE";
	case CFG_E_SYNTAX: return "SYNTAX";
	case CFG_E_INCLUDE: return "INCLUDE";
	case CFG_E_COND: return "COND";
	case CFG_E_KEY: return "KEY";
	case CFG_E_VALUE: return "VALUE";
	case CFG_E_MODULE: return "MODULE";
	case CFG_E_LIMIT: return "LIMIT";
	case CFG_E_VAR: return "VAR";
	}
	return "?";
}

void
cfg_diag_free(struct cfg_diag *d)
{
	free(d->text);
	memset(d, 0, sizeof(*d));
}

void
cfg_value_clear(struct cfg_value *v)
{
	for (size_t i = 0; i < v->n; i++)
		cfg_value_clear(&v->items[i]);
	free(v->items);
	free(v->key);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

static char *
dup_bytes(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Deep copy; counts nodes so a chain of `x = x + x` cannot blow up. */
int
cfg_value_copy(
	struct config *cfg, struct cfg_value *dst, const struct cfg_value *src)
{
	memset(dst, 0, sizeof(*dst));
	if (++cfg->nodes > CFG_MAX_VALUE_NODES)
		return -1;
	dst->type = src->type;
	dst->num = src->num;
	if (src->key != NULL &&
		(dst->key = dup_bytes(src->key, strlen(src->key))) == NULL)
		goto fail;
	if (src->str != NULL) {
		if ((dst->str = dup_bytes(src->str, src->len)) == NULL)
			goto fail;
		dst->len = src->len;
	}
	if (src->n > 0) {
		dst->items = calloc(src->n, sizeof(*dst->items));
		if (dst->items == NULL)
			goto fail;
		for (size_t i = 0; i < src->n; i++) {
			dst->n = i + 1;
			if (cfg_value_copy(cfg, &dst->items[i], &src->items[i]))
				goto fail;
		}
	}
	return 0;
fail:
	cfg_value_clear(dst);
	return -1;
}

const struct cfg_value *
cfg_array_get(const struct cfg_value *a, const char *key)
{
	if (a == NULL || a->type != CFG_ARRAY)
		return NULL;
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].key != NULL &&
			strcmp(a->items[i].key, key) == 0)
			return &a->items[i];
	return NULL;
}

int
cfg_value_bool(const struct cfg_value *v)
{
	static const char *const yes[] = {"enable", "true", "1"};
	static const char *const no[] = {"disable", "false", "0"};

	if (v->type == CFG_INT)
		return v->num == 0 ? 0 : v->num == 1 ? 1 : -1;
	if (v->type != CFG_STRING)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(v->str, yes[i]) == 0)
			return 1;
		if (strcasecmp(v->str, no[i]) == 0)
			return 0;
	}
	return -1;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		struct cfg_block *b = cfg->blocks[i];

		for (size_t j = 0; j < b->n; j++) {
			free(b->settings[j].name);
			cfg_value_clear(&b->settings[j].val);
		}
		free(b->settings);
		free(b->pattern);
		if (b->has_re)
			regfree(&b->re);
		free(b);
	}
	free(cfg->blocks);
	for (size_t i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg);
}
