/*
 * test_util.c - util.c: hashes, RFC 3339 times, UTF-8 repair, loose
 * base64, counting the '@' of an address header.
 */
#include "unit.h"

static void
test_sha256_known_vectors(void **state)
{
	char out[65];

	(void)state;
	/* FIPS 180-2 examples: the empty string and "abc" */
	sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_sha256_binary_and_nul(void **state)
{
	char a[65], b[65];

	(void)state;
	/* bytes after a NUL count: the length is what is hashed */
	sha256_hex("a\0b", 3, a);
	sha256_hex("a\0c", 3, b);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
}

static void
test_time_rfc3339(void **state)
{
	char *s;

	(void)state;
	s = time_rfc3339(0);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	g_free(s);
	s = time_rfc3339(1700000000);
	assert_string_equal(s, "2023-11-14T22:13:20Z");
	g_free(s);
	/* the date of UNIT_HEADERS, plus the 72 hours of "expires" */
	s = time_rfc3339(1717578423 + 72 * 3600);
	assert_string_equal(s, "2024-06-08T09:07:03Z");
	g_free(s);
	s = time_rfc3339(-1);
	assert_string_equal(s, "1969-12-31T23:59:59Z");
	g_free(s);
	s = time_rfc3339(253402300799LL);	/* the last second of 9999 */
	assert_string_equal(s, "9999-12-31T23:59:59Z");
	g_free(s);
}

/*
 * A time RFC 3339 cannot write (year 10000) has no text.  Answering
 * 1970-01-01 would put a made-up date into a record ("expires" before
 * "date"), which DESIGN.md rules out: absent values are null.
 */
static void
test_time_rfc3339_out_of_range(void **state)
{
	char *s;
	bool epoch;

	(void)state;
	s = time_rfc3339(253402300800LL);
	epoch = s != NULL && strcmp(s, "1970-01-01T00:00:00Z") == 0;
	g_free(s);
	assert_false(epoch);
}

static void
test_utf8_clean_valid_kept(void **state)
{
	const char in[] = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac "
	    "\xf0\x9f\x98\x80";
	char *s;

	(void)state;
	s = utf8_clean(in, sizeof(in) - 1);
	assert_string_equal(s, in);
	g_free(s);
	s = utf8_clean("", 0);
	assert_string_equal(s, "");
	g_free(s);
}

static void
test_utf8_clean_invalid_bytes(void **state)
{
	char *s;

	(void)state;
	/* a lone continuation byte and a Latin-1 byte */
	s = utf8_clean("a\x80" "b\xe9" "c", 5);
	assert_string_equal(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
	g_free(s);
	/* an overlong NUL is no way to smuggle a NUL through */
	s = utf8_clean("x\xc0\x80y", 4);
	assert_string_equal(s, "x\xef\xbf\xbd\xef\xbf\xbdy");
	g_free(s);
	/* a sequence cut short by the end of the text */
	s = utf8_clean("ok\xe2\x82", 4);
	assert_true(g_str_has_prefix(s, "ok\xef\xbf\xbd"));
	assert_true(g_utf8_validate(s, -1, NULL));
	g_free(s);
}

static void
test_utf8_clean_nuls(void **state)
{
	char *s;

	(void)state;
	s = utf8_clean("a\0b\0\0c", 6);
	assert_int_equal(strlen(s), 6);
	assert_string_equal(s, "a b  c");
	g_free(s);
	s = utf8_clean("\0\xff\0", 3);
	assert_string_equal(s, " \xef\xbf\xbd ");
	g_free(s);
}

static void
test_base64_plain_and_padded(void **state)
{
	size_t n;
	char *s;

	(void)state;
	s = base64_decode_loose("aGVsbG8gd29ybGQ=", 16, &n);
	assert_non_null(s);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "hello world", 11);
	g_free(s);
	s = base64_decode_loose("AAEC/w==", 8, &n);
	assert_non_null(s);
	assert_int_equal(n, 4);
	assert_memory_equal(s, "\x00\x01\x02\xff", 4);
	g_free(s);
}

static void
test_base64_loose_forms(void **state)
{
	const char wrapped[] = "aGVs\r\nbG8g\n d29y\tbGQ";
	size_t n;
	char *s;

	(void)state;
	/* line breaks and spaces from mail gateways, padding lost */
	s = base64_decode_loose(wrapped, sizeof(wrapped) - 1, &n);
	assert_non_null(s);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "hello world", 11);
	g_free(s);
	s = base64_decode_loose("aGk", 3, &n);
	assert_non_null(s);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "hi", 2);
	g_free(s);
	s = base64_decode_loose("", 0, &n);
	assert_int_equal(n, 0);
	g_free(s);
}

static void
test_base64_rejects_other_text(void **state)
{
	size_t n = 12345;

	(void)state;
	assert_null(base64_decode_loose("aGVs*bG8=", 9, &n));
	assert_null(base64_decode_loose("Received: from x", 16, &n));
	/* URL-safe base64 is not what SES writes */
	assert_null(base64_decode_loose("a-_b", 4, &n));
}

static void
test_address_at_signs(void **state)
{
	(void)state;
	assert_int_equal(address_at_signs("a@b.example"), 1);
	assert_int_equal(address_at_signs("Name <a@b.example>"), 1);
	/* GMime would read this as a@b.example alone */
	assert_int_equal(address_at_signs("<a@b.example@evil.example>"), 2);
	/* quoted strings and comments, nested and escaped, do not count */
	assert_int_equal(address_at_signs("\"x@y\" <a@b.example>"), 1);
	assert_int_equal(address_at_signs("A (c@d (e@f)) <a@b.example>"), 1);
	assert_int_equal(address_at_signs("\"x\\\"@y\" <a@b.example>"), 1);
	assert_int_equal(address_at_signs("a@b.example, c@d.example"), 2);
	assert_int_equal(address_at_signs(""), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_known_vectors),
		cmocka_unit_test(test_sha256_binary_and_nul),
		cmocka_unit_test(test_time_rfc3339),
		cmocka_unit_test(test_time_rfc3339_out_of_range),
		cmocka_unit_test(test_utf8_clean_valid_kept),
		cmocka_unit_test(test_utf8_clean_invalid_bytes),
		cmocka_unit_test(test_utf8_clean_nuls),
		cmocka_unit_test(test_base64_plain_and_padded),
		cmocka_unit_test(test_base64_loose_forms),
		cmocka_unit_test(test_base64_rejects_other_text),
		cmocka_unit_test(test_address_at_signs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
