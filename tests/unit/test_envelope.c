/*
 * test_envelope.c - envelope.c: SNS notifications, SES "Received"
 * notifications (UTF-8, base64, no hint), Lambda events, and mails
 * whose body is such JSON (SNS e-mail deliveries).
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

/* Walk J (its reference taken) as if found at the top of "env.json". */
static void
walk(struct fixture *f, json_t *j)
{
	struct prov p;

	memset(&p, 0, sizeof(p));
	p.path = "env.json";
	p.index = -1;
	p.offset = -1;
	unit_capture_reset(&f->cap);
	unit_own(&f->cap, j, (GDestroyNotify)json_decref);
	envelope_walk(f->sc, j, &p);
}

static json_t *
rec(struct fixture *f, size_t i)
{
	return unit_record(&f->cap, i);
}

static void
assert_sha(json_t *r, const char *raw)
{
	char sha[65];

	sha256_hex(raw, strlen(raw), sha);
	assert_string_equal(unit_jstr(r, "sha256"), sha);
}

static void
test_sns_ses_utf8(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "sns");
	json_t *r;

	walk(f, unit_sns_doc(unit_dump(&f->cap, unit_ses_doc(m, "UTF8"),
	    0)));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = rec(f, 0);
	assert_string_equal(unit_jstr(r, "message_id"), "sns@unit.example");
	assert_string_equal(unit_jstr(r, "approval_url"), UNIT_URL);
	assert_string_equal(unit_layers(&f->cap, r), "sns/ses");
	assert_sha(r, m);
	assert_false(json_is_true(unit_jget(r, "copy")));
	/* what the SNS envelope says */
	assert_string_equal(unit_jstr(r, "sns.message_id"),
	    "3f2a1b0c-1111-4222-8333-944455556666");
	assert_string_equal(unit_jstr(r, "sns.topic_arn"),
	    "arn:aws:sns:eu-west-1:111122223333:acm-mail");
	assert_string_equal(unit_jstr(r, "sns.timestamp"),
	    "2024-06-05T09:07:05.456Z");
	assert_string_equal(unit_jstr(r, "sns.signature_version"), "1");
	/* the verdicts from the receipt, each its own */
	assert_string_equal(unit_jstr(r, "ses.spf"), "PASS");
	assert_string_equal(unit_jstr(r, "ses.dkim"), "PASS");
	assert_string_equal(unit_jstr(r, "ses.dmarc"), "GRAY");
	assert_string_equal(unit_jstr(r, "ses.spam"), "PASS");
	assert_string_equal(unit_jstr(r, "ses.virus"), "PASS");
}

static void
test_ses_base64(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "b64");
	json_t *r;

	walk(f, unit_ses_doc(m, "BASE64"));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = rec(f, 0);
	assert_string_equal(unit_jstr(r, "message_id"), "b64@unit.example");
	assert_string_equal(unit_layers(&f->cap, r), "ses/base64");
	/* the fields come from the decoded bytes, and so does the hash */
	assert_sha(r, m);
	assert_true(json_is_null(unit_jget(r, "sns")));
	assert_string_equal(unit_jstr(r, "ses.dmarc"), "GRAY");
}

/* No encoding in the action: the content itself says which. */
static void
test_ses_missing_hint(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "nohint");
	char *b = K(g_base64_encode((const guchar *)m, strlen(m)));
	GString *wrapped = g_string_new(NULL);
	json_t *doc;
	size_t i;

	walk(f, unit_ses_doc(m, NULL));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)), "ses");
	assert_sha(rec(f, 0), m);

	/* base64 as a gateway wraps it, at 76 columns with CRLF */
	for (i = 0; i < strlen(b); i += 76) {
		g_string_append_len(wrapped, b + i, MIN(76, strlen(b) - i));
		g_string_append(wrapped, "\r\n");
	}
	doc = unit_ses_doc(m, NULL);
	json_object_set_new(doc, "content", json_string(wrapped->str));
	g_string_free(wrapped, TRUE);
	walk(f, doc);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)), "ses/base64");
	assert_sha(rec(f, 0), m);
	assert_string_equal(unit_jstr(rec(f, 0), "domain"), UNIT_DOMAIN);
}

static void
test_ses_bad_base64(void **state)
{
	struct fixture *f = *state;
	json_t *doc = unit_ses_doc("x", "BASE64");

	json_object_set_new(doc, "content",
	    json_string("not base64 at all: <html>"));
	walk(f, doc);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "not valid base64"), 1);
}

static void
test_ses_headers_truncated(void **state)
{
	struct fixture *f = *state;
	json_t *doc = unit_ses_doc(unit_mail(&f->cap, "trunc"), "UTF8");

	json_object_set_new(json_object_get(doc, "mail"), "headersTruncated",
	    json_true());
	walk(f, doc);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_true(unit_jarray_has(rec(f, 0), "warnings",
	    "headers were truncated"));
}

/* An S3 action's notification: the mail is stored elsewhere. */
static void
test_ses_without_content(void **state)
{
	struct fixture *f = *state;
	json_t *doc = unit_ses_doc("x", NULL);

	json_object_del(doc, "content");
	json_object_set_new(json_object_get(json_object_get(doc, "receipt"),
	    "action"), "type", json_string("S3"));
	walk(f, doc);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "without content (action S3)"), 1);
}

