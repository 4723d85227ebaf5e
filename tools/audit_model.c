/*
 * audit_model.c - the report's raw material: every record, checked as
 * acmverify checks it, and every input's totals.  Records arrive in
 * whatever order the scan (or -j) delivers them; audit_report_finish
 * sorts everything by stable keys before anything is grouped or
 * written.
 */
#include <string.h>

#include "audit_report.h"

static char *
dup_or_null(const char *s)
{
	return s ? g_strdup(s) : NULL;
}

static void
input_free(gpointer p)
{
	struct audit_input *in = p;

	g_free(in->path);
	g_free(in->sha256);
	g_free(in);
}

static void
mail_free(gpointer p)
{
	struct audit_mail *m = p;

	g_free(m->cert);
	g_free(m->cert_id);
	g_free(m->arn);
	g_free(m->account);
	g_free(m->region);
	g_free(m->domain);
	g_free(m->code);
	g_free(m->date);
	g_ptr_array_free(m->to, TRUE);
	g_free(m->path);
	g_free(m->entry);
	g_free(m->sha256);
	g_free(m->key);
	g_free(m);
}

static void
finding_free(gpointer p)
{
	struct audit_finding *f = p;

	g_free(f->code);
	g_free(f->message);
	g_free(f->expected);
	g_free(f->found);
	g_free(f);
}

struct audit_report *
audit_report_new(const struct acm_policy *pol, int64_t now,
    enum audit_sev fail_on)
{
	struct audit_report *r = g_new0(struct audit_report, 1);
	GDateTime *dt = g_date_time_new_from_unix_utc(now);
	int k;

	r->pol = pol;
	r->now = now;
	r->fail_on = fail_on;
	r->max_age = acm_policy_max_age(pol);
	r->ses = acm_policy_ses(pol);
	r->sns = acm_policy_sns_signature_required(pol);
	if (acm_policy_dkim_domains(pol))
		r->dkim = g_strjoinv(" ", (char **)acm_policy_dkim_domains(
		    pol));
	if (dt) {
		char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");

		g_strlcpy(r->now_s, s, sizeof(r->now_s));
		g_free(s);
		g_date_time_unref(dt);
	}
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		char *d = acm_policy_describe(pol, k);

		r->expect[k] = dup_or_null(d);
		free(d);
	}
	r->inputs = g_ptr_array_new_with_free_func(input_free);
	r->mails = g_ptr_array_new_with_free_func(mail_free);
	r->findings = g_ptr_array_new_with_free_func(finding_free);
	return r;
}

void
audit_report_free(struct audit_report *r)
{
	int k;

	if (r == NULL)
		return;
	for (k = 0; k < ACM_EXPECT_COUNT; k++)
		g_free(r->expect[k]);
	g_free(r->dkim);
	g_ptr_array_free(r->findings, TRUE);
	g_ptr_array_free(r->mails, TRUE);
	g_ptr_array_free(r->inputs, TRUE);
	if (r->certs) {
		g_ptr_array_free(r->certs, TRUE);
		g_ptr_array_free(r->accounts, TRUE);
		g_ptr_array_free(r->domains, TRUE);
	}
	if (r->timeline)
		g_array_free(r->timeline, TRUE);
	if (r->once)
		g_hash_table_destroy(r->once);
	g_free(r);
}

/* Lower case, no trailing dot: how names are compared. */
static char *
fold(const char *s)
{
	char *l;
	size_t n;

	if (s == NULL)
		return NULL;
	l = g_ascii_strdown(s, -1);
	n = strlen(l);
	while (n > 1 && l[n - 1] == '.')
		l[--n] = '\0';
	return l;
}

