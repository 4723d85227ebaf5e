/*
 * audit_text.c - the report for a terminal or a pager: sections in
 * capitals, tables aligned, everything within 80 columns but for
 * identifiers that must stay whole (ARNs, long paths).  Mail text goes
 * through safe_string(); colour, when asked for, marks only the words
 * this file writes itself.
 */
#include <string.h>

#include "audit_report.h"

#define WIDTH	80
#define BAR	40	/* the longest timeline bar */

struct out {
	FILE	*f;
	bool	 colour;
};

enum paint { BOLD, RED, YELLOW, CYAN, GREEN, DIM };

static const char *const sgr[] = { "1", "1;31", "33", "36", "32", "2" };

static void
paint(const struct out *o, enum paint p, const char *word)
{
	if (o->colour && word[0] != '\0')
		fprintf(o->f, "\033[%sm%s\033[0m", sgr[p], word);
	else
		fputs(word, o->f);
}

static void
heading(const struct out *o, const char *title, unsigned n, bool count)
{
	char *t = count ? g_strdup_printf("%s (%u)", title, n) :
	    g_strdup(title);

	fputc('\n', o->f);
	paint(o, BOLD, t);
	fputs("\n\n", o->f);
	g_free(t);
}

static enum paint
sev_paint(enum audit_sev s)
{
	switch (s) {
	case AUDIT_HIGH: return RED;
	case AUDIT_MEDIUM: return YELLOW;
	case AUDIT_LOW: return CYAN;
	default: return DIM;
	}
}

/* S (mail text) escaped, then padded to W columns. */
static void
cell(const struct out *o, const char *s, size_t w)
{
	char *e = safe_string(s ? s : "-");
	size_t n = audit_width(e);

	fputs(e, o->f);
	for (; n < w; n++)
		fputc(' ', o->f);
	g_free(e);
}

/*
 * TEXT (mail text) escaped and wrapped at WIDTH after INDENT spaces;
 * FIRST columns are taken on the first line already.
 */
static void
wrap(const struct out *o, const char *text, size_t indent, size_t first)
{
	char *e = safe_string(text ? text : "");
	char **words = g_strsplit(e, " ", -1);
	size_t col = first;
	int i;

	for (i = 0; words[i]; i++) {
		size_t w = audit_width(words[i]);

		if (col > indent && col + 1 + w > WIDTH) {
			fprintf(o->f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent || (i > 0 && col == indent &&
		    first > indent)) {
			fputc(' ', o->f);
			col++;
		}
		fputs(words[i], o->f);
		col += w;
	}
	fputc('\n', o->f);
	g_strfreev(words);
	g_free(e);
}

/* "  LABEL       a, b, c" wrapped under the values. */
static void
field_list(const struct out *o, const char *label, const GPtrArray *a)
{
	char *j;

	if (a->len == 0)
		return;
	j = audit_join(a, ", ");
	fprintf(o->f, "    %-11s ", label);
	wrap(o, j, 16, 16);
	g_free(j);
}

static void
header(const struct out *o, const struct audit_report *r)
{
	static const char *const kind[] = { "accounts", "domains",
		"regions", "certificates" };
	char *age = audit_age(r->max_age), *ses = audit_ses_names(r->ses);
	int k;

	paint(o, BOLD, "ACM VALIDATION MAIL AUDIT");
	fputs("\n\n", o->f);
	fprintf(o->f, "  as of %s; age rule %s; fails at %s or above\n",
	    r->now_s, age, audit_sev_name(r->fail_on));
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		if (r->expect[k] == NULL)
			continue;
		fprintf(o->f, "  expected %s: ", kind[k]);
		wrap(o, r->expect[k], 4, 13 + strlen(kind[k]));
	}
	if (ses[0])
		fprintf(o->f, "  SES verdicts required: %s\n", ses);
	if (r->dkim) {
		fputs("  DKIM signatures required: ", o->f);
		wrap(o, r->dkim, 4, 29);
	}
	if (r->sns)
		fputs("  SNS signatures required\n", o->f);
	g_free(age);
	g_free(ses);
}

