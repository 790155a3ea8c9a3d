/*
 * RFC 7239 Forwarded header field: parse and format.
 *
 * Data flow: the gateway reads the client's Forwarded field value (after
 * the head codec joined repeated lines with ", ", RFC 9110 §5.3), parses it
 * into elements here to decide what to trust, then formats one element for
 * its own hop and appends it before the request goes to the backend.
 * Rules: spec/proxy.md (PROXY-FWD-*), from RFC 7239 §4-§7 and the list and
 * quoted-string syntax of RFC 9110 §5.6.
 */
#ifndef GH_CODEC_FWD_H
#define GH_CODEC_FWD_H

#include <stddef.h>

#include "codec/slice.h"

/* Options, OR-ed; 0 is strict. */
#define FWD_LENIENT_OWS 0x01u /* SP/HTAB around ';' and '=' accepted */
/* for/by/host/proto syntax not checked, and ':' '[' ']' allowed in a bare
 * (unquoted) value */
#define FWD_LENIENT_VALUES 0x02u

/*
 * At most this many pairs in one element: RFC 7239 defines four
 * parameters and duplicates are forbidden (§4), so 16 leaves room for
 * extensions while keeping the duplicate check's cost bounded.
 */
#define FWD_MAX_PAIRS 16
/*
 * Longest for/by/host/proto value checked (after unquoting): a DNS name is
 * at most 253 bytes, plus ":" and a 5-digit port, rounded up.
 */
#define FWD_VALUE_MAX 320

enum fwd_reason {
	FWD_OK = 0,
	FWD_EMPTY,          /* no forwarded-pair in the whole value */
	FWD_BAD_PAIR,       /* name not a token, or no '=' after it */
	FWD_BAD_VALUE,      /* value neither a token nor a quoted-string */
	FWD_BAD_QUOTE,      /* quoted-string unterminated or bad byte */
	FWD_BAD_DELIM,      /* something other than ';' ',' or end */
	FWD_WHITESPACE,     /* SP/HTAB around ';' or '=' (strict) */
	FWD_DUP_PARAM,      /* a parameter twice in one element (§4) */
	FWD_BAD_NODE,       /* for/by value is not node syntax (§6) */
	FWD_BAD_HOST,       /* host value is not Host syntax (§5.3) */
	FWD_BAD_PROTO,      /* proto value is not a URI scheme (§5.4) */
	FWD_TOO_MANY_ELEMS, /* more elements than the caller's array */
	FWD_TOO_MANY_PAIRS, /* more than FWD_MAX_PAIRS in one element */
};

/*
 * A parameter value as it appears in the input: for a quoted-string, text
 * is what lies between the quotes, with quoted-pairs still escaped (use
 * fwd_unquote). text.p is NULL when the parameter is absent.
 */
struct fwd_value {
	struct slice text;
	int quoted;
};

/*
 * One forwarded-element (one hop). Slices point into the parsed input and
 * stay valid while it is unchanged. raw spans the element's pairs, for
 * walking every pair (extensions too) with fwd_next_pair.
 */
struct fwd_elem {
	struct fwd_value for_node; /* "for": the client side of the hop */
	struct fwd_value by_node;  /* "by": the proxy's receiving side */
	struct fwd_value host;     /* "host": Host as the proxy received it */
	struct fwd_value proto;    /* "proto": scheme the proxy received */
	struct slice raw;
	unsigned n_pairs;
};

struct fwd_pair {
	struct slice name; /* as written; compare case-insensitively */
	struct fwd_value value;
};

struct fwd_result {
	size_t n;               /* elements stored */
	enum fwd_reason reason; /* why -1 was returned */
	size_t err_off;         /* input offset where the fault was found */
};

/*
 * Parse the field value p[0..len) into elems[0..cap). Elements with no
 * pair (";" alone) and empty list members are skipped (RFC 9110 §5.6.1).
 * Returns len (the value is complete; there is no "need more") or -1 with
 * res->reason and res->err_off. On -1 elems may be partly written.
 */
long fwd_parse(const char *p, size_t len, unsigned opts, struct fwd_elem *elems,
	size_t cap, struct fwd_result *res);

/*
 * Step through the pairs of an element that fwd_parse accepted: pass its
 * raw slice in *rest; each call stores the next pair and advances *rest.
 * Returns 1 with a pair, 0 when none is left.
 */
int fwd_next_pair(struct slice *rest, struct fwd_pair *pair);

/*
 * Copy a value with its quoted-pairs resolved into out[0..cap). Returns
 * bytes written, or -1 (writing nothing) when it does not fit.
 */
long fwd_unquote(const struct fwd_value *v, char *out, size_t cap);

enum fwd_node_kind {
	FWD_NODE_IPV4 = 1,
	FWD_NODE_IPV6,
	FWD_NODE_UNKNOWN, /* the literal "unknown" (§6.2) */
	FWD_NODE_OBF,     /* obfuscated "_name" (§6.3) */
};

struct fwd_node {
	enum fwd_node_kind kind;
	struct slice name; /* address (IPv6 without brackets) or "_name" */
	struct slice port; /* digits or "_obf"; len 0 when absent */
};

/*
 * Parse an unquoted node (RFC 7239 §6), e.g. "[2001:db8::1]:4711". Slices
 * point into p. Returns 0, or -1 when p is not node syntax.
 */
int fwd_node_parse(const char *p, size_t len, struct fwd_node *node);

/*
 * What a gateway reports for its hop. Each slice is plain (unquoted) text;
 * p NULL omits the parameter.
 */
struct fwd_hop {
	struct slice for_node, by_node, host, proto;
};

/*
 * Format one forwarded-element, "for=...;by=...;host=...;proto=...", into
 * out[0..cap) for appending to a Forwarded value (after ", " when one is
 * already present). A value is written as a token when it is one, else as
 * a quoted-string, so an IPv6 node or a port is always quoted (§6).
 * Values are checked as fwd_parse checks them; a valid value never holds
 * '"' or '\', so no escaping is needed.
 * Returns bytes written, or -1 (writing nothing) when it does not fit or a
 * value is invalid (so what we send always parses).
 */
long fwd_format(const struct fwd_hop *h, char *out, size_t cap);

/*
 * Build node text from an address and a port (0 = none): "192.0.2.1:80",
 * "[2001:db8::1]:80" (brackets added when the address has a ':').
 * Returns bytes written, or -1 (writing nothing) when it does not fit.
 */
long fwd_node_format(
	const char *addr, size_t len, unsigned port, char *out, size_t cap);

/* UPPER_SNAKE name of a reason, as used in vectors ("BAD_QUOTE"). */
const char *fwd_reason_name(enum fwd_reason r);

#endif