static void
mail_fields(struct audit_mail *m, json_t *rec)
{
	json_t *src = json_object_get(rec, "source"), *v;
	size_t i;

	m->cert_id = dup_or_null(jget(rec, "certificate_id"));
	m->arn = dup_or_null(jget(rec, "certificate_arn"));
	m->cert = fold(m->cert_id ? m->cert_id : m->arn);
	m->account = dup_or_null(jget(rec, "account_id"));
	m->region = dup_or_null(jget(rec, "region"));
	m->domain = fold(jget(rec, "domain"));
	m->code = dup_or_null(jget(rec, "code"));
	m->date = dup_or_null(jget(rec, "date"));
	if (m->date && !acm_time_parse(m->date, &m->t)) {
		g_free(m->date);
		m->date = NULL;
	}
	m->to = g_ptr_array_new_with_free_func(g_free);
	json_array_foreach(json_object_get(rec, "to"), i, v)
		if (json_is_string(v))
			g_ptr_array_add(m->to, g_strdup(json_string_value(v)));
	m->path = g_strdup(jget(src, "path") ? jget(src, "path") : "-");
	m->entry = dup_or_null(jget(src, "entry"));
	v = json_object_get(src, "index");
	m->index = json_is_integer(v) ? (long)json_integer_value(v) : -1;
	v = json_object_get(src, "offset");
	m->offset = json_is_integer(v) ? json_integer_value(v) : -1;
	m->sha256 = dup_or_null(jget(rec, "sha256"));
	m->copy = json_is_true(json_object_get(rec, "copy"));

	/* the same bytes found twice are one mail */
	m->key = m->sha256 ? g_strdup(m->sha256) : g_strdup_printf("%s:%s#%ld",
	    m->path, m->entry ? m->entry : "", m->index);
}

void
audit_report_record(struct audit_report *r, json_t *rec)
{
	struct audit_mail *m = g_new0(struct audit_mail, 1);
	json_t *found = acm_check(r->pol, rec, r->now), *f;
	size_t i;

	mail_fields(m, rec);
	m->pass = acm_findings_pass(found);
	json_array_foreach(found, i, f) {
		struct audit_finding *af = g_new0(struct audit_finding, 1);
		bool fail = g_strcmp0(jget(f, "severity"), "fail") == 0;

		af->code = g_strdup(jget(f, "code") ? jget(f, "code") : "?");
		af->sev = fail ? audit_code_sev(af->code) : AUDIT_INFO;
		af->message = dup_or_null(jget(f, "message"));
		af->expected = dup_or_null(jget(f, "expected"));
		af->found = dup_or_null(jget(f, "found"));
		af->mail = m;
		if (fail && af->sev > m->worst)
			m->worst = af->sev;
		g_ptr_array_add(r->findings, af);
	}
	json_decref(found);
	g_ptr_array_add(r->mails, m);
}

void
audit_report_input(struct audit_report *r, const struct acm_input_stats *st,
    bool known)
{
	struct audit_input *in = g_new0(struct audit_input, 1);

	/* as libparse writes it into records: bad bytes become U+FFFD */
	in->path = g_utf8_make_valid(st->path ? st->path : "-", -1);
	in->known = known;
	in->bytes = st->bytes;
	in->messages = st->messages;
	in->records = st->records;
	in->errors = st->errors;
	in->warnings = st->warnings;
	in->sha256 = st->sha256[0] ? g_strdup(st->sha256) : NULL;
	g_ptr_array_add(r->inputs, in);
}

/* Comparisons: NULL sorts first, then bytes. */
static int
cmp_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_num(long long a, long long b)
{
	return (a > b) - (a < b);
}

static int
cmp_input(gconstpointer pa, gconstpointer pb)
{
	const struct audit_input *a = *(struct audit_input *const *)pa;
	const struct audit_input *b = *(struct audit_input *const *)pb;
	int c;

	if ((c = cmp_str(a->path, b->path)) != 0)
		return c;
	if ((c = (int)b->known - (int)a->known) != 0)
		return c;
	if ((c = cmp_str(a->sha256, b->sha256)) != 0)
		return c;
	if ((c = cmp_num(a->bytes, b->bytes)) != 0)
		return c;
	if ((c = cmp_num(a->messages, b->messages)) != 0)
		return c;
	if ((c = cmp_num(a->records, b->records)) != 0)
		return c;
	if ((c = cmp_num(a->errors, b->errors)) != 0)
		return c;
	return cmp_num(a->warnings, b->warnings);
}

