/*
 * audit_json.c - the report as one JSON document, for programs.  Mail
 * text is kept as it was (JSON escapes it, and everything outside ASCII
 * is written as \u escapes, so no raw control character or
 * bidirectional override reaches the output).  Keys are written in the
 * order they are set, and unknown values are null, never made up.
 */
#include "audit_report.h"

/* A file name need not be UTF-8: its bad bytes are written \xNN. */
static json_t *
str(const char *s)
{
	char *e;
	json_t *j;

	if (s == NULL)
		return json_null();
	if (g_utf8_validate(s, -1, NULL))
		return json_string(s);
	e = safe_string(s);
	j = json_string(e);
	g_free(e);
	return j;
}

static json_t *
strs(const GPtrArray *a)
{
	json_t *j = json_array();
	guint i;

	for (i = 0; a && i < a->len; i++)
		json_array_append_new(j, str(a->pdata[i]));
	return j;
}

static json_t *
settings(const struct audit_report *r)
{
	static const char *const kind[] = { "accounts", "domains",
		"regions", "certificates" };
	json_t *o = json_object(), *exp = json_object();
	char *ses = audit_ses_names(r->ses);
	int k;

	json_object_set_new(o, "now", json_string(r->now_s));
	json_object_set_new(o, "max_age_seconds", r->max_age > 0 ?
	    json_integer(r->max_age) : json_null());
	json_object_set_new(o, "fail_on", json_string(audit_sev_name(
	    r->fail_on)));
	json_object_set_new(o, "require_ses", json_string(ses));
	json_object_set_new(o, "require_dkim", str(r->dkim));
	json_object_set_new(o, "require_sns_signature", json_boolean(r->sns));
	for (k = 0; k < ACM_EXPECT_COUNT; k++)
		json_object_set_new(exp, kind[k], str(r->expect[k]));
	json_object_set_new(o, "expected", exp);
	g_free(ses);
	return o;
}

static json_t *
summary(const struct audit_report *r)
{
	json_t *sev = json_object();
	int s;

	for (s = AUDIT_HIGH; s >= AUDIT_INFO; s--)
		json_object_set_new(sev, audit_sev_name(s),
		    json_integer(r->by_sev[s]));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:{s:I, s:I, s:I}, s:o, s:b}",
	    "inputs", (json_int_t)r->inputs->len,
	    "messages", (json_int_t)r->messages,
	    "validation_mails", (json_int_t)r->distinct,
	    "failed_mails", (json_int_t)r->failed,
	    "records", (json_int_t)r->mails->len,
	    "certificates", (json_int_t)r->certs->len,
	    "accounts", (json_int_t)r->accounts->len,
	    "domains", (json_int_t)r->domains->len,
	    "verdicts", "pass", (json_int_t)r->verdicts[0],
	    "fail", (json_int_t)r->verdicts[1],
	    "mixed", (json_int_t)r->verdicts[2],
	    "findings", sev,
	    "fails", audit_report_fails(r));
}

