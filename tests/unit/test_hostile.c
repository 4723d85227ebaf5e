/*
 * test_hostile.c - the library in-process on damaged input: every
 * prefix of corpus inputs (a cut at every byte), a NUL and an invalid
 * UTF-8 byte put in at every position of a mail, and limits that are
 * cheap to reach in memory.  Each variant is scanned from its own
 * allocation of exactly its size, so that ASan sees any read past the
 * end.  Nothing may crash; every record must still carry every field
 * (jansson refuses invalid UTF-8, and a refused field goes missing).
 */
#include <archive.h>
#include <archive_entry.h>
#include <time.h>

#include "unit.h"

/* The record fields of DESIGN.md, each present in every record. */
static const char *const fields[] = {
	"template", "domain", "requested_domain", "account_id", "region",
	"certificate_id", "certificate_arn", "approval_url", "approval_host",
	"code", "context", "subject", "from", "to", "date", "message_id",
	"expires", "ses", "sns", "source", "copy", "sha256", "warnings",
	NULL
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
slurp(struct capture *c, const char *path, size_t *len)
{
	gchar *buf = NULL;
	gsize n = 0;

	if (!g_file_get_contents(path, &buf, &n, NULL))
		fail_msg("cannot read %s (run from the top directory)", path);
	*len = n;
	return unit_keep(c, buf);
}

/* Every record complete and serialisable. */
static void
check_records(const struct capture *c, const char *what, size_t at)
{
	size_t i;
	int k;

	for (i = 0; i < unit_nrecords(c); i++) {
		json_t *r = unit_record(c, i);
		char *s;

		for (k = 0; fields[k]; k++)
			if (json_object_get(r, fields[k]) == NULL)
				fail_msg("%s, variant %zu: record without "
				    "\"%s\"", what, at, fields[k]);
		if (!json_is_string(json_object_get(r, "approval_url")))
			fail_msg("%s, variant %zu: no approval_url", what, at);
		s = json_dumps(r, JSON_COMPACT);
		assert_non_null(s);
		free(s);
	}
}

/* Scan a fresh copy of exactly N bytes of BUF. */
static void
scan_exact(struct acm_scanner *sc, struct capture *c, const char *buf,
    size_t n, const char *name)
{
	char *copy = g_malloc(n ? n : 1);

	memcpy(copy, buf, n);
	unit_capture_reset(c);
	acm_scan_buffer(sc, copy, n, name);
	g_free(copy);
}

/*
 * PATH cut at every byte.  The whole input must give at least one
 * record; no prefix more than the whole.  ERRORS_OK: damaged
 * compressed data and broken JSON are errors by design, a cut mail or
 * mbox is not.
 */
static void
every_prefix(const char *path, bool errors_ok)
{
	struct capture c;
	struct acm_scanner *sc;
	size_t len, i, whole;
	char *buf;
	double t0 = now();

	unit_capture_init(&c);
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, NULL),
	    (GDestroyNotify)acm_scanner_free);
	buf = slurp(&c, path, &len);
	scan_exact(sc, &c, buf, len, path);
	whole = unit_nrecords(&c);
	if (whole == 0)
		fail_msg("%s gives no record whole", path);
	for (i = 0; i < len; i++) {
		scan_exact(sc, &c, buf, i, path);
		check_records(&c, path, i);
		if (unit_nrecords(&c) > whole)
			fail_msg("%s cut at %zu gives %zu records, the whole "
			    "%zu", path, i, unit_nrecords(&c), whole);
		if (!errors_ok && unit_ndiags(&c, ACM_ERROR, NULL) > 0)
			fail_msg("%s cut at %zu: error \"%s\"", path, i,
			    unit_diag(&c, ACM_ERROR, "")->message);
		if (i == 0)
			unit_diag(&c, ACM_WARNING, "empty input");
	}
	/* a hang shows as this, not as a stuck test run */
	if (now() - t0 > 120)
		fail_msg("%s: %zu prefixes took %.0f s", path, len,
		    now() - t0);
	unit_capture_free(&c);
}

static void
test_prefix_mail(void **state)
{
	(void)state;
	every_prefix("corpus/tpl-current.eml", false);
}

static void
test_prefix_multipart(void **state)
{
	(void)state;
	every_prefix("corpus/enc-alternative.eml", false);
	every_prefix("corpus/copy-attached-base64.eml", false);
}

static void
test_prefix_sns_email(void **state)
{
	(void)state;
	every_prefix("corpus/sns-email.eml", false);
}

