/*
 * Gateway mode's engine: gatecheck plays the backend of a gateway (a
 * FastCGI, SCGI or uwsgi application, an HTTP origin, or — for CGI — the
 * program itself, through the relay in gw_cgi.c) and its client at once.
 * One exchange sends an HTTP request to the gateway, accepts the
 * gateway's connection on the backend address, records and decodes
 * exactly what arrives there, answers as the case's scenario says (or
 * misbehaves: dies, hangs, sends garbage), and reads what the client
 * gets. The cases (gw_cases.c) judge both sides.
 */
#ifndef GC_GW_H
#define GC_GW_H

#include "app.h"
#include "gc.h"
#include "http.h"

/* What the backend does once it has the request. */
enum gw_act {
	GA_REPLY = 0,  /* send the reply, then close (or keep with KEEP_CONN) */
	GA_REFUSE,     /* no listener at all: connections are refused */
	GA_DIE_EARLY,  /* close after reading the request, before any head */
	GA_DIE_MID,    /* send the reply's head and half its body, close */
	GA_HANG,       /* never answer; hold the connection open */
	GA_GARBAGE,    /* send bytes that are not the protocol, close */
	GA_STREAM,     /* send head + first body part, wait for the client
			  to see it, then the rest */
	GA_UPGRADE,    /* answer 101 and exchange bytes both ways */
	GA_DIE_READING /* close after the head, before the request body */
};

/* Protocol-level variations of a reply (bits). */
#define GR_FCGI_PAD     1  /* STDOUT records padded to 8 bytes */
#define GR_FCGI_SPLIT   2  /* one STDOUT record per 7 bytes */
#define GR_FCGI_NOTERM  4  /* END_REQUEST without the empty STDOUT */
#define GR_FCGI_STDERR  8  /* also an FCGI_STDERR record */
#define GR_FCGI_OTHERID 16 /* also a STDOUT record for another request id */
#define GR_FCGI_BADVER  32 /* a record with version 2 in the middle */
#define GR_HTTP_RAW     64 /* HTTP backend: send the reply bytes as they are */

/* A scenario: the request the client sends and how the backend answers. */
struct gw_scn {
	/* Request template; %P path prefix, %A authority (host:port). The
	   head ends with an empty line; body follows as given. */
	const char *req;
	size_t body_pattern; /* append this many pattern bytes as the body */
	int chunk_body;      /* send the pattern body chunked (sizes 1000) */
	int body_in_req;     /* the template holds the body; body_pattern is
				only what the backend must receive */
	enum gw_act act;
	/* Reply: a CGI response (head + body), or for the HTTP backend a
	   status line is made from its Status field unless GR_HTTP_RAW. */
	const char *reply;
	size_t reply_pattern; /* append this many pattern bytes to the reply */
	unsigned rflags;
	int second; /* after the response, send this request again on the
		       same connection and read a second response */
};

/* What the backend received. */
struct gw_bk {
	int accepted;          /* the gateway connected */
	int complete;          /* a whole request arrived */
	int eof;               /* the gateway closed its side */
	struct app_buf raw;    /* every byte, as sent */
	struct app_buf params; /* FastCGI PARAMS stream, concatenated */
	struct app_buf body;   /* request body, decoded */
	struct app_kv env;     /* CGI variables: names in names[], values
				  into params or raw (valid until freed) */
	char names[APP_MAX_KV][96];
	char err[256]; /* first framing error, "" when none */
	int perr;      /* SCGI/uwsgi: the enum pkt_err seen */
	/* FastCGI */
	unsigned nrec, begin_id, role, flags, reserved_nonzero, id_mismatch;
	unsigned params_records, params_term, stdin_term, after_stdin;
	unsigned begin_first, max_clen, stdin_records;
	/* uwsgi */
	unsigned mod1, mod2;
	/* HTTP */
	struct http_head head;
	int framing;
};

/* What the client received. */
struct gw_cl {
	struct app_buf raw;
	int closed, timedout, reset;
	int have_head;
	struct http_head head; /* points into raw */
	struct app_buf body;   /* decoded body */
	int framed;  /* body ended by its framing (CL reached / last chunk) */
	int framing; /* enum http_framing of the response */
	size_t body_start;
	size_t end;             /* offset after the framed response */
	long ms_head, ms_total; /* when the head arrived, when done */
	size_t streamed;        /* body bytes seen before the backend ended */
	/* second response on the same connection */
	int have_second;
	struct http_head head2;
	struct app_buf raw2;
};

struct gw_ex {
	const struct gw_scn *s;
	struct gw_bk b;
	struct gw_cl c;
	unsigned client_port;
	unsigned char up_seen; /* upgrade: client->backend bytes arrived */
	unsigned char up_back; /* upgrade: backend->client bytes arrived */
};

/* Run scenario s; always fills ex (free with gw_ex_free). */
void gw_run(struct gc *g, const struct gw_scn *s, struct gw_ex *ex);
void gw_ex_free(struct gw_ex *ex);
/* Value of CGI variable name, or NULL; *len its length. */
const char *gw_env(const struct gw_ex *ex, const char *name, size_t *len);
int gw_upgrade_asked(const struct gc *g, const struct gw_bk *b);
unsigned gw_env_count(const struct gw_ex *ex, const char *name);
/* Expand %P %A %h %p in t into dst. */
const char *gw_expand(const struct gc *g, const char *t, char *dst, size_t cap);
/* Set up (listen) and tear down; parse --url. 0 ok, -1 printed error. */
int gw_setup(struct gc *g);
void gw_teardown(struct gc *g);
int gw_parse_url(struct gc *g);
/* --print-config; returns the exit status. */
int gw_print_config(const struct gc_opts *o);
/* Run as the CGI program when the gateway executes gatecheck. */
int gw_cgi_relay(void);

#endif
