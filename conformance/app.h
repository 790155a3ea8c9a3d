/*
 * App-mode helpers shared by the FastCGI, SCGI and uwsgi cases: the CGI
 * parameters gatecheck sends (RFC 3875 §4.1 plus what lighttpd adds), the
 * body pattern, the probe's answer format, and the checks on the CGI
 * response head every protocol carries.
 */
#ifndef GC_APP_H
#define GC_APP_H

#include <stddef.h>

#include "gc.h"

/* A growable byte buffer (gatecheck is not a codec: it may allocate). */
struct app_buf {
	unsigned char *p;
	size_t len, cap;
};

void app_buf_add(struct app_buf *b, const void *p, size_t n);
void app_buf_free(struct app_buf *b);

#define APP_MAX_EXTRA 16
#define APP_MAX_KV    80

struct app_kv {
	const char *name[APP_MAX_KV];
	const char *value[APP_MAX_KV];
	size_t vlen[APP_MAX_KV];
	unsigned n;
};

/* What a case wants in its request, beyond the defaults. */
struct app_req {
	const char *method; /* default GET */
	const char *query;  /* default "gatecheck=1" */
	size_t body_len;    /* pattern bytes; sets CONTENT_LENGTH */
	int cl_absent;      /* leave CONTENT_LENGTH out even with a body */
	const char *name[APP_MAX_EXTRA]; /* extra or replaced parameters */
	const char *value[APP_MAX_EXTRA];
	size_t vlen[APP_MAX_EXTRA]; /* 0: strlen(value) */
	unsigned nextra;
};

void app_req_set(
	struct app_req *q, const char *name, const char *value, size_t vlen);
/* The full parameter list for q. Values point into q, g->o or statics. */
void app_params(const struct gc *g, const struct app_req *q, struct app_kv *kv);
/* Fill p with the body pattern (byte i is PATTERN[i % 64]). */
void app_pattern(unsigned char *p, size_t n, size_t start);

/*
 * The probe's answer (conformance/probes/README.md): after the head, lines
 * "KEY VALUE". Returns 1 and the value when KEY is present.
 */
int app_probe_get(const unsigned char *body, size_t len, const char *key,
	const unsigned char **v, size_t *vlen);

/* Head checks shared by every protocol; the case's arg says which. */
enum app_head_check {
	HC_COMPLETE = 1, /* a head ended by an empty line */
	HC_NAME,         /* field-name syntax, colon, no obs-fold */
	HC_CTL,          /* no CTL/NUL/bare CR in values */
	HC_STATUS,       /* Status / status line syntax */
	HC_STATUS_RANGE, /* 100..599 */
	HC_REASON,       /* reason phrase present */
	HC_DUP,          /* Status and Content-Type at most once */
	HC_CTYPE,        /* Content-Type syntax */
	HC_CTYPE_BODY,   /* Content-Type present when a body is sent */
	HC_LOCATION,     /* Location syntax */
	HC_CGI_FIELD,    /* at least one CGI field (or an NPH line) */
	HC_CL,           /* Content-Length, if given, matches the body */
	HC_EOL,          /* one kind of line end */
	HC_NOT_NPH,      /* parsed CGI head rather than an NPH line */
	HC_HEAD_NOBODY   /* HEAD request: no body */
};

/*
 * Judge out[0..len), the complete response stream an app wrote for a
 * request with the given method, by check. nph_ok: the protocol's
 * convention allows an HTTP status line (uwsgi).
 */
void app_check_head(struct gc *g, int check, const unsigned char *out,
	size_t len, int nph_ok);

/* Status of a response stream (200 when the head has none), or 0. */
unsigned app_status(const unsigned char *out, size_t len);

/*
 * Compare what the probe saw with what was sent: env value (exact), or
 * "body-length"/"body-sha256" against body. Fails g and returns -1 on a
 * mismatch; returns 0 when they match.
 */
int app_probe_expect(struct gc *g, const unsigned char *out, size_t len,
	const char *key, const void *want, size_t wlen);
int app_probe_body(
	struct gc *g, const unsigned char *out, size_t len, size_t body_len);

/* Short printable rendering of bytes for expected/got messages. */
const char *app_show(const void *p, size_t len, char *dst, size_t cap);

#endif
