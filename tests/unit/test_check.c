/*
 * test_check.c - check*.c and annotate.c: records in, findings out.
 *
 * The records are built as JSON, the way acmaudit reads them back, and
 * one field at a time is changed; a last test takes a record straight
 * from the scanner.  Then the filter mode: header insertion and the
 * whole of acm_annotate.
 */
#include "unit.h"
#include "acmcheck.h"

#define NOW		INT64_C(1717632000)	/* 2024-06-06T00:00:00Z */
#define SENT		INT64_C(1717578423)	/* 2024-06-05T09:07:03Z */
#define SENT_2019	"2019-03-04T10:20:30Z"

#define GENUINE_JSON							\
	"{\"template\": \"current\", \"domain\": \"" UNIT_DOMAIN "\","	\
	" \"requested_domain\": \"" UNIT_DOMAIN "\","			\
	" \"account_id\": \"" UNIT_ACCOUNT "\","			\
	" \"region\": \"" UNIT_REGION "\","				\
	" \"certificate_id\": \"" UNIT_CERT_ID "\","			\
	" \"certificate_arn\": \"" UNIT_ARN "\","			\
	" \"approval_url\": \"" UNIT_URL "\","				\
	" \"approval_host\": \"" UNIT_HOST "\","			\
	" \"code\": \"" UNIT_CODE "\", \"context\": \"" UNIT_CONTEXT "\"," \
	" \"subject\": \"Certificate request for " UNIT_DOMAIN "\","	\
	" \"from\": \"Amazon Certificates "				\
	"<no-reply@certificates.amazon.com>\","				\
	" \"to\": [\"admin@example.com\"],"				\
	" \"date\": \"2024-06-05T09:07:03Z\","				\
	" \"message_id\": \"0100018f-unit@email.amazonses.com\","	\
	" \"expires\": \"2024-06-08T09:07:03Z\", \"ses\": null,"	\
	" \"sns\": null, \"source\": {\"path\": \"unit\","		\
	" \"entry\": null, \"index\": 0, \"offset\": 0,"		\
	" \"layers\": [\"mbox\"]}, \"copy\": false,"			\
	" \"sha256\": \"00\", \"warnings\": [],"			\
	" \"links\": [{\"href\": \"" UNIT_URL "\", \"text\": null,"	\
	" \"part\": \"text/plain\"}],"					\
	" \"return_path\": \"<0100018f-unit@amazonses.com>\"}"

struct fixture {
	struct capture		 cap;
	struct acm_policy	*pol;
	json_t			*rec;
};

static int
setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	json_error_t e;

	unit_capture_init(&f->cap);
	f->pol = acm_policy_new();
	f->rec = json_loads(GENUINE_JSON, 0, &e);
	if (f->rec == NULL)
		fail_msg("GENUINE_JSON: %s", e.text);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	json_decref(f->rec);
	acm_policy_free(f->pol);
	unit_capture_free(&f->cap);
	g_free(f);
	return 0;
}

#define K(s)	unit_keep(&f->cap, (s))

static json_t *
kept_json(struct fixture *f, json_t *j)
{
	return unit_own(&f->cap, j, (GDestroyNotify)json_decref);
}

/* Every finding has the documented shape. */
static void
assert_shape(json_t *findings)
{
	json_t *v;
	size_t i;

	assert_true(json_is_array(findings));
	json_array_foreach(findings, i, v) {
		const char *sev = json_string_value(json_object_get(v,
		    "severity"));
		const char *msg = json_string_value(json_object_get(v,
		    "message"));
		json_t *e = json_object_get(v, "expected");
		json_t *fd = json_object_get(v, "found");

		assert_int_equal(json_object_size(v), 5);
		assert_true(acm_reason_parse(json_string_value(
		    json_object_get(v, "code"))) >= 0);
		assert_true(g_strcmp0(sev, "fail") == 0 ||
		    g_strcmp0(sev, "note") == 0);
		assert_non_null(msg);
		assert_true(strlen(msg) > 10 && strlen(msg) < 2000);
		assert_true(json_is_string(e) || json_is_null(e));
		assert_true(json_is_string(fd) || json_is_null(fd));
	}
}

/* The codes of SEVERITY findings, in order, joined with ','. */
static const char *
codes_of(struct fixture *f, json_t *findings, const char *severity)
{
	GString *s = g_string_new(NULL);
	json_t *v;
	size_t i;

	json_array_foreach(findings, i, v) {
		const char *c = json_string_value(json_object_get(v, "code"));

		if (strcmp(json_string_value(json_object_get(v, "severity")),
		    severity) != 0)
			continue;
		if (s->len > 0 && g_str_has_suffix(s->str, c))
			continue;
		g_string_append_printf(s, "%s%s", s->len ? "," : "", c);
	}
	return K(g_string_free(s, FALSE));
}

static json_t *
check(struct fixture *f, int64_t now)
{
	json_t *r = kept_json(f, acm_check(f->pol, f->rec, now));

	assert_shape(r);
	assert_int_equal(acm_findings_pass(r), strcmp(codes_of(f, r,
	    "fail"), "") == 0);
	return r;
}

