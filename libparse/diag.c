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
emit(struct acm_scanner *sc, const struct acm_diag *d)
{
	if (sc->pool)
		pool_diag(sc->pool, d);		/* keep its place in line */
	else
		sc->opt.on_diag(d, sc->opt.arg);
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
	if (sc->hold)
		g_ptr_array_add(sc->held, diag_dup(&d));
	else
		emit(sc, &d);
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

void
diag_copy(struct acm_diag *to, const struct acm_diag *d)
{
	to->severity = d->severity;
	to->where.path = g_strdup(d->where.path);
	to->where.entry = g_strdup(d->where.entry);
	to->where.index = d->where.index;
	to->where.offset = d->where.offset;
	to->message = g_strdup(d->message);
	to->unreadable_acm = d->unreadable_acm;
	to->sha256 = g_strdup(d->sha256);
}

void
diag_clear(struct acm_diag *d)
{
	g_free((char *)d->where.path);
	g_free((char *)d->where.entry);
	g_free((char *)d->message);
	g_free((char *)d->sha256);
}

struct acm_diag *
diag_dup(const struct acm_diag *d)
{
	struct acm_diag *c = g_new0(struct acm_diag, 1);

	diag_copy(c, d);
	return c;
}

void
diag_free(gpointer d)
{
	diag_clear(d);
	g_free(d);
}

static void
hold_while_filling(void *arg, bool on)
{
	((struct acm_scanner *)arg)->hold = on;
}

/*
 * What R's source says while it is read (a read error, a size limit)
 * is held back until scan_release_reader: where a split first looks
 * far enough ahead to meet an error depends on its window sizes, or
 * on -j's chunks, so the error is reported after what was read
 * before it.  A no-op when R is held already.
 */
void
scan_hold_reader(struct acm_scanner *sc, struct reader *r)
{
	if (r->filling)
		return;
	sc->held = g_ptr_array_new_with_free_func(diag_free);
	r->filling = hold_while_filling;
	r->fill_arg = sc;
}

void
scan_release_reader(struct acm_scanner *sc, struct reader *r)
{
	r->filling = NULL;
	scan_release_held(sc);
}

/* Diagnostics held back (sc->held) go out now, in their order. */
void
scan_release_held(struct acm_scanner *sc)
{
	GPtrArray *held = sc->held;
	guint i;

	sc->held = NULL;
	for (i = 0; held && i < held->len; i++)
		emit(sc, held->pdata[i]);	/* held only with on_diag */
	if (held)
		g_ptr_array_free(held, TRUE);
}
