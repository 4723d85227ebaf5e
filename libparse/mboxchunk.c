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
#include <string.h>

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

	*index = pool_chunks_end(sc->pool, &replay, tail) - 1;
	if (replay->len > 0) {
		reader_unread(r, replay->data, replay->len);
		how = CHUNKS_STOP;
	}
	g_byte_array_free(replay, TRUE);
	return how;
}
