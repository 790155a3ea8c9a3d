/*
 * The configuration part of gatehouse's command line, lighttpd's flags:
 *   -f FILE  the config file (default /etc/gatehouse/gatehouse.conf)
 *   -t       test the config syntax and keys, print "Syntax OK", exit 0/1
 *   -tt      the same (lighttpd also preflights modules; our validation
 *            already checks everything short of opening sockets)
 *   -p       print the config normalised (as lighttpd -p) and exit
 * Errors go to stderr as file:line:col: message (CONF-CLI-*).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static int
usage(FILE *f, int rc)
{
	fputs("usage: gatehouse [-t | -tt | -p] -f FILE\n", f);
	return rc;
}

int
config_cli(int argc, char **argv)
{
	const char *file = NULL;
	struct config *cfg;
	struct cfg_diag d;
	int test = 0, print = 0, c;

	optind = 1;
	while ((c = getopt(argc, argv, "f:tpD")) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 't': test++; break;
		case 'p': print = 1; break;
		case 'D': break; /* foreground: moot here */
		default: return usage(stderr, 2);
		}
	}
	if (optind != argc || (!test && !print))
		return usage(stderr, 2);
	if (file == NULL) {
		fputs("gatehouse: no config file: give -f FILE\n", stderr);
		return 1;
	}
	cfg = config_load(file, 0, &d);
	if (d.text != NULL)
		fputs(d.text, stderr);
	cfg_diag_free(&d);
	if (cfg == NULL)
		return 1;
	if (print)
		config_print(cfg, stdout);
	else
		puts("Syntax OK");
	config_free(cfg);
	return 0;
}
