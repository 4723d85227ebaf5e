/*
 * audit_md.c - the report in Markdown (GitHub flavour), for a ticket or
 * a wiki page: a heading per section, GFM tables, the timeline as a
 * bar chart in a code block.  Mail text goes through audit_md(), so it
 * renders as plain text: no HTML, no emphasis, no live link.
 */
#include "audit_report.h"

static void
put(FILE *f, const char *s)
{
	char *e = audit_md(s ? s : "-");

	fputs(e, f);
	g_free(e);
}

static void
putl(FILE *f, const GPtrArray *a)
{
	char *j = audit_join(a, ", ");

	put(f, a->len ? j : NULL);
	g_free(j);
}

static void
header(FILE *f, const struct audit_report *r)
{
	static const char *const kind[] = { "accounts", "domains",
		"regions", "certificates" };
	char *age = audit_age(r->max_age), *ses = audit_ses_names(r->ses);
	int k;

	fputs("# ACM validation mail audit\n\n", f);
	fprintf(f, "As of %s; age rule %s; fails at %s or above.\n",
	    r->now_s, age, audit_sev_name(r->fail_on));
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		if (r->expect[k] == NULL)
			continue;
		fprintf(f, "Expected %s: ", kind[k]);
		put(f, r->expect[k]);
		fputs(".\n", f);
	}
	if (ses[0])
		fprintf(f, "SES verdicts required: %s.\n", ses);
	if (r->dkim) {
		fputs("DKIM signatures required: ", f);
		put(f, r->dkim);
		fputs(".\n", f);
	}
	if (r->sns)
		fputs("SNS signatures required.\n", f);
	g_free(age);
	g_free(ses);

	fputs("\n## Summary\n\n| | |\n|---|--:|\n", f);
	fprintf(f, "| inputs | %u |\n| messages read | %llu |\n"
	    "| validation mails | %u |\n| failing a check | %u |\n"
	    "| certificates | %u |\n| accounts | %u |\n| domains | %u |\n",
	    r->inputs->len, (unsigned long long)r->messages, r->distinct,
	    r->failed, r->certs->len, r->accounts->len, r->domains->len);
	fprintf(f, "| certificate verdicts | %u pass, %u fail, %u mixed |\n",
	    r->verdicts[0], r->verdicts[1], r->verdicts[2]);
	fprintf(f, "| findings | %u high, %u medium, %u low, %u info |\n",
	    r->by_sev[AUDIT_HIGH], r->by_sev[AUDIT_MEDIUM],
	    r->by_sev[AUDIT_LOW], r->by_sev[AUDIT_INFO]);
}

static void
inputs(FILE *f, const struct audit_report *r)
{
	guint i;

	fputs("\n## Inputs\n\n| path | bytes | messages | validation mails "
	    "| errors | warnings | sha256 |\n"
	    "|---|--:|--:|--:|--:|--:|---|\n", f);
	for (i = 0; i < r->inputs->len; i++) {
		const struct audit_input *in = r->inputs->pdata[i];

		fputs("| ", f);
		put(f, in->path);
		if (in->known)
			fprintf(f, " | %llu | %llu | %llu | %llu | %llu | ",
			    (unsigned long long)in->bytes,
			    (unsigned long long)in->messages,
			    (unsigned long long)in->records,
			    (unsigned long long)in->errors,
			    (unsigned long long)in->warnings);
		else
			fprintf(f, " | - | - | %llu | - | - | ",
			    (unsigned long long)in->records);
		put(f, in->sha256);
		fputs(" |\n", f);
	}
}

static void
verdict(FILE *f, const struct audit_row *w)
{
	fprintf(f, " | %u | %u | %s%s%s |\n", w->mails, w->failed,
	    audit_verdict(w), w->any_fail ? " " : "",
	    w->any_fail ? audit_sev_name(w->worst) : "");
}

