/*
 * test_jsonin.c - jsonin.c: JSON Lines, whole documents, concatenated
 * documents and arrays; the nesting and size limits; errors that say
 * where.
 */
#include <time.h>

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

/* An SES notification for a mail with Message-ID ID, as JSON text. */
static char *
ses_text(struct fixture *f, const char *id, size_t flags)
{
	return unit_dump(&f->cap, unit_ses_doc(unit_mail(&f->cap, id),
	    "UTF8"), flags);
}

/* The same wrapped in an SNS notification. */
static char *
sns_text(struct fixture *f, const char *id, size_t flags)
{
	return unit_dump(&f->cap, unit_sns_doc(ses_text(f, id,
	    JSON_COMPACT)), flags);
}

static int
scan(struct fixture *f, const char *s, size_t len)
{
	unit_capture_reset(&f->cap);
	return acm_scan_buffer(f->sc, s, len, "in.json");
}

static const char *
message_id(struct fixture *f, size_t i)
{
	return unit_jstr(unit_record(&f->cap, i), "message_id");
}

static long long
source_int(struct fixture *f, size_t i, const char *key)
{
	json_t *v = unit_jget(unit_jget(unit_record(&f->cap, i), "source"),
	    key);

	return json_is_null(v) ? -1 : json_integer_value(v);
}

static void
test_json_lines(void **state)
{
	struct fixture *f = *state;
	char *l0 = ses_text(f, "l0", 0), *l1 = sns_text(f, "l1", 0);
	char *l3 = ses_text(f, "l3", 0);
	char *in = K(g_strconcat(l0, "\n", l1, "\r\n\n", l3, "\n", NULL));
	static const size_t steps[] = { 1, 100, 1 << 20 };
	size_t i;

	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 3);
	assert_string_equal(message_id(f, 0), "l0@unit.example");
	assert_string_equal(message_id(f, 1), "l1@unit.example");
	assert_string_equal(message_id(f, 2), "l3@unit.example");
	/* the index is the line, blank lines counted; the offset its start */
	assert_int_equal(source_int(f, 0, "index"), 0);
	assert_int_equal(source_int(f, 0, "offset"), 0);
	assert_int_equal(source_int(f, 1, "index"), 1);
	assert_int_equal(source_int(f, 1, "offset"), strlen(l0) + 1);
	assert_int_equal(source_int(f, 2, "index"), 3);
	assert_int_equal(source_int(f, 2, "offset"),
	    strlen(l0) + strlen(l1) + 4);
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "json/ses");
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 1)),
	    "json/sns/ses");
	assert_int_equal(f->cap.diags->len, 0);

	/* the same through json_scan in blocks of any size */
	for (i = 0; i < G_N_ELEMENTS(steps); i++) {
		unit_capture_reset(&f->cap);
		unit_scan_mem(f->sc, json_scan, in, strlen(in), steps[i],
		    "in.json");
		assert_int_equal(unit_nrecords(&f->cap), 3);
		assert_string_equal(message_id(f, 2), "l3@unit.example");
		assert_int_equal(source_int(f, 2, "index"), 3);
	}
}

static void
test_whole_document(void **state)
{
	struct fixture *f = *state;
	char *doc = sns_text(f, "whole", JSON_INDENT(2));
	char *in = K(g_strconcat("\n\n", doc, "\n\n", NULL));

	/* pretty-printed: the first line is no whole value */
	assert_non_null(strchr(doc, '\n'));
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "whole@unit.example");
	/* the only document in the input has no number */
	assert_int_equal(source_int(f, 0, "index"), -1);
	assert_string_equal(unit_jstr(unit_record(&f->cap, 0),
	    "sns.topic_arn"), "arn:aws:sns:eu-west-1:111122223333:acm-mail");
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "json/sns/ses");
	assert_int_equal(f->cap.diags->len, 0);
}

static void
test_concatenated(void **state)
{
	struct fixture *f = *state;
	char *a = ses_text(f, "c0", JSON_INDENT(1));
	char *b = sns_text(f, "c1", JSON_INDENT(3));
	char *c = ses_text(f, "c2", 0);
	char *in = K(g_strconcat(a, b, "\n  ", c, NULL));

	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 3);
	assert_string_equal(message_id(f, 0), "c0@unit.example");
	assert_string_equal(message_id(f, 1), "c1@unit.example");
	assert_string_equal(message_id(f, 2), "c2@unit.example");
	assert_int_equal(source_int(f, 0, "index"), 0);
	assert_int_equal(source_int(f, 1, "index"), 1);
	assert_int_equal(source_int(f, 2, "index"), 2);
	assert_int_equal(source_int(f, 1, "offset"), strlen(a));

	/* on one line, with nothing between them */
	a = ses_text(f, "d0", 0);
	b = ses_text(f, "d1", 0);
	in = K(g_strconcat(a, b, "\n", NULL));
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 1), "d1@unit.example");
}

