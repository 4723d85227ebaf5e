/*
 * test_source.c - source.c: acm_scan_path over a temporary tree of
 * files, Maildirs, gzip files and tar and zip archives made here with
 * libarchive's writer; missing paths; the per-input statistics.
 */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "unit.h"

struct fixture {
	struct capture		 cap;
	struct acm_scanner	*sc;
	char			*dir;
};

#define K(s)	unit_keep(&f->cap, (s))

static int
setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);

	unit_capture_init(&f->cap);
	f->sc = unit_scanner(&f->cap, ACM_FMT_AUTO, NULL);
	f->dir = g_dir_make_tmp(NULL, NULL);
	*state = f;
	return f->dir ? 0 : -1;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->dir)
		nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	g_free(f->dir);
	acm_scanner_free(f->sc);
	unit_capture_free(&f->cap);
	g_free(f);
	return 0;
}

/* DIR/REL, kept by the capture. */
static char *
path(struct fixture *f, const char *rel)
{
	return K(g_build_filename(f->dir, rel, NULL));
}

/* Write DATA to DIR/REL, making the directories on the way. */
static char *
put(struct fixture *f, const char *rel, const void *data, size_t len)
{
	char *p = path(f, rel), *d = g_path_get_dirname(p);
	int rc = g_mkdir_with_parents(d, 0700);

	g_free(d);
	assert_int_equal(rc, 0);
	assert_true(g_file_set_contents(p, data, len, NULL));
	return p;
}

static char *
put_str(struct fixture *f, const char *rel, const char *s)
{
	return put(f, rel, s, strlen(s));
}

static char *
mkdirs(struct fixture *f, const char *rel)
{
	char *p = path(f, rel);

	assert_int_equal(g_mkdir_with_parents(p, 0700), 0);
	return p;
}

struct member {
	const char	*name;		/* ending in '/': a directory */
	const char	*data;
	size_t		 len;
};

static la_ssize_t
grow(struct archive *a, void *arg, const void *buf, size_t n)
{
	(void)a;
	g_byte_array_append(arg, buf, n);
	return (la_ssize_t)n;
}

/*
 * An archive in FORMAT (ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ..._ZIP,
 * ..._RAW), compressed with FILTER (ARCHIVE_FILTER_NONE, ..._GZIP),
 * as bytes kept by the capture.
 */
