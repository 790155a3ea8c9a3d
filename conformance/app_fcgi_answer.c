/*
 * FastCGI app mode, the answer to one request: record framing and headers
 * (§3.3), which ids and types come back, the STDOUT/STDERR streams and
 * their empty end records (§5.3), END_REQUEST and its protocolStatus
 * (§5.5), the CGI response head on STDOUT (RFC 3875 §6), an unknown role
 * (§5.1, FCGI_UNKNOWN_ROLE) and records for ids that are not active (§3.3).
 */
#include "app_fcgi.h"

/* ---- basic exchange checks -------------------------------------- */

static int
foreign_id(const struct fconn *c, unsigned id)
{
	unsigned i;

	if (id == 0)
		return 0;
	for (i = 0; i < c->nids; i++)
		if (c->ids[i] == id)
			return 0;
	return 1;
}

static void
check_basic(
	struct gc *g, int what, struct fconn *c, struct fview *v, unsigned id)
{
	size_t i;
	char t[32];

	switch (what) {
	case B_VERSION:
		if (c->bad && c->err == REC_E_VERSION)
			gc_fail(g, "version 1 in every record header",
				"version %u in the record at offset %zu",
				c->in[c->done], c->done);
		break;
	case B_FRAMING:
		if (c->bad)
			gc_fail(g, "a stream of whole records",
				"unreadable bytes at offset %zu: %s", c->done,
				rec_strerror(c->err));
		else if (c->eof && c->len > c->done)
			gc_fail(g, "a stream of whole records",
				"the connection ended inside a record: %zu "
				"bytes "
				"of a record at offset %zu",
				c->len - c->done, c->done);
		break;
	case B_TYPES:
		for (i = 0; i < c->nrec; i++) {
			unsigned ty = c->recs[i].type;
			if (ty == REC_STDOUT || ty == REC_STDERR ||
				ty == REC_END_REQUEST ||
				(c->recs[i].id == 0 &&
					(ty == REC_GET_VALUES_RESULT ||
						ty == REC_UNKNOWN_TYPE)))
				continue;
			gc_fail(g,
				"only STDOUT, STDERR, END_REQUEST "
				"(and management replies on id 0)",
				"a %s record with id %u",
				fc_tname(ty, t, sizeof(t)), c->recs[i].id);
			break;
		}
		break;
	case B_PAD8:
		for (i = 0; i < c->nrec; i++)
			if ((c->recs[i].clen + c->recs[i].plen) % 8) {
				gc_warn(g,
					"records padded to a multiple of 8 "
					"bytes (recommended)",
					"a %s record of %u+%u bytes",
					fc_tname(c->recs[i].type, t, sizeof(t)),
					c->recs[i].clen, c->recs[i].plen);
				break;
			}
		break;
	case B_RESERVED:
		for (i = 0; i < c->nrec; i++)
			if (c->recs[i].reserved) {
				gc_fail(g, "reserved header byte 0",
					"0x%02x in a %s record",
					c->recs[i].reserved,
					fc_tname(
						c->recs[i].type, t, sizeof(t)));
				break;
			}
		break;
	case B_ID_STREAM:
	case B_ID_END:
	case B_HIGH_ID:
		for (i = 0; i < c->nrec; i++) {
			const struct frec *r = &c->recs[i];
			int end = r->type == REC_END_REQUEST;
			if ((what == B_ID_END) != end && what != B_HIGH_ID)
				continue;
			if (foreign_id(c, r->id)) {
				gc_fail(g, "the request id that was sent",
					"a %s record for id %u (sent: %u)",
					fc_tname(r->type, t, sizeof(t)), r->id,
					id);
				break;
			}
		}
		if (g->verdict == GC_PASS && v->nend == 0 &&
			what != B_ID_STREAM)
			gc_fail(g, "END_REQUEST for the id that was sent",
				"no END_REQUEST for id %u", id);
		break;
	case B_OUT_TERM:
		if (v->nout > 0 && (!v->out_term || v->end_before_out_term))
			gc_fail(g, "an empty STDOUT record before END_REQUEST",
				"%s",
				v->out_term ? "the empty STDOUT came after "
					      "END_REQUEST"
					    : "no empty STDOUT record");
		break;
	case B_ERR_TERM:
		if (v->errlen > 0 && (!v->err_term || v->end_before_err_term))
			gc_fail(g, "an empty STDERR record before END_REQUEST",
				"%zu STDERR bytes and %s", v->errlen,
				v->err_term
					? "the empty STDERR after END_REQUEST"
					: "no empty STDERR record");
		break;
	case B_OUT_AFTER:
		if (v->out_after_term || v->err_after_term)
			gc_fail(g, "no stream data after its empty record",
				"non-empty %s after the stream's end",
				v->out_after_term ? "STDOUT" : "STDERR");
		break;
	case B_END_ARRIVES:
		if (v->nend == 0)
			gc_fail(g, "END_REQUEST",
				"%s after %zu records and %zu STDOUT bytes",
				c->eof ? "the connection closed"
				       : "nothing within the timeout",
				c->nrec, v->out.len);
		break;
	case B_ONE_END:
		if (v->nend > 1)
			gc_fail(g, "exactly one END_REQUEST",
				"%u END_REQUEST records for id %u", v->nend,
				id);
		break;
	case B_END_LEN:
		if (v->end_len_bad)
			gc_fail(g, "END_REQUEST with 8 content bytes", "%s",
				"another length");
		break;
	case B_PSTATUS_VALID:
		if (v->nend && v->pstatus > REC_UNKNOWN_ROLE)
			gc_fail(g, "protocolStatus 0..3", "protocolStatus %u",
				v->pstatus);
		break;
	case B_COMPLETE:
		if (v->nend && v->pstatus != REC_REQUEST_COMPLETE)
			gc_fail(g, "FCGI_REQUEST_COMPLETE for a lone request",
				"protocolStatus %u", v->pstatus);
		break;
	case B_AFTER_END:
		if (v->after_end)
			gc_fail(g, "nothing for the request after END_REQUEST",
				"%s", "more records for it");
		break;
	case B_CLOSE:
		if (v->nend && !c->eof)
			gc_fail(g,
				"the application closes the connection "
				"(FCGI_KEEP_CONN clear)",
				"still open %d ms after END_REQUEST",
				g->o->timeout_ms);
		break;
	case B_NONEMPTY:
		if (v->nend && v->out.len == 0)
			gc_fail(g, "a response on STDOUT", "%s",
				"no STDOUT bytes at all");
		break;
	}
}

