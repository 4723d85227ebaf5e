/*
 * scanner.c - the scanner: options, limits, and the libraries each
 * scan needs, started once.
 */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>

#include "internal.h"

void
acm_limits_default(struct acm_limits *l)
{
	l->max_message = 64u << 20;
	l->max_header = 1u << 20;
	l->max_mime_depth = 64;
	l->max_envelope_depth = 16;
	l->max_json_depth = 64;
	l->max_json_doc = 256u << 20;
	l->max_entries = 1000000;
	l->max_expanded = (uint64_t)64 << 30;
	l->max_ratio = 1000;
}

static void
xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The library prints nothing: GLib and GMime messages go nowhere. */
static void
glib_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)arg;
}

/*
 * Bytes of one mbox chunk a worker splits (mboxchunk.c).  The tests
 * set ACM_CHUNK_BYTES small, so that the corpus's mailboxes are cut
 * in many places; 0 turns chunks off.
 */
static size_t
chunk_size(void)
{
	const char *s = getenv("ACM_CHUNK_BYTES");
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0')
		return CHUNK_DEFAULT;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > ((size_t)16 << 20))
		return CHUNK_DEFAULT;
	return (size_t)v;
}

struct acm_scanner *
acm_scanner_new(const struct acm_options *opt)
{
	struct acm_scanner *sc = g_new0(struct acm_scanner, 1);

	sc->opt = *opt;
	sc->chunk = chunk_size();
	g_mime_init();
	json_object_seed(0);	/* before any worker makes objects */
	g_log_set_default_handler(glib_quiet, NULL);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	sc->pat = patterns_new();
	sc->magic = magic_open(MAGIC_NONE);
	if (sc->magic && magic_load(sc->magic, NULL) != 0) {
		magic_close(sc->magic);
		sc->magic = NULL;
	}
	if (sc->pat == NULL) {
		acm_scanner_free(sc);
		return NULL;
	}
	if (sc->opt.jobs > 1)
		sc->pool = pool_new(sc);
	return sc;
}

void
acm_scanner_free(struct acm_scanner *sc)
{
	if (sc == NULL)
		return;
	pool_free(sc->pool);
	patterns_free(sc->pat);
	if (sc->magic)
		magic_close(sc->magic);
	g_free(sc);
}

int
acm_scan_finish(struct acm_scanner *sc)
{
	if (sc->pool)
		pool_finish(sc->pool);
	return sc->seen_error ? -1 : 0;
}

int
acm_scan_message(struct acm_scanner *sc, const void *buf, size_t len,
    const char *name)
{
	struct prov p = { .path = name, .index = -1, .offset = -1 };
	GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);

	sc->status = 0;
	message_scan(sc, buf, len, &p, warn);
	g_ptr_array_free(warn, TRUE);
	if (sc->pool)
		pool_finish(sc->pool);
	return sc->status;
}

static const char *const format_names[] = {
	[ACM_FMT_AUTO] = "auto",
	[ACM_FMT_MESSAGE] = "eml",
	[ACM_FMT_MBOX] = "mbox",
	[ACM_FMT_MMDF] = "mmdf",
	[ACM_FMT_JSON] = "json",
	[ACM_FMT_RECORDS] = "records",
};

const char *
acm_format_name(enum acm_format f)
{
	if ((unsigned)f < G_N_ELEMENTS(format_names))
		return format_names[f];
	return "unknown";
}

int
acm_format_parse(const char *s)
{
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	if (strcmp(s, "message") == 0)
		return ACM_FMT_MESSAGE;
	return -1;
}
