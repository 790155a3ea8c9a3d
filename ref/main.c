/*
 * gatehouse: lighttpd's command line in front of the server core.
 *   -D          stay in the foreground (else daemonise, honouring
 *               server.pid-file)
 *   -f FILE     the configuration; without it, an embedded default that
 *               serves the current folder on 127.0.0.1:8080 with listings
 *   -t, -tt, -p test or print the configuration (config_cli)
 *   -v, -h      version, usage
 * Signals are read from a signalfd in the loop, never acted on in a
 * handler: SIGTERM stops at once, SIGINT stops gracefully, SIGUSR1 restarts
 * gracefully with a re-read configuration (a bad one keeps the old server
 * running), SIGHUP reopens the logs. Privileges are dropped (server.username/groupname) after the
 * sockets are bound and before anything is served.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

#define VERSION "gatehouse/0.1"

static const char default_conf[] =
	"server.document-root = var.CWD\n"
	"server.bind = \"127.0.0.1\"\n"
	"server.port = 8080\n"
	"dir-listing.activate = \"enable\"\n"
	"index-file.names = (\"index.html\", \"index.htm\")\n"
	"mimetype.assign = (\n"
	"  \".html\" => \"text/html\", \".htm\" => \"text/html\",\n"
	"  \".css\" => \"text/css\", \".js\" => \"text/javascript\",\n"
	"  \".json\" => \"application/json\", \".txt\" => \"text/plain\",\n"
	"  \".png\" => \"image/png\", \".jpg\" => \"image/jpeg\",\n"
	"  \".gif\" => \"image/gif\", \".svg\" => \"image/svg+xml\",\n"
	"  \".pdf\" => \"application/pdf\", \".c\" => \"text/plain\",\n"
	"  \".h\" => \"text/plain\", \".md\" => \"text/plain\",\n"
	"  \"\" => \"application/octet-stream\"\n"
	")\n";

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: gatehouse [-D] [-f FILE] [-t | -tt | -p] [-v] "
		"[-h]\n"
		"  -D       do not daemonise (stay in the foreground)\n"
		"  -f FILE  lighttpd-syntax configuration file (default: "
		"serve the\n"
		"           current folder on 127.0.0.1:8080 with "
		"listings)\n"
		"  -t, -tt  test the configuration and exit\n"
		"  -p       print the parsed configuration and exit\n"
		"  -v       print the version and exit\n"
		"  -h       print this help and exit\n");
}

static struct server srv;
static struct loop_io sigio;
static const char *conf_file; /* -f, or NULL for the embedded default */
static int restart;           /* SIGUSR1 accepted: exec after the drain */

static struct config *
load_config(void)
{
	struct cfg_diag diag = {0};
	struct config *cfg;

	cfg = conf_file ? config_load(conf_file, 0, &diag)
			: config_load_mem("(default)", default_conf,
				  sizeof(default_conf) - 1, NULL, 0, &diag);
	if (diag.text != NULL)
		fputs(diag.text, stderr);
	if (cfg == NULL && diag.text != NULL)
		log_warnx("configuration errors:\n%s", diag.text);
	cfg_diag_free(&diag);
	return cfg;
}

static void
on_signal(struct loop *l, struct loop_io *io, unsigned ev)
{
	struct signalfd_siginfo si;

	(void)ev;
	while (read(io->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
			log_info("SIGTERM: shutting down");
			loop_stop(l);
			break;
		case SIGINT:
			log_info("SIGINT: graceful shutdown");
			server_graceful(&srv);
			break;
		case SIGUSR1: {
			/* Graceful restart: only for a config that loads; a
			 * bad one leaves this server running untouched. */
			struct config *next = load_config();

			if (next == NULL) {
				log_warnx("SIGUSR1: keeping the running "
					  "configuration");
				break;
			}
			config_free(next);
			log_info("SIGUSR1: graceful restart");
			restart = 1;
			server_graceful(&srv);
			break;
		}
		case SIGHUP:
			if (log_reopen() == -1 || accesslog_reopen() == -1)
				log_warn("SIGHUP: reopening logs");
			else
				log_info("SIGHUP: logs reopened");
			break;
		}
	}
}

