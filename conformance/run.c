/*
 * The runner: selects cases (--only/--skip globs, applied before anything
 * runs), runs each with a fresh verdict, prints the human tree grouped by
 * spec section, writes JSON and JUnit XML, and computes the exit status:
 * 0 when no MUST case failed (with --strict, no SHOULD case either),
 * 1 otherwise. Verdict model after h2spec and Http11Probe
 * (shared/reference/conformance-fuzz.md §1.8).
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gc.h"
#include "net.h"

static const char *verdict_names[] = {"PASS", "WARN", "FAIL", "SKIP"};
static const char *level_names[] = {"MUST", "SHOULD", "MAY"};

struct result {
	const struct gc_case *c;
	enum gc_verdict verdict;
	char *expected;
	char *got;
	long ms;
};

static void
vset(struct gc *g, enum gc_verdict v, const char *expected, const char *fmt,
	va_list ap)
{
	/* The first finding stands, except that a FAIL outranks a WARN. */
	if (g->verdict != GC_PASS && !(v == GC_FAIL && g->verdict == GC_WARN))
		return;
	g->verdict = v;
	snprintf(g->expected, sizeof(g->expected), "%s", expected);
	vsnprintf(g->got, sizeof(g->got), fmt, ap);
}

void
gc_fail(struct gc *g, const char *expected, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(g, GC_FAIL, expected, fmt, ap);
	va_end(ap);
}

void
gc_warn(struct gc *g, const char *expected, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(g, GC_WARN, expected, fmt, ap);
	va_end(ap);
}

void
gc_skip(struct gc *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(g, GC_SKIP, "", fmt, ap);
	va_end(ap);
}

void
gc_trace(struct gc *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->o->verbose)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
gc_hexdump(struct gc *g, const char *dir, const unsigned char *p, size_t len)
{
	size_t i, j, shown;

	if (g->o->verbose < 2)
		return;
	shown = len > 256 ? 256 : len;
	for (i = 0; i < shown; i += 16) {
		fprintf(stderr, "    %s %04zx ", dir, i);
		for (j = i; j < i + 16; j++)
			if (j < shown)
				fprintf(stderr, " %02x", p[j]);
			else
				fputs("   ", stderr);
		fputs("  ", stderr);
		for (j = i; j < i + 16 && j < shown; j++)
			fputc(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.', stderr);
		fputc('\n', stderr);
	}
	if (shown < len)
		fprintf(stderr, "    %s ... %zu more bytes\n", dir,
			len - shown);
}

int
gc_has_probe(const struct gc *g)
{
	return g->o->script != NULL || g->o->path != NULL;
}

int
run_match(const char *glob, const char *id)
{
	return fnmatch(glob, id, 0) == 0;
}

static int
selected(const struct gc_opts *o, const struct gc_case *c)
{
	unsigned i;
	int in = o->nonly == 0;

	for (i = 0; i < o->nonly; i++)
		if (run_match(o->only[i], c->id))
			in = 1;
	for (i = 0; i < o->nskip; i++)
		if (run_match(o->skip[i], c->id))
			in = 0;
	return in;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
counts_as_failure(const struct gc_opts *o, const struct result *r)
{
	if (r->verdict != GC_FAIL)
		return 0;
	return r->c->level == GC_MUST ||
		(o->strict && r->c->level == GC_SHOULD);
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
xml_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c < 0x20 && c != '\n' && c != '\t')
			fputc('?', f);
		else if (c >= 0x7f)
			fputc('?', f);
		else
			fputc(c, f);
	}
}

