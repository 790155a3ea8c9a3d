"""Static files: index files, mime types, validators and 304, byte ranges
(206/416), HEAD, sendfile bodies, directory redirects and listings, and
path traversal attempts (RFC 9110 §13-§15, lighttpd mod_staticfile)."""

import os
import time

import pytest

from ghutil import BIG, curl, read_response


def get(srv, path, headers=b"", method=b"GET"):
    with srv.connect() as s:
        s.sendall(method + b" " + path + b" HTTP/1.1\r\nHost: t\r\n" +
                  headers + b"\r\n")
        if method == b"HEAD":
            s.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data:
                data += s.recv(4096)
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode().split("\r\n")
            hdrs = dict((k.lower(), v.strip()) for k, v in
                        (ln.split(":", 1) for ln in lines[1:]))
            return int(lines[0].split()[1]), hdrs, rest
        status, hdrs, body, _ = read_response(s)
        return status, hdrs, body


def test_directory_serves_index_file(gh):
    srv = gh()
    assert get(srv, b"/")[2] == b"<p>home</p>\n"
    assert get(srv, b"/sub/")[2] == b"sub index\n"


def test_mimetype_assign_picks_content_type(gh):
    srv = gh()
    assert get(srv, b"/a.txt")[1]["content-type"] == "text/plain"
    assert get(srv, b"/sub/b.css")[1]["content-type"] == "text/css"
    assert get(srv, b"/big.bin")[1]["content-type"] == \
        "application/octet-stream"


def test_large_file_sent_whole_by_sendfile(gh):
    srv = gh()
    status, hdrs, body = get(srv, b"/big.bin")
    assert status == 200 and body == BIG
    assert hdrs["content-length"] == str(len(BIG))


def test_if_none_match_with_current_etag_is_304(gh):
    srv = gh()
    etag = get(srv, b"/a.txt")[1]["etag"]
    status, hdrs, body = get(srv, b"/a.txt",
                             b"If-None-Match: " + etag.encode() + b"\r\n")
    assert (status, body) == (304, b"")
    assert hdrs["etag"] == etag and "content-length" not in hdrs
    status, _, _ = get(srv, b"/a.txt", b'If-None-Match: "other"\r\n')
    assert status == 200


def test_if_modified_since_not_older_is_304(gh):
    srv = gh()
    lm = get(srv, b"/a.txt")[1]["last-modified"]
    assert get(srv, b"/a.txt",
               b"If-Modified-Since: " + lm.encode() + b"\r\n")[0] == 304
    old = b"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    assert get(srv, b"/a.txt", old)[0] == 200


def test_single_byte_range_is_206(gh):
    srv = gh()
    status, hdrs, body = get(srv, b"/a.txt", b"Range: bytes=2-5\r\n")
    assert (status, body) == (206, b"2345")
    assert hdrs["content-range"] == "bytes 2-5/10"
    assert get(srv, b"/a.txt", b"Range: bytes=-3\r\n")[2] == b"789"
    assert get(srv, b"/a.txt", b"Range: bytes=7-\r\n")[2] == b"789"
    status, _, body = get(srv, b"/big.bin", b"Range: bytes=1000-99999\r\n")
    assert (status, body) == (206, BIG[1000:100000])


def test_unsatisfiable_range_is_416(gh):
    srv = gh()
    status, hdrs, _ = get(srv, b"/a.txt", b"Range: bytes=10-20\r\n")
    assert status == 416 and hdrs["content-range"] == "bytes */10"


def test_multiple_ranges_serve_whole_file(gh):
    srv = gh()
    status, _, body = get(srv, b"/a.txt", b"Range: bytes=0-1,4-5\r\n")
    assert (status, body) == (200, b"0123456789")


def test_head_sends_length_without_body(gh):
    srv = gh()
    status, hdrs, rest = get(srv, b"/big.bin", method=b"HEAD")
    assert status == 200 and hdrs["content-length"] == str(len(BIG))
    assert rest == b""