static void
test_lambda_sns(void **state)
{
	struct fixture *f = *state;
	json_t *sns = unit_sns_doc(unit_dump(&f->cap, unit_ses_doc(
	    unit_mail(&f->cap, "lambda"), "UTF8"), 0));
	json_t *ev;

	/* Lambda spells the certificate URL "SigningCertUrl" */
	json_object_set(sns, "SigningCertUrl",
	    json_object_get(sns, "SigningCertURL"));
	json_object_del(sns, "SigningCertURL");
	ev = json_pack("{s:[{s:s, s:s, s:o}]}", "Records", "EventSource",
	    "aws:sns", "EventVersion", "1.0", "Sns", sns);
	walk(f, ev);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_jstr(rec(f, 0), "message_id"),
	    "lambda@unit.example");
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)),
	    "lambda/sns/ses");
	assert_string_equal(unit_jstr(rec(f, 0), "sns.topic_arn"),
	    "arn:aws:sns:eu-west-1:111122223333:acm-mail");
	assert_string_equal(unit_jstr(rec(f, 0), "sns.signing_cert_url"),
	    "https://sns.eu-west-1.amazonaws.com/"
	    "SimpleNotificationService-0123456789abcdef0123456789abcdef.pem");
}

/* The SES Lambda action carries no content: say so, make nothing up. */
static void
test_lambda_ses(void **state)
{
	struct fixture *f = *state;
	json_t *ses = unit_ses_doc("x", NULL), *ev;

	json_object_del(ses, "content");
	json_object_del(ses, "notificationType");
	json_object_set_new(json_object_get(json_object_get(ses, "receipt"),
	    "action"), "type", json_string("Lambda"));
	ev = json_pack("{s:[{s:s, s:o}, {s:s, s:o}]}", "Records",
	    "eventSource", "aws:ses", "ses", ses,
	    "eventSource", "aws:sns", "Sns", unit_sns_doc(unit_dump(&f->cap,
	    unit_ses_doc(unit_mail(&f->cap, "second"), "UTF8"), 0)));
	walk(f, ev);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "without content (action Lambda)"), 1);
	/* the next record in the event is still read */
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_jstr(rec(f, 0), "message_id"),
	    "second@unit.example");
}

/* An SNS Message may be the raw mail itself. */
static void
test_sns_raw_mail(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "raw");

	walk(f, unit_sns_doc(m));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)), "sns");
	assert_sha(rec(f, 0), m);
	/* no receipt, no SES verdicts */
	assert_true(json_is_null(unit_jget(rec(f, 0), "ses")));
}

static void
test_envelope_depth(void **state)
{
	struct fixture *f = *state;
	char *inner = unit_dump(&f->cap, unit_ses_doc(unit_mail(&f->cap,
	    "deep"), "UTF8"), 0);
	int i;

	for (i = 0; i < 20; i++)
		inner = unit_dump(&f->cap, unit_sns_doc(inner), 0);
	walk(f, json_loads(inner, 0, NULL));
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "nested deeper than 16"), 1);

	/* within the limit the mail is found */
	inner = unit_dump(&f->cap, unit_ses_doc(unit_mail(&f->cap,
	    "ten"), "UTF8"), 0);
	for (i = 0; i < 10; i++)
		inner = unit_dump(&f->cap, unit_sns_doc(inner), 0);
	walk(f, json_loads(inner, 0, NULL));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_jstr(rec(f, 0), "message_id"),
	    "ten@unit.example");
}

/*
 * An SNS "email" delivery: the notification's text as the body, with
 * "!" + line break + space put in every WIDTH octets, line ends NL, and
 * the unsubscribe footer.
 */
static char *
sns_email(struct fixture *f, const char *json, size_t width, const char *nl)
{
	GString *s = g_string_new(NULL);
	char **lines, *body;
	size_t i, n = strlen(json);

	for (i = 0; i < n; i += width) {
		if (i > 0)
			g_string_append(s, "!\n ");
		g_string_append_len(s, json + i, MIN(width, n - i));
	}
	g_string_append(s, "\n\n--\nIf you wish to stop receiving "
	    "notifications from this topic, please click or visit the link "
	    "below to unsubscribe:\nhttps://sns.eu-west-1.amazonaws.com/"
	    "unsubscribe.html?SubscriptionArn=arn:aws:sns:eu-west-1:"
	    "111122223333:acm-mail:0f1e&Endpoint=ops@example.com\n\n"
	    "Please do not reply directly to this email.\n");
	g_string_prepend(s,
	    "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
	    "To: ops@example.com\n"
	    "Subject: Amazon SES Email Receipt Notification\n"
	    "Date: Wed, 05 Jun 2024 09:07:06 +0000\n"
	    "Message-ID: <0100018f-sns@email.amazonses.com>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "\n");
	body = g_string_free(s, FALSE);
	if (strcmp(nl, "\n") != 0) {
		lines = g_strsplit(body, "\n", -1);
		g_free(body);
		body = g_strjoinv(nl, lines);
		g_strfreev(lines);
	}
	return K(body);
}

static int
scan_message(struct fixture *f, const char *m)
{
	unit_capture_reset(&f->cap);
	return acm_scan_message(f->sc, m, strlen(m), "sns.eml");
}

static void
test_sns_email_body(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "email");
	char *json = unit_dump(&f->cap, unit_ses_doc(m, "UTF8"), 0);
	static const size_t widths[] = { 1000, 997, 80 };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(widths); i++) {
		json_t *r;

		assert_int_equal(scan_message(f, sns_email(f, json, widths[i],
		    "\n")), 0);
		assert_int_equal(unit_nrecords(&f->cap), 1);
		r = rec(f, 0);
		/* the mail inside, put back together byte for byte */
		assert_string_equal(unit_jstr(r, "message_id"),
		    "email@unit.example");
		assert_sha(r, m);
		assert_string_equal(unit_jstr(r, "approval_url"), UNIT_URL);
		assert_string_equal(unit_layers(&f->cap, r), "sns-email/ses");
		assert_string_equal(unit_jstr(r, "ses.dmarc"), "GRAY");
		assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, NULL), 0);
	}
}

