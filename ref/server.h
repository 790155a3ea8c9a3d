/*
 * The server's objects and their ownership tree: struct server owns the
 * listeners and the connections; a connection owns its fd, its in/out
 * buffers and the request in progress (struct req, embedded: one request at
 * a time per connection, which is what keeps pipelined responses in
 * order). Settings from the configuration are resolved once at start
 * (struct srv_conf) and, for keys conditionals may change, per request
 * (struct rconf).
 */
#ifndef GH_SERVER_H
#define GH_SERVER_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "codec/chunked.h"
#include "codec/h1.h"
#include "codec/h1frame.h"
#include "codec/uri.h"
#include "config.h"
#include "limits.h"
#include "loop.h"

/* Keys a $HTTP[...] block may change, resolved for each request. */
struct rconf {
	const char *docroot;                  /* absolute, no trailing '/' */
	const struct cfg_value *index_names;  /* CFG_ARRAY or NULL */
	const struct cfg_value *mimetypes;    /* CFG_ARRAY or NULL */
	const struct cfg_value *exclude_exts; /* CFG_ARRAY or NULL */
	const struct cfg_value *deny;         /* url.access-deny */
	const struct cfg_value *alias;        /* alias.url (mod_alias) */
	int dirlist, etags, follow_symlink, ranges, hide_dotfiles;
};

/* Server-scope settings, resolved at start. */
struct srv_conf {
	const char *tag; /* Server: header value; "" sends none */
	int max_conns;
	unsigned max_ka_requests;
	unsigned ka_idle, read_idle, write_idle; /* seconds */
	long long max_body;                      /* bytes */
	size_t max_head;                         /* bytes */
	char *upload_dir;
	struct h1_opts h1;
	unsigned frame_opts, uri_opts;
	/* server.http-parseopts beyond the codecs' bits (cfg_parseopts). */
	unsigned host_opts; /* HOST_* for the Host field */
	int get_body;       /* method-get-body */
	int query_20_plus;  /* url-query-20-plus */
	unsigned graceful_secs;
};

struct server;
struct conn;

struct listener {
	struct loop_io io;
	struct server *srv;
	char name[80]; /* "127.0.0.1:8080", for $SERVER["socket"] */
};

enum conn_state {
	CONN_HEAD,   /* reading a request head */
	CONN_BODY,   /* reading a request body */
	CONN_WRITE,  /* writing a response */
	CONN_LINGER, /* response sent, draining input before close */
	CONN_CLOSED, /* waiting for the deferred free */
};

/* BODY_WAIT: a handler (the gateway) answers later and calls
 * conn_wake(); nothing but what is queued is written until then. */
enum body_kind { BODY_NONE, BODY_FILE, BODY_STREAM, BODY_WAIT };

/* The request in progress. Slices in h1 and fields point into the
 * connection's input buffer and stay valid until the request ends. */
struct req {
	uint64_t id;
	struct h1_req h1;
	size_t head_len;
	int version; /* 10 or 11 */
	int keep_alive;
	int expect_continue;
	int is_head;
	/* Host (or the absolute-form authority) as host_parse checked it:
	 * lower-cased in place, without port or trailing dot; an IPv6
	 * literal keeps its brackets. */
	struct slice host;
	struct slice referer, user_agent;
	struct slice range, if_none_match, if_modified_since;
	struct h1frame frame;
	struct chunked chunk;
	long long body_len; /* decoded body bytes so far */
	size_t body_pos;    /* next unprocessed byte in the input buffer */
	int body_fd;        /* spilled body, or -1 */
	char *body_mem;     /* body bytes kept in memory (LIMIT_BODY_MEM) */
	struct uri_path uri;
	struct rconf rc;
	/* response */
	int status;
	enum body_kind body;
	int file_fd;
	off_t file_off, file_left;
	int chunked_out; /* BODY_STREAM framed as chunked */
	/* BODY_STREAM: fill writes up to cap body bytes at dst and returns
	 * the count, 0 at the end, -1 on failure, -2 when it has nothing yet
	 * (its producer calls conn_wake() later); fill_free releases
	 * fill_state when the request ends. */
	long (*fill)(struct conn *c, char *dst, size_t cap);
	void *fill_state;
	void (*fill_free)(void *state);
	long long bytes_out;
	time_t start;
	/* mod_setenv, for the final URL (config-owned hashes, or NULL). */
	const struct cfg_value *resp_add, *resp_set, *env_add, *env_set;
	int setenv_done; /* request fields added (once per request) */
	/* server.stream-request-body: the request was dispatched at its
	 * head and its body is still arriving (gw_body_more() hears of each
	 * piece); 0 once it is complete. */
	int body_stream;
	/* In the connection's pooled block (struct conn_mem) while a request
	 * is in progress; written before they are read (by the h1 and uri
	 * codecs), so a new request clears only the members above:
	 * REQ_RESET_SIZE. */
	struct field *fields; /* LIMIT_REQ_FIELDS of them */
	char *path;           /* LIMIT_PATH bytes */
};
#define REQ_RESET_SIZE offsetof(struct req, fields)