static void
test_array(void **state)
{
	struct fixture *f = *state;
	json_t *arr = json_array();
	char *in;

	json_array_append_new(arr, unit_ses_doc(unit_mail(&f->cap, "a0"),
	    "UTF8"));
	json_array_append_new(arr, json_string("not an envelope"));
	json_array_append_new(arr, unit_sns_doc(ses_text(f, "a1",
	    JSON_COMPACT)));
	in = unit_dump(&f->cap, arr, JSON_INDENT(2));
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 0), "a0@unit.example");
	assert_string_equal(message_id(f, 1), "a1@unit.example");
}

/*
 * acmextract's own records pass through whole, however they come, when
 * the scanner takes records (acmaudit); otherwise they are skipped.
 */
static void
test_records_pass_through(void **state)
{
	struct fixture *f = *state;
	const char *rec = "{\"template\":\"current\",\"domain\":\"a.example\","
	    "\"approval_url\":\"https://x/approvals?code=1\","
	    "\"sha256\":\"00\",\"source\":{\"path\":\"p\"}}";
	char *in = K(g_strconcat(rec, "\n[", rec, "]\n", NULL));
	json_t *want = json_loads(rec, 0, NULL);
	struct acm_scanner *sc;
	struct acm_options o;

	unit_own(&f->cap, want, (GDestroyNotify)json_decref);
	memset(&o, 0, sizeof(o));
	acm_limits_default(&o.limits);
	o.on_record = unit_on_record;
	o.on_diag = unit_on_diag;
	o.arg = &f->cap;
	o.accept_records = true;
	sc = acm_scanner_new(&o);
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(sc, in, strlen(in), "in.json"), 0);
	acm_scanner_free(sc);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_true(json_equal(unit_record(&f->cap, 0), want));
	assert_true(json_equal(unit_record(&f->cap, 1), want));

	/* a mail scanner names them once and goes on */
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_non_null(unit_diag(&f->cap, ACM_WARNING, "acmextract records"));
	assert_int_equal(f->cap.diags->len, 1);
}

static double
cpu_seconds(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

/* 100k levels: refused before jansson recurses, in one quick pass. */
static void
test_deep_nesting(void **state)
{
	struct fixture *f = *state;
	size_t depth = 100000, i;
	GString *s = g_string_new(NULL);
	char *deep, *in;
	double t;

	for (i = 0; i < depth; i++)
		g_string_append(s, "[");
	for (i = 0; i < depth; i++)
		g_string_append(s, "]");
	deep = K(g_string_free(s, FALSE));

	t = cpu_seconds();
	assert_int_equal(scan(f, deep, strlen(deep)), 0);
	assert_true(cpu_seconds() - t < 5.0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "nested deeper than 64"), 1);
	assert_int_equal(unit_ndiags(&f->cap, ACM_ERROR, NULL), 0);

	/* a deep line among JSON Lines costs that line only */
	in = K(g_strconcat(ses_text(f, "ok0", 0), "\n", deep, "\n",
	    ses_text(f, "ok2", 0), "\n", NULL));
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 1), "ok2@unit.example");
	assert_int_equal(unit_diag(&f->cap, ACM_WARNING,
	    "nested deeper")->index, 1);

	/* depth hidden in an SNS Message string is measured too */
	in = unit_dump(&f->cap, unit_sns_doc(deep), 0);
	t = cpu_seconds();
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_true(cpu_seconds() - t < 5.0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "nested deeper than 64"), 1);
}

/* Brackets inside strings are no nesting. */
static void
test_depth_ignores_strings(void **state)
{
	struct fixture *f = *state;
	GString *s = g_string_new(NULL);
	json_t *doc = unit_ses_doc(unit_mail(&f->cap, "str"), "UTF8");
	char *in;
	int i;

	for (i = 0; i < 1000; i++)
		g_string_append(s, "[{\\\"");
	json_object_set_new(doc, "padding", json_string(s->str));
	g_string_free(s, TRUE);
	in = unit_dump(&f->cap, doc, 0);
	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "nested"), 0);
}

/* A broken document is an error that says where, in the input's terms. */
static void
test_bad_json_whole(void **state)
{
	struct fixture *f = *state;
	static const char in[] = "{\n  \"Type\": \"Notification\",\n"
	    "  \"Message\": ]\n}\n";
	const struct unit_diag *d;

	assert_int_equal(scan(f, in, sizeof(in) - 1), -1);
	d = unit_diag(&f->cap, ACM_ERROR, "bad JSON");
	assert_non_null(strstr(d->message, "line 3, column 14"));
	assert_string_equal(d->path, "in.json");
	assert_int_equal(unit_nrecords(&f->cap), 0);
}

