/*
 * mbox.c - split mbox (mboxo, mboxrd, mboxcl, mboxcl2) and MMDF
 * mailboxes into messages, one held at a time.
 *
 * A From_ line starts a message when it is the first line, follows a
 * blank line, or has the shape of a real From_ line (a time in it).
 * Content-Length is honoured only where it lands on the next From_
 * line or the end; otherwise the split falls back to From_ lines, with
 * a warning.  Quoted ">From " lines lose one '>' (mboxrd), which is
 * also the mboxo reading of a single '>'.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mbox {
	struct acm_scanner	*sc;
	struct prov		*p;
	GByteArray		*msg;
	GPtrArray		*warn;
	long			 index;
	long long		 offset;
	bool			 truncated;
	bool			 mid_line;	/* skipped to inside a line */
	/*
	 * A worker splitting a chunk that is not the end of its input
	 * (mboxchunk.c): AFTER is the length of the From_ line that
	 * follows the chunk; UNSURE is set, and the split stops, at a
	 * message the whole input could split otherwise.
	 */
	bool			 chunk;
	size_t			 after;
	bool			 unsure;
};

static bool
is_blank(const unsigned char *s, size_t n)
{
	return (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' &&
	    s[1] == '\n') || n == 0;
}

/*
 * Is the line S (N bytes) a From_ line: "From sender ... hh:mm", the
 * shape writers give them?  sniff.c asks too.
 */
bool
mbox_from_line(const unsigned char *s, size_t n)
{
	size_t i = 5;

	if (n < 5 || memcmp(s, "From ", 5) != 0)
		return false;

	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
		i++;
	for (; i + 4 < n; i++)
		if (g_ascii_isdigit(s[i]) && s[i + 2] == ':' &&
		    g_ascii_isdigit(s[i + 1]) && g_ascii_isdigit(s[i + 3]))
			return true;
	return false;
}

static void
mbox_append(struct mbox *m, const unsigned char *s, size_t n)
{
	size_t max = m->sc->opt.limits.max_message;

	if (m->truncated)
		return;
	if (m->msg->len + n > max) {
		n = max - m->msg->len;
		m->truncated = true;
	}
	g_byte_array_append(m->msg, s, n);
}

static void
mbox_flush(struct mbox *m)
{
	struct prov q = *m->p;
	GByteArray *b = m->msg;

	if (m->index < 0)
		return;
	q.index = m->index;
	q.offset = m->offset;

	/* the blank line before the next From_ is the mbox's, not ours */
	if (b->len >= 2 && b->data[b->len - 1] == '\n' &&
	    b->data[b->len - 2] == '\n')
		g_byte_array_set_size(b, b->len - 1);
	else if (b->len >= 4 && memcmp(b->data + b->len - 4, "\r\n\r\n",
	    4) == 0)
		g_byte_array_set_size(b, b->len - 2);
	if (m->truncated) {
		scan_warn(m->sc, &q, "message larger than %zu bytes; only "
		    "the first %zu are read", m->sc->opt.limits.max_message,
		    m->sc->opt.limits.max_message);
		g_ptr_array_add(m->warn, g_strdup_printf("truncated: message "
		    "larger than %zu bytes", m->sc->opt.limits.max_message));
	}
	/* an empty message has no data pointer; memmem wants one */
	message_scan(m->sc, b->len ? b->data : (const guint8 *)"", b->len,
	    &q, m->warn);
	g_byte_array_set_size(b, 0);
	g_ptr_array_set_size(m->warn, 0);
	m->truncated = false;
}

