/*
 * mod_setenv: fields added to the request (seen by backends and by later
 * rules), fields added to every response, and variables for the CGI
 * environment of a gateway. As lighttpd 1.4: the add-* keys append (a
 * request field of the same name then reads as a list, RFC 9110 §5.3),
 * the set-* keys replace, and a set with an empty value removes. The
 * request side is applied once per request even when a rewrite sends it
 * through the stages again; the response and environment lists are the
 * ones in effect for the final URL.
 */
#include <strings.h>
#include <string.h>

#include "httputil.h"
#include "mod.h"
#include "server.h"

static const struct cfg_value *
hash_or_null(const struct cfg_value *v)
{
	return v != NULL && v->type == CFG_ARRAY && v->n > 0 ? v : NULL;
}

/* A config string may hold "\r\n" by escape: never let it split a head. */
static int
field_ok(const struct cfg_value *v)
{
	return v->key != NULL && v->key[0] != '\0' && v->type == CFG_STRING &&
		strpbrk(v->key, "\r\n: ") == NULL &&
		strpbrk(v->str, "\r\n") == NULL;
}

static void
remove_field(struct req *r, const char *name)
{
	size_t i, j = 0, n = strlen(name);

	for (i = 0; i < r->h1.nfields; i++)
		if (!(r->fields[i].name.len == n &&
			    strncasecmp(r->fields[i].name.p, name, n) == 0))
			r->fields[j++] = r->fields[i];
	r->h1.nfields = j;
}

static void
add_field(struct req *r, const struct cfg_value *v)
{
	struct field *f;

	/* The field array is bounded (LIMIT_REQ_FIELDS); a request that
	 * filled it gets no more, as a client could not send more. */
	if (r->h1.nfields >= LIMIT_REQ_FIELDS)
		return;
	f = &r->fields[r->h1.nfields++];
	f->name.p = v->key;
	f->name.len = strlen(v->key);
	f->value.p = v->str;
	f->value.len = v->len;
}

void
mod_setenv_request(struct conn *c, struct mod_eval *me)
{
	struct req *r = &c->req;
	const struct cfg_value *add, *set;
	size_t i;

	r->resp_add = hash_or_null(
		config_get(&me->ev, "setenv.add-response-header", NULL));
	r->resp_set = hash_or_null(
		config_get(&me->ev, "setenv.set-response-header", NULL));
	r->env_add = hash_or_null(
		config_get(&me->ev, "setenv.add-environment", NULL));
	r->env_set = hash_or_null(
		config_get(&me->ev, "setenv.set-environment", NULL));
	if (r->setenv_done)
		return;
	r->setenv_done = 1;
	add = hash_or_null(
		config_get(&me->ev, "setenv.add-request-header", NULL));
	set = hash_or_null(
		config_get(&me->ev, "setenv.set-request-header", NULL));
	for (i = 0; add != NULL && i < add->n; i++)
		if (field_ok(&add->items[i]))
			add_field(r, &add->items[i]);
	for (i = 0; set != NULL && i < set->n; i++) {
		if (!field_ok(&set->items[i]))
			continue;
		remove_field(r, set->items[i].key);
		if (set->items[i].len > 0)
			add_field(r, &set->items[i]);
	}
}

static int
in_set(const struct cfg_value *set, const char *name, size_t n)
{
	size_t i;

	for (i = 0; set != NULL && i < set->n; i++)
		if (set->items[i].key != NULL &&
			strlen(set->items[i].key) == n &&
			strncasecmp(set->items[i].key, name, n) == 0)
			return 1;
	return 0;
}

static void
put_list(struct hbuf *h, const struct cfg_value *list)
{
	size_t i;

	for (i = 0; list != NULL && i < list->n; i++) {
		const struct cfg_value *v = &list->items[i];

		if (field_ok(v) && v->len > 0)
			hb_field(h, v->key, v->str);
	}
}

void
mod_setenv_response(const struct cfg_value *add, const struct cfg_value *set,
	const char *extra, struct hbuf *h)
{
	const char *p = extra;

	while (p != NULL && *p != '\0') {
		const char *eol = strstr(p, "\r\n");
		const char *colon = strchr(p, ':');
		const char *next = eol != NULL ? eol + 2 : p + strlen(p);

		if (colon == NULL || colon > next ||
			!in_set(set, p, (size_t)(colon - p)))
			hb_put(h, p, (size_t)(next - p));
		p = next;
	}
	put_list(h, add);
	put_list(h, set);
}

const struct cfg_value *
mod_setenv_env_add(const struct conn *c)
{
	return c->req.env_add;
}

const struct cfg_value *
mod_setenv_env_set(const struct conn *c)
{
	return c->req.env_set;
}