static void
test_bad_json_line(void **state)
{
	struct fixture *f = *state;
	char *in = K(g_strconcat(ses_text(f, "g0", 0), "\n",
	    "{\"Type\": \"Notification\", oops}\n",
	    ses_text(f, "g2", 0), "\n", NULL));
	const struct unit_diag *d;

	/* the error costs its line only */
	assert_int_equal(scan(f, in, strlen(in)), -1);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 1), "g2@unit.example");
	d = unit_diag(&f->cap, ACM_ERROR, "bad JSON");
	assert_int_equal(d->index, 1);
	/* the second line of the file, not the first of the document */
	assert_non_null(strstr(d->message, "line 2, column"));
}

static void
test_text_after_value(void **state)
{
	struct fixture *f = *state;
	char *in = K(g_strconcat(ses_text(f, "t0", 0), "\n",
	    ses_text(f, "t1", 0), " trailing words\n", NULL));

	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_int_equal(unit_diag(&f->cap, ACM_WARNING,
	    "text after the JSON value")->index, 1);
}

static void
test_size_limits(void **state)
{
	struct fixture *f = *state;
	struct acm_limits lim;
	struct acm_scanner *sc;
	char *small = ses_text(f, "s0", 0), *big, *in;
	const struct unit_diag *d;
	GString *pad = g_string_new(NULL);
	int i;

	acm_limits_default(&lim);
	lim.max_json_doc = strlen(small) + 10;
	sc = unit_own(&f->cap, unit_scanner(&f->cap, ACM_FMT_AUTO, &lim),
	    (GDestroyNotify)acm_scanner_free);
	for (i = 0; i < 1000; i++)
		g_string_append(pad, "0123456789");
	big = unit_dump(&f->cap, json_pack("{s:s, s:s}", "Type", "x",
	    "pad", pad->str), 0);
	g_string_free(pad, TRUE);

	/* JSON Lines: the long line is skipped, the others read */
	assert_true(strlen(big) > lim.max_json_doc);
	in = K(g_strconcat(small, "\n", big, "\n", small, "\n", NULL));
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(sc, in, strlen(in), "l"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	d = unit_diag(&f->cap, ACM_WARNING, "longer than");
	assert_int_equal(d->index, 1);
	assert_int_equal(d->offset, strlen(small) + 1);

	/* one document over the limit is skipped whole */
	in = unit_dump(&f->cap, json_pack("[s, o]", big,
	    unit_ses_doc(unit_mail(&f->cap, "s1"), "UTF8")), JSON_INDENT(1));
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(sc, in, strlen(in), "w"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "larger than"), 1);
}

static void
test_byte_order_mark(void **state)
{
	struct fixture *f = *state;
	char *in = K(g_strconcat("\xef\xbb\xbf", sns_text(f, "bom",
	    JSON_INDENT(2)), NULL));

	assert_int_equal(scan(f, in, strlen(in)), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "bom@unit.example");
}

/*
 * Concatenated documents cost what JSON Lines of the same documents
 * cost, give or take: each document is measured once, not every
 * document with all that follows it (which grows with the square of
 * the input, as with jq's pretty-printed output of a long stream).
 */
static void
test_concatenated_linear(void **state)
{
	struct fixture *f = *state;
	GString *lines = g_string_new(NULL), *pretty = g_string_new(NULL);
	char *l, *p;
	double t0, t_lines, t_pretty;
	int i;

	for (i = 0; i < 6000; i++) {
		g_string_append_printf(lines, "{\"n\": %d, \"v\": [1, 2]}\n",
		    i);
		g_string_append_printf(pretty, "{\n  \"n\": %d,\n  \"v\": "
		    "[\n    1,\n    2\n  ]\n}\n", i);
	}
	l = K(g_string_free(lines, FALSE));
	p = K(g_string_free(pretty, FALSE));
	t0 = cpu_seconds();
	assert_int_equal(scan(f, l, strlen(l)), 0);
	t_lines = cpu_seconds() - t0;
	t0 = cpu_seconds();
	assert_int_equal(scan(f, p, strlen(p)), 0);
	t_pretty = cpu_seconds() - t0;
	assert_int_equal(f->cap.diags->len, 0);
	assert_true(t_pretty < 10 * t_lines + 0.05);
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_json_lines),
		T(test_whole_document),
		T(test_concatenated),
		T(test_array),
		T(test_records_pass_through),
		T(test_deep_nesting),
		T(test_depth_ignores_strings),
		T(test_bad_json_whole),
		T(test_bad_json_line),
		T(test_text_after_value),
		T(test_size_limits),
		T(test_byte_order_mark),
		T(test_concatenated_linear),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
