/*
 * Interim gatehouse main(): until the server core lands (ref/main.c, issue
 * 6's event loop and HTTP front end), the binary can only check and print
 * configs. It says so rather than pretending to serve.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			puts("gatehouse (config checker only; server not "
			     "built yet)");
			return 0;
		}
		if (strcmp(argv[i], "-h") == 0) {
			puts("usage: gatehouse [-t | -tt | -p] -f FILE\n"
			     "  -f FILE  lighttpd-syntax config file\n"
			     "  -t, -tt  check the config, print Syntax OK\n"
			     "  -p       print the config normalised\n"
			     "  -v       version\n"
			     "Serving (-D) is not built yet: this binary "
			     "only checks configs.");
			return 0;
		}
		if (strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "-tt") == 0 ||
			strcmp(argv[i], "-p") == 0)
			return config_cli(argc, argv);
	}
	fputs("gatehouse: server not built yet; only -t, -tt, -p, -v and -h "
	      "work\n",
		stderr);
	return 2;
}
