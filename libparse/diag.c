/*
 * diag.c - provenance strings and the diagnostics every stage reports.
 */
#include <stdio.h>

#include "internal.h"

void
prov_push(struct prov *p, const char *layer)
{
	if (p->nlayers < MAX_LAYERS)
		p->layers[p->nlayers++] = layer;
}

/* "PATH[:ENTRY][#INDEX]", the prefix of every message about P. */
char *
prov_where(const struct prov *p)
{
	GString *s = g_string_new(p->path ? p->path : "-");

	if (p->entry)
		g_string_append_printf(s, ":%s", p->entry);
	if (p->index >= 0)
		g_string_append_printf(s, "#%ld", p->index);
	return g_string_free(s, FALSE);
}

/*
 * A diagnostic is one line (acm.h), whatever a library put in the text
 * it quotes: libarchive ends some of its zip errors with a newline.
 */
static void
one_line(char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (s[n] == '\n' || s[n] == '\r')
			s[n] = ' ';
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

static void
report(struct acm_scanner *sc, enum acm_severity sev, const char *sha256,
    const struct prov *p, const char *fmt, va_list ap)
{
	struct acm_diag d;
	char *msg;

	if (sev == ACM_ERROR) {
		sc->stats.errors++;
		sc->status = -1;
		sc->seen_error = true;
	} else
		sc->stats.warnings++;
	if (sc->opt.on_diag == NULL)
		return;
	msg = g_strdup_vprintf(fmt, ap);
	one_line(msg);
	d.severity = sev;
	d.where.path = p->path ? p->path : "-";
	d.where.entry = p->entry;
	d.where.index = p->index;
	d.where.offset = p->offset;
	d.message = msg;
	d.unreadable_acm = sha256 != NULL;
	d.sha256 = sha256;
	if (sc->pool)
		pool_diag(sc->pool, &d);	/* keep its place in line */
	else
		sc->opt.on_diag(&d, sc->opt.arg);
	g_free(msg);
}

void
scan_warn(struct acm_scanner *sc, const struct prov *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(sc, ACM_WARNING, NULL, p, fmt, ap);
	va_end(ap);
}

void
scan_error(struct acm_scanner *sc, const struct prov *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(sc, ACM_ERROR, NULL, p, fmt, ap);
	va_end(ap);
}

/* A mail (SHA256) that claims to be ACM's gave no record. */
void
scan_unreadable_acm(struct acm_scanner *sc, const struct prov *p,
    const char *sha256, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(sc, ACM_WARNING, sha256, p, fmt, ap);
	va_end(ap);
}