static int
write_json(const struct gc *g, const char *path, const struct result *rs,
	size_t n, const unsigned *tally)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (f == NULL)
		return -1;
	fprintf(f, "{\"tool\": \"gatecheck\", \"mode\": ");
	json_str(f, g->o->mode);
	fprintf(f, ", \"target\": ");
	json_str(f, g->o->spawn ? g->o->spawn : g->o->addr);
	fprintf(f,
		",\n \"summary\": {\"pass\": %u, \"warn\": %u, \"fail\": "
		"%u, \"skip\": %u},\n \"cases\": [\n",
		tally[GC_PASS], tally[GC_WARN], tally[GC_FAIL], tally[GC_SKIP]);
	for (i = 0; i < n; i++) {
		const struct gc_case *c = rs[i].c;
		fprintf(f, "  {\"id\": ");
		json_str(f, c->id);
		fprintf(f, ", \"level\": \"%s\", \"rule\": ",
			level_names[c->level]);
		json_str(f, c->rule);
		fprintf(f, ", \"section\": ");
		json_str(f, c->section);
		fprintf(f, ", \"description\": ");
		json_str(f, c->desc);
		fprintf(f, ", \"verdict\": \"%s\", \"expected\": ",
			verdict_names[rs[i].verdict]);
		json_str(f, rs[i].expected);
		fprintf(f, ", \"got\": ");
		json_str(f, rs[i].got);
		fprintf(f, ", \"ms\": %ld}%s\n", rs[i].ms,
			i + 1 < n ? "," : "");
	}
	fprintf(f, " ]}\n");
	return fclose(f);
}

static int
write_junit(const struct gc *g, const char *path, const struct result *rs,
	size_t n, const unsigned *tally)
{
	FILE *f = fopen(path, "w");
	size_t i, j;

	if (f == NULL)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites name=\"gatecheck %s\" tests=\"%zu\" "
		"failures=\"%u\" skipped=\"%u\">\n",
		g->o->mode, n, tally[GC_FAIL], tally[GC_SKIP]);
	/* One testsuite per spec section, in first-seen order. */
	for (i = 0; i < n; i++) {
		int first = 1;
		for (j = 0; j < i; j++)
			if (strcmp(rs[j].c->section, rs[i].c->section) == 0)
				first = 0;
		if (!first)
			continue;
		fprintf(f, " <testsuite name=\"");
		xml_str(f, rs[i].c->section);
		fprintf(f, "\">\n");
		for (j = i; j < n; j++) {
			const struct result *r = &rs[j];
			if (strcmp(r->c->section, rs[i].c->section) != 0)
				continue;
			fprintf(f, "  <testcase name=\"%s\" classname=\"",
				r->c->id);
			xml_str(f, r->c->desc);
			fprintf(f, "\" time=\"%.3f\">", r->ms / 1000.0);
			if (r->verdict == GC_FAIL &&
				counts_as_failure(g->o, r)) {
				fprintf(f, "<failure message=\"");
				xml_str(f, r->got);
				fprintf(f, "\">%s %s: expected ",
					level_names[r->c->level], r->c->rule);
				xml_str(f, r->expected);
				fprintf(f, "; got ");
				xml_str(f, r->got);
				fprintf(f, "</failure>");
			} else if (r->verdict == GC_SKIP) {
				fprintf(f, "<skipped message=\"");
				xml_str(f, r->got);
				fprintf(f, "\"/>");
			} else if (r->verdict != GC_PASS) {
				fprintf(f, "<system-out>%s (%s): ",
					verdict_names[r->verdict],
					level_names[r->c->level]);
				xml_str(f, r->got);
				fprintf(f, "</system-out>");
			}
			fprintf(f, "</testcase>\n");
		}
		fprintf(f, " </testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	return fclose(f);
}

static void
print_tree(const struct gc *g, const struct result *rs, size_t n)
{
	const char *last = NULL;
	size_t i;
	int color = isatty(1);

	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		const char *mark = r->verdict == GC_PASS ? "ok  "
			: r->verdict == GC_WARN          ? "WARN"
			: r->verdict == GC_SKIP          ? "skip"
							 : "FAIL";
		const char *on = "", *off = "";

		if (color && r->verdict == GC_FAIL) {
			on = "\033[31m";
			off = "\033[0m";
		} else if (color && r->verdict == GC_WARN) {
			on = "\033[33m";
			off = "\033[0m";
		}
		if (g->o->quiet &&
			(r->verdict == GC_PASS || r->verdict == GC_SKIP))
			continue;
		if (last == NULL || strcmp(last, r->c->section) != 0) {
			printf("%s\n", r->c->section);
			last = r->c->section;
		}
		printf("  %s%s%s %-20s %-6s %s\n", on, mark, off, r->c->id,
			level_names[r->c->level], r->c->desc);
		if (r->verdict == GC_FAIL || r->verdict == GC_WARN) {
			printf("        rule:     %s\n", r->c->rule);
			printf("        expected: %s\n", r->expected);
			printf("        got:      %s\n", r->got);
		} else if (r->verdict == GC_SKIP && g->o->verbose) {
			printf("        skipped:  %s\n", r->got);
		}
	}
}

