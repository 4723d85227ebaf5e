/*
 * test_mboxchunk.c - mboxchunk.c: with workers, an mbox cut into
 * chunks that the workers split must give exactly what one thread
 * splitting it whole gives: the same records with the same message
 * numbers and offsets, the same diagnostics in the same order.
 *
 * The mailboxes are made from a seed out of every shape the splitter
 * treats apart (quoted and unquoted From lines, CRLF, messages with no
 * body, right and wrong Content-Length, messages past the limits), and
 * each is read at many chunk sizes and read sizes.
 */
#include "unit.h"

#define FROM_LINE	"From sender@example.com Wed Jun  5 09:07:03 2024\n"

/* What the tools would see: records and diagnostics, one per line. */
static char *
transcript(struct capture *c)
{
	GString *s = g_string_new(NULL);
	size_t i;
	json_t *r;
	guint k;

	json_array_foreach(c->records, i, r) {
		char *j = json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT);

		g_string_append_printf(s, "R %s\n", j);
		free(j);
	}
	for (k = 0; k < c->diags->len; k++) {
		const struct unit_diag *d = c->diags->pdata[k];

		g_string_append_printf(s, "D %d %s#%ld@%lld %s\n", d->severity,
		    d->path, d->index, d->offset, d->message);
	}
	return g_string_free(s, FALSE);
}

/* A reader_fn: STEP bytes at a time, and a read error at FAIL_AT. */
struct feed {
	struct acm_scanner	*sc;
	const struct prov	*p;
	const unsigned char	*data;
	size_t			 len, pos, step, fail_at;
};

static ssize_t
feed_read(void *arg, const void **buf)
{
	struct feed *f = arg;
	size_t n = f->len - f->pos;

	if (f->fail_at && f->pos >= f->fail_at) {
		scan_error(f->sc, f->p, "cannot read: unit read error");
		return -1;
	}
	if (n == 0)
		return 0;
	if (f->step && n > f->step)
		n = f->step;
	if (f->fail_at && f->pos + n > f->fail_at)
		n = f->fail_at - f->pos;
	*buf = f->data + f->pos;
	f->pos += n;
	return (ssize_t)n;
}

/* A scanner with JOBS threads and mbox chunks of CHUNK bytes, into C. */
static struct acm_scanner *
capturing_scanner(struct capture *c, int jobs, size_t chunk,
    const struct acm_limits *lim)
{
	struct acm_scanner *sc;

	unit_capture_init(c);
	sc = unit_scanner_jobs(c, ACM_FMT_AUTO, lim, jobs);
	sc->chunk = chunk;
	return sc;
}

/*
 * Scan BOX with JOBS threads and mbox chunks of CHUNK bytes; returns
 * the transcript (caller frees).
 */
static char *
scan(const GString *box, int jobs, size_t chunk, size_t step,
    size_t fail_at, const struct acm_limits *lim)
{
	struct capture c;
	struct acm_scanner *sc = capturing_scanner(&c, jobs, chunk, lim);
	struct prov p = { .path = "box", .index = -1, .offset = -1 };
	struct feed f = { sc, &p, (const unsigned char *)box->str,
	    box->len, 0, step, fail_at };
	struct reader r;
	char *t;

	reader_init(&r, feed_read, &f);
	r.max_line = lim->max_message;
	mbox_scan(sc, &r, &p);
	acm_scan_finish(sc);
	reader_free(&r);
	acm_scanner_free(sc);
	t = transcript(&c);
	unit_capture_free(&c);
	return t;
}

/*
 * The same for a file read by PATH: a plain file, whose chunks the
 * workers read themselves (file_chunks in mboxchunk.c).
 */
static char *
scan_file(const char *path, int jobs, size_t chunk,
    const struct acm_limits *lim)
{
	struct capture c;
	struct acm_scanner *sc = capturing_scanner(&c, jobs, chunk, lim);
	char *t;

	/* as a large file is read: not whole by one worker */
	source_scan_file(sc, path);
	acm_scan_finish(sc);
	acm_scanner_free(sc);
	t = transcript(&c);
	unit_capture_free(&c);
	return t;
}