static GByteArray *
make_archive(struct fixture *f, int format, int filter,
    const struct member *m, size_t n)
{
	GByteArray *out = unit_own(&f->cap, g_byte_array_new(),
	    (GDestroyNotify)g_byte_array_unref);
	struct archive *a = archive_write_new();
	size_t i;

	assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
	if (filter != ARCHIVE_FILTER_NONE)
		assert_int_equal(archive_write_add_filter(a, filter),
		    ARCHIVE_OK);
	assert_int_equal(archive_write_open(a, out, NULL, grow, NULL),
	    ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		bool dir = g_str_has_suffix(m[i].name, "/");

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(e, dir ? 0755 : 0644);
		archive_entry_set_size(e, dir ? 0 : (la_int64_t)m[i].len);
		archive_entry_set_mtime(e, 1717578423, 0);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (!dir)
			assert_int_equal(archive_write_data(a, m[i].data,
			    m[i].len), (la_ssize_t)m[i].len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return out;
}

static int
scan(struct fixture *f, const char *p)
{
	unit_capture_reset(&f->cap);
	return acm_scan_path(f->sc, p);
}

static const char *
message_id(struct fixture *f, size_t i)
{
	return unit_jstr(unit_record(&f->cap, i), "message_id");
}

static const struct acm_input_stats *
input(struct fixture *f, guint i)
{
	assert_true(i < f->cap.inputs->len);
	return &g_array_index(f->cap.inputs, struct acm_input_stats, i);
}

#define FROM_	"From a@example.com Wed Jun  5 09:07:03 2024\n"

static void
test_single_file(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "file");
	char *p = put_str(f, "one.eml", m);
	const struct acm_input_stats *s;
	json_t *r;

	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = unit_record(&f->cap, 0);
	assert_string_equal(unit_jstr(r, "message_id"), "file@unit.example");
	assert_string_equal(unit_jstr(r, "source.path"), p);
	assert_true(json_is_null(unit_jget(r, "source.entry")));
	assert_string_equal(unit_layers(&f->cap, r), "");
	assert_int_equal(f->cap.inputs->len, 1);
	s = input(f, 0);
	assert_string_equal(s->path, p);
	assert_int_equal(s->bytes, strlen(m));
	assert_int_equal(s->messages, 1);
	assert_int_equal(s->records, 1);
	assert_int_equal(s->errors, 0);
	assert_int_equal(s->warnings, 0);
	/* no hashing asked for */
	assert_string_equal(s->sha256, "");
}

static void
test_stats_hash(void **state)
{
	struct fixture *f = *state;
	struct acm_options o;
	struct acm_scanner *sc;
	char *box = K(g_strconcat(FROM_, unit_mail(&f->cap, "h1"), "\n",
	    FROM_, unit_mail(&f->cap, "h2"), NULL));
	char *p = put_str(f, "box", box);
	char sha[65];
	const struct acm_input_stats *s;

	o = f->sc->opt;
	o.hash_inputs = true;
	sc = unit_own(&f->cap, acm_scanner_new(&o),
	    (GDestroyNotify)acm_scanner_free);
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_path(sc, p), 0);
	s = input(f, 0);
	sha256_hex(box, strlen(box), sha);
	assert_string_equal(s->sha256, sha);
	assert_int_equal(s->bytes, strlen(box));
	assert_int_equal(s->messages, 2);
	assert_int_equal(s->records, 2);
}

static void
test_maildir(void **state)
{
	struct fixture *f = *state;
	char *root = mkdirs(f, "Maildir");
	const struct acm_input_stats *s;

	put_str(f, "Maildir/cur/1717578423.M1P1.host:2,S",
	    unit_mail(&f->cap, "cur"));
	put_str(f, "Maildir/new/1717578424.M2P1.host",
	    unit_mail(&f->cap, "new"));
	/* a delivery still being written */
	put_str(f, "Maildir/tmp/1717578425.M3P1.host",
	    unit_mail(&f->cap, "tmp"));
	/* Maildir++: a folder is a dot directory with its own cur/ */
	put_str(f, "Maildir/.Archive/cur/1717000000.M9P1.host:2,RS",
	    unit_mail(&f->cap, "archive"));
	mkdirs(f, "Maildir/.Archive/tmp");
	put_str(f, "Maildir/.Archive/tmp/1717000001.M9P2.host",
	    unit_mail(&f->cap, "archive-tmp"));

	assert_int_equal(scan(f, root), 0);
	/* byte order of names: ".Archive" < "cur" < "new" */
	assert_int_equal(unit_nrecords(&f->cap), 3);
	assert_string_equal(message_id(f, 0), "archive@unit.example");
	assert_string_equal(message_id(f, 1), "cur@unit.example");
	assert_string_equal(message_id(f, 2), "new@unit.example");
	assert_string_equal(unit_jstr(unit_record(&f->cap, 1), "source.path"),
	    path(f, "Maildir/cur/1717578423.M1P1.host:2,S"));
	/* one input per file, none for tmp/ */
	assert_int_equal(f->cap.inputs->len, 3);
	s = input(f, 2);
	assert_string_equal(s->path,
	    path(f, "Maildir/new/1717578424.M2P1.host"));
	assert_int_equal(s->records, 1);
}