/* The Content-Length value in a header block, or -1. */
static long long
content_length(const unsigned char *h, size_t n)
{
	static const char name[] = "content-length:";
	size_t i = 0;

	while (i < n) {
		const unsigned char *nl = memchr(h + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (h + i)) : n - i;

		if (len > sizeof(name) - 1 &&
		    g_ascii_strncasecmp((const char *)h + i, name,
		    sizeof(name) - 1) == 0) {
			char buf[32];
			size_t vl = len - (sizeof(name) - 1);
			char *end;
			long long v;

			if (vl >= sizeof(buf))
				return -1;
			memcpy(buf, h + i + sizeof(name) - 1, vl);
			buf[vl] = '\0';
			v = strtoll(g_strstrip(buf), &end, 10);
			return (*end == '\0' && v >= 0) ? v : -1;
		}
		i += len + 1;
	}
	return -1;
}

/*
 * Where the header block starting at H ends (after its blank line), or
 * 0 when the window holds no end yet.  A From_ line before any blank
 * line ends a message that has no body: *FROM is set and the length
 * returned stops at that line.
 */
static size_t
header_end(const unsigned char *h, size_t n, bool *from)
{
	const unsigned char *p = h, *end = h + n, *nl;

	*from = false;
	if (n > 0 && h[0] == '\n')
		return 1;
	if (n > 1 && h[0] == '\r' && h[1] == '\n')
		return 2;
	while (p < end && (p = memchr(p, '\n', end - p)) != NULL) {
		p++;
		if (p < end && *p == '\n')
			return p + 1 - h;
		if (p + 1 < end && p[0] == '\r' && p[1] == '\n')
			return p + 2 - h;
		if (end - p >= 5 && memcmp(p, "From ", 5) == 0 &&
		    (nl = memchr(p, '\n', end - p)) != NULL &&
		    mbox_from_line(p, nl - p)) {
			*from = true;
			return p - h;
		}
	}
	return 0;
}

/* Does a blank line end just before BUF[K]? */
static bool
after_blank(const unsigned char *buf, size_t k)
{
	return (k >= 2 && buf[k - 1] == '\n' && buf[k - 2] == '\n') ||
	    (k >= 3 && buf[k - 1] == '\n' && buf[k - 2] == '\r' &&
	    buf[k - 3] == '\n');
}

/*
 * Does a From_ line start at BUF[K], by the rules at the top?  After a
 * blank line it does whatever follows; else its shape decides, and
 * the whole line must be in the window (or the input end there).
 */
static bool
boundary_at(const unsigned char *buf, size_t k, size_t n, bool eof)
{
	const unsigned char *nl;

	if (after_blank(buf, k))
		return true;
	nl = memchr(buf + k, '\n', n - k);
	if (nl == NULL && !eof)
		return false;
	return mbox_from_line(buf + k, nl ? (size_t)(nl - (buf + k)) : n - k);
}

/*
 * The next From_ line after BODY (an offset into BUF): true with *NEXT
 * at its start, or false when the window does not hold it yet.  Lines
 * ">From ", ">>From " met on the way set *QUOTED.  The search runs on
 * find3() for "Fro", which seldom stops in ordinary text (bytescan.c).
 */
static bool
find_next(const unsigned char *buf, size_t n, size_t body, bool eof,
    size_t *next, bool *quoted)
{
	const unsigned char *f = buf + body, *end = buf + n;

	while (f < end && (f = find3(f, end - f, 'F', 'r', 'o', 0)) != NULL) {
		const unsigned char *b = f;
		size_t k = f - buf;

		f++;
		if (end - b < 5 || memcmp(b, "From ", 5) != 0)
			continue;
		while (b > buf + body && b[-1] == '>')
			b--;
		if (b > buf + body && b[-1] != '\n')
			continue;
		if (b == buf + body && body > 0 && buf[body - 1] != '\n')
			continue;
		if (b != buf + k) {
			*quoted = true;
			continue;
		}
		if (boundary_at(buf, k, n, eof)) {
			*next = k;
			return true;
		}
	}
	if (eof) {
		*next = n;
		return true;
	}
	return false;
}

