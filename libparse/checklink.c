/*
 * checklink.c - the link rules: link-host and link-scheme.
 *
 * uriparser takes every link apart; the host it reports is the one a
 * browser would connect to, whatever userinfo, fragment or percent
 * tricks the string holds.  That host must then equal an ACM approval
 * host exactly:
 *
 *	REGION.acm-certificates.amazon.com	(aws)
 *	REGION.acm-certificates.amazonaws.cn	(aws-cn, cn-* regions)
 *	REGION.certificates.amazon.com		(legacy, before the cut-off)
 *	certificates.amazon.com			(legacy, before the cut-off)
 *
 * REGION is one DNS label shaped like a region code.  Punycode labels
 * and anything but letters, digits and hyphens fail before the
 * comparison, so no homoglyph can slip through.  What the links show
 * against where they go is checktext.c's.
 */
#include <string.h>

#include <uriparser/Uri.h>

#include "check.h"

enum host_kind { HOST_OTHER, HOST_CURRENT, HOST_LEGACY };

static char *
range(const UriTextRangeA *r)
{
	if (r->first == NULL || r->afterLast == NULL)
		return NULL;
	return g_strndup(r->first, r->afterLast - r->first);
}

void
link_parts_clear(struct link_parts *lp)
{
	g_free(lp->scheme);
	g_free(lp->host);
	g_free(lp->userinfo);
	g_free(lp->port);
	g_free(lp->fragment);
	memset(lp, 0, sizeof(*lp));
}

static void
ascii_lower(char *s)
{
	for (; *s; s++)
		*s = g_ascii_tolower(*s);
}

/* False when URL is not an absolute URL with a host. */
bool
link_parse(const char *url, struct link_parts *lp)
{
	UriUriA uri;
	const char *err;
	size_t n;

	memset(lp, 0, sizeof(*lp));
	if (url == NULL || uriParseSingleUriA(&uri, url, &err) != URI_SUCCESS)
		return false;
	lp->scheme = range(&uri.scheme);
	lp->host = range(&uri.hostText);
	lp->userinfo = range(&uri.userInfo);
	lp->port = range(&uri.portText);
	lp->fragment = range(&uri.fragment);
	lp->ip = uri.hostData.ip4 != NULL || uri.hostData.ip6 != NULL ||
	    uri.hostData.ipFuture.first != NULL;
	uriFreeUriMembersA(&uri);
	if (lp->scheme == NULL || lp->host == NULL) {
		link_parts_clear(lp);
		return false;
	}
	ascii_lower(lp->scheme);
	ascii_lower(lp->host);
	if ((n = strlen(lp->host)) > 0 && lp->host[n - 1] == '.')
		lp->host[n - 1] = '\0';
	return true;
}

bool
host_has_idn(const char *h)
{
	const char *l = h;

	while (l) {
		if (g_ascii_strncasecmp(l, "xn--", 4) == 0)
			return true;
		if ((l = strchr(l, '.')) != NULL)
			l++;
	}
	return false;
}

/* One region label followed by SUFFIX; the region in *REGION. */
static bool
region_then(const char *host, const char *suffix, char **region)
{
	size_t n = strlen(host), k = strlen(suffix);
	char *r;

	if (n <= k || strcmp(host + n - k, suffix) != 0)
		return false;
	r = g_strndup(host, n - k);
	if (strchr(r, '.') || !region_valid(r)) {
		g_free(r);
		return false;
	}
	*region = r;
	return true;
}

static enum host_kind
host_kind(const char *host, char **region)
{
	*region = NULL;
	if (region_then(host, ".acm-certificates.amazon.com", region)) {
		if (!g_str_has_prefix(*region, "cn-"))
			return HOST_CURRENT;
	} else if (region_then(host, ".acm-certificates.amazonaws.cn",
	    region)) {
		if (g_str_has_prefix(*region, "cn-"))
			return HOST_CURRENT;
	} else if (region_then(host, ".certificates.amazon.com", region)) {
		if (!g_str_has_prefix(*region, "cn-"))
			return HOST_LEGACY;
	} else if (strcmp(host, "certificates.amazon.com") == 0)
		return HOST_LEGACY;
	g_free(*region);
	*region = NULL;
	return HOST_OTHER;
}

