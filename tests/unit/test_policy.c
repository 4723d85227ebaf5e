/*
 * test_policy.c - policy.c and checkvalue.c: the policy file format,
 * the expectations and how values are normalised before they are
 * compared, the age rule's durations and RFC 3339 times.
 */
#include <glib/gstdio.h>

#include "unit.h"
#include "acmcheck.h"

struct fixture {
	struct capture		 cap;
	struct acm_policy	*pol;
};

static int
setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);

	unit_capture_init(&f->cap);
	f->pol = acm_policy_new();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	acm_policy_free(f->pol);
	unit_capture_free(&f->cap);
	g_free(f);
	return 0;
}

#define K(s)	unit_keep(&f->cap, (s))

/* Parse TEXT into a fresh policy: NULL when good, else the error. */
static const char *
parse(struct fixture *f, const char *text)
{
	char *err = NULL;

	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	if (acm_policy_parse(f->pol, text, strlen(text), "p.policy", &err))
		return NULL;
	assert_non_null(err);
	return K(err);
}

static const char *
describe(struct fixture *f, enum acm_expect k)
{
	char *s = acm_policy_describe(f->pol, k);

	return s ? K(s) : NULL;
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;
	int k;

	assert_int_equal(acm_policy_max_age(f->pol), 72 * 3600);
	assert_int_equal(acm_policy_ses(f->pol), 0);
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		assert_int_equal(acm_policy_allows(f->pol, k, "anything"), -1);
		assert_null(describe(f, k));
	}
}

