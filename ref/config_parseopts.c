/*
 * server.http-parseopts: lighttpd 1.4's request-parsing options resolved
 * into the codecs' option bits (URI_*, HOST_*, H1_LENIENT_*) and two
 * request-handling switches. Pure: the config check and the server both
 * call it, so the check reports exactly what the server will do. Defaults
 * are lighttpd 1.4.69's (header-strict, host-strict, url-normalize with
 * unreserved, ctrls-reject, 2f-decode and dotseg-remove); spec/config.md
 * ("server.http-parseopts") lists where Gatehouse cannot follow a setting.
 */
#include <stddef.h>
#include <string.h>

#include "codec/h1.h"
#include "codec/host.h"
#include "codec/uri.h"
#include "config.h"
#include "config_int.h"

/* Set bits of the keys a hash sets, and of those it sets to enable. */
enum {
	PO_HEADER_STRICT = 1 << 0,
	PO_HOST_STRICT = 1 << 1,
	PO_HOST_NORMALIZE = 1 << 2,
	PO_METHOD_GET_BODY = 1 << 3,
	PO_URL_NORMALIZE = 1 << 4,
	PO_UNRESERVED = 1 << 5,
	PO_REQUIRED = 1 << 6,
	PO_CTRLS_REJECT = 1 << 7,
	PO_BACKSLASH_TRANS = 1 << 8,
	PO_2F_DECODE = 1 << 9,
	PO_2F_REJECT = 1 << 10,
	PO_DOTSEG_REMOVE = 1 << 11,
	PO_DOTSEG_REJECT = 1 << 12,
	PO_QUERY_20_PLUS = 1 << 13,
};

static const struct {
	const char *name;
	unsigned bit;
} po_keys[] = {
	{"header-strict", PO_HEADER_STRICT},
	{"host-strict", PO_HOST_STRICT},
	{"host-normalize", PO_HOST_NORMALIZE},
	{"method-get-body", PO_METHOD_GET_BODY},
	{"url-normalize", PO_URL_NORMALIZE},
	{"url-normalize-unreserved", PO_UNRESERVED},
	{"url-normalize-required", PO_REQUIRED},
	{"url-ctrls-reject", PO_CTRLS_REJECT},
	{"url-path-backslash-trans", PO_BACKSLASH_TRANS},
	{"url-path-2f-decode", PO_2F_DECODE},
	{"url-path-2f-reject", PO_2F_REJECT},
	{"url-path-dotseg-remove", PO_DOTSEG_REMOVE},
	{"url-path-dotseg-reject", PO_DOTSEG_REJECT},
	{"url-query-20-plus", PO_QUERY_20_PLUS},
};

static void
note(struct cfg_parseopts *po, const char *msg)
{
	if (po->nignored < sizeof(po->ignored) / sizeof(po->ignored[0]))
		po->ignored[po->nignored++] = msg;
}

int
cfg_parseopts_eval(const struct cfg_value *h, struct cfg_parseopts *po)
{
	unsigned set = 0, on = 0;
	size_t i, j;

	memset(po, 0, sizeof(*po));
	for (i = 0; h != NULL && h->type == CFG_ARRAY && i < h->n; i++) {
		const struct cfg_value *v = &h->items[i];
		int b = cfg_value_bool(v);

		if (v->key == NULL || b < 0) {
			po->error = "values must be \"enable\" or \"disable\"";
			return -1;
		}
		for (j = 0; j < sizeof(po_keys) / sizeof(po_keys[0]); j++)
			if (strcmp(v->key, po_keys[j].name) == 0)
				break;
		if (j == sizeof(po_keys) / sizeof(po_keys[0])) {
			po->error = "unknown option";
			return -1;
		}
		/* A later setting of the same key wins, as in lighttpd. */
		set |= po_keys[j].bit;
		on = b ? on | po_keys[j].bit : on & ~po_keys[j].bit;
	}
#define IS_ON(bit, def) ((set & (bit)) ? (on & (bit)) != 0 : (def))
#define IS_OFF(bit)     ((set & (bit)) && !(on & (bit)))
	/* lighttpd's defaults include 2f-decode and dotseg-remove, so
	 * their reject twins must come with them turned off by name. */
	if (IS_ON(PO_URL_NORMALIZE, 1) && IS_ON(PO_2F_DECODE, 1) &&
		IS_ON(PO_2F_REJECT, 0)) {
		po->error = "conflicting options url-path-2f-decode, "
			    "url-path-2f-reject";
		return -1;
	}
	if (IS_ON(PO_URL_NORMALIZE, 1) && IS_ON(PO_DOTSEG_REMOVE, 1) &&
		IS_ON(PO_DOTSEG_REJECT, 0)) {
		po->error = "conflicting options url-path-dotseg-remove, "
			    "url-path-dotseg-reject";
		return -1;
	}

	/* header-strict (default enable): only CRLF ends a line. */
	if (!IS_ON(PO_HEADER_STRICT, 1))
		po->h1_flags |= H1_LENIENT_BARE_LF;
	/* host-strict (default enable): a DNS name or IP literal; off, the
	 * whole RFC 3986 reg-name set. host-normalize is implied by
	 * host-strict; Gatehouse always normalises (lower case, no port or
	 * trailing dot), so only turning both off asks for something else. */
	if (!IS_ON(PO_HOST_STRICT, 1)) {
		po->host_opts |= HOST_RFC3986;
		if (IS_OFF(PO_HOST_NORMALIZE))
			note(po,
				"host-normalize = \"disable\": the Host is "
				"always normalised (lower case, no port, no "
				"trailing dot)");
	}
	/* method-get-body (default disable): GET/HEAD with a body is 400. */
	po->get_body = IS_ON(PO_METHOD_GET_BODY, 0);

	/* url-normalize = disable turns every url-* option off in lighttpd;
	 * the codec always decodes once and removes dot segments. */
	if (IS_OFF(PO_URL_NORMALIZE)) {
		note(po,
			"url-normalize = \"disable\": the path is always "
			"decoded once, dot segments removed, controls "
			"rejected");
		po->uri_opts = URI_2F_DECODE;
		return 0;
	}
	/* A decoded path is what url-normalize-unreserved gives, and a path
	 * handed on is re-encoded as url-normalize-required would. */
	if (IS_OFF(PO_UNRESERVED))
		note(po,
			"url-normalize-unreserved = \"disable\": unreserved "
			"characters are always decoded");
	if (IS_OFF(PO_REQUIRED))
		note(po,
			"url-normalize-required = \"disable\": a path handed "
			"on is always re-encoded where required");
	if (!IS_ON(PO_CTRLS_REJECT, 1))
		po->uri_opts |= URI_CTRLS_ALLOW;
	if (IS_ON(PO_BACKSLASH_TRANS, 0))
		po->uri_opts |= URI_BACKSLASH_TRANS;
	/* 2f-decode is on unless turned off by name (2f-reject needs
	 * that); the codec lets 2F_REJECT win anyway. */
	if (IS_ON(PO_2F_REJECT, 0))
		po->uri_opts |= URI_2F_REJECT;
	else if (IS_ON(PO_2F_DECODE, 1))
		po->uri_opts |= URI_2F_DECODE;
	if (IS_ON(PO_DOTSEG_REJECT, 0))
		po->uri_opts |= URI_DOTSEG_REJECT;
	else if (IS_OFF(PO_DOTSEG_REMOVE))
		note(po,
			"url-path-dotseg-remove = \"disable\": dot segments "
			"are always removed");
	po->query_20_plus = IS_ON(PO_QUERY_20_PLUS, 0);
#undef IS_ON
#undef IS_OFF
	return 0;
}