/* A directory called tmp outside a Maildir is just a directory. */
static void
test_tmp_outside_maildir(void **state)
{
	struct fixture *f = *state;

	put_str(f, "export/tmp/saved.eml", unit_mail(&f->cap, "saved"));
	assert_int_equal(scan(f, path(f, "export")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "saved@unit.example");
}

/* Names starting with a dot in cur/ and new/ are not messages. */
static void
test_maildir_dot_files(void **state)
{
	struct fixture *f = *state;

	put_str(f, "Maildir/cur/1717578423.M1P1.host:2,S",
	    unit_mail(&f->cap, "real"));
	put_str(f, "Maildir/cur/.1717578423.M1P1.host:2,S.swp",
	    unit_mail(&f->cap, "editor-copy"));
	mkdirs(f, "Maildir/new");
	assert_int_equal(scan(f, path(f, "Maildir")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "real@unit.example");
}

static void
test_gzip(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "gz");
	char *box = K(g_strconcat(FROM_, unit_mail(&f->cap, "gz1"), "\n",
	    FROM_, unit_mail(&f->cap, "gz2"), NULL));
	struct member one = { "data", m, strlen(m) };
	struct member two = { "data", box, strlen(box) };
	GByteArray *gz;
	char *p;
	json_t *r;

	gz = make_archive(f, ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, &one, 1);
	/* gzip's magic, so that the test does not pass on plain bytes */
	assert_int_equal(gz->data[0], 0x1f);
	assert_int_equal(gz->data[1], 0x8b);
	p = put(f, "mail.eml.gz", gz->data, gz->len);
	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	r = unit_record(&f->cap, 0);
	assert_string_equal(unit_jstr(r, "message_id"), "gz@unit.example");
	assert_string_equal(unit_layers(&f->cap, r), "gzip");
	assert_string_equal(unit_jstr(r, "approval_url"), UNIT_URL);
	/* the bytes of the file, not of what it expands to */
	assert_int_equal(input(f, 0)->bytes, gz->len);

	gz = make_archive(f, ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, &two, 1);
	p = put(f, "box.gz", gz->data, gz->len);
	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 1), "gz2@unit.example");
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 1)),
	    "gzip/mbox");
	assert_int_equal(json_integer_value(unit_jget(unit_record(&f->cap,
	    1), "source.index")), 1);
}

/* The same from gzip(1) itself, where the machine has it. */
static void
test_gzip_program(void **state)
{
	struct fixture *f = *state;
	char *prog = K(g_find_program_in_path("gzip"));
	char *argv[] = { prog, "-n", "-k", NULL, NULL };
	gint status = -1;

	if (prog == NULL) {
		skip();
		return;
	}
	/* -k leaves plain.eml and writes plain.eml.gz beside it */
	argv[3] = put_str(f, "plain.eml", unit_mail(&f->cap, "gzip1"));
	assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL,
	    NULL, NULL, NULL, &status, NULL));
	assert_int_equal(status, 0);
	assert_int_equal(scan(f, path(f, "plain.eml.gz")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "gzip1@unit.example");
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "gzip");
}