static void
certificates(FILE *f, const struct audit_report *r)
{
	guint i;

	fputs("\n## Certificates\n\n| certificate | account | region | "
	    "domains | recipients | first | last | resends | mails | failed "
	    "| verdict |\n|---|---|---|---|---|---|---|--:|--:|--:|---|\n",
	    f);
	for (i = 0; i < r->certs->len; i++) {
		const struct audit_row *w = r->certs->pdata[i];

		fputs("| ", f);
		put(f, w->arns->len == 1 ? w->arns->pdata[0] : w->key);
		fputs(" | ", f);
		putl(f, w->accounts);
		fputs(" | ", f);
		putl(f, w->regions);
		fputs(" | ", f);
		putl(f, w->domains);
		fputs(" | ", f);
		putl(f, w->recipients);
		fputs(" | ", f);
		put(f, w->first);
		fputs(" | ", f);
		put(f, w->last);
		fprintf(f, " | %u", w->resends);
		verdict(f, w);
	}
}

static void
groups(FILE *f, const char *title, const GPtrArray *rows, bool by_account)
{
	guint i;

	fprintf(f, "\n## %s\n\n| %s | certificates | %s | first | last | "
	    "mails | failed | verdict |\n|---|--:|--:|---|---|--:|--:|---|\n",
	    title, by_account ? "account" : "domain",
	    by_account ? "domains" : "accounts");
	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];

		fputs("| ", f);
		put(f, w->key);
		fprintf(f, " | %u | %u | ", w->ids->len, by_account ?
		    w->domains->len : w->accounts->len);
		put(f, w->first);
		fputs(" | ", f);
		put(f, w->last);
		verdict(f, w);
	}
}

static void
timeline(FILE *f, const struct audit_report *r)
{
	unsigned most = 1;
	guint i;

	fprintf(f, "\n## Timeline\n\nValidation mails per %s (`#` passed, "
	    "`!` failed)", r->unit);
	if (r->undated)
		fprintf(f, "; %u undated", r->undated);
	fputs(".\n\n```\n", f);
	for (i = 0; i < r->timeline->len; i++)
		most = MAX(most, g_array_index(r->timeline,
		    struct audit_bucket, i).mails);
	for (i = 0; i < r->timeline->len; i++) {
		const struct audit_bucket *b = &g_array_index(r->timeline,
		    struct audit_bucket, i);
		unsigned len = (b->mails * 40 + most - 1) / most;
		unsigned bad = b->failed ? MAX(1u, b->failed * 40 / most) : 0;
		unsigned k;

		bad = MIN(bad, len);
		fprintf(f, "%-10s %5u  ", b->label, b->mails);
		for (k = 0; k < len; k++)
			fputc(k < len - bad ? '#' : '!', f);
		fputc('\n', f);
	}
	fputs("```\n", f);
}

static void
findings(FILE *f, const struct audit_report *r)
{
	guint i;

	fputs("\n## Findings\n\n| severity | code | finding | certificate | "
	    "domain | where | byte | sha256 |\n"
	    "|---|---|---|---|---|---|--:|---|\n", f);
	for (i = 0; i < r->findings->len; i++) {
		const struct audit_finding *fd = r->findings->pdata[i];
		const struct audit_mail *m = fd->mail;
		char *where = audit_where(m);

		fprintf(f, "| %s | ", audit_sev_name(fd->sev));
		put(f, fd->code);
		fputs(" | ", f);
		put(f, fd->message);
		fputs(" | ", f);
		put(f, m->cert);
		fputs(" | ", f);
		put(f, m->domain);
		fputs(" | ", f);
		put(f, where);
		if (m->offset >= 0)
			fprintf(f, " | %lld | ", m->offset);
		else
			fputs(" | - | ", f);
		put(f, m->sha256);
		fputs(" |\n", f);
		g_free(where);
	}
}

void
audit_write_md(const struct audit_report *r, FILE *f)
{
	header(f, r);
	certificates(f, r);
	groups(f, "Accounts", r->accounts, true);
	groups(f, "Domains", r->domains, false);
	timeline(f, r);
	findings(f, r);
	inputs(f, r);		/* last, as in the text report */
}