static void
summary(const struct out *o, const struct audit_report *r)
{
	heading(o, "SUMMARY", 0, false);
	fprintf(o->f, "  %-18s %8u    %-18s %8llu\n", "inputs",
	    r->inputs->len, "messages read", (unsigned long long)r->messages);
	fprintf(o->f, "  %-18s %8u    %-18s %8u\n", "validation mails",
	    r->distinct, "failing a check", r->failed);
	fprintf(o->f, "  %-18s %8u    %-18s %8u\n", "accounts",
	    r->accounts->len, "domains", r->domains->len);
	fprintf(o->f, "  %-18s %8u    %u pass, %u fail, %u mixed\n",
	    "certificates", r->certs->len, r->verdicts[0], r->verdicts[1],
	    r->verdicts[2]);
	fprintf(o->f, "  %-18s %8u    %u high, %u medium, %u low, %u info\n",
	    "findings", r->findings->len, r->by_sev[AUDIT_HIGH],
	    r->by_sev[AUDIT_MEDIUM], r->by_sev[AUDIT_LOW],
	    r->by_sev[AUDIT_INFO]);
}

static const char *
plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

static void
inputs(const struct out *o, const struct audit_report *r)
{
	guint i;

	heading(o, "INPUTS", r->inputs->len, true);
	for (i = 0; i < r->inputs->len; i++) {
		const struct audit_input *in = r->inputs->pdata[i];
		unsigned long long n[5] = { in->bytes, in->messages,
		    in->records, in->errors, in->warnings };

		fputs("  ", o->f);
		cell(o, in->path, 0);
		fputc('\n', o->f);
		if (!in->known) {
			fprintf(o->f, "    no inventory line; %llu validation "
			    "mail%s in its records\n", n[2], plural(n[2]));
			continue;
		}
		fprintf(o->f, "    %llu byte%s, %llu message%s, %llu "
		    "validation mail%s, %llu error%s, %llu warning%s\n",
		    n[0], plural(n[0]), n[1], plural(n[1]), n[2],
		    plural(n[2]), n[3], plural(n[3]), n[4], plural(n[4]));
		if (in->sha256)
			fprintf(o->f, "    sha256 %s\n", in->sha256);
	}
}

static void
verdict(const struct out *o, const struct audit_row *w)
{
	const char *v = audit_verdict(w);
	char *up = g_ascii_strup(v, -1);

	paint(o, w->any_fail ? (w->failed == w->mails ? RED : YELLOW) : GREEN,
	    up);
	if (w->any_fail) {
		fputc(' ', o->f);
		paint(o, sev_paint(w->worst), audit_sev_name(w->worst));
	}
	g_free(up);
}

static void
certificates(const struct out *o, const struct audit_report *r)
{
	char d1[16], d2[16];
	guint i;

	heading(o, "CERTIFICATES", r->certs->len, true);
	for (i = 0; i < r->certs->len; i++) {
		const struct audit_row *w = r->certs->pdata[i];
		char *s;

		fputs("  ", o->f);
		cell(o, w->key, 38);
		verdict(o, w);
		fputc('\n', o->f);
		field_list(o, "account", w->accounts);
		field_list(o, "region", w->regions);
		field_list(o, "domains", w->domains);
		field_list(o, "recipients", w->recipients);
		s = g_strdup_printf("%u, %u resend%s; first %s, last %s",
		    w->mails, w->resends, plural(w->resends),
		    audit_day(w->first, d1), audit_day(w->last, d2));
		fprintf(o->f, "    %-11s %s\n", "mails", s);
		g_free(s);
		field_list(o, "arn", w->arns);
	}
}

