/*
 * Fuzz target: the configuration language (ref/config*.c, CONF-*).
 * Byte 0: bit 0 leaves the request's fields NULL (absent); the rest is
 * config text, loaded with include, include_shell and env. off. Properties, abort() on failure: loading never crashes or leaks;
 * a config that loads prints (-p) to text that loads again and prints the
 * same (the printer is the parser's inverse); evaluating every block and
 * expanding captures against a request made of the input stays in bounds.
 * seeds: config
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define SAFE (CFG_NO_SHELL | CFG_NO_INCLUDE | CFG_NO_ENV)

/* -p output without the builtins and the "config {" ... "}" wrapper. */
static char *
print_body(const struct config *cfg, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	config_print_ex(cfg, f, CFG_PRINT_NO_BUILTIN);
	fclose(f);
	*len = n - strlen("config {\n") - strlen("}\n");
	memmove(buf, buf + strlen("config {\n"), *len);
	return buf;
}

/* A config that re-sets var.CWD or var.PID prints "var.CWD = ...", which
 * cannot load again (it is set before line 1): no round trip for those. */
static int
resets_builtin(const struct config *cfg)
{
	const struct cfg_block *g = cfg->blocks[0];

	for (size_t i = 0; i < g->n; i++)
		if ((strcmp(g->settings[i].name, "var.CWD") == 0 ||
			    strcmp(g->settings[i].name, "var.PID") == 0) &&
			strcmp(g->settings[i].file, CFG_BUILTIN_FILE) != 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cfg, *again;
	struct cfg_request r;
	struct cfg_diag d;
	struct cfg_eval ev;
	char *a, *b, out[64], *s;
	size_t alen, blen;
	int absent;

	if (size < 1)
		return 0;
	absent = data[0] & 1;
	data++;
	size--;
	cfg = config_load_mem("f", (const char *)data, size, NULL, SAFE, &d);
	cfg_diag_free(&d);
	if (cfg == NULL)
		return 0;
	a = print_body(cfg, &alen);
	again = config_load_mem("p", a, alen, NULL, SAFE, &d);
	cfg_diag_free(&d);
	if (again == NULL && !resets_builtin(cfg))
		abort();
	b = again ? print_body(again, &blen) : NULL;
	if (b != NULL && (alen != blen || memcmp(a, b, alen) != 0))
		abort();
	/* One request whose every field is the input's first line. */
	s = strndup((const char *)data, size < 64 ? size : 64);
	s[strcspn(s, "\n")] = '\0';
	r = (struct cfg_request){s, s, s, s, s, s, s};
	if (absent)
		memset(&r, 0, sizeof(r));
	if (config_eval_init(&ev, cfg, &r) == 0) {
		for (size_t i = 0; i < cfg->n; i++) {
			const struct cfg_block *blk = cfg->blocks[i];

			if (config_block_matches(&ev, blk) && blk->n > 0 &&
				blk->settings[0].val.type == CFG_STRING)
				config_expand(&ev, blk,
					blk->settings[0].val.str, s, NULL, 0,
					out, sizeof(out));
		}
		config_eval_done(&ev);
	}
	free(s);
	free(a);
	free(b);
	config_free(again);
	config_free(cfg);
	return 0;
}
