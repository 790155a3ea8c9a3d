/*
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 9112 §3.2) with
 * uri-host from RFC 3986 §3.2.2, as spec/uri.md URI-HOST-1..7 narrow it
 * for a server: an IP literal must be a real IPv6 address, a name that
 * looks numeric must be a real dotted quad, and '%' stays out unless the
 * caller asks for the whole RFC 3986 grammar (Forwarded does).
 */
#include "codec/host.h"
#include "codec/abnf.h"

#include <string.h>

int
host_is_ipv4(const char *p, size_t len)
{
	size_t i = 0;

	for (int oct = 0; oct < 4; oct++) {
		size_t s;
		unsigned v = 0;

		if (oct > 0 && (i >= len || p[i++] != '.'))
			return 0;
		s = i;
		while (i < len && i - s < 3 &&
			abnf_is_digit((unsigned char)p[i]))
			v = v * 10 + (unsigned)(p[i++] - '0');
		/* dec-octet has no leading zero: "010" is octal to inet_aton. */
		if (i == s || v > 255 || (i - s > 1 && p[s] == '0'))
			return 0;
	}
	return i == len;
}

int
host_is_ipv6(const char *p, size_t len)
{
	size_t i = 0;
	int groups = 0, dc = 0;

	if (len >= 2 && p[0] == ':' && p[1] == ':') {
		dc = 1;
		i = 2;
	} else if (len == 0 || p[0] == ':') {
		return 0;
	}
	while (i < len) {
		size_t j = i;

		while (j < len && j - i < 5 &&
			abnf_hexval((unsigned char)p[j]) >= 0)
			j++;
		if (j < len && p[j] == '.') {
			/* ls32 as IPv4 ends the address and counts as two. */
			if (!host_is_ipv4(p + i, len - i))
				return 0;
			groups += 2;
			break;
		}
		if (j == i || j - i > 4)
			return 0;
		groups++;
		if (j == len)
			break;
		if (p[j] != ':' || j + 1 == len)
			return 0;
		i = j + 1;
		if (p[i] == ':') {
			if (dc)
				return 0; /* a second "::" */
			dc = 1;
			i++;
		}
	}
	return dc ? groups <= 7 : groups == 8;
}

/* URI-HOST-4: unreserved / sub-delims (RFC 3986 §2.3, §2.2), '%' apart. */
static int
is_rfc3986_char(unsigned char c)
{
	static const char extra[] = "-._~!$&'()*+,;=";

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		abnf_is_digit(c) || memchr(extra, c, sizeof(extra) - 1);
}

/* URI-HOST-4: the server's set, what DNS names (and lighttpd) use. */
static int
is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		abnf_is_digit(c) || c == '-' || c == '.' || c == '_';
}

/* reg-name per RFC 3986: any shape, pct-encoded checked but kept. */
static enum host_reason
check_rfc3986(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%') {
			if (n - i < 3 ||
				abnf_hexval((unsigned char)p[i + 1]) < 0 ||
				abnf_hexval((unsigned char)p[i + 2]) < 0)
				return HOST_BAD_PERCENT;
			i += 2;
		} else if (!is_rfc3986_char((unsigned char)p[i])) {
			return HOST_BAD_CHAR;
		}
	}
	return HOST_OK;
}

/*
 * The server's reg-name: name chars, no empty label but one trailing
 * dot (URI-HOST-6), and a numeric last label only in a dotted quad
 * (URI-HOST-5), so "127.1" or "0x7f.1" never reach a resolver that reads
 * them as an address (RFC 3986 §7.4).
 */
static enum host_reason
check_name(const char *p, size_t n)
{
	size_t label = 0;
	int numeric = 1;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!is_name_char(c))
			return HOST_BAD_CHAR;
		if (c != '.') {
			numeric = label == 0 ? abnf_is_digit(c)
					     : numeric && abnf_is_digit(c);
			label++;
			continue;
		}
		if (label == 0)
			return HOST_BAD_NAME; /* ".a", "a..b", "." */
		label = 0;
	}
	if (numeric && !host_is_ipv4(p, n))
		return HOST_BAD_IPV4;
	return HOST_OK;
}

/* URI-HOST-7: the digits after ':', at p[0..n). */
static enum host_reason
parse_port(const char *p, size_t n, unsigned opts, struct host_port *out)
{
	long v = 0;

	out->port_text.p = p;
	out->port_text.len = n;
	for (size_t i = 0; i < n; i++) {
		if (!abnf_is_digit((unsigned char)p[i]))
			return HOST_BAD_PORT;
		if (v <= 65535)
			v = v * 10 + (p[i] - '0');
	}
	if (n == 0)
		return HOST_OK; /* RFC 3986 §3.2.3: same as no port */
	if (!(opts & HOST_PORT_ANY) &&
		(v == 0 || v > 65535 || (n > 1 && p[0] == '0')))
		return HOST_BAD_PORT;
	out->port = v <= 65535 ? (int)v : -1;
	return HOST_OK;
}

int
host_parse(const char *p, size_t len, unsigned opts, struct host_port *out,
	enum host_reason *why)
{
	enum host_reason r = HOST_OK;
	const char *colon;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->port = -1;
	out->host.p = p;
	if (len > 0 && p[0] == '[') {
		const char *rb = memchr(p, ']', len);

		/* URI-HOST-3: IP-literal = "[" IPv6address "]" */
		if (rb == NULL || !host_is_ipv6(p + 1, (size_t)(rb - p) - 1)) {
			r = HOST_BAD_IPV6;
			goto fail;
		}
		out->kind = HOST_IPV6;
		out->host.p = p + 1;
		out->host.len = (size_t)(rb - p) - 1;
		n = (size_t)(rb - p) + 1;
		if (n < len && p[n] != ':') {
			r = HOST_BAD_CHAR;
			goto fail;
		}
	} else {
		colon = len > 0 ? memchr(p, ':', len) : NULL;
		n = colon ? (size_t)(colon - p) : len;
		/* URI-HOST-3: a second ':' means an IPv6 address unbracketed. */
		if (colon && memchr(colon + 1, ':', len - n - 1)) {
			r = HOST_BAD_IPV6;
			goto fail;
		}
		out->kind = host_is_ipv4(p, n) ? HOST_IPV4 : HOST_REGNAME;
		out->host.len = n;
		if (n == 0)
			r = opts & HOST_ALLOW_EMPTY ? HOST_OK : HOST_EMPTY;
		else if (opts & HOST_RFC3986)
			r = check_rfc3986(p, n);
		else
			r = check_name(p, n);
		if (r != HOST_OK)
			goto fail;
	}
	if (n < len &&
		(r = parse_port(p + n + 1, len - n - 1, opts, out)) != HOST_OK)
		goto fail;
	*why = HOST_OK;
	return 0;
fail:
	*why = r;
	return -1;
}

const char *
host_reason_name(enum host_reason r)
{
	switch (r) {
	case HOST_OK: return "OK";
	case HOST_EMPTY: return "EMPTY";
	case HOST_BAD_IPV6: return "BAD_IPV6";
	case HOST_BAD_IPV4: return "BAD_IPV4";
	case HOST_BAD_NAME: return "BAD_NAME";
	case HOST_BAD_CHAR: return "BAD_CHAR";
	case HOST_BAD_PERCENT: return "BAD_PERCENT";
	case HOST_BAD_PORT: return "BAD_PORT";
	}
	return "UNKNOWN";
}
