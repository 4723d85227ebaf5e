/*
 * test_extract.c - extract.c: normalise_text, the fields of every
 * template (current, legacy, renewal, China), links re-joined across
 * hard wraps, copies told apart, and the look-alikes that must not
 * become records.
 */
#include <gmime/gmime.h>

#include "unit.h"

struct fixture {
	struct patterns	*pt;
	struct fields	 f;
	GPtrArray	*owned;		/* g_free'd at teardown */
	GPtrArray	*links;		/* struct link */
};

static int
setup(void **state)
{
	struct fixture *x = g_new0(struct fixture, 1);

	x->pt = patterns_new();
	x->owned = g_ptr_array_new_with_free_func(g_free);
	x->links = g_ptr_array_new_with_free_func(link_free);
	*state = x;
	return x->pt ? 0 : -1;
}

static int
teardown(void **state)
{
	struct fixture *x = *state;

	fields_clear(&x->f);
	patterns_free(x->pt);
	g_ptr_array_free(x->owned, TRUE);
	g_ptr_array_free(x->links, TRUE);
	g_free(x);
	return 0;
}

static const char *
keep(struct fixture *x, char *s)
{
	g_ptr_array_add(x->owned, s);
	return s;
}

/* extract_text on TEXT with fresh fields; the fields stay in X. */
static bool
extract(struct fixture *x, const char *text, const char *href)
{
	fields_clear(&x->f);
	return extract_text(x->pt, text, strlen(text), href, &x->f);
}

static const char *
norm(struct fixture *x, const char *s, size_t n, bool *quoted)
{
	return keep(x, normalise_text(s, n, quoted));
}

#define NORM(x, lit, q)	norm((x), (lit), sizeof(lit) - 1, (q))

static void
test_normalise_text(void **state)
{
	struct fixture *x = *state;
	bool q;

	/* line ends of every kind become LF; lines stay lines */
	assert_string_equal(NORM(x, "a\r\nb\rc\nd", &q), "a\nb\nc\nd");
	assert_false(q);
	/* tabs, runs, non-breaking spaces: one space; ends trimmed */
	assert_string_equal(NORM(x, "Domain:\t  www.example.com   \n",
	    &q), "Domain: www.example.com\n");
	assert_string_equal(NORM(x, "AWS\xc2\xa0" "account\xc2\xa0\xc2\xa0"
	    "ID: 1", &q), "AWS account ID: 1");
	assert_string_equal(NORM(x, "   indented\n\t\ttabbed\n \n", &q),
	    "indented\ntabbed\n\n");
	assert_false(q);
	/* a NUL cannot cut the text short */
	assert_string_equal(NORM(x, "a\0b", &q), "a b");
	/* quote marks come off and are noted on template lines */
	assert_string_equal(NORM(x, "> Domain: a.example\n>> > AWS account "
	    "ID: 1\n>\nplain", &q), "Domain: a.example\nAWS account ID: 1\n"
	    "\nplain");
	assert_true(q);
	/* '>' that is not at a line's start is text */
	assert_string_equal(NORM(x, "a > b\n", &q), "a > b\n");
	assert_false(q);
	assert_string_equal(NORM(x, "", &q), "");
	assert_false(q);
}

static void
assert_current_fields(struct fixture *x)
{
	assert_string_equal(x->f.template, "current");
	assert_string_equal(x->f.domain, UNIT_DOMAIN);
	assert_string_equal(x->f.requested_domain, UNIT_DOMAIN);
	assert_string_equal(x->f.account_id, UNIT_ACCOUNT);
	assert_string_equal(x->f.account_shown, UNIT_ACCOUNT);
	assert_string_equal(x->f.region, UNIT_REGION);
	assert_string_equal(x->f.certificate_id, UNIT_CERT_ID);
	assert_string_equal(x->f.certificate_arn, UNIT_ARN);
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_false(x->f.legacy_label);
}

static void
test_current(void **state)
{
	struct fixture *x = *state;

	assert_true(extract(x, UNIT_BODY, NULL));
	assert_current_fields(x);
	assert_false(x->f.quoted);
	assert_false(x->f.forwarded);
	assert_false(x->f.rejoined);
}

/* The documented template ends two lines with a space; CRLF mail. */
static void
test_current_crlf_trailing_space(void **state)
{
	struct fixture *x = *state;
	char **lines = g_strsplit(UNIT_BODY, "\n", -1);
	const char *t;

	t = keep(x, g_strjoinv(" \r\n", lines));
	g_strfreev(lines);
	assert_true(extract(x, t, NULL));
	assert_current_fields(x);
	assert_false(x->f.rejoined);
}

