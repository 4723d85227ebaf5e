/*
 * prefilter.c - a cheap look at raw message bytes that can only answer
 * "certainly not an ACM validation mail" or "maybe".
 *
 * Every record needs "approvals" somewhere in the decoded text (the
 * phrase "Certificate Approvals" or the /approvals path) or an anchor
 * with the id approval_url; the singular word alone is common in
 * ordinary business mail and proves nothing.  In raw bytes the word can hide behind
 * quoted-printable soft breaks or base64, possibly nested (an SNS
 * delivery whose JSON carries a base64 mail whose body is
 * quoted-printable), so those are decoded here, roughly and quickly,
 * and looked at again.  Mixed-case spellings ("aPpRoVaLs") are not
 * seen; genuine mail writes "Approvals" and "approvals".
 */
#include <string.h>

#include "internal.h"

#define MAX_NEST	4

/*
 * "approvals", "APPROVALS" or "approval_url", found from their "ova"
 * (either case): three letters in a row are rare in text, so the
 * search seldom stops (bytescan.c).
 */
static bool
has_word(const unsigned char *p, size_t n)
{
	const unsigned char *o, *w, *end = p + n;

	for (o = p; o < end && (o = find3(o, end - o, 'o', 'v', 'a', 0x20));
	    o++) {
		if (o - p < 3)
			continue;
		w = o - 3;	/* the first 'p' */
		if (end - w >= 8 && (memcmp(w, "pprovals", 8) == 0 ||
		    memcmp(w, "PPROVALS", 8) == 0))
			return true;
		if (end - w >= 11 && memcmp(w, "pproval_url", 11) == 0)
			return true;
	}
	return false;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable: soft breaks dropped, =XX decoded, onto O. */
static void
qp_decode(const unsigned char *p, size_t n, GByteArray *o)
{
	size_t i = 0, at = o->len;
	unsigned char *d;
	int h, l;

	g_byte_array_set_size(o, at + n + 1);
	d = o->data + at;
	while (i < n) {
		const unsigned char *eq = memchr(p + i, '=', n - i);
		size_t k = (eq ? (size_t)(eq - p) : n) - i;

		memcpy(d, p + i, k);
		d += k;
		i += k;
		if (eq == NULL)
			break;
		if (i + 1 < n && p[i + 1] == '\n')
			i += 2;
		else if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			i += 3;
		else if (i + 2 < n && (h = hexval(p[i + 1])) >= 0 &&
		    (l = hexval(p[i + 2])) >= 0) {
			*d++ = h << 4 | l;
			i += 3;
		} else
			*d++ = p[i++];
	}
	*d++ = '\n';
	g_byte_array_set_size(o, d - o->data);
}

static const signed char b64val[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
	['+'] = 63, ['/'] = 64,
};

/* Decode one run of base64 text (line breaks skipped) onto O. */
static void
b64_decode(const unsigned char *p, size_t n, GByteArray *o)
{
	size_t j, at = o->len;
	unsigned acc = 0;
	unsigned char *d;
	int bits = 0;

	g_byte_array_set_size(o, at + n * 3 / 4 + 2);
	d = o->data + at;
	for (j = 0; j < n; j++) {
		int v = b64val[p[j]];

		if (v == 0)
			continue;
		acc = acc << 6 | (v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*d++ = acc >> bits;
		}
	}
	*d++ = '\n';
	g_byte_array_set_size(o, d - o->data);
}

/* JSON string escapes undone, so that lines are lines again. */
static GByteArray *
json_unescape(const unsigned char *p, size_t n)
{
	GByteArray *o = g_byte_array_sized_new(n);
	size_t i = 0, start = 0;

	while (i + 1 < n) {
		const unsigned char *bs = memchr(p + i, '\\', n - i - 1);
		unsigned char c;

		if (bs == NULL)
			break;
		i = bs - p;
		g_byte_array_append(o, p + start, i - start);
		switch (p[i + 1]) {
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		default: c = p[i + 1]; break;
		}
		g_byte_array_append(o, &c, 1);
		i += 2;
		start = i;
	}
	g_byte_array_append(o, p + start, n - start);
	return o;
}

static size_t
b64_span(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (b64val[p[i]] || p[i] == '='))
		i++;
	return i;
}

/*
 * Does the header line P (N bytes) have the field name NAME (given
 * without its colon), any case, blanks allowed before the colon as
 * GMime allows them?
 */
static bool
header_is(const unsigned char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n < k || g_ascii_strncasecmp((const char *)p, name, k) != 0)
		return false;
	while (k < n && (p[k] == ' ' || p[k] == '\t'))
		k++;
	return k < n && p[k] == ':';
}

