/*
 * extract.c - the template fields of a validation mail, from text.
 *
 * Text is normalised first (line ends, quote marks, non-breaking and
 * runs of spaces), so the same patterns serve plain text, rendered HTML
 * and copies quoted in replies.  The patterns are compiled once, with
 * PCRE2's JIT where the machine has one.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <string.h>

#include <pcre2.h>

#include "internal.h"

enum {
	P_PHRASE,	/* the sentence that leads to the link */
	P_FALLBACK,	/* any link to an approvals page */
	P_DOMAIN,
	P_ACCOUNT,
	P_REGION,
	P_CERT,
	P_REQUESTED,
	P_GREETING,
	P_FORWARD,
	P_COUNT
};

static const char *const sources[P_COUNT] = {
	[P_PHRASE] = "go\\s+to\\s+Amazon\\s+Certificate\\s+Approvals"
	    "(?:\\s+at)?[ \\t]*\\n?[ \\t]*",
	[P_FALLBACK] = "https?://[^\\s()<>\"]+/approvals\\?[^\\s()<>\"]+",
	[P_DOMAIN] = "^[ \\t]*Domain:[ \\t]*([^\\s]+)",
	[P_ACCOUNT] = "^[ \\t]*(?:AWS|Amazon Web Services) account "
	    "(?:ID|number):[ \\t]*([0-9][0-9 -]{10,16}[0-9])",
	[P_REGION] = "^[ \\t]*(?:AWS|Amazon Web Services) Region"
	    "(?: name)?:[ \\t]*([A-Za-z0-9-]+)",
	[P_CERT] = "^[ \\t]*Certificate (?-i:(I|i))dentifier:[ \\t]*"
	    "([^\\s]+)",
	[P_REQUESTED] = "certificate for\\s+([^\\s]+?)\\.?(?=\\s|$)",
	[P_GREETING] = "Greetings from Amazon Web Services",
	[P_FORWARD] = "^(?:-{2,}[ \\t]*(?:Forwarded|Original)[ \\t]+"
	    "message|Begin forwarded message|.{0,200}\\bwrote:[ \\t]*$|"
	    "(?:From|Sent|Von|De):[ \\t]+[^\\s])",
};

/*
 * [^\s] where \S would do: PCRE2 10.42's JIT with
 * PCRE2_MATCH_INVALID_UTF stops \S at the first multi-byte character,
 * so a domain with a Cyrillic letter in it came out cut short.
 */
struct patterns {
	pcre2_code		*re[P_COUNT];
	pcre2_match_data	*md;
};

struct patterns *
patterns_new(void)
{
	struct patterns *pt = g_new0(struct patterns, 1);
	int i, err;
	PCRE2_SIZE off;

	for (i = 0; i < P_COUNT; i++) {
		pt->re[i] = pcre2_compile((PCRE2_SPTR)sources[i],
		    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MULTILINE |
		    PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err, &off,
		    NULL);
		if (pt->re[i] == NULL) {
			patterns_free(pt);
			return NULL;
		}
		(void)pcre2_jit_compile(pt->re[i], PCRE2_JIT_COMPLETE);
	}
	pt->md = pcre2_match_data_create(8, NULL);
	return pt;
}

void
patterns_free(struct patterns *pt)
{
	int i;

	if (pt == NULL)
		return;
	for (i = 0; i < P_COUNT; i++)
		pcre2_code_free(pt->re[i]);
	pcre2_match_data_free(pt->md);
	g_free(pt);
}

void
fields_clear(struct fields *f)
{
	g_free(f->template);
	g_free(f->domain);
	g_free(f->requested_domain);
	g_free(f->account_id);
	g_free(f->account_shown);
	g_free(f->region);
	g_free(f->certificate_id);
	g_free(f->certificate_arn);
	g_free(f->approval_url);
	memset(f, 0, sizeof(*f));
}