/* The failed codes at NOW, "" when the record passes. */
static const char *
fails(struct fixture *f)
{
	return codes_of(f, check(f, NOW), "fail");
}

/* The first finding with CODE, or a test failure. */
static json_t *
finding(struct fixture *f, json_t *r, const char *code)
{
	json_t *v;
	size_t i;

	(void)f;
	json_array_foreach(r, i, v)
		if (strcmp(json_string_value(json_object_get(v, "code")),
		    code) == 0)
			return v;
	fail_msg("no %s finding", code);
	return NULL;
}

static const char *
jfield(json_t *v, const char *key)
{
	return json_string_value(json_object_get(v, key));
}

static void
set(struct fixture *f, const char *key, const char *value)
{
	json_object_set_new(f->rec, key, value ? json_string(value) :
	    json_null());
}

/* Make URL the approval link and the only link. */
static void
set_link(struct fixture *f, const char *url)
{
	set(f, "approval_url", url);
	json_object_set_new(f->rec, "links", json_pack("[{s:s, s:n, s:s}]",
	    "href", url, "text", "part", "text/plain"));
}

static void
add_link(struct fixture *f, const char *href, const char *text,
    const char *part)
{
	json_array_append_new(json_object_get(f->rec, "links"),
	    json_pack("{s:s, s:s?, s:s}", "href", href, "text", text, "part",
	    part));
}

static void
test_reason_names(void **state)
{
	static const char *const names[] = {
		"link-host", "link-scheme", "link-text", "account-inconsistent",
		"region-inconsistent", "sender", "ses-verdict", "expired",
		"account-unexpected", "domain-unexpected", "region-unexpected",
		"certificate-unexpected", "legacy-template", "missing-field",
		"copy", "truncated", "dkim-fail", "dkim-missing", "dkim-no-key",
		"sns-signature-fail", "sns-signature-unverified"
	};
	int i;

	(void)state;
	assert_int_equal(G_N_ELEMENTS(names), ACM_R_COUNT);
	for (i = 0; i < ACM_R_COUNT; i++) {
		assert_string_equal(acm_reason_name(i), names[i]);
		assert_int_equal(acm_reason_parse(names[i]), i);
	}
	assert_null(acm_reason_name(ACM_R_COUNT));
	assert_int_equal(acm_reason_parse("Link-Host"), -1);
	assert_int_equal(acm_reason_parse(""), -1);
	assert_int_equal(acm_reason_parse(NULL), -1);
}

static void
test_genuine(void **state)
{
	struct fixture *f = *state;
	json_t *r = check(f, NOW);

	assert_int_equal(json_array_size(r), 0);
	assert_true(acm_findings_pass(r));
}

#define HOST_URL(h)	"https://" h "/approvals?code=" UNIT_CODE
#define HOST_GOOD(h)	HOST_URL(h), NULL, ""