/* One message of the kind K (0..10), made different by N. */
static void
add_message(GString *box, GRand *rnd, int kind, int n)
{
	int i, lines = g_rand_int_range(rnd, 1, 80);
	GString *body = g_string_new(NULL);

	if (kind == 10) {
		/* a From_ line longer than the first look-ahead */
		g_string_append(box, "From ");
		for (i = 0; i < 70000; i++)
			g_string_append_c(box, 'a' + i % 26);
		g_string_append(box, " Thu Jun  6 10:00:00 2024\n");
	} else
		g_string_append(box, FROM_LINE);
	switch (kind) {
	case 0:		/* a validation mail */
		g_string_append_printf(box,
		    "From: Amazon Certificates "
		    "<no-reply@certificates.amazon.com>\n"
		    "To: admin@example.com\n"
		    "Subject: Certificate request for " UNIT_DOMAIN "\n"
		    "Message-ID: <%d@unit.example>\n"
		    "Content-Type: text/plain; charset=utf-8\n\n" UNIT_BODY,
		    n);
		break;
	case 1:		/* quoted From lines, and a From that is not one */
		g_string_append_printf(box, "Subject: m%d\n\n>From here\n"
		    ">>From there\nFrom the start, no time in it\n", n);
		break;
	case 2:		/* mboxo: a From_ line after a blank line splits */
		g_string_append_printf(box, "Subject: m%d\n\nhello\n\n"
		    "From nobody Thu Jun  6 10:00:00 2024\nsurprise\n", n);
		break;
	case 3:		/* CRLF */
		g_string_append_printf(box, "Subject: m%d\r\n\r\nline\r\n"
		    "line\r\n", n);
		break;
	case 4:		/* no body, no blank line: the next From_ ends it */
		g_string_append_printf(box, "Subject: m%d\n", n);
		return;
	case 5:		/* a right Content-Length over an unquoted From */
		g_string_append(body, "text\n\nFrom x Thu Jun  6 10:00:00 "
		    "2024\nmore\n");
		g_string_append_printf(box, "Subject: m%d\nContent-Length: "
		    "%zu\n\n%s", n, body->len, body->str);
		break;
	case 6:		/* a Content-Length far too long */
		g_string_append_printf(box, "Subject: m%d\nContent-Length: "
		    "%d\n\nshort\n", n, g_rand_int_range(rnd, 100, 5000));
		break;
	case 7:		/* a long one, to cross chunks */
		g_string_append_printf(box, "Subject: m%d\n\n", n);
		for (i = 0; i < lines * 10; i++)
			g_string_append(box, "padding padding padding padding "
			    "padding padding\n");
		break;
	case 8:		/* a long header block */
		for (i = 0; i < lines * 4; i++)
			g_string_append_printf(box, "X-Pad-%d: %d padding "
			    "padding padding\n", i, n);
		g_string_append(box, "\nbody\n");
		break;
	default:	/* an ordinary short mail */
		g_string_append_printf(box, "Subject: m%d\n\n", n);
		for (i = 0; i < lines; i++)
			g_string_append(box, "an ordinary line of text\n");
		break;
	}
	g_string_free(body, TRUE);
	g_string_append_c(box, '\n');
}

static GString *
make_box(guint32 seed, int messages)
{
	GRand *rnd = g_rand_new_with_seed(seed);
	GString *box = g_string_new(NULL);
	int i;

	for (i = 0; i < messages; i++)
		add_message(box, rnd, g_rand_int_range(rnd, 0,
		    seed % 2 ? 10 : 11), i);
	if (seed % 3 == 0)
		g_string_append(box, "trailing text with no From_ line");
	g_rand_free(rnd);
	return box;
}

/* The first line where the transcripts part, each side in short. */
static void
show_difference(const char *a, const char *b, size_t chunk, size_t step,
    size_t fail_at)
{
	char **la = g_strsplit(a, "\n", -1), **lb = g_strsplit(b, "\n", -1);
	size_t j = 0;
	int i;

	for (i = 0; la[i] && lb[i] && strcmp(la[i], lb[i]) == 0; i++)
		;
	if (la[i] && lb[i])
		for (j = 0; la[i][j] && la[i][j] == lb[i][j]; j++)
			;
	j = j > 60 ? j - 60 : 0;
	print_error("chunk %zu step %zu fail_at %zu: line %d, byte %zu\n"
	    "-j 1: %.200s\n-j 2: %.200s\n", chunk, step, fail_at, i, j,
	    la[i] ? la[i] + j : "(end)", lb[i] ? lb[i] + j : "(end)");
	g_strfreev(la);
	g_strfreev(lb);
}

static void
assert_same(const GString *box, size_t chunk, size_t step, size_t fail_at,
    const struct acm_limits *lim, const char *serial)
{
	char *chunked = scan(box, 2, chunk, step, fail_at, lim);

	if (strcmp(serial, chunked) != 0) {
		show_difference(serial, chunked, chunk, step, fail_at);
		if (getenv("DUMP_BOX"))
			g_file_set_contents(getenv("DUMP_BOX"), box->str,
			    box->len, NULL);
	}
	assert_true(strcmp(serial, chunked) == 0);
	g_free(chunked);
}

/* Default limits and small ones (so that limits fall inside chunks). */
static void
limits(struct acm_limits *l, bool small)
{
	acm_limits_default(l);
	if (small) {
		l->max_message = 3000;
		l->max_header = 600;
	}
}

