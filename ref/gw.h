/*
 * The gateway engine: lighttpd's gw_backend model (ext -> hosts -> procs)
 * with protocols as small const tables. gw_handle() routes a request whose
 * path matches a configured ext, builds the CGI environment once, and runs
 * one struct gw_req per backend exchange: connect (non-blocking, with
 * connect-timeout), write the framed request, read and unframe the
 * response, parse its head, stream the body to the client with
 * back-pressure (or hold it whole first: stream-response-body 0). Every
 * failure is decided, logged and mapped to a status
 * in one place, gw_fail() (the table in spec/gateway.md).
 *
 * Ownership: conn -> req -> gw_req (through req.fill_state) -> backend fd.
 * A gw_req is freed by the loop's deferred step, never inside a callback.
 */
#ifndef GH_GW_H
#define GH_GW_H

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "buf.h"
#include "cgi_env.h"
#include "codec/cgi_resp.h"
#include "codec/chunked.h"
#include "codec/fcgi.h"
#include "loop.h"

struct conn;
struct server;
struct config;
struct cfg_value;
struct gw_req;

/* Body bytes queued for the client before the backend is paused:
 * lighttpd's 64 KiB back-pressure mark (stream-response-body 2). */
#define GW_OB_CAP 65536

enum gw_mode { GW_RESPONDER = 1, GW_AUTHORIZER = 2 };

/* One backend endpoint. Remote hosts have exactly one (issue 8 adds
 * spawned procs, issue 9 a pool of idle connections per proc). */
struct gw_proc {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char name[128];        /* "unix:/path" or "127.0.0.1:9000", for logs */
	time_t disabled_until; /* out of rotation until then (disable-time) */
	unsigned load;         /* requests in progress */
};

/* One labelled host block of fastcgi.server (lighttpd-gateway.md §1.2). */
struct gw_host {
	char *label;
	enum gw_mode mode;
	int check_local, broken_scriptfilename, fix_root_scriptname;
	char *strip_request_uri; /* without a trailing '/', or NULL */
	char *docroot;           /* or NULL */
	int xsendfile;
	char **xsendfile_docroot; /* each ends in '/' */
	size_t nxsendfile_docroot;
	unsigned connect_timeout, write_timeout, read_timeout; /* s; 0 off */
	unsigned disable_time;
	int tcp_fin_propagate;
	struct gw_proc proc;
};

/* An ext key and its hosts, in config order. */
struct gw_ext {
	char *key;
	int prefix; /* key starts with '/': prefix match, else suffix */
	struct gw_host **hosts;
	size_t nhosts;
	size_t next; /* rotation for retries */
};

/* One value of fastcgi.server and its exts: the global value, or one
 * set inside a $HTTP[...] conditional. val identifies it: config_get()
 * returns that pointer for a request the block matches. */
struct gw_set {
	const struct cfg_value *val; /* NULL: the global scope set none */
	struct gw_ext *exts;
	size_t nexts;
};

/* Everything one gateway module configured (fastcgi.server...). sets[0]
 * is the global value; the others were set in conditionals (they make
 * routing evaluate the request's conditionals). */
struct gw_conf {
	const struct gw_proto *proto;
	struct gw_set *sets;
	size_t nsets;
	struct field *map_ext; /* fastcgi.map-extensions: from => to */
	size_t nmap_ext;
	int debug;
	int stream_request_body; /* server.stream-request-body, global */
	/* server.stream-response-body, global; 0 (lighttpd's default, also
	 * when not set) holds each response until the backend is done. */
	int stream_response_body;
	/* Requests using this conf; a conf replaced by a reload is freed
	 * when its last request ends. */
	unsigned refs;
	int stale;
	const struct config *cfg;
};

/*
 * A protocol: frames the request and unframes the response. Each member
 * is small; the engine owns every fd, buffer, timer and decision.
 */
struct gw_proto {
	const char *name; /* "fastcgi" */
	/* Bytes frame_head() needs for env. */
	size_t (*head_size)(const struct cgi_env *env);
	/* Frame the request head (FastCGI: BEGIN_REQUEST + PARAMS) into
	 * dst; returns bytes written or -1 when cap is too small. */
	long (*frame_head)(char *dst, size_t cap, const struct cgi_env *env,
		enum gw_mode mode);
	/* Framing bytes added around each body piece, and the largest
	 * piece one frame_body() call takes. */
	size_t body_overhead, body_max;
	/* Frame body bytes p[0..n); last adds the end-of-body marker (n may
	 * then be 0). Returns bytes written or -1 when cap is too small. */
	long (*frame_body)(
		char *dst, size_t cap, const char *p, size_t n, int last);
	/* Unframe backend bytes: hands response bytes to gw_on_stdout(),
	 * errors to gw_on_stderr(), the end to gw_on_end(). Returns bytes
	 * consumed (may be fewer than n when gw_on_stdout() has no room),
	 * or -1 when the stream is malformed. */
	long (*unframe)(struct gw_req *g, const char *p, size_t n);
	/* Per-request decoder state size and its initialiser. */
	void (*init)(struct gw_req *g);
};

extern const struct gw_proto gw_fastcgi;

enum gw_state {
	GW_CONNECT, /* connect() in progress */
	GW_XFER,    /* writing the request and/or reading the response */
	GW_DONE,    /* backend closed; the client side may still drain */
};