static void
test_link_hosts(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char	*url;
		const char	*date;	/* NULL: 2024 */
		const char	*want;
	} t[] = {
		{ HOST_GOOD(UNIT_HOST) },
		{ HOST_GOOD("EU-CENTRAL-2.ACM-Certificates.Amazon.COM") },
		{ HOST_GOOD(UNIT_HOST ".") },
		{ "HTTPS://" UNIT_HOST "/approvals?code=x", NULL, "" },
		{ HOST_URL(UNIT_HOST ".example.net"), NULL, "link-host" },
		{ HOST_URL(UNIT_HOST "@evil.example.org"), NULL, "link-host" },
		{ "https://evil.example.org@" UNIT_HOST "/approvals?code=x",
		    NULL,
		    "link-host" },
		{ "https://evil.example.org/approvals#@" UNIT_HOST, NULL,
		    "link-host" },
		{ "https://" UNIT_HOST "/approvals#@evil.example.org", NULL,
		    "link-host" },
		{ "https://" UNIT_HOST ":443/approvals?code=x", NULL,
		    "link-host" },
		{ HOST_URL("login.example.com/" UNIT_HOST), NULL, "link-host" },
		{ HOST_URL("eu-central-2.acm-certificates.amazon%2ecom"), NULL,
		    "link-host" },
		{ "https://eu-central-2.acm-certificates.amazon.com"
		    "\\@evil.test/"
		    "approvals", NULL, "link-host" },
		{ HOST_URL("eu-central-2.acm-certificates.xn--amazn-mua.com"),
		    NULL, "link-host" },
		{ HOST_URL("xn--eu-central-2-abc.acm-certificates.amazon.com"),
		    NULL, "link-host" },
		{ HOST_URL("eu-central-2.acm-certificates.\xd0\xb0mazon.com"),
		    NULL, "link-host" },
		{ HOST_URL("eu-central-2.acm-certificates.amazon.com.."), NULL,
		    "link-host" },
		{ HOST_URL("eu-central-2..acm-certificates.amazon.com"), NULL,
		    "link-host" },
		{ HOST_URL("a.eu-central-2.acm-certificates.amazon.com"), NULL,
		    "link-host" },
		{ HOST_URL("acm-certificates.amazon.com"), NULL, "link-host" },
		{ HOST_URL("eu-central.acm-certificates.amazon.com"), NULL,
		    "link-host" },
		{ HOST_URL("192.0.2.7"), NULL, "link-host" },
		{ HOST_URL("[2001:db8::1]"), NULL, "link-host" },
		{ "https:///approvals?code=x", NULL, "link-host" },
		{ "/approvals?code=x", NULL, "link-host" },
		{ "javascript:alert(1)", NULL, "link-host" },
		{ "http://" UNIT_HOST "/approvals?code=x", NULL,
		    "link-scheme" },
		{ "ftp://" UNIT_HOST "/approvals?code=x", NULL, "link-scheme" },
		/* China: the partition decides the suffix */
		{ HOST_URL("eu-central-2.acm-certificates.amazonaws.cn"), NULL,
		    "link-host" },
		/* the legacy hosts: before the cut-off only */
		{ HOST_URL("eu-central-2.certificates.amazon.com"), NULL,
		    "link-host" },
		{ HOST_URL("eu-central-2.certificates.amazon.com"), SENT_2019,
		    "" },
		{ HOST_URL("certificates.amazon.com"), SENT_2019, "" },
		{ HOST_URL("certificates.amazon.com"), "2020-10-31T23:59:59Z",
		    "" },
		{ HOST_URL("certificates.amazon.com"), ACM_TEMPLATE_CUTOFF,
		    "link-host" },
		{ HOST_URL("cn-north-1.certificates.amazon.com"), SENT_2019,
		    "link-host" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		const char *got, *want = t[i].want;

		set_link(f, t[i].url);
		set(f, "date", t[i].date ? t[i].date : "2024-06-05T09:07:03Z");
		got = codes_of(f, check(f, t[i].date ? INT64_C(1551700000) :
		    NOW), "fail");
		if (strcmp(got, want) != 0)
			fail_msg("%s (%s): want '%s', got '%s'", t[i].url,
			    t[i].date ? t[i].date : "2024", want, got);
	}
}

static void
test_link_host_sentence(void **state)
{
	struct fixture *f = *state;
	json_t *v;

	set_link(f, HOST_URL(UNIT_HOST ".example.net"));
	v = finding(f, check(f, NOW), "link-host");
	assert_string_equal(jfield(v, "expected"), UNIT_HOST);
	assert_string_equal(jfield(v, "found"), UNIT_HOST ".example.net");
	assert_non_null(strstr(jfield(v, "message"), "'" UNIT_HOST
	    ".example.net'"));

	/* mail text in a sentence is cut short */
	set_link(f, K(g_strconcat("https://", K(g_strnfill(2000, 'a')),
	    ".example/approvals?code=x", NULL)));
	v = finding(f, check(f, NOW), "link-host");
	assert_true(strlen(jfield(v, "message")) < 400);
	assert_non_null(strstr(jfield(v, "message"), "...'"));
}

/* Every link of the record counts, not only approval_url. */
static void
test_every_link(void **state)
{
	struct fixture *f = *state;

	add_link(f, "https://evil.example.org/approvals?code=x",
	    "Amazon Certificate Approvals", "text/html");
	assert_string_equal(fails(f), "link-host,link-text");
	json_object_set_new(f->rec, "links", json_array());
	add_link(f, "http://" UNIT_HOST "/approvals?code=x", NULL,
	    "text/html");
	assert_string_equal(fails(f), "link-scheme");
	/* a record without links (older JSON) is checked on approval_url */
	json_object_del(f->rec, "links");
	assert_string_equal(fails(f), "");
}

static void
test_link_text_anchor(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char	*shown;
		const char	*want;
	} t[] = {
		{ "Amazon Certificate Approvals", "" },
		{ UNIT_URL, "" },
		{ "go to " UNIT_HOST " now", "" },
		{ "(" UNIT_HOST ".)", "" },
		{ "version 1.5 of e.g. this", "" },
		{ "https://evil.example.org/approvals", "link-text" },
		{ "http://" UNIT_HOST "/approvals", "link-text" },
		{ "www.example.com", "link-text" },
		{ UNIT_HOST ".example.net/approvals", "link-text" },
		{ "eu-central-2.acm-certificates.\xd0\xb0mazon.com",
		    "link-text" },
		{ "https://eu-central-2.acm-certificates.\xd0\xb0mazon.com/x",
		    "link-text" },
		{ "https://us-east-1.acm-certificates.amazon.com/approvals",
		    "link-text" },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		const char *got;

		set_link(f, UNIT_URL);
		add_link(f, UNIT_URL, t[i].shown, "text/html");
		got = fails(f);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("shown '%s': want '%s', got '%s'", t[i].shown,
			    t[i].want, got);
	}
}

/*
 * The plain-text and HTML links must lead to one host, unless both are
 * ACM's for one region (the sanitised 2017 mail); that is a note.
 */
