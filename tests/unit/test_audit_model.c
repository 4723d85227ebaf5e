/*
 * test_audit_model.c - acmaudit's report model: a certificate row from
 * several mails (copies counted once, resends, a phishing mail making
 * the verdict mixed), the timeline's unit, and which inputs reach the
 * inventory when record files carry them (audit_model.c, audit_group.c,
 * audit_timeline.c, audit_intake.c).
 */
#include "unit.h"
#include "audit_report.h"

#define NOW	"2024-06-05T12:00:00Z"
#define BAD_URL	"https://approvals.example.org/approvals?code=" UNIT_CODE

struct fixture {
	struct capture		 cap;
	struct acm_policy	*pol;
	struct audit_report	*rep;
	json_t			*rec;	/* a genuine record of UNIT_MAIL */
};

static int
setup(void **state)
{
	static const char mail[] = "Return-Path: <0100018f@amazonses.com>\n"
	    UNIT_MAIL;
	struct fixture *f = g_new0(struct fixture, 1);
	struct acm_scanner *sc;
	int64_t now;

	unit_capture_init(&f->cap);
	sc = unit_scanner(&f->cap, ACM_FMT_AUTO, NULL);
	acm_scan_buffer(sc, mail, strlen(mail), "a.eml");
	acm_scanner_free(sc);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	f->rec = json_incref(unit_record(&f->cap, 0));
	f->pol = acm_policy_new();
	assert_true(acm_time_parse(NOW, &now));
	f->rep = audit_report_new(f->pol, now, AUDIT_HIGH);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	audit_report_free(f->rep);
	acm_policy_free(f->pol);
	json_decref(f->rec);
	unit_capture_free(&f->cap);
	g_free(f);
	return 0;
}

/* A copy of the genuine record, found at PATH#INDEX. */
static json_t *
found_at(struct fixture *f, const char *path, long index)
{
	json_t *r = json_deep_copy(f->rec);
	json_t *src = json_object_get(r, "source");

	json_object_set_new(src, "path", json_string(path));
	json_object_set_new(src, "index", json_integer(index));
	return r;
}

static void
add(struct fixture *f, json_t *r)
{
	audit_report_record(f->rep, r);
	json_decref(r);
}

static void
test_certificate_row(void **state)
{
	struct fixture *f = *state;
	const struct audit_row *w;
	const struct audit_finding *fd;
	json_t *resend, *phish, *link;

	/* the same bytes in an .eml and in an mbox: one mail */
	add(f, found_at(f, "a.eml", 0));
	add(f, found_at(f, "box.mbox", 3));

	/* a new code an hour later: a resend */
	resend = found_at(f, "box.mbox", 4);
	json_object_set_new(resend, "code", json_string("c0de"));
	json_object_set_new(resend, "sha256", json_string("11"));
	json_object_set_new(resend, "date",
	    json_string("2024-06-05T10:07:03Z"));
	add(f, resend);

	/* a lookalike naming the same certificate */
	phish = found_at(f, "box.mbox", 5);
	link = json_array_get(json_object_get(phish, "links"), 0);
	json_object_set_new(link, "href", json_string(BAD_URL));
	json_object_set_new(phish, "approval_url", json_string(BAD_URL));
	json_object_set_new(phish, "approval_host",
	    json_string("approvals.example.org"));
	json_object_set_new(phish, "code", json_string("c0de2"));
	json_object_set_new(phish, "sha256", json_string("22"));
	add(f, phish);

	audit_report_finish(f->rep);
	assert_int_equal(f->rep->certs->len, 1);
	w = f->rep->certs->pdata[0];
	assert_string_equal(w->key, UNIT_CERT_ID);
	assert_int_equal(w->mails, 3);
	assert_int_equal(w->failed, 1);
	assert_int_equal(w->resends, 2);
	assert_string_equal(audit_verdict(w), "mixed");
	assert_int_equal(w->worst, AUDIT_HIGH);
	assert_string_equal(w->first, "2024-06-05T09:07:03Z");
	assert_string_equal(w->last, "2024-06-05T10:07:03Z");
	assert_int_equal(w->accounts->len, 1);
	assert_string_equal(w->accounts->pdata[0], UNIT_ACCOUNT);
	assert_string_equal(w->recipients->pdata[0], "admin@example.com");

	assert_int_equal(f->rep->distinct, 3);
	assert_int_equal(f->rep->failed, 1);
	assert_true(f->rep->by_sev[AUDIT_HIGH] >= 1);
	fd = f->rep->findings->pdata[0];
	assert_string_equal(fd->code, "link-host");
	assert_int_equal(fd->sev, AUDIT_HIGH);
	assert_string_equal(fd->mail->path, "box.mbox");
	assert_int_equal(fd->mail->index, 5);
	assert_true(audit_report_fails(f->rep));
	f->rep->fail_on = AUDIT_NEVER;
	assert_false(audit_report_fails(f->rep));

	/* one row per account and per domain */
	assert_int_equal(f->rep->accounts->len, 1);
	assert_int_equal(f->rep->domains->len, 1);
	assert_string_equal(((struct audit_row *)
	    f->rep->domains->pdata[0])->key, UNIT_DOMAIN);
}