/*
 * The memory a connection needs only while a request is in progress: both
 * buffers, the field array and the path. An idle keep-alive connection
 * gives it back to the server's pool, so 10,000 idle connections cost
 * 10,000 small struct conns, not 10,000 of these.
 */
struct conn_mem {
	struct conn_mem *next; /* in the pool */
	char in[LIMIT_CONN_IN];
	char out[LIMIT_CONN_OUT];
	struct field fields[LIMIT_REQ_FIELDS];
	char path[LIMIT_PATH];
};

struct conn {
	struct server *srv;
	struct conn *prev, *next;
	struct loop_io io;
	struct loop_timer timer;
	struct loop_defer defer;
	int fd;
	uint64_t id;
	const struct listener *lis;
	char peer[INET6_ADDRSTRLEN];
	struct conn_mem *mem; /* NULL while idle */
	struct buf in, out;   /* in mem */
	enum conn_state state;
	unsigned nreq;   /* requests started on this connection */
	int close_after; /* close once this response is written */
	struct req req;
};

struct server {
	struct loop *loop;
	struct config *cfg;
	struct srv_conf conf;
	struct rconf global;
	char *docroot;    /* global root made absolute, or NULL */
	int use_access;   /* mod_access loaded: url.access-deny applies */
	unsigned modules; /* MOD_HAS_* bits: request-time modules */
	struct stat_cache *sc;
	struct conn_mem *pool; /* idle blocks, at most LIMIT_MEM_POOL */
	size_t npool;
	struct listener lis[LIMIT_LISTENERS];
	size_t nlis;
	struct conn *conns;
	size_t nconns;
	int paused;   /* accepting stopped: max-connections reached */
	int stopping; /* graceful shutdown in progress */
	uint64_t next_cid;
	struct loop_timer tick;
};

/* server.c */
int server_init(struct server *s, struct config *cfg, const char *cwd);
void server_graceful(struct server *s);
void server_free(struct server *s);
int server_has_module(const struct config *cfg, const char *name);

/* conn.c */
void conn_accept(struct server *s, struct listener *l);
void conn_close(struct conn *c);
void conn_close_idle(struct server *s);
void server_pause(struct server *s, int pause);
/* A producer (BODY_WAIT, or fill returned -2) has output: run the conn. */
void conn_wake(struct conn *c);
void conn_mem_pool_free(struct server *s);

/* req.c: returns 1 when a request is ready to be answered, 0 to wait for
 * more input, -1 when it failed (r->status says what to answer). */
int req_head(struct conn *c);
int req_body(struct conn *c);
void req_reset(struct req *r);
const struct slice *req_field(const struct req *r, const char *name);

/* resp.c */
int resp_head(struct conn *c, int status, long long len, const char *type,
	const char *extra);
int resp_error(struct conn *c, int status);
int resp_write(struct conn *c);
const char *resp_reason(int status);
const char *resp_http_date(time_t t, char out[32]);

/* static.c */
void static_handle(struct conn *c);
void rconf_resolve(struct server *s, struct conn *c);
void static_rconf_global(struct server *s, const char *default_root);

/* dirlist.c: start a listing of directory fspath; 0 or -1. */
int dirlist_start(struct conn *c, const char *fspath);

/* accesslog.c */
int accesslog_open(const char *path, const char *format);
int accesslog_reopen(void);
void accesslog_write(struct conn *c);
void accesslog_flush(void);

#endif