static void
test_every_keyword(void **state)
{
	struct fixture *f = *state;

	assert_null(parse(f,
	    "# ours\n"
	    "\n"
	    "  account 111122223333 4444-5555-6666\t# prod, staging\n"
	    "domain Example.COM. *.example.org\r\n"
	    "region eu-west-1\n"
	    "region us-gov-west-1 cn-north-1\n"
	    "certificate 0F1E2D3C-4B5A-4697-8877-66554433AABB\n"
	    "certificate arn:aws-cn:acm:cn-north-1:111122223333:certificate/"
	    "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n"
	    "max-age 30d\n"
	    "require-ses spf dmarc\n"
	    "require-ses virus"));
	assert_string_equal(describe(f, ACM_EXPECT_ACCOUNT),
	    "111122223333, 444455556666");
	assert_string_equal(describe(f, ACM_EXPECT_DOMAIN),
	    "example.com, *.example.org");
	assert_string_equal(describe(f, ACM_EXPECT_REGION),
	    "eu-west-1, us-gov-west-1, cn-north-1");
	assert_string_equal(describe(f, ACM_EXPECT_CERT),
	    "0f1e2d3c-4b5a-4697-8877-66554433aabb, arn:aws-cn:acm:cn-north-1:"
	    "111122223333:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
	assert_int_equal(acm_policy_max_age(f->pol), 30 * 86400);
	assert_int_equal(acm_policy_ses(f->pol), ACM_SES_SPF | ACM_SES_DMARC |
	    ACM_SES_VIRUS);

	assert_null(parse(f, "require-ses\n"));
	assert_int_equal(acm_policy_ses(f->pol), ACM_SES_DEFAULT);

	assert_null(acm_policy_dkim_domains(f->pol));
	assert_false(acm_policy_sns_signature_required(f->pol));
	assert_null(parse(f, "require-dkim\nrequire-dkim AmazonSES.com. "
	    "certificates.amazon.com\nrequire-sns-signature\n"));
	assert_string_equal(acm_policy_dkim_domains(f->pol)[0],
	    "certificates.amazon.com");
	assert_string_equal(acm_policy_dkim_domains(f->pol)[1],
	    "amazonses.com");
	assert_null(acm_policy_dkim_domains(f->pol)[2]);
	assert_true(acm_policy_sns_signature_required(f->pol));
	assert_string_equal(parse(f, "require-dkim com\n"), "p.policy:1: "
	    "require-dkim 'com' is not a domain name such as "
	    "certificates.amazon.com");
	assert_string_equal(parse(f, "require-sns-signature yes\n"),
	    "p.policy:1: require-sns-signature takes no value");
	assert_null(parse(f, ""));
	assert_null(parse(f, "\n\n# only comments\n   \t\n"));
}

static void
test_errors_name_the_line(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(parse(f, "# one\naccount 111122223333\nacount 1\n"),
	    "p.policy:3: unknown keyword 'acount' (account, domain, region, "
	    "certificate, max-age, require-ses, require-dkim, "
	    "require-sns-signature)");
	assert_string_equal(parse(f, "account\n"),
	    "p.policy:1: account needs at least one value");
	assert_string_equal(parse(f, "account # none\n"),
	    "p.policy:1: account needs at least one value");
	assert_string_equal(parse(f, "\r\naccount 1234\r\n"),
	    "p.policy:2: account '1234' is not 12 digits");
	assert_string_equal(parse(f, "domain example.com exa..mple.com\n"),
	    "p.policy:1: domain 'exa..mple.com' is not a domain name such "
	    "as example.com or *.example.com");
	assert_string_equal(parse(f, "region eu-west\n"),
	    "p.policy:1: region 'eu-west' is not a region code such as "
	    "eu-west-1");
	assert_string_equal(parse(f, "certificate arn:aws:acm:eu-west-1:1:"
	    "certificate/x\n"), "p.policy:1: certificate "
	    "'arn:aws:acm:eu-west-1:1:certificate/x' is not a certificate "
	    "ARN or UUID");
	assert_string_equal(parse(f, "max-age\n"),
	    "p.policy:1: max-age takes one value: a duration such as 72h, "
	    "or none");
	assert_string_equal(parse(f, "max-age 1h 2h\n"),
	    "p.policy:1: max-age takes one value: a duration such as 72h, "
	    "or none");
	assert_string_equal(parse(f, "max-age soon\n"),
	    "p.policy:1: max-age 'soon' is not a duration such as 72h, 30d, "
	    "90m or 3600s, or none");
	assert_string_equal(parse(f, "require-ses spf arc\n"),
	    "p.policy:1: unknown SES verdict 'arc' (spf, dkim, dmarc, spam, "
	    "virus)");
	assert_string_equal(parse(f, "Account 111122223333\n"),
	    "p.policy:1: unknown keyword 'Account' (account, domain, region, "
	    "certificate, max-age, require-ses, require-dkim, "
	    "require-sns-signature)");
}

/* Bytes from the file reach an error message only escaped. */
static void
test_errors_are_printable(void **state)
{
	struct fixture *f = *state;
	static const char nul[] = "account 111122223333\nreg\0ion x\n";
	char *err = NULL;
	const char *e;
	char *long_line;

	e = parse(f, "\x1b[2J\xff 1\n");
	/* raw: the tools escape what they print (once) */
	assert_string_equal(e, "p.policy:1: unknown keyword '\x1b[2J\xff' "
	    "(account, domain, region, certificate, max-age, require-ses, "
	    "require-dkim, require-sns-signature)");
	/* a byte order mark is not part of the first keyword */
	assert_null(parse(f, "\xef\xbb\xbf" "account 111122223333\n"));
	e = parse(f, "domain 'quoted'\\\n");
	assert_non_null(strstr(e, "''quoted'\\'"));
	assert_null(strchr(e, '\n'));

	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	assert_false(acm_policy_parse(f->pol, nul, sizeof(nul) - 1, "p",
	    &err));
	assert_string_equal(K(err), "p:2: NUL byte in line");

	long_line = K(g_strnfill(5000, 'a'));
	e = parse(f, long_line);
	assert_string_equal(e, "p.policy:1: line longer than 4096 bytes");

	e = parse(f, K(g_strconcat("domain ", K(g_strnfill(200, 'x')), "!\n",
	    NULL)));
	assert_non_null(strstr(e, "...'"));
	assert_true(strlen(e) < 200);
}

/* A bad line stops the parse; the lines before it stay in force. */
static void
test_lines_before_an_error_stay(void **state)
{
	struct fixture *f = *state;

	assert_non_null(parse(f, "account 111122223333\nmax-age 1h\nbad\n"
	    "account 444455556666\n"));
	assert_string_equal(describe(f, ACM_EXPECT_ACCOUNT), "111122223333");
	assert_int_equal(acm_policy_max_age(f->pol), 3600);
}

static void
test_load(void **state)
{
	struct fixture *f = *state;
	char *dir = K(g_dir_make_tmp("policy.XXXXXX", NULL));
	char *path = K(g_build_filename(dir, "p", NULL));
	char *missing = K(g_build_filename(dir, "missing", NULL));
	char *err = NULL;

	assert_true(g_file_set_contents(path, "region eu-west-1\nbogus\n", -1,
	    NULL));
	assert_false(acm_policy_load(f->pol, path, &err));
	assert_string_equal(K(err), K(g_strdup_printf("%s:2: unknown keyword "
	    "'bogus' (account, domain, region, certificate, max-age, "
	    "require-ses, require-dkim, require-sns-signature)", path)));
	err = NULL;
	assert_false(acm_policy_load(f->pol, missing, &err));
	K(err);
	assert_true(g_str_has_prefix(err, K(g_strdup_printf("%s: cannot read: ",
	    missing))));
	g_unlink(path);
	g_rmdir(dir);
}

static void
test_max_age(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char	*in;
		int64_t		 secs;	/* -1: refused */
	} t[] = {
		{ "72h", 72 * 3600 }, { "30d", 30 * 86400 }, { "90m", 5400 },
		{ "3600s", 3600 }, { "2w", 14 * 86400 }, { "none", 0 },
		{ "0", 0 }, { "1s", 1 },
		{ "72", -1 }, { "h", -1 }, { "-1h", -1 }, { "1.5h", -1 },
		{ "72hh", -1 }, { "0h", -1 }, { "", -1 }, { "72H", -1 },
		{ " 72h", -1 }, { "None", -1 },
		{ "99999999999999999999999d", -1 },
		{ "36600d", INT64_C(36600) * 86400 },
		{ "36601000d", -1 },
	};
	size_t i;
	char *err;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		acm_policy_set_max_age(f->pol, "5h", &err);
		err = NULL;
		if (t[i].secs >= 0) {
			if (!acm_policy_set_max_age(f->pol, t[i].in, &err))
				fail_msg("'%s' refused: %s", t[i].in, K(err));
			assert_int_equal(acm_policy_max_age(f->pol), t[i].secs);
		} else {
			if (acm_policy_set_max_age(f->pol, t[i].in, &err))
				fail_msg("'%s' taken", t[i].in);
			K(err);
			assert_int_equal(acm_policy_max_age(f->pol), 5 * 3600);
		}
	}
}

