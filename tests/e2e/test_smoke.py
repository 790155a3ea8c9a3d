"""A first check that the server starts, serves a file and stops."""

from ghutil import read_response


def test_get_index_returns_file(gh):
    srv = gh()
    with srv.connect() as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        status, hdrs, body, _ = read_response(s)
    assert status == 200
    assert body == b"<p>home</p>\n"
    assert hdrs["content-type"] == "text/html"