void
c_basic(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	unsigned id = cs->arg == B_HIGH_ID ? 0x1234 : 1;

	fq_init(&q, id, 0);
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, id, &v);
	if (cs->arg >= B_VERSION)
		check_basic(g, cs->arg, &c, &v, id);
	else if (v.nend == 0 && v.out.len == 0)
		gc_skip(g, "no response to judge");
	else
		app_check_head(g, cs->arg, v.out.p, v.out.len, 0);
	app_buf_free(&v.out);
	fc_close(&c);
}

void
c_head_method(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;

	(void)cs;
	fq_init(&q, 1, 0);
	q.a.method = "HEAD";
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	app_check_head(g, HC_HEAD_NOBODY, v.out.p, v.out.len, 0);
	app_buf_free(&v.out);
	fc_close(&c);
}

/* ---- roles and inactive ids -------------------------------------- */

void
c_role_unknown(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;

	(void)cs;
	fq_init(&q, 1, 0);
	q.role = 77;
	if (fx_one(g, &c, &q, 0, 0) < 0)
		return;
	fc_view(&c, 1, &v);
	if (v.nend == 0)
		gc_fail(g, "END_REQUEST with FCGI_UNKNOWN_ROLE",
			"%s (%zu STDOUT bytes)",
			c.eof ? "the connection closed" : "no END_REQUEST",
			v.out.len);
	else if (v.pstatus != REC_UNKNOWN_ROLE)
		gc_fail(g, "END_REQUEST with FCGI_UNKNOWN_ROLE",
			"protocolStatus %u after %zu STDOUT bytes", v.pstatus,
			v.out.len);
	app_buf_free(&v.out);
	fc_close(&c);
}

void
c_inactive(struct gc *g, const struct gc_case *cs)
{
	struct fconn c;
	struct fview v;
	struct freq q;
	struct app_buf b = {0};
	unsigned char junk[16] = "not-a-request!!";

	(void)cs;
	if (fc_open(g, &c) < 0)
		return;
	/* §3.3: records for an id that is not active are ignored. */
	fc_put_rec(&c, &b, REC_STDIN, 9, junk, sizeof(junk));
	fc_put_rec(&c, &b, REC_PARAMS, 9, NULL, 0);
	fc_put_rec(&c, &b, REC_ABORT_REQUEST, 9, NULL, 0);
	fq_init(&q, 1, 0);
	fq_build(&c, &q, &b);
	fc_send(&c, b.p, b.len, 0);
	app_buf_free(&b);
	fc_wait(&c, 1, 0, 1, 0);
	fc_view(&c, 1, &v);
	if (fc_count_end(&c, 9) > 0)
		gc_fail(g, "records for inactive id 9 ignored", "%s",
			"an END_REQUEST for id 9");
	else if (v.nend != 1 || v.pstatus != REC_REQUEST_COMPLETE)
		gc_fail(g, "request 1 completes normally",
			"%u END_REQUEST, protocolStatus %u%s", v.nend,
			v.pstatus,
			c.eof && v.nend == 0 ? ", connection closed" : "");
	app_buf_free(&v.out);
	fc_close(&c);
}
