/*
 * test_url.c - url.c: links taken apart the way a browser would, so
 * that the host checked is the host a click reaches.
 */
#include "unit.h"

/* url_split into U, failing the test when it says no. */
static void
split_ok(const char *s, struct url_parts *u)
{
	bool ok = url_split(s, u);

	if (!ok)
		url_parts_clear(u);
	assert_true(ok);
}

static void
test_current_link(void **state)
{
	struct url_parts u;

	(void)state;
	split_ok(UNIT_URL, &u);
	assert_string_equal(u.scheme, "https");
	assert_string_equal(u.host, UNIT_HOST);
	assert_null(u.userinfo);
	assert_string_equal(u.path, "/approvals");
	assert_string_equal(u.code, UNIT_CODE);
	assert_string_equal(u.context, UNIT_CONTEXT);
	url_parts_clear(&u);
	/* clearing leaves nothing behind and may be repeated */
	assert_null(u.host);
	url_parts_clear(&u);
}

static void
test_host_canonical(void **state)
{
	struct url_parts u;

	(void)state;
	split_ok("HTTPS://EU-West-1.ACM-Certificates.Amazon.COM./approvals"
	    "?code=A1", &u);
	assert_string_equal(u.scheme, "https");
	assert_string_equal(u.host, "eu-west-1.acm-certificates.amazon.com");
	/* the value is not the host: its case stays */
	assert_string_equal(u.code, "A1");
	url_parts_clear(&u);

	/* one trailing dot names the same host; two do not */
	split_ok("https://example.com../x", &u);
	assert_string_equal(u.host, "example.com.");
	assert_false(hostname_valid(u.host));
	url_parts_clear(&u);

	split_ok("https://example.com:8443/approvals?code=x", &u);
	assert_string_equal(u.host, "example.com");
	url_parts_clear(&u);
}

static void
test_userinfo_trick(void **state)
{
	struct url_parts u;

	(void)state;
	split_ok("https://a.acm-certificates.amazon.com@evil.example/"
	    "approvals?code=1&context=2", &u);
	assert_string_equal(u.host, "evil.example");
	assert_string_equal(u.userinfo, "a.acm-certificates.amazon.com");
	assert_string_equal(u.code, "1");
	url_parts_clear(&u);

	split_ok("https://us-east-1.acm-certificates.amazon.com:443@"
	    "evil.example/approvals", &u);
	assert_string_equal(u.host, "evil.example");
	url_parts_clear(&u);
}

static void
test_fragment_tricks(void **state)
{
	struct url_parts u;

	(void)state;
	/* after '#' nothing is authority, '@' or not */
	split_ok("https://evil.example#@us-east-1.acm-certificates.amazon.com"
	    "/approvals?code=1", &u);
	assert_string_equal(u.host, "evil.example");
	assert_null(u.userinfo);
	assert_null(u.code);
	url_parts_clear(&u);

	split_ok("https://us-east-1.acm-certificates.amazon.com#@evil.example"
	    "/approvals?code=1", &u);
	assert_string_equal(u.host, "us-east-1.acm-certificates.amazon.com");
	assert_null(u.code);
	url_parts_clear(&u);

	/* a query '@' is no userinfo either */
	split_ok("https://evil.example/?@us-east-1.acm-certificates.amazon.com",
	    &u);
	assert_string_equal(u.host, "evil.example");
	url_parts_clear(&u);
}

static void
test_code_and_context(void **state)
{
	struct url_parts u;

	(void)state;
	/* order, other parameters, repeats: the first of each wins */
	split_ok("https://h.example/approvals?x=1&context=C1&code=K1"
	    "&code=K2&context=C2", &u);
	assert_string_equal(u.code, "K1");
	assert_string_equal(u.context, "C1");
	url_parts_clear(&u);

	split_ok("https://h.example/approvals", &u);
	assert_null(u.code);
	assert_null(u.context);
	url_parts_clear(&u);

	/* "code" without a value is no code */
	split_ok("https://h.example/approvals?code&context=", &u);
	assert_null(u.code);
	url_parts_clear(&u);

	/* names are matched whole, not as prefixes */
	split_ok("https://h.example/approvals?codex=1&xcode=2", &u);
	assert_null(u.code);
	url_parts_clear(&u);
}