/* In spawn mode, start the app again if the last case killed it. */
static void
ensure_app(struct gc *g)
{
	char err[256];

	if (g->o->spawn == NULL)
		return;
	if (g->pid > 0 && !net_exited(g->pid))
		return;
	if (g->pid > 0)
		g->respawns++;
	g->pid = net_spawn(g->o->spawn, g->spawn_dir, sizeof(g->spawn_dir),
		g->addr, sizeof(g->addr), err, sizeof(err));
	if (g->pid < 0) {
		fprintf(stderr, "gatecheck: spawn: %s\n", err);
		exit(2);
	}
	/* Give the app time to start accepting before the first case. */
	net_sleep_ms(g->respawns == 0 ? 300 : 200);
}

int
run_cases(struct gc *g, const struct gc_case *cases, size_t n)
{
	struct result *rs;
	size_t i, nrun = 0, total = 0;
	unsigned tally[4] = {0, 0, 0, 0};
	int failed = 0, progress = isatty(2) && !g->o->verbose;
	long t0;

	for (i = 0; i < n; i++)
		if (selected(g->o, &cases[i]))
			total++;
	if (g->o->list) {
		for (i = 0; i < n; i++)
			if (selected(g->o, &cases[i]))
				printf("%-20s %-6s %-14s %s\n", cases[i].id,
					level_names[cases[i].level],
					cases[i].rule, cases[i].desc);
		return 0;
	}
	rs = calloc(total ? total : 1, sizeof(*rs));
	if (rs == NULL)
		return 2;
	for (i = 0; i < n; i++) {
		const struct gc_case *c = &cases[i];
		if (!selected(g->o, c))
			continue;
		if (progress)
			fprintf(stderr, "\r[%zu/%zu] %-24s", nrun + 1, total,
				c->id);
		g->verdict = GC_PASS;
		g->expected[0] = g->got[0] = '\0';
		gc_trace(g, "=== %s: %s", c->id, c->desc);
		t0 = now_ms();
		if ((c->flags & GC_PROBE) && !gc_has_probe(g)) {
			gc_skip(g, "needs a probe: give --script or --path");
		} else {
			ensure_app(g);
			c->run(g, c);
		}
		rs[nrun].c = c;
		rs[nrun].verdict = g->verdict;
		rs[nrun].expected = strdup(g->expected);
		rs[nrun].got = strdup(g->got);
		rs[nrun].ms = now_ms() - t0;
		tally[g->verdict]++;
		if (counts_as_failure(g->o, &rs[nrun]))
			failed = 1;
		nrun++;
	}
	if (progress)
		fprintf(stderr, "\r%60s\r", "");
	print_tree(g, rs, nrun);
	printf("\n%zu cases: %u passed, %u failed, %u warnings, %u skipped",
		nrun, tally[GC_PASS], tally[GC_FAIL], tally[GC_WARN],
		tally[GC_SKIP]);
	if (g->respawns)
		printf(" (application restarted %u times)", g->respawns);
	printf("\n");
	if (g->o->json && write_json(g, g->o->json, rs, nrun, tally) != 0)
		fprintf(stderr, "gatecheck: cannot write %s\n", g->o->json);
	if (g->o->junit && write_junit(g, g->o->junit, rs, nrun, tally) != 0)
		fprintf(stderr, "gatecheck: cannot write %s\n", g->o->junit);
	for (i = 0; i < nrun; i++) {
		free(rs[i].expected);
		free(rs[i].got);
	}
	free(rs);
	return failed;
}
