/*
 * audit_escape.c - mail text made harmless for each output format.
 *
 * Everything taken from a mail, an archive entry name or a path first
 * goes through safe_string(), which writes control characters, DEL,
 * C1 controls and bidirectional overrides as visible escapes.  Each
 * format then escapes what is special to it.
 */
#include <string.h>

#include "audit_report.h"

/*
 * RFC 4180 quoting, and no formulas: a spreadsheet runs a cell that
 * starts with = + - @ (or a tab or CR, which some strip first), so such
 * a cell gets a leading apostrophe, as OWASP advises.
 */
char *
audit_csv_cell(const char *s)
{
	char *e = safe_string(s ? s : "");
	GString *o = g_string_new(NULL);
	bool quote = strpbrk(e, ",\"\r\n") != NULL;
	const char *p;

	if (quote)
		g_string_append_c(o, '"');
	if (e[0] != '\0' && strchr("=+-@\t\r", e[0]) != NULL)
		g_string_append_c(o, '\'');
	for (p = e; *p; p++) {
		if (*p == '"')
			g_string_append_c(o, '"');
		g_string_append_c(o, *p);
	}
	if (quote)
		g_string_append_c(o, '"');
	g_free(e);
	return g_string_free(o, FALSE);
}

char *
audit_html(const char *s)
{
	char *e = safe_string(s ? s : "");
	GString *o = g_string_new(NULL);
	const char *p;

	for (p = e; *p; p++) {
		switch (*p) {
		case '&': g_string_append(o, "&amp;"); break;
		case '<': g_string_append(o, "&lt;"); break;
		case '>': g_string_append(o, "&gt;"); break;
		case '"': g_string_append(o, "&quot;"); break;
		case '\'': g_string_append(o, "&#39;"); break;
		default: g_string_append_c(o, *p); break;
		}
	}
	g_free(e);
	return g_string_free(o, FALSE);
}

/*
 * A Markdown table cell that renders as the text itself: no HTML, no
 * emphasis, no table break, no link.  A GFM renderer turns "https:",
 * "www." and "user@host" in plain text into live links, which a report
 * about phishing must not do, so the ':' of "://", '@' and the dot of
 * "www." are escaped too.
 */
char *
audit_md(const char *s)
{
	char *e = safe_string(s ? s : "");
	GString *o = g_string_new(NULL);
	const char *p;

	for (p = e; *p; p++) {
		if (*p == '&')
			g_string_append(o, "&amp;");
		else if (*p == '<')
			g_string_append(o, "&lt;");
		else if (*p == '>')
			g_string_append(o, "&gt;");
		else if (strchr("\\`*_[]|~@$", *p) != NULL ||
		    (*p == ':' && strncmp(p + 1, "//", 2) == 0) ||
		    (*p == '.' && p - e >= 3 &&
		    g_ascii_strncasecmp(p - 3, "www", 3) == 0)) {
			g_string_append_c(o, '\\');
			g_string_append_c(o, *p);
		} else
			g_string_append_c(o, *p);
	}
	g_free(e);
	return g_string_free(o, FALSE);
}

/* Columns on a terminal: East Asian wide characters take two. */
size_t
audit_width(const char *s)
{
	const char *end = s + strlen(s);
	size_t w = 0;

	while (s < end) {
		gunichar c = g_utf8_get_char_validated(s, end - s);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			w++;
			s++;
			continue;
		}
		if (g_unichar_iswide(c))
			w += 2;
		else if (!g_unichar_iszerowidth(c))
			w++;
		s = g_utf8_next_char(s);
	}
	return w;
}
