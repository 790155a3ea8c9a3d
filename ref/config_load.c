/*
 * Loading: files, include globs, include_shell, and the two entry points
 * config_load() and config_load_mem() (CONF-INC-*, CONF-LIMIT-*).
 *
 * Relative include paths resolve against the directory of the main config
 * file, not of the including file: that is what lighttpd 1.4 does (an
 * included conf-enabled/x.conf that says include "y.conf" means
 * <main dir>/y.conf), checked against lighttpd -p. include_shell runs the
 * command with /bin/sh and parses its standard output as config text; its
 * name in messages is the command itself, as in lighttpd.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_int.h"

const char *
cfg_intern_file(struct config *cfg, const char *name)
{
	char **f;

	for (size_t i = 0; i < cfg->nfiles; i++)
		if (strcmp(cfg->files[i], name) == 0)
			return cfg->files[i];
	if ((f = realloc(cfg->files, (cfg->nfiles + 1) * sizeof(*f))) == NULL)
		return NULL;
	cfg->files = f;
	if ((f[cfg->nfiles] = strdup(name)) == NULL)
		return NULL;
	return f[cfg->nfiles++];
}

/* Read a whole stream, at most CFG_MAX_FILE_SIZE bytes. */
static char *
slurp_fd(int fd, size_t *lenp, const char **why)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *t;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap >= CFG_MAX_FILE_SIZE) {
				*why = "file too large (limit 8 MiB)";
				goto fail;
			}
			cap = cap ? cap * 2 : 4096;
			if ((t = realloc(buf, cap + 1)) == NULL) {
				*why = "out of memory";
				goto fail;
			}
			buf = t;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*why = strerror(errno);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	free(buf);
	return NULL;
}

static int
parse_file(struct parser *ps, const char *path, struct cfg_block *b,
	const char *from, const struct cfg_token *at)
{
	const char *why = NULL;
	size_t len;
	char *text;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		why = strerror(errno);
	text = fd < 0 ? NULL : slurp_fd(fd, &len, &why);
	if (fd >= 0)
		close(fd);
	if (text == NULL) {
		if (!ps->failed)
			cfg_diag_add(ps->d, CFG_E_INCLUDE, from ? from : path,
				at ? at->line : 0, at ? at->col : 0,
				"cannot read %s: %s", path, why);
		ps->failed = 1;
		return -1;
	}
	rc = cfg_parse_text(ps, path, text, len, b);
	free(text);
	return rc;
}

static int
has_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

int
cfg_include(struct src *s, struct cfg_block *b, const char *pattern,
	const struct cfg_token *at)
{
	struct parser *ps = s->ps;
	char path[4096];
	glob_t g;
	int rc = 0;

	if (ps->flags & CFG_NO_INCLUDE)
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "include is disabled here", 0);
	if (ps->depth >= CFG_MAX_INCLUDE)
		return cfg_error_r(s, CFG_E_INCLUDE, at,
			"includes nested too deeply (a "
			"loop?)",
			0);
	if (pattern[0] == '/' || ps->basedir == NULL || !ps->basedir[0])
		snprintf(path, sizeof(path), "%s", pattern);
	else if ((size_t)snprintf(path, sizeof(path), "%s/%s", ps->basedir,
			 pattern) >= sizeof(path))
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "include path too long", 0);
	ps->depth++;
	if (!has_glob(path)) {
		struct stat st;

		if (stat(path, &st) != 0)
			rc = cfg_error_r(s, CFG_E_INCLUDE, at,
				"include file not found: ", path);
		else
			rc = parse_file(ps, path, b, s->file, at);
		ps->depth--;
		return rc;
	}
	/* A pattern that matches nothing is fine: an empty conf-enabled/. */
	switch (glob(path, 0, NULL, &g)) {
	case 0:
		for (size_t i = 0; i < g.gl_pathc && rc == 0; i++)
			rc = parse_file(ps, g.gl_pathv[i], b, s->file, at);
		globfree(&g);
		break;
	case GLOB_NOMATCH: break;
	default:
		rc = cfg_error_r(
			s, CFG_E_INCLUDE, at, "include glob failed: ", path);
	}
	ps->depth--;
	return rc;
}