/* When Content-Length lands on a From_ line or the end, where. */
static bool
counted_end(const unsigned char *buf, size_t n, size_t body, long long cl,
    bool eof, size_t *next)
{
	const unsigned char *t;
	size_t rest;

	if (cl < 0 || body + (size_t)cl > n)
		return false;
	t = buf + body + cl;
	rest = n - body - cl;
	if ((rest == 0 && eof) || (rest >= 5 && memcmp(t, "From ", 5) == 0)) {
		*next = body + cl;
		return true;
	}
	if ((rest >= 6 && memcmp(t, "\nFrom ", 6) == 0) ||
	    (rest == 1 && eof && t[0] == '\n')) {
		*next = body + cl + 1;
		return true;
	}
	if ((rest >= 7 && memcmp(t, "\r\nFrom ", 7) == 0) ||
	    (rest == 2 && eof && t[0] == '\r' && t[1] == '\n')) {
		*next = body + cl + 2;
		return true;
	}
	return false;
}

/* A copy with one '>' taken off every ">...>From " body line. */
static void
unquote(const unsigned char *p, size_t n, size_t body, GByteArray *o)
{
	const unsigned char *q = p + body, *end = p + n;

	g_byte_array_append(o, p, body);
	while (q < end) {
		const unsigned char *nl = memchr(q, '\n', end - q);
		size_t len = nl ? (size_t)(nl - q) + 1 : (size_t)(end - q);
		size_t i = 0;

		while (i < len && q[i] == '>')
			i++;
		if (i > 0 && len - i >= 5 && memcmp(q + i, "From ", 5) == 0)
			g_byte_array_append(o, q + 1, len - 1);
		else
			g_byte_array_append(o, q, len);
		q += len;
	}
}

/*
 * Would the split of the whole input end this message where the chunk
 * does?  Only the window's end can differ: in the chunk it is an end
 * of input, which stops a search that would go on in the whole input,
 * where a From_ line (AFTER bytes) and more follow.  The chunk sees no
 * further than the whole input does, so it finds the same header end
 * and From_ lines; it may end the message otherwise only when the
 * header block does not end in the chunk, the message's Content-Length
 * reaches past the chunk, or the message with the From_ line after it
 * comes near the size limit (where the whole input gives up looking).
 */
static bool
chunk_unsure(const struct mbox *m, size_t n, size_t fl, size_t hdr,
    long long cl)
{
	if (hdr == 0)		/* not so far: a chunk ends in a blank line */
		return true;
	if (cl >= 0 && fl + hdr + (size_t)cl > n)
		return true;
	return n + m->after - fl >= m->sc->opt.limits.max_message;
}

/*
 * One message from the From_ line at the reader's position: find where
 * it ends in a window that grows as needed, then hand the bytes over
 * where they lie; only quoted ">From " lines cost a copy.
 */
