/*
 * test_mbox.c - mbox.c: mailboxes split into messages (mboxo, mboxrd,
 * mboxcl/mboxcl2, MMDF), driven through mbox_scan over blocks of every
 * size and through acm_scan_buffer as a tool would.
 */
#include "unit.h"

#define FROM1	"From alice@example.com Wed Jun  5 09:07:03 2024\n"
#define FROM2	"From MAILER-DAEMON Thu Jun  6 10:00:00 2024\n"

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

#define K(s)	unit_keep(&f->cap, (s))

/* A validation mail told apart from others by its Message-ID. */
static char *
mail_new(const char *id, const char *nl)
{
	char *m = g_strdup_printf(
	    "From: Amazon Certificates <no-reply@certificates.amazon.com>\n"
	    "To: admin@example.com\n"
	    "Subject: Certificate request for " UNIT_DOMAIN "\n"
	    "Message-ID: <%s@unit.example>\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "\n" UNIT_BODY, id);
	char **lines;

	if (strcmp(nl, "\n") == 0)
		return m;
	lines = g_strsplit(m, "\n", -1);
	g_free(m);
	m = g_strjoinv(nl, lines);
	g_strfreev(lines);
	return m;
}

#define mail(id, nl)	K(mail_new((id), (nl)))

static const char *
message_id(json_t *rec)
{
	return unit_jstr(rec, "message_id");
}

/* The record's sha256 is that of exactly WANT, the unquoted message. */
static void
assert_raw(json_t *rec, const char *want, size_t len)
{
	char sha[65];

	sha256_hex(want, len, sha);
	assert_string_equal(unit_jstr(rec, "sha256"), sha);
}

static void
scan_blocks(struct fixture *f, const char *box, size_t len, size_t step)
{
	unit_capture_reset(&f->cap);
	unit_scan_mem(f->sc, mbox_scan, box, len, step, "box");
}

static void
test_two_messages(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	char *box = K(g_strconcat(FROM1, one, "\n", FROM2, two, "\n", NULL));
	size_t len = strlen(box), off2 = strlen(FROM1) + strlen(one) + 1;
	static const size_t steps[] = { 1, 7, 64, 4096, 1 << 20 };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(steps); i++) {
		json_t *r0, *r1;

		scan_blocks(f, box, len, steps[i]);
		assert_int_equal(unit_nrecords(&f->cap), 2);
		r0 = unit_record(&f->cap, 0);
		r1 = unit_record(&f->cap, 1);
		assert_string_equal(message_id(r0), "one@unit.example");
		assert_string_equal(message_id(r1), "two@unit.example");
		assert_int_equal(json_integer_value(unit_jget(r0,
		    "source.index")), 0);
		assert_int_equal(json_integer_value(unit_jget(r0,
		    "source.offset")), 0);
		assert_int_equal(json_integer_value(unit_jget(r1,
		    "source.index")), 1);
		assert_int_equal(json_integer_value(unit_jget(r1,
		    "source.offset")), off2);
		/* neither the From_ line nor the blank line after is mail */
		assert_raw(r0, one, strlen(one));
		assert_raw(r1, two, strlen(two));
		assert_string_equal(unit_jstr(r0, "approval_url"), UNIT_URL);
		assert_int_equal(f->cap.diags->len, 0);
	}
}

/* As the tools see it: sniffed, with "mbox" in the provenance. */
static void
test_scan_buffer(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	char *box = K(g_strconcat(FROM1, one, "\n", FROM2, two, NULL));

	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(f->sc, box, strlen(box),
	    "inbox.mbox"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(unit_jstr(unit_record(&f->cap, 1), "source.path"),
	    "inbox.mbox");
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 1)),
	    "mbox");
	assert_int_equal(f->cap.inputs->len, 1);
	assert_int_equal(g_array_index(f->cap.inputs, struct acm_input_stats,
	    0).messages, 2);
	assert_int_equal(g_array_index(f->cap.inputs, struct acm_input_stats,
	    0).records, 2);
}