static void
test_link_text_parts(void **state)
{
	struct fixture *f = *state;
	json_t *r, *v;

	add_link(f, HOST_URL("eu-west-1.acm-certificates.amazon.com"),
	    "Amazon Certificate Approvals", "text/html");
	assert_string_equal(fails(f), "link-text,region-inconsistent");

	set(f, "template", "legacy");
	set(f, "certificate_arn", NULL);
	set(f, "date", SENT_2019);
	set_link(f, UNIT_URL);
	add_link(f, HOST_URL("eu-central-2.certificates.amazon.com"),
	    "Amazon Certificate Approvals", "text/html");
	r = check(f, INT64_C(1551700000));
	assert_string_equal(codes_of(f, r, "fail"), "");
	assert_string_equal(codes_of(f, r, "note"), "link-text");
	v = finding(f, r, "link-text");
	assert_string_equal(jfield(v, "expected"), UNIT_HOST);
	assert_string_equal(jfield(v, "found"),
	    "eu-central-2.certificates.amazon.com");
	assert_non_null(strstr(jfield(v, "message"), "eu-central-2"));

	/* the same pair in a 2024 mail: the legacy host no longer counts */
	set(f, "date", "2024-06-05T09:07:03Z");
	assert_string_equal(fails(f), "link-host,link-text,legacy-template");

	/* the bare legacy host names no region to agree on */
	set(f, "date", SENT_2019);
	set_link(f, UNIT_URL);
	add_link(f, HOST_URL("certificates.amazon.com"), NULL, "text/html");
	assert_string_equal(codes_of(f, check(f, INT64_C(1551700000)),
	    "fail"), "link-text");
}

static void
test_consistency(void **state)
{
	struct fixture *f = *state;
	json_t *v;

	set(f, "certificate_arn", "arn:aws:acm:" UNIT_REGION
	    ":444455556666:certificate/" UNIT_CERT_ID);
	v = finding(f, check(f, NOW), "account-inconsistent");
	assert_string_equal(fails(f), "account-inconsistent");
	assert_string_equal(jfield(v, "expected"), "444455556666");
	assert_string_equal(jfield(v, "found"), UNIT_ACCOUNT);

	set(f, "certificate_arn", "arn:aws:acm:us-east-1:" UNIT_ACCOUNT
	    ":certificate/" UNIT_CERT_ID);
	assert_string_equal(fails(f), "region-inconsistent");
	set(f, "certificate_arn", UNIT_ARN);
	set(f, "region", "us-east-1");
	assert_string_equal(fails(f), "region-inconsistent");
	set(f, "region", UNIT_REGION);
	set_link(f, HOST_URL("us-east-1.acm-certificates.amazon.com"));
	v = finding(f, check(f, NOW), "region-inconsistent");
	assert_string_equal(fails(f), "region-inconsistent");
	assert_string_equal(jfield(v, "expected"), UNIT_REGION);
	assert_non_null(strstr(jfield(v, "message"),
	    "'us-east-1.acm-certificates.amazon.com' says 'us-east-1'"));

	/* a link host that failed gives no region to disagree with */
	set_link(f, HOST_URL("us-east-1.acm-certificates.amazon.com.evil"));
	assert_string_equal(fails(f), "link-host");
}

static void
test_sender(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char	*from;
		const char	*rp;
		bool		 ok;
	} t[] = {
		{ "Amazon Certificates <no-reply@certificates.amazon.com>",
		    "<x@amazonses.com>", true },
		{ "no-reply@certificates.amazon.com", "<x@amazonses.com>",
		    true },
		{ "NO-REPLY@Certificates.Amazon.COM", "x@AmazonSES.com", true },
		{ "Anyone <x@eu.certificates.amazon.com>",
		    "<x@bounces.certificates.amazon.com>", true },
		{ "A <no-reply@certificates.amazon.com>",
		    "<x@eu-west-1.amazonses.com>", true },
		{ "Amazon <no-reply@certificates.amazon.com.evil.example>",
		    "<x@amazonses.com>", false },
		{ "\"no-reply@certificates.amazon.com\" <a@evil.example>",
		    "<x@amazonses.com>", false },
		{ "a@evil.example (no-reply@certificates.amazon.com)",
		    "<x@amazonses.com>", false },
		{ "no-reply@certificates.amazon.com, a@evil.example",
		    "<x@amazonses.com>", false },
		{ "g: no-reply@certificates.amazon.com;", "<x@amazonses.com>",
		    false },
		{ "no-reply@xcertificates.amazon.com", "<x@amazonses.com>",
		    false },
		{ "no-reply@certificates.amazon.com.", "<x@amazonses.com>",
		    true },
		{ "no-reply@certificates.xn--amazn-mua.com",
		    "<x@amazonses.com>", false },
		{ "Amazon Web Services", "<x@amazonses.com>", false },
		{ NULL, "<x@amazonses.com>", false },
		{ "no-reply@certificates.amazon.com", "<>", false },
		{ "no-reply@certificates.amazon.com", NULL, false },
		{ "no-reply@certificates.amazon.com",
		    "<x@amazonses.com.evil.example>", false },
		{ "no-reply@certificates.amazon.com", "<x@xamazonses.com>",
		    false },
		{ "no-reply@certificates.amazon.com", "<x@amazon.co>", false },
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		const char *got;

		set(f, "from", t[i].from);
		set(f, "return_path", t[i].rp);
		got = fails(f);
		if (strcmp(got, t[i].ok ? "" : "sender") != 0)
			fail_msg("From %s, Return-Path %s: got '%s'",
			    t[i].from ? t[i].from : "(null)",
			    t[i].rp ? t[i].rp : "(null)", got);
	}
}