/* Records dated FIRST and LAST: which unit, and how many buckets. */
static void
timeline_of(struct fixture *f, const char *first, const char *last,
    const char *unit, guint buckets)
{
	json_t *a = found_at(f, "a.mbox", 0), *b = found_at(f, "a.mbox", 1);

	json_object_set_new(a, "date", json_string(first));
	json_object_set_new(b, "date", json_string(last));
	json_object_set_new(b, "sha256", json_string("other"));
	audit_report_free(f->rep);
	f->rep = audit_report_new(f->pol, 0, AUDIT_HIGH);
	add(f, a);
	add(f, b);
	audit_report_finish(f->rep);
	assert_string_equal(f->rep->unit, unit);
	assert_int_equal(f->rep->timeline->len, buckets);
}

static void
test_timeline(void **state)
{
	struct fixture *f = *state;
	const struct audit_bucket *b;

	timeline_of(f, "2024-06-01T00:00:00Z", "2024-06-10T23:59:59Z", "day",
	    10);
	b = &g_array_index(f->rep->timeline, struct audit_bucket, 9);
	assert_string_equal(b->label, "2024-06-10");
	assert_int_equal(b->mails, 1);
	timeline_of(f, "2023-01-15T00:00:00Z", "2024-12-01T00:00:00Z",
	    "month", 24);
	timeline_of(f, "2014-02-01T00:00:00Z", "2024-05-01T00:00:00Z",
	    "quarter", 42);
	b = &g_array_index(f->rep->timeline, struct audit_bucket, 41);
	assert_string_equal(b->label, "2024-Q2");
	assert_string_equal(b->start, "2024-04-01T00:00:00Z");
	timeline_of(f, "1999-12-31T23:59:59Z", "2024-01-01T00:00:00Z",
	    "year", 26);
}

static void
stats(struct audit_intake *in, const char *path, uint64_t messages,
    uint64_t errors)
{
	struct acm_input_stats st;

	memset(&st, 0, sizeof(st));
	st.path = path;
	st.messages = messages;
	st.records = messages;
	st.errors = errors;
	audit_intake_stats(in, &st);
}

static const char *
input_path(struct fixture *f, guint i)
{
	assert_true(i < f->rep->inputs->len);
	return ((struct audit_input *)f->rep->inputs->pdata[i])->path;
}

static void
test_intake(void **state)
{
	struct fixture *f = *state;
	struct audit_intake *in = audit_intake_new(f->rep);
	json_t *carried = found_at(f, "far/away.mbox", 0);

	/* a record file: its inventory lines are inputs, it is not */
	audit_intake_begin(in, "part.jsonl", false);
	stats(in, "shard1.mbox", 3, 0);
	stats(in, "shard2.mbox", 0, 0);
	stats(in, "part.jsonl", 0, 0);
	audit_intake_end(in);

	/* a directory: a mail file, then a record file whose line came
	   before the mail file's end (as with -j) */
	audit_intake_begin(in, "dir/", true);
	stats(in, "remote.mbox", 2, 0);
	stats(in, "dir/a.mbox", 5, 0);
	stats(in, "dir/b.jsonl", 0, 0);
	audit_intake_end(in);

	/* records with no inventory line: the file is still no input */
	audit_intake_begin(in, "plain.jsonl", false);
	audit_intake_record(in, carried);
	stats(in, "plain.jsonl", 0, 0);
	audit_intake_end(in);

	/* no mail and nothing carried, or an error: inputs */
	audit_intake_begin(in, "empty.json", false);
	stats(in, "empty.json", 0, 0);
	audit_intake_end(in);
	audit_intake_begin(in, "missing", false);
	stats(in, "missing", 0, 1);
	audit_intake_end(in);

	add(f, carried);
	audit_report_finish(f->rep);
	audit_intake_free(in);

	assert_int_equal(f->rep->inputs->len, 7);
	assert_string_equal(input_path(f, 0), "dir/a.mbox");
	assert_string_equal(input_path(f, 1), "empty.json");
	assert_string_equal(input_path(f, 2), "far/away.mbox");
	assert_false(((struct audit_input *)
	    f->rep->inputs->pdata[2])->known);
	assert_string_equal(input_path(f, 3), "missing");
	assert_string_equal(input_path(f, 4), "remote.mbox");
	assert_string_equal(input_path(f, 5), "shard1.mbox");
	assert_string_equal(input_path(f, 6), "shard2.mbox");
	assert_int_equal(f->rep->messages, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_certificate_row, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_intake, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