def test_directory_without_slash_redirects(gh):
    srv = gh()
    status, hdrs, _ = get(srv, b"/sub?x=1")
    assert status == 301 and hdrs["location"] == "/sub/?x=1"


def test_directory_without_index_is_403_unless_listing(gh):
    srv = gh()
    assert get(srv, b"/empty/")[0] == 403


def test_directory_listing_when_activated(gh):
    srv = gh(extra='dir-listing.activate = "enable"')
    status, hdrs, body = get(srv, b"/empty/")
    assert status == 200 and hdrs["transfer-encoding"] == "chunked"
    os.remove(os.path.join(srv.docroot, "index.html"))
    body = get(srv, b"/")[2].decode()
    assert 'href="a%3Cb%3E%26.txt"' in body and "a&lt;b&gt;&amp;.txt" in body
    assert 'href="sub/"' in body


def test_directory_listing_to_http10_is_close_delimited(gh):
    srv = gh(extra='dir-listing.activate = "enable"')
    data = srv.raw(b"GET /empty/ HTTP/1.0\r\n\r\n")
    assert data.startswith(b"HTTP/1.0 200 ")
    assert b"Transfer-Encoding" not in data and b"Content-Length" not in data
    assert data.rstrip().endswith(b"</html>")


def test_missing_file_is_404(gh):
    srv = gh()
    assert get(srv, b"/nope.txt")[0] == 404


def test_path_info_after_file_serves_the_file(gh):
    srv = gh()
    assert get(srv, b"/a.txt/extra")[2] == b"0123456789"


@pytest.mark.parametrize("path,status", [
    (b"/../../../../etc/passwd", 404),
    (b"/%2e%2e/%2e%2e/etc/passwd", 404),
    (b"/sub/..%2f..%2fetc/passwd", 404),
    (b"/sub%2fb.css", 200),  # url-path-2f-decode, lighttpd default
    (b"/sub/../a.txt", 200),
    (b"/a.txt%00.html", 400),
    (b"/./sub/./b.css", 200),
])
def test_traversal_attempts_stay_in_root(gh, path, status):
    srv = gh()
    assert get(srv, path)[0] == status


def test_access_deny_and_exclude_extensions_are_403(gh):
    srv = gh(extra='url.access-deny = (".inc")\n'
                   'static-file.exclude-extensions = (".php")')
    assert get(srv, b"/secret.inc")[0] == 403
    assert get(srv, b"/app.php")[0] == 403


def test_responses_carry_date_and_server(gh):
    srv = gh(extra='server.tag = "test-tag"')
    hdrs = get(srv, b"/a.txt")[1]
    assert hdrs["server"] == "test-tag" and hdrs["date"].endswith(" GMT")


def test_curl_fetches_file_and_range(gh):
    srv = gh()
    r = curl(srv.url("/big.bin"))
    assert r.returncode == 0 and r.stdout == BIG
    r = curl("-r", "5-9", srv.url("/a.txt"))
    assert r.stdout == b"56789"
    r = curl("--http1.0", srv.url("/sub/b.css"))
    assert r.stdout == b"b{}\n"
    r = curl("-o", "/dev/null", "-w", "%{http_code}", srv.url("/nope"))
    assert r.stdout == b"404"


def test_curl_reuses_connection_for_two_urls(gh):
    srv = gh()
    r = curl("-v", srv.url("/a.txt"), srv.url("/sub/b.css"))
    assert r.stdout == b"0123456789b{}\n"
    assert b"Re-using existing connection" in r.stderr or \
        b"Reusing existing connection" in r.stderr


def test_stat_cache_sees_changes_within_its_bound(gh):
    srv = gh()
    path = os.path.join(srv.docroot, "a.txt")
    assert get(srv, b"/a.txt")[2] == b"0123456789"
    with open(path, "w") as f:
        f.write("changed!!!")
    time.sleep(1.2)  # stat_cache.h: STAT_CACHE_TTL_MS
    assert get(srv, b"/a.txt")[2] == b"changed!!!"
    os.remove(path)
    time.sleep(1.2)
    assert get(srv, b"/a.txt")[0] == 404