/* Where a mail was found, then what it is: a total order. */
static int
cmp_mail(const struct audit_mail *a, const struct audit_mail *b)
{
	int c;

	if ((c = cmp_str(a->path, b->path)) != 0)
		return c;
	if ((c = cmp_str(a->entry, b->entry)) != 0)
		return c;
	if ((c = cmp_num(a->index, b->index)) != 0)
		return c;
	if ((c = cmp_num(a->offset, b->offset)) != 0)
		return c;
	if ((c = cmp_str(a->key, b->key)) != 0)
		return c;
	if ((c = cmp_str(a->cert, b->cert)) != 0)
		return c;
	if ((c = cmp_str(a->domain, b->domain)) != 0)
		return c;
	return cmp_str(a->code, b->code);
}

static int
cmp_mail_p(gconstpointer pa, gconstpointer pb)
{
	return cmp_mail(*(struct audit_mail *const *)pa,
	    *(struct audit_mail *const *)pb);
}

/* The worst first; then by code, where, and what it says. */
static int
cmp_finding(gconstpointer pa, gconstpointer pb)
{
	const struct audit_finding *a = *(struct audit_finding *const *)pa;
	const struct audit_finding *b = *(struct audit_finding *const *)pb;
	int c;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = cmp_mail(a->mail, b->mail)) != 0)
		return c;
	if ((c = cmp_str(a->message, b->message)) != 0)
		return c;
	if ((c = cmp_str(a->expected, b->expected)) != 0)
		return c;
	return cmp_str(a->found, b->found);
}

/* Records whose input no totals came for (acmextract without
   --inventory) still get an inventory row, with what is known. */
static void
inputs_from_records(struct audit_report *r)
{
	GHashTable *have = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *count = g_hash_table_new(g_str_hash, g_str_equal);
	GList *keys, *l;
	guint i;

	for (i = 0; i < r->inputs->len; i++) {
		struct audit_input *in = r->inputs->pdata[i];

		g_hash_table_add(have, in->path);
	}
	for (i = 0; i < r->mails->len; i++) {
		struct audit_mail *m = r->mails->pdata[i];
		guint n;

		if (g_hash_table_contains(have, m->path))
			continue;
		n = GPOINTER_TO_UINT(g_hash_table_lookup(count, m->path));
		g_hash_table_insert(count, m->path, GUINT_TO_POINTER(n + 1));
	}
	keys = g_hash_table_get_keys(count);
	for (l = keys; l; l = l->next) {
		struct acm_input_stats st = { .path = l->data };

		st.records = GPOINTER_TO_UINT(g_hash_table_lookup(count,
		    l->data));
		audit_report_input(r, &st, false);
	}
	g_list_free(keys);
	g_hash_table_destroy(count);
	g_hash_table_destroy(have);
}

/* Each mail once: failed when any copy of it failed. */
static void
merge_copies(struct audit_report *r)
{
	guint i;

	r->once = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    g_free);
	for (i = 0; i < r->mails->len; i++) {
		struct audit_mail *m = r->mails->pdata[i];
		struct audit_once *o = g_hash_table_lookup(r->once, m->key);

		if (o == NULL) {
			o = g_new0(struct audit_once, 1);
			g_hash_table_insert(r->once, m->key, o);
			r->distinct++;
		}
		if (!m->pass && (!o->failed || m->worst > o->worst))
			o->worst = m->worst;
		if (!m->pass && !o->failed) {
			o->failed = true;
			r->failed++;
		}
	}
}

void
audit_report_finish(struct audit_report *r)
{
	guint i;

	inputs_from_records(r);
	g_ptr_array_sort(r->inputs, cmp_input);
	g_ptr_array_sort(r->mails, cmp_mail_p);
	g_ptr_array_sort(r->findings, cmp_finding);

	for (i = 0; i < r->inputs->len; i++) {
		struct audit_input *in = r->inputs->pdata[i];

		r->messages += in->messages;
	}
	for (i = 0; i < r->findings->len; i++) {
		struct audit_finding *f = r->findings->pdata[i];

		r->by_sev[f->sev]++;
	}
	merge_copies(r);
	audit_group(r);
	audit_timeline(r);
}

bool
audit_report_fails(const struct audit_report *r)
{
	int s;

	for (s = r->fail_on; s < AUDIT_NEVER; s++)
		if (r->by_sev[s] > 0)
			return true;
	return false;
}
