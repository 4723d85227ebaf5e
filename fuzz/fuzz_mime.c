/*
 * fuzz_mime - one raw message: GMime, the text parts, HTML rendering
 * and template extraction (acm_scan_message, as acmverify --annotate
 * calls it).  The same bytes then go straight to the HTML renderer and
 * to the extractor as text, which reaches them without the MIME
 * parser's filtering.
 */
#include "fuzz.h"

static struct acm_scanner *sc;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sc = fuzz_scanner(ACM_FMT_MESSAGE);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GPtrArray *links = g_ptr_array_new_with_free_func(link_free);
	GString *text = g_string_new(NULL);
	struct fields f = { 0 };
	char *href;

	acm_scan_message(sc, data, size, "fuzz");

	html_render((const char *)data, size, text, links);
	href = extract_html_link(sc->pat, links);
	extract_text(sc->pat, text->str, text->len, href, &f);
	fields_clear(&f);
	g_free(href);
	g_string_free(text, TRUE);
	g_ptr_array_free(links, TRUE);

	extract_text(sc->pat, (const char *)data, size, NULL, &f);
	fields_clear(&f);
	return 0;
}
