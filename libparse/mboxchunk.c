/*
 * mboxchunk.c - one large mbox split on several cores.
 *
 * With -j the reading thread does not split an mbox itself: it cuts
 * the stream into chunks of about a megabyte, each ending just before
 * a From_ line that follows a blank line, and the workers split and
 * scan the chunks.  Every such line starts a message when the whole
 * input is split from the top (mbox.c's rules), save when a message's
 * Content-Length reaches over it, or a message is near a size limit.
 * A worker that meets such a message stops there (chunk_unsure in
 * mbox.c); the bytes from it on come back to this thread, which
 * splits them as -j 1 would.  Message numbers are counted per chunk
 * and moved on as the chunks are delivered, in order, so the output
 * is the same bytes as with -j 1.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* A chunk grows to this many times its size to hold one message. */
#define CHUNK_GROWTH	16

/*
 * Where to cut BUF (N bytes): the start of the last From_ line that
 * follows a blank line and ends inside BUF, or 0 when there is none.
 * *AFTER is that line's length.  The search goes back a line at a
 * time, so it costs about one message, not the chunk.
 */
static size_t
last_cut(const unsigned char *buf, size_t n, size_t *after)
{
	const unsigned char *nl, *end;
	size_t before = n, k;

	while (before > 0 && (nl = memrchr(buf, '\n', before)) != NULL) {
		k = (size_t)(nl - buf) + 1;
		before = k - 1;
		if (n - k < 5 || memcmp(buf + k, "From ", 5) != 0)
			continue;
		if (!(k >= 2 && buf[k - 2] == '\n') &&
		    !(k >= 3 && buf[k - 2] == '\r' && buf[k - 3] == '\n'))
			continue;
		if ((end = memchr(buf + k, '\n', n - k)) == NULL)
			continue;
		*after = (size_t)(end - (buf + k)) + 1;
		return k;
	}
	return 0;
}

/* Hand the reader's next LEN bytes to the workers, uncopied. */
static void
ship(struct acm_scanner *sc, struct reader *r, const struct prov *p,
    size_t len, size_t after, bool last)
{
	struct prov q = *p;
	unsigned char *buf;
	size_t cap, at;

	q.offset = r->offset;
	pool_chunk_buffer(sc->pool, &buf, &cap);
	at = reader_swap(r, len, &buf, &cap);
	pool_chunk(sc->pool, buf, cap, at, len, &q, last ? 0 : after, last);
}

/*
 * In a plain file (source.c) the reading thread does not read the
 * chunks: it looks for a cut a chunk ahead, in a small window, and the
 * worker reads the bytes up to it.  Read on this thread, each chunk
 * came to the worker's core from this one's cache, and the worker's
 * first pass over it (the prefilter) ran a third slower than with
 * -j 1 (perf, -j2 on a 200 MB mbox).
 */
#define CUT_WINDOW	((size_t)16 << 10)

/*
 * The first From_ line at stream offset FROM or after, following a
 * blank line and ending within what is read, before LIMIT; the chunk
 * began at START.  1 and its offset in *CUT and length in *AFTER; 0
 * when the file ends first, before LIMIT (*END), or LIMIT is reached;
 * -1 on a read error.  W is a buffer of CUT_WINDOW bytes; each window
 * keeps the 3 bytes before it, for the blank line.
 */
static int
next_cut(const struct reader *r, unsigned char *w, long long start,
    long long from, long long limit, long long *cut, size_t *after,
    bool *end)
{
	long long at = MAX(from - 3, start);
	const unsigned char *nl, *eol;
	size_t n, k, i, next;
	ssize_t got;

	*end = false;
	while (at < limit) {
		do
			got = pread(r->fd, w, CUT_WINDOW, r->base + at);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -1;
		n = (size_t)got;
		next = n - MIN(n, 3);	/* the window's end, less 3 bytes */
		for (i = 2; i < n && (nl = memchr(w + i, '\n', n - i)); i = k) {
			k = (size_t)(nl - w) + 1;
			if (n - k < 5) {
				next = k - 3;	/* read on from this line */
				break;
			}
			if (memcmp(w + k, "From ", 5) != 0 ||
			    !(w[k - 2] == '\n' ||
			    (w[k - 2] == '\r' && w[k - 3] == '\n')))
				continue;
			if (at + (long long)k >= limit)
				return 0;
			if ((eol = memchr(w + k, '\n', n - k)) != NULL) {
				*cut = at + (long long)k;
				*after = (size_t)(eol - (w + k)) + 1;
				return 1;
			}
			/* read on from this line, unless it fills the
			 * window: a cut need not be taken */
			if (k > 3)
				next = k - 3;
			break;
		}
		if (n < CUT_WINDOW) {
			/* the rest is the last chunk, if short of LIMIT
			 * (and so of the size limit) */
			*end = at + (long long)n <= limit;
			return 0;
		}
		at += (long long)next;
	}
	return 0;
}

