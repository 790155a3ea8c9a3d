/*
 * FastCGI app mode, internal: the connection and exchange layer
 * (app_fcgi.c) that the check files share, the case arguments and the
 * check functions the case table (app_fcgi_cases.c) names. The checks sit
 * in app_fcgi_answer.c (what comes back for one request), app_fcgi_conn.c
 * (connections: KEEP_CONN, management records, multiplexing),
 * app_fcgi_input.c (PARAMS, STDIN, ABORT_REQUEST, malformed input) and
 * app_fcgi_env.c (what the app sees: probe semantics, recurring bugs).
 */
#ifndef GC_APP_FCGI_H
#define GC_APP_FCGI_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "gc.h"
#include "rec.h"

/* One record as received; content is at in + off. */
struct frec {
	unsigned version, type, id, clen, plen, reserved;
	size_t off;
};

/*
 * A connection to the application and all it sent: in[0..len) is every
 * byte received (reading stops past 16 MiB), recs[0..nrec) the whole
 * records decoded from in[0..done). bad is set, with err, at the first
 * unreadable bytes; eof when the application closed (or reset) the
 * connection.
 */
struct fconn {
	struct gc *g;
	int fd;
	unsigned char *in;
	size_t len, cap, done;
	struct frec *recs;
	size_t nrec;
	int eof;
	int bad;
	enum rec_err err;
	unsigned ids[8]; /* request ids we used on this connection */
	unsigned nids;
};

/* What one request id received. */
struct fview {
	unsigned nout, nerr, nend;
	int out_term, err_term;
	int out_after_term, err_after_term;
	int after_end;
	int end_before_out_term, end_before_err_term;
	int end_len_bad;
	uint32_t app;
	unsigned pstatus;
	struct app_buf out;
	size_t errlen;
};

/* One request to build. */
struct freq {
	unsigned id, role, flags;
	struct app_req a;
	size_t params_rec; /* PARAMS record content size; 0 = largest */
	size_t stdin_rec;
	size_t stdin_sent; /* send only this much STDIN (with no_stdin_term) */
	int no_stdin_term;
	int force4;
	int no_stdin;                     /* no STDIN records at all */
	const struct app_buf *raw_params; /* the pair stream, as is */
};

/* Connections. fc_open reports its failure (gc_fail) and returns -1;
 * fc_close is safe after a failed fc_open and frees c's bytes and records
 * (pointers into them die with it). */
int fc_open(struct gc *g, struct fconn *c);
void fc_close(struct fconn *c);

/*
 * Read until id's END_REQUEST (or n records of type when type != 0), EOF,
 * unreadable bytes or the timeout. Then linger grace_ms for stray records.
 * Returns 1 when the awaited record came.
 */
int fc_wait(struct fconn *c, unsigned id, unsigned type, int n, int grace_ms);

/* Send bytes, in pieces of `step` bytes with a pause between (0: whole);
 * -1 when a write fails. */
int fc_send(struct fconn *c, const unsigned char *p, size_t len, size_t step);

/* How many END_REQUEST records came for id. */
int fc_count_end(struct fconn *c, unsigned id);

/* A record type's name, or "type N" written into buf. */
const char *fc_tname(unsigned type, char *buf, size_t cap);

/* Append one record (no padding) to b; c only for the trace. */
void fc_put_rec(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
	const void *p, size_t len);

/* Stream bytes as records of at most `max` content bytes, then the empty
 * record that ends the stream (§3.3) unless noterm. */
void
fc_put_stream(struct fconn *c, struct app_buf *b, unsigned type, unsigned id,
	const unsigned char *p, size_t len, size_t max, int noterm);

/* A Responder request for id; fq_build appends its BEGIN_REQUEST, PARAMS
 * and STDIN records to b and notes the id as used on c. */
void fq_init(struct freq *q, unsigned id, unsigned flags);
void fq_build(struct fconn *c, const struct freq *q, struct app_buf *b);

/* What id received so far; the caller frees v->out (app_buf_free). */
void fc_view(struct fconn *c, unsigned id, struct fview *v);

/* Open, send q (in pieces of step), wait for its END_REQUEST: -1 when no
 * connection (already reported), else 0 with c open for fc_view. */
int fx_one(struct gc *g, struct fconn *c, const struct freq *q, size_t step,
	int grace_ms);

/* A fresh connection still gets a complete answer: 0 when the app
 * survived, else -1 with the failure reported (it names `after`). */
int fx_alive(struct gc *g, const char *after);

/* Case arguments (gc_case.arg), one set per check function. c_basic takes
 * these or an HC_* head check (app.h), hence B_ from 100. */
enum {
	B_VERSION = 100,
	B_FRAMING,
	B_TYPES,
	B_PAD8,
	B_RESERVED,
	B_ID_STREAM,
	B_ID_END,
	B_OUT_TERM,
	B_ERR_TERM,
	B_OUT_AFTER,
	B_END_ARRIVES,
	B_ONE_END,
	B_END_LEN,
	B_PSTATUS_VALID,
	B_COMPLETE,
	B_AFTER_END,
	B_CLOSE,
	B_NONEMPTY,
	B_HIGH_ID
};
enum { K_SECOND, K_SECOND_ID, K_TEN, K_OPEN };
enum {
	M_GV_ANSWER,
	M_GV_PAIRS,
	M_GV_ASKED,
	M_GV_NUMBERS,
	M_GV_MPXS,
	M_GV_UNKNOWN,
	M_GV_THEN_REQ,
	M_UT_ANSWER,
	M_UT_BODY,
	M_UT_THEN_REQ
};
enum { P_ONEBYTE, P_ODD, P_LEN4, P_LARGE, P_BIGPAIR, P_EMPTY, P_FORCE4 };
enum {
	O_NV_HUGE,
	O_NV_WRAP,
	O_NV_TRUNC,
	O_GARBAGE,
	O_EOF_PARAMS,
	O_EOF_STDIN,
	O_NUL
};
enum { I_SMALL, I_LARGE, I_ODD, I_EMPTY, I_DELAYED };
enum { A_END, A_KEEP, A_INACTIVE };
enum { X_CLAIM, X_UNCLAIMED, X_NO_HARM };
enum { E_HTTPOXY, E_QUERY, E_METHOD, E_127_128 };

/* app_fcgi_answer.c */
void c_basic(struct gc *g, const struct gc_case *cs);
void c_head_method(struct gc *g, const struct gc_case *cs);
void c_role_unknown(struct gc *g, const struct gc_case *cs);
void c_inactive(struct gc *g, const struct gc_case *cs);

/* app_fcgi_conn.c */
void c_keep(struct gc *g, const struct gc_case *cs);
void c_mgmt(struct gc *g, const struct gc_case *cs);
void c_mpx(struct gc *g, const struct gc_case *cs);

/* app_fcgi_input.c */
void c_params(struct gc *g, const struct gc_case *cs);
void c_robust(struct gc *g, const struct gc_case *cs);
void c_stdin(struct gc *g, const struct gc_case *cs);
void c_abort(struct gc *g, const struct gc_case *cs);

/* app_fcgi_env.c */
void c_pathinfo(struct gc *g, const struct gc_case *cs);
void c_env(struct gc *g, const struct gc_case *cs);

#endif