/* One exchange with one backend for one request. */
struct gw_req {
	struct conn *c;
	struct gw_conf *conf;
	struct gw_ext *ext;
	struct gw_host *host;
	enum gw_state state;
	struct loop_io io;
	struct loop_timer timer;
	struct loop_defer defer;
	int fd;
	int detached; /* the request ended: nothing may touch c again */
	unsigned tries;
	/* request side */
	struct cgi_env env;
	struct buf wb;      /* framed bytes waiting to be written */
	long long body_off; /* next request body byte to frame */
	int body_framed;    /* end-of-body marker queued */
	int sent;           /* a byte reached the backend */
	int client_fin;     /* the client half-closed (TCP FIN) */
	int fin_pending;    /* tcp-fin-propagate: shut down once written */
	/* response side */
	union {
		struct fcgi_stream fcgi;
	} dec;
	struct buf rb;   /* raw backend bytes not yet unframed */
	struct buf head; /* response head being gathered */
	struct buf ob;   /* body bytes waiting for the client */
	int head_done, ended, eof, failed, discard;
	long long cl_left; /* body bytes still expected; -1 unknown */
	int chunked;       /* the app sent Transfer-Encoding: chunked */
	struct chunked chunk;
	struct buf cb; /* chunked body bytes not yet decoded */
	/* stream-response-body 0: the head waits in extra and the body in
	 * ob, then in the spool file past LIMIT_RESP_MEM, until the backend
	 * is done (gw.c); hold is 0 once the head is queued. */
	int hold, hold_status;
	int spool_fd; /* unlinked temp file in server.upload-dirs, or -1 */
	long long spool_len;
	int auth_ok;           /* an authorizer answered 200 */
	struct field vars[16]; /* its Variable-* for the responder */
	size_t nvars;
	char *vars_mem;
	char extra[12288]; /* the client head's fields, for resp_head() */
};

/* Route the request (gw_route.c): 1 when the gateway took it (it
 * answers, now or later), 0 to let the static handler run. auth is the
 * authorizer exchange that approved the request, or NULL. */
int gw_route(struct conn *c, const struct gw_req *auth);
/* Start a routed exchange (gw.c); 0, or -1 when out of memory. */
int gw_start(struct gw_req *g);
/* Release a conf reference (gw_route.c). */
void gw_conf_put(struct gw_conf *gc);

/* Load fastcgi.server from the config (gw_host.c); NULL conf when the
 * module is not configured. 0, or -1 after logging the error. */
int gw_conf_load(struct gw_conf *gc, const struct config *cfg,
	const char *module, const struct gw_proto *proto);
void gw_conf_free(struct gw_conf *gc);

/* Load the gateway configuration at start (and after a reload): 0, or
 * -1 after logging why (an unresolvable backend host). */
int gw_init(struct server *s);
/* The dispatch hook: gw_route(c, NULL). */
int gw_handle(struct conn *c);

/* Request body queued for the backend beyond which the client is not
 * read (stream-request-body 1/2): one STDIN record's worth. */
#define GW_BODY_HWM 65536

/* server.stream-request-body (conn.c): 1 when c's request, whose head
 * has just been read, is to be dispatched now and its body streamed:
 * the option is 1 or 2 and the body has a Content-Length (a chunked
 * body is still spooled whole, so CONTENT_LENGTH stays exact). */
int gw_streams_body(struct conn *c);
/* More of a streamed body arrived (r->body_len grew): frame and send it
 * if the backend is connected. Never wakes the client side. */
void gw_body_more(struct conn *c);
/* Back-pressure for a streamed body: 1 while the client may be read (the
 * backlog not yet written to the backend is under GW_BODY_HWM). */
int gw_body_room(struct conn *c);

/* The client half-closed while its response waits on the gateway
 * (conn.c): the request goes on, keep-alive ends, and with the host's
 * tcp-fin-propagate the backend gets the FIN too, once the request is
 * written. Idempotent; does nothing when the gateway is not the
 * producer. */
void gw_client_fin(struct conn *c);

/* gw_host.c: pick an available host of ext (skipping disabled procs);
 * NULL when none is. */
struct gw_host *gw_host_pick(struct gw_ext *x, time_t now);

/* Called by the protocol's unframe(). gw_on_stdout returns the bytes it
 * took (0 when the client side is full: back-pressure). */
size_t gw_on_stdout(struct gw_req *g, const char *p, size_t n);
void gw_on_stderr(struct gw_req *g, const char *p, size_t n);
void gw_on_end(struct gw_req *g, unsigned app_status, int proto_status);

/* gw_resp.c: turn a complete response head into the client's head.
 * Returns 0 (head queued, or the authorizer approved), or a status to
 * answer instead (502, 403, 404). */
int gw_resp_head(struct gw_req *g, const struct cgi_resp *cr,
	const struct field *fields, size_t n);
/* New bytes in g->head: parse, forward 1xx, emit the head when done. */
void gw_head_more(struct gw_req *g);
/* gw.c: room for response bytes (the head, then the client queue). */
size_t gw_room(struct gw_req *g);
/* gw.c: decide a failure once (the table of spec/gateway.md). */
void gw_fail(struct gw_req *g, int status, const char *why);

#endif
