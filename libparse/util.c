/*
 * util.c - small helpers: hashes, times, UTF-8 and base64 repair.
 */
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len, i;

	EVP_Digest(p, n, d, &len, EVP_sha256(), NULL);
	for (i = 0; i < len && i < 32; i++)
		g_snprintf(out + 2 * i, 3, "%02x", d[i]);
	out[64] = '\0';
}

/* RFC 3339, UTC, seconds; NULL for a time GLib cannot represent. */
char *
time_rfc3339(gint64 t)
{
	GDateTime *d = g_date_time_new_from_unix_utc(t);
	char *s;

	if (d == NULL)
		return NULL;
	s = g_date_time_format(d, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(d);
	return s;
}

/* Valid UTF-8 with no NULs: bad bytes become U+FFFD. */
char *
utf8_clean(const char *s, size_t n)
{
	GString *o = g_string_sized_new(n);
	const char *end = s + n;

	while (s < end) {
		const char *bad;

		if (g_utf8_validate(s, end - s, &bad)) {
			g_string_append_len(o, s, end - s);
			break;
		}
		g_string_append_len(o, s, bad - s);
		s = bad;
		if (*s == '\0')
			g_string_append_c(o, ' ');
		else
			g_string_append(o, "\xef\xbf\xbd");
		s++;
	}
	/* g_utf8_validate stops at NUL bytes in the middle */
	for (n = 0; n < o->len; n++)
		if (o->str[n] == '\0')
			o->str[n] = ' ';
	return g_string_free(o, FALSE);
}

/*
 * Base64 that may carry line breaks, spaces or missing padding, as SES
 * content does after passing through mail gateways.  NULL when
 * anything else is in it.
 */
char *
base64_decode_loose(const char *s, size_t n, size_t *outlen)
{
	char *clean = g_malloc(n + 4), *out;
	size_t i, k = 0;
	gsize len;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (g_ascii_isalnum(c) || c == '+' || c == '/')
			clean[k++] = c;
		else if (c == '=' || g_ascii_isspace(c))
			continue;
		else {
			g_free(clean);
			return NULL;
		}
	}
	while (k % 4)
		clean[k++] = '=';
	clean[k] = '\0';
	out = (char *)g_base64_decode(clean, &len);
	g_free(clean);
	*outlen = len;
	return out;
}

/*
 * How many '@' the header text S has outside quoted strings and
 * comments.  GMime reads "a@b.example@evil.example" as the address
 * a@b.example and drops the rest, so a mail could pass as from
 * certificates.amazon.com while its header says otherwise: a header
 * of one address must have exactly one.
 */
int
address_at_signs(const char *s)
{
	int n = 0, depth = 0;
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '\\' && (quoted || depth > 0) && s[1])
			s++;
		else if (quoted)
			quoted = *s != '"';
		else if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *s == '"')
			quoted = true;
		else if (depth == 0 && *s == '@')
			n++;
	}
	return n;
}
