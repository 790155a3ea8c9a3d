/*
 * mod_alias: alias.url maps a URL prefix to another place in the file
 * system ("/icons/" => "/usr/share/icons/"). As lighttpd 1.4, the first
 * key in config order that prefixes the decoded path wins, and the
 * physical path is the target followed by the rest of the path: the
 * request's URL (SCRIPT_NAME, $HTTP["url"]) does not change, only where
 * its file is looked for. A key without a trailing '/' mapped to a target
 * with one ("/a" => "/srv/a/") would let "/a../x" reach "/srv/a/../x" (or "/a./x"):
 * lighttpd answers 403 there, and so do we.
 */
#include <string.h>

#include "mod.h"

/* Does p[0..len) start with "." or ".." followed by '/' or the end? */
static int
dot_segment(const char *p, size_t len)
{
	size_t i = 0;

	if (i < len && p[i] == '.')
		i++;
	else
		return 0;
	if (i < len && p[i] == '.')
		i++;
	return i == len || p[i] == '/';
}

long
mod_alias_physical(const char *path, size_t len, const struct cfg_value *alias,
	const char *docroot, char *fs, size_t cap, size_t *rootlen)
{
	const char *root = docroot;
	size_t rlen = strlen(docroot), klen = 0, i;

	for (i = 0; alias != NULL && alias->type == CFG_ARRAY && i < alias->n;
		i++) {
		const struct cfg_value *v = &alias->items[i];
		size_t k;

		if (v->key == NULL || v->type != CFG_STRING)
			continue;
		k = strlen(v->key);
		if (k == 0 || k > len || memcmp(path, v->key, k) != 0)
			continue;
		if (path[k - 1] != '/' && v->len > 0 &&
			v->str[v->len - 1] == '/' &&
			dot_segment(path + k, len - k))
			return -2;
		root = v->str;
		rlen = v->len;
		klen = k;
		break;
	}
	if (rlen + (len - klen) + 1 > cap)
		return -1;
	memcpy(fs, root, rlen);
	memcpy(fs + rlen, path + klen, len - klen);
	fs[rlen + len - klen] = '\0';
	/* The walk up for PATH_INFO stops at the root, without its '/'. */
	*rootlen = rlen > 0 && root[rlen - 1] == '/' ? rlen - 1 : rlen;
	return (long)(rlen + len - klen);
}