#define LEGACY_URL	"https://us-west-1.certificates.amazon.com/approvals" \
			"?code=11e23c40-7a2b-4754-a97c-1607e8e78a6c&context=" \
			"111a222c-6e1d-4333-bbc4-40b961461df5-" \
			"75732d776573742d31"

/* The 2017 shape: CRLF, "blank" lines holding one space, dashed id. */
static const char legacy[] =
    "Greetings from Amazon Web Services,\r\n"
    " \r\n"
    "We received a request to issue an SSL/TLS certificate for "
    "legacy.example.com.\r\n"
    " \r\n"
    "Verify that the following domain, AWS account ID, and certificate "
    "identifier\r\n"
    "correspond to a request from you or someone in your organization.\r\n"
    " \r\n"
    "Domain: legacy.example.com\r\n"
    "AWS account ID: 1111-2222-3333\r\n"
    "AWS Region name: us-west-1\r\n"
    "Certificate identifier: 7e0d5227-be84-42ad-91d5-3899db9b16ac\r\n"
    " \r\n"
    "To approve this request, go to Amazon Certificate Approvals at\r\n"
    LEGACY_URL "\r\n"
    "and follow the instructions on the page.\r\n"
    " \r\n"
    "If you choose not to approve this request, you do not need to do "
    "anything.\r\n"
    " \r\n"
    "Sincerely,\r\n"
    "Amazon Web Services\r\n"
    " \r\n"
    "--\r\n"
    "(c)2015, Amazon Web Services, Inc. or its affiliates.\r\n";

static void
test_legacy(void **state)
{
	struct fixture *x = *state;

	assert_true(extract(x, legacy, NULL));
	assert_string_equal(x->f.template, "legacy");
	assert_string_equal(x->f.domain, "legacy.example.com");
	assert_string_equal(x->f.requested_domain, "legacy.example.com");
	assert_string_equal(x->f.account_id, "111122223333");
	assert_string_equal(x->f.account_shown, "1111-2222-3333");
	assert_string_equal(x->f.region, "us-west-1");
	assert_string_equal(x->f.certificate_id,
	    "7e0d5227-be84-42ad-91d5-3899db9b16ac");
	assert_null(x->f.certificate_arn);
	assert_true(x->f.legacy_label);
	assert_string_equal(x->f.approval_url, LEGACY_URL);
	assert_false(x->f.rejoined);
	assert_false(x->f.quoted);
	assert_false(x->f.forwarded);
}

/* Renewal: a paragraph more, "at" and a bare link, a footer. */
static void
test_renewal(void **state)
{
	struct fixture *x = *state;
	const char *t =
	    "Greetings from Amazon Web Services,\n"
	    "\n"
	    "We received a request to issue an SSL/TLS certificate for "
	    UNIT_DOMAIN ".\n"
	    "\n"
	    "This email is a request to validate ownership of the domain in "
	    "order to renew the\n"
	    "existing, currently in use, certificate.\n"
	    "\n"
	    "Verify that the following domain, AWS account ID, and "
	    "certificate identifier correspond\n"
	    "to a request from you or someone in your organization.\n"
	    "\n"
	    "Domain: " UNIT_DOMAIN "\n"
	    "AWS account ID: " UNIT_ACCOUNT "\n"
	    "AWS Region name: " UNIT_REGION "\n"
	    "Certificate Identifier: " UNIT_ARN "\n"
	    "\n"
	    "To approve this request, go to Amazon Certificate Approvals at\n"
	    UNIT_URL "\n"
	    "and follow the instructions on the page.\n"
	    "\n"
	    "For more information, see https://docs.aws.amazon.com/acm/latest/"
	    "userguide/email-validation.html\n"
	    "\n"
	    "Sincerely,\n"
	    "Amazon Web Services\n"
	    "--\n"
	    "Amazon Web Services, Inc. is a subsidiary of Amazon.com, Inc.\n"
	    "(c)2015-2022, Amazon Web Services, Inc. or its affiliates. All "
	    "rights reserved.\n"
	    "Our privacy policy is posted at https://aws.amazon.com/privacy\n";

	assert_true(extract(x, t, NULL));
	assert_current_fields(x);
	assert_false(x->f.rejoined);
}