static void
test_ses(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	json_object_set_new(f->rec, "ses", json_pack("{s:s, s:s, s:n, s:s, "
	    "s:s, s:s}", "spf", "PASS", "dkim", "pass", "dmarc", "spam",
	    "PASS", "virus", "PASS", "source", "receipt"));
	assert_string_equal(fails(f), "");
	acm_policy_require_ses(f->pol, ACM_SES_DEFAULT);
	assert_string_equal(fails(f), "");
	acm_policy_require_ses(f->pol, ACM_SES_DMARC);
	assert_string_equal(fails(f), "ses-verdict");

	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	json_object_set_new(json_object_get(f->rec, "ses"), "dkim",
	    json_string("GRAY"));
	r = check(f, NOW);
	assert_string_equal(codes_of(f, r, "fail"), "ses-verdict");
	assert_string_equal(jfield(finding(f, r, "ses-verdict"), "found"),
	    "GRAY");
	json_object_set_new(json_object_get(f->rec, "ses"), "dkim",
	    json_string("PROCESSING_FAILED"));
	assert_string_equal(fails(f), "ses-verdict");
	json_object_set_new(json_object_get(f->rec, "ses"), "dkim",
	    json_string("FAIL"));
	assert_string_equal(fails(f), "ses-verdict");

	/* DISABLED: no verdict at all; a note unless required */
	json_object_set_new(json_object_get(f->rec, "ses"), "dkim",
	    json_string("DISABLED"));
	r = check(f, NOW);
	assert_string_equal(codes_of(f, r, "fail"), "");
	assert_string_equal(codes_of(f, r, "note"), "ses-verdict");
	acm_policy_require_ses(f->pol, ACM_SES_DKIM);
	assert_string_equal(fails(f), "ses-verdict");

	/* no SES verdicts at all */
	json_object_set_new(f->rec, "ses", json_null());
	assert_string_equal(fails(f), "ses-verdict");
	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	assert_string_equal(fails(f), "");
}

/* A dkim entry as acmextract --dkim-keys writes it. */
static json_t *
sig_entry(const char *d, const char *result, const char *reason)
{
	return json_pack("{s:s, s:s, s:s, s:s?, s:b}", "d", d, "s", "sel",
	    "result", result, "reason", reason, "aligned", 0);
}

static void
test_dkim(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;
	json_t *d, *r;

	/* not required: whatever the record says, nothing fails */
	json_object_set_new(f->rec, "dkim", json_pack("[o]", sig_entry(
	    "certificates.amazon.com", "fail", "body hash mismatch")));
	assert_string_equal(fails(f), "");

	assert_true(acm_policy_require_dkim(f->pol, NULL, &err));
	r = check(f, NOW);
	assert_string_equal(codes_of(f, r, "fail"), "dkim-fail");
	assert_non_null(strstr(jfield(finding(f, r, "dkim-fail"), "message"),
	    "body hash mismatch"));

	/* one pass by the required domain is enough */
	d = json_object_get(f->rec, "dkim");
	json_array_append_new(d, sig_entry("certificates.amazon.com", "pass",
	    NULL));
	assert_string_equal(fails(f), "");

	/* another domain's pass does not count */
	json_object_set_new(f->rec, "dkim", json_pack("[o, o]", sig_entry(
	    "amazonses.com", "pass", NULL), sig_entry(
	    "certificates.amazon.com", "no-key", "no pinned key")));
	assert_string_equal(fails(f), "dkim-no-key");
	json_object_set_new(f->rec, "dkim", json_pack("[o]", sig_entry(
	    "amazonses.com", "pass", NULL)));
	r = check(f, NOW);
	assert_string_equal(codes_of(f, r, "fail"), "dkim-missing");
	assert_non_null(strstr(jfield(finding(f, r, "dkim-missing"),
	    "message"), "signed by 'amazonses.com'"));
	json_object_set_new(f->rec, "dkim", json_array());
	assert_string_equal(fails(f), "dkim-missing");
	json_object_set_new(f->rec, "dkim", json_pack("[o]", sig_entry(
	    "certificates.amazon.com", "unsupported", "algorithm")));
	assert_string_equal(fails(f), "dkim-missing");
	/* not checked at all */
	json_object_set_new(f->rec, "dkim", json_null());
	assert_string_equal(fails(f), "dkim-no-key");

	/* a domain the policy names instead */
	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	assert_true(acm_policy_require_dkim(f->pol, "AmazonSES.com.", &err));
	json_object_set_new(f->rec, "dkim", json_pack("[o]", sig_entry(
	    "amazonses.com", "pass", NULL)));
	assert_string_equal(fails(f), "");
}

