/*
 * gatecheck: a conformance checker for the CGI family of gateway
 * protocols. This file is the command line; app mode checks a FastCGI,
 * SCGI or uwsgi application (app_fcgi.c, app_scgi.c) through the runner
 * (run.c). Exit status: 0 no MUST case failed, 1 a case failed, 2 the
 * check could not run, 3 usage error.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc.h"
#include "gw.h"
#include "net.h"

static void
usage(void)
{
	fputs("usage: gatecheck fastcgi|scgi|uwsgi [options] [ADDR]\n"
	      "       gatecheck gateway fastcgi|scgi|uwsgi|http|cgi --url URL "
	      "--backend ADDR [options]\n"
	      "       gatecheck gateway PROTO --print-config "
	      "lighttpd|nginx|gatehouse --url URL --backend ADDR [--root DIR]\n"
	      "       gatecheck http --url URL [--backend ADDR] [options]\n"
	      "  --url http://HOST:PORT/PREFIX  the gateway or front end\n"
	      "  --backend ADDR     where gatecheck listens as the backend\n"
	      "  ADDR               unix:/path or host:port of the app\n"
	      "  --spawn \"CMD\"      start CMD with a listening socket on fd "
	      "0\n"
	      "  --script FILE      SCRIPT_FILENAME of a probe; enables "
	      "probe cases\n"
	      "  --path /P          SCRIPT_NAME/REQUEST_URI of a probe; "
	      "enables probe cases\n"
	      "  --param NAME=VALUE add a CGI parameter to every request\n"
	      "  --only ID-or-glob  run only matching cases (repeatable)\n"
	      "  --skip ID-or-glob  skip matching cases (repeatable)\n"
	      "  --timeout MS       per-exchange timeout (default 2000)\n"
	      "  --strict           SHOULD failures fail the run too\n"
	      "  --json FILE        --junit FILE   machine-readable results\n"
	      "  --list             list the selected cases, run nothing\n"
	      "  -q                 only failures, warnings and the summary\n"
	      "  -v                 wire trace (-vv: also hex dumps)\n",
		stderr);
	exit(3);
}

/* With -v, what the spawned app wrote on stdout/stderr, then it goes. */
static void
show_log(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		fprintf(stderr, "app| %s%s", line,
			strchr(line, '\n') ? "" : "\n");
	fclose(f);
}

/* Gateway and http modes: same runner, cases from gw_cases.c/front.c. */
static int
run_gateway(struct gc_opts *o, struct gc *g)
{
	static const struct {
		const char *name;
		enum gc_proto proto;
	} protos[] = {{"fastcgi", GC_FCGI}, {"scgi", GC_SCGI},
		{"uwsgi", GC_UWSGI}, {"http", GC_HTTP}, {"cgi", GC_CGI}};
	struct gc_case *all, *mine;
	size_t n, j, k = 0;
	int rc;

	g->o = o;
	g->lfd = -1;
	if (o->addr == NULL)
		o->addr = o->url; /* the target named in --json/--junit */
	if (o->gwproto) {
		for (j = 0; j < sizeof(protos) / sizeof(protos[0]); j++)
			if (strcmp(o->gwproto, protos[j].name) == 0)
				g->proto = protos[j].proto;
		if (g->proto == 0)
			usage();
		if (o->print_config)
			return gw_print_config(o);
		all = gw_case_list(&n);
	} else {
		g->proto = GC_FRONT;
		all = front_case_list(&n);
	}
	if (!o->list &&
		(o->url == NULL || (o->gwproto && o->backend == NULL))) {
		fputs("gatecheck: give --url (and, in gateway mode, "
		      "--backend)\n",
			stderr);
		return 3;
	}
	mine = calloc(n ? n : 1, sizeof(*mine));
	if (mine == NULL)
		return 2;
	for (j = 0; j < n; j++)
		if (all[j].proto & g->proto)
			mine[k++] = all[j];
	if (!o->list && gw_setup(g) != 0) {
		free(mine);
		return 2;
	}
	rc = run_cases(g, mine, k);
	gw_teardown(g);
	free(mine);
	return rc;
}