/*
 * "From " inside a body starts a message only after a blank line or
 * when it has the shape writers give From_ lines (a time in it).
 */
static void
test_from_line_rules(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	char *body = K(g_strconcat(one, "From the desk of the hostmaster,\n"
	    "regards.\n", NULL));
	char *box = K(g_strconcat(FROM1, body, "\n", FROM2, two, NULL));

	scan_blocks(f, box, strlen(box), 5);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_raw(unit_record(&f->cap, 0), body, strlen(body));

	/* a From_-shaped line needs no blank line before it */
	box = K(g_strconcat(FROM1, one, FROM2, two, NULL));
	scan_blocks(f, box, strlen(box), 5);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(unit_record(&f->cap, 1)),
	    "two@unit.example");
	assert_raw(unit_record(&f->cap, 0), one, strlen(one));

	/* after a blank line any "From " starts one: three messages */
	box = K(g_strconcat(FROM1, one, "\nFrom the desk of the "
	    "hostmaster\n\n", FROM2, two, NULL));
	f->sc->stats.messages = 0;
	scan_blocks(f, box, strlen(box), 5);
	assert_int_equal(f->sc->stats.messages, 3);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_raw(unit_record(&f->cap, 0), one, strlen(one));
	assert_int_equal(json_integer_value(unit_jget(unit_record(&f->cap, 1),
	    "source.index")), 2);
}

/*
 * The rule holds in a header block too: a message cut short after its
 * headers, with no blank line, ends at the next From_ line.
 */
static void
test_from_line_in_headers(void **state)
{
	struct fixture *f = *state;
	char *two = mail("two", "\n");
	char *box = K(g_strconcat(FROM1, "Subject: headers only\n"
	    "X-Note: no body\n", FROM2, two, NULL));

	f->sc->stats.messages = 0;
	scan_blocks(f, box, strlen(box), 5);
	assert_int_equal(f->sc->stats.messages, 2);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_int_equal(json_integer_value(unit_jget(unit_record(&f->cap, 0),
	    "source.index")), 1);
	assert_raw(unit_record(&f->cap, 0), two, strlen(two));
}

/* mboxrd: one '>' comes off any ">From "; mboxo's reading agrees. */
static void
test_unquoting(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n");
	char *quoted = K(g_strconcat(one,
	    ">From the archive\n"
	    ">>From a quote of it\n"
	    ">>>From deeper\n"
	    "> From is not quoted here\n"
	    ">Fromage\n"
	    ">\n", NULL));
	char *plain = K(g_strconcat(one,
	    "From the archive\n"
	    ">From a quote of it\n"
	    ">>From deeper\n"
	    "> From is not quoted here\n"
	    ">Fromage\n"
	    ">\n", NULL));
	char *box = K(g_strconcat(FROM1, quoted, NULL));

	scan_blocks(f, box, strlen(box), 3);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_raw(unit_record(&f->cap, 0), plain, strlen(plain));
}

/* A body holding its own mbox line; Content-Length says where it ends. */
static char *
counted(struct fixture *f, const char *id, const char *body, long long cl)
{
	return K(g_strdup_printf(
	    "From: Amazon Certificates <no-reply@certificates.amazon.com>\n"
	    "Subject: Certificate request for " UNIT_DOMAIN "\n"
	    "Message-ID: <%s@unit.example>\n"
	    "Content-Length: %lld\n"
	    "\n%s", id, cl < 0 ? (long long)strlen(body) : cl, body));
}

