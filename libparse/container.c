/*
 * container.c - hand one leaf byte stream to the reader of its format.
 */
#include <string.h>

#include "internal.h"

#define SNIFF_BYTES	8192

/* A whole single message, up to the message size limit. */
static void
single_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	size_t max = sc->opt.limits.max_message;
	const unsigned char *buf;
	GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);
	size_t n = reader_peek(r, max + 1, &buf);

	if (n == 0)
		goto out;		/* a read error, reported */
	if (n > max) {
		scan_warn(sc, p, "message larger than %zu bytes; only the "
		    "first %zu are read", max, max);
		g_ptr_array_add(warn, g_strdup_printf("truncated: message "
		    "larger than %zu bytes", max));
		n = max;
	}
	p->index = 0;
	p->offset = 0;
	message_scan(sc, buf, n, p, warn);
out:
	g_ptr_array_free(warn, TRUE);
}

void
container_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	const unsigned char *buf;
	const char *label;
	enum acm_format fmt = sc->opt.format;
	size_t n;

	/* errors met while reading come after what was read (diag.c) */
	scan_hold_reader(sc, r);
	n = reader_peek(r, SNIFF_BYTES, &buf);
	if (n == 0 && !r->failed)
		scan_warn(sc, p, "empty input");
	if (n == 0)
		goto out;
	if (fmt == ACM_FMT_AUTO || fmt == ACM_FMT_RECORDS) {
		enum acm_format got = sniff_format(sc, buf, n, &label);

		if (got == ACM_FMT_AUTO) {
			scan_warn(sc, p, "not mail, an mbox or JSON (%s); "
			    "skipped", label ? label : "unknown data");
			goto out;
		}
		if (fmt == ACM_FMT_AUTO || got != ACM_FMT_JSON)
			fmt = got;
	}
	switch (fmt) {
	case ACM_FMT_MBOX:
		prov_push(p, "mbox");
		mbox_scan(sc, r, p);
		break;
	case ACM_FMT_MMDF:
		prov_push(p, "mmdf");
		mmdf_scan(sc, r, p);
		break;
	case ACM_FMT_JSON:
	case ACM_FMT_RECORDS:
		prov_push(p, "json");
		json_scan(sc, r, p);
		break;
	default:
		single_scan(sc, r, p);
		break;
	}
out:
	scan_release_reader(sc, r);
}
