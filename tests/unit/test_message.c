/*
 * test_message.c - message.c and the record it builds: one raw mail
 * through acm_scan_message, its MIME parts decoded, converted and
 * rendered, and every field of the record checked.
 */
#include "unit.h"

struct fixture {
	struct capture		 cap;
	struct acm_scanner	*sc;
};

#define K(s)	unit_keep(&f->cap, (s))

static int
setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);

	unit_capture_init(&f->cap);
	f->sc = unit_scanner(&f->cap, ACM_FMT_AUTO, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	acm_scanner_free(f->sc);
	unit_capture_free(&f->cap);
	g_free(f);
	return 0;
}

static int
scan(struct fixture *f, const char *m)
{
	unit_capture_reset(&f->cap);
	return acm_scan_message(f->sc, m, strlen(m), "m.eml");
}

/* Scan M and return its one record. */
static json_t *
one(struct fixture *f, const char *m)
{
	assert_int_equal(scan(f, m), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	return unit_record(&f->cap, 0);
}

static const char *
str(json_t *r, const char *path)
{
	return unit_jstr(r, path);
}

static void
assert_sha(json_t *r, const char *raw)
{
	char sha[65];

	sha256_hex(raw, strlen(raw), sha);
	assert_string_equal(str(r, "sha256"), sha);
}

static void
test_record_fields(void **state)
{
	struct fixture *f = *state;
	static const char *const order[] = {
		"template", "domain", "requested_domain", "account_id",
		"region", "certificate_id", "certificate_arn", "approval_url",
		"approval_host", "code", "context", "subject", "from", "to",
		"date", "message_id", "expires", "ses", "sns", "source",
		"copy", "sha256", "warnings",
	};
	const char *m = "Return-Path: <0100018f@bounces.certificates."
	    "amazon.com>\n" UNIT_MAIL;
	json_t *r = one(f, m);
	void *it;
	size_t i;

	assert_string_equal(str(r, "template"), "current");
	assert_string_equal(str(r, "domain"), UNIT_DOMAIN);
	assert_string_equal(str(r, "requested_domain"), UNIT_DOMAIN);
	assert_string_equal(str(r, "account_id"), UNIT_ACCOUNT);
	assert_string_equal(str(r, "region"), UNIT_REGION);
	assert_string_equal(str(r, "certificate_id"), UNIT_CERT_ID);
	assert_string_equal(str(r, "certificate_arn"), UNIT_ARN);
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_string_equal(str(r, "approval_host"), UNIT_HOST);
	assert_string_equal(str(r, "code"), UNIT_CODE);
	assert_string_equal(str(r, "context"), UNIT_CONTEXT);
	assert_string_equal(str(r, "subject"),
	    "Certificate request for " UNIT_DOMAIN);
	assert_string_equal(str(r, "from"),
	    "Amazon Certificates <no-reply@certificates.amazon.com>");
	assert_int_equal(json_array_size(unit_jget(r, "to")), 1);
	assert_string_equal(json_string_value(json_array_get(unit_jget(r,
	    "to"), 0)), "admin@example.com");
	assert_string_equal(str(r, "date"), "2024-06-05T09:07:03Z");
	assert_string_equal(str(r, "expires"), "2024-06-08T09:07:03Z");
	assert_string_equal(str(r, "message_id"),
	    "0100018f-unit@email.amazonses.com");
	assert_true(json_is_null(unit_jget(r, "ses")));
	assert_true(json_is_null(unit_jget(r, "sns")));
	assert_string_equal(str(r, "source.path"), "m.eml");
	assert_true(json_is_null(unit_jget(r, "source.entry")));
	assert_true(json_is_null(unit_jget(r, "source.index")));
	assert_true(json_is_null(unit_jget(r, "source.offset")));
	assert_int_equal(json_array_size(unit_jget(r, "source.layers")), 0);
	assert_true(json_is_false(unit_jget(r, "copy")));
	assert_sha(r, m);
	assert_int_equal(json_array_size(unit_jget(r, "warnings")), 0);
	assert_string_equal(str(r, "return_path"),
	    "<0100018f@bounces.certificates.amazon.com>");

	/* the fields of DESIGN.md come first, in its order */
	for (i = 0, it = json_object_iter(r); i < G_N_ELEMENTS(order);
	    i++, it = json_object_iter_next(r, it)) {
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), order[i]);
	}
	assert_int_equal(f->sc->stats.records, 1);
}

