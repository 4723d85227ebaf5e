/*
 * test_sniff.c - sniff.c: what a leaf byte stream is, by content alone.
 */
#include "unit.h"

struct fixture {
	struct capture		 cap;
	struct acm_scanner	*sc;
};

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

/* The format of a string; LABEL gets libmagic's name, if asked. */
static enum acm_format
sniff(void **state, const char *s, size_t n, const char **label)
{
	struct fixture *f = *state;
	const char *l = "unset";
	enum acm_format fmt;

	fmt = sniff_format(f->sc, (const unsigned char *)s, n, &l);
	if (label)
		*label = l;
	return fmt;
}

#define SNIFF(st, lit)		sniff((st), (lit), sizeof(lit) - 1, NULL)
#define SNIFFL(st, lit, l)	sniff((st), (lit), sizeof(lit) - 1, (l))

static void
test_mbox(void **state)
{
	const char *label;

	assert_int_equal(SNIFFL(state, "From alice@example.com Wed Jun  5 "
	    "09:07:03 2024\nSubject: x\n\nbody\n", &label), ACM_FMT_MBOX);
	assert_null(label);
	assert_int_equal(SNIFF(state, "From MAILER-DAEMON Thu Jan  1 "
	    "00:00:00 1970\n"), ACM_FMT_MBOX);
	/* blank lines before the first From_ line, a byte order mark */
	assert_int_equal(SNIFF(state, "\n\r\nFrom a Wed Jun  5 09:07:03 "
	    "2024\n"), ACM_FMT_MBOX);
	assert_int_equal(SNIFF(state, "\xef\xbb\xbf" "From a Wed Jun  5 "
	    "09:07:03 2024\n"), ACM_FMT_MBOX);
	/* "From:" is a header, "From " a separator */
	assert_int_equal(SNIFF(state, "From: a@example.com\n"),
	    ACM_FMT_MESSAGE);
}

static void
test_mmdf(void **state)
{
	assert_int_equal(SNIFF(state, "\1\1\1\1\nFrom: a\n\nb\n\1\1\1\1\n"),
	    ACM_FMT_MMDF);
	assert_int_equal(SNIFF(state, "\1\1\1\1\r\nFrom: a\r\n"),
	    ACM_FMT_MMDF);
	/* four ^A and more on the line is not a separator */
	assert_int_not_equal(SNIFF(state, "\1\1\1\1x\nFrom: a\n"),
	    ACM_FMT_MMDF);
	assert_int_not_equal(SNIFF(state, "\1\1\1\n"), ACM_FMT_MMDF);
}

static void
test_json(void **state)
{
	const char *label;

	assert_int_equal(SNIFFL(state, "{\"Type\":\"Notification\"}",
	    &label), ACM_FMT_JSON);
	assert_null(label);
	assert_int_equal(SNIFF(state, "[{}]"), ACM_FMT_JSON);
	assert_int_equal(SNIFF(state, " \r\n\t\n{\n  \"a\": 1\n}\n"),
	    ACM_FMT_JSON);
	assert_int_equal(SNIFF(state, "\xef\xbb\xbf{\"Records\":[]}"),
	    ACM_FMT_JSON);
	/* JSON Lines start like one document */
	assert_int_equal(SNIFF(state, "{\"a\":1}\n{\"a\":2}\n"),
	    ACM_FMT_JSON);
}

static void
test_message(void **state)
{
	assert_int_equal(SNIFF(state, "Return-Path: <x@example.com>\n"
	    "Received: from a\n"), ACM_FMT_MESSAGE);
	assert_int_equal(SNIFF(state, "X-Mailer:x\n"), ACM_FMT_MESSAGE);
	/* saved mail with blank lines before the headers */
	assert_int_equal(SNIFF(state, "\n\n  Subject: hi\n\nbody\n"),
	    ACM_FMT_MESSAGE);
	assert_int_equal(SNIFF(state, "\xef\xbb\xbf" "Subject: hi\n\nb\n"),
	    ACM_FMT_MESSAGE);
}

/* What our rules do not know, libmagic names; news is mail enough. */
static void
test_magic_fallback(void **state)
{
	const char *label;

	assert_int_equal(SNIFFL(state, "Article 123 of comp.lang.c:\n"
	    "Path: a!b\n", &label), ACM_FMT_MESSAGE);
	assert_non_null(label);
	assert_non_null(strstr(label, "news"));

	assert_int_equal(SNIFFL(state, "hello world, no header here\n",
	    &label), ACM_FMT_AUTO);
	assert_non_null(label);
	assert_non_null(strstr(label, "text"));

	assert_int_equal(SNIFFL(state, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
	    &label), ACM_FMT_AUTO);
	assert_non_null(label);
	assert_non_null(strstr(label, "PNG"));
}

static void
test_empty(void **state)
{
	const char *label;

	assert_int_equal(sniff(state, "", 0, &label), ACM_FMT_AUTO);
	assert_non_null(label);
	assert_non_null(strstr(label, "empty"));
	assert_int_equal(SNIFF(state, "\n\n \n"), ACM_FMT_AUTO);
}

static void
test_looks_like_header(void **state)
{
	(void)state;
	assert_true(looks_like_header((const unsigned char *)"Subject: x",
	    10));
	assert_true(looks_like_header((const unsigned char *)"X-A.b_c~:", 9));
	assert_false(looks_like_header((const unsigned char *)": x", 3));
	assert_false(looks_like_header((const unsigned char *)" Subject: x",
	    11));
	assert_false(looks_like_header((const unsigned char *)"Sub ject: x",
	    11));
	assert_false(looks_like_header((const unsigned char *)"Sub\tj: x",
	    8));
	assert_false(looks_like_header((const unsigned char *)"Subj\xc3\xa9:",
	    7));
	assert_false(looks_like_header((const unsigned char *)"NoColon\nx:",
	    10));
	/* only the bytes given count */
	assert_false(looks_like_header((const unsigned char *)"Subject: x",
	    7));
	assert_false(looks_like_header((const unsigned char *)"", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmdf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_magic_fallback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test(test_looks_like_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