/* Chunks of a plain file, read by the workers; as mbox_chunks. */
static enum chunks_end
file_chunks(struct acm_scanner *sc, struct reader *r, const struct prov *p,
    long *index, bool *tail)
{
	enum chunks_end how = CHUNKS_STOP;
	unsigned char *w = g_malloc(CUT_WINDOW);
	long long start = r->offset, cut, resume;
	GByteArray *replay;
	size_t after = 0;
	struct prov q = *p;
	bool end;
	int rc;

	pool_chunks_begin(sc->pool, *index + 1);
	for (;;) {
		long long limit = start + (long long)(CHUNK_GROWTH *
		    sc->chunk);

		/* past the size limit, the reader's own count must see it */
		if ((uint64_t)limit > sc->opt.limits.max_expanded)
			break;
		rc = next_cut(r, w, start, start + (long long)sc->chunk,
		    limit, &cut, &after, &end);
		if (rc < 0)
			break;		/* the reader meets it again */
		q.offset = start;
		if (rc == 0 && end) {
			pool_chunk_file(sc->pool, r->fd, r->base + start, 0,
			    &q, 0, true);
			how = CHUNKS_DONE;
			break;
		}
		if (rc == 0) {
			how = CHUNKS_GIANT;
			break;
		}
		pool_chunk_file(sc->pool, r->fd, r->base + start,
		    (size_t)(cut - start), &q, after, false);
		start = cut;
		if (pool_chunks_stopped(sc->pool))
			break;
	}
	g_free(w);

	*index = pool_chunks_end(sc->pool, &replay, tail, &resume) - 1;
	g_byte_array_free(replay, TRUE);
	if (pool_chunks_stopped(sc->pool))
		how = CHUNKS_STOP;	/* at the message it stopped at */
	if (resume < 0)
		resume = start;		/* none was shipped */
	if (!reader_seek(r, resume))
		how = CHUNKS_STOP;
	return how;
}

/*
 * Ship chunks from the reader's position (a From_ line) until the end
 * of the input, or until this thread must split by itself:
 * CHUNKS_GIANT, no cut within CHUNK_GROWTH chunks (one huge message),
 * or CHUNKS_STOP, a chunk came back.  The pool is drained before
 * returning; *INDEX is then the number of the last message delivered,
 * and the reader is at the next one.
 */
enum chunks_end
mbox_chunks(struct acm_scanner *sc, struct reader *r, const struct prov *p,
    long *index, bool *tail)
{
	enum chunks_end how = CHUNKS_STOP;
	size_t want = sc->chunk, n, cut, after = 0;
	const unsigned char *buf;
	GByteArray *replay;
	long long resume;

	if (r->fd >= 0 && !sc->opt.hash_inputs)
		return file_chunks(sc, r, p, index, tail);
	pool_chunks_begin(sc->pool, *index + 1);
	for (;;) {
		n = reader_peek(r, want, &buf);
		if (n < 5 || memcmp(buf, "From ", 5) != 0)
			break;
		if (n < want) {
			/* the end of the input: all of it */
			ship(sc, r, p, n, 0, true);
			how = CHUNKS_DONE;
			break;
		}
		cut = last_cut(buf, n, &after);
		if (cut == 0 && want >= CHUNK_GROWTH * sc->chunk) {
			how = CHUNKS_GIANT;
			break;
		}
		if (cut == 0) {
			want *= 2;
			continue;
		}
		ship(sc, r, p, cut, after, false);
		want = sc->chunk;
		if (pool_chunks_stopped(sc->pool))
			break;
	}

	*index = pool_chunks_end(sc->pool, &replay, tail, &resume) - 1;
	if (replay->len > 0) {
		reader_unread(r, replay->data, replay->len);
		how = CHUNKS_STOP;
	}
	g_byte_array_free(replay, TRUE);
	return how;
}
