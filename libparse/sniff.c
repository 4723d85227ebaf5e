/*
 * sniff.c - what a leaf byte stream is, by its content alone.
 *
 * Our own rules decide the formats we read, because they are exact
 * about the first bytes; libmagic is asked once per input for a name
 * when none of them fits, so that the warning can say what the data
 * looked like instead.
 */
#include <string.h>

#include "internal.h"

/* A header field name, a colon: the first line of an RFC 5322 message. */
bool
looks_like_header(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == ':')
			return i > 0;
		if (p[i] <= ' ' || p[i] > '~')
			return false;
	}
	return false;
}

static const unsigned char *
skip_space(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/*
 * A few lines of text, then a From_ line with a header under it: an
 * mbox with a note on top (mbox.c skips the note with a warning).
 */
static bool
from_line_below(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *nl, *next;
	int lines;

	for (lines = 0; lines < 8 && p < end; lines++, p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			return false;
		if (!mbox_from_line(p, nl - p))
			continue;
		next = nl + 1;
		return next < end && looks_like_header(next, end - next);
	}
	return false;
}

enum acm_format
sniff_format(struct acm_scanner *sc, const unsigned char *p, size_t n,
    const char **label)
{
	const unsigned char *end = p + n, *q;

	*label = NULL;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* a UTF-8 byte order mark */
	if ((size_t)(end - p) >= 5 && memcmp(p, "From ", 5) == 0)
		return ACM_FMT_MBOX;
	if ((size_t)(end - p) >= 5 && memcmp(p, "\1\1\1\1", 4) == 0 &&
	    (p[4] == '\n' || p[4] == '\r'))
		return ACM_FMT_MMDF;
	q = skip_space(p, end);
	if ((size_t)(end - q) >= 5 && memcmp(q, "From ", 5) == 0)
		return ACM_FMT_MBOX;	/* after blank lines */
	if (q < end && (*q == '{' || *q == '['))
		return ACM_FMT_JSON;
	if (looks_like_header(p, end - p))
		return ACM_FMT_MESSAGE;

	/* leading blank lines before the headers happen in saved mail */
	if (q < end && q != p && looks_like_header(q, end - q))
		return ACM_FMT_MESSAGE;
	if (from_line_below(p, end))
		return ACM_FMT_MBOX;
	if (sc->magic)
		*label = magic_buffer(sc->magic, p, end - p);
	if (*label && (strstr(*label, "mail") || strstr(*label, "news")))
		return ACM_FMT_MESSAGE;
	return ACM_FMT_AUTO;
}