static void
test_sns_signature(void **state)
{
	static const struct {
		const char	*sig;
		const char	*code;
	} t[] = {
		{ "pass", "" },
		{ "fail", "sns-signature-fail" },
		{ "bad-cert-url", "sns-signature-fail" },
		{ "no-cert", "sns-signature-unverified" },
		{ "unsupported-version", "sns-signature-unverified" },
		{ NULL, "sns-signature-unverified" },
	};
	struct fixture *f = *state;
	size_t i;

	assert_string_equal(fails(f), "");
	acm_policy_require_sns_signature(f->pol);
	assert_string_equal(fails(f), "sns-signature-unverified");
	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		json_object_set_new(f->rec, "sns", json_pack("{s:s, s:s?}",
		    "signing_cert_url", "https://sns.eu-west-1.amazonaws.com/"
		    "SimpleNotificationService-0.pem", "signature", t[i].sig));
		if (strcmp(fails(f), t[i].code) != 0)
			fail_msg("signature %s: got '%s'", t[i].sig ?
			    t[i].sig : "null", fails(f));
	}
	acm_policy_free(f->pol);
	f->pol = acm_policy_new();
	assert_string_equal(fails(f), "");
}

static void
test_expired(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;
	json_t *v;

	assert_string_equal(codes_of(f, check(f, SENT + 72 * 3600), "fail"),
	    "");
	v = finding(f, check(f, SENT + 72 * 3600 + 1), "expired");
	assert_string_equal(jfield(v, "found"), "2024-06-05T09:07:03Z");
	assert_string_equal(jfield(v, "expected"),
	    "dated 2024-06-05T09:07:04Z or later");
	assert_non_null(strstr(jfield(v, "message"), "72h00m"));
	/* mail from the future is not expired */
	assert_string_equal(codes_of(f, check(f, SENT - 86400), "fail"), "");

	assert_true(acm_policy_set_max_age(f->pol, "none", &err));
	assert_string_equal(codes_of(f, check(f, SENT + 86400 * 3650),
	    "fail"), "");
	assert_true(acm_policy_set_max_age(f->pol, "10m", &err));
	assert_string_equal(codes_of(f, check(f, SENT + 601), "fail"),
	    "expired");

	set(f, "date", "yesterday");
	assert_string_equal(fails(f), "missing-field");
}

static void
test_expectations(void **state)
{
	struct fixture *f = *state;
	char *err = NULL;
	json_t *v;

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_ACCOUNT,
	    "444455556666", &err));
	v = finding(f, check(f, NOW), "account-unexpected");
	assert_string_equal(jfield(v, "expected"), "444455556666");
	assert_string_equal(jfield(v, "found"), UNIT_ACCOUNT);
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_ACCOUNT,
	    UNIT_ACCOUNT, &err));
	assert_string_equal(fails(f), "");

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN,
	    "example.com", &err));
	assert_string_equal(fails(f), "domain-unexpected");
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_DOMAIN,
	    "*.example.com", &err));
	assert_string_equal(fails(f), "");
	set(f, "domain", "*.example.com");
	assert_string_equal(fails(f), "");
	set(f, "domain", "wwwexample.com");
	assert_string_equal(fails(f), "domain-unexpected");
	set(f, "domain", UNIT_DOMAIN);

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_REGION, "us-east-1",
	    &err));
	assert_string_equal(fails(f), "region-unexpected");
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_REGION, UNIT_REGION,
	    &err));
	assert_string_equal(fails(f), "");

	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_CERT, "arn:aws:acm:"
	    "us-east-1:" UNIT_ACCOUNT ":certificate/" UNIT_CERT_ID, &err));
	assert_string_equal(fails(f), "certificate-unexpected");
	assert_true(acm_policy_expect(f->pol, ACM_EXPECT_CERT, UNIT_CERT_ID,
	    &err));
	assert_string_equal(fails(f), "");

	/* an absent field is missing-field, not also unexpected */
	set(f, "account_id", NULL);
	assert_string_equal(fails(f), "missing-field");
}

static void
test_legacy_template(void **state)
{
	struct fixture *f = *state;

	set(f, "template", "legacy");
	set(f, "certificate_arn", NULL);
	assert_string_equal(fails(f), "legacy-template");
	set(f, "date", "2020-10-31T23:59:59Z");
	assert_string_equal(codes_of(f, check(f, INT64_C(1604188000)),
	    "fail"), "");
	set(f, "date", ACM_TEMPLATE_CUTOFF);
	assert_string_equal(codes_of(f, check(f, INT64_C(1604189000)),
	    "fail"), "legacy-template");
	set(f, "date", NULL);
	assert_string_equal(fails(f), "legacy-template,missing-field");
}