static void
test_same_as_one_thread(void **state)
{
	static const size_t chunks[] = { 16, 100, 700, 2048, 65536 };
	static const size_t steps[] = { 0, 1, 61, 4096 };
	struct acm_limits lim;
	guint32 seed;
	size_t c, s;
	int small;

	(void)state;
	for (seed = 1; seed <= 12; seed++)
		for (small = 0; small < 2; small++) {
			GString *box = make_box(seed, 30);
			char *serial;

			limits(&lim, small);
			serial = scan(box, 1, 0, 0, 0, &lim);
			for (c = 0; c < G_N_ELEMENTS(chunks); c++)
				for (s = 0; s < G_N_ELEMENTS(steps); s++)
					assert_same(box, chunks[c], steps[s],
					    0, &lim, serial);
			g_free(serial);
			g_string_free(box, TRUE);
		}
}

/*
 * A plain file: the reading thread looks for cuts in small windows
 * (16 KB, so that the 70 KB From_ lines overflow them) and the workers
 * read the chunks; the transcript must still be one thread's.
 */
static void
test_file_same_as_one_thread(void **state)
{
	static const size_t chunks[] = { 16, 100, 700, 2048, 65536 };
	struct acm_limits lim;
	guint32 seed;
	size_t c;
	int small, jobs;

	(void)state;
	for (seed = 1; seed <= 12; seed++)
		for (small = 0; small < 2; small++) {
			GString *box = make_box(seed, 30);
			char *path = NULL, *serial, *chunked;
			int fd = g_file_open_tmp(NULL, &path, NULL);

			assert_true(fd >= 0);
			assert_true(write(fd, box->str, box->len) ==
			    (ssize_t)box->len);
			close(fd);
			limits(&lim, small);
			serial = scan_file(path, 1, 0, &lim);
			for (c = 0; c < G_N_ELEMENTS(chunks); c++)
				for (jobs = 2; jobs <= 3; jobs++) {
					chunked = scan_file(path, jobs,
					    chunks[c], &lim);
					if (strcmp(serial, chunked) != 0)
						show_difference(serial,
						    chunked, chunks[c], jobs,
						    0);
					assert_string_equal(serial, chunked);
					g_free(chunked);
				}
			unlink(path);
			g_free(path);
			g_free(serial);
			g_string_free(box, TRUE);
		}
}

/*
 * A read error is reported after the last message read before it,
 * whatever the chunks: it used to come where the split's look-ahead
 * first met it, a place that moved with the size of -j's chunks.
 */
static void
test_read_error_in_its_place(void **state)
{
	struct acm_limits lim;
	GString *box = g_string_new(NULL), *decoy = g_string_new(UNIT_MAIL);
	size_t fail_at, c;
	int i;

	(void)state;
	/* ACM's template with its link broken: a warning each */
	g_string_replace(decoy, "https://", "hxxps://", 0);
	for (i = 0; i < 400; i++)
		g_string_append_printf(box, FROM_LINE "X-N: %d\n%s\n", i,
		    decoy->str);
	g_string_free(decoy, TRUE);
	limits(&lim, false);
	for (fail_at = box->len / 9; fail_at < box->len;
	    fail_at += box->len / 9) {
		char *serial = scan(box, 1, 0, 512, fail_at, &lim);

		/* the error comes after the last message's warning */
		assert_non_null(strstr(serial, "no approval link"));
		assert_true(strstr(serial, "unit read error") >
		    g_strrstr(serial, "no approval link"));
		for (c = 256; c <= 65536; c *= 4)
			assert_same(box, c, 512, fail_at, &lim, serial);
		g_free(serial);
	}
	g_string_free(box, TRUE);
}

/*
 * The Content-Length case by itself: the chunk cut falls on the From_
 * line inside the counted body; the chunk hands the message back and
 * it stays one message, with its number and the next ones right.
 */
static void
test_content_length_over_a_cut(void **state)
{
	static const char body[] = "text\n\nFrom x Thu Jun  6 10:00:00 2024\n"
	    "more\n";
	GString *box = g_string_new(NULL);
	struct acm_limits lim;
	char *serial;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		g_string_append(box, FROM_LINE);
		g_string_append_printf(box, "Subject: m%d\nContent-Length: "
		    "%zu\n\n%s\n", i, sizeof(body) - 1, body);
	}
	g_string_append(box, FROM_LINE);
	g_string_append(box, UNIT_MAIL);
	limits(&lim, false);
	serial = scan(box, 1, 0, 0, 0, &lim);
	/* the validation mail is message 20: no extra message was cut */
	assert_non_null(strstr(serial, "\"index\":20"));
	assert_same(box, 64, 0, 0, &lim, serial);
	assert_same(box, 200, 0, 0, &lim, serial);
	g_free(serial);
	g_string_free(box, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_one_thread),
		cmocka_unit_test(test_file_same_as_one_thread),
		cmocka_unit_test(test_read_error_in_its_place),
		cmocka_unit_test(test_content_length_over_a_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