static void
test_tar(void **state)
{
	struct fixture *f = *state;
	char *box = K(g_strconcat(FROM_, unit_mail(&f->cap, "t1"), "\n",
	    FROM_, unit_mail(&f->cap, "t2"), NULL));
	char *m3 = unit_mail(&f->cap, "t3"), *m4 = unit_mail(&f->cap, "t4");
	struct member inner = { "x", m4, strlen(m4) };
	GByteArray *gz = make_archive(f, ARCHIVE_FORMAT_RAW,
	    ARCHIVE_FILTER_GZIP, &inner, 1);
	struct member m[] = {
		{ "export/", NULL, 0 },
		{ "export/inbox.mbox", box, strlen(box) },
		{ "export/Maildir/cur/1.host:2,S", m3, strlen(m3) },
		{ "export/Maildir/tmp/2.host", m4, strlen(m4) },
		{ "export/old.eml.gz", (const char *)gz->data, gz->len },
		{ "export/notes.txt", "nothing here\n", 13 },
	};
	GByteArray *tar = make_archive(f, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
	    ARCHIVE_FILTER_NONE, m, G_N_ELEMENTS(m));
	char *p = put(f, "export.tar", tar->data, tar->len);
	json_t *r;

	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 4);
	r = unit_record(&f->cap, 1);
	assert_string_equal(unit_jstr(r, "message_id"), "t2@unit.example");
	assert_string_equal(unit_jstr(r, "source.path"), p);
	assert_string_equal(unit_jstr(r, "source.entry"), "export/inbox.mbox");
	assert_string_equal(unit_layers(&f->cap, r), "tar/mbox");
	r = unit_record(&f->cap, 2);
	assert_string_equal(unit_jstr(r, "message_id"), "t3@unit.example");
	assert_string_equal(unit_jstr(r, "source.entry"),
	    "export/Maildir/cur/1.host:2,S");
	assert_string_equal(unit_layers(&f->cap, r), "tar");
	/* a compressed member, one level down; tmp/ passed over */
	r = unit_record(&f->cap, 3);
	assert_string_equal(unit_jstr(r, "message_id"), "t4@unit.example");
	assert_string_equal(unit_jstr(r, "source.entry"), "export/old.eml.gz");
	assert_string_equal(unit_layers(&f->cap, r), "tar/gzip");
	/* notes.txt is no mail: a warning, not an error */
	assert_int_equal(unit_ndiags(&f->cap, ACM_ERROR, NULL), 0);
	assert_int_equal(input(f, 0)->records, 4);
}

/* The whole file is read and hashed, to the end of a tar's padding. */
static void
test_tar_stats(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "pad");
	struct member one = { "a.eml", m, strlen(m) };
	GByteArray *tar = make_archive(f, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
	    ARCHIVE_FILTER_NONE, &one, 1);
	char *p = put(f, "a.tar", tar->data, tar->len);
	struct acm_options o = f->sc->opt;
	struct acm_scanner *sc;
	char sha[65];

	/* libarchive pads a tar to 10240 bytes, past its end marker */
	assert_int_equal(tar->len % 10240, 0);
	o.hash_inputs = true;
	sc = unit_own(&f->cap, acm_scanner_new(&o),
	    (GDestroyNotify)acm_scanner_free);
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_path(sc, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	sha256_hex(tar->data, tar->len, sha);
	assert_int_equal(input(f, 0)->bytes, tar->len);
	assert_string_equal(input(f, 0)->sha256, sha);
}

static void
test_tar_gz_and_zip(void **state)
{
	struct fixture *f = *state;
	char *m = unit_mail(&f->cap, "z");
	struct member one = { "mails/z.eml", m, strlen(m) };
	GByteArray *a;
	char *p;

	a = make_archive(f, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP,
	    &one, 1);
	p = put(f, "x.tar.gz", a->data, a->len);
	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "gzip/tar");
	assert_string_equal(unit_jstr(unit_record(&f->cap, 0),
	    "source.entry"), "mails/z.eml");

	a = make_archive(f, ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, &one, 1);
	p = put(f, "x.zip", a->data, a->len);
	assert_int_equal(scan(f, p), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(unit_layers(&f->cap, unit_record(&f->cap, 0)),
	    "zip");
}

