"""gatecheck probe for WSGI servers (uWSGI, gunicorn, ...): reports what the
application saw, in the format of conformance/probes/README.md.
getenv.HTTP_PROXY reports the process environment (os.environ), which is
what HTTP client libraries read (httpoxy)."""

import hashlib
import os

VARS = ["REQUEST_METHOD", "QUERY_STRING", "CONTENT_LENGTH", "CONTENT_TYPE",
        "SCRIPT_NAME", "PATH_INFO", "REQUEST_URI", "HTTP_X_GATECHECK",
        "HTTP_X_GATECHECK_127", "HTTP_X_GATECHECK_128"]


def application(environ, start_response):
    n = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(n) if n > 0 else b""
    start_response("200 OK", [("Content-Type", "text/plain")])
    if environ.get("REQUEST_METHOD") == "HEAD":
        return [b""]
    lines = ["gatecheck-probe 1", "body-length %d" % len(body),
             "body-sha256 " + hashlib.sha256(body).hexdigest()]
    lines += ["env.%s %s" % (k, environ[k]) for k in VARS if k in environ]
    if "HTTP_PROXY" in os.environ:
        lines.append("getenv.HTTP_PROXY " + os.environ["HTTP_PROXY"])
    return [("\n".join(lines) + "\n").encode("latin-1")]
