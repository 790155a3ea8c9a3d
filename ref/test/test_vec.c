/*
 * Tests for the test-vector reader and split-feeding harness (vec.c):
 * the escapes, repeats and hex input of spec/vectors/README.md, and that a
 * driver which joins its pieces renders the same at every split point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test/vec.h"

static struct vec_set set;

/* Joins all pieces and renders length and bytes; result comes from v. */
static void
echo_driver(const struct vec *v, const struct vec_piece *pc, size_t n,
	struct vec_out *out)
{
	size_t len;
	uint8_t *p = vec_join(pc, n, n, &len);

	vec_out_result(out, "%s", v->result);
	vec_out_line(out, "len=%zu", len);
	if (len < 100)
		vec_out_bytes(out, "bytes=", p, len);
	free(p);
}

static void
test_vec_reader_parses_escapes_repeats_and_hex(void **state)
{
	(void)state;
	assert_int_equal(set.n, 3);
	assert_int_equal(set.v[0].in_len, 8);
	assert_memory_equal(set.v[0].in, "a\r\n\t\\\"A\0", 8);
	assert_int_equal(set.v[1].in_len, 9);
	assert_memory_equal(set.v[1].in, "ababab\0\xff\x7f", 9);
	assert_string_equal(set.v[1].result, "ok 9");
	assert_true(vec_has_word(set.v[1].opts, "two"));
	assert_false(vec_has_word(set.v[1].opts, "tw"));
	assert_int_equal(set.v[2].in_len, 10000);
}

static void
test_vec_escape_round_trips_every_byte(void **state)
{
	uint8_t all[256];
	char text[256 * 4 + 1];

	(void)state;
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	vec_escape(text, sizeof(text), all, sizeof(all));
	/* Printable ASCII other than \ and " stays as it is. */
	assert_non_null(strstr(text, "0123456789"));
	assert_non_null(strstr(text, "\\x00\\x01"));
	assert_non_null(strstr(text, "\\r"));
	assert_non_null(strstr(text, "\\\\"));
	assert_non_null(strstr(text, "\\\""));
	assert_non_null(strstr(text, "\\xff"));
}

static void
test_vec_check_accepts_split_independent_driver(void **state)
{
	(void)state;
	for (size_t i = 0; i < set.n; i++)
		vec_check(&set.v[i], echo_driver);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_vec_reader_parses_escapes_repeats_and_hex),
		cmocka_unit_test(test_vec_escape_round_trips_every_byte),
		cmocka_unit_test(
			test_vec_check_accepts_split_independent_driver),
	};
	int rc;

	vec_load_file(&set, GH_SPEC_DIR "/../ref/test/fixtures/selftest.vec");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	vec_set_free(&set);
	return rc;
}
