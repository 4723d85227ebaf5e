/*
 * test_bytescan.c - bytescan.c: find3() gives what a byte-by-byte
 * search gives, at every length and alignment, in either case mode.
 */
#include "unit.h"

static const unsigned char *
naive(const unsigned char *p, size_t n, unsigned char a, unsigned char b,
    unsigned char c, unsigned char fold)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if ((p[i] | fold) == a && (p[i + 1] | fold) == b &&
		    (p[i + 2] | fold) == c)
			return p + i;
	return NULL;
}

static void
test_short_and_empty(void **state)
{
	const unsigned char *s = (const unsigned char *)"ova";

	(void)state;
	assert_null(find3(s, 0, 'o', 'v', 'a', 0));
	assert_null(find3(s, 2, 'o', 'v', 'a', 0));
	assert_ptr_equal(find3(s, 3, 'o', 'v', 'a', 0), s);
}

static void
test_every_position(void **state)
{
	unsigned char buf[80];
	size_t n, at;

	(void)state;
	/* the word at each place of each length: both loops, both halves
	 * of a sixteen-byte block, and across block edges */
	for (n = 3; n <= sizeof(buf); n++)
		for (at = 0; at + 3 <= n; at++) {
			memset(buf, 'x', sizeof(buf));
			memcpy(buf + at, "Fro", 3);
			assert_ptr_equal(find3(buf, n, 'F', 'r', 'o', 0),
			    buf + at);
			/* not past the end */
			assert_null(find3(buf, at + 2, 'F', 'r', 'o', 0));
		}
}

static void
test_first_of_several(void **state)
{
	unsigned char buf[64];

	(void)state;
	memset(buf, '.', sizeof(buf));
	memcpy(buf + 40, "ova", 3);
	memcpy(buf + 17, "ova", 3);
	assert_ptr_equal(find3(buf, sizeof(buf), 'o', 'v', 'a', 0), buf + 17);
	/* two of three letters in the same block are not a match */
	memcpy(buf + 17, "ovX", 3);
	assert_ptr_equal(find3(buf, sizeof(buf), 'o', 'v', 'a', 0), buf + 40);
}

static void
test_fold(void **state)
{
	const unsigned char *s = (const unsigned char *)
	    "....................APPROVALS.......";

	(void)state;
	assert_null(find3(s, strlen((const char *)s), 'o', 'v', 'a', 0));
	assert_ptr_equal(find3(s, strlen((const char *)s), 'o', 'v', 'a',
	    0x20), s + 24);
}

static void
test_random_against_naive(void **state)
{
	unsigned char buf[300];
	unsigned seed = 12345;
	int round;
	size_t i, n, off;

	(void)state;
	/* a four-letter alphabet makes matches common */
	for (round = 0; round < 20000; round++) {
		for (i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = "oOvVaA\n"[(seed >> 16) % 7];
		}
		n = (seed >> 8) % (sizeof(buf) - 16);
		off = (seed >> 4) % 16;
		assert_ptr_equal(find3(buf + off, n, 'o', 'v', 'a', 0x20),
		    naive(buf + off, n, 'o', 'v', 'a', 0x20));
		assert_ptr_equal(find3(buf + off, n, 'o', 'v', 'a', 0),
		    naive(buf + off, n, 'o', 'v', 'a', 0));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_and_empty),
		cmocka_unit_test(test_every_position),
		cmocka_unit_test(test_first_of_several),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_random_against_naive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