enum {
	H_B64 = 1, H_QP = 2, H_OPAQUE = 4, H_TEXT = 8, H_MESSAGE = 16
};

/* What a Content-Type or Content-Transfer-Encoding line says. */
static unsigned
header_says(const unsigned char *p, size_t n)
{
	char low[256];
	unsigned f = 0;
	size_t i;

	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (i = 0; i < n; i++)
		low[i] = g_ascii_tolower(p[i]);
	low[n] = '\0';
	if (strstr(low, "base64"))
		f |= H_B64;
	if (strstr(low, "quoted-printable"))
		f |= H_QP;
	if (strstr(low, "uuencode") || strstr(low, "x-uue") ||
	    strstr(low, "utf-16") || strstr(low, "utf-32"))
		f |= H_OPAQUE;
	if (strstr(low, "text/") || strstr(low, "message/") ||
	    strstr(low, "multipart/"))
		f |= H_TEXT;
	if (strstr(low, "message/rfc822") || strstr(low, "message/global"))
		f |= H_MESSAGE;
	return f;
}

/* What a pass over the lines found to decode and look at again. */
struct finds {
	bool		 opaque;	/* UTF-16/32, uuencode: ask GMime */
	GByteArray	*mail;		/* decoded mails: headers first */
	GByteArray	*text;		/* decoded bodies: text only */
	GByteArray	*json;		/* JSON still escaped once more */
	GByteArray	*joined;	/* a re-wrapped JSON line, whole */
};

/*
 * The base64 string after "content": in a JSON line (SES content),
 * also when the JSON is itself a string inside JSON (email-json), and
 * with the escaped line breaks (\r\n) and slashes (\/) a JSON
 * writer may put in it.
 */
static void
json_content(const unsigned char *p, size_t n, struct finds *f)
{
	const unsigned char *c = p, *end = p + n;
	GByteArray *clean = g_byte_array_new();

	while (c < end && (c = memmem(c, end - c, "content", 7)) != NULL) {
		c += 7;
		if (c >= end || (*c != '"' && *c != '\\'))
			continue;
		while (c < end && (*c == ' ' || *c == ':' || *c == '"' ||
		    *c == '\\'))
			c++;
		g_byte_array_set_size(clean, 0);
		while (c < end) {
			size_t k = b64_span(c, end - c);

			g_byte_array_append(clean, c, k);
			c += k;
			if (end - c >= 2 && c[0] == '\\' && (c[1] == 'r' ||
			    c[1] == 'n' || c[1] == '/')) {
				if (c[1] == '/')
					g_byte_array_append(clean, c + 1, 1);
				c += 2;
			} else
				break;
		}
		if (clean->len >= 64)
			b64_decode(clean->data, clean->len, f->mail);
	}
	g_byte_array_free(clean, TRUE);
}

/*
 * A JSON line of an SNS e-mail delivery, with the "!" + line break +
 * space re-wraps of long lines undone: the line at LINE, joined with
 * its continuations into F->joined when there are any.  *LEN and
 * *NEXT are updated to the joined line and what follows it.
 */
static const unsigned char *
json_line(const unsigned char *line, const unsigned char *end, size_t *len,
    const unsigned char **next, struct finds *f)
{
	const unsigned char *l = line, *nl;
	size_t n = *len;

	if (n == 0 || line[n - 1] != '!' || *next >= end || **next != ' ')
		return line;
	g_byte_array_set_size(f->joined, 0);
	for (;;) {
		g_byte_array_append(f->joined, l, n - 1);
		l = *next + 1;
		nl = memchr(l, '\n', end - l);
		*next = nl ? nl + 1 : end;
		n = (nl ? nl : end) - l;
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n == 0 || l[n - 1] != '!' || *next >= end ||
		    **next != ' ')
			break;
	}
	g_byte_array_append(f->joined, l, n);
	*len = f->joined->len;
	return f->joined->data;
}

/*
 * JSON inside a JSON string (an SNS envelope around an SES
 * notification) is escaped twice: once undone, its line breaks are
 * still the two characters \n, so it is one long line of JSON again
 * and not a mail whose header block could be read.
 */
static bool
still_escaped(const GByteArray *u)
{
	const unsigned char *bs;

	if (memchr(u->data, '\n', u->len) != NULL)
		return false;
	bs = memchr(u->data, '\\', u->len);
	return bs != NULL && (size_t)(bs - u->data) + 1 < u->len;
}

/* "--boundary", not a "-- " signature line. */
static bool
is_boundary(const unsigned char *line, size_t len)
{
	return len > 2 && line[0] == '-' && line[1] == '-' &&
	    line[2] != ' ' && line[2] != '\t';
}