static bool
one_message(struct mbox *m, struct reader *r)
{
	size_t max = m->sc->opt.limits.max_message, want = 64 * 1024;
	size_t max_header = m->sc->opt.limits.max_header;
	size_t n, fl, body, hdr, next = 0, len;
	const unsigned char *buf, *nl;
	struct prov q = *m->p;
	GByteArray *copy = NULL;
	long long cl;
	bool eof, quoted = false, bodiless;

	q.index = ++m->index;
	q.offset = r->offset;
	for (;;) {
		/*
		 * The window is WANT bytes, not all the reader holds: where
		 * a message ends must not depend on how the input was read
		 * (the size of its blocks, or -j's chunks).
		 */
		n = MIN(reader_peek(r, want, &buf), want);
		eof = n < want;
		nl = memchr(buf, '\n', n);
		fl = nl ? (size_t)(nl - buf) + 1 : n;
		hdr = header_end(buf + fl, n - fl, &bodiless);
		body = fl + hdr;
		if (bodiless) {
			next = body;
			cl = -1;
			break;
		}
		if (hdr == 0 && !eof && n - fl <= max_header) {
			want *= 2;
			continue;
		}
		if (hdr == 0)
			body = n;
		cl = hdr ? content_length(buf + fl, hdr) : -1;
		if (cl >= 0 && counted_end(buf, n, body, cl, eof, &next))
			break;
		if (cl >= 0 && (body + (size_t)cl + 8 > n && !eof &&
		    body + (size_t)cl <= max)) {
			want = body + cl + 8;
			continue;
		}
		quoted = false;
		if (find_next(buf, n, body, eof, &next, &quoted))
			break;
		if (n - fl >= max) {
			next = 0;
			break;
		}
		want *= 2;
	}
	if (m->chunk && eof && chunk_unsure(m, n, fl, hdr, cl)) {
		m->index--;
		m->unsure = true;
		return true;
	}
	if (cl >= 0 && next != body + (size_t)cl &&
	    next != body + (size_t)cl + 1 && next != body + (size_t)cl + 2)
		g_ptr_array_add(m->warn, g_strdup_printf("Content-Length %lld "
		    "does not end the message; split on From_ lines instead",
		    cl));
	if (hdr == 0 && n - fl > max_header)
		g_ptr_array_add(m->warn, g_strdup_printf("truncated: header "
		    "block larger than %zu bytes", max_header));
	if (next == 0 || next - fl > max) {
		/* larger than the limit: read the first part, skip the rest */
		scan_warn(m->sc, &q, "message larger than %zu bytes; only the "
		    "first %zu are read", max, max);
		g_ptr_array_add(m->warn, g_strdup_printf("truncated: message "
		    "larger than %zu bytes", max));
		message_scan(m->sc, buf + fl, max, &q, m->warn);
		g_ptr_array_set_size(m->warn, 0);
		m->mid_line = next == 0 && buf[fl + max - 1] != '\n';
		reader_skip(r, next ? next : fl + max);
		return next != 0;
	}
	len = next - fl;

	/* the blank line before the next From_ is the mbox's, not ours */
	if (len >= 2 && buf[fl + len - 1] == '\n' && buf[fl + len - 2] == '\n')
		len--;
	else if (len >= 4 && memcmp(buf + fl + len - 4, "\r\n\r\n", 4) == 0)
		len -= 2;
	if (quoted) {
		copy = g_byte_array_sized_new(len);
		unquote(buf + fl, len, hdr, copy);
	}
	if (copy)
		message_scan(m->sc, copy->len ? copy->data :
		    (const guint8 *)"", copy->len, &q, m->warn);
	else
		message_scan(m->sc, len ? buf + fl : (const guint8 *)"", len,
		    &q, m->warn);
	if (copy)
		g_byte_array_free(copy, TRUE);
	g_ptr_array_set_size(m->warn, 0);
	reader_skip(r, next);
	return true;
}

/*
 * After an oversized message: on to the next line that starts with
 * "From ".  MID says the reader stands inside a line.  A line longer
 * than the reader's max_line comes in pieces, and a piece's start is
 * no line start either: where the pieces are cut depends on how the
 * input was read.
 */
static void
skip_to_from(struct reader *r, bool mid)
{
	const unsigned char *buf, *s;
	size_t n;

	for (;;) {
		if (!mid && reader_peek(r, 5, &buf) >= 5 &&
		    memcmp(buf, "From ", 5) == 0)
			return;
		if (!reader_line(r, &s, &n))
			return;
		mid = s[n - 1] != '\n';
	}
}

/*
 * A worker's part of mboxchunk.c: split LEN bytes that start with a
 * From_ line, scan their messages, say how far it got.  P's offset is
 * the chunk's; message numbers count from 0 here and are moved on
 * when the results are handed over.
 */
void
mbox_chunk_scan(struct acm_scanner *sc, const unsigned char *data,
    size_t len, struct prov *p, size_t after, bool last,
    struct chunk_result *res)
{
	struct mbox m = { .sc = sc, .p = p, .index = -1, .chunk = !last,
	    .after = after, .warn = g_ptr_array_new_with_free_func(g_free) };
	const unsigned char *buf;
	struct reader r;

