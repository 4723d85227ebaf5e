/*
 * html.c - HTML as a reader sees it: libxml2's HTML parser builds the
 * tree (it copes with tag soup), and a walk writes the text, one line
 * per block and table row, plus every link with its target and the text
 * shown for it.
 */
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "internal.h"

#define MAX_LINKS	256
#define MAX_DEPTH	256

void
link_free(gpointer data)
{
	struct link *l = data;

	g_free(l->href);
	g_free(l->text);
	g_free(l->id);
	g_free(l);
}

static bool
is_block(const char *name)
{
	static const char *const blocks[] = {
		"p", "div", "br", "tr", "li", "table", "h1", "h2", "h3",
		"h4", "h5", "h6", "blockquote", "pre", "hr", "ul", "ol",
		"dt", "dd", "section", "article", "header", "footer",
		"title", NULL
	};
	int i;

	for (i = 0; blocks[i]; i++)
		if (g_ascii_strcasecmp(name, blocks[i]) == 0)
			return true;
	return false;
}

static bool
is_hidden(const char *name)
{
	return g_ascii_strcasecmp(name, "script") == 0 ||
	    g_ascii_strcasecmp(name, "style") == 0 ||
	    g_ascii_strcasecmp(name, "head") == 0;
}

static void
newline(GString *s)
{
	if (s->len > 0 && s->str[s->len - 1] != '\n')
		g_string_append_c(s, '\n');
}

struct render {
	GString		*text;
	GPtrArray	*links;
	char		*base;		/* <base href>, when absolute */
};

/* Where a scheme ends, if the reference starts with one. */
static const char *
scheme_end(const char *s)
{
	const char *p = s;

	if (!g_ascii_isalpha(*p))
		return NULL;
	while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':' ? p : NULL;
}

/*
 * The URL a browser would follow for a reference in the page: tabs and
 * line breaks anywhere are dropped and the ends trimmed (the WHATWG URL
 * rules), a backslash is a slash, "//host" takes https, and a relative
 * reference is resolved against <base href>.  A phishing page can
 * count on each of these; the checks must see the same target.
 */
static char *
link_target(const struct render *r, const char *raw)
{
	GString *u = g_string_new(NULL);
	const char *p, *slash;
	char *out;

	for (p = raw; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		g_string_append_c(u, *p == '\\' ? '/' : *p);
	}
	g_strstrip(u->str);
	u->len = strlen(u->str);
	if (u->str[0] == '/' && u->str[1] == '/')
		g_string_prepend(u, "https:");
	else if (scheme_end(u->str) == NULL && r->base) {
		const char *host = strstr(r->base, "//");

		host = host ? host + 2 : r->base;
		if (u->str[0] == '/')
			slash = strchr(host, '/');
		else
			slash = strrchr(host, '/');
		if (u->str[0] != '/' && slash)
			slash++;
		g_string_prepend_len(u, r->base, slash ? slash - r->base :
		    (gssize)strlen(r->base));
		if (slash == NULL && u->str[strlen(r->base)] != '/')
			g_string_insert_c(u, strlen(r->base), '/');
	}
	out = g_string_free(u, FALSE);
	return out;
}

/* The first <base href="absolute URL"> of the document. */
static char *
find_base(xmlNode *n, int depth)
{
	for (; n && depth < MAX_DEPTH; n = n->next) {
		char *b;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (g_ascii_strcasecmp((const char *)n->name, "base") == 0) {
			xmlChar *h = xmlGetProp(n, (const xmlChar *)"href");

			b = h && scheme_end((const char *)h) ?
			    g_strstrip(g_strdup((char *)h)) : NULL;
			xmlFree(h);
			if (b)
				return b;
		}
		if ((b = find_base(n->children, depth + 1)))
			return b;
	}
	return NULL;
}

static void	walk(struct render *, xmlNode *, int);

/* Text of a subtree, whitespace folded, for a link's shown text. */
static char *
shown_text(xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	GString *s = g_string_new(NULL);
	const char *p;
	bool space = false;

	for (p = (const char *)c; p && *p; p++) {
		if (g_ascii_isspace(*p)) {
			space = s->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(s, ' ');
		space = false;
		g_string_append_c(s, *p);
	}
	xmlFree(c);
	return g_string_free(s, FALSE);
}

static void
element(struct render *r, xmlNode *n, int depth)
{
	const char *name = (const char *)n->name;

	if (is_hidden(name))
		return;
	if (r->links->len < MAX_LINKS) {
		/* everything a reader can follow: a, area, a form's action */
		const char *attr = NULL;
		xmlChar *href, *id;

		if (g_ascii_strcasecmp(name, "a") == 0 ||
		    g_ascii_strcasecmp(name, "area") == 0)
			attr = "href";
		else if (g_ascii_strcasecmp(name, "form") == 0)
			attr = "action";
		href = attr ? xmlGetProp(n, (const xmlChar *)attr) : NULL;
		id = href ? xmlGetProp(n, (const xmlChar *)"id") : NULL;
		if (href) {
			struct link *l = g_new0(struct link, 1);

			l->href = link_target(r, (char *)href);
			l->text = shown_text(n);
			l->id = id ? g_strdup((char *)id) : NULL;
			g_ptr_array_add(r->links, l);
		}
		xmlFree(href);
		xmlFree(id);
	}
	if (is_block(name))
		newline(r->text);
	else if (g_ascii_strcasecmp(name, "td") == 0 ||
	    g_ascii_strcasecmp(name, "th") == 0)
		g_string_append_c(r->text, ' ');
	walk(r, n->children, depth + 1);
	if (is_block(name))
		newline(r->text);
}

static void
walk(struct render *r, xmlNode *n, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE)
			element(r, n, depth);
		else if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)n->content;

			/* source line breaks are spaces to a reader */
			for (; t && *t; t++)
				g_string_append_c(r->text,
				    (*t == '\n' || *t == '\r') ? ' ' : *t);
		}
	}
}

void
html_render(const char *html, size_t len, GString *text, GPtrArray *links)
{
	struct render r = { text, links, NULL };
	htmlDocPtr doc;

	if (len > INT_MAX)
		len = INT_MAX;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	if (doc == NULL)
		return;
	r.base = find_base(xmlDocGetRootElement(doc), 0);
	walk(&r, xmlDocGetRootElement(doc), 0);
	g_free(r.base);
	xmlFreeDoc(doc);
}
