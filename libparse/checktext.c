/*
 * checktext.c - link-text: what an approver sees against where the
 * link goes.  An anchor whose shown text names another URL or host
 * fails, and so does an HTML link that leads elsewhere than the
 * plain-text one.
 */
#include <string.h>

#include "check.h"

/* A dotted name as a reader would take it for a host. */
static bool
looks_like_host(const char *s, size_t n)
{
	const char *last;
	size_t i, k;
	bool alpha = false;

	if (n < 3 || s[0] == '.' || s[n - 1] == '.' ||
	    memchr(s, '.', n) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = s[i];

		if (!(g_ascii_isalnum(ch) || ch == '-' || ch == '.' ||
		    ch >= 0x80) || (ch == '.' && s[i + 1] == '.'))
			return false;
	}
	last = memrchr(s, '.', n) + 1;
	k = s + n - last;
	for (i = 0; i < k; i++)
		if (!g_ascii_isdigit(last[i]))
			alpha = true;
	return k >= 2 && alpha;
}

static bool
url_stop(unsigned char ch)
{
	return ch <= ' ' || strchr("<>\"'()[]{}", ch) != NULL;
}

/*
 * The URLs and host names the text of an anchor shows: "https://..."
 * anywhere, and words shaped like "host.example/..." or "www.example".
 * Each is a string "https://host..." ready for link_parse, or a bare
 * host prefixed with "//".
 */
static GPtrArray *
shown_urls(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *p = text, *w, *e, *s;

	while (*p && out->len < 16) {
		while (*p && url_stop(*p))
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p && !url_stop(*p))
			p++;
		e = p;
		while (e > w && strchr(".,;:!?", e[-1]))
			e--;
		if ((s = g_strstr_len(w, e - w, "://")) != NULL) {
			while (s > w && (g_ascii_isalnum(s[-1]) ||
			    strchr("+.-", s[-1])))
				s--;
			g_ptr_array_add(out, g_strndup(s, e - s));
		} else {
			size_t h = 0;

			/* within the word: anchor text can be long */
			while (w + h < e && strchr("/?#:", w[h]) == NULL)
				h++;
			if (looks_like_host(w, h))
				g_ptr_array_add(out, g_strdup_printf("//%.*s",
				    (int)h, w));
		}
	}
	return out;
}

/*
 * Two links an approver may take for the same one.  Different hosts
 * fail, unless both are ACM approval hosts of one region: the one real
 * ACM mail that is public (2017) was sanitised so that its text link
 * says REGION.acm-certificates.amazon.com and its HTML link
 * REGION.certificates.amazon.com, and either would lead to ACM.
 */
static void
link_pair(struct check *c, const char *what, const char *scheme1,
    const char *host1, const char *scheme2, const char *host2)
{
	char *r1 = NULL, *r2 = NULL;

	if (host1 && host2 && strcmp(host1, host2) == 0 &&
	    (scheme1 == NULL || strcmp(scheme1, scheme2) == 0))
		return;
	if (host1 && host2 && host_genuine(c, host1, &r1) &&
	    host_genuine(c, host2, &r2) && r1 && r2 &&
	    strcmp(r1, r2) == 0 && (scheme1 == NULL ||
	    strcmp(scheme1, scheme2) == 0))
		finding(c, ACM_R_LINK_TEXT, false, host2, host1, "%s; both "
		    "are ACM approval hosts of %s", what, r1);
	else
		finding(c, ACM_R_LINK_TEXT, true, host2, host1, "%s", what);
	g_free(r1);
	g_free(r2);
}

/* What an anchor shows against where it goes. */
static void
anchor_text(struct check *c, const char *text, const char *href)
{
	struct link_parts to, sh;
	GPtrArray *shown;
	guint i;

	if (!link_parse(href, &to))
		return;		/* link-host has said so */
	shown = shown_urls(text);
	for (i = 0; i < shown->len; i++) {
		const char *s = shown->pdata[i];
		const char *msg = keep(c, g_strdup_printf("the text/html "
		    "link shows %s but goes to %s", show(c, s[0] == '/' &&
		    s[1] == '/' ? s + 2 : s), show(c, href)));

		if (s[0] == '/' && s[1] == '/') {
			char *h = g_ascii_strdown(s + 2, -1);

			link_pair(c, msg, NULL, h, to.scheme, to.host);
			g_free(h);
		} else if (link_parse(s, &sh)) {
			link_pair(c, msg, sh.scheme, sh.host, to.scheme,
			    to.host);
			link_parts_clear(&sh);
		} else
			link_pair(c, msg, NULL, NULL, to.scheme, to.host);
	}
	g_ptr_array_free(shown, TRUE);
	link_parts_clear(&to);
}

/*
 * Links to approve with; the others (a logo, the privacy notice) are
 * held to the Amazon-host rule of checklink.c instead.  Records from
 * before the flag listed approval links only.
 */
static bool
approval_link(json_t *l)
{
	return !json_is_false(json_object_get(l, "approval"));
}

/* Every HTML approval link against every plain-text one. */
static void
html_against_text(struct check *c, json_t *links)
{
	struct link_parts a, b;
	json_t *h, *t;
	size_t i, k;

	json_array_foreach(links, i, h) {
		if (i >= CHECK_MAX_LINKS)
			break;
		if (g_strcmp0(rec_str(h, "part"), "text/html") != 0 ||
		    !approval_link(h) || !link_parse(rec_str(h, "href"), &a))
			continue;
		json_array_foreach(links, k, t) {
			if (k >= CHECK_MAX_LINKS)
				break;
			if (g_strcmp0(rec_str(t, "part"), "text/plain") != 0 ||
			    !approval_link(t) ||
			    !link_parse(rec_str(t, "href"), &b))
				continue;
			link_pair(c, keep(c, g_strdup_printf("the text/html "
			    "link goes to %s but the text/plain link goes "
			    "to %s", show(c, a.host), show(c, b.host))), NULL,
			    a.host, b.scheme, b.host);
			link_parts_clear(&b);
		}
		link_parts_clear(&a);
	}
}

void
check_link_text(struct check *c)
{
	json_t *links = json_object_get(c->rec, "links"), *l;
	size_t i;

	json_array_foreach(links, i, l) {
		const char *text = rec_str(l, "text");
		const char *href = rec_str(l, "href");

		if (i >= CHECK_MAX_LINKS)
			break;

		if (text && href && g_strcmp0(rec_str(l, "part"),
		    "text/html") == 0)
			anchor_text(c, text, href);
	}
	html_against_text(c, links);
}