static void
test_headers_decoded(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: =?UTF-8?Q?Amazon_Certificates?= "
	    "<no-reply@certificates.amazon.com>\n"
	    "To: admin@example.com, Hostmaster <hostmaster@example.com>,\n"
	    " team: webmaster@example.com, postmaster@example.com;\n"
	    "Cc: other@example.com\n"
	    "Subject: =?UTF-8?B?Q2VydGlmaWNhdGUgcmVxdWVzdCBmb3Igd3d3LmV4YW1w"
	    "bGUuY29t?=\n"
	    "Date: Thu, 06 Jun 2024 01:07:03 +0200\n"
	    "Content-Type: text/plain\n\n" UNIT_BODY);
	json_t *to = unit_jget(r, "to");

	assert_string_equal(str(r, "subject"),
	    "Certificate request for " UNIT_DOMAIN);
	assert_string_equal(str(r, "from"),
	    "Amazon Certificates <no-reply@certificates.amazon.com>");
	/* groups flattened; Cc is not To */
	assert_int_equal(json_array_size(to), 4);
	assert_string_equal(json_string_value(json_array_get(to, 1)),
	    "hostmaster@example.com");
	assert_string_equal(json_string_value(json_array_get(to, 3)),
	    "postmaster@example.com");
	/* dates are UTC */
	assert_string_equal(str(r, "date"), "2024-06-05T23:07:03Z");
	/* no Message-ID: null, not a made-up one */
	assert_true(json_is_null(unit_jget(r, "message_id")));
}

static void
test_date_absent_or_extreme(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	r = one(f, "From: a@example.com\nSubject: x\n\n" UNIT_BODY);
	assert_true(json_is_null(unit_jget(r, "date")));
	assert_true(json_is_null(unit_jget(r, "expires")));

	/* 72 hours after the last day of 9999 cannot be written */
	r = one(f, "From: a@example.com\nDate: Fri, 31 Dec 9999 23:00:00 "
	    "+0000\nSubject: x\n\n" UNIT_BODY);
	assert_string_equal(str(r, "date"), "9999-12-31T23:00:00Z");
	assert_true(json_is_null(unit_jget(r, "expires")));
}

