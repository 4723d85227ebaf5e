/*
 * test_reader.c - reader.c: lines and look-ahead over sources that hand
 * their bytes over in blocks of any size.
 */
#include "unit.h"

/* Next line as a string, or NULL at the end. */
static char *
next_line(struct reader *r)
{
	const unsigned char *s;
	size_t n;

	if (!reader_line(r, &s, &n))
		return NULL;
	return g_strndup((const char *)s, n);
}

static void
expect_line(struct reader *r, const char *want)
{
	char *got = next_line(r);

	assert_non_null(got);
	assert_string_equal(got, want);
	g_free(got);
}

static void
test_lines_across_blocks(void **state)
{
	static const char in[] = "alpha\nbeta\r\n\ngamma";
	size_t step;

	(void)state;
	for (step = 1; step <= sizeof(in); step++) {
		struct unit_chunks ch = { (const unsigned char *)in,
		    sizeof(in) - 1, 0, step, 0 };
		struct reader r;

		reader_init(&r, unit_chunk_read, &ch);
		expect_line(&r, "alpha\n");
		assert_int_equal(r.offset, 6);
		expect_line(&r, "beta\r\n");
		expect_line(&r, "\n");
		assert_int_equal(r.offset, 13);
		/* the last line has no newline and still counts */
		expect_line(&r, "gamma");
		assert_int_equal(r.offset, 18);
		assert_null(next_line(&r));
		assert_null(next_line(&r));
		assert_true(r.eof);
		assert_false(r.failed);
		reader_free(&r);
	}
}

static void
test_empty_source(void **state)
{
	struct unit_chunks ch = { (const unsigned char *)"", 0, 0, 16, 0 };
	const unsigned char *p = NULL;
	struct reader r;

	(void)state;
	reader_init(&r, unit_chunk_read, &ch);
	assert_int_equal(reader_peek(&r, 100, &p), 0);
	/* callers may look at *p even when nothing is there */
	assert_non_null(p);
	assert_null(next_line(&r));
	assert_int_equal(r.offset, 0);
	reader_free(&r);
}

static void
test_peek_does_not_consume(void **state)
{
	static const char in[] = "From a\nSubject: b\n\nbody\n";
	struct unit_chunks ch = { (const unsigned char *)in, sizeof(in) - 1,
	    0, 3, 0 };
	const unsigned char *p;
	struct reader r;
	size_t n;

	(void)state;
	reader_init(&r, unit_chunk_read, &ch);
	n = reader_peek(&r, 10, &p);
	assert_true(n >= 10);
	assert_memory_equal(p, in, 10);
	/* more than the input has: all of it, and no more */
	n = reader_peek(&r, 1000, &p);
	assert_int_equal(n, sizeof(in) - 1);
	assert_memory_equal(p, in, n);
	assert_int_equal(r.offset, 0);
	expect_line(&r, "From a\n");
	n = reader_peek(&r, 5, &p);
	assert_true(n >= 5);
	assert_memory_equal(p, "Subje", 5);
	expect_line(&r, "Subject: b\n");
	reader_free(&r);
}

static void
test_skip(void **state)
{
	static const char in[] = "0123456789abcdef\nrest\n";
	struct unit_chunks ch = { (const unsigned char *)in, sizeof(in) - 1,
	    0, 4, 0 };
	const unsigned char *p;
	struct reader r;

	(void)state;
	reader_init(&r, unit_chunk_read, &ch);
	assert_true(reader_peek(&r, 8, &p) >= 8);
	reader_skip(&r, 5);
	assert_int_equal(r.offset, 5);
	expect_line(&r, "56789abcdef\n");
	/*
	 * Skipping past what is buffered stops at the buffer's end: the
	 * 4-byte blocks have brought in 20 bytes so far.
	 */
	assert_true(reader_peek(&r, 2, &p) >= 2);
	reader_skip(&r, 1 << 20);
	assert_int_equal(r.offset, 20);
	assert_true(r.start == r.end);
	expect_line(&r, "t\n");
	reader_free(&r);
}

/*
 * Look-ahead and lines interleaved over a long input: whatever the
 * reader moves around inside its buffer, each line and each peek must
 * show the input's bytes at the reader's offset.
 */
static void
test_peek_and_lines_interleaved(void **state)
{
	GString *in = g_string_new(NULL);
	struct unit_chunks ch;
	struct reader r;
	const unsigned char *s, *p;
	size_t n, lines = 0;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		int len = (i * 7919) % 700, k;

		for (k = 0; k < len; k++)
			g_string_append_c(in, 'a' + (i + k) % 26);
		g_string_append_c(in, '\n');
	}
	ch = (struct unit_chunks){ (const unsigned char *)in->str, in->len,
	    0, 4093, 0 };
	reader_init(&r, unit_chunk_read, &ch);
	for (;;) {
		long long off = r.offset;
		size_t want = (lines * 131) % 3000, got;

		got = reader_peek(&r, want, &p);
		assert_true(got >= want || off + (long long)got ==
		    (long long)in->len);
		assert_memory_equal(p, in->str + off, got < want ? got : want);
		if (!reader_line(&r, &s, &n))
			break;
		assert_memory_equal(s, in->str + off, n);
		assert_int_equal(s[n - 1], '\n');
		assert_int_equal(r.offset, off + (long long)n);
		lines++;
	}
	assert_int_equal(lines, 5000);
	assert_int_equal(r.offset, in->len);
	reader_free(&r);
	g_string_free(in, TRUE);
}