static void
test_content_length_honoured(void **state)
{
	struct fixture *f = *state;
	const char *body = "Forwarded mailbox below.\n"
	    "\n"
	    FROM2
	    ">From unquoted, as mboxcl2 writes it\n"
	    UNIT_BODY;
	char *m1 = counted(f, "cl", body, -1), *two = mail("two", "\n");
	char *box;
	static const size_t steps[] = { 1, 13, 4096 };
	size_t i;

	/* followed by a blank line and From_, by From_, by the end */
	box = K(g_strconcat(FROM1, m1, "\n", FROM2, two, NULL));
	for (i = 0; i < G_N_ELEMENTS(steps); i++) {
		json_t *r;

		scan_blocks(f, box, strlen(box), steps[i]);
		assert_int_equal(unit_nrecords(&f->cap), 2);
		r = unit_record(&f->cap, 0);
		assert_string_equal(message_id(r), "cl@unit.example");
		/* mboxcl2 bodies are not unquoted */
		assert_raw(r, m1, strlen(m1));
		assert_int_equal(json_array_size(unit_jget(r, "warnings")),
		    0);
		assert_string_equal(message_id(unit_record(&f->cap, 1)),
		    "two@unit.example");
	}

	box = K(g_strconcat(FROM1, m1, FROM2, two, NULL));
	scan_blocks(f, box, strlen(box), 9);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_raw(unit_record(&f->cap, 0), m1, strlen(m1));

	box = K(g_strconcat(FROM1, m1, NULL));
	scan_blocks(f, box, strlen(box), 9);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_raw(unit_record(&f->cap, 0), m1, strlen(m1));
}

/*
 * A Content-Length that does not land on From_ or the end is not
 * believed: the split falls back to From_ lines and the record says so.
 */
static void
test_content_length_fallback(void **state)
{
	struct fixture *f = *state;
	const char *body = "Text.\n\n" UNIT_BODY;
	char *two = mail("two", "\n");
	long long bad[] = { 3, (long long)strlen(body) + 40, 1LL << 40 };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *m1 = counted(f, "cl", body, bad[i]);
		char *box = K(g_strconcat(FROM1, m1, "\n", FROM2, two, NULL));
		json_t *r;

		scan_blocks(f, box, strlen(box), 11);
		assert_int_equal(unit_nrecords(&f->cap), 2);
		r = unit_record(&f->cap, 0);
		assert_string_equal(message_id(r), "cl@unit.example");
		assert_raw(r, m1, strlen(m1));
		assert_true(unit_jarray_has(r, "warnings", "Content-Length"));
		/* the next message does not inherit the warning */
		r = unit_record(&f->cap, 1);
		assert_string_equal(message_id(r), "two@unit.example");
		assert_false(unit_jarray_has(r, "warnings",
		    "Content-Length"));
	}
}

static void
test_crlf(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\r\n"), *two = mail("two", "\r\n");
	char *box = K(g_strconcat(
	    "From alice@example.com Wed Jun  5 09:07:03 2024\r\n", one,
	    "\r\n", "From bob@example.com Wed Jun  5 09:08:03 2024\r\n",
	    two, ">From quoted\r\n", "\r\n", NULL));
	char *two_plain = K(g_strconcat(two, "From quoted\r\n", NULL));
	json_t *r;

	scan_blocks(f, box, strlen(box), 6);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	r = unit_record(&f->cap, 0);
	assert_string_equal(message_id(r), "one@unit.example");
	assert_raw(r, one, strlen(one));
	assert_string_equal(unit_jstr(r, "approval_url"), UNIT_URL);
	assert_string_equal(unit_jstr(r, "domain"), UNIT_DOMAIN);
	/* the quoted line unquoted, the CRLF blank line after cut */
	r = unit_record(&f->cap, 1);
	assert_string_equal(message_id(r), "two@unit.example");
	assert_raw(r, two_plain, strlen(two_plain));
}

static void
test_no_final_newline(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *box;
	size_t len;

	/* the mailbox ends inside the last line */
	len = strlen(one) - 1;
	one[len] = '\0';
	box = K(g_strconcat(FROM1, one, NULL));
	scan_blocks(f, box, strlen(box), 10);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_raw(unit_record(&f->cap, 0), one, len);
	assert_string_equal(unit_jstr(unit_record(&f->cap, 0), "domain"),
	    UNIT_DOMAIN);
}

