/*
 * audit_html.c - the report as one self-contained HTML file to hand to
 * someone: inline CSS, the timeline as inline SVG, nothing fetched,
 * no script.  Every string from a mail or a file name goes through
 * audit_html(); a Content-Security-Policy that allows no script and
 * no outside resource stands behind the escaping, and no mail text
 * becomes a link.
 */
#include "audit_report.h"

static const char style[] =
"body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:84em;"
"padding:0 1em;color:#1d1d1f;background:#fff}\n"
"h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;"
"border-bottom:1px solid #ccc;padding-bottom:.2em}\n"
"table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
"th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;"
"vertical-align:top}\ntd{overflow-wrap:anywhere}\n"
"th{background:#f2f2f4;white-space:nowrap}"
"td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}\n"
"code{font:12px ui-monospace,monospace;overflow-wrap:anywhere}\n"
".high{color:#b00020;font-weight:bold}.medium{color:#9a5b00;"
"font-weight:bold}.low{color:#00658f}.info{color:#666}\n"
".pass{color:#1b7f3b;font-weight:bold}.fail{color:#b00020;"
"font-weight:bold}.mixed{color:#9a5b00;font-weight:bold}\n"
".meta{color:#555}svg{max-width:100%;height:auto}\n"
"tr.arn td{border-top:0;padding-top:0;color:#555}\n";

#define UNKNOWN	"<td class=\"n\">-</td>"

static void
put(FILE *f, const char *s)
{
	char *e = audit_html(s ? s : "-");

	fputs(e, f);
	g_free(e);
}

static void
putl(FILE *f, const GPtrArray *a)
{
	guint i;

	if (a->len == 0)
		fputs("-", f);
	for (i = 0; i < a->len; i++) {
		if (i > 0)
			fputs("<br>", f);
		put(f, a->pdata[i]);
	}
}

/* <td>S</td>, S escaped; CLASS may be NULL. */
static void
td(FILE *f, const char *cls, const char *s)
{
	if (cls)
		fprintf(f, "<td class=\"%s\">", cls);
	else
		fputs("<td>", f);
	put(f, s);
	fputs("</td>", f);
}

static void
tdn(FILE *f, unsigned long long n)
{
	fprintf(f, "<td class=\"n\">%llu</td>", n);
}

static void
header(FILE *f, const struct audit_report *r)
{
	static const char *const kind[] = { "accounts", "domains",
		"regions", "certificates" };
	char *age = audit_age(r->max_age), *ses = audit_ses_names(r->ses);
	int k;

	fputs("<h1>ACM validation mail audit</h1>\n<p class=\"meta\">", f);
	fprintf(f, "As of %s; age rule %s; fails at %s or above.", r->now_s,
	    age, audit_sev_name(r->fail_on));
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		if (r->expect[k] == NULL)
			continue;
		fprintf(f, "<br>Expected %s: ", kind[k]);
		put(f, r->expect[k]);
	}
	if (ses[0])
		fprintf(f, "<br>SES verdicts required: %s.", ses);
	if (r->dkim) {
		fputs("<br>DKIM signatures required: ", f);
		put(f, r->dkim);
		fputc('.', f);
	}
	if (r->sns)
		fputs("<br>SNS signatures required.", f);
	fputs("</p>\n", f);
	g_free(age);
	g_free(ses);
}

static void
summary(FILE *f, const struct audit_report *r)
{
	fputs("<h2 id=\"summary\">Summary</h2>\n<table>\n", f);
	fprintf(f, "<tr><th>inputs</th><td class=\"n\">%u</td>"
	    "<th>messages read</th><td class=\"n\">%llu</td></tr>\n",
	    r->inputs->len, (unsigned long long)r->messages);
	fprintf(f, "<tr><th>validation mails</th><td class=\"n\">%u</td>"
	    "<th>failing a check</th><td class=\"n\">%u</td></tr>\n",
	    r->distinct, r->failed);
	fprintf(f, "<tr><th>accounts</th><td class=\"n\">%u</td>"
	    "<th>domains</th><td class=\"n\">%u</td></tr>\n",
	    r->accounts->len, r->domains->len);
	fprintf(f, "<tr><th>certificates</th><td class=\"n\">%u</td>"
	    "<td colspan=\"2\"><span class=\"pass\">%u pass</span>, "
	    "<span class=\"fail\">%u fail</span>, <span class=\"mixed\">"
	    "%u mixed</span></td></tr>\n", r->certs->len, r->verdicts[0],
	    r->verdicts[1], r->verdicts[2]);
	fprintf(f, "<tr><th>findings</th><td class=\"n\">%u</td>"
	    "<td colspan=\"2\"><span class=\"high\">%u high</span>, "
	    "<span class=\"medium\">%u medium</span>, <span class=\"low\">"
	    "%u low</span>, <span class=\"info\">%u info</span></td></tr>\n"
	    "</table>\n", r->findings->len, r->by_sev[AUDIT_HIGH],
	    r->by_sev[AUDIT_MEDIUM], r->by_sev[AUDIT_LOW],
	    r->by_sev[AUDIT_INFO]);
}

