/*
 * test_html.c - html.c: HTML as a reader sees it (one line per block
 * and table row, entities decoded, scripts and styles unseen) and every
 * link with its target, its shown text and its id.
 */
#include "unit.h"

struct fixture {
	GString		*text;
	GPtrArray	*links;
	char		*lines;
};

static int
setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);

	f->text = g_string_new(NULL);
	f->links = g_ptr_array_new_with_free_func(link_free);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	g_string_free(f->text, TRUE);
	g_ptr_array_free(f->links, TRUE);
	g_free(f->lines);
	g_free(f);
	return 0;
}

/*
 * Render HTML and give its lines as a reader takes them in: each
 * trimmed, runs of spaces as one, empty lines left out, joined by '|'.
 */
static const char *
render(struct fixture *f, const char *html)
{
	char **lines;
	GString *s = g_string_new(NULL);
	int i;

	g_string_truncate(f->text, 0);
	g_ptr_array_set_size(f->links, 0);
	html_render(html, strlen(html), f->text, f->links);
	lines = g_strsplit(f->text->str, "\n", -1);
	for (i = 0; lines[i]; i++) {
		char **words = g_strsplit_set(g_strstrip(lines[i]), " \t",
		    -1);
		char *joined;
		int k, w = 0;

		for (k = 0; words[k]; k++)
			if (*words[k])
				words[w++] = words[k];
			else
				g_free(words[k]);
		words[w] = NULL;
		joined = g_strjoinv(" ", words);
		g_strfreev(words);
		if (*joined)
			g_string_append_printf(s, "%s%s", s->len ? "|" : "",
			    joined);
		g_free(joined);
	}
	g_strfreev(lines);
	g_free(f->lines);
	f->lines = g_string_free(s, FALSE);
	return f->lines;
}

static struct link *
link_at(struct fixture *f, guint i)
{
	assert_true(i < f->links->len);
	return f->links->pdata[i];
}

static void
test_paragraphs(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "<p>Hello</p><p>World</p>"),
	    "Hello|World");
	/* exactly: one line per block, nothing doubled */
	assert_string_equal(f->text->str, "Hello\nWorld\n");
	assert_string_equal(render(f, "<div>a<br>b<br/>c</div>"), "a|b|c");
	assert_string_equal(render(f, "<h1>Title</h1>text<hr>more"),
	    "Title|text|more");
	assert_string_equal(render(f, "<ul><li>one</li><li>two</li></ul>"),
	    "one|two");
	/* inline elements run on */
	assert_string_equal(render(f, "<p>go <b>to</b> <i>Amazon</i></p>"),
	    "go to Amazon");
	/* a line break in the source is a space to a reader */
	assert_string_equal(render(f, "<p>go to\nAmazon\r\nCertificate</p>"),
	    "go to Amazon Certificate");
	assert_int_equal(f->links->len, 0);
}

static void
test_tables(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f,
	    "<table>\n"
	    " <tr><td class=\"l\">Domain:</td><td>www.example.com</td></tr>\n"
	    " <tr><td>AWS account ID:</td>\n"
	    "     <td><span id=\"account_id\">111122223333</span></td></tr>\n"
	    " <tr><th>Region</th><td>eu-central-2</td></tr>\n"
	    "</table>"),
	    "Domain: www.example.com|AWS account ID: 111122223333|"
	    "Region eu-central-2");
	/* cells never run into each other */
	assert_string_equal(render(f, "<table><tr><td>a</td><td>b</td></tr>"
	    "</table>"), "a b");
}

static void
test_links(void **state)
{
	struct fixture *f = *state;
	struct link *l;

	render(f, "<p>To approve, go to <a id=\"approval_url\" "
	    "href=\" https://eu-west-1.acm-certificates.amazon.com/approvals"
	    "?code=c1&amp;context=x1 \">Amazon\n  <b>Certificate</b>   "
	    "Approvals</a>.</p>"
	    "<a name=\"anchor\">no target</a>"
	    "<a href=\"https://aws.amazon.com/privacy\">privacy</a>");
	assert_int_equal(f->links->len, 2);
	l = link_at(f, 0);
	/* the target entity-decoded and trimmed, as a browser takes it */
	assert_string_equal(l->href, "https://eu-west-1.acm-certificates."
	    "amazon.com/approvals?code=c1&context=x1");
	/* the shown text with its whitespace folded */
	assert_string_equal(l->text, "Amazon Certificate Approvals");
	assert_string_equal(l->id, "approval_url");
	l = link_at(f, 1);
	assert_string_equal(l->href, "https://aws.amazon.com/privacy");
	assert_string_equal(l->text, "privacy");
	assert_null(l->id);
	/* the shown text is part of the rendered text too */
	assert_string_equal(f->lines, "To approve, go to Amazon Certificate "
	    "Approvals.|no targetprivacy");
}