static int
signals_init(struct loop *l)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	sigio.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigio.fd == -1)
		return -1;
	sigio.cb = on_signal;
	return loop_io_add(l, &sigio, LOOP_READ);
}

static int
drop_privileges(const struct config *cfg)
{
	const struct cfg_value *u = config_global(cfg, "server.username");
	const struct cfg_value *g = config_global(cfg, "server.groupname");
	struct passwd *pw = NULL;
	struct group *gr = NULL;

	if (u == NULL && g == NULL)
		return 0;
	if (getuid() != 0) {
		log_warnx("server.username/groupname ignored: not root");
		return 0;
	}
	if (g != NULL && (gr = getgrnam(g->str)) == NULL) {
		log_warnx("unknown group %s", g->str);
		return -1;
	}
	if (u != NULL && (pw = getpwnam(u->str)) == NULL) {
		log_warnx("unknown user %s", u->str);
		return -1;
	}
	if (gr != NULL &&
		(setgroups(0, NULL) == -1 || setgid(gr->gr_gid) == -1)) {
		log_warn("setgid %s", g->str);
		return -1;
	}
	if (pw != NULL &&
		((gr == NULL && setgid(pw->pw_gid) == -1) ||
			initgroups(pw->pw_name, gr ? gr->gr_gid : pw->pw_gid) ==
				-1 ||
			setuid(pw->pw_uid) == -1)) {
		log_warn("setuid %s", u->str);
		return -1;
	}
	return 0;
}

static int
daemonise(void)
{
	pid_t pid = fork();
	int fd;

	if (pid == -1)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0)
		_exit(0);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		/* Detach from the terminal or pipe that started us: the
		 * error log is a file, or goes nowhere, as lighttpd's. */
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static int
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f);
}

int
main(int argc, char **argv)
{
	struct config *cfg = NULL;
	const char *pidfile = NULL;
	char cwd[LIMIT_PATH];
	int foreground = 0, i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "-tt") == 0 ||
			strcmp(argv[i], "-p") == 0)
			return config_cli(argc, argv);
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-D") == 0) {
			foreground = 1;
		} else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
			conf_file = argv[++i];
		} else if (strcmp(argv[i], "-v") == 0) {
			puts(VERSION " - a lighttpd-compatible web server");
			return 0;
		} else if (strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 1;
		}
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	if ((cfg = load_config()) == NULL)
		return 1;
	if (log_open(config_global(cfg, "server.errorlog")
			    ? config_global(cfg, "server.errorlog")->str
			    : NULL) == -1) {
		fprintf(stderr, "gatehouse: server.errorlog: %s\n",
			strerror(errno));
		goto done;
	}
	if (server_has_module(cfg, "mod_accesslog") &&
		accesslog_open(config_global(cfg, "accesslog.filename")
				? config_global(cfg, "accesslog.filename")->str
				: NULL,
			config_global(cfg, "accesslog.format")
				? config_global(cfg, "accesslog.format")->str
				: NULL) == -1) {
		log_warn("accesslog.filename");
		goto done;
	}
	if (server_init(&srv, cfg, cwd) == -1 || drop_privileges(cfg) == -1)
		goto done;
	if (!foreground && daemonise() == -1) {
		log_warn("daemonise");
		goto done;
	}
	pidfile = config_global(cfg, "server.pid-file")
		? config_global(cfg, "server.pid-file")->str
		: NULL;
	if (pidfile != NULL && write_pidfile(pidfile) == -1) {
		log_warn("server.pid-file %s", pidfile);
		goto done;
	}
	if (signals_init(srv.loop) == -1) {
		log_warn("signals");
		goto done;
	}
	log_info("%s started, listening on %s", VERSION, srv.lis[0].name);
	if (loop_run(srv.loop) == -1)
		log_warn("event loop");
	else
		rc = 0;
	log_info("server stopped");
	if (pidfile != NULL && !restart)
		unlink(pidfile);
done:
	if (sigio.fd > 0)
		close(sigio.fd);
	server_free(&srv);
	config_free(cfg);
	log_close();
	if (restart && rc == 0) {
		/* Start over with the new configuration, same pid with -D. */
		execv("/proc/self/exe", argv);
		fprintf(stderr, "gatehouse: restart: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}
