/*
 * gatecheck gateway --print-config lighttpd|nginx|gatehouse: the smallest
 * configuration that wires a gateway to gatecheck for one protocol: it
 * listens where --url says, mounts --url's path prefix on the backend
 * gatecheck runs at --backend (or, for CGI, runs gatecheck itself as the
 * program), with a 3 s backend read timeout so GW-FAIL-005 finishes.
 * --root DIR holds the document root (CGI: DIR/PREFIX must exist as a
 * file) and nginx's pid, log and temp files. Gatehouse reads lighttpd's
 * syntax, so its variant is the lighttpd one.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gc.h"
#include "gw.h"

/* host and port of a host:port backend address, or the unix path. */
static void
split_backend(const char *b, char *host, size_t hc, char *port, size_t pc,
	const char **path)
{
	const char *colon = strrchr(b, ':');

	*path = NULL;
	host[0] = port[0] = '\0';
	if (strncmp(b, "unix:", 5) == 0) {
		*path = b + 5;
		return;
	}
	if (colon == NULL)
		return;
	snprintf(host, hc, "%.*s", (int)(colon - b), b);
	snprintf(port, pc, "%s", colon + 1);
}

static void
lighttpd(const struct gc *g, const char *proto, const char *root,
	const char *self)
{
	const struct gc_opts *o = g->o;
	char host[128], port[16];
	const char *path, *mod = "mod_fastcgi", *key = "fastcgi.server";

	split_backend(o->backend ? o->backend : "127.0.0.1:9000", host,
		sizeof(host), port, sizeof(port), &path);
	if (strcmp(proto, "scgi") == 0 || strcmp(proto, "uwsgi") == 0) {
		mod = "mod_scgi";
		key = "scgi.server";
	} else if (strcmp(proto, "http") == 0) {
		mod = "mod_proxy";
		key = "proxy.server";
	} else if (strcmp(proto, "cgi") == 0) {
		mod = "mod_cgi";
	}
	printf("# lighttpd: gatecheck gateway %s (lighttpd -D -f FILE)\n",
		proto);
	printf("server.modules += (\"%s\", \"mod_setenv\")\n", mod);
	printf("server.document-root = \"%s\"\n", root);
	printf("server.bind = \"%s\"\nserver.port = %s\n", g->host, g->port);
	printf("server.errorlog = \"%s/error.log\"\n", root);
	printf("server.stream-response-body = 1\n");
	printf("server.max-keep-alive-idle = 5\n");
	if (strcmp(proto, "cgi") == 0) {
		/* gatecheck is the interpreter of ROOT/PREFIX */
		printf("cgi.assign = (\"%s\" => \"%s\")\n", g->prefix, self);
		printf("setenv.add-environment = (\"GATECHECK_BACKEND\" => "
		       "\"%s\")\n",
			o->backend ? o->backend : "127.0.0.1:9000");
		return;
	}
	printf("%s = (\"%s\" => ((\n", key, g->prefix);
	if (path)
		printf("\t\"socket\" => \"%s\",\n", path);
	else
		printf("\t\"host\" => \"%s\",\n\t\"port\" => %s,\n", host,
			port);
	if (strcmp(proto, "http") != 0)
		printf("\t\"check-local\" => \"disable\",\n");
	printf("\t\"read-timeout\" => 3,\n\t\"connect-timeout\" => 3\n");
	printf(")))\n");
	if (strcmp(proto, "uwsgi") == 0)
		printf("scgi.protocol = \"uwsgi\"\n");
	if (strcmp(proto, "http") == 0) {
		printf("proxy.header = (\"upgrade\" => \"enable\")\n");
		printf("proxy.forwarded = (\"for\" => 1, \"proto\" => 1, "
		       "\"host\" => 1)\n");
	}
}

