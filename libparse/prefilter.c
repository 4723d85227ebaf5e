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
#define MIN_B64_RUN	16

static bool
has(const unsigned char *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

static bool
has_word(const unsigned char *p, size_t n)
{
	return has(p, n, "pprovals") || has(p, n, "PPROVALS") ||
	    has(p, n, "pproval_url");
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

/* Quoted-printable, everywhere: soft breaks dropped, =XX decoded. */
static GByteArray *
qp_decode(const unsigned char *p, size_t n)
{
	GByteArray *o = g_byte_array_sized_new(n);
	size_t i = 0, start = 0;

	while (i < n) {
		const unsigned char *eq = memchr(p + i, '=', n - i);
		int h, l;

		if (eq == NULL)
			break;
		i = eq - p;
		g_byte_array_append(o, p + start, i - start);
		if (i + 1 < n && p[i + 1] == '\n')
			i += 2;
		else if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			i += 3;
		else if (i + 2 < n && (h = hexval(p[i + 1])) >= 0 &&
		    (l = hexval(p[i + 2])) >= 0) {
			unsigned char c = h << 4 | l;

			g_byte_array_append(o, &c, 1);
			i += 3;
		} else {
			g_byte_array_append(o, p + i, 1);
			i++;
		}
		start = i;
	}
	g_byte_array_append(o, p + start, n - start);
	return o;
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
	unsigned acc = 0;
	int bits = 0;
	size_t j;

	for (j = 0; j < n; j++) {
		int v = b64val[p[j]];

		if (v == 0)
			continue;
		acc = acc << 6 | (v - 1);
		bits += 6;
		if (bits >= 8) {
			unsigned char c = acc >> (bits - 8);

			bits -= 8;
			g_byte_array_append(o, &c, 1);
		}
	}
	g_byte_array_append(o, (const unsigned char *)"\n", 1);
}

/* Binary data (images, archives) cannot hold the template. */
static bool
looks_binary(const unsigned char *p, size_t n)
{
	size_t i, ctl = 0, take = n < 256 ? n : 256;
	GByteArray *o = g_byte_array_sized_new(take);

	b64_decode(p, take, o);
	for (i = 0; i + 1 < o->len; i++)
		if (o->data[i] < 0x09 || (o->data[i] > 0x0d &&
		    o->data[i] < 0x20))
			ctl++;
	i = o->len;
	g_byte_array_free(o, TRUE);
	return ctl * 10 > i;
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
 * Decode what could be base64 text: runs of whole lines made of the
 * base64 alphabet (a MIME body), and long base64 strings right after a
 * quote (SES content inside JSON).  Runs that decode to binary are
 * skipped after a peek at their start.
 */
static void
b64_runs(const unsigned char *p, size_t n, GByteArray *o)
{
	size_t i = 0, run = 0, runlen = 0;

	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - p) : n, len = end - i, k;

		if (len > 0 && p[end - 1] == '\r')
			len--;
		k = b64_span(p + i, len);
		if (k == len && len >= 4) {
			if (runlen == 0)
				run = i;
			runlen = end - run;
		} else {
			const unsigned char *q;

			if (runlen >= MIN_B64_RUN &&
			    !looks_binary(p + run, runlen))
				b64_decode(p + run, runlen, o);
			runlen = 0;
			for (q = memchr(p + i, '"', len); q;
			    q = memchr(q + 1, '"', p + i + len - q - 1)) {
				size_t m = b64_span(q + 1, p + i + len - q - 1);

				if (m >= 64 && !looks_binary(q + 1, m))
					b64_decode(q + 1, m, o);
				q += m;
			}
		}
		i = end + 1;
	}
	if (runlen >= MIN_B64_RUN && !looks_binary(p + run, runlen))
		b64_decode(p + run, runlen, o);
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

static bool
maybe(const unsigned char *p, size_t n, int nest)
{
	bool qp, b64, found = false;

	if (has_word(p, n))
		return true;
	if (nest >= MAX_NEST)
		return false;

	/* encodings this filter cannot see through: let GMime decide */
	if (has(p, n, "utf-16") || has(p, n, "UTF-16") ||
	    has(p, n, "utf-32") || has(p, n, "UTF-32") ||
	    has(p, n, "uuencode") || has(p, n, "x-uue"))
		return true;
	qp = has(p, n, "uoted-") || has(p, n, "UOTED-");
	b64 = has(p, n, "ase64") || has(p, n, "ASE64");
	if (qp) {
		GByteArray *d = qp_decode(p, n);

		found = d->len < n && maybe(d->data, d->len, nest + 1);
		g_byte_array_free(d, TRUE);
	}
	if (!found && (qp || b64) && has(p, n, "\\n")) {
		GByteArray *d = json_unescape(p, n);

		found = maybe(d->data, d->len, nest + 1);
		g_byte_array_free(d, TRUE);
	}
	if (!found && b64) {
		GByteArray *d = g_byte_array_new();

		b64_runs(p, n, d);
		found = d->len > 0 && maybe(d->data, d->len, nest + 1);
		g_byte_array_free(d, TRUE);
	}
	return found;
}

bool
prefilter_maybe_acm(const unsigned char *p, size_t n)
{
	return maybe(p, n, 0);
}
