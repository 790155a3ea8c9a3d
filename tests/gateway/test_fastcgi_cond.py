"""fastcgi.server inside $HTTP[...] conditionals (issue 7, spec/gateway.md
GW-COND-1): per request, the value of the last matching block that sets
it replaces the global one, as lighttpd."""

import json
import os

from gwutil import dechunk, get, host


def echo(srv, target, **kw):
    st, h, body, _ = get(srv, target, **kw)
    assert st == 200, body
    if h.get("transfer-encoding") == ["chunked"]:
        body, _ = dechunk(body)
    return dict(json.loads(body.decode("latin1"))["params"])


def test_conditional_fastcgi_server_replaces_the_global_one(gw, tmp):
    sock = os.path.join(tmp, "fc.sock")
    extra = ('$HTTP["url"] =^ "/v2/" {\n'
             '  fastcgi.server = (".php" => (%s))\n'
             '}\n'
             '$HTTP["querystring"] == "static" {\n'
             '  fastcgi.server = ()\n'
             '}\n'
             '$HTTP["url"] =^ "/tools/" {\n'
             '  fastcgi.server = (".tool" => (%s))\n'
             '}\n') % (host(sock, docroot="/srv/v2", check_local=False),
                       host(sock, check_local=False))
    srv = gw(exts={".php": [host(sock)]}, extra=extra)
    # Global value: check-local, the server's docroot.
    p = echo(srv, "/app.php")
    assert p["DOCUMENT_ROOT"] == srv.docroot
    # The /v2/ block's own value.
    p = echo(srv, "/v2/x.php")
    assert p["DOCUMENT_ROOT"] == "/srv/v2"
    assert p["SCRIPT_NAME"] == "/v2/x.php"
    # An empty value turns the gateway off: the static file.
    st, _, body, _ = get(srv, "/app.php?static")
    assert st == 200 and body == b"<?php ?>\n"
    # A block with other exts replaces, not extends: .php is not routed
    # there (no such file), .tool is.
    assert get(srv, "/tools/x.php")[0] == 404
    assert echo(srv, "/tools/run.tool")["SCRIPT_NAME"] == "/tools/run.tool"