static void
test_accounts(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"11112222333", "1111222233334", "1111-2222-333a",
		"-111122223333", "111122223333-", "1111--22223333", "",
		"\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91\xef\xbc\x91"
		"22223333", NULL
	};
	char *err;
	int i;

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_ACCOUNT,
	    "1111-2222-3333", &err));
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_ACCOUNT,
	    "111122223333"), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_ACCOUNT,
	    "1111-2222-3333"), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_ACCOUNT,
	    "111122223334"), 0);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_ACCOUNT, NULL),
	    0);
	for (i = 0; bad[i]; i++) {
		err = NULL;
		if (acm_policy_expect(f->pol, ACM_EXPECT_ACCOUNT, bad[i], &err))
			fail_msg("account '%s' taken", bad[i]);
		K(err);
	}
}

static void
test_domains(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"com", "*.com", "*.*.example.com", "a.*.example.com",
		"example..com", ".example.com", "exa mple.com", "exa_mple.com",
		"ex\xc3\xa4mple.com", "*example.com", "", "*.", NULL
	};
	static const struct {
		const char	*domain;
		int		 allowed;
	} t[] = {
		{ "example.com", 1 }, { "EXAMPLE.com.", 1 },
		{ "www.example.com", 1 }, { "a.b.example.com", 1 },
		{ "*.example.com", 1 }, { "*.a.example.com", 1 },
		{ "example.org", 1 }, { "www.example.org", 0 },
		{ "notexample.com", 0 }, { "example.com.evil.test", 0 },
		{ "www.example.com\n", 0 }, { "", 0 }, { ".example.com", 0 },
	};
	char *err;
	size_t i;

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN,
	    "*.Example.Com.", &err));
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN, "example.com",
	    &err));
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN, "example.org",
	    &err));
	for (i = 0; i < G_N_ELEMENTS(t); i++)
		if (acm_policy_allows(f->pol, ACM_EXPECT_DOMAIN,
		    t[i].domain) != t[i].allowed)
			fail_msg("domain '%s': want %d", t[i].domain,
			    t[i].allowed);
	for (i = 0; bad[i]; i++) {
		err = NULL;
		if (acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN, bad[i], &err))
			fail_msg("domain '%s' taken", bad[i]);
		K(err);
	}
}