static bool
before_cutoff(struct check *c)
{
	return c->have_date && c->date < ACM_TEMPLATE_CUTOFF_T;
}

/*
 * Is HOST an ACM approval host for this mail?  *REGION gets its region
 * (NULL for the bare legacy host).
 */
bool
host_genuine(struct check *c, const char *host, char **region)
{
	enum host_kind k = host_kind(host, region);

	if (k == HOST_CURRENT || (k == HOST_LEGACY && before_cutoff(c)))
		return true;
	g_free(*region);
	*region = NULL;
	return false;
}

/* The host this mail's link should have, as far as the body says. */
static const char *
expected_host(struct check *c)
{
	const char *r = rec_str(c->rec, "region");

	if (r == NULL || !region_valid(r))
		return "REGION.acm-certificates.amazon.com";
	return keep(c, g_strdup_printf("%s.acm-certificates.%s", r,
	    g_str_has_prefix(r, "cn-") ? "amazonaws.cn" : "amazon.com"));
}

static void
remember_region(struct check *c, const char *host, const char *region)
{
	guint i;

	for (i = 0; i < c->host_regions->len; i += 2)
		if (strcmp(c->host_regions->pdata[i], host) == 0)
			return;
	g_ptr_array_add(c->host_regions, g_strdup(host));
	g_ptr_array_add(c->host_regions, g_strdup(region));
}

static void
host_rule(struct check *c, const char *what, const struct link_parts *lp)
{
	const char *want = expected_host(c), *h = lp->host;
	char *region = NULL;
	enum host_kind k;

	if (lp->ip) {
		finding(c, ACM_R_LINK_HOST, true, want, h, "%s goes to the "
		    "IP address %s, not to an ACM approval host", what,
		    show(c, h));
		return;
	}
	if (!hostname_valid(h)) {
		finding(c, ACM_R_LINK_HOST, true, want, h, "%s goes to %s, "
		    "which is not a plain DNS name of letters, digits and "
		    "hyphens", what, show(c, h));
		return;
	}
	if (host_has_idn(h)) {
		finding(c, ACM_R_LINK_HOST, true, want, h, "%s goes to %s, "
		    "an internationalised (punycode) name; ACM approval "
		    "hosts are plain ASCII", what, show(c, h));
		return;
	}
	k = host_kind(h, &region);
	if (k == HOST_OTHER)
		finding(c, ACM_R_LINK_HOST, true, want, h, "%s goes to %s, "
		    "which is not an ACM approval host (expected %s)", what,
		    show(c, h), want);
	else if (k == HOST_LEGACY && !before_cutoff(c))
		finding(c, ACM_R_LINK_HOST, true, want, h, "%s goes to the "
		    "legacy host %s, which ACM used only for mail sent "
		    "before " ACM_TEMPLATE_CUTOFF "; this mail is dated %s",
		    what, show(c, h), c->have_date ? rec_str(c->rec, "date") :
		    "(no date)");
	else if (region)
		remember_region(c, h, region);
	g_free(region);
}

/* The scheme and host rules for one link. */
static void
link_rules(struct check *c, const char *url, const char *what)
{
	const char *want = expected_host(c);
	struct link_parts lp;

	if (!link_parse(url, &lp)) {
		finding(c, ACM_R_LINK_HOST, true, keep(c, g_strdup_printf(
		    "https://%s/approvals?code=...", want)), url, "%s is "
		    "not a URL with a host that a parser accepts", what);
		return;
	}
	if (strcmp(lp.scheme, "https") != 0)
		finding(c, ACM_R_LINK_SCHEME, true, "https", lp.scheme,
		    "%s uses %s, not https", what, show(c, lp.scheme));
	if (lp.userinfo)
		finding(c, ACM_R_LINK_HOST, true, want, keep(c,
		    g_strdup_printf("%s@%s", lp.userinfo, lp.host)), "%s "
		    "carries user information %s before its host %s; a "
		    "genuine approval link has none", what,
		    show(c, lp.userinfo), show(c, lp.host));
	if (lp.port)
		finding(c, ACM_R_LINK_HOST, true, want, keep(c,
		    g_strdup_printf("%s:%s", lp.host, lp.port)), "%s names "
		    "port %s; a genuine approval link names none", what,
		    show(c, lp.port));
	if (lp.fragment)
		finding(c, ACM_R_LINK_HOST, true, want, url, "%s carries a "
		    "fragment %s; a genuine approval link has none", what,
		    show(c, lp.fragment));
	host_rule(c, what, &lp);
	link_parts_clear(&lp);
}

