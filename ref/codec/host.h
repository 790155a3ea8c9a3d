/*
 * Host = uri-host [ ":" port ]: the Host field value (RFC 9110 §7.2,
 * RFC 9112 §3.2), an authority-form target without userinfo, and the
 * host parameter of Forwarded (RFC 7239 §5.3). uri-host is an IPv4
 * address, a bracketed IPv6 address or a reg-name (RFC 3986 §3.2.2).
 *
 * Data flow: the request layer hands the complete Host value (after the
 * head codec trimmed OWS) to host_parse to decide 400 or not, and gets
 * slices to route on; fwd.c checks Forwarded host/for/by values with the
 * same code. Rules: spec/uri.md URI-HOST-*. Pure: no I/O, no allocation.
 */
#ifndef GH_CODEC_HOST_H
#define GH_CODEC_HOST_H

#include <stddef.h>

#include "codec/slice.h"

/*
 * Options, OR-ed; 0 is the server's policy for a Host field (strict).
 */
/* An empty uri-host ("" or ":80") is accepted (RFC 3986 reg-name may be
 * empty; Forwarded host="" is valid), as kind HOST_REGNAME, length 0. */
#define HOST_ALLOW_EMPTY 0x01u
/* The full RFC 3986 reg-name: "~", sub-delims and pct-encoded allowed,
 * no label or numeric-shape checks (URI-HOST-4..6 off). */
#define HOST_RFC3986 0x02u
/* port = *DIGIT of any length and value, 0 included (RFC 3986 §3.2.3). */
#define HOST_PORT_ANY 0x04u

enum host_kind {
	HOST_REGNAME = 1,
	HOST_IPV4,
	HOST_IPV6, /* was in brackets; host excludes them */
};

enum host_reason {
	HOST_OK = 0,
	HOST_EMPTY,       /* no uri-host before ':' or the end (URI-HOST-2) */
	HOST_BAD_IPV6,    /* bad or unbracketed IPv6 literal (URI-HOST-3) */
	HOST_BAD_IPV4,    /* numeric-looking name not a dotted quad (-5) */
	HOST_BAD_NAME,    /* empty label: ".a", "a..b", "." (URI-HOST-6) */
	HOST_BAD_CHAR,    /* byte outside the reg-name set (URI-HOST-4) */
	HOST_BAD_PERCENT, /* "%" not followed by two HEXDIG (URI-HOST-4) */
	HOST_BAD_PORT,    /* port not digits, out of range (URI-HOST-7) */
};

/*
 * What host_parse found. Slices point into the parsed input and stay
 * valid while it is unchanged. port_text.p is NULL when there was no
 * ':'; otherwise it holds the digits after it (possibly none). Names are
 * returned as written: the caller lower-cases before comparing (RFC 3986
 * §3.2.2: case-insensitive).
 */
struct host_port {
	enum host_kind kind;
	struct slice host; /* IPv6 without the brackets */
	struct slice port_text;
	int port; /* -1 if absent, empty, or (HOST_PORT_ANY) over 65535 */
};

/*
 * Parse all of p[0..len) as uri-host [ ":" port ]. Returns 0 and fills
 * *out, or -1 and sets *why (out is then unspecified). Never reads
 * outside p[0..len); p may be NULL when len is 0.
 */
int host_parse(const char *p, size_t len, unsigned opts, struct host_port *out,
	enum host_reason *why);

/* RFC 3986 §3.2.2 IPv4address: four dec-octets, no leading zeros. */
int host_is_ipv4(const char *p, size_t len);
/* RFC 3986 §3.2.2 IPv6address (no brackets, no zone, no IPvFuture). */
int host_is_ipv6(const char *p, size_t len);

/* "BAD_PORT" etc., as used by spec/vectors/host; "UNKNOWN" otherwise. */
const char *host_reason_name(enum host_reason r);

#endif