static void
nginx(const struct gc *g, const char *proto, const char *root)
{
	const struct gc_opts *o = g->o;
	char host[128], port[16], up[300];
	const char *path, *p = proto;
	static const char *const params[] = {"CONTENT_LENGTH $content_length",
		"QUERY_STRING $query_string", "REQUEST_METHOD $request_method",
		"CONTENT_TYPE $content_type", "SCRIPT_NAME $gc_script",
		"PATH_INFO $gc_path if_not_empty", "REQUEST_URI $request_uri",
		"DOCUMENT_URI $document_uri", "DOCUMENT_ROOT $document_root",
		"SERVER_PROTOCOL $server_protocol", "REQUEST_SCHEME $scheme",
		"HTTPS $https if_not_empty", "GATEWAY_INTERFACE CGI/1.1",
		"SERVER_SOFTWARE nginx/$nginx_version",
		"REMOTE_ADDR $remote_addr", "REMOTE_PORT $remote_port",
		"SERVER_ADDR $server_addr", "SERVER_PORT $server_port",
		"SERVER_NAME $host", "REDIRECT_STATUS 200", "HTTP_PROXY \"\""};
	size_t i;

	split_backend(o->backend ? o->backend : "127.0.0.1:9000", host,
		sizeof(host), port, sizeof(port), &path);
	if (path)
		snprintf(up, sizeof(up), "unix:%s", path);
	else
		snprintf(up, sizeof(up), "%s:%s", host, port);
	if (strcmp(proto, "fastcgi") == 0)
		p = "fastcgi";
	printf("# nginx: gatecheck gateway %s (nginx -g 'daemon off;' -c "
	       "FILE)\n",
		proto);
	printf("user root;\nworker_processes 1;\npid %s/nginx.pid;\n"
	       "error_log %s/error.log;\nevents { worker_connections 256; }\n"
	       "http {\n\taccess_log off;\n",
		root, root);
	printf("\tclient_body_temp_path %s/body;\n\tproxy_temp_path "
	       "%s/proxy;\n\tfastcgi_temp_path %s/fastcgi;\n"
	       "\tuwsgi_temp_path %s/uwsgi;\n\tscgi_temp_path %s/scgi;\n",
		root, root, root, root, root);
	printf("\tmap $http_upgrade $gc_connection { default upgrade; '' "
	       "close; }\n");
	printf("\tserver {\n\t\tlisten %s:%s;\n\t\troot %s;\n", g->host,
		g->port, root);
	if (strcmp(proto, "http") == 0) {
		printf("\t\tlocation %s {\n", g->prefix);
		printf("\t\t\tproxy_pass http://%s;\n", up);
		printf("\t\t\tproxy_http_version 1.1;\n"
		       "\t\t\tproxy_set_header Host $http_host;\n"
		       "\t\t\tproxy_set_header X-Forwarded-For "
		       "$proxy_add_x_forwarded_for;\n"
		       "\t\t\tproxy_set_header X-Forwarded-Proto $scheme;\n"
		       "\t\t\tproxy_set_header X-Forwarded-Host $http_host;\n"
		       "\t\t\tproxy_set_header Forwarded "
		       "\"for=$remote_addr;proto=$scheme\";\n"
		       "\t\t\tproxy_set_header Upgrade $http_upgrade;\n"
		       "\t\t\tproxy_set_header Connection $gc_connection;\n"
		       "\t\t\tproxy_read_timeout 3s;\n"
		       "\t\t}\n\t}\n}\n");
		return;
	}
	/* PATH_INFO split by named captures of a regex location. */
	printf("\t\tlocation ~ ^(?<gc_script>%s)(?<gc_path>/.*)?$ {\n",
		g->prefix);
	/* As Debian's fastcgi_params, CONTENT_LENGTH first (SCGI needs it
	   there), PATH_INFO split, the httpoxy mitigation nginx documents,
	   and SCGI=1 as scgi_params has it. */
	/* nginx's SCGI module puts CONTENT_LENGTH first by itself */
	for (i = strcmp(proto, "scgi") == 0;
		i < sizeof(params) / sizeof(params[0]); i++)
		printf("\t\t\t%s_param %s;\n", p, params[i]);
	if (strcmp(proto, "scgi") == 0)
		printf("\t\t\tscgi_param SCGI 1;\n");
	printf("\t\t\t%s_pass %s;\n\t\t\t%s_read_timeout 3s;\n", p, up, p);
	printf("\t\t}\n\t}\n}\n");
}

int
gw_print_config(const struct gc_opts *o)
{
	struct gc g;
	char self[512];
	const char *root = "/tmp/gatecheck-root";
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	memset(&g, 0, sizeof(g));
	g.o = (struct gc_opts *)o;
	if (gw_parse_url(&g) != 0)
		return 3;
	if (o->root)
		root = o->root;
	self[n > 0 ? n : 0] = '\0';
	if (strcmp(o->print_config, "lighttpd") == 0 ||
		strcmp(o->print_config, "gatehouse") == 0) {
		if (o->print_config[0] == 'g')
			printf("# Gatehouse reads lighttpd syntax\n");
		lighttpd(&g, o->gwproto, root, self);
	} else if (strcmp(o->print_config, "nginx") == 0) {
		if (strcmp(o->gwproto, "cgi") == 0) {
			fputs("gatecheck: nginx has no CGI gateway\n", stderr);
			return 3;
		}
		nginx(&g, o->gwproto, root);
	} else {
		fputs("gatecheck: --print-config lighttpd|nginx|gatehouse\n",
			stderr);
		return 3;
	}
	return 0;
}
