<?php
/*
 * gatecheck probe for PHP (php-fpm, php-cgi): reports what the application
 * saw, in the format of conformance/probes/README.md.
 */
$vars = array("REQUEST_METHOD", "QUERY_STRING", "CONTENT_LENGTH",
    "CONTENT_TYPE", "SCRIPT_NAME", "PATH_INFO", "REQUEST_URI",
    "HTTP_X_GATECHECK", "HTTP_X_GATECHECK_127", "HTTP_X_GATECHECK_128");
header("Content-Type: text/plain");
if ($_SERVER["REQUEST_METHOD"] === "HEAD")
	exit(0);
$body = file_get_contents("php://input");
echo "gatecheck-probe 1\n";
echo "body-length ", strlen($body), "\n";
echo "body-sha256 ", hash("sha256", $body), "\n";
foreach ($vars as $k)
	if (isset($_SERVER[$k]))
		echo "env.$k ", $_SERVER[$k], "\n";
$proxy = getenv("HTTP_PROXY");
if ($proxy !== false)
	echo "getenv.HTTP_PROXY $proxy\n";