/* A link showing one URL and going to another: both kept apart. */
static void
test_link_text_differs(void **state)
{
	struct fixture *f = *state;
	struct link *l;

	render(f, "<a href=\"https://evil.example/approvals?code=1\">"
	    "https://us-east-1.acm-certificates.amazon.com/approvals?code=1"
	    "</a>");
	l = link_at(f, 0);
	assert_string_equal(l->href, "https://evil.example/approvals?code=1");
	assert_string_equal(l->text, "https://us-east-1.acm-certificates."
	    "amazon.com/approvals?code=1");
	assert_string_equal(f->lines, l->text);
}

static void
test_entities(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "<p>AT&amp;T &lt;tag&gt; &quot;q&quot;"
	    " &#65;&#x42; caf&eacute; &copy;2015</p>"),
	    "AT&T <tag> \"q\" AB caf\xc3\xa9 \xc2\xa9" "2015");
	/* a non-breaking space is a character, not a space */
	render(f, "<p>a&nbsp;b</p>");
	assert_string_equal(f->text->str, "a\xc2\xa0" "b\n");
	/* UTF-8 passes as it is */
	assert_string_equal(render(f, "<p>Gr\xc3\xbc\xc3\x9f" "e</p>"),
	    "Gr\xc3\xbc\xc3\x9f" "e");
}

static void
test_hidden(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f,
	    "<html><head><title>Domain Validation</title>"
	    "<style type=\"text/css\">p { color: red }</style>"
	    "<script>var u = 'https://x/approvals?code=1';</script></head>"
	    "<body><p>shown<!-- https://x/approvals?code=1 --></p>"
	    "<script type=\"text/javascript\">document.write('hidden')"
	    "</script><STYLE>.a{}</STYLE>"
	    "<p>also shown</p></body></html>"),
	    "shown|also shown");
	/* links inside hidden elements are no links a reader sees */
	render(f, "<script><a href=\"https://x/approvals?code=1\">x</a>"
	    "</script><p>text</p>");
	assert_int_equal(f->links->len, 0);
	assert_string_equal(f->lines, "text");
}

static void
test_tag_soup(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(render(f, "<p>unclosed <b>bold <a href=x>link"),
	    "unclosed bold link");
	assert_int_equal(f->links->len, 1);
	assert_string_equal(link_at(f, 0)->href, "x");
	assert_string_equal(link_at(f, 0)->text, "link");
	assert_string_equal(render(f, "plain text, no tags at all"),
	    "plain text, no tags at all");
	assert_string_equal(render(f, ""), "");
	assert_int_equal(f->links->len, 0);
}

/* Nesting without end and links without number stay bounded. */
static void
test_limits(void **state)
{
	struct fixture *f = *state;
	GString *s = g_string_new(NULL);
	int i;

	for (i = 0; i < 5000; i++)
		g_string_append(s, "<div>");
	g_string_append(s, "deep");
	render(f, s->str);
	assert_true(f->text->len < 5000);
	g_string_truncate(s, 0);
	for (i = 0; i < 300; i++)
		g_string_append_printf(s, "<a href=\"https://h%d.example/\">"
		    "%d</a>", i, i);
	render(f, s->str);
	g_string_free(s, TRUE);
	assert_int_equal(f->links->len, 256);
	assert_string_equal(link_at(f, 0)->href, "https://h0.example/");
	assert_string_equal(link_at(f, 255)->href, "https://h255.example/");
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_paragraphs),
		T(test_tables),
		T(test_links),
		T(test_link_text_differs),
		T(test_entities),
		T(test_hidden),
		T(test_tag_soup),
		T(test_limits),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