static void
test_china(void **state)
{
	struct fixture *x = *state;
	const char *t =
	    "Greetings from Amazon Web Services,\n"
	    "\n"
	    "We received a request to issue an SSL/TLS certificate for "
	    "cn.example.com.\n"
	    "\n"
	    "Domain: cn.example.com\n"
	    "Amazon Web Services account ID: 444455556666\n"
	    "Amazon Web Services Region name: cn-north-1\n"
	    "Certificate Identifier: arn:aws-cn:acm:cn-north-1:444455556666:"
	    "certificate/3b4d78e1-0882-4f51-954a-298ee44ff369\n"
	    "\n"
	    "To approve this request, go to Amazon Certificate Approvals\n"
	    "(https://cn-north-1.acm-certificates.amazonaws.cn/approvals?"
	    "code=c0de&context=c0n7)\n"
	    "and follow the instructions on the page.\n";

	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.template, "current");
	assert_string_equal(x->f.domain, "cn.example.com");
	assert_string_equal(x->f.account_id, "444455556666");
	assert_string_equal(x->f.region, "cn-north-1");
	assert_string_equal(x->f.certificate_arn, "arn:aws-cn:acm:cn-north-1:"
	    "444455556666:certificate/3b4d78e1-0882-4f51-954a-298ee44ff369");
	assert_string_equal(x->f.certificate_id,
	    "3b4d78e1-0882-4f51-954a-298ee44ff369");
	assert_string_equal(x->f.approval_url, "https://cn-north-1.acm-"
	    "certificates.amazonaws.cn/approvals?code=c0de&context=c0n7");
}

static void
test_wildcard_requested(void **state)
{
	struct fixture *x = *state;
	char *t = g_strdup(UNIT_BODY);
	char **parts = g_strsplit(t, "certificate for " UNIT_DOMAIN ".", 2);

	g_free(t);
	t = g_strjoinv("certificate for *.example.com.", parts);
	g_strfreev(parts);
	keep(x, t);
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.requested_domain, "*.example.com");
	assert_string_equal(x->f.domain, UNIT_DOMAIN);
}

/* Quoted-printable as the HTML parts come: decoded before matching. */
static void
test_quoted_printable(void **state)
{
	struct fixture *x = *state;
	GMimeEncoding enc;
	size_t n = strlen(UNIT_BODY), len;
	char *qp, *dec;

	g_mime_encoding_init_encode(&enc,
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	qp = g_malloc(g_mime_encoding_outlen(&enc, n) + 1);
	len = g_mime_encoding_flush(&enc, UNIT_BODY, n, qp);
	qp[len] = '\0';
	keep(x, qp);
	/* the link line is past 76 columns: a soft break splits it */
	assert_null(strstr(qp, UNIT_URL));
	assert_non_null(strstr(qp, "code=3D"));

	dec = g_malloc(len + 1);
	g_mime_encoding_init_decode(&enc,
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	n = g_mime_encoding_flush(&enc, qp, len, dec);
	dec[n] = '\0';
	keep(x, dec);
	assert_true(extract(x, dec, NULL));
	assert_current_fields(x);
	assert_false(x->f.rejoined);
}

/* A hard wrap inside "(URL)": everything up to ')' is the link. */
static void
test_rejoin_parenthesised(void **state)
{
	struct fixture *x = *state;
	const char *t = keep(x, g_strconcat(
	    "Domain: " UNIT_DOMAIN "\n"
	    "AWS account ID: " UNIT_ACCOUNT "\n"
	    "To approve this request, go to Amazon Certificate Approvals\n"
	    "(https://" UNIT_HOST "/approvals?code=" UNIT_CODE "&con\n"
	    "text=" UNIT_CONTEXT ")\n"
	    "and follow the instructions on the page.\n", NULL));

	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_true(x->f.rejoined);

	/* a Gmail copy: "( <URL> )", double spaces; nothing to re-join */
	t = keep(x, g_strconcat("Domain: " UNIT_DOMAIN "\n"
	    "go to Amazon  Certificate Approvals ( " UNIT_URL " )\n", NULL));
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_false(x->f.rejoined);

	/* plain-text renderings put a link in angle brackets */
	t = keep(x, g_strconcat("Domain: " UNIT_DOMAIN "\n"
	    "go to Amazon  Certificate Approvals ( <" UNIT_URL "> )\n",
	    NULL));
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);

	/* wrapped twice, the closing parenthesis on a line of its own */
	t = keep(x, g_strconcat("Domain: " UNIT_DOMAIN "\n"
	    "go to Amazon Certificate Approvals\n"
	    "(\nhttps://" UNIT_HOST "/approvals?\n"
	    "code=" UNIT_CODE "&context=\n" UNIT_CONTEXT "\n)\n", NULL));
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_true(x->f.rejoined);
}

/*
 * The bare form: a link cut before its context continues on the next
 * line only when that line is nothing but link characters.
 */
static void
test_rejoin_bare(void **state)
{
	struct fixture *x = *state;
	const char *t = keep(x, g_strconcat(
	    "Domain: " UNIT_DOMAIN "\n"
	    "AWS account ID: " UNIT_ACCOUNT "\n"
	    "To approve this request, go to Amazon Certificate Approvals at\n"
	    "https://" UNIT_HOST "/approvals?code=" UNIT_CODE "&con\n"
	    "text=" UNIT_CONTEXT "\n"
	    "and follow the instructions on the page.\n", NULL));

	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_true(x->f.rejoined);

	/* whole already: the prose below is not taken in */
	t = keep(x, g_strconcat("Domain: " UNIT_DOMAIN "\n"
	    "go to Amazon Certificate Approvals at\n" UNIT_URL "\n"
	    "and follow the instructions on the page.\n", NULL));
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, UNIT_URL);
	assert_false(x->f.rejoined);

	/* cut, but the next line is prose: the link stays as it is */
	t = keep(x, g_strconcat("Domain: " UNIT_DOMAIN "\n"
	    "go to Amazon Certificate Approvals at\n"
	    "https://" UNIT_HOST "/approvals?code=" UNIT_CODE "\n"
	    "and follow the instructions on the page.\n", NULL));
	assert_true(extract(x, t, NULL));
	assert_string_equal(x->f.approval_url, "https://" UNIT_HOST
	    "/approvals?code=" UNIT_CODE);
	assert_false(x->f.rejoined);
}

