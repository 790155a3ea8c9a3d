<?php
// A FastCGI demo script: what the gateway told PHP about this request.
header('Content-Type: text/plain; charset=utf-8');
foreach (['REQUEST_METHOD', 'REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO',
    'QUERY_STRING', 'SCRIPT_FILENAME', 'CONTENT_LENGTH', 'SERVER_SOFTWARE',
    'REMOTE_ADDR'] as $k)
	printf("%-16s %s\n", $k, $_SERVER[$k] ?? '(unset)');
