/*
 * url.c - links taken apart by uriparser, never by string search: the
 * host is what a browser would connect to, whatever userinfo, fragment
 * or percent tricks the text holds.
 */
#include <string.h>

#include <uriparser/Uri.h>

#include "internal.h"

static char *
range(const UriTextRangeA *r)
{
	if (r->first == NULL || r->afterLast == NULL)
		return NULL;
	return g_strndup(r->first, r->afterLast - r->first);
}

void
url_parts_clear(struct url_parts *u)
{
	g_free(u->scheme);
	g_free(u->host);
	g_free(u->userinfo);
	g_free(u->code);
	g_free(u->context);
	g_free(u->path);
	memset(u, 0, sizeof(*u));
}

/* Lower-case; one trailing dot dropped (it names the same host). */
static char *
host_canon(char *h)
{
	size_t n;

	if (h == NULL)
		return NULL;
	for (n = 0; h[n]; n++)
		h[n] = g_ascii_tolower(h[n]);
	if (n > 0 && h[n - 1] == '.')
		h[n - 1] = '\0';
	return h;
}

static void
query_params(UriUriA *uri, struct url_parts *out)
{
	UriQueryListA *list = NULL, *q;
	int count;

	if (uri->query.first == NULL ||
	    uriDissectQueryMallocA(&list, &count, uri->query.first,
	    uri->query.afterLast) != URI_SUCCESS)
		return;
	for (q = list; q; q = q->next) {
		if (q->key == NULL || q->value == NULL)
			continue;
		if (out->code == NULL && strcmp(q->key, "code") == 0)
			out->code = g_strdup(q->value);
		else if (out->context == NULL &&
		    strcmp(q->key, "context") == 0)
			out->context = g_strdup(q->value);
	}
	uriFreeQueryListA(list);
}

/*
 * The URL as a browser reads it, in a form uriparser takes: bytes
 * outside ASCII percent-encoded (a homoglyph host must still parse so
 * that the checks can reject it), tabs and line breaks dropped, and a
 * backslash read as a slash, so that "https://evil.example\@acm-host/"
 * goes to evil.example here as it does in the browser.
 */
static char *
ascii_only(const char *s)
{
	GString *o = g_string_new(NULL);

	for (; *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;	/* browsers drop them */
		if ((unsigned char)*s >= 0x80)
			g_string_append_printf(o, "%%%02X", (unsigned char)*s);
		else
			g_string_append_c(o, *s == '\\' ? '/' : *s);
	}
	return g_string_free(o, FALSE);
}

/*
 * Undo what ascii_only did in a host: %80-%FF back to bytes.  Escapes
 * of ASCII stay as written, so an encoded host is never taken for the
 * ACM host it would decode to.
 */
static char *
non_ascii_back(char *h)
{
	char *r, *w;

	if (h == NULL)
		return NULL;
	for (r = w = h; *r; r++) {
		int hi = r[0] == '%' ? g_ascii_xdigit_value(r[1]) : -1;
		int lo = hi >= 8 ? g_ascii_xdigit_value(r[2]) : -1;

		if (lo >= 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return h;
}

/* False when S is no absolute URL; OUT is filled as far as it goes. */
bool
url_split(const char *s, struct url_parts *out)
{
	UriUriA uri;
	const char *err;
	UriPathSegmentA *seg;
	GString *path;
	char *ascii;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return false;
	ascii = ascii_only(s);
	if (uriParseSingleUriA(&uri, ascii, &err) != URI_SUCCESS) {
		g_free(ascii);
		return false;
	}
	out->scheme = range(&uri.scheme);
	if (out->scheme)
		out->scheme = host_canon(out->scheme);

	out->host = host_canon(non_ascii_back(range(&uri.hostText)));
	out->userinfo = range(&uri.userInfo);
	path = g_string_new(NULL);
	for (seg = uri.pathHead; seg; seg = seg->next) {
		g_string_append_c(path, '/');
		g_string_append_len(path, seg->text.first,
		    seg->text.afterLast - seg->text.first);
	}
	out->path = g_string_free(path, FALSE);
	query_params(&uri, out);
	uriFreeUriMembersA(&uri);
	g_free(ascii);
	return out->scheme != NULL && out->host != NULL;
}

/* Letters, digits and hyphens in dot-separated labels, as DNS wants. */
bool
hostname_valid(const char *h)
{
	size_t label = 0, total = 0;

	if (h == NULL || *h == '\0')
		return false;
	for (; *h; h++, total++) {
		if (*h == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (g_ascii_isalnum(*h) || *h == '-') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return label > 0 && total <= 253;
}
