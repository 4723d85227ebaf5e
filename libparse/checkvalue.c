/*
 * checkvalue.c - the values expectations and records are compared by,
 * each in one normal form: accounts as 12 digits, names in lower case
 * without a trailing dot, certificate UUIDs in lower case; and RFC 3339
 * times.
 */
#include <string.h>

#include "check.h"

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]))
			return false;
	return n > 0;
}

/* 12 digits, with or without the legacy dashes. */
static char *
norm_account(const char *s)
{
	GString *d = g_string_new(NULL);

	for (; *s; s++) {
		if (g_ascii_isdigit(*s))
			g_string_append_c(d, *s);
		else if (*s != '-' || d->len == 0 || s[1] == '\0' ||
		    s[1] == '-') {
			g_string_free(d, TRUE);
			return NULL;
		}
	}
	if (d->len != 12) {
		g_string_free(d, TRUE);
		return NULL;
	}
	return g_string_free(d, FALSE);
}

/* A DNS name, lower case, one trailing dot dropped; "*." may lead. */
static char *
norm_domain(const char *s)
{
	char *d = g_ascii_strdown(s, -1);
	size_t n = strlen(d);
	const char *name = d;

	if (n > 0 && d[n - 1] == '.')
		d[--n] = '\0';
	if (g_str_has_prefix(d, "*."))
		name = d + 2;
	if (!hostname_valid(name) || strchr(name, '.') == NULL) {
		g_free(d);
		return NULL;
	}
	return d;
}

/* A region code as the SDKs' patterns have it: us-east-1, cn-north-1. */
bool
region_valid(const char *s)
{
	char **parts = g_strsplit(s, "-", -1);
	guint n = g_strv_length(parts), i, k;
	bool ok = n >= 3 && strlen(parts[0]) >= 2 && strlen(parts[0]) <= 4;

	for (i = 0; ok && i < n; i++) {
		size_t len = strlen(parts[i]);

		if (len == 0 || len > 20)
			ok = false;
		for (k = 0; ok && k < len; k++) {
			char c = parts[i][k];

			if (i + 1 == n ? !g_ascii_isdigit(c) :
			    !g_ascii_islower(c))
				ok = false;
		}
	}
	g_strfreev(parts);
	return ok;
}

static char *
norm_region(const char *s)
{
	char *r = g_ascii_strdown(s, -1);

	if (!region_valid(r)) {
		g_free(r);
		return NULL;
	}
	return r;
}

static bool
uuid_ok(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!g_ascii_isxdigit(s[i]))
			return false;
	}
	return true;
}

/*
 * arn:PARTITION:acm:REGION:ACCOUNT:certificate/UUID, the shape of
 * spec/FORMATS.md section 2.  The UUID is lower-cased: it is printed
 * in either case.
 */
char *
cert_normalise(const char *s)
{
	char **f;
	char *out = NULL;

	if (uuid_ok(s))
		return g_ascii_strdown(s, -1);
	f = g_strsplit(s, ":", 7);
	if (g_strv_length(f) == 6 && strcmp(f[0], "arn") == 0 &&
	    (strcmp(f[1], "aws") == 0 || g_str_has_prefix(f[1], "aws-")) &&
	    strcmp(f[2], "acm") == 0 && region_valid(f[3]) &&
	    strlen(f[4]) == 12 && all_digits(f[4], 12) &&
	    g_str_has_prefix(f[5], "certificate/") &&
	    uuid_ok(f[5] + strlen("certificate/"))) {
		char *uuid = g_ascii_strdown(f[5] + strlen("certificate/"),
		    -1);

		out = g_strdup_printf("arn:%s:acm:%s:%s:certificate/%s",
		    f[1], f[3], f[4], uuid);
		g_free(uuid);
	}
	g_strfreev(f);
	return out;
}

char *
expect_normalise(enum acm_expect k, const char *v)
{
	switch (k) {
	case ACM_EXPECT_ACCOUNT:
		return norm_account(v);
	case ACM_EXPECT_DOMAIN:
		return norm_domain(v);
	case ACM_EXPECT_REGION:
		return norm_region(v);
	case ACM_EXPECT_CERT:
		return cert_normalise(v);
	default:
		return NULL;
	}
}

/*
 * RFC 3339 date-time: YYYY-MM-DD, 'T', hh:mm:ss, an optional fraction,
 * then 'Z' or an offset.  GLib's ISO 8601 parser takes more forms than
 * that; the shape is checked first so that "--now 2017" is an error.
 */
bool
acm_time_parse(const char *s, int64_t *out)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const char *z;
	GDateTime *d;
	char *up;
	size_t i;

	if (s == NULL || strlen(s) < sizeof(shape))
		return false;
	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) :
		    shape[i] == 'T' ? (s[i] != 'T' && s[i] != 't') :
		    s[i] != shape[i])
			return false;
	}
	z = s + i;
	if (*z == '.') {
		for (z++; g_ascii_isdigit(*z); z++)
			;
		if (z == s + i + 1)
			return false;
	}
	if (!((*z == 'Z' || *z == 'z') && z[1] == '\0') &&
	    !((*z == '+' || *z == '-') && g_ascii_isdigit(z[1]) &&
	    g_ascii_isdigit(z[2]) && z[3] == ':' && g_ascii_isdigit(z[4]) &&
	    g_ascii_isdigit(z[5]) && z[6] == '\0'))
		return false;
	/* RFC 3339 allows 't' and 'z'; GLib wants them upper-case */
	up = g_ascii_strup(s, -1);
	d = g_date_time_new_from_iso8601(up, NULL);
	g_free(up);
	if (d == NULL)
		return false;
	*out = g_date_time_to_unix(d);
	g_date_time_unref(d);
	return true;
}
