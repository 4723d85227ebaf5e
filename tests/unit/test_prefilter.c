/*
 * test_prefilter.c - prefilter.c: the raw-bytes test may answer "not
 * an ACM mail" only when no decoding could show the word; it must see
 * through quoted-printable, base64 and JSON escapes, one level or two.
 */
#include "unit.h"

#define BODY	"Greetings from Amazon Web Services,\n\n" \
	"To approve this request, go to Amazon Certificate Approvals at\n" \
	"https://us-east-1.certificates.amazon.com/approvals?code=x\n"

#define HEAD	"From: Amazon Certificates <no-reply@certificates." \
	"amazon.com>\r\nSubject: Certificate request for example.com\r\n"

static bool
maybe_mail(const char *s)
{
	return prefilter_maybe_acm((const unsigned char *)s, strlen(s));
}

static bool
maybe_json(const char *s)
{
	return prefilter_maybe_json((const unsigned char *)s, strlen(s));
}

/* A mail whose text body is BODY in base64, CRLF, as SES keeps it. */
static char *
base64_mail(const char *ctype)
{
	gchar *enc = g_base64_encode((const guchar *)BODY, strlen(BODY));
	GString *s = g_string_new(HEAD);
	size_t i, n = strlen(enc);

	g_string_append_printf(s, "Content-Type: %s\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", ctype);
	for (i = 0; i < n; i += 76) {
		g_string_append_len(s, enc + i, MIN(76, n - i));
		g_string_append(s, "\r\n");
	}
	g_free(enc);
	return g_string_free(s, FALSE);
}

/* TEXT as the "content" string of an SES notification, on one line. */
static char *
ses_line(const char *text)
{
	json_t *j = json_pack("{s:s, s:{s:s}, s:s}", "notificationType",
	    "Received", "receipt", "action", "SNS", "content", text);
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return s;
}

/* JSON as the "Message" string of an SNS envelope, on one line. */
static char *
sns_line(const char *json)
{
	json_t *j = json_pack("{s:s, s:s}", "Type", "Notification",
	    "Message", json);
	char *s = json_dumps(j, JSON_COMPACT);

	json_decref(j);
	return s;
}

static void
test_plain_word_found(void **state)
{
	(void)state;
	assert_true(maybe_mail(HEAD "\r\n" BODY));
	assert_true(maybe_mail("Subject: x\n\nsee ACM APPROVALS now\n"));
}

static void
test_ordinary_mail_cleared(void **state)
{
	(void)state;
	/* the singular word alone is ordinary business mail */
	assert_false(maybe_mail("From: boss@example.com\nSubject: "
	    "approval needed\n\nPlease give your approval by Friday.\n"));
	assert_false(maybe_mail(""));
}

static void
test_quoted_printable_soft_break(void **state)
{
	(void)state;
	assert_true(maybe_mail("Subject: x\nContent-Transfer-Encoding: "
	    "quoted-printable\n\nCertificate Appro=\nvals at https://x/\n"));
	/* the same bytes without the header are not decoded */
	assert_false(maybe_mail("Subject: x\n\nCertificate Appro=\n"
	    "vals at https://x/\n"));
}

static void
test_base64_text_body(void **state)
{
	char *m = base64_mail("text/plain; charset=UTF-8");
	char *img = base64_mail("image/png");

	(void)state;
	assert_true(maybe_mail(m));
	/* attachments that are not text are passed over unread */
	assert_false(maybe_mail(img));
	g_free(m);
	g_free(img);
}

static void
test_json_line_escaped_once_and_twice(void **state)
{
	char *m = base64_mail("text/plain; charset=UTF-8");
	char *ses = ses_line(m);
	char *sns = sns_line(ses);

	(void)state;
	assert_true(maybe_json(ses));
	/* regression: an SNS envelope around an SES notification whose
	 * mail has a base64 body was cleared, and its record lost */
	assert_true(maybe_json(sns));
	free(sns);
	free(ses);
	g_free(m);
}

static void
test_json_line_without_word(void **state)
{
	char *ses = ses_line(HEAD "\r\nNothing to approve here.\r\n");
	char *sns = sns_line(ses);

	(void)state;
	assert_false(maybe_json(ses));
	assert_false(maybe_json(sns));
	free(sns);
	free(ses);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_word_found),
		cmocka_unit_test(test_ordinary_mail_cleared),
		cmocka_unit_test(test_quoted_printable_soft_break),
		cmocka_unit_test(test_base64_text_body),
		cmocka_unit_test(test_json_line_escaped_once_and_twice),
		cmocka_unit_test(test_json_line_without_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
