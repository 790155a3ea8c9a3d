/*
 * Every bound the server core places on memory a peer can drive, in one
 * place, each with the reason for its value. Buffers are sized from these
 * at creation and never grow: "too big" is a named outcome (414, 431, 413)
 * rather than a realloc. Config keys may lower some of them per server
 * (server.max-request-field-size, server.max-request-size).
 */
#ifndef GH_LIMITS_H
#define GH_LIMITS_H

/*
 * Client input buffer. It must hold a whole request head (lighttpd's
 * server.max-request-field-size default, 8 KiB, bounds the head) plus
 * room for pipelined requests and body bytes arriving with it; 16 KiB also
 * lets one read() take several pipelined requests at once.
 */
#define LIMIT_CONN_IN 16384

/*
 * Response head (and small generated bodies: error pages, cached small
 * files, directory listing chunks) queued for one writev(). 16 KiB fits
 * the largest head we build (a few hundred bytes) plus a small file, so a
 * small static response leaves in one system call.
 */
#define LIMIT_CONN_OUT 16384

/* Idle connection memory blocks (struct conn_mem, ~44 KiB each) kept for
 * reuse: enough for the requests in flight on a busy server, bounded so a
 * burst does not pin its peak memory forever (64 * 44 KiB = 2.8 MiB). */
#define LIMIT_MEM_POOL 64

/* Request fields kept per request (h1 codec default: Apache's 100). */
#define LIMIT_REQ_FIELDS 100

/*
 * Request bodies are kept in memory up to this size and spilled to an
 * unlinked temp file under server.upload-dirs beyond it, so a slow upload
 * costs disk, not RAM (lighttpd spills at 64 KiB chunks too).
 */
#define LIMIT_BODY_MEM 65536

/*
 * Upper bound on a request body when server.max-request-size is 0
 * (lighttpd's "unlimited"): a finite 1 GiB, so temp-file spills cannot
 * fill a disk by accident; more is a 413.
 */
#define LIMIT_BODY_MAX (1ll << 30)

/*
 * A held gateway response (server.stream-response-body 0) is kept in
 * memory up to this size (the gateway's client queue) and spilled to an
 * unlinked temp file under server.upload-dirs beyond it, as lighttpd
 * does; a held response over LIMIT_RESP_HOLD_MAX is a 502, so a backend
 * cannot fill the disk.
 */
#define LIMIT_RESP_MEM      65536
#define LIMIT_RESP_HOLD_MAX (1ll << 30)

/* Free space an upload dir must keep after a spill (free-space check). */
#define LIMIT_UPLOAD_RESERVE (64ll << 20)

/* A host name for $HTTP["host"]: a DNS name is at most 253 bytes
 * (RFC 1035 §2.3.4), a bracketed IPv6 literal far less. Longer names
 * compare as their first LIMIT_HOST bytes. */
#define LIMIT_HOST 255

/* A mapped file-system path (document root + decoded URL path + index). */
#define LIMIT_PATH 4096

/* Files up to this size are served from the small-file cache's memory
 * (one writev with the head) rather than by sendfile(2). */
#define LIMIT_SMALL_FILE 8192

/* Entries in the stat/content cache; its staleness bound is 1 second. */
#define LIMIT_CACHE_ENTRIES 1024

/* Listening sockets (server.bind/port plus $SERVER["socket"] blocks). */
#define LIMIT_LISTENERS 64

/* Events taken from the kernel per loop iteration. */
#define LIMIT_EVENTS 512

/* Access log bytes buffered before a write(); flushed every second. */
#define LIMIT_ACCESSLOG_BUF 65536

/* One error or access log line, escaped peer bytes included. */
#define LIMIT_LOG_LINE 2048

/* Seconds a closing connection drains unread input before close(), so a
 * response followed by close is not destroyed by a TCP RST. */
#define LIMIT_LINGER_SECS 2

/* Default when server.max-connections and server.max-fds are both 0. */
#define LIMIT_DEFAULT_MAX_CONNS 4096

#endif
