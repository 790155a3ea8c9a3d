/*
 * The CGI program of gateway mode: when a gateway runs gatecheck as a CGI
 * script (RFC 3875 §3.1, GATEWAY_INTERFACE in its environment and
 * GATECHECK_BACKEND naming the checker's listener), gatecheck relays. It
 * reads its stdin to EOF, sends the checker its whole environment and
 * that input in SCGI framing (CONTENT_LENGTH = the bytes read; the real
 * CONTENT_LENGTH travels as GC_CONTENT_LENGTH), then copies the checker's
 * answer to stdout as it arrives. The checker judges from there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "gw.h"
#include "net.h"

extern char **environ;

int
gw_cgi_relay(void)
{
	struct app_buf in = {0}, hdr = {0}, out = {0};
	const char *addr = getenv("GATECHECK_BACKEND");
	unsigned char buf[65536];
	char num[32], err[256];
	char **e;
	ssize_t n;
	int fd;

	if (addr == NULL)
		return 2;
	while ((n = read(0, buf, sizeof(buf))) > 0)
		app_buf_add(&in, buf, (size_t)n);
	snprintf(num, sizeof(num), "%zu", in.len);
	app_buf_add(&hdr, "CONTENT_LENGTH", 15);
	app_buf_add(&hdr, num, strlen(num) + 1);
	for (e = environ; *e != NULL; e++) {
		const char *eq = strchr(*e, '=');
		if (eq == NULL || eq == *e)
			continue;
		if ((size_t)(eq - *e) == 14 &&
			memcmp(*e, "CONTENT_LENGTH", 14) == 0)
			app_buf_add(&hdr, "GC_", 3);
		else if ((size_t)(eq - *e) == 4 && memcmp(*e, "SCGI", 4) == 0)
			continue;
		app_buf_add(&hdr, *e, (size_t)(eq - *e));
		app_buf_add(&hdr, "", 1);
		app_buf_add(&hdr, eq + 1, strlen(eq + 1) + 1);
	}
	app_buf_add(&hdr, "SCGI\0001", 7);
	snprintf(num, sizeof(num), "%zu:", hdr.len);
	app_buf_add(&out, num, strlen(num));
	app_buf_add(&out, hdr.p, hdr.len);
	app_buf_add(&out, ",", 1);
	app_buf_add(&out, in.p, in.len);
	fd = net_connect(addr, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "gatecheck (CGI): %s\n", err);
		return 2;
	}
	if (net_write_all(fd, out.p, out.len, 10000) == 0)
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (write(1, buf, (size_t)n) != n)
				break;
	close(fd);
	app_buf_free(&in);
	app_buf_free(&hdr);
	app_buf_free(&out);
	return 0;
}
