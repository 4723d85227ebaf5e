/*
 * audit_group.c - one row per certificate, per account and per domain,
 * made from the sorted mails.  A mail counts once in a row however
 * often the same bytes were found (an .eml and the mbox that also holds
 * it), so that a merged report counts what a single run counts.
 */
#include <string.h>

#include "audit_report.h"

static struct audit_row *
row_new(const char *key)
{
	struct audit_row *w = g_new0(struct audit_row, 1);

	w->key = g_strdup(key);
	w->ids = g_ptr_array_new_with_free_func(g_free);
	w->arns = g_ptr_array_new_with_free_func(g_free);
	w->accounts = g_ptr_array_new_with_free_func(g_free);
	w->regions = g_ptr_array_new_with_free_func(g_free);
	w->domains = g_ptr_array_new_with_free_func(g_free);
	w->recipients = g_ptr_array_new_with_free_func(g_free);
	w->seen = g_hash_table_new(g_str_hash, g_str_equal);
	w->codes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)g_hash_table_destroy);
	return w;
}

void
audit_row_free(gpointer p)
{
	struct audit_row *w = p;

	g_free(w->key);
	g_ptr_array_free(w->ids, TRUE);
	g_ptr_array_free(w->arns, TRUE);
	g_ptr_array_free(w->accounts, TRUE);
	g_ptr_array_free(w->regions, TRUE);
	g_ptr_array_free(w->domains, TRUE);
	g_ptr_array_free(w->recipients, TRUE);
	g_free(w->first);
	g_free(w->last);
	g_hash_table_destroy(w->seen);
	g_hash_table_destroy(w->codes);
	g_free(w);
}

const char *
audit_verdict(const struct audit_row *w)
{
	if (w->failed == 0)
		return "pass";
	return w->failed == w->mails ? "fail" : "mixed";
}

/* Add S to the sorted set A, unless it is there or NULL. */
static void
set_add(GPtrArray *a, const char *s)
{
	guint lo = 0, hi = a->len;

	if (s == NULL)
		return;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		int c = strcmp(a->pdata[mid], s);

		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	g_ptr_array_insert(a, (gint)lo, g_strdup(s));
}

/*
 * A resend is another mail for the same certificate and domain with a
 * new approval code; copies of one mail carry the same code.
 */
static void
count_resend(struct audit_row *w, const struct audit_mail *m)
{
	const char *dom = m->domain ? m->domain : "";
	GHashTable *codes = g_hash_table_lookup(w->codes, dom);

	if (codes == NULL) {
		codes = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, NULL);
		g_hash_table_insert(w->codes, g_strdup(dom), codes);
	}
	if (g_hash_table_add(codes, g_strdup(m->code ? m->code : m->key)) &&
	    g_hash_table_size(codes) > 1)
		w->resends++;
}

static void
row_dates(struct audit_row *w, const struct audit_mail *m)
{
	if (m->date == NULL)
		return;
	if (w->first == NULL || m->t < w->first_t) {
		g_free(w->first);
		w->first = g_strdup(m->date);
		w->first_t = m->t;
	}
	if (w->last == NULL || m->t > w->last_t) {
		g_free(w->last);
		w->last = g_strdup(m->date);
		w->last_t = m->t;
	}
}

static void
row_add(struct audit_report *r, struct audit_row *w,
    const struct audit_mail *m)
{
	const struct audit_once *o = g_hash_table_lookup(r->once, m->key);
	guint i;

	set_add(w->ids, m->cert_id ? m->cert_id : m->cert);
	set_add(w->arns, m->arn);
	set_add(w->accounts, m->account);
	set_add(w->regions, m->region);
	set_add(w->domains, m->domain);
	for (i = 0; i < m->to->len; i++)
		set_add(w->recipients, m->to->pdata[i]);
	row_dates(w, m);
	count_resend(w, m);
	if (!g_hash_table_add(w->seen, m->key))
		return;
	w->mails++;
	if (o && o->failed) {
		w->failed++;
		if (!w->any_fail || o->worst > w->worst)
			w->worst = o->worst;
		w->any_fail = true;
	}
}

static int
cmp_row(gconstpointer pa, gconstpointer pb)
{
	const struct audit_row *a = *(struct audit_row *const *)pa;
	const struct audit_row *b = *(struct audit_row *const *)pb;

	return strcmp(a->key, b->key);
}

/* The rows of TABLE, sorted by key; TABLE is emptied. */
static GPtrArray *
rows_sorted(GHashTable *table)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(audit_row_free);
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, table);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(a, v);
	g_hash_table_steal_all(table);
	g_ptr_array_sort(a, cmp_row);
	return a;
}

static void
add_to(struct audit_report *r, GHashTable *table, const char *key,
    const struct audit_mail *m)
{
	struct audit_row *w;

	if (key == NULL)
		return;
	if ((w = g_hash_table_lookup(table, key)) == NULL) {
		w = row_new(key);
		g_hash_table_insert(table, w->key, w);
	}
	row_add(r, w, m);
}

void
audit_group(struct audit_report *r)
{
	GHashTable *certs = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *accounts = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *domains = g_hash_table_new(g_str_hash, g_str_equal);
	guint i;

	for (i = 0; i < r->mails->len; i++) {
		const struct audit_mail *m = r->mails->pdata[i];

		add_to(r, certs, m->cert, m);
		add_to(r, accounts, m->account, m);
		add_to(r, domains, m->domain, m);
	}
	r->certs = rows_sorted(certs);
	r->accounts = rows_sorted(accounts);
	r->domains = rows_sorted(domains);
	g_hash_table_destroy(certs);
	g_hash_table_destroy(accounts);
	g_hash_table_destroy(domains);

	for (i = 0; i < r->certs->len; i++) {
		const char *v = audit_verdict(r->certs->pdata[i]);

		r->verdicts[strcmp(v, "pass") == 0 ? 0 :
		    strcmp(v, "fail") == 0 ? 1 : 2]++;
	}
}
