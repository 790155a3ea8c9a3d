/*
 * The one CGI environment builder (RFC 3875 §4.1 plus lighttpd's
 * variables, in lighttpd's order), shared by FastCGI, SCGI, uwsgi and
 * CGI, and the SCRIPT_NAME/PATH_INFO split rules. Pure code: the caller
 * gathers the request's facts into struct cgi_env_in, the builder writes
 * name/value pairs into caller memory. Rules: spec/cgi.md CGI-ENV-* and
 * CGI-PATH-*. The filesystem walk of CGI-PATH-1 takes a callback, so the
 * split logic stays testable without a disk.
 */
#ifndef GH_CGI_ENV_H
#define GH_CGI_ENV_H

#include <stddef.h>

#include "codec/slice.h"

/* What the builder needs to know about one request. Strings may be NULL
 * (or slices empty) where the comment says the variable is then unset. */
struct cgi_env_in {
	long long content_length; /* -1: no CONTENT_LENGTH (authorizer) */
	struct slice query;       /* without '?'; "" when none */
	struct slice request_uri; /* original target, already stripped */
	struct slice script_name; /* unset for the authorizer */
	struct slice path_info;   /* unset when empty or authorizer */
	const char *script_filename;
	const char *document_root; /* also PATH_TRANSLATED's base */
	struct slice method;
	const char *protocol; /* "HTTP/1.1" */
	const char *software; /* server.tag */
	int https;
	const char *server_port, *server_addr;
	struct slice host; /* Host field (port stripped here) or empty */
	const char *remote_addr, *remote_port;
	int authorizer;
	const struct field *fields; /* request header fields */
	size_t nfields;
	const struct field *extra; /* configured/authorizer variables */
	size_t nextra;
};

/* The result: vars[0..n) point into mem, which the builder fills. */
struct cgi_env {
	struct field *vars;
	size_t n, cap;
	char *mem;
	size_t used, memcap;
};

enum cgi_env_reason {
	CGI_ENV_OK = 0,
	CGI_ENV_COLLISION, /* CGI-ENV-HTTP-5: two names map to one var: 400 */
	CGI_ENV_NUL,       /* CGI-ENV-GEN-1: a NUL in a value: 400 */
	CGI_ENV_NO_SPACE,  /* vars or mem too small: the caller's bound */
};

/*
 * Build the environment. Returns 0, or -1 with *why set (vars and mem
 * then hold a partial, unusable result). Repeated fields are merged with
 * ", " (Cookie "; "); Proxy, Content-Length, Content-Type and
 * Transfer-Encoding never become HTTP_* variables.
 */
int cgi_env_build(const struct cgi_env_in *in, struct cgi_env *e,
	enum cgi_env_reason *why);

/* The value of NAME in e, or NULL. */
const struct slice *cgi_env_get(const struct cgi_env *e, const char *name);

/*
 * CGI-ENV-HTTP-1: the variable name for a field name: "HTTP_" + letters
 * upper-cased, digits kept, anything else '_'. Writes a NUL-terminated
 * name; returns its length, or 0 when cap is too small.
 */
size_t cgi_env_http_name(const char *name, size_t len, char *out, size_t cap);

/*
 * CGI-PATH-2/3: split for check-local disabled with a prefix key of
 * keylen bytes ("/app"). SCRIPT_NAME is the path up to the first '/'
 * at or after keylen (the whole path when there is none), PATH_INFO the
 * rest; with fix_root and key "/", SCRIPT_NAME is empty.
 */
void cgi_path_split_prefix(struct slice path, size_t keylen, int fix_root,
	struct slice *script_name, struct slice *path_info);

/*
 * CGI-PATH-1: walk the components of path ("/a/b/c", normalised) from the
 * first: kind(ctx, n) says what path[0..n) is on disk: 1 a regular file,
 * 0 a directory, -1 anything else or missing. The first regular file is
 * the script: returns its length (PATH_INFO is the rest), or -1 (404)
 * when a component is missing or not a file/directory, or the whole path
 * is a directory.
 */
long cgi_path_split_physical(const char *path, size_t len,
	int (*kind)(void *ctx, size_t n), void *ctx);

#endif