/* Match pattern I in S; group G's text (or NULL); *AT gets its offset. */
static char *
match(struct patterns *pt, int i, const char *s, size_t n, int g,
    size_t *at, size_t *end)
{
	PCRE2_SIZE *ov;

	if (pcre2_match(pt->re[i], (PCRE2_SPTR)s, n, 0, 0, pt->md, NULL) < 0)
		return NULL;
	ov = pcre2_get_ovector_pointer(pt->md);
	if (ov[2 * g] == PCRE2_UNSET)
		return NULL;
	if (at)
		*at = ov[2 * g];
	if (end)
		*end = ov[2 * g + 1];
	return g_strndup(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* Does the line at S carry a line of the template? */
static bool
quoted_template(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', end - s);
	size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

	return memmem(s, n, "Domain:", 7) || memmem(s, n, "account ID:", 11) ||
	    memmem(s, n, "Approvals", 9) || memmem(s, n, "dentifier:", 10);
}

/*
 * Line ends to LF, quote marks off (noting whether the template's own
 * lines carried them),
 * tabs and non-breaking spaces to spaces, runs of spaces folded,
 * trailing spaces cut.  Line structure stays: the template is
 * line-oriented.
 */
char *
normalise_text(const char *s, size_t n, bool *quoted)
{
	GString *o = g_string_sized_new(n);
	const char *end = s + n;
	bool bol = true, space = false;

	*quoted = false;
	while (s < end) {
		unsigned char c = *s;

		if (bol) {
			const char *q = s;

			while (q < end && (*q == '>' || *q == ' ' ||
			    *q == '\t'))
				q++;
			if (memchr(s, '>', q - s) && quoted_template(q, end))
				*quoted = true;
			s = q;
			bol = false;
			space = false;
			continue;
		}
		if (c == '\r' || c == '\n') {
			while (o->len > 0 && o->str[o->len - 1] == ' ')
				g_string_truncate(o, o->len - 1);
			g_string_append_c(o, '\n');
			s += (c == '\r' && s + 1 < end && s[1] == '\n') ? 2 : 1;
			bol = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\f' || c == '\v' ||
		    (c == 0xc2 && s + 1 < end &&
		    (unsigned char)s[1] == 0xa0)) {
			s += (c == 0xc2) ? 2 : 1;
			space = true;
			continue;
		}
		if (space && o->len > 0 && o->str[o->len - 1] != '\n')
			g_string_append_c(o, ' ');
		space = false;
		g_string_append_c(o, c ? c : ' ');
		s++;
	}
	return g_string_free(o, FALSE);
}

static bool
url_char(unsigned char c)
{
	return c > ' ' && c != '(' && c != ')' && c != '<' && c != '>' &&
	    c != '"' && c != '`' && c != 0x7f;
}

/* A line made only of link characters: a wrapped link's tail. */
static size_t
url_run(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && url_char(*p))
		p++;
	return p - s;
}

/*
 * The link after the phrase.  In the "(URL)" form everything up to the
 * closing parenthesis is the link, so a hard wrap inside it is undone
 * by dropping the whitespace.  In the bare form a link that stops at a
 * line end before it has a context parameter continues on the next
 * line when that line is nothing but link characters.
 */
static char *
link_after(const char *s, const char *end, bool *rejoined)
{
	bool paren = false;
	GString *u;
	size_t k;
	int lines = 0;

	while (s < end && (*s == ' ' || *s == '\n'))
		s++;
	if (s < end && *s == '(') {
		paren = true;
		s++;
		while (s < end && (*s == ' ' || *s == '\n'))
			s++;
	}
	if (end - s < 8 || (g_ascii_strncasecmp(s, "https://", 8) != 0 &&
	    g_ascii_strncasecmp(s, "http://", 7) != 0))
		return NULL;
	u = g_string_new(NULL);
	k = url_run(s, end);
	g_string_append_len(u, s, k);
	s += k;
	while (s < end && lines < 8) {
		const char *t = s;

		if (paren) {
			while (t < end && (*t == ' ' || *t == '\n'))
				t++;
			if (t == s || t >= end || *t == ')' ||
			    memchr(s, '\n', t - s) == NULL)
				break;
		} else {
			if (*t != '\n' || strstr(u->str, "context=") ||
			    t + 1 >= end)
				break;
			t++;
			k = url_run(t, end);
			if (k == 0 || (t + k < end && t[k] != '\n'))
				break;
		}
		k = url_run(t, end);
		if (k == 0)
			break;
		g_string_append_len(u, t, k);
		s = t + k;
		*rejoined = true;
		lines++;
	}
	return g_string_free(u, FALSE);
}

/*
 * A host as a mail could really carry it: letters, digits, hyphens and
 * dots, percent escapes, or non-ASCII letters (an internationalised
 * name, perhaps a homoglyph).  Template placeholders ("$region_name", "{region}") are
 * not hosts.
 */
static bool
host_plausible(const char *h)
{
	if (h == NULL || *h == '\0')
		return false;
	for (; *h; h++)
		if (!g_ascii_isalnum(*h) && *h != '-' && *h != '.' &&
		    *h != '%' && (unsigned char)*h < 0x80)
			return false;
	return true;
}

/*
 * An approval link: an absolute URL with a plausible host and a code
 * made of token characters, which drops the documentation's
 * placeholders.  A host that is no DNS name (a homoglyph,
 * "amazon.com..") is kept, so that the record exists and acmverify can
 * fail it; the record carries a warning.
 */
static bool
valid_link(const char *url)
{
	struct url_parts u = { 0 };
	bool ok = false;
	const char *c;

	if (url_split(url, &u) && host_plausible(u.host) && u.code &&
	    *u.code) {
		ok = true;
		for (c = u.code; *c; c++)
			if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_')
				ok = false;
	}
	url_parts_clear(&u);
	return ok;
}

/*
 * The anchor that shows the phrase is the approval link whatever it
 * points to, code or not: a look-alike that leaves the code out must
 * still become a record that acmverify can fail.
 */
static bool
plausible_link(const char *url)
{
	struct url_parts u = { 0 };
	bool ok = url_split(url, &u) && host_plausible(u.host);

	url_parts_clear(&u);
	return ok;
}

static bool
is_uuid(const char *s)
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

/* Certificate identifier: an ARN (current) or a bare UUID (legacy). */
static void
take_certificate(struct fields *f, char *v)
{
	const char *slash;

	if (g_str_has_prefix(v, "arn:")) {
		f->certificate_arn = v;
		if ((slash = strrchr(v, '/')) && is_uuid(slash + 1))
			f->certificate_id = g_strdup(slash + 1);
	} else
		f->certificate_id = v;
}

static char *
digits_only(const char *s)
{
	GString *d = g_string_new(NULL);

	for (; *s; s++)
		if (g_ascii_isdigit(*s))
			g_string_append_c(d, *s);
	if (d->len != 12) {
		g_string_free(d, TRUE);
		return NULL;
	}
	return g_string_free(d, FALSE);
}

static void
classify(struct fields *f)
{
	int legacy = 0, current = 0;

	if (f->certificate_arn)
		current++;
	else if (f->certificate_id)
		legacy++;
	if (f->account_shown && strchr(f->account_shown, '-'))
		legacy++;
	else if (f->account_shown)
		current++;
	if (f->legacy_label)
		legacy++;
	else if (f->certificate_id || f->certificate_arn)
		current++;
	if (f->approval_url && strstr(f->approval_url, "acm-certificates."))
		current++;
	else if (f->approval_url && strstr(f->approval_url,
	    "certificates.amazon.com"))
		legacy++;
	f->template = g_strdup(legacy > current ? "legacy" : "current");
}

/*
 * Fill F from TEXT.  HREF is the approval anchor's target when TEXT is
 * rendered HTML.  True when an approval link was found together with
 * the template around it; a mail that only quotes the template (with
 * placeholders) or only mentions ACM gives false.
 */
bool
extract_text(struct patterns *pt, const char *text, size_t len,
    const char *href, struct fields *f)
{
	char *t, *v, *url = NULL;
	size_t n, at = 0, stop = 0, head;
	bool phrase = false;
	int labels = 0;

	t = normalise_text(text, len, &f->quoted);
	n = strlen(t);
	if ((v = match(pt, P_PHRASE, t, n, 0, &at, &stop)) != NULL) {
		g_free(v);
		phrase = true;
		url = link_after(t + stop, t + n, &f->rejoined);
	}
	if (url == NULL && phrase && href)
		url = g_strdup(href);	/* HTML: the phrase is the anchor */
	if (url == NULL)
		url = match(pt, P_FALLBACK, t, n, 0, &at, NULL);
	if (url == NULL && href)
		url = g_strdup(href);
	if (url == NULL || !(valid_link(url) || (href &&
	    strcmp(url, href) == 0 && plausible_link(url)))) {
		g_free(url);
		g_free(t);
		return false;
	}
	f->approval_url = url;
	if ((v = match(pt, P_DOMAIN, t, n, 1, NULL, NULL)))
		f->domain = v, labels++;
	if ((v = match(pt, P_ACCOUNT, t, n, 1, NULL, NULL))) {
		f->account_id = digits_only(v);
		f->account_shown = v;
		labels++;
	}
	if ((v = match(pt, P_REGION, t, n, 1, NULL, NULL)))
		f->region = v, labels++;
	if ((v = match(pt, P_CERT, t, n, 2, NULL, NULL))) {
		char *label = match(pt, P_CERT, t, n, 1, NULL, NULL);

		f->legacy_label = label && *label == 'i';
		g_free(label);
		take_certificate(f, v);
		labels++;
	}
	if (!phrase && labels < 2) {
		g_free(t);
		return false;
	}
	if ((v = match(pt, P_REQUESTED, t, n, 1, NULL, NULL)))
		f->requested_domain = v;

	/* a forward or reply header above the template makes it a copy */
	head = at;
	if ((v = match(pt, P_GREETING, t, n, 0, &head, NULL)))
		g_free(v);
	if (head > at)
		head = at;
	if ((v = match(pt, P_FORWARD, t, head, 0, NULL, NULL))) {
		f->forwarded = true;
		g_free(v);
	}
	classify(f);
	g_free(t);
	return true;
}

/* The approval anchor of an HTML part: its href, entity-decoded. */
char *
extract_html_link(struct patterns *pt, GPtrArray *links)
{
	guint i;

	(void)pt;
	for (i = 0; i < links->len; i++) {
		struct link *l = links->pdata[i];

		if (l->id && strcmp(l->id, "approval_url") == 0 &&
		    valid_link(l->href))
			return g_strdup(l->href);
	}
	for (i = 0; i < links->len; i++) {
		struct link *l = links->pdata[i];

		if (l->text && strcasestr(l->text, "Certificate Approvals") &&
		    plausible_link(l->href))
			return g_strdup(l->href);
	}
	for (i = 0; i < links->len; i++) {
		struct link *l = links->pdata[i];

		if (strcasestr(l->href, "/approvals") && valid_link(l->href))
			return g_strdup(l->href);
	}
	return NULL;
}