static void
test_prefix_mbox(void **state)
{
	(void)state;
	every_prefix("corpus/box-mboxrd.mbox", false);
}

static void
test_prefix_json(void **state)
{
	(void)state;
	every_prefix("corpus/same-ses-base64.json", true);
}

static void
test_prefix_compressed(void **state)
{
	(void)state;
	every_prefix("corpus/box-mboxo.mbox.gz", true);
	every_prefix("corpus/maildir.zip", true);
}

/* BAD put in place of each byte of PATH in turn. */
static void
every_byte(const char *path, unsigned char bad)
{
	struct capture c;
	struct acm_scanner *sc;
	size_t len, i;
	char *buf, *copy;

	unit_capture_init(&c);
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, NULL),
	    (GDestroyNotify)acm_scanner_free);
	buf = slurp(&c, path, &len);
	copy = unit_keep(&c, g_malloc(len));
	for (i = 0; i < len; i++) {
		memcpy(copy, buf, len);
		copy[i] = (char)bad;
		scan_exact(sc, &c, copy, len, path);
		check_records(&c, path, i);
		if (unit_ndiags(&c, ACM_ERROR, NULL) > 0)
			fail_msg("%s with 0x%02x at %zu: error \"%s\"", path,
			    bad, i, unit_diag(&c, ACM_ERROR, "")->message);
	}
	unit_capture_free(&c);
}

static void
test_nul_everywhere(void **state)
{
	(void)state;
	every_byte("corpus/tpl-current.eml", 0x00);
	every_byte("corpus/enc-alternative.eml", 0x00);
}

static void
test_bad_utf8_everywhere(void **state)
{
	(void)state;
	every_byte("corpus/tpl-current.eml", 0xff);
	every_byte("corpus/enc-alternative.eml", 0x80);
}

/* A tar of N files (the last one UNIT_MAIL), made in memory. */
static char *
tar_of(struct capture *c, int n, const char *filter, size_t *len)
{
	struct archive *a = archive_write_new();
	size_t cap = 1024 * (size_t)n + 65536, used = 0;
	char *out = unit_keep(c, g_malloc(cap));
	int i;

	archive_write_set_format_pax_restricted(a);
	if (filter)
		archive_write_add_filter_by_name(a, filter);
	assert_int_equal(archive_write_open_memory(a, out, cap, &used),
	    ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		const char *body = i == n - 1 ? UNIT_MAIL : "";
		char name[32];

		g_snprintf(name, sizeof(name), "m/%d.eml", i);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, strlen(body));
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_write_data(a, body, strlen(body));
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return out;
}

static void
test_limit_entries(void **state)
{
	struct capture c;
	struct acm_limits l;
	struct acm_scanner *sc;
	const struct unit_diag *d;
	size_t len;
	char *tar;

	(void)state;
	unit_capture_init(&c);
	acm_limits_default(&l);
	l.max_entries = 10;
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, &l),
	    (GDestroyNotify)acm_scanner_free);
	tar = tar_of(&c, 50, "gzip", &len);
	acm_scan_buffer(sc, tar, len, "many.tar.gz");
	d = unit_diag(&c, ACM_WARNING, "more than 10 archive entries");
	assert_string_equal(d->path, "many.tar.gz");
	assert_int_equal(unit_nrecords(&c), 0);

	/* the next input starts counting afresh */
	tar = tar_of(&c, 5, NULL, &len);
	unit_capture_reset(&c);
	acm_scan_buffer(sc, tar, len, "few.tar");
	assert_int_equal(unit_ndiags(&c, ACM_WARNING, "archive entries"), 0);
	assert_int_equal(unit_nrecords(&c), 1);
	unit_capture_free(&c);
}

static void
test_limit_expanded(void **state)
{
	struct capture c;
	struct acm_limits l;
	struct acm_scanner *sc;
	struct archive *a;
	const struct unit_diag *d;
	size_t cap = 1 << 20, used = 0, i;
	char *gz, *zeros;

	(void)state;
	unit_capture_init(&c);
	acm_limits_default(&l);
	l.max_expanded = 1 << 20;
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, &l),
	    (GDestroyNotify)acm_scanner_free);

	/* an mbox that goes on for 8 MiB, gzipped */
	gz = unit_keep(&c, g_malloc(cap));
	zeros = unit_keep(&c, g_malloc0(1 << 20));
	a = archive_write_new();
	archive_write_set_format_raw(a);
	archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_memory(a, gz, cap, &used),
	    ARCHIVE_OK);
	{
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, "x");
		archive_entry_set_filetype(e, AE_IFREG);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_entry_free(e);
	}
	archive_write_data(a, "From a@b Mon Jan  1 00:00:00 2024\n\n", 35);
	for (i = 0; i < 8; i++)
		archive_write_data(a, zeros, 1 << 20);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);

	acm_scan_buffer(sc, gz, used, "long.mbox.gz");
	d = unit_diag(&c, ACM_WARNING, "decompressed size limit reached "
	    "(1048576 bytes)");
	assert_string_equal(d->path, "long.mbox.gz");
	unit_capture_free(&c);
}