static void
test_regions(void **state)
{
	struct fixture *f = *state;
	static const char *const good[] = {
		"eu-west-1", "US-EAST-1", "us-gov-west-1", "eusc-de-east-1",
		"ap-southeast-5", "cn-northwest-1", "mx-central-1", NULL
	};
	static const char *const bad[] = {
		"eu-west", "euwest1", "e-west-1", "europe-west-1", "eu--1",
		"eu-west-1a", "eu-west-x", "eu_west_1", "-eu-west-1", "",
		"eu-west-1-", NULL
	};
	char *err;
	int i;

	for (i = 0; good[i]; i++)
		if (!acm_policy_expect(f->pol, ACM_EXPECT_REGION, good[i],
		    &err))
			fail_msg("region '%s' refused: %s", good[i], K(err));
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_REGION,
	    "us-east-1"), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_REGION,
	    "us-east-2"), 0);
	for (i = 0; bad[i]; i++) {
		err = NULL;
		if (acm_policy_expect(f->pol, ACM_EXPECT_REGION, bad[i], &err))
			fail_msg("region '%s' taken", bad[i]);
		K(err);
	}
}

#define UUID_A	"0f1e2d3c-4b5a-4697-8877-66554433aabb"
#define UUID_B	"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define ARN(r, a, u)	"arn:aws:acm:" r ":" a ":certificate/" u

static void
test_certificates(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"0f1e2d3c4b5a4697887766554433aabb", UUID_A "0",
		"arn:aws:acm:eu-west-1:11112222333:certificate/" UUID_A,
		"arn:aws:iam:eu-west-1:111122223333:certificate/" UUID_A,
		"arn:amz:acm:eu-west-1:111122223333:certificate/" UUID_A,
		"arn:aws:acm:eu-west-1:111122223333:cert/" UUID_A,
		"arn:aws:acm:eu-west-1:111122223333:certificate/" UUID_A ":x",
		"arn:aws:acm:west:111122223333:certificate/" UUID_A, NULL
	};
	char *err;
	int i;

	/* a UUID matches that UUID, bare or at the end of any ARN */
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_CERT, UUID_A, &err));
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT,
	    "0F1E2D3C-4B5A-4697-8877-66554433AABB"), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT,
	    ARN("us-east-1", "444455556666", UUID_A)), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT, UUID_B),
	    0);

	/* an ARN matches itself, or the bare UUID of a legacy mail */
	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_CERT,
	    ARN("eu-west-1", "111122223333", UUID_B), &err));
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT,
	    ARN("eu-west-1", "111122223333", UUID_B)), 1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT, UUID_B),
	    1);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT,
	    ARN("eu-west-2", "111122223333", UUID_B)), 0);
	assert_int_equal(acm_policy_allows(f->pol, ACM_EXPECT_CERT,
	    ARN("eu-west-1", "444455556666", UUID_B)), 0);
	for (i = 0; bad[i]; i++) {
		err = NULL;
		if (acm_policy_expect(f->pol, ACM_EXPECT_CERT, bad[i], &err))
			fail_msg("certificate '%s' taken", bad[i]);
		K(err);
	}
}

static void
test_times(void **state)
{
	static const struct {
		const char	*in;
		int64_t		 t;	/* -1: refused */
	} t[] = {
		{ "2017-05-10T00:00:00Z", 1494374400 },
		{ "2017-05-10t00:00:00z", 1494374400 },
		{ "2017-05-10T02:00:00+02:00", 1494374400 },
		{ "2017-05-09T19:30:00-04:30", 1494374400 },
		{ "2017-05-10T00:00:00.999Z", 1494374400 },
		{ ACM_TEMPLATE_CUTOFF, ACM_TEMPLATE_CUTOFF_T },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2017-05-10", -1 }, { "2017-05-10T00:00:00", -1 },
		{ "2017-05-10 00:00:00Z", -1 }, { "2017-05-10T00:00Z", -1 },
		{ "2017-05-10T00:00:00+0200", -1 },
		{ "2017-05-10T00:00:00.Z", -1 },
		{ "2017-13-10T00:00:00Z", -1 }, { "2017-02-30T00:00:00Z", -1 },
		{ "2017-05-10T25:00:00Z", -1 },
		{ "2017-05-10T00:00:00Zjunk", -1 },
		{ "", -1 }, { "now", -1 },
	};
	size_t i;
	int64_t v;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		v = -2;
		if (acm_time_parse(t[i].in, &v) != (t[i].t != -1) ||
		    (t[i].t != -1 && v != t[i].t))
			fail_msg("'%s': got %lld", t[i].in, (long long)v);
	}
	assert_false(acm_time_parse(NULL, &v));
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_every_keyword),
		T(test_errors_name_the_line),
		T(test_errors_are_printable),
		T(test_lines_before_an_error_stay),
		T(test_load),
		T(test_max_age),
		T(test_accounts),
		T(test_domains),
		T(test_regions),
		T(test_certificates),
		T(test_times),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