static void
test_percent_encoding(void **state)
{
	struct url_parts u;

	(void)state;
	/* values are what the server receives: decoded */
	split_ok("https://h.example/approvals?code=ab%2Dcd&context=%41%42",
	    &u);
	assert_string_equal(u.code, "ab-cd");
	assert_string_equal(u.context, "AB");
	url_parts_clear(&u);

	/* a percent-encoded parameter name is still that name */
	split_ok("https://h.example/approvals?%63ode=z", &u);
	assert_string_equal(u.code, "z");
	url_parts_clear(&u);

	/*
	 * An encoded host is never taken for the ACM host it decodes to:
	 * it stays as written and is not a valid host name.
	 */
	split_ok("https://%65u-west-1.acm-certificates.amazon.com/approvals",
	    &u);
	assert_string_not_equal(u.host,
	    "eu-west-1.acm-certificates.amazon.com");
	assert_false(hostname_valid(u.host));
	url_parts_clear(&u);
}

static void
test_not_urls(void **state)
{
	struct url_parts u;

	(void)state;
	assert_false(url_split(NULL, &u));
	assert_false(url_split("", &u));
	url_parts_clear(&u);
	assert_false(url_split("/approvals?code=1", &u));
	url_parts_clear(&u);
	assert_false(url_split("https://exa mple.com/", &u));
	url_parts_clear(&u);
	/*
	 * A backslash is a slash to a browser: this link goes to
	 * evil.example, and so it must here (a newcomer's phishing test
	 * gave no record at all while uriparser refused it).
	 */
	assert_true(url_split("https://evil.example\\@good.example/", &u));
	assert_string_equal(u.host, "evil.example");
	url_parts_clear(&u);
	assert_true(url_split("https://evil.exa\tmple/approvals", &u));
	assert_string_equal(u.host, "evil.example");
	url_parts_clear(&u);
	/* no authority: no host to check */
	assert_false(url_split("mailto:validation-questions@amazon.com", &u));
	url_parts_clear(&u);
}

static void
test_hostname_valid(void **state)
{
	char label63[64], label64[65], *long_name;
	GString *s;
	int i;

	(void)state;
	assert_true(hostname_valid(UNIT_HOST));
	assert_true(hostname_valid("cn-north-1.acm-certificates.amazonaws.cn"));
	assert_true(hostname_valid("xn--bcher-kva.example"));
	assert_true(hostname_valid("localhost"));
	assert_false(hostname_valid(NULL));
	assert_false(hostname_valid(""));
	assert_false(hostname_valid("."));
	assert_false(hostname_valid("a..b"));
	assert_false(hostname_valid(".a.b"));
	assert_false(hostname_valid("a.b."));
	assert_false(hostname_valid("a_b.example"));
	assert_false(hostname_valid("$region.acm-certificates.amazon.com"));
	assert_false(hostname_valid("b\xc3\xbc" "cher.example"));
	assert_false(hostname_valid("a b.example"));

	memset(label63, 'a', 63);
	label63[63] = '\0';
	memset(label64, 'a', 64);
	label64[64] = '\0';
	assert_true(hostname_valid(label63));
	assert_false(hostname_valid(label64));

	/* 253 characters in all is the most DNS carries */
	s = g_string_new(NULL);
	for (i = 0; i < 4; i++)
		g_string_append_printf(s, "%s%s", i ? "." : "", label63);
	g_string_truncate(s, 253);
	long_name = g_string_free(s, FALSE);
	assert_true(hostname_valid(long_name));
	g_free(long_name);
	s = g_string_new(NULL);
	for (i = 0; i < 4; i++)
		g_string_append_printf(s, "%s%s", i ? "." : "", label63);
	g_string_truncate(s, 254);
	long_name = g_string_free(s, FALSE);
	assert_false(hostname_valid(long_name));
	g_free(long_name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current_link),
		cmocka_unit_test(test_host_canonical),
		cmocka_unit_test(test_userinfo_trick),
		cmocka_unit_test(test_fragment_tricks),
		cmocka_unit_test(test_code_and_context),
		cmocka_unit_test(test_percent_encoding),
		cmocka_unit_test(test_not_urls),
		cmocka_unit_test(test_hostname_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