/* Every line of the template behind "> ": a reply quoting the mail. */
static void
test_quoted_copy(void **state)
{
	struct fixture *x = *state;
	char **lines = g_strsplit(UNIT_BODY, "\n", -1);
	char *q = g_strjoinv("\n> ", lines);
	const char *t;

	g_strfreev(lines);
	t = keep(x, g_strconcat("Is this one ours?\n\n"
	    "On Wed, Jun 5, 2024 at 9:07 AM Amazon Certificates "
	    "<no-reply@certificates.amazon.com> wrote:\n> ", q, NULL));
	g_free(q);
	assert_true(extract(x, t, NULL));
	assert_current_fields(x);
	assert_true(x->f.quoted);
	assert_true(x->f.forwarded);
}

/* A '>' line that is not the template's is no sign of a copy. */
static void
test_quote_mark_elsewhere(void **state)
{
	struct fixture *x = *state;
	const char *t = keep(x, g_strconcat("> External sender: be careful "
	    "with links.\n\n", UNIT_BODY, "\n> scanned by the gateway\n",
	    NULL));

	assert_true(extract(x, t, NULL));
	assert_current_fields(x);
	assert_false(x->f.quoted);
	assert_false(x->f.forwarded);
}

static void
test_forwarded(void **state)
{
	struct fixture *x = *state;
	static const char *const heads[] = {
		"---------- Forwarded message ---------\n"
		"From: Amazon Certificates <no-reply@certificates.amazon.com>\n"
		"Date: Wed, Jun 5, 2024 at 9:07 AM\n"
		"Subject: Certificate request for www.example.com\n"
		"To: <admin@example.com>\n\n",
		"FYI\n\nBegin forwarded message:\n\n",
		"-----Original Message-----\n"
		"From: Amazon Certificates\n"
		"Sent: Wednesday, June 5, 2024 9:07 AM\n\n",
		"Von: Amazon Certificates <no-reply@certificates.amazon.com>\n"
		"Gesendet: Mittwoch, 5. Juni 2024 09:07\n\n",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(heads); i++) {
		const char *t = keep(x, g_strconcat(heads[i], UNIT_BODY,
		    NULL));

		assert_true(extract(x, t, NULL));
		assert_current_fields(x);
		assert_true(x->f.forwarded);
		assert_false(x->f.quoted);
	}
	/* words after the template do not make it a forward */
	assert_true(extract(x, keep(x, g_strconcat(UNIT_BODY, "\nFrom: a "
	    "colleague\nSent: later\n", NULL)), NULL));
	assert_false(x->f.forwarded);
}

/* Rendered HTML: the phrase is the anchor; the link is its href. */
static void
test_html_anchor(void **state)
{
	struct fixture *x = *state;
	const char *t =
	    "Greetings from Amazon Web Services,\n"
	    "We received a request to issue an SSL/TLS certificate for "
	    UNIT_DOMAIN ".\n"
	    " Domain: " UNIT_DOMAIN "\n"
	    " AWS account ID: " UNIT_ACCOUNT "\n"
	    " AWS Region name: " UNIT_REGION "\n"
	    " Certificate Identifier: " UNIT_ARN "\n"
	    "To approve this request, go to Amazon Certificate Approvals "
	    "and follow the instructions on the page.\n";

	assert_true(extract(x, t, UNIT_URL));
	assert_current_fields(x);
	/* without the anchor there is no link, and no record */
	assert_false(extract(x, t, NULL));
}