static void
test_sns_email_crlf(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "crlf");
	char *json = unit_dump(&f->cap, unit_ses_doc(m, "UTF8"), 0);

	assert_int_equal(scan_message(f, sns_email(f, json, 990, "\r\n")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_sha(rec(f, 0), m);
}

/* The same with the SES content in base64, split by the re-wraps. */
static void
test_sns_email_base64(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "email64");
	char *json = unit_dump(&f->cap, unit_ses_doc(m, "BASE64"), 0);

	assert_int_equal(scan_message(f, sns_email(f, json, 1000, "\n")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_sha(rec(f, 0), m);
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)),
	    "sns-email/ses/base64");
}

/* "email-json": the whole SNS envelope, pretty-printed, as the body. */
static void
test_sns_email_json(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "ej");
	char *json = unit_dump(&f->cap, unit_sns_doc(unit_dump(&f->cap,
	    unit_ses_doc(m, "UTF8"), 0)), JSON_INDENT(2));

	assert_int_equal(scan_message(f, sns_email(f, json, 1000, "\n")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_sha(rec(f, 0), m);
	assert_string_equal(unit_layers(&f->cap, rec(f, 0)),
	    "sns-email/sns/ses");
	assert_string_equal(unit_jstr(rec(f, 0), "sns.signature_version"),
	    "1");
}

static void
test_envelope_from_body_direct(void **state)
{
	struct fixture *f = *state;
	struct prov p;
	char *m = unit_mail(&f->cap, "direct");
	char *json = unit_dump(&f->cap, unit_ses_doc(m, "UTF8"), 0);

	memset(&p, 0, sizeof(p));
	p.path = "b";
	p.index = -1;
	p.offset = -1;
	unit_capture_reset(&f->cap);
	assert_true(envelope_from_body(f->sc, json, strlen(json), &p));
	assert_int_equal(unit_nrecords(&f->cap), 1);
	/* the caller's provenance is not changed by what is under it */
	assert_int_equal(p.nlayers, 0);

	/* text, and JSON of other kinds, are not SNS deliveries */
	assert_false(envelope_from_body(f->sc, "Hello,\n\nplain text.\n",
	    21, &p));
	assert_false(envelope_from_body(f->sc, "{\"user\": \"x\"}", 13, &p));
	assert_false(envelope_from_body(f->sc, "", 0, &p));
	assert_int_equal(unit_nrecords(&f->cap), 1);
}

static void
test_is_record(void **state)
{
	struct fixture *f = *state;
	json_t *r = json_pack("{s:s, s:s, s:s, s:{}}", "template", "current",
	    "approval_url", "https://x/approvals?code=1", "sha256", "00",
	    "source");
	json_t *no_sha, *no_source, *a = json_array();

	unit_own(&f->cap, r, (GDestroyNotify)json_decref);
	unit_own(&f->cap, a, (GDestroyNotify)json_decref);
	no_sha = unit_own(&f->cap, json_deep_copy(r),
	    (GDestroyNotify)json_decref);
	no_source = unit_own(&f->cap, json_deep_copy(r),
	    (GDestroyNotify)json_decref);
	json_object_del(no_sha, "sha256");
	json_object_del(no_source, "source");
	json_array_append(a, r);
	assert_true(is_record(r));
	assert_false(is_record(no_sha));
	assert_false(is_record(no_source));
	assert_false(is_record(a));
	assert_false(is_record(NULL));
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sns_ses_utf8),
		T(test_ses_base64),
		T(test_ses_missing_hint),
		T(test_ses_bad_base64),
		T(test_ses_headers_truncated),
		T(test_ses_without_content),
		T(test_lambda_sns),
		T(test_lambda_ses),
		T(test_sns_raw_mail),
		T(test_envelope_depth),
		T(test_sns_email_body),
		T(test_sns_email_crlf),
		T(test_sns_email_base64),
		T(test_sns_email_json),
		T(test_envelope_from_body_direct),
		T(test_is_record),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