static void
test_missing_path(void **state)
{
	struct fixture *f = *state;
	char *p = path(f, "no/such/file");
	const struct unit_diag *d;
	const struct acm_input_stats *s;

	assert_int_equal(scan(f, p), -1);
	d = unit_diag(&f->cap, ACM_ERROR, strerror(ENOENT));
	assert_string_equal(d->path, p);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	/* the tools count it as an input, with its error */
	assert_int_equal(f->cap.inputs->len, 1);
	s = input(f, 0);
	assert_string_equal(s->path, p);
	assert_int_equal(s->errors, 1);
	assert_int_equal(s->bytes, 0);

	/* a bad input does not stop the next */
	assert_int_equal(scan(f, put_str(f, "good.eml",
	    unit_mail(&f->cap, "good"))), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
}

static void
test_empty_and_odd_files(void **state)
{
	struct fixture *f = *state;

	put(f, "tree/empty", "", 0);
	mkdirs(f, "tree/nothing-here");
	put_str(f, "tree/text", "hello, nothing to see\n");
	assert_int_equal(mkfifo(path(f, "tree/fifo"), 0600), 0);
	put_str(f, "tree/z.eml", unit_mail(&f->cap, "after"));
	/* a FIFO in a tree is passed over, not opened (it would block) */
	assert_int_equal(scan(f, path(f, "tree")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_string_equal(message_id(f, 0), "after@unit.example");
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING, "empty input"), 1);
	assert_int_equal(unit_ndiags(&f->cap, ACM_ERROR, NULL), 0);

	/* an empty directory alone: nothing, and nothing wrong */
	assert_int_equal(scan(f, path(f, "tree/nothing-here")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 0);
	assert_int_equal(f->cap.diags->len, 0);
	assert_int_equal(f->cap.inputs->len, 0);
}

/* A symbolic link back up the tree is no reason to read it again. */
static void
test_symlink_loop(void **state)
{
	struct fixture *f = *state;

	put_str(f, "loop/a.eml", unit_mail(&f->cap, "once"));
	assert_int_equal(symlink(".", path(f, "loop/again")), 0);
	assert_int_equal(scan(f, path(f, "loop")), 0);
	assert_int_equal(unit_nrecords(&f->cap), 1);
	assert_int_equal(f->cap.inputs->len, 1);
}

static void
test_limits(void **state)
{
	struct fixture *f = *state;
	struct acm_limits lim;
	struct acm_scanner *sc;
	char *box = K(g_strconcat(FROM_, unit_mail(&f->cap, "l1"), "\n",
	    FROM_, unit_mail(&f->cap, "l2"), NULL));
	struct member m[] = {
		{ "1.eml", unit_mail(&f->cap, "e1"), 0 },
		{ "2.eml", unit_mail(&f->cap, "e2"), 0 },
		{ "3.eml", unit_mail(&f->cap, "e3"), 0 },
	};
	struct member one = { "x", box, strlen(box) };
	GByteArray *a;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(m); i++)
		m[i].len = strlen(m[i].data);
	acm_limits_default(&lim);
	lim.max_entries = 2;
	sc = unit_own(&f->cap, unit_scanner(&f->cap, ACM_FMT_AUTO, &lim),
	    (GDestroyNotify)acm_scanner_free);
	a = make_archive(f, ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE,
	    m, G_N_ELEMENTS(m));
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_path(sc, put(f, "three.tar", a->data,
	    a->len)), 0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "more than 2 archive entries"), 1);
	assert_int_equal(unit_nrecords(&f->cap), 2);
	assert_string_equal(message_id(f, 1), "e2@unit.example");

	/* past the decompressed size limit the input is left */
	acm_limits_default(&lim);
	lim.max_expanded = strlen(box) / 2;
	sc = unit_own(&f->cap, unit_scanner(&f->cap, ACM_FMT_AUTO, &lim),
	    (GDestroyNotify)acm_scanner_free);
	a = make_archive(f, ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, &one, 1);
	unit_capture_reset(&f->cap);
	assert_int_equal(acm_scan_path(sc, put(f, "big.gz", a->data, a->len)),
	    0);
	assert_int_equal(unit_ndiags(&f->cap, ACM_WARNING,
	    "decompressed size limit"), 1);
	assert_true(unit_nrecords(&f->cap) <= 1);
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_single_file),
		T(test_stats_hash),
		T(test_maildir),
		T(test_tmp_outside_maildir),
		T(test_maildir_dot_files),
		T(test_gzip),
		T(test_gzip_program),
		T(test_tar),
		T(test_tar_stats),
		T(test_tar_gz_and_zip),
		T(test_missing_path),
		T(test_empty_and_odd_files),
		T(test_symlink_loop),
		T(test_limits),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