static void
test_mmdf(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	char *box = K(g_strconcat("\1\1\1\1\n", one, "\1\1\1\1\n",
	    "\1\1\1\1\n", two, "\1\1\1\1\n", NULL));
	size_t len = strlen(box);
	json_t *r;

	unit_capture_reset(&f->cap);
	unit_scan_mem(f->sc, mmdf_scan, box, len, 17, "box");
	assert_int_equal(unit_nrecords(&f->cap), 2);
	r = unit_record(&f->cap, 1);
	assert_string_equal(message_id(r), "two@unit.example");
	assert_int_equal(json_integer_value(unit_jget(r, "source.index")), 1);
	assert_int_equal(json_integer_value(unit_jget(r, "source.offset")),
	    5 + strlen(one) + 5);
	assert_raw(unit_record(&f->cap, 0), one, strlen(one));
	assert_raw(r, two, strlen(two));

	/* sniffed as MMDF by the tools */
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(f->sc, box, len, "box.mmdf"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "mmdf");
}

/* Past the size limit a message is cut, with a warning, and the next
 * message is read whole. */
static void
test_size_limit(void **state)
{
	struct fixture *f = *state;
	struct acm_limits lim;
	struct acm_scanner *sc;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	GString *pad = g_string_new(one);
	char *big;
	char *box;
	const struct unit_diag *d;
	json_t *r;
	int i;

	for (i = 0; i < 200; i++)
		g_string_append(pad, "padding padding padding padding "
		    "padding padding padding padding\n");
	big = K(g_string_free(pad, FALSE));
	box = K(g_strconcat(FROM1, big, "\n", FROM2, two, NULL));
	acm_limits_default(&lim);
	lim.max_message = strlen(one) + 100;
	unit_capture_reset(&f->cap);
	sc = unit_own(&f->cap, unit_scanner(&f->cap, ACM_FMT_AUTO, &lim),
	    (GDestroyNotify)acm_scanner_free);
	unit_scan_mem(sc, mbox_scan, box, strlen(box), 64, "box");
	assert_int_equal(unit_nrecords(&f->cap), 2);
	r = unit_record(&f->cap, 0);
	assert_string_equal(message_id(r), "one@unit.example");
	assert_true(unit_jarray_has(r, "warnings", "truncated"));
	assert_raw(r, big, lim.max_message);
	d = unit_diag(&f->cap, ACM_WARNING, "larger than");
	assert_int_equal(d->index, 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "larger than"), 1);
	r = unit_record(&f->cap, 1);
	assert_string_equal(message_id(r), "two@unit.example");
	assert_false(unit_jarray_has(r, "warnings", "truncated"));
	assert_raw(r, two, strlen(two));
}

/* An empty message between two From_ lines is no reason to stop. */
static void
test_empty_message(void **state)
{
	struct fixture *f = *state;
	char *two = mail("two", "\n");
	char *box = K(g_strconcat(FROM1, "\n", FROM2, two, NULL));
	json_t *r;

	scan_blocks(f, box, strlen(box), 4);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = unit_record(&f->cap, 0);
	assert_string_equal(message_id(r), "two@unit.example");
	assert_int_equal(json_integer_value(unit_jget(r, "source.index")), 1);
}

/*
 * sniff.c takes a byte order mark before "From " for an mbox; the
 * first message behind it must not be lost.
 */
static void
test_byte_order_mark(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	char *box = K(g_strconcat("\xef\xbb\xbf" FROM1, one, "\n", FROM2, two,
	    NULL));

	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_buffer(f->sc, box, strlen(box), "bom"), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(unit_record(&f->cap, 0)),
	    "one@unit.example");
}

/*
 * Scan BOX with messages of at most MAX bytes, in blocks of 1, 61 and
 * 4096 bytes and in one: every way must give the same records and
 * diagnostics.  The capture keeps the last.
 */