/* A mail that only talks about certificates is no record. */
static void
test_no_link_no_record(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(scan(f, "From: Amazon Web Services "
	    "<no-reply@amazonaws.com>\nSubject: Certificate renewal\n\n"
	    "Greetings from Amazon Web Services,\n\n"
	    "AWS account ID: 111122223333\n"
	    "Certificate identifier: " UNIT_ARN "\n\n"
	    "ACM could not renew the certificate. See the approvals page "
	    "in the console.\n"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_ERROR, NULL), 0);
	assert_int_equal(f->sc->stats.records, 0);

	assert_int_equal(scan(f, "Subject: hello\n\nJust text.\n"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
}

static void
test_quoted_printable_part(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Domain: " UNIT_DOMAIN "\n"
	    "AWS account ID: " UNIT_ACCOUNT "\n"
	    "To approve this request, go to Amazon Certificate Approvals\n"
	    "(https://" UNIT_HOST "/approvals?code=3D" UNIT_CODE "&con=\n"
	    "text=3D" UNIT_CONTEXT ")\n");

	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_string_equal(str(r, "context"), UNIT_CONTEXT);
	/* a soft break is no hard wrap: nothing was re-joined */
	assert_false(unit_jarray_has(r, "warnings", "re-joined"));
}

static void
test_base64_part(void **state)
{
	struct fixture *f = *state;
	char *b = K(g_base64_encode((const guchar *)UNIT_BODY,
	    strlen(UNIT_BODY)));
	json_t *r = one(f, K(g_strconcat("From: a@example.com\nSubject: x\n"
	    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n", b, "\n", NULL)));

	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_string_equal(str(r, "domain"), UNIT_DOMAIN);
}

/* Saved mail with blank lines before the headers, body in base64. */
static void
test_leading_blank_lines(void **state)
{
	struct fixture *f = *state;
	char *b = K(g_base64_encode((const guchar *)UNIT_BODY,
	    strlen(UNIT_BODY)));
	json_t *r = one(f, K(g_strconcat("\n\r\n", "From: a@example.com\n"
	    "Subject: saved\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n", b, "\n", NULL)));

	assert_string_equal(str(r, "subject"), "saved");
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
}

/* A Latin-1 HTML part: converted to UTF-8, not replaced. */
static void
test_charset_latin1(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: text/html; charset=ISO-8859-1\n"
	    "Content-Transfer-Encoding: 8bit\n\n"
	    "<p>Domain: " UNIT_DOMAIN "</p><p>AWS account ID: " UNIT_ACCOUNT
	    "</p><p>To approve this request, go to <a id=\"approval_url\" "
	    "href=\"" UNIT_URL "\">Amazon Certificate Approvals "
	    "(\xabGenehmigung f\xfcr www.example.com\xbb)</a></p>\n");
	json_t *l = json_array_get(unit_jget(r, "links"), 0);

	assert_string_equal(unit_jstr(l, "text"), "Amazon Certificate "
	    "Approvals (\xc2\xabGenehmigung f\xc3\xbcr www.example.com"
	    "\xc2\xbb)");
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_int_equal(json_array_size(unit_jget(r, "warnings")), 0);
}

/*
 * A name with letters beyond ASCII (a look-alike, or a U-label) is
 * taken whole: the record must show the name the mail shows.
 */
static void
test_non_ascii_domain(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n\n"
	    "We received a request to issue an SSL/TLS certificate for "
	    "www.b\xc3\xbc" "cher.example.\n"
	    "Domain: www.ex\xd0\xb0mple.com\n"
	    "AWS account ID: " UNIT_ACCOUNT "\n"
	    "To approve this request, go to Amazon Certificate Approvals\n"
	    "(" UNIT_URL ")\n");

	assert_string_equal(str(r, "domain"), "www.ex\xd0\xb0mple.com");
	assert_string_equal(str(r, "requested_domain"),
	    "www.b\xc3\xbc" "cher.example");
}

static void
test_charset_unknown(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: a@example.com\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=x-no-such-charset\n\n"
	    UNIT_BODY);

	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_true(unit_jarray_has(r, "warnings", "x-no-such-charset"));
}

#define HTML_PART							\
	"<html><head><title>Domain Validation</title>"			\
	"<style>p{}</style></head><body>\n"				\
	"<p>Greetings from Amazon Web Services,</p>\n"			\
	"<p>We received a request to issue an SSL/TLS certificate for "	\
	"<span id=3D\"requested_domain\">" UNIT_DOMAIN "</span>.</p>\n"	\
	"<table><tr><td>Domain:</td><td><span id=3D\"fqdn\">"		\
	UNIT_DOMAIN "</span></td></tr>\n"				\
	"<tr><td>AWS account ID:</td><td>" UNIT_ACCOUNT "</td></tr>\n"	\
	"<tr><td>AWS Region name:</td><td>" UNIT_REGION "</td></tr>\n"	\
	"<tr><td>Certificate Identifier:</td><td>" UNIT_ARN		\
	"</td></tr></table>\n"						\
	"<p>To approve this request, go to <a id=3D\"approval_url\" "	\
	"href=3D\"https://" UNIT_HOST "/approvals?code=3D" UNIT_CODE	\
	"&amp;context=3D" UNIT_CONTEXT "\">Amazon Certificate "	\
	"Approvals</a> and follow the instructions.</p>\n"		\
	"</body></html>\n"

/* An HTML-only mail: the link is the anchor's href, entities decoded. */
static void
test_html_only(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f, "From: a@example.com\nSubject: x\n"
	    "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n" HTML_PART);
	json_t *l;

	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_string_equal(str(r, "domain"), UNIT_DOMAIN);
	assert_string_equal(str(r, "account_id"), UNIT_ACCOUNT);
	assert_string_equal(str(r, "certificate_arn"), UNIT_ARN);
	assert_string_equal(str(r, "template"), "current");
	l = json_array_get(unit_jget(r, "links"), 0);
	assert_string_equal(unit_jstr(l, "href"), UNIT_URL);
	assert_string_equal(unit_jstr(l, "text"),
	    "Amazon Certificate Approvals");
	assert_string_equal(unit_jstr(l, "part"), "text/html");
}