/* What the documentation prints, with its placeholders. */
static void
test_decoy_placeholders(void **state)
{
	struct fixture *x = *state;
	static const char *const t[] = {
		"Greetings from Amazon Web Services,\n\n"
		"We received a request to issue an SSL/TLS certificate for "
		"$requested_domain.\n\n"
		"Domain: $fqdn\nAWS account ID: $account_id\n"
		"AWS Region name: $region_name\n"
		"Certificate Identifier: $certificate_identifier\n\n"
		"To approve this request, go to Amazon Certificate Approvals\n"
		"(https://$region_name.acm-certificates.amazon.com/approvals?"
		"code=$validation_code&context=$validation_context)\n",
		"Domain: fqdn\nAWS account ID: account_id\n"
		"To approve this request, go to Amazon Certificate Approvals\n"
		"(https://region_name.acm-certificates.amazon.com/approvals?"
		"code=validation_code&context=validation_context)\n",
		"Domain: a.example\nAWS account ID: 111122223333\n"
		"go to Amazon Certificate Approvals\n"
		"(https://us-east-1.acm-certificates.amazon.com/approvals?"
		"code=${CODE}&context=x)\n",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(t); i++)
		assert_false(extract(x, t[i], NULL));
}

/* Notices about certificates that ask for no approval. */
static void
test_decoy_no_link(void **state)
{
	struct fixture *x = *state;

	assert_false(extract(x,
	    "Greetings from Amazon Web Services,\n\n"
	    "This is to notify you that AWS Certificate Manager (ACM) was "
	    "unable to renew the certificate.\n\n"
	    "AWS account ID: 111122223333\n"
	    "AWS Region name: us-east-1\n"
	    "Certificate identifier: arn:aws:acm:us-east-1:111122223333:"
	    "certificate/3b4d78e1-0882-4f51-954a-298ee44ff369\n\n"
	    "Sincerely,\nAmazon Web Services\n", NULL));
	/* an approvals link with nothing of the template around it */
	assert_false(extract(x, "Please vote at "
	    "https://intranet.example/approvals?code=abc before Friday.\n",
	    NULL));
	assert_false(extract(x, "", NULL));
}

static struct link *
mklink(const char *href, const char *text, const char *id)
{
	struct link *l = g_new0(struct link, 1);

	l->href = g_strdup(href);
	l->text = g_strdup(text);
	l->id = g_strdup(id);
	return l;
}

static void
test_html_link_choice(void **state)
{
	struct fixture *x = *state;
	GPtrArray *links = x->links;
	char *got;

	g_ptr_array_add(links, mklink("https://aws.amazon.com/privacy",
	    "privacy", NULL));
	g_ptr_array_add(links, mklink("https://a.example/approvals?code=1",
	    "elsewhere", NULL));
	g_ptr_array_add(links, mklink("https://b.example/x?code=2",
	    "Amazon Certificate Approvals", NULL));
	g_ptr_array_add(links, mklink("https://$r.example/approvals?code=3",
	    "x", "approval_url"));
	g_ptr_array_add(links, mklink(UNIT_URL, "here", "approval_url"));

	/* the anchor with the template's id, when its target is a link */
	got = extract_html_link(x->pt, links);
	keep(x, got);
	assert_string_equal(got, UNIT_URL);
	/* then the anchor showing the phrase */
	g_ptr_array_remove_index(links, 4);
	got = extract_html_link(x->pt, links);
	keep(x, got);
	assert_string_equal(got, "https://b.example/x?code=2");
	/* then any link to an approvals page */
	g_ptr_array_remove_index(links, 2);
	got = extract_html_link(x->pt, links);
	keep(x, got);
	assert_string_equal(got, "https://a.example/approvals?code=1");
	g_ptr_array_remove_index(links, 1);
	assert_null(extract_html_link(x->pt, links));
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_normalise_text),
		T(test_current),
		T(test_current_crlf_trailing_space),
		T(test_legacy),
		T(test_renewal),
		T(test_china),
		T(test_wildcard_requested),
		T(test_quoted_printable),
		T(test_rejoin_parenthesised),
		T(test_rejoin_bare),
		T(test_quoted_copy),
		T(test_quote_mark_elsewhere),
		T(test_forwarded),
		T(test_html_anchor),
		T(test_decoy_placeholders),
		T(test_decoy_no_link),
		T(test_html_link_choice),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
