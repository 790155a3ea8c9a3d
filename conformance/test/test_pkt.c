/*
 * Unit tests for gatecheck's SCGI and uwsgi readers/writers (pkt.c): the
 * SCGI protocol text's example, netstring rules, uwsgi vars, split points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pkt.h"

/* The request from the SCGI protocol text (its example, bytes as given). */
static const char scgi_example[] =
	"70:CONTENT_LENGTH\00027\0SCGI\0001\0REQUEST_METHOD\0POST\0"
	"REQUEST_URI\0/deepthought\0,";

static void
test_pkt_scgi_reads_the_protocol_example(void **state)
{
	struct pkt_scgi s;
	enum pkt_err e;
	size_t len = sizeof(scgi_example) - 1;

	(void)state;
	assert_int_equal(
		pkt_scgi_read((const unsigned char *)scgi_example, len, &s, &e),
		(long)len);
	assert_int_equal(s.content_length, 27);
	assert_int_equal(s.npairs, 4);
}

static void
test_pkt_scgi_needs_more_at_every_split_point(void **state)
{
	struct pkt_scgi s;
	enum pkt_err e;
	size_t cut, len = sizeof(scgi_example) - 1;

	(void)state;
	for (cut = 0; cut < len; cut++)
		assert_int_equal(
			pkt_scgi_read((const unsigned char *)scgi_example, cut,
				&s, &e),
			0);
}

static void
test_pkt_scgi_rules(void **state)
{
	struct pkt_scgi s;
	enum pkt_err e;

	(void)state;
	assert_int_equal(pkt_scgi_read((const unsigned char *)"07:SCGI\0001\0,",
				 12, &s, &e),
		-1);
	assert_int_equal(e, PKT_E_LENGTH);
	assert_int_equal(pkt_scgi_read((const unsigned char *)"7:SCGI\0001\0,",
				 11, &s, &e),
		-1);
	assert_int_equal(e, PKT_E_FIRST_CL);
	assert_int_equal(
		pkt_scgi_read(
			(const unsigned char *)"17:CONTENT_LENGTH\0000\0;", 21,
			&s, &e),
		-1);
	assert_int_equal(e, PKT_E_COMMA);
	assert_int_equal(
		pkt_scgi_read(
			(const unsigned char *)"17:CONTENT_LENGTH\0000\0,", 21,
			&s, &e),
		-1);
	assert_int_equal(e, PKT_E_NO_SCGI);
	assert_int_equal(
		pkt_scgi_read((const unsigned char *)"x:", 2, &s, &e), -1);
	assert_int_equal(e, PKT_E_LENGTH);
}

static void
test_pkt_uwsgi_round_trip(void **state)
{
	unsigned char buf[100];
	struct pkt_uwsgi u;
	enum pkt_err e;
	long a, b;
	const unsigned char *k, *v;
	size_t kl, vl;

	(void)state;
	a = pkt_uwsgi_put_var(buf + 4, 96, "REQUEST_METHOD", 14, "GET", 3);
	b = pkt_uwsgi_put_var(buf + 4 + a, 96 - (size_t)a, "A", 1, "", 0);
	pkt_uwsgi_put_header(buf, 4, 0, (size_t)(a + b), 0);
	assert_int_equal(
		pkt_uwsgi_read(buf, (size_t)(4 + a + b), &u, &e), 4 + a + b);
	assert_int_equal(u.nvars, 2);
	assert_int_equal(buf[1] | buf[2] << 8, a + b);
	assert_int_equal(
		pkt_uwsgi_var_next(u.vars, u.datasize, &k, &kl, &v, &vl), a);
	assert_memory_equal(v, "GET", 3);
	assert_int_equal(pkt_uwsgi_read(buf, (size_t)(3 + a + b), &u, &e), 0);
}

static void
test_pkt_uwsgi_var_past_packet_is_refused(void **state)
{
	const unsigned char in[] = {0, 5, 0, 0, 0xff, 0x7f, 'X', 0, 0};
	struct pkt_uwsgi u;
	enum pkt_err e;

	(void)state;
	assert_int_equal(pkt_uwsgi_read(in, sizeof(in), &u, &e), -1);
	assert_int_equal(e, PKT_E_VAR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_scgi_reads_the_protocol_example),
		cmocka_unit_test(test_pkt_scgi_needs_more_at_every_split_point),
		cmocka_unit_test(test_pkt_scgi_rules),
		cmocka_unit_test(test_pkt_uwsgi_round_trip),
		cmocka_unit_test(test_pkt_uwsgi_var_past_packet_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
