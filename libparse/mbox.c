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
};

static bool
is_blank(const unsigned char *s, size_t n)
{
	return (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' &&
	    s[1] == '\n') || n == 0;
}

/* "From sender ... hh:mm", the shape writers give From_ lines. */
static bool
from_shaped(const unsigned char *s, size_t n)
{
	size_t i = 5;

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
 * After the header block: when Content-Length lands on a From_ line or
 * the end, take the body whole and return true.
 */
static bool
take_counted_body(struct mbox *m, struct reader *r)
{
	long long cl = content_length(m->msg->data, m->msg->len);
	const unsigned char *buf, *t;
	size_t n, rest;

	if (cl < 0)
		return false;
	if ((size_t)cl > m->sc->opt.limits.max_message)
		goto mismatch;
	n = reader_peek(r, cl + 8, &buf);
	if (n < (size_t)cl)
		goto mismatch;
	t = buf + cl;
	rest = n - cl;
	if (rest == 0 || (rest >= 5 && memcmp(t, "From ", 5) == 0) ||
	    (rest >= 6 && memcmp(t, "\nFrom ", 6) == 0) ||
	    (rest >= 7 && memcmp(t, "\r\nFrom ", 7) == 0) ||
	    (rest == 1 && t[0] == '\n') ||
	    (rest == 2 && t[0] == '\r' && t[1] == '\n')) {
		mbox_append(m, buf, cl);
		reader_skip(r, cl);
		return true;
	}
mismatch:
	g_ptr_array_add(m->warn, g_strdup_printf("Content-Length %lld does "
	    "not end the message; split on From_ lines instead", cl));
	return false;
}

void
mbox_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	struct mbox m = { sc, p, g_byte_array_new(),
	    g_ptr_array_new_with_free_func(g_free), -1, 0, false };
	const unsigned char *s;
	size_t n;
	bool in_header = false, prev_blank = true;

	for (;;) {
		long long off = r->offset;

		if (!reader_line(r, &s, &n))
			break;
		if (n >= 5 && memcmp(s, "From ", 5) == 0 &&
		    (prev_blank || from_shaped(s, n))) {
			mbox_flush(&m);
			m.index++;
			m.offset = off;
			in_header = true;
			prev_blank = false;
			continue;
		}
		prev_blank = is_blank(s, n);
		if (m.index < 0)
			continue;	/* cannot happen: sniffed "From " */
		if (in_header) {
			mbox_append(&m, s, n);
			if (prev_blank) {
				in_header = false;
				if (take_counted_body(&m, r))
					prev_blank = true;
			}
			continue;
		}
		if (n > 5 && s[0] == '>') {
			size_t i = 0;

			while (i < n && s[i] == '>')
				i++;
			if (n - i >= 5 && memcmp(s + i, "From ", 5) == 0) {
				s++;
				n--;
			}
		}
		mbox_append(&m, s, n);
	}
	mbox_flush(&m);
	if (r->failed)
		scan_error(sc, p, "input ended with a read error after "
		    "%ld messages", m.index + 1);
	g_byte_array_free(m.msg, TRUE);
	g_ptr_array_free(m.warn, TRUE);
}

void
mmdf_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	struct mbox m = { sc, p, g_byte_array_new(),
	    g_ptr_array_new_with_free_func(g_free), -1, 0, false };
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