/* Text and HTML agree: one record; they disagree: a warning too. */
static void
test_alternative_parts(void **state)
{
	struct fixture *f = *state;
	const char *head = "From: a@example.com\nSubject: x\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	    "--b1\nContent-Type: text/plain; charset=utf-8\n\n";
	const char *mid = "\n--b1\nContent-Type: text/html; charset=utf-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n";
	char *other, **parts;
	json_t *r;

	r = one(f, K(g_strconcat(head, UNIT_BODY, mid, HTML_PART, "--b1--\n",
	    NULL)));
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_false(unit_jarray_has(r, "warnings", "different approval"));

	parts = g_strsplit(UNIT_BODY, UNIT_CODE, -1);
	other = K(g_strjoinv("0ther", parts));
	g_strfreev(parts);
	r = one(f, K(g_strconcat(head, other, mid, HTML_PART, "--b1--\n",
	    NULL)));
	/* the text part's link, and a word about the other */
	assert_string_equal(str(r, "code"), "0ther");
	assert_true(unit_jarray_has(r, "warnings", "different approval"));
}

/* A validation mail attached to another: found, and marked a copy. */
static void
test_attached_message(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "From: colleague@example.com\n"
	    "To: security@example.com\n"
	    "Subject: is this legit?\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
	    "--outer\n"
	    "Content-Type: text/plain\n\n"
	    "See the attached mail.\n"
	    "--outer\n"
	    "Content-Type: message/rfc822\n"
	    "Content-Disposition: attachment\n\n"
	    UNIT_MAIL
	    "--outer--\n");
	char sha[65];

	assert_true(json_is_true(unit_jget(r, "copy")));
	assert_string_equal(str(r, "message_id"),
	    "0100018f-unit@email.amazonses.com");
	assert_string_equal(str(r, "subject"),
	    "Certificate request for " UNIT_DOMAIN);
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
	assert_string_equal(unit_layers(&f->cap, r), "message/rfc822");
	/* the attached bytes (the line end before "--outer" is MIME's) */
	sha256_hex(UNIT_MAIL, strlen(UNIT_MAIL) - 1, sha);
	assert_string_equal(str(r, "sha256"), sha);
}

/* The same when the attached mail's single part is base64. */
static void
test_attached_message_base64(void **state)
{
	struct fixture *f = *state;
	char *b = K(g_base64_encode((const guchar *)UNIT_BODY,
	    strlen(UNIT_BODY)));
	json_t *r = one(f, K(g_strconcat(
	    "From: colleague@example.com\n"
	    "Subject: have a look\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
	    "--outer\n"
	    "Content-Type: message/rfc822\n\n"
	    "From: Amazon Certificates <no-reply@certificates.amazon.com>\n"
	    "Subject: Certificate request for " UNIT_DOMAIN "\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n", b, "\n"
	    "--outer--\n", NULL)));

	assert_true(json_is_true(unit_jget(r, "copy")));
	assert_string_equal(str(r, "approval_url"), UNIT_URL);
}