/* Without max_line a long line comes whole, however many blocks. */
static void
test_long_line_unbounded(void **state)
{
	size_t len = 600 * 1024;
	char *in = g_malloc(len + 6);
	struct unit_chunks ch = { (const unsigned char *)in, len + 6, 0,
	    64 * 1024, 0 };
	const unsigned char *s;
	struct reader r;
	size_t n;

	(void)state;
	memset(in, 'x', len);
	memcpy(in + len, "\nnext\n", 6);
	reader_init(&r, unit_chunk_read, &ch);
	assert_true(reader_line(&r, &s, &n));
	assert_int_equal(n, len + 1);
	assert_memory_equal(s, in, n);
	expect_line(&r, "next\n");
	assert_null(next_line(&r));
	reader_free(&r);
	g_free(in);
}

/*
 * An endless line with max_line set: handed over in pieces, nothing
 * lost or repeated, and the buffer stays near max_line instead of
 * growing with the line.
 */
static void
test_max_line_endless(void **state)
{
	size_t len = 4 * 1024 * 1024, total = 0, pieces = 0;
	char *in = g_malloc(len + 5);
	struct unit_chunks ch = { (const unsigned char *)in, len + 5, 0,
	    1000, 0 };
	const unsigned char *s;
	struct reader r;
	size_t n;

	(void)state;
	memset(in, 'y', len);
	memcpy(in + len, "\nend\n", 5);
	reader_init(&r, unit_chunk_read, &ch);
	r.max_line = 4096;
	while (total < len) {
		assert_true(reader_line(&r, &s, &n));
		assert_memory_equal(s, in + total, n);
		/* a piece is max_line, give or take one source block */
		assert_true(n <= r.max_line + ch.step);
		total += n;
		pieces++;
	}
	assert_true(pieces >= len / (r.max_line + ch.step));
	/* the newline came with the last piece or alone */
	if (total == len)
		expect_line(&r, "\n");
	else
		assert_int_equal(total, len + 1);
	expect_line(&r, "end\n");
	assert_null(next_line(&r));
	assert_true(r.cap <= 512 * 1024);
	reader_free(&r);
	g_free(in);
}

/* max_line does not cut lines that end inside the buffer. */
static void
test_max_line_ordinary_lines_whole(void **state)
{
	static const char in[] = "short\na line longer than sixteen bytes\n";
	struct unit_chunks ch = { (const unsigned char *)in, sizeof(in) - 1,
	    0, sizeof(in), 0 };
	struct reader r;

	(void)state;
	reader_init(&r, unit_chunk_read, &ch);
	r.max_line = 16;
	expect_line(&r, "short\n");
	expect_line(&r, "a line longer than sixteen bytes\n");
	assert_null(next_line(&r));
	reader_free(&r);
}

static void
test_memory_source(void **state)
{
	static const char in[] = "one\ntwo\nthree";
	struct membuf m = { (const unsigned char *)in, sizeof(in) - 1,
	    false };
	const void *blk = NULL;
	struct reader r;

	(void)state;
	/* the whole block once, then the end */
	assert_int_equal(reader_mem(&m, &blk), sizeof(in) - 1);
	assert_ptr_equal(blk, in);
	assert_int_equal(reader_mem(&m, &blk), 0);

	m.done = false;
	reader_init(&r, reader_mem, &m);
	expect_line(&r, "one\n");
	expect_line(&r, "two\n");
	expect_line(&r, "three");
	assert_null(next_line(&r));
	assert_int_equal(r.offset, sizeof(in) - 1);
	reader_free(&r);
}

struct failing {
	int	 calls;
};

/* One good block, then a read error. */
static ssize_t
failing_read(void *arg, const void **buf)
{
	struct failing *f = arg;

	if (f->calls++ == 0) {
		*buf = "first\nsecond";
		return 12;
	}
	return -1;
}

static void
test_read_error(void **state)
{
	struct failing f = { 0 };
	struct reader r;

	(void)state;
	reader_init(&r, failing_read, &f);
	expect_line(&r, "first\n");
	assert_false(r.failed);
	/* what arrived before the error is still handed over */
	expect_line(&r, "second");
	assert_true(r.failed);
	assert_true(r.eof);
	assert_null(next_line(&r));
	/* no second call to a source that has failed */
	assert_int_equal(f.calls, 2);
	reader_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_across_blocks),
		cmocka_unit_test(test_empty_source),
		cmocka_unit_test(test_peek_does_not_consume),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_peek_and_lines_interleaved),
		cmocka_unit_test(test_long_line_unbounded),
		cmocka_unit_test(test_max_line_endless),
		cmocka_unit_test(test_max_line_ordinary_lines_whole),
		cmocka_unit_test(test_memory_source),
		cmocka_unit_test(test_read_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
