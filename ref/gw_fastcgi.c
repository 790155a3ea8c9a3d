/*
 * FastCGI as a gateway protocol table: glue over codec/fcgi.h. The request
 * is BEGIN_REQUEST (responder or authorizer role, no FCGI_KEEP_CONN yet:
 * one request per connection, as lighttpd), the environment as PARAMS
 * records split wherever 65535 bytes end (FCGI-NV-7; lighttpd answers 400
 * above one record, we send them), the empty PARAMS, STDIN records and the
 * empty STDIN (FastCGI 1.0 §5.2-§5.3). Backend records are checked by the
 * stream decoder (version 1, request id 1, types a server may receive:
 * FCGI-REC-2/5/6); a violation is a malformed stream (502 in gw).
 */
#include <string.h>

#include "gw.h"

/* The one request id per connection (no multiplexing, as lighttpd). */
#define REQ_ID 1

static size_t
fcgi_head_size(const struct cgi_env *env)
{
	return 16 +
		fcgi_nv_stream_size(
			FCGI_PARAMS, env->vars, env->n, FCGI_ENC_END);
}

static long
fcgi_frame_head(
	char *dst, size_t cap, const struct cgi_env *env, enum gw_mode mode)
{
	long a, b;

	a = fcgi_begin_request_encode(dst, cap, REQ_ID,
		mode == GW_AUTHORIZER ? FCGI_AUTHORIZER : FCGI_RESPONDER, 0);
	if (a == -1)
		return -1;
	b = fcgi_nv_stream_encode(dst + a, cap - (size_t)a, FCGI_PARAMS, REQ_ID,
		env->vars, env->n, FCGI_ENC_END);
	return b == -1 ? -1 : a + b;
}

static long
fcgi_frame_body(char *dst, size_t cap, const char *p, size_t n, int last)
{
	return fcgi_stream_encode(
		dst, cap, FCGI_STDIN, REQ_ID, p, n, last ? FCGI_ENC_END : 0);
}

static void
fcgi_init(struct gw_req *g)
{
	struct fcgi_stream_opts o = {FCGI_FROM_APP, REQ_ID};

	fcgi_stream_init(&g->dec.fcgi, &o);
}

static long
fcgi_unframe(struct gw_req *g, const char *p, size_t n)
{
	struct fcgi_stream *fs = &g->dec.fcgi;
	size_t used = 0;

	while (used < n && !g->ended) {
		struct fcgi_event ev;
		size_t want = n - used, room = gw_on_stdout(g, NULL, 0);
		long k;

		/* Never hand the decoder more STDOUT content than gw can
		 * keep (back-pressure): it consumes what it reports. While
		 * a header (or an 8-byte body) is gathered, allow its missing
		 * bytes plus room, as the record may be STDOUT. */
		if (fs->content_left == 0 && fs->padding_left == 0) {
			size_t cap = FCGI_HEADER_LEN - fs->have + room;

			if (want > cap)
				want = cap;
		} else if (fs->hdr.type == FCGI_STDOUT &&
			fs->content_left > 0) {
			if (want > room)
				want = room;
		}
		if (want == 0)
			break;
		k = fcgi_stream_next(fs, p + used, want, &ev);
		if (k < 0)
			return -1;
		used += (size_t)k;
		if (ev.flags & FCGI_EV_CONTENT) {
			if (ev.hdr.type == FCGI_STDOUT)
				(void)gw_on_stdout(
					g, ev.content.p, ev.content.len);
			else if (ev.hdr.type == FCGI_STDERR)
				gw_on_stderr(g, ev.content.p, ev.content.len);
			else if (ev.hdr.type == FCGI_END_REQUEST)
				gw_on_end(g, ev.end.app_status,
					ev.end.protocol_status);
		}
	}
	return (long)used;
}

const struct gw_proto gw_fastcgi = {
	.name = "fastcgi",
	.head_size = fcgi_head_size,
	.frame_head = fcgi_frame_head,
	.body_overhead = 16, /* a record header, plus the empty STDIN */
	.body_max = FCGI_MAX_CONTENT,
	.frame_body = fcgi_frame_body,
	.unframe = fcgi_unframe,
	.init = fcgi_init,
};
