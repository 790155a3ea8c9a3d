/*
 * gatecheck core: the case registry, the verdict model and the run context
 * every case receives.
 *
 * A case has a stable ID (FCGI-APP-REC-001), a level (MUST/SHOULD/MAY),
 * the spec rule it checks, a one-line description and the outcomes its
 * rule permits. A case reports at most one verdict: PASS by default,
 * gc_fail() for an outcome the rule forbids, gc_warn() for a permitted
 * but not preferred one, gc_skip() when it cannot run here. The first
 * verdict other than PASS wins.
 */
#ifndef GC_GC_H
#define GC_GC_H

#include <stddef.h>
#include <sys/types.h>

enum gc_level { GC_MUST, GC_SHOULD, GC_MAY };
enum gc_verdict { GC_PASS, GC_WARN, GC_FAIL, GC_SKIP };
enum gc_proto {
	GC_FCGI = 1,
	GC_SCGI = 2,
	GC_UWSGI = 4,
	GC_HTTP = 8,  /* gateway mode: HTTP reverse proxy */
	GC_CGI = 16,  /* gateway mode: CGI (gatecheck is the program) */
	GC_FRONT = 32 /* http mode: an HTTP front end */
};
#define GC_GW_ALL    (GC_FCGI | GC_SCGI | GC_UWSGI | GC_HTTP | GC_CGI)
#define GC_GW_CGIFAM (GC_FCGI | GC_SCGI | GC_UWSGI | GC_CGI)

#define GC_PROBE 1 /* case needs a probe (--script or --path) */

struct gc;
struct gc_case {
	const char *id;
	const char *section; /* tree node: "FastCGI 1.0 §3.3 records" */
	enum gc_level level;
	const char *rule;     /* spec/ rule ID, or the spec section */
	const char *desc;     /* one line */
	const char *outcomes; /* what the rule permits */
	unsigned proto;       /* enum gc_proto bits */
	unsigned flags;
	void (*run)(struct gc *, const struct gc_case *);
	int arg; /* parameter for run functions shared by several cases */
};

#define GC_MAX_PARAMS 32

struct gc_opts {
	const char *mode;    /* "fastcgi", "scgi", "uwsgi", "gateway", "http" */
	const char *gwproto; /* gateway mode: fastcgi|scgi|uwsgi|http|cgi */
	const char *url;     /* gateway and http mode: where to send requests */
	const char *backend; /* gateway mode: where gatecheck listens */
	const char *print_config; /* lighttpd|nginx|gatehouse */
	const char *root;  /* --print-config: document root and temp dir */
	const char *addr;  /* unix:/path or host:port */
	const char *spawn; /* command line, run with the socket on fd 0 */
	const char *script;
	const char *path;
	const char *only[32];
	unsigned nonly;
	const char *skip[32];
	unsigned nskip;
	const char *json;
	const char *junit;
	const char *params[GC_MAX_PARAMS]; /* NAME=VALUE */
	unsigned nparams;
	int timeout_ms;
	int verbose;
	int strict;
	int list;
	int quiet;
};

struct gc {
	struct gc_opts *o;
	enum gc_proto proto;
	char addr[256]; /* where to connect now (spawn: our socket) */
	/* spawn state */
	pid_t pid;
	char spawn_dir[128];
	unsigned respawns;
	/* gateway and http mode state (gw.c) */
	int lfd;        /* backend listener, -1 when none */
	char host[128]; /* URL host, port and path prefix */
	char port[16];
	char prefix[256];
	/* the current case's result */
	enum gc_verdict verdict;
	char expected[512];
	char got[1024];
};

void gc_fail(struct gc *g, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gc_warn(struct gc *g, const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gc_skip(struct gc *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* -v wire trace line, to stderr. */
void gc_trace(struct gc *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void
gc_hexdump(struct gc *g, const char *dir, const unsigned char *p, size_t len);

/* Probe available: --script or --path given. */
int gc_has_probe(const struct gc *g);

/* Cases per protocol, defined by app_fcgi.c and app_scgi.c. */
extern const struct gc_case fcgi_cases[];
extern const size_t fcgi_ncases;
extern const struct gc_case scgi_cases[];
extern const size_t scgi_ncases;

/*
 * Gateway mode (gw_cases.c) and http mode (front.c) cases; arg of each is
 * its index in the mode's scenario table.
 */
struct gc_case *gw_case_list(size_t *n);
struct gc_case *front_case_list(size_t *n);

/* Run the selected cases; returns the exit status. run.c */
int run_cases(struct gc *g, const struct gc_case *cases, size_t n);
int run_match(const char *glob, const char *id);

#endif