int
main(int argc, char **argv)
{
	struct gc_opts o;
	struct gc g;
	int i, rc;
	const struct gc_case *cases;
	size_t n;

	memset(&o, 0, sizeof(o));
	memset(&g, 0, sizeof(g));
	o.timeout_ms = 2000;
	signal(SIGPIPE, SIG_IGN);
	/* Run by a gateway as its CGI program (gw_cgi.c). */
	if (getenv("GATEWAY_INTERFACE") && getenv("GATECHECK_BACKEND"))
		return gw_cgi_relay();
	if (argc < 2)
		usage();
	o.mode = argv[1];
	i = 2;
	if (strcmp(o.mode, "gateway") == 0) {
		if (argc < 3 || argv[2][0] == '-')
			usage();
		o.gwproto = argv[i++];
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(), (char *)NULL))
		if (strcmp(a, "--spawn") == 0)
			o.spawn = NEXT();
		else if (strcmp(a, "--script") == 0)
			o.script = NEXT();
		else if (strcmp(a, "--path") == 0)
			o.path = NEXT();
		else if (strcmp(a, "--url") == 0)
			o.url = NEXT();
		else if (strcmp(a, "--backend") == 0)
			o.backend = NEXT();
		else if (strcmp(a, "--print-config") == 0)
			o.print_config = NEXT();
		else if (strcmp(a, "--root") == 0)
			o.root = NEXT();
		else if (strcmp(a, "--param") == 0 && o.nparams < GC_MAX_PARAMS)
			o.params[o.nparams++] = NEXT();
		else if (strcmp(a, "--only") == 0 && o.nonly < 32)
			o.only[o.nonly++] = NEXT();
		else if (strcmp(a, "--skip") == 0 && o.nskip < 32)
			o.skip[o.nskip++] = NEXT();
		else if (strcmp(a, "--timeout") == 0)
			o.timeout_ms = atoi(NEXT());
		else if (strcmp(a, "--json") == 0)
			o.json = NEXT();
		else if (strcmp(a, "--junit") == 0)
			o.junit = NEXT();
		else if (strcmp(a, "--strict") == 0)
			o.strict = 1;
		else if (strcmp(a, "--list") == 0)
			o.list = 1;
		else if (strcmp(a, "-q") == 0)
			o.quiet = 1;
		else if (strcmp(a, "-v") == 0)
			o.verbose += 1;
		else if (strcmp(a, "-vv") == 0)
			o.verbose += 2;
		else if (a[0] != '-' && o.addr == NULL)
			o.addr = a;
		else
			usage();
#undef NEXT
	}
	if (o.timeout_ms <= 0)
		usage();
	if (strcmp(o.mode, "gateway") == 0 || strcmp(o.mode, "http") == 0)
		return run_gateway(&o, &g);
	if (strcmp(o.mode, "fastcgi") == 0) {
		g.proto = GC_FCGI;
		cases = fcgi_cases;
		n = fcgi_ncases;
	} else if (strcmp(o.mode, "scgi") == 0 ||
		strcmp(o.mode, "uwsgi") == 0) {
		g.proto = o.mode[0] == 's' ? GC_SCGI : GC_UWSGI;
		cases = scgi_cases;
		n = scgi_ncases;
	} else {
		usage();
		return 3;
	}
	if (!o.list && (o.addr == NULL) == (o.spawn == NULL)) {
		fputs("gatecheck: give exactly one of ADDR or --spawn\n",
			stderr);
		return 3;
	}
	g.o = &o;
	if (o.addr)
		snprintf(g.addr, sizeof(g.addr), "%s", o.addr);
	{
		/* Keep only this protocol's cases. */
		const struct gc_case **sel = NULL;
		struct gc_case *mine = calloc(n, sizeof(*mine));
		size_t k = 0, j;

		(void)sel;
		if (mine == NULL)
			return 2;
		for (j = 0; j < n; j++)
			if (cases[j].proto & g.proto)
				mine[k++] = cases[j];
		rc = run_cases(&g, mine, k);
		free(mine);
	}
	if (g.pid > 0)
		net_unspawn(g.pid);
	if (g.spawn_dir[0]) {
		char p[200];
		snprintf(p, sizeof(p), "%s/app.sock", g.spawn_dir);
		remove(p);
		snprintf(p, sizeof(p), "%s/app.log", g.spawn_dir);
		if (o.verbose)
			show_log(p);
		remove(p);
		remove(g.spawn_dir);
	}
	return rc;
}