static void
test_forward_subjects(void **state)
{
	struct fixture *f = *state;
	static const char *const subjects[] = { "Fwd: x", "FW: x", "Re: x",
	    "AW: x", "WG: x", "[Fwd: x]" };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(subjects); i++) {
		json_t *r = one(f, K(g_strdup_printf("From: a@example.com\n"
		    "Subject: %s\n\n%s", subjects[i], UNIT_BODY)));

		assert_true(json_is_true(unit_jget(r, "copy")));
	}
	/* a subject that merely starts with the letters is no forward */
	assert_true(json_is_false(unit_jget(one(f, "From: a@example.com\n"
	    "Subject: Reissue request\n\n" UNIT_BODY), "copy")));
}

/*
 * SES prepends its verdicts; only the topmost copy of each header is
 * SES's, what lies below came with the mail and may be forged.
 */
static void
test_ses_verdict_headers(void **state)
{
	struct fixture *f = *state;
	json_t *r;

	r = one(f,
	    "Return-Path: <bounce@bounces.certificates.amazon.com>\n"
	    "Received: from a1-2.smtp-out.amazonses.com by inbound-smtp.eu-"
	    "west-1.amazonaws.com with SMTP id x1\n"
	    "X-SES-Spam-Verdict: PASS\n"
	    "X-SES-Virus-Verdict: PASS\n"
	    "Received-SPF: pass\n"
	    "Authentication-Results: amazonses.com;\n"
	    " spf=pass (spfCheck: ok) smtp.mailfrom=bounces.certificates."
	    "amazon.com;\n"
	    " dkim=pass header.i=@certificates.amazon.com;\n"
	    " dmarc=none header.from=certificates.amazon.com;\n"
	    "X-SES-RECEIPT: AEFBQUFB\n"
	    "X-SES-Spam-Verdict: FAIL\n"
	    "X-SES-Virus-Verdict: FAIL\n"
	    "Authentication-Results: amazonses.com; spf=fail; dkim=fail; "
	    "dmarc=fail\n"
	    UNIT_MAIL);
	assert_string_equal(str(r, "ses.spf"), "PASS");
	assert_string_equal(str(r, "ses.dkim"), "PASS");
	assert_string_equal(str(r, "ses.dmarc"), "NONE");
	assert_string_equal(str(r, "ses.spam"), "PASS");
	assert_string_equal(str(r, "ses.virus"), "PASS");

	/* and the other way round: a forged PASS below a real FAIL */
	r = one(f,
	    "X-SES-Spam-Verdict: FAIL\n"
	    "X-SES-Virus-Verdict: GRAY\n"
	    "Authentication-Results: amazonses.com; spf=softfail; "
	    "dkim=fail; dmarc=fail\n"
	    "X-SES-Spam-Verdict: PASS\n"
	    "X-SES-Virus-Verdict: PASS\n"
	    "Authentication-Results: amazonses.com; spf=pass; dkim=pass; "
	    "dmarc=pass\n"
	    UNIT_MAIL);
	assert_string_equal(str(r, "ses.spf"), "SOFTFAIL");
	assert_string_equal(str(r, "ses.dkim"), "FAIL");
	assert_string_equal(str(r, "ses.spam"), "FAIL");
	assert_string_equal(str(r, "ses.virus"), "GRAY");

	/* results written by another host are not SES's verdicts */
	r = one(f,
	    "Authentication-Results: mx.example.net; spf=pass; dkim=pass\n"
	    "X-SES-Spam-Verdict: PASS\n"
	    "X-SES-Virus-Verdict: PASS\n"
	    UNIT_MAIL);
	assert_true(json_is_null(unit_jget(r, "ses.spf")));
	assert_true(json_is_null(unit_jget(r, "ses.dkim")));
	assert_string_equal(str(r, "ses.spam"), "PASS");

	/* no SES headers at all: no verdicts */
	r = one(f, UNIT_MAIL);
	assert_true(json_is_null(unit_jget(r, "ses")));
}