/*
 * The hosts a genuine validation mail links to besides the approval
 * page: Amazon's own (the logo, the privacy notice, the ACM guide).
 */
static bool
amazon_host(const char *h)
{
	static const char *const family[] = {
		"amazon.com", "amazonaws.com", "amazonaws.cn", "amazon.cn",
		"awsstatic.com", NULL
	};
	size_t n = strlen(h);
	int i;

	for (i = 0; family[i]; i++) {
		size_t k = strlen(family[i]);

		if (n == k ? strcmp(h, family[i]) == 0 : (n > k &&
		    h[n - k - 1] == '.' && strcmp(h + n - k, family[i]) == 0))
			return true;
	}
	return false;
}

/*
 * A link of the mail that is not about approving: mailto is harmless,
 * script and data URLs never are, and web links may go only to Amazon.
 */
static void
other_link_rules(struct check *c, const char *url, const char *what)
{
	struct link_parts lp;

	if (g_ascii_strncasecmp(url, "mailto:", 7) == 0)
		return;
	if (g_ascii_strncasecmp(url, "https:", 6) != 0 &&
	    g_ascii_strncasecmp(url, "http:", 5) != 0) {
		finding(c, ACM_R_LINK_SCHEME, true, "https", url, "%s is no "
		    "web link; a validation mail links with https only",
		    what);
		return;
	}
	if (!link_parse(url, &lp)) {
		finding(c, ACM_R_LINK_HOST, true, "an Amazon host", url,
		    "%s is not a URL with a host that a parser accepts",
		    what);
		return;
	}
	if (lp.userinfo || !hostname_valid(lp.host) ||
	    !amazon_host(lp.host))
		finding(c, ACM_R_LINK_HOST, true, "an Amazon host", lp.host,
		    "%s goes to %s, not to an Amazon host", what,
		    show(c, lp.host));
	link_parts_clear(&lp);
}

/* The approval link and every link of the "links" array. */
void
check_links(struct check *c)
{
	const char *url = rec_str(c->rec, "approval_url");
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	json_t *links = json_object_get(c->rec, "links"), *l;
	size_t i;

	if (url) {
		/* WHAT names the link with its URL, for every rule */
		link_rules(c, url, keep(c, g_strdup_printf("the approval "
		    "link %s", show(c, url))));
		g_hash_table_add(seen, (char *)url);
	}
	if (json_array_size(links) > CHECK_MAX_LINKS)
		finding(c, ACM_R_LINK_HOST, true, "a few links", NULL, "the "
		    "record lists %zu approval links, where a validation "
		    "mail has one or two; only the first %d were checked",
		    json_array_size(links), CHECK_MAX_LINKS);
	json_array_foreach(links, i, l) {
		const char *href = rec_str(l, "href");
		const char *part = rec_str(l, "part");

		if (i >= CHECK_MAX_LINKS)
			break;

		if (href == NULL || g_hash_table_contains(seen, href))
			continue;
		g_hash_table_add(seen, (char *)href);
		/* records from before the flag: every link was approval */
		if (json_is_false(json_object_get(l, "approval")))
			other_link_rules(c, href, keep(c, g_strdup_printf(
			    "the %s link %s", part ? part : "other",
			    show(c, href))));
		else
			link_rules(c, href, keep(c, g_strdup_printf(
			    "the %s link %s", part ? part : "other",
			    show(c, href))));
	}
	g_hash_table_destroy(seen);
}