/* Accounts and domains: one aligned line each. */
static void
groups(const struct out *o, const char *title, const char *col,
    const char *other, GPtrArray *rows, bool by_account)
{
	size_t kw = strlen(col);
	char d1[16], d2[16];
	guint i;

	heading(o, title, rows->len, true);
	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];
		char *e = safe_string(w->key);

		kw = MAX(kw, MIN(audit_width(e), 26));
		g_free(e);
	}
	fprintf(o->f, "  %-*s %5s %5s %8s %6s  %-10s  %s\n", (int)kw, col,
	    "CERTS", "MAILS", other, "FAILED", "FIRST", "LAST");
	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];
		char *e = safe_string(w->key);

		fputs("  ", o->f);
		if (audit_width(e) > kw)
			fprintf(o->f, "%s\n  %*s", e, (int)kw, "");
		else
			cell(o, w->key, kw);
		fprintf(o->f, " %5u %5u %8u %6u  %-10s  %s\n",
		    w->ids->len, w->mails, by_account ? w->domains->len :
		    w->accounts->len, w->failed, audit_day(w->first, d1),
		    audit_day(w->last, d2));
		g_free(e);
	}
}

static void
timeline(const struct out *o, const struct audit_report *r)
{
	unsigned most = 1;
	guint i;

	heading(o, "TIMELINE", 0, false);
	fprintf(o->f, "  validation mails per %s: # passed, ! failed", r->unit);
	if (r->undated)
		fprintf(o->f, "; %u undated", r->undated);
	fputs("\n\n", o->f);
	for (i = 0; i < r->timeline->len; i++)
		most = MAX(most, g_array_index(r->timeline,
		    struct audit_bucket, i).mails);
	for (i = 0; i < r->timeline->len; i++) {
		const struct audit_bucket *b = &g_array_index(r->timeline,
		    struct audit_bucket, i);
		unsigned len = (b->mails * BAR + most - 1) / most;
		unsigned bad = b->failed ? MAX(1u, b->failed * BAR / most) : 0;
		char good[BAR + 1], red[BAR + 1];

		bad = MIN(bad, len);
		memset(good, '#', len - bad);
		good[len - bad] = '\0';
		memset(red, '!', bad);
		red[bad] = '\0';
		fprintf(o->f, "  %-10s %5u%s", b->label, b->mails,
		    len ? "  " : "");
		paint(o, GREEN, good);
		paint(o, RED, red);
		fputc('\n', o->f);
	}
}

static void
findings(const struct out *o, const struct audit_report *r)
{
	guint i;

	heading(o, "FINDINGS", r->findings->len, true);
	for (i = 0; i < r->findings->len; i++) {
		const struct audit_finding *f = r->findings->pdata[i];
		const struct audit_mail *m = f->mail;
		char *up = g_ascii_strup(audit_sev_name(f->sev), -1);
		char *where = audit_where(m);

		fputs("  ", o->f);
		paint(o, sev_paint(f->sev), up);
		fprintf(o->f, "%*s", (int)(7 - strlen(up)), "");
		cell(o, f->code, 0);
		fputs("  ", o->f);
		cell(o, where, 0);
		if (m->offset >= 0)
			fprintf(o->f, " (byte %lld)", m->offset);
		fputs("\n    ", o->f);
		wrap(o, f->message, 4, 4);
		if (m->cert || m->domain) {
			char *s = g_strdup_printf("certificate %s, domain %s",
			    m->cert ? m->cert : "-",
			    m->domain ? m->domain : "-");

			fputs("    ", o->f);
			wrap(o, s, 4, 4);
			g_free(s);
		}
		if (m->sha256) {
			fputs("    sha256 ", o->f);
			cell(o, m->sha256, 0);
			fputc('\n', o->f);
		}
		g_free(where);
		g_free(up);
	}
}

void
audit_write_text(const struct audit_report *r, FILE *f, bool colour)
{
	struct out o = { f, colour };

	header(&o, r);
	summary(&o, r);
	certificates(&o, r);
	groups(&o, "ACCOUNTS", "ACCOUNT", "DOMAINS", r->accounts, true);
	groups(&o, "DOMAINS", "DOMAIN", "ACCOUNTS", r->domains, false);
	timeline(&o, r);
	findings(&o, r);
	/* last: over a big archive the list is long, and the reader
	 * wants the findings before the evidence of what was read */
	inputs(&o, r);
}
