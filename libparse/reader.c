/*
 * reader.c - a pull reader with look-ahead.
 *
 * Stages above it see lines and can peek a bounded distance ahead (an
 * mboxcl2 Content-Length check needs a whole body).  The buffer keeps
 * only what has not been consumed, so memory follows the largest
 * look-ahead asked for, not the size of the input.
 */
#include <string.h>

#include "internal.h"

#define READER_CHUNK	(256 * 1024)

void
reader_init(struct reader *r, reader_fn fn, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->arg = arg;
	r->fd = -1;
}

/*
 * A reader over a plain file: INTO reads into the reader's buffer, so
 * nothing is copied on the way; SEEK moves to a stream offset; FD at
 * offset BASE is stream offset 0.
 */
void
reader_init_file(struct reader *r, reader_into_fn into, reader_seek_fn seek,
    void *arg, int fd, long long base)
{
	reader_init(r, NULL, arg);
	r->read_into = into;
	r->seek = seek;
	r->fd = fd;
	r->base = base;
}

/* Forget what is buffered and go on from stream OFFSET (plain files). */
bool
reader_seek(struct reader *r, long long offset)
{
	r->start = r->end = 0;
	r->offset = offset;
	r->eof = false;
	if (r->seek(r->arg, offset))
		return true;
	r->failed = r->eof = true;
	return false;
}

void
reader_free(struct reader *r)
{
	g_free(r->buf);
	r->buf = NULL;
}

/* Room for N more bytes after buf[end]: what was consumed goes first. */
static void
reader_room(struct reader *r, size_t n)
{
	if (r->start > 0 && r->start == r->end) {
		r->start = r->end = 0;
	} else if (r->start > 0 && r->end + n > r->cap) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end + n > r->cap) {
		size_t cap = r->cap ? r->cap : READER_CHUNK;

		while (cap < r->end + n)
			cap *= 2;
		r->buf = g_realloc(r->buf, cap);
		r->cap = cap;
	}
}

/* Pull one more block from the source; false at end or on failure. */
static bool
reader_fill(struct reader *r)
{
	const void *blk = NULL;
	ssize_t n;

	if (r->eof)
		return false;
	if (r->read_into)
		reader_room(r, READER_CHUNK / 4);
	if (r->filling)
		r->filling(r->fill_arg, true);
	if (r->read_into)
		n = r->read_into(r->arg, r->buf + r->end, r->cap - r->end);
	else
		n = r->fn(r->arg, &blk);
	if (r->filling)
		r->filling(r->fill_arg, false);
	if (n <= 0) {
		if (n < 0)
			r->failed = true;
		r->eof = true;
		return false;
	}
	if (blk) {
		reader_room(r, (size_t)n);
		memcpy(r->buf + r->end, blk, n);
	}
	r->end += n;
	return true;
}

/* Make WANT bytes visible if the input has them; returns how many are. */
size_t
reader_peek(struct reader *r, size_t want, const unsigned char **p)
{
	while (r->end - r->start < want && reader_fill(r))
		;
	*p = r->buf ? r->buf + r->start : (const unsigned char *)"";
	return r->end - r->start;
}

void
reader_skip(struct reader *r, size_t n)
{
	if (n > r->end - r->start)
		n = r->end - r->start;
	r->start += n;
	r->offset += n;
}

/*
 * The next line with its newline (the last line may lack one).  The
 * pointer stays valid until the next call.  False at end of input.
 */
bool
reader_line(struct reader *r, const unsigned char **line, size_t *len)
{
	size_t scanned = 0;

	for (;;) {
		/* no pointer arithmetic before the first fill: buf is NULL */
		size_t have = r->end - r->start;
		unsigned char *nl;

		if (have > scanned && (nl = memchr(r->buf + r->start +
		    scanned, '\n', have - scanned))) {
			*line = r->buf + r->start;
			*len = nl - *line + 1;
			reader_skip(r, *len);
			return true;
		}
		scanned = have;
		if (r->max_line && have >= r->max_line) {
			/* an endless line: hand it over in pieces */
			*line = r->buf + r->start;
			*len = have;
			reader_skip(r, have);
			return true;
		}
		if (!reader_fill(r)) {
			if (have == 0)
				return false;
			*line = r->buf + r->start;
			*len = have;
			reader_skip(r, have);
			return true;
		}
	}
}

/*
 * A reader over bytes already in memory, read where they lie: nothing
 * is copied and reader_free must not be called.  OFFSET is the stream
 * offset of DATA[0].
 */
void
reader_over(struct reader *r, const unsigned char *data, size_t len,
    long long offset)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->buf = (unsigned char *)data;
	r->cap = r->end = len;
	r->offset = offset;
	r->eof = true;
}

/*
 * Hand over the next CUT bytes without copying them: the reader takes
 * *BUF (*CAP bytes; NULL and 0 for a new one), puts what is left after
 * them there, and gives its old buffer back in *BUF and *CAP.  Returns
 * where in that buffer the CUT bytes start.
 */
size_t
reader_swap(struct reader *r, size_t cut, unsigned char **buf, size_t *cap)
{
	size_t at = r->start, rest = r->end - r->start - cut;
	unsigned char *old = r->buf;
	size_t oldcap = r->cap;

	if (*cap < rest || *cap < READER_CHUNK) {
		*cap = MAX(rest, READER_CHUNK);
		*buf = g_realloc(*buf, *cap);
	}
	memcpy(*buf, r->buf + r->start + cut, rest);
	r->buf = *buf;
	r->cap = *cap;
	r->start = 0;
	r->end = rest;
	r->offset += cut;
	*buf = old;
	*cap = oldcap;
	return at;
}

/* Put LEN bytes back in front of what is left to read. */
void
reader_unread(struct reader *r, const unsigned char *data, size_t len)
{
	size_t have = r->end - r->start;
	unsigned char *buf;

	if (len == 0)
		return;
	buf = g_malloc(len + have + READER_CHUNK);
	memcpy(buf, data, len);
	if (have)
		memcpy(buf + len, r->buf + r->start, have);
	g_free(r->buf);
	r->buf = buf;
	r->cap = len + have + READER_CHUNK;
	r->start = 0;
	r->end = len + have;
	r->offset -= len;
}

/* A reader_fn over one memory block. */
ssize_t
reader_mem(void *arg, const void **buf)
{
	struct membuf *m = arg;

	if (m->done)
		return 0;
	m->done = true;
	*buf = m->p;
	return (ssize_t)m->len;
}