static void
scan_every_way(struct fixture *f, const GString *box, size_t max)
{
	size_t steps[] = { 1, 61, 4096, box->len };
	struct acm_limits lim;
	struct acm_scanner *sc;
	char *first = NULL, *now;
	size_t i;

	acm_limits_default(&lim);
	lim.max_message = max;
	sc = unit_own(&f->cap, unit_scanner(&f->cap, ACM_FMT_AUTO, &lim),
	    (GDestroyNotify)acm_scanner_free);
	for (i = 0; i < G_N_ELEMENTS(steps); i++) {
		unit_capture_reset(&f->cap);
		unit_scan_mem(sc, mbox_scan, box->str, box->len, steps[i],
		    "box");
		now = K(json_dumps(f->cap.records, JSON_SORT_KEYS));
		now = K(g_strdup_printf("%s %u", now, f->cap.diags->len));
		if (first == NULL)
			first = now;
		assert_string_equal(first, now);
	}
}

/*
 * Where a message ends does not depend on how the input was read: a
 * small message followed by a From_ line longer than the look-ahead
 * was cut as "larger than" the limit when the input came in small
 * blocks, and read whole when it came in one.  A From_ line after a
 * blank line ends the message before it whatever the line holds.
 */
static void
test_split_whatever_the_blocks(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	GString *box = g_string_new(FROM1);
	size_t i;

	g_string_append(box, one);
	g_string_append(box, "\nFrom ");
	for (i = 0; i < 70000; i++)
		g_string_append_c(box, 'a' + i % 26);
	g_string_append(box, " Thu Jun  6 10:00:00 2024\n");
	g_string_append(box, two);
	K(box->str);
	scan_every_way(f, box, strlen(one) + 100);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_raw(unit_record(&f->cap, 0), one, strlen(one));
	assert_int_equal(f->cap.diags->len, 0);
	assert_int_equal(json_integer_value(unit_jget(unit_record(&f->cap, 1),
	    "source.index")), 1);
	g_string_free(box, FALSE);
}

/*
 * The same for a message over the limit: the look-ahead is the same
 * size however much the reader holds, so a line "From ..." in the
 * part skipped (no boundary by the rules, but where the skip stops)
 * is met alike in small blocks and in one.
 */
static void
test_oversized_whatever_the_blocks(void **state)
{
	struct fixture *f = *state;
	char *one = mail("one", "\n"), *two = mail("two", "\n");
	GString *box = g_string_new(FROM1);
	size_t i;

	g_string_append(box, one);
	for (i = 0; i < 2000; i++)
		g_string_append(box, i == 1500 ? "From the desk of a poet\n" :
		    "padding padding padding padding padding\n");
	g_string_append(box, "\n" FROM2);
	g_string_append(box, two);
	K(box->str);
	scan_every_way(f, box, 10000);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	/* the skip stops at the poet's line, which starts a message */
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "larger than"), 2);
	g_string_free(box, FALSE);
}

/*
 * After a message over the limit the split skips to the next line
 * that starts with "From ".  A line longer than the limit comes from
 * the reader in pieces, and a piece that happened to start with
 * "From " was taken for a line start: the next message's number then
 * depended on where the pieces were cut.
 */
static void
test_skip_stops_at_line_starts(void **state)
{
	struct fixture *f = *state;
	char *two = mail("two", "\n");
	GString *box = g_string_new(FROM1 "Subject: long\n\ny");
	int i;

	for (i = 0; i < 80000; i++)
		g_string_append(box, "From ");
	g_string_append(box, "\n\n" FROM2);
	g_string_append(box, two);
	K(box->str);
	scan_every_way(f, box, 1024);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_int_equal(json_integer_value(unit_jget(unit_record(&f->cap, 0),
	    "source.index")), 1);
	g_string_free(box, FALSE);
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_two_messages),
		T(test_scan_buffer),
		T(test_from_line_rules),
		T(test_from_line_in_headers),
		T(test_unquoting),
		T(test_content_length_honoured),
		T(test_content_length_fallback),
		T(test_crlf),
		T(test_no_final_newline),
		T(test_mmdf),
		T(test_size_limit),
		T(test_empty_message),
		T(test_split_whatever_the_blocks),
		T(test_oversized_whatever_the_blocks),
		T(test_skip_stops_at_line_starts),
		T(test_byte_order_mark),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