static void
test_missing_fields(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = {
		"template", "approval_url", "domain", "account_id", "region",
		"certificate_id", "date", NULL
	};
	json_t *v;
	int i;

	for (i = 0; keys[i]; i++) {
		json_t *keep = json_deep_copy(f->rec);

		json_object_del(f->rec, keys[i]);
		if (strcmp(keys[i], "approval_url") == 0)
			json_object_set_new(f->rec, "links", json_array());
		v = finding(f, check(f, NOW), "missing-field");
		assert_string_equal(jfield(v, "expected"), keys[i]);
		assert_string_equal(fails(f), "missing-field");
		json_decref(f->rec);
		f->rec = keep;
	}
	set(f, "certificate_arn", NULL);
	assert_string_equal(fails(f), "missing-field");
	set(f, "certificate_arn", "arn:aws:acm:nowhere");
	assert_string_equal(fails(f), "missing-field");
	/* a record that is not even an object */
	json_decref(f->rec);
	f->rec = json_string("not a record");
	assert_false(acm_findings_pass(check(f, NOW)));
}

static void
test_copy_and_truncated(void **state)
{
	struct fixture *f = *state;
	json_t *v;

	json_object_set_new(f->rec, "copy", json_true());
	v = finding(f, check(f, NOW), "copy");
	assert_string_equal(fails(f), "copy");
	assert_string_equal(jfield(v, "found"), "mbox");
	json_object_set_new(f->rec, "copy", json_false());

	json_array_append_new(json_object_get(f->rec, "warnings"),
	    json_string("charset guessed"));
	assert_string_equal(fails(f), "");
	json_array_append_new(json_object_get(f->rec, "warnings"),
	    json_string("truncated: message larger than 1024 bytes"));
	v = finding(f, check(f, NOW), "truncated");
	assert_string_equal(fails(f), "truncated");
	assert_non_null(strstr(jfield(v, "message"),
	    "'message larger than 1024 bytes'"));
}