	reader_over(&r, data, len, p->offset);
	while (!m.unsure && reader_peek(&r, 5, &buf) >= 5 &&
	    memcmp(buf, "From ", 5) == 0)
		if (!one_message(&m, &r))
			skip_to_from(&r, m.mid_line);
	res->messages = m.index + 1;
	res->used = r.start;
	res->unsure = m.unsure;
	res->tail = !m.unsure && r.start < r.end;
	g_ptr_array_free(m.warn, TRUE);
}

void
mbox_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	struct mbox m = { .sc = sc, .p = p, .index = -1,
	    .warn = g_ptr_array_new_with_free_func(g_free) };
	const unsigned char *buf, *s;
	size_t n, junk = 0;
	bool text = false, chunks, again = false, tail = false;

	scan_hold_reader(sc, r);	/* a read error after the messages */

	/*
	 * A byte order mark, blank lines, or a few lines of text (a note
	 * a tool or a person left on top) before the first From_ line.
	 */
	if (reader_peek(r, 3, &buf) >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		reader_skip(r, 3);
	while (reader_peek(r, 5, &buf) >= 5 && memcmp(buf, "From ", 5) != 0 &&
	    junk < MBOX_MAX_PREAMBLE) {
		if (!reader_line(r, &s, &n))
			break;
		junk += n;
		while (n > 0 && g_ascii_isspace(s[n - 1]))
			n--;
		text = text || n > 0;
	}
	if (text && reader_peek(r, 5, &buf) >= 5 &&
	    memcmp(buf, "From ", 5) == 0)
		scan_warn(sc, p, "%zu bytes before the first From_ line "
		    "ignored", junk);
	/*
	 * With workers, chunks of the input go to them (mboxchunk.c).
	 * After a message too large for a chunk they go on; after a
	 * chunk that came back this thread splits the rest.
	 */
	chunks = sc->pool != NULL && sc->chunk > 0;
	while (reader_peek(r, 5, &buf) >= 5 && memcmp(buf, "From ", 5) == 0) {
		if (chunks) {
			again = mbox_chunks(sc, r, p, &m.index, &tail) ==
			    CHUNKS_GIANT;
			chunks = false;
			continue;
		}
		if (!one_message(&m, r))
			skip_to_from(r, m.mid_line);
		chunks = again;
	}
	scan_release_reader(sc, r);
	if (r->failed)
		scan_error(sc, p, "input ended with a read error after "
		    "%ld messages", m.index + 1);
	else if (reader_peek(r, 1, &buf) > 0 && m.index < 0)
		scan_warn(sc, p, "no From_ line starts it: not an mbox; "
		    "ignored");
	else if (tail || reader_peek(r, 1, &buf) > 0)
		scan_warn(sc, p, "text after message %ld is not an mbox "
		    "message; ignored", m.index);
	g_ptr_array_free(m.warn, TRUE);
}

void
mmdf_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	struct mbox m = { .sc = sc, .p = p, .index = -1,
	    .msg = g_byte_array_new(),
	    .warn = g_ptr_array_new_with_free_func(g_free) };
	const unsigned char *s;
	size_t n;
	bool inside = false;

	for (;;) {
		long long off = r->offset;

		if (!reader_line(r, &s, &n))
			break;
		if (n >= 4 && memcmp(s, "\1\1\1\1", 4) == 0 &&
		    is_blank(s + 4, n - 4)) {
			if (inside) {
				mbox_flush(&m);
				inside = false;
			} else {
				m.index++;
				m.offset = off;
				inside = true;
			}
			continue;
		}
		if (inside)
			mbox_append(&m, s, n);
	}
	if (inside)
		mbox_flush(&m);
	g_byte_array_free(m.msg, TRUE);
	g_ptr_array_free(m.warn, TRUE);
}