/*
 * SES writes the envelope sender into its Authentication-Results, and
 * the sender chooses that: "dkim=pass" in a local part is no verdict.
 * Only a method=result at the start of a result counts (RFC 8601).
 */
static void
test_ses_verdict_sender_text(void **state)
{
	struct fixture *f = *state;
	json_t *r = one(f,
	    "X-SES-Spam-Verdict: PASS\n"
	    "X-SES-Virus-Verdict: PASS\n"
	    "Authentication-Results: amazonses.com;\n"
	    " spf=fail (spfCheck: domain of attacker.example does not "
	    "designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1;\n"
	    " envelope-from=dkim=pass.dmarc=pass@attacker.example;\n"
	    " helo=mx.attacker.example;\n"
	    " dkim=fail header.i=@attacker.example;\n"
	    " dmarc=fail header.from=certificates.amazon.com;\n"
	    UNIT_MAIL);

	assert_string_equal(str(r, "ses.spf"), "FAIL");
	assert_string_equal(str(r, "ses.dkim"), "FAIL");
	assert_string_equal(str(r, "ses.dmarc"), "FAIL");
}

/*
 * Past max_mime_depth (64) the rest is not read, and the tools are
 * told: a limit hit is a warning (DESIGN.md), also when no record is
 * left to carry it.  Attached messages count as levels too (acm.h:
 * "nested multiparts and messages").
 */
static void
test_mime_depth_limit(void **state)
{
	struct fixture *f = *state;
	GString *s = g_string_new(NULL);
	int i;

	for (i = 0; i < 70; i++)
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
	g_string_append(s, "Content-Type: text/plain\n\n" UNIT_BODY);
	g_string_prepend(s, "From: a@example.com\nSubject: deep\n"
	    "MIME-Version: 1.0\n");
	assert_int_equal(scan(f, K(g_string_free(s, FALSE))), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "deeper than 64"),
	    1);

	s = g_string_new(NULL);
	for (i = 0; i < 70; i++)
		g_string_append(s, "From: a@example.com\nSubject: fwd\n"
		    "MIME-Version: 1.0\nContent-Type: message/rfc822\n\n");
	g_string_append(s, UNIT_MAIL);
	assert_int_equal(scan(f, K(g_string_free(s, FALSE))), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "deeper than 64"),
	    1);
}

/* A byte order mark before the headers (a saved .eml) hides nothing. */
static void
test_byte_order_mark(void **state)
{
	struct fixture *f = *state;
	const char *m = "\xef\xbb\xbf" UNIT_MAIL;
	json_t *r;

	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(f->sc, m, strlen(m), "bom.eml"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = unit_record(&f->cap, 0);
	assert_string_equal(str(r, "from"),
	    "Amazon Certificates <no-reply@certificates.amazon.com>");
	assert_string_equal(str(r, "subject"),
	    "Certificate request for " UNIT_DOMAIN);
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_record_fields),
		T(test_headers_decoded),
		T(test_date_absent_or_extreme),
		T(test_no_link_no_record),
		T(test_quoted_printable_part),
		T(test_base64_part),
		T(test_leading_blank_lines),
		T(test_charset_latin1),
		T(test_non_ascii_domain),
		T(test_charset_unknown),
		T(test_html_only),
		T(test_alternative_parts),
		T(test_attached_message),
		T(test_attached_message_base64),
		T(test_forward_subjects),
		T(test_ses_verdict_headers),
		T(test_ses_verdict_sender_text),
		T(test_mime_depth_limit),
		T(test_byte_order_mark),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