/* A record written out and read back gets the same findings. */
static void
test_json_round_trip(void **state)
{
	struct fixture *f = *state;
	json_t *a, *b;
	char *s;

	set_link(f, HOST_URL(UNIT_HOST "@evil.example"));
	set(f, "from", "Amazon <alerts@example.net>");
	a = check(f, NOW);
	s = json_dumps(f->rec, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(f->rec);
	f->rec = json_loads(s, 0, NULL);
	free(s);
	b = check(f, NOW);
	assert_true(json_equal(a, b));
	assert_string_equal(codes_of(f, b, "fail"), "link-host,sender");
}

/* A hostile record cannot make the checks slow or their output huge. */
static void
test_bounded(void **state)
{
	struct fixture *f = *state;
	json_t *links = json_array(), *r;
	char *text = K(g_strnfill(1 << 20, 'a'));
	int i;

	for (i = 0; i < 20000; i++)
		json_array_append_new(links, json_pack("{s:s, s:s, s:s}",
		    "href", K(g_strdup_printf("https://h%d.example/approvals",
		    i)), "text", i == 0 ? text : "x.example www.example.org",
		    "part", i % 2 ? "text/plain" : "text/html"));
	json_object_set_new(f->rec, "links", links);
	r = check(f, NOW);
	assert_false(acm_findings_pass(r));
	assert_true(json_array_size(r) <= 64 + 16);
	assert_non_null(strstr(jfield(json_array_get(r, 0), "message"),
	    "lists 20000 approval links"));
}

#define RP	"Return-Path: <0100018f-unit@amazonses.com>\n"

/* From the scanner to a verdict, as acmverify does it. */
static void
test_scanned_mail(void **state)
{
	struct fixture *f = *state;
	struct acm_scanner *sc = unit_scanner(&f->cap, ACM_FMT_AUTO, NULL);
	static const char mail[] = RP UNIT_MAIL;

	unit_own(&f->cap, sc, (GDestroyNotify)acm_scanner_free);
	assert_int_equal(acm_scan_message(sc, mail, sizeof(mail) - 1, "m"),
	    0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	json_decref(f->rec);
	f->rec = json_incref(unit_record(&f->cap, 0));
	/* UNIT_MAIL is dated 2024-06-05T09:07:03Z */
	assert_string_equal(fails(f), "");
	assert_string_equal(codes_of(f, check(f, NOW + 86400 * 3), "fail"),
	    "expired");
}

static const char *
insert(struct fixture *f, const char *msg, const char *value)
{
	size_t n = 0;
	char *out = acm_insert_header(msg, strlen(msg), "X-ACM-Verify", value,
	    &n);

	if (out == NULL)
		return NULL;
	assert_int_equal(n, strlen(out));
	return K(out);
}

static void
test_insert_header(void **state)
{
	struct fixture *f = *state;
	size_t n = 1;
	char *out;

	assert_string_equal(insert(f, "A: b\n\nbody\n", "pass"),
	    "X-ACM-Verify: pass\nA: b\n\nbody\n");
	assert_string_equal(insert(f, "A: b\r\n\r\nbody\r\n", "none"),
	    "X-ACM-Verify: none\r\nA: b\r\n\r\nbody\r\n");
	assert_string_equal(insert(f, "From a@b Wed Jun  5 09:07:03 2024\n"
	    "A: b\r\n\r\n", "fail"), "From a@b Wed Jun  5 09:07:03 2024\n"
	    "X-ACM-Verify: fail\r\nA: b\r\n\r\n");
	assert_string_equal(insert(f, "From nothing else", "none"),
	    "X-ACM-Verify: none\nFrom nothing else");
	assert_string_equal(insert(f, "", "none"), "X-ACM-Verify: none\n");
	assert_string_equal(insert(f, "A: b", "none"),
	    "X-ACM-Verify: none\nA: b");
	assert_null(insert(f, "A: b\n", "pass\r\nBcc: x@evil.example"));
	assert_null(insert(f, "A: b\n", "pass\x1b"));
	assert_null(insert(f, "A: b\n", "caf\xc3\xa9"));

	/* NUL bytes in the message are bytes like any other */
	out = acm_insert_header("A\0B\n", 4, "X", "v", &n);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "X: v\nA\0B\n", 9);
	free(out);
}

static void
test_annotate(void **state)
{
	struct fixture *f = *state;
	struct acm_limits small;
	struct acm_scanner *sc = unit_scanner(&f->cap, ACM_FMT_MESSAGE, NULL);
	static const char mail[] = RP UNIT_MAIL;
	static const char ordinary[] = "From: a@example.com\nSubject: hi\n"
	    "\nhello\n";
	size_t n = 0, before;
	char *out, *evil;

	unit_own(&f->cap, sc, (GDestroyNotify)acm_scanner_free);
	out = K(acm_annotate(sc, f->pol, NOW, mail, sizeof(mail) - 1, &n));
	assert_string_equal(out, "X-ACM-Verify: pass domain=" UNIT_DOMAIN
	    " account=" UNIT_ACCOUNT " region=" UNIT_REGION "\n" RP UNIT_MAIL);

	/* the scanner's own callbacks see nothing of it */
	before = unit_nrecords(&f->cap);
	out = K(acm_annotate(sc, f->pol, NOW + 86400 * 3, mail,
	    sizeof(mail) - 1, &n));
	assert_true(g_str_has_prefix(out, "X-ACM-Verify: fail "
	    "reasons=expired domain="));
	assert_int_equal(unit_nrecords(&f->cap), before);

	out = K(acm_annotate(sc, f->pol, NOW, ordinary, sizeof(ordinary) - 1,
	    &n));
	assert_string_equal(out, K(g_strconcat("X-ACM-Verify: none\n",
	    ordinary, NULL)));
	out = K(acm_annotate(sc, f->pol, NOW, NULL, 0, &n));
	assert_string_equal(out, "X-ACM-Verify: none\n");

	/* mail text reaches the header only through the safe alphabet */
	evil = K(g_strdup(mail));
	memcpy(strstr(evil, "Domain: ") + 8, "w\x1b\nX:", 5);
	out = K(acm_annotate(sc, f->pol, NOW, evil, strlen(evil), &n));
	assert_true(g_str_has_prefix(out, "X-ACM-Verify: "));
	assert_true(strchr(out, '\n') - out < 200);
	assert_null(memchr(out, '\x1b', strchr(out, '\n') - out));

	/* over the message size limit: NULL, the caller passes it on */
	acm_limits_default(&small);
	small.max_message = 100;
	sc = unit_scanner(&f->cap, ACM_FMT_MESSAGE, &small);
	unit_own(&f->cap, sc, (GDestroyNotify)acm_scanner_free);
	assert_null(acm_annotate(sc, f->pol, NOW, mail, sizeof(mail) - 1,
	    &n));
	assert_null(acm_annotate(NULL, f->pol, NOW, mail, 1, &n));
}

/* A mail that claimed to be ACM's but gave no record: one finding. */
static void
test_unreadable(void **state)
{
	struct fixture *f = *state;
	struct acm_diag d = { ACM_WARNING, { "x.eml", NULL, 0, 0 },
	    "looks like an ACM validation mail, but no link", true,
	    "ab12" };
	json_t *r;

	json_decref(f->rec);
	f->rec = acm_unreadable_record(&d);
	assert_string_equal(fails(f), "missing-field");
	r = check(f, NOW);
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(r, 0), "message")), d.message);
	assert_string_equal(json_string_value(json_object_get(f->rec,
	    "sha256")), "ab12");
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reason_names),
		T(test_unreadable),
		T(test_genuine),
		T(test_link_hosts),
		T(test_link_host_sentence),
		T(test_every_link),
		T(test_link_text_anchor),
		T(test_link_text_parts),
		T(test_consistency),
		T(test_sender),
		T(test_ses),
		T(test_dkim),
		T(test_sns_signature),
		T(test_expired),
		T(test_expectations),
		T(test_legacy_template),
		T(test_missing_fields),
		T(test_copy_and_truncated),
		T(test_json_round_trip),
		T(test_bounded),
		T(test_scanned_mail),
		T(test_insert_header),
		T(test_annotate),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
