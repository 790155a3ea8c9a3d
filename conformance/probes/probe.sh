#!/bin/sh
# gatecheck probe for CGI-style runners (fcgiwrap): reports what the script
# saw, in the format of conformance/probes/README.md.
printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n'
[ "$REQUEST_METHOD" = HEAD ] && exit 0
tmp=$(mktemp) || exit 1
head -c "${CONTENT_LENGTH:-0}" >"$tmp"
echo "gatecheck-probe 1"
echo "body-length $(wc -c <"$tmp" | tr -d ' ')"
echo "body-sha256 $(sha256sum <"$tmp" | cut -d' ' -f1)"
rm -f "$tmp"
for v in REQUEST_METHOD QUERY_STRING CONTENT_LENGTH CONTENT_TYPE \
    SCRIPT_NAME PATH_INFO REQUEST_URI HTTP_X_GATECHECK \
    HTTP_X_GATECHECK_127 HTTP_X_GATECHECK_128; do
	eval "isset=\${$v+x}"
	[ -n "$isset" ] && eval "printf 'env.%s %s\n' $v \"\$$v\""
done
[ -n "${HTTP_PROXY+x}" ] && printf 'getenv.HTTP_PROXY %s\n' "$HTTP_PROXY"
exit 0