static void
inputs(FILE *f, const struct audit_report *r)
{
	guint i;

	fprintf(f, "<h2 id=\"inputs\">Inputs (%u)</h2>\n<table>\n<tr>"
	    "<th>path</th><th>bytes</th><th>messages</th><th>validation "
	    "mails</th><th>errors</th><th>warnings</th><th>sha256</th></tr>\n",
	    r->inputs->len);
	for (i = 0; i < r->inputs->len; i++) {
		const struct audit_input *in = r->inputs->pdata[i];

		fputs("<tr>", f);
		td(f, NULL, in->path);
		if (in->known) {
			tdn(f, in->bytes);
			tdn(f, in->messages);
			tdn(f, in->records);
			tdn(f, in->errors);
			tdn(f, in->warnings);
		} else {
			fputs(UNKNOWN UNKNOWN, f);
			tdn(f, in->records);
			fputs(UNKNOWN UNKNOWN, f);
		}
		fputs("<td><code>", f);
		put(f, in->sha256);
		fputs("</code></td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
verdict(FILE *f, const struct audit_row *w)
{
	const char *v = audit_verdict(w);

	tdn(f, w->mails);
	tdn(f, w->failed);
	fprintf(f, "<td class=\"d\"><span class=\"%s\">%s</span>", v, v);
	if (w->any_fail)
		fprintf(f, " <span class=\"%s\">%s</span>",
		    audit_sev_name(w->worst), audit_sev_name(w->worst));
	fputs("</td></tr>\n", f);
}

static void
certificates(FILE *f, const struct audit_report *r)
{
	guint i;

	fprintf(f, "<h2 id=\"certificates\">Certificates (%u)</h2>\n<table>\n"
	    "<tr><th>certificate</th><th>account</th><th>region</th>"
	    "<th>domains</th><th>recipients</th><th>first and last mail</th>"
	    "<th>resends</th><th>mails</th><th>failed</th><th>verdict</th>"
	    "</tr>\n", r->certs->len);
	for (i = 0; i < r->certs->len; i++) {
		const struct audit_row *w = r->certs->pdata[i];

		fputs("<tr><td class=\"d\"><code>", f);
		put(f, w->key);
		fputs("</code></td><td class=\"d\">", f);
		putl(f, w->accounts);
		fputs("</td><td class=\"d\">", f);
		putl(f, w->regions);
		fputs("</td><td>", f);
		putl(f, w->domains);
		fputs("</td><td>", f);
		putl(f, w->recipients);
		fputs("</td><td class=\"d\">", f);
		put(f, w->first);
		fputs("<br>", f);
		put(f, w->last);
		fputs("</td>", f);
		tdn(f, w->resends);
		verdict(f, w);
		if (w->arns->len == 0)
			continue;
		fputs("<tr class=\"arn\"><td colspan=\"10\"><code>", f);
		putl(f, w->arns);
		fputs("</code></td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void
groups(FILE *f, const char *title, const GPtrArray *rows, bool by_account)
{
	guint i;

	fprintf(f, "<h2 id=\"%s\">%s (%u)</h2>\n<table>\n<tr><th>%s</th>"
	    "<th>certificates</th><th>%s</th><th>first mail</th>"
	    "<th>last mail</th><th>mails</th><th>failed</th><th>verdict</th>"
	    "</tr>\n", by_account ? "accounts" : "domains", title, rows->len,
	    by_account ? "account" : "domain",
	    by_account ? "domains" : "accounts");
	for (i = 0; i < rows->len; i++) {
		const struct audit_row *w = rows->pdata[i];

		fputs("<tr>", f);
		td(f, NULL, w->key);
		tdn(f, w->ids->len);
		tdn(f, by_account ? w->domains->len : w->accounts->len);
		td(f, "d", w->first);
		td(f, "d", w->last);
		verdict(f, w);
	}
	fputs("</table>\n", f);
}

static void
findings(FILE *f, const struct audit_report *r)
{
	guint i;

	fprintf(f, "<h2 id=\"findings\">Findings (%u)</h2>\n<table>\n<tr>"
	    "<th>severity</th><th>code</th><th>finding</th><th>certificate "
	    "and domain</th><th>where</th><th>sha256</th></tr>\n",
	    r->findings->len);
	for (i = 0; i < r->findings->len; i++) {
		const struct audit_finding *fd = r->findings->pdata[i];
		const struct audit_mail *m = fd->mail;
		char *where = audit_where(m);

		fputs("<tr>", f);
		td(f, audit_sev_name(fd->sev), audit_sev_name(fd->sev));
		td(f, "d", fd->code);
		td(f, NULL, fd->message);
		fputs("<td><code>", f);
		put(f, m->cert);
		fputs("</code><br>", f);
		put(f, m->domain);
		fputs("</td><td>", f);
		put(f, where);
		if (m->offset >= 0)
			fprintf(f, "<br>byte %lld", m->offset);
		fputs("</td><td><code>", f);
		put(f, m->sha256);
		fputs("</code></td></tr>\n", f);
		g_free(where);
	}
	fputs("</table>\n", f);
}

void
audit_write_html(const struct audit_report *r, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n", f);
	fprintf(f, "<title>ACM validation mail audit, %s</title>\n", r->now_s);
	fprintf(f, "<style>\n%s</style>\n</head>\n<body>\n", style);
	header(f, r);
	summary(f, r);
	certificates(f, r);
	groups(f, "Accounts", r->accounts, true);
	groups(f, "Domains", r->domains, false);
	fprintf(f, "<h2 id=\"timeline\">Timeline</h2>\n<p class=\"meta\">"
	    "Validation mails per %s: passed in green, failed in red", r->unit);
	if (r->undated)
		fprintf(f, "; %u undated", r->undated);
	fputs(".</p>\n", f);
	audit_write_svg(r, f);
	findings(f, r);
	inputs(f, r);		/* last, as in the text report */
	fputs("</body>\n</html>\n", f);
}