static json_t *
inputs(const struct audit_report *r)
{
	json_t *a = json_array();
	guint i;

	for (i = 0; i < r->inputs->len; i++) {
		const struct audit_input *in = r->inputs->pdata[i];
		json_t *o = json_object();

		json_object_set_new(o, "path", str(in->path));
		json_object_set_new(o, "inventory", json_boolean(in->known));
		json_object_set_new(o, "bytes", in->known ?
		    json_integer(in->bytes) : json_null());
		json_object_set_new(o, "sha256", str(in->sha256));
		json_object_set_new(o, "messages", in->known ?
		    json_integer(in->messages) : json_null());
		json_object_set_new(o, "validation_mails",
		    json_integer(in->records));
		json_object_set_new(o, "errors", in->known ?
		    json_integer(in->errors) : json_null());
		json_object_set_new(o, "warnings", in->known ?
		    json_integer(in->warnings) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
row_common(const struct audit_row *w)
{
	json_t *o = json_object();

	json_object_set_new(o, "first", str(w->first));
	json_object_set_new(o, "last", str(w->last));
	json_object_set_new(o, "mails", json_integer(w->mails));
	json_object_set_new(o, "failed_mails", json_integer(w->failed));
	json_object_set_new(o, "verdict", json_string(audit_verdict(w)));
	json_object_set_new(o, "worst", w->any_fail ?
	    json_string(audit_sev_name(w->worst)) : json_null());
	return o;
}

static json_t *
certificates(const struct audit_report *r)
{
	json_t *a = json_array();
	guint i;

	for (i = 0; i < r->certs->len; i++) {
		const struct audit_row *w = r->certs->pdata[i];
		json_t *o = json_object(), *c;

		json_object_set_new(o, "certificate", str(w->key));
		json_object_set_new(o, "arns", strs(w->arns));
		json_object_set_new(o, "accounts", strs(w->accounts));
		json_object_set_new(o, "regions", strs(w->regions));
		json_object_set_new(o, "domains", strs(w->domains));
		json_object_set_new(o, "recipients", strs(w->recipients));
		json_object_set_new(o, "resends", json_integer(w->resends));
		c = row_common(w);
		json_object_update(o, c);
		json_decref(c);
		json_array_append_new(a, o);
	}
	return a;
}

/* Accounts (BY_ACCOUNT) or domains. */
static json_t *
groups(const GPtrArray *rows, bool by_account)
{
	json_t *a = json_array();
	guint i;

	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];
		json_t *o = json_object(), *c = row_common(w);

		json_object_set_new(o, by_account ? "account" : "domain",
		    str(w->key));
		json_object_set_new(o, "certificates", strs(w->ids));
		json_object_set_new(o, by_account ? "domains" : "accounts",
		    strs(by_account ? w->domains : w->accounts));
		json_object_set_new(o, "regions", strs(w->regions));
		json_object_update(o, c);
		json_decref(c);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
timeline(const struct audit_report *r)
{
	json_t *a = json_array();
	guint i;

	for (i = 0; i < r->timeline->len; i++) {
		const struct audit_bucket *b = &g_array_index(r->timeline,
		    struct audit_bucket, i);

		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I}",
		    "period", b->label, "start", b->start,
		    "mails", (json_int_t)b->mails,
		    "failed_mails", (json_int_t)b->failed));
	}
	return json_pack("{s:s, s:I, s:o}", "unit", r->unit,
	    "undated", (json_int_t)r->undated, "buckets", a);
}

static json_t *
findings(const struct audit_report *r)
{
	json_t *a = json_array();
	guint i;

	for (i = 0; i < r->findings->len; i++) {
		const struct audit_finding *f = r->findings->pdata[i];
		const struct audit_mail *m = f->mail;
		json_t *o = json_object();

		json_object_set_new(o, "severity", json_string(
		    audit_sev_name(f->sev)));
		json_object_set_new(o, "code", str(f->code));
		json_object_set_new(o, "message", str(f->message));
		json_object_set_new(o, "expected", str(f->expected));
		json_object_set_new(o, "found", str(f->found));
		json_object_set_new(o, "certificate", str(m->cert));
		json_object_set_new(o, "account", str(m->account));
		json_object_set_new(o, "domain", str(m->domain));
		json_object_set_new(o, "date", str(m->date));
		json_object_set_new(o, "source", json_pack("{s:o, s:o, s:o, "
		    "s:o}", "path", str(m->path), "entry", str(m->entry),
		    "index", m->index >= 0 ? json_integer(m->index) :
		    json_null(), "offset", m->offset >= 0 ?
		    json_integer(m->offset) : json_null()));
		json_object_set_new(o, "copy", json_boolean(m->copy));
		json_object_set_new(o, "sha256", str(m->sha256));
		json_array_append_new(a, o);
	}
	return a;
}

/* Severities of the reason codes, so that a reader needs no manual. */
static json_t *
severities(void)
{
	json_t *o = json_object();
	int c;

	for (c = 0; c < ACM_R_COUNT; c++) {
		const char *name = acm_reason_name(c);

		json_object_set_new(o, name, json_string(audit_sev_name(
		    audit_code_sev(name))));
	}
	return o;
}

void
audit_write_json(const struct audit_report *r, FILE *f)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "report", json_string("acmaudit"));
	json_object_set_new(doc, "version", json_string(ACM_VERSION));
	json_object_set_new(doc, "settings", settings(r));
	json_object_set_new(doc, "summary", summary(r));
	json_object_set_new(doc, "inputs", inputs(r));
	json_object_set_new(doc, "certificates", certificates(r));
	json_object_set_new(doc, "accounts", groups(r->accounts, true));
	json_object_set_new(doc, "domains", groups(r->domains, false));
	json_object_set_new(doc, "timeline", timeline(r));
	json_object_set_new(doc, "findings", findings(r));
	json_object_set_new(doc, "severities", severities());
	json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', f);
	json_decref(doc);
}