/*
 * One pass over the lines, with a little MIME state: header blocks
 * (the message's and each part's) say how the body is encoded; the
 * base64 and quoted-printable bodies of text and message parts are
 * decoded; JSON lines
 * (SNS deliveries) have their escapes undone and their base64 content
 * decoded.  Attachments of other types are passed over unread.
 */
static void
scan_lines(const unsigned char *p, size_t n, bool header, struct finds *f)
{
	const unsigned char *end = p + n, *line = p;
	bool b64 = false, qp = false, text = true, inner = false;
	int cont = 0;		/* 1: in a CTE header, 2: in Content-Type */

	while (line < end) {
		const unsigned char *nl = memchr(line, '\n', end - line);
		const unsigned char *next = nl ? nl + 1 : end;
		size_t len = (nl ? nl : end) - line;

		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (header) {
			unsigned h = 0;

			if (len == 0) {
				/* an attached message: its headers come next */
				header = inner && !b64 && !qp;
				inner = false;
				line = next;
				continue;
			}
			if (header_is(line, len,
			    "content-transfer-encoding")) {
				h = header_says(line, len);
				b64 = h & H_B64;
				qp = h & H_QP;
				cont = 1;
			} else if (header_is(line, len, "content-type")) {
				h = header_says(line, len);
				text = h & H_TEXT;
				inner = h & H_MESSAGE;
				cont = 2;
			} else if (cont && (line[0] == ' ' ||
			    line[0] == '\t')) {
				h = header_says(line, len);
				if (cont == 1) {
					b64 = b64 || (h & H_B64);
					qp = qp || (h & H_QP);
				}
			} else
				cont = 0;
			if (h & H_OPAQUE)
				f->opaque = true;
			line = next;
			continue;
		}
		if (is_boundary(line, len)) {
			/* part headers follow */
			header = true;
			b64 = qp = false;
			text = true;
		} else if (b64 && text && len > 0) {
			const unsigned char *run = line;

			/* to a blank line or a boundary; always a line on */
			do {
				nl = memchr(line, '\n', end - line);
				line = nl ? nl + 1 : end;
			} while (line < end && line[0] != '-' &&
			    line[0] != '\r' && line[0] != '\n');
			b64_decode(run, line - run, f->text);
			continue;
		} else if (qp && text) {
			const unsigned char *run = line;

			while (line < end) {
				nl = memchr(line, '\n', end - line);
				len = (nl ? nl : end) - line;
				if (len > 0 && line[len - 1] == '\r')
					len--;
				if (is_boundary(line, len))
					break;
				line = nl ? nl + 1 : end;
			}
			qp_decode(run, line - run, f->text);
			continue;
		} else if (len > 0) {
			const unsigned char *q = line;

			while (q < line + len && (*q == ' ' || *q == '\t'))
				q++;
			if (q < line + len && (*q == '{' || *q == '"')) {
				GByteArray *u, *to;

				line = json_line(line, end, &len, &next, f);
				u = json_unescape(line, len);
				json_content(line, len, f);
				to = still_escaped(u) ? f->json : f->mail;
				g_byte_array_append(to, u->data, u->len);
				g_byte_array_append(to,
				    (const unsigned char *)"\n", 1);
				g_byte_array_free(u, TRUE);
			}
		}
		line = next;
	}
}

/* HEADER: P starts with a header block (a mail), else with text. */
static bool
maybe(const unsigned char *p, size_t n, bool header, int nest)
{
	struct finds f = { false, NULL, NULL, NULL, NULL };
	bool found;

	if (has_word(p, n))
		return true;
	if (nest >= MAX_NEST)
		return false;
	f.mail = g_byte_array_new();
	f.text = g_byte_array_new();
	f.joined = g_byte_array_new();
	f.json = g_byte_array_new();
	scan_lines(p, n, header, &f);
	found = f.opaque ||
	    (f.json->len > 0 && maybe(f.json->data, f.json->len, false,
	    nest + 1)) ||
	    (f.mail->len > 0 && maybe(f.mail->data, f.mail->len, true,
	    nest + 1)) ||
	    (f.text->len > 0 && maybe(f.text->data, f.text->len, false,
	    nest + 1));
	g_byte_array_free(f.mail, TRUE);
	g_byte_array_free(f.text, TRUE);
	g_byte_array_free(f.joined, TRUE);
	g_byte_array_free(f.json, TRUE);
	return found;
}

bool
prefilter_maybe_acm(const unsigned char *p, size_t n)
{
	return maybe(p, n, true, 0);
}

/* The same for a line of JSON: no header block comes first. */
bool
prefilter_maybe_json(const unsigned char *p, size_t n)
{
	return maybe(p, n, false, 0);
}