static void
test_limit_message_in_json(void **state)
{
	struct capture c;
	struct acm_limits l;
	struct acm_scanner *sc;
	const char *doc;

	(void)state;
	unit_capture_init(&c);
	acm_limits_default(&l);
	l.max_message = 256;
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, &l),
	    (GDestroyNotify)acm_scanner_free);
	doc = unit_dump(&c, unit_ses_doc(UNIT_MAIL, "BASE64"), JSON_COMPACT);
	acm_scan_buffer(sc, doc, strlen(doc), "ses.json");
	assert_string_equal(unit_diag(&c, ACM_WARNING,
	    "message larger than 256 bytes")->path, "ses.json");
	assert_int_equal(unit_nrecords(&c), 0);
	unit_capture_free(&c);
}

/*
 * The inputs of corpus/regress, each once: complete records, and
 * diagnostics of one line each, as acm.h promises (jansson quoted a
 * bad token with its newline into one).
 */
static void
test_regress(void **state)
{
	struct capture c;
	struct acm_scanner *sc;
	const char *name;
	GDir *dir;
	guint i;
	int n = 0;

	(void)state;
	unit_capture_init(&c);
	sc = unit_own(&c, unit_scanner(&c, ACM_FMT_AUTO, NULL),
	    (GDestroyNotify)acm_scanner_free);
	dir = unit_own(&c, g_dir_open("corpus/regress", 0, NULL),
	    (GDestroyNotify)g_dir_close);
	assert_non_null(dir);
	while ((name = g_dir_read_name(dir)) != NULL) {
		char *path = unit_keep(&c, g_build_filename("corpus/regress",
		    name, NULL));
		size_t len;
		char *buf;

		if (g_str_has_suffix(name, ".md"))
			continue;
		buf = slurp(&c, path, &len);
		scan_exact(sc, &c, buf, len, path);
		check_records(&c, path, 0);
		for (i = 0; i < c.diags->len; i++) {
			const struct unit_diag *d = c.diags->pdata[i];

			if (d->message[0] == '\0' || strchr(d->message, '\n'))
				fail_msg("%s: diagnostic \"%s\" is not one "
				    "line", path, d->message);
		}
		n++;
	}
	assert_true(n > 0);
	unit_capture_free(&c);
}

/*
 * A reader asked for a line before anything filled it: its buffer is
 * still NULL, and arithmetic on it was undefined (UBSan, fuzz_mbox).
 */
static void
test_reader_unfilled(void **state)
{
	struct membuf m = { (const unsigned char *)"", 0, false };
	struct membuf one = { (const unsigned char *)"no newline", 10, false };
	const unsigned char *line;
	struct reader r;
	size_t len;

	(void)state;
	reader_init(&r, reader_mem, &m);
	r.max_line = 4;
	assert_false(reader_line(&r, &line, &len));
	reader_free(&r);

	reader_init(&r, reader_mem, &one);
	assert_true(reader_line(&r, &line, &len));
	assert_int_equal(len, 10);
	assert_memory_equal(line, "no newline", 10);
	assert_false(reader_line(&r, &line, &len));
	reader_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_mail),
		cmocka_unit_test(test_prefix_multipart),
		cmocka_unit_test(test_prefix_sns_email),
		cmocka_unit_test(test_prefix_mbox),
		cmocka_unit_test(test_prefix_json),
		cmocka_unit_test(test_prefix_compressed),
		cmocka_unit_test(test_nul_everywhere),
		cmocka_unit_test(test_bad_utf8_everywhere),
		cmocka_unit_test(test_limit_entries),
		cmocka_unit_test(test_limit_expanded),
		cmocka_unit_test(test_limit_message_in_json),
		cmocka_unit_test(test_regress),
		cmocka_unit_test(test_reader_unfilled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
