/*
 * audit_csv.c - the report as one RFC 4180 table for a spreadsheet.
 *
 * RFC 4180 wants the same number of fields in every record, and the
 * report has several tables, so each row starts with the name of its
 * section and every row is padded to the widest: a header row, whose
 * first cell is "section", names the columns of the rows below it.
 * Filtering the first column gives any one table back.  Lines end in
 * CRLF; cells are quoted when they must be; no cell starts a formula.
 */
#include <stdarg.h>

#include "audit_report.h"

#define COLUMNS	14	/* section + the widest table (findings) */

struct csv {
	FILE	*f;
	int	 n;	/* cells in the current row */
};

static void
put(struct csv *c, const char *s)
{
	char *e = audit_csv_cell(s);

	if (c->n++ > 0)
		fputc(',', c->f);
	fputs(e, c->f);
	g_free(e);
}

static void
putu(struct csv *c, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	put(c, buf);
}

static void
putl(struct csv *c, const GPtrArray *a)
{
	char *j = audit_join(a, " ");

	put(c, j);
	g_free(j);
}

static void
end(struct csv *c)
{
	while (c->n < COLUMNS)
		put(c, "");
	fputs("\r\n", c->f);
	c->n = 0;
}

/* A header row: "section" and the column names, NULL-terminated. */
static void
head(struct csv *c, const char *first, ...)
{
	const char *s;
	va_list ap;

	put(c, "section");
	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *))
		put(c, s);
	va_end(ap);
	end(c);
}

static void
settings(struct csv *c, const struct audit_report *r)
{
	static const char *const kind[] = { "expected accounts",
		"expected domains", "expected regions",
		"expected certificates" };
	char *age = audit_age(r->max_age), *ses = audit_ses_names(r->ses);
	int k;

	head(c, "setting", "value", NULL);
	put(c, "setting"); put(c, "now"); put(c, r->now_s); end(c);
	put(c, "setting"); put(c, "max age"); put(c, age); end(c);
	put(c, "setting"); put(c, "fail on");
	put(c, audit_sev_name(r->fail_on)); end(c);
	put(c, "setting"); put(c, "require ses"); put(c, ses); end(c);
	put(c, "setting"); put(c, "require dkim"); put(c, r->dkim); end(c);
	put(c, "setting"); put(c, "require sns signature");
	put(c, r->sns ? "yes" : "no"); end(c);
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		if (r->expect[k] == NULL)
			continue;
		put(c, "setting"); put(c, kind[k]); put(c, r->expect[k]);
		end(c);
	}
	g_free(age);
	g_free(ses);
}

static void
inputs(struct csv *c, const struct audit_report *r)
{
	guint i;

	head(c, "path", "inventory", "bytes", "sha256", "messages",
	    "validation_mails", "errors", "warnings", NULL);
	for (i = 0; i < r->inputs->len; i++) {
		const struct audit_input *in = r->inputs->pdata[i];

		put(c, "input");
		put(c, in->path);
		put(c, in->known ? "yes" : "no");
		if (in->known)
			putu(c, in->bytes);
		else
			put(c, "");
		put(c, in->sha256);
		if (in->known)
			putu(c, in->messages);
		else
			put(c, "");
		putu(c, in->records);
		if (in->known) {
			putu(c, in->errors);
			putu(c, in->warnings);
		}
		end(c);
	}
}

static void
verdict(struct csv *c, const struct audit_row *w)
{
	putu(c, w->mails);
	putu(c, w->failed);
	put(c, audit_verdict(w));
	put(c, w->any_fail ? audit_sev_name(w->worst) : "");
}

static void
certificates(struct csv *c, const struct audit_report *r)
{
	guint i;

	head(c, "certificate", "arn", "account", "region", "domains",
	    "recipients", "first", "last", "resends", "mails",
	    "failed_mails", "verdict", "worst", NULL);
	for (i = 0; i < r->certs->len; i++) {
		const struct audit_row *w = r->certs->pdata[i];

		put(c, "certificate");
		put(c, w->key);
		putl(c, w->arns);
		putl(c, w->accounts);
		putl(c, w->regions);
		putl(c, w->domains);
		putl(c, w->recipients);
		put(c, w->first);
		put(c, w->last);
		putu(c, w->resends);
		verdict(c, w);
		end(c);
	}
}

static void
groups(struct csv *c, const GPtrArray *rows, bool by_account)
{
	const char *name = by_account ? "account" : "domain";
	guint i;

	head(c, name, "certificates", by_account ? "domains" : "accounts",
	    "regions", "first", "last", "mails", "failed_mails", "verdict",
	    "worst", NULL);
	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];

		put(c, name);
		put(c, w->key);
		putl(c, w->ids);
		putl(c, by_account ? w->domains : w->accounts);
		putl(c, w->regions);
		put(c, w->first);
		put(c, w->last);
		verdict(c, w);
		end(c);
	}
}

static void
timeline(struct csv *c, const struct audit_report *r)
{
	guint i;

	head(c, r->unit, "start", "mails", "failed_mails", NULL);
	for (i = 0; i < r->timeline->len; i++) {
		const struct audit_bucket *b = &g_array_index(r->timeline,
		    struct audit_bucket, i);

		put(c, "timeline");
		put(c, b->label);
		put(c, b->start);
		putu(c, b->mails);
		putu(c, b->failed);
		end(c);
	}
}

static void
findings(struct csv *c, const struct audit_report *r)
{
	guint i;

	head(c, "severity", "code", "message", "expected", "found",
	    "certificate", "account", "domain", "path", "entry", "index",
	    "offset", "sha256", NULL);
	for (i = 0; i < r->findings->len; i++) {
		const struct audit_finding *f = r->findings->pdata[i];
		const struct audit_mail *m = f->mail;

		put(c, "finding");
		put(c, audit_sev_name(f->sev));
		put(c, f->code);
		put(c, f->message);
		put(c, f->expected);
		put(c, f->found);
		put(c, m->cert);
		put(c, m->account);
		put(c, m->domain);
		put(c, m->path);
		put(c, m->entry);
		if (m->index >= 0)
			putu(c, (unsigned long long)m->index);
		else
			put(c, "");
		if (m->offset >= 0)
			putu(c, (unsigned long long)m->offset);
		else
			put(c, "");
		put(c, m->sha256);
		end(c);
	}
}

void
audit_write_csv(const struct audit_report *r, FILE *f)
{
	struct csv c = { f, 0 };

	settings(&c, r);
	inputs(&c, r);
	certificates(&c, r);
	groups(&c, r->accounts, true);
	groups(&c, r->domains, false);
	timeline(&c, r);
	findings(&c, r);
}
