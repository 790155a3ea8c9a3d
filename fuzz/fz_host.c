/*
 * Fuzz target for the Host codec (ref/codec/host.c, spec/uri.md URI-HOST-*).
 * seeds: host
 * Byte 0: bits 0-2 are the HOST_* option flags. Properties checked (abort
 * on failure) for an accepted input:
 *  - its parts re-joined ("[" ipv6 "]" or host, then ":" port-text) are
 *    exactly the input, so no byte was skipped or read twice;
 *  - an IPv4 kind is a dotted quad, an IPv6 kind an IPv6address;
 *  - the port is -1 or 0-65535, and 0 only under HOST_PORT_ANY;
 *  - the widest options accept it too (each option only widens).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/host.h"

#define ALL_OPTS (HOST_ALLOW_EMPTY | HOST_RFC3986 | HOST_PORT_ANY)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 1;
	size_t len = size - 1, w = 0;
	unsigned opts;
	struct host_port h, h2;
	enum host_reason why;
	char *join;

	if (size < 1)
		return 0;
	opts = data[0] & ALL_OPTS;
	if (host_parse(in, len, opts, &h, &why) < 0)
		return 0;
	join = malloc(len + 1);
	if (h.kind == HOST_IPV6)
		join[w++] = '[';
	memcpy(join + w, h.host.p, h.host.len);
	w += h.host.len;
	if (h.kind == HOST_IPV6)
		join[w++] = ']';
	if (h.port_text.p != NULL) {
		join[w++] = ':';
		memcpy(join + w, h.port_text.p, h.port_text.len);
		w += h.port_text.len;
	}
	if (w != len || memcmp(join, in, len) != 0)
		abort();
	free(join);
	if ((h.kind == HOST_IPV4 && !host_is_ipv4(h.host.p, h.host.len)) ||
		(h.kind == HOST_IPV6 && !host_is_ipv6(h.host.p, h.host.len)))
		abort();
	if (h.port < -1 || h.port > 65535 ||
		(h.port == 0 && !(opts & HOST_PORT_ANY)))
		abort();
	if (host_parse(in, len, ALL_OPTS, &h2, &why) < 0)
		abort();
	return 0;
}