int
cfg_include_shell(struct src *s, struct cfg_block *b, const char *cmd,
	const struct cfg_token *at)
{
	struct parser *ps = s->ps;
	const char *why = NULL;
	int fds[2], status, rc;
	size_t len = 0;
	char *text;
	pid_t pid;

	if (ps->flags & CFG_NO_SHELL)
		return cfg_error_r(s, CFG_E_INCLUDE, at,
			"include_shell is disabled here", 0);
	if (ps->depth >= CFG_MAX_INCLUDE)
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "includes nested too deeply", 0);
	if (pipe2(fds, O_CLOEXEC) != 0)
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "pipe: ", strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "fork: ", strerror(errno));
	}
	if (pid == 0) {
		/* stdout is the pipe; stderr stays ours (the scripts warn). */
		if (dup2(fds[1], 1) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	text = slurp_fd(fds[0], &len, &why);
	close(fds[0]);
	/* Too much output: stop the writer rather than wait on it. */
	if (text == NULL)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (text == NULL)
		return cfg_error_r(
			s, CFG_E_INCLUDE, at, "include_shell output: ", why);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(text);
		return cfg_error_r(s, CFG_E_INCLUDE, at,
			"include_shell command failed: ", cmd);
	}
	ps->depth++;
	rc = cfg_parse_text(ps, cmd, text, len, b);
	ps->depth--;
	free(text);
	return rc;
}

/* var.CWD and var.PID exist before the first line, as in lighttpd. */
static int
predefine(struct parser *ps, struct cfg_block *g)
{
	char cwd[4096], text[4200];
	int n;

	if (getcwd(cwd, sizeof(cwd)) == NULL || strchr(cwd, '"') != NULL)
		strcpy(cwd, ".");
	n = snprintf(text, sizeof(text), "var.CWD = \"%s\"\nvar.PID = %ld\n",
		cwd, (long)getpid());
	return cfg_parse_text(ps, CFG_BUILTIN_FILE, text, (size_t)n, g);
}

static struct config *
load(const char *path, const char *name, const char *text, size_t len,
	const char *basedir, unsigned flags, struct cfg_diag *d)
{
	struct parser ps;
	struct cfg_block *g;
	struct config *cfg;
	int rc;

	memset(&ps, 0, sizeof(ps));
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
		(cfg->blocks = calloc(8, sizeof(*cfg->blocks))) == NULL ||
		(g = calloc(1, sizeof(*g))) == NULL) {
		cfg_diag_add(d, CFG_E_LIMIT, name, 0, 0, "out of memory");
		config_free(cfg);
		return NULL;
	}
	cfg->cap = 8;
	cfg->blocks[cfg->n++] = g;
	g->op = CFG_OP_ELSE;
	ps.cfg = cfg;
	ps.d = d;
	ps.flags = flags;
	ps.basedir = basedir;
	g->file = cfg_intern_file(cfg, name);
	if (predefine(&ps, g))
		rc = -1;
	else if (path != NULL)
		rc = parse_file(&ps, path, g, NULL, NULL);
	else
		rc = cfg_parse_text(&ps, name, text, len, g);
	if (rc == 0 && ps.failed == 0)
		rc = cfg_validate(cfg, d);
	if (rc != 0 || ps.failed) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *
config_load(const char *path, unsigned flags, struct cfg_diag *d)
{
	struct config *cfg;
	const char *slash = strrchr(path, '/');
	char *dir = NULL;

	memset(d, 0, sizeof(*d));
	if (slash != NULL &&
		(dir = strndup(path,
			 (size_t)(slash - path) + (slash == path))) == NULL)
		return NULL;
	cfg = load(path, path, NULL, 0, dir, flags, d);
	free(dir);
	return cfg;
}

struct config *
config_load_mem(const char *name, const char *text, size_t len,
	const char *basedir, unsigned flags, struct cfg_diag *d)
{
	memset(d, 0, sizeof(*d));
	return load(NULL, name, text, len, basedir, flags, d);
}
