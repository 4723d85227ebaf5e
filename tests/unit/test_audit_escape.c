/*
 * test_audit_escape.c - acmaudit's escaping for each output format,
 * terminal widths, the severity of each reason code, and the small
 * helpers the report writers share (audit_escape.c, audit_sev.c,
 * audit_util.c).
 */
#include "unit.h"
#include "audit_report.h"

/* F(S), compared with WANT, then freed. */
static void
expect(char *(*f)(const char *), const char *s, const char *want)
{
	char *got = f(s);

	assert_string_equal(got, want);
	g_free(got);
}

static void
test_csv_formulas(void **state)
{
	(void)state;
	expect(audit_csv_cell, "=1+1", "'=1+1");
	expect(audit_csv_cell, "+1-2@example.com", "'+1-2@example.com");
	expect(audit_csv_cell, "-2", "'-2");
	expect(audit_csv_cell, "@SUM(A1)", "'@SUM(A1)");
	expect(audit_csv_cell, "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0");
	/* a tab or CR first is escaped, so it cannot start a formula */
	expect(audit_csv_cell, "\t=1", "\\t=1");
	expect(audit_csv_cell, "\r=1", "\\r=1");
	/* only the first character counts */
	expect(audit_csv_cell, "a=1", "a=1");
	expect(audit_csv_cell, "2024-06-05", "2024-06-05");
}

static void
test_csv_quoting(void **state)
{
	(void)state;
	expect(audit_csv_cell, "plain", "plain");
	expect(audit_csv_cell, "", "");
	expect(audit_csv_cell, NULL, "");
	expect(audit_csv_cell, "a,b", "\"a,b\"");
	expect(audit_csv_cell, "say \"hi\", then", "\"say \"\"hi\"\", then\"");
	expect(audit_csv_cell, "=a,b", "\"'=a,b\"");
	/* line ends never reach a cell raw: no quoting needed for them */
	expect(audit_csv_cell, "a\nb", "a\\nb");
	expect(audit_csv_cell, "\x1b[31mred", "\\x1b[31mred");
}

static void
test_html(void **state)
{
	(void)state;
	expect(audit_html, "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect(audit_html, "a & b \"c\" 'd'",
	    "a &amp; b &quot;c&quot; &#39;d&#39;");
	expect(audit_html, "\x1b[2J\xe2\x80\xae", "\\x1b[2J\\u202e");
	expect(audit_html, "caf\xc3\xa9", "caf\xc3\xa9");
	expect(audit_html, NULL, "");
}

static void
test_markdown(void **state)
{
	(void)state;
	expect(audit_md, "a|b", "a\\|b");
	expect(audit_md, "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;");
	expect(audit_md, "*x* _y_ `z` [l](u)", "\\*x\\* \\_y\\_ \\`z\\` "
	    "\\[l\\](u)");
	/* no automatic links */
	expect(audit_md, "https://example.org/x", "https\\://example.org/x");
	expect(audit_md, "www.example.com", "www\\.example.com");
	expect(audit_md, "WWW.example.com", "WWW\\.example.com");
	expect(audit_md, "admin@example.com", "admin\\@example.com");
	/* safe_string's own backslash is escaped again, so it shows */
	expect(audit_md, "a\\b", "a\\\\\\\\b");
	expect(audit_md, "\x1b[31m", "\\\\x1b\\[31m");
	expect(audit_md, "a.b $x$ ~y~", "a.b \\$x\\$ \\~y\\~");
	/* a colon alone links nothing */
	expect(audit_md, "arn:aws:acm", "arn:aws:acm");
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(audit_width(""), 0);
	assert_int_equal(audit_width("abc"), 3);
	assert_int_equal(audit_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	assert_int_equal(audit_width("e\xcc\x81"), 1);
	assert_int_equal(audit_width("caf\xc3\xa9"), 4);
}

static void
test_severities(void **state)
{
	int c;

	(void)state;
	assert_int_equal(audit_code_sev("link-host"), AUDIT_HIGH);
	assert_int_equal(audit_code_sev("link-text"), AUDIT_HIGH);
	assert_int_equal(audit_code_sev("account-unexpected"), AUDIT_HIGH);
	assert_int_equal(audit_code_sev("sender"), AUDIT_MEDIUM);
	assert_int_equal(audit_code_sev("domain-unexpected"), AUDIT_MEDIUM);
	assert_int_equal(audit_code_sev("truncated"), AUDIT_MEDIUM);
	assert_int_equal(audit_code_sev("dkim-fail"), AUDIT_HIGH);
	assert_int_equal(audit_code_sev("dkim-missing"), AUDIT_MEDIUM);
	assert_int_equal(audit_code_sev("sns-signature-unverified"),
	    AUDIT_MEDIUM);
	assert_int_equal(audit_code_sev("expired"), AUDIT_LOW);
	assert_int_equal(audit_code_sev("copy"), AUDIT_LOW);
	/* unknown codes are taken seriously */
	assert_int_equal(audit_code_sev("no-such-code"), AUDIT_HIGH);

	/* every code of the checks has a decided severity */
	for (c = 0; c < ACM_R_COUNT; c++) {
		const char *name = acm_reason_name(c);

		assert_non_null(name);
		if (strcmp(name, "link-host") != 0 &&
		    strcmp(name, "link-scheme") != 0 &&
		    strcmp(name, "link-text") != 0 &&
		    strcmp(name, "account-inconsistent") != 0 &&
		    strcmp(name, "region-inconsistent") != 0 &&
		    strcmp(name, "account-unexpected") != 0 &&
		    strcmp(name, "dkim-fail") != 0 &&
		    strcmp(name, "sns-signature-fail") != 0)
			assert_int_not_equal(audit_code_sev(name),
			    AUDIT_HIGH);
	}
}

static void
test_sev_names(void **state)
{
	int s;

	(void)state;
	for (s = AUDIT_INFO; s <= AUDIT_NEVER; s++)
		assert_int_equal(audit_sev_parse(audit_sev_name(s)), s);
	assert_int_equal(audit_sev_parse("none"), AUDIT_NEVER);
	assert_int_equal(audit_sev_parse("HIGH"), -1);
	assert_int_equal(audit_sev_parse("severe"), -1);
}

static void
test_age_and_ses(void **state)
{
	char *s;

	(void)state;
	s = audit_age(72 * 3600);
	assert_string_equal(s, "72h");
	g_free(s);
	s = audit_age(30 * 86400);
	assert_string_equal(s, "30d");
	g_free(s);
	s = audit_age(120);
	assert_string_equal(s, "2m");
	g_free(s);
	s = audit_age(90);
	assert_string_equal(s, "90s");
	g_free(s);
	s = audit_age(0);
	assert_string_equal(s, "none");
	g_free(s);
	s = audit_ses_names(ACM_SES_DEFAULT);
	assert_string_equal(s, "spf dkim spam virus");
	g_free(s);
	s = audit_ses_names(0);
	assert_string_equal(s, "");
	g_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_severities),
		cmocka_unit_test(test_sev_names),
		cmocka_unit_test(test_age_and_ses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
