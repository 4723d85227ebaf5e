/*
 * check.c - a record and a policy in, findings out.
 *
 * Every rule reads the record alone (never the raw mail), so acmaudit
 * can apply them to JSON Lines read back from disk.  Hosts are taken
 * apart by uriparser, never by searching the URL string: what counts
 * is the host a browser would connect to.  Each finding names the
 * values involved, the one expected and the one found.
 *
 * The link rules live in checklink.c and checktext.c, the sender and
 * SES rules in checksender.c; this file has the rest and the order the
 * findings come in.
 */
#include <stdarg.h>
#include <string.h>

#include "check.h"

static const char *const reason_names[ACM_R_COUNT] = {
	[ACM_R_LINK_HOST] = "link-host",
	[ACM_R_LINK_SCHEME] = "link-scheme",
	[ACM_R_LINK_TEXT] = "link-text",
	[ACM_R_ACCOUNT_INCONSISTENT] = "account-inconsistent",
	[ACM_R_REGION_INCONSISTENT] = "region-inconsistent",
	[ACM_R_SENDER] = "sender",
	[ACM_R_SES_VERDICT] = "ses-verdict",
	[ACM_R_EXPIRED] = "expired",
	[ACM_R_ACCOUNT_UNEXPECTED] = "account-unexpected",
	[ACM_R_DOMAIN_UNEXPECTED] = "domain-unexpected",
	[ACM_R_REGION_UNEXPECTED] = "region-unexpected",
	[ACM_R_CERTIFICATE_UNEXPECTED] = "certificate-unexpected",
	[ACM_R_LEGACY_TEMPLATE] = "legacy-template",
	[ACM_R_MISSING_FIELD] = "missing-field",
	[ACM_R_COPY] = "copy",
	[ACM_R_TRUNCATED] = "truncated",
	[ACM_R_DKIM_FAIL] = "dkim-fail",
	[ACM_R_DKIM_MISSING] = "dkim-missing",
	[ACM_R_DKIM_NO_KEY] = "dkim-no-key",
	[ACM_R_SNS_SIGNATURE_FAIL] = "sns-signature-fail",
	[ACM_R_SNS_SIGNATURE_UNVERIFIED] = "sns-signature-unverified",
};

const char *
acm_reason_name(enum acm_reason r)
{
	return (unsigned)r < ACM_R_COUNT ? reason_names[r] : NULL;
}

int
acm_reason_parse(const char *s)
{
	int i;

	for (i = 0; s && i < ACM_R_COUNT; i++)
		if (strcmp(s, reason_names[i]) == 0)
			return i;
	return -1;
}

const char *
rec_str(json_t *r, const char *key)
{
	return json_string_value(json_object_get(r, key));
}

/* A string kept until the check ends. */
const char *
keep(struct check *c, char *s)
{
	g_ptr_array_add(c->tmp, s);
	return s;
}

/*
 * Mail text in a sentence: quoted and cut to a readable length at a
 * character boundary.  The copy lives until the check ends.
 */
const char *
show(struct check *c, const char *s)
{
	GString *o;
	const char *end;

	if (s == NULL)
		return "(none)";
	o = g_string_new("'");
	end = s;
	while (*end && end - s < SHOW_MAX)
		end = g_utf8_next_char(end);
	g_string_append_len(o, s, end - s);
	g_string_append(o, *end ? "...'" : "'");
	return keep(c, g_string_free(o, FALSE));
}

static json_t *
jtext(const char *s)
{
	json_t *j;
	char *clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	clean = utf8_clean(s, strlen(s));
	j = json_string(clean);
	g_free(clean);
	return j ? j : json_null();
}

/* Add a finding, unless the same one is there already. */
void
finding(struct check *c, enum acm_reason code, bool fail,
    const char *expected, const char *found, const char *fmt, ...)
{
	va_list ap;
	char *msg, *key;
	json_t *f;

	if (fail ? c->nfail >= CHECK_MAX_FAILS : c->nnote >= CHECK_MAX_NOTES)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	key = g_strconcat(reason_names[code], " ", msg, NULL);
	if (!g_hash_table_add(c->seen, key)) {
		g_free(msg);
		return;
	}
	if (fail)
		c->nfail++;
	else
		c->nnote++;
	f = json_object();
	json_object_set_new(f, "code", json_string(reason_names[code]));
	json_object_set_new(f, "severity", json_string(fail ? "fail" :
	    "note"));
	json_object_set_new(f, "message", jtext(msg));
	json_object_set_new(f, "expected", jtext(expected));
	json_object_set_new(f, "found", jtext(found));
	json_array_append_new(c->out, f);
	g_free(msg);
}

/* The region and account of a well-formed certificate ARN. */
static bool
arn_split(const char *arn, char **region, char **account)
{
	char *n = arn ? cert_normalise(arn) : NULL;
	char **f;

	if (n == NULL || !g_str_has_prefix(n, "arn:")) {
		g_free(n);
		return false;
	}
	f = g_strsplit(n, ":", 7);
	*region = g_strdup(f[3]);
	*account = g_strdup(f[4]);
	g_strfreev(f);
	g_free(n);
	return true;
}

static const char *const needed[] = {
	"template", "approval_url", "domain", "account_id", "region",
	"certificate_id", "date", NULL
};

static const char *const field_words[] = {
	"template", "approval link", "Domain line", "account ID",
	"region", "certificate identifier", "Date header", NULL
};

/* A name ACM could validate: DNS labels, perhaps under a "*." */
static bool
domain_name(const char *d)
{
	if (g_str_has_prefix(d, "*."))
		d += 2;
	return hostname_valid(d) && strchr(d, '.') != NULL;
}

static void
check_missing(struct check *c)
{
	int i;

	for (i = 0; needed[i]; i++)
		if (rec_str(c->rec, needed[i]) == NULL)
			finding(c, ACM_R_MISSING_FIELD, true, needed[i], NULL,
			    "the mail has no %s (field %s), which a check "
			    "needs", field_words[i], needed[i]);
	if (c->have_date == false && rec_str(c->rec, "date"))
		finding(c, ACM_R_MISSING_FIELD, true, "RFC 3339 time",
		    rec_str(c->rec, "date"), "the date %s cannot be read as "
		    "an RFC 3339 time", show(c, rec_str(c->rec, "date")));
	if (g_strcmp0(rec_str(c->rec, "template"), "current") == 0 &&
	    rec_str(c->rec, "certificate_arn") == NULL)
		finding(c, ACM_R_MISSING_FIELD, true, "certificate_arn", NULL,
		    "the mail uses the current template but gives no "
		    "certificate ARN");
	if (rec_str(c->rec, "domain") && !domain_name(rec_str(c->rec,
	    "domain")))
		finding(c, ACM_R_MISSING_FIELD, true, "a DNS name",
		    rec_str(c->rec, "domain"), "the Domain line holds %s, "
		    "which is not a DNS name", show(c, rec_str(c->rec,
		    "domain")));
	if (rec_str(c->rec, "certificate_arn") && !c->arn_ok)
		finding(c, ACM_R_MISSING_FIELD, true, "arn:aws:acm:REGION:"
		    "ACCOUNT:certificate/UUID", rec_str(c->rec,
		    "certificate_arn"), "the certificate identifier %s is "
		    "not a well-formed ACM certificate ARN",
		    show(c, rec_str(c->rec, "certificate_arn")));
}

static void
check_account(struct check *c)
{
	const char *body = rec_str(c->rec, "account_id");

	if (body && c->arn_account && strcmp(body, c->arn_account) != 0)
		finding(c, ACM_R_ACCOUNT_INCONSISTENT, true, c->arn_account,
		    body, "the mail names account %s but its certificate "
		    "ARN belongs to account %s", show(c, body),
		    show(c, c->arn_account));
}

/*
 * The body's region, the ARN's and every approval host's must be one.
 * Hosts that failed link-host give no region: they are not ACM's.
 */
static void
check_region(struct check *c)
{
	const char *body = rec_str(c->rec, "region"), *first = NULL;
	GString *all = g_string_new(NULL);
	bool differ = false;
	guint i;

	if (body) {
		first = body;
		g_string_append_printf(all, "the body says %s",
		    show(c, body));
	}
	if (c->arn_region) {
		if (first && strcmp(first, c->arn_region) != 0)
			differ = true;
		first = first ? first : c->arn_region;
		g_string_append_printf(all, "%sthe ARN says %s",
		    all->len ? ", " : "", show(c, c->arn_region));
	}
	for (i = 0; i < c->host_regions->len; i += 2) {
		const char *host = c->host_regions->pdata[i];
		const char *reg = c->host_regions->pdata[i + 1];

		if (first && strcmp(first, reg) != 0)
			differ = true;
		first = first ? first : reg;
		if (i < 2 * 8)
			g_string_append_printf(all, "%sthe link host %s says "
			    "%s", all->len ? ", " : "", show(c, host),
			    show(c, reg));
		else if (i == 2 * 8)
			g_string_append(all, ", ...");
	}
	if (differ)
		finding(c, ACM_R_REGION_INCONSISTENT, true, body ? body :
		    first, all->str, "the regions disagree: %s", all->str);
	g_string_free(all, TRUE);
}

/* "72h", "30d", "80h05m", "412d06h": short, and exact enough. */
static const char *
age_words(struct check *c, int64_t s)
{
	long long h = s / 3600, d = s / 86400;

	if (s % 3600 == 0 && s < 7 * 86400)
		return keep(c, g_strdup_printf("%lldh", h));
	if (s % 86400 == 0)
		return keep(c, g_strdup_printf("%lldd", d));
	if (s < 7 * 86400)
		return keep(c, g_strdup_printf("%lldh%02lldm", h,
		    (long long)(s % 3600 / 60)));
	return keep(c, g_strdup_printf("%lldd%02lldh", d, h % 24));
}

static void
check_expired(struct check *c)
{
	int64_t max = acm_policy_max_age(c->pol);
	char *now, *oldest;

	if (max == 0 || !c->have_date || c->now - c->date <= max)
		return;
	now = time_rfc3339(c->now);
	oldest = time_rfc3339(c->now - max);
	finding(c, ACM_R_EXPIRED, true, keep(c, g_strdup_printf("dated "
	    "%s or later", oldest)), rec_str(c->rec, "date"),
	    "the mail is dated %s, %s before %s; approval links expire "
	    "after %s", rec_str(c->rec, "date"), age_words(c,
	    c->now - c->date), now, age_words(c, max));
	g_free(now);
	g_free(oldest);
}

static void
expect(struct check *c, enum acm_expect k, enum acm_reason code,
    const char *what, const char *v)
{
	char *want;

	if (v == NULL || acm_policy_allows(c->pol, k, v) != 0)
		return;
	want = acm_policy_describe(c->pol, k);
	finding(c, code, true, want, v, "the mail names %s %s, which is "
	    "not among the expected: %s", what, show(c, v), want);
	g_free(want);
}

/*
 * The certificate by its ARN where the mail gives one (an expected
 * UUID matches the ARN's), else by its UUID.
 */
static void
check_expectations(struct check *c)
{
	const char *arn = rec_str(c->rec, "certificate_arn");

	expect(c, ACM_EXPECT_ACCOUNT, ACM_R_ACCOUNT_UNEXPECTED, "account",
	    rec_str(c->rec, "account_id"));
	expect(c, ACM_EXPECT_DOMAIN, ACM_R_DOMAIN_UNEXPECTED, "domain",
	    rec_str(c->rec, "domain"));
	expect(c, ACM_EXPECT_REGION, ACM_R_REGION_UNEXPECTED, "region",
	    rec_str(c->rec, "region"));
	expect(c, ACM_EXPECT_CERT, ACM_R_CERTIFICATE_UNEXPECTED,
	    "certificate", arn ? arn : rec_str(c->rec, "certificate_id"));
}

static void
check_legacy(struct check *c)
{
	if (g_strcmp0(rec_str(c->rec, "template"), "legacy") != 0)
		return;
	if (!c->have_date)
		finding(c, ACM_R_LEGACY_TEMPLATE, true, "dated before "
		    ACM_TEMPLATE_CUTOFF, NULL, "the mail uses the legacy "
		    "template and has no date to show it predates the "
		    "template change of " ACM_TEMPLATE_CUTOFF);
	else if (c->date >= ACM_TEMPLATE_CUTOFF_T)
		finding(c, ACM_R_LEGACY_TEMPLATE, true, "dated before "
		    ACM_TEMPLATE_CUTOFF, rec_str(c->rec, "date"), "the mail "
		    "uses the legacy template but is dated %s, after ACM "
		    "changed its template on " ACM_TEMPLATE_CUTOFF,
		    rec_str(c->rec, "date"));
}

static void
check_copy(struct check *c)
{
	json_t *layers = json_object_get(json_object_get(c->rec, "source"),
	    "layers"), *v;
	GString *path = g_string_new(NULL);
	size_t i;

	if (!json_is_true(json_object_get(c->rec, "copy")))
		goto out;
	json_array_foreach(layers, i, v)
		if (json_is_string(v))
			g_string_append_printf(path, "%s%s", path->len ?
			    "/" : "", json_string_value(v));
	finding(c, ACM_R_COPY, true, "a delivered mail", path->len ?
	    path->str : NULL, "the mail is a copy found inside another "
	    "mail (forwarded, attached or quoted), not a delivery from "
	    "ACM");
out:
	g_string_free(path, TRUE);
}

static void
check_truncated(struct check *c)
{
	json_t *w = json_object_get(c->rec, "warnings"), *v;
	size_t i;

	json_array_foreach(w, i, v) {
		const char *s = json_string_value(v);

		if (s && g_str_has_prefix(s, "truncated:"))
			finding(c, ACM_R_TRUNCATED, true, "complete content",
			    s, "the content was cut short (%s), so what it "
			    "says cannot be trusted", show(c, s + 10 +
			    strspn(s + 10, " ")));
	}
}

static bool
domain_listed(const char *const *list, const char *d)
{
	for (; d && *list; list++)
		if (g_ascii_strcasecmp(*list, d) == 0)
			return true;
	return false;
}

/*
 * require-dkim: one passing signature by a required domain is enough.
 * Otherwise the most telling of that domain's results is reported: a
 * failure, else a key not pinned, else no usable signature at all.
 */
static void
check_dkim(struct check *c)
{
	const char *const *want = acm_policy_dkim_domains(c->pol);
	json_t *dkim = json_object_get(c->rec, "dkim"), *e;
	json_t *fail = NULL, *nokey = NULL, *other = NULL;
	GString *signers;
	char *names;
	size_t i;

	if (want == NULL)
		return;
	names = g_strjoinv(", ", (char **)want);
	keep(c, names);
	if (!json_is_array(dkim)) {
		finding(c, ACM_R_DKIM_NO_KEY, true, names, NULL, "the mail's "
		    "DKIM signatures were not checked (acmextract "
		    "--dkim-keys), and the policy requires one by %s", names);
		return;
	}
	json_array_foreach(dkim, i, e) {
		const char *r = rec_str(e, "result");

		if (!domain_listed(want, rec_str(e, "d")))
			continue;
		if (g_strcmp0(r, "pass") == 0)
			return;
		if (g_strcmp0(r, "fail") == 0)
			fail = fail ? fail : e;
		else if (g_strcmp0(r, "no-key") == 0)
			nokey = nokey ? nokey : e;
		else
			other = other ? other : e;
	}
	if (fail)
		finding(c, ACM_R_DKIM_FAIL, true, "pass", rec_str(fail,
		    "reason"), "the DKIM signature of %s (selector %s) "
		    "fails: %s", show(c, rec_str(fail, "d")),
		    show(c, rec_str(fail, "s")), rec_str(fail, "reason") ?
		    show(c, rec_str(fail, "reason")) : "no reason given");
	else if (nokey)
		finding(c, ACM_R_DKIM_NO_KEY, true, "a pinned key",
		    rec_str(nokey, "s"), "no DKIM key is pinned for selector "
		    "%s of %s, so its signature proves nothing",
		    show(c, rec_str(nokey, "s")),
		    show(c, rec_str(nokey, "d")));
	else if (other)
		finding(c, ACM_R_DKIM_MISSING, true, names, rec_str(other,
		    "d"), "the DKIM signature of %s (selector %s) cannot be "
		    "checked: %s", show(c, rec_str(other, "d")),
		    show(c, rec_str(other, "s")), show(c, rec_str(other,
		    "reason")));
	else {
		signers = g_string_new(NULL);
		json_array_foreach(dkim, i, e)
			if (i < 8)
				g_string_append_printf(signers, "%s%s",
				    i ? ", " : "", show(c, rec_str(e, "d")));
		finding(c, ACM_R_DKIM_MISSING, true, names, signers->len ?
		    keep(c, g_strdup(signers->str)) : NULL, "the mail has no "
		    "DKIM signature by %s (%s%s)", names, signers->len ?
		    "signed by " : "not signed at all", signers->str);
		g_string_free(signers, TRUE);
	}
}

/*
 * require-sns-signature.  A certificate URL that is not SNS's is a
 * failure: a genuine notification never has one.  A certificate not
 * pinned, an unknown signature version, or no check at all leave the
 * notification unverified.
 */
static void
check_sns_signature(struct check *c)
{
	json_t *sns = json_object_get(c->rec, "sns");
	const char *s = rec_str(sns, "signature");
	const char *url = rec_str(sns, "signing_cert_url");

	if (!acm_policy_sns_signature_required(c->pol) ||
	    g_strcmp0(s, "pass") == 0)
		return;
	if (!json_is_object(sns))
		finding(c, ACM_R_SNS_SIGNATURE_UNVERIFIED, true, "pass", NULL,
		    "the mail did not come in an SNS notification, and the "
		    "policy requires a signed one");
	else if (s == NULL)
		finding(c, ACM_R_SNS_SIGNATURE_UNVERIFIED, true, "pass", NULL,
		    "the SNS signature was not checked (acmextract "
		    "--sns-certs)");
	else if (strcmp(s, "fail") == 0)
		finding(c, ACM_R_SNS_SIGNATURE_FAIL, true, "pass", s, "the SNS "
		    "signature does not verify with the pinned certificate, "
		    "or the certificate was not valid at the notification's "
		    "Timestamp");
	else if (strcmp(s, "bad-cert-url") == 0)
		finding(c, ACM_R_SNS_SIGNATURE_FAIL, true, "pass", s, "the SNS "
		    "notification names %s as its signing certificate, which "
		    "is not an SNS certificate URL", show(c, url));
	else if (strcmp(s, "no-cert") == 0)
		finding(c, ACM_R_SNS_SIGNATURE_UNVERIFIED, true, "pass", s,
		    "the SNS signing certificate %s is not pinned",
		    show(c, url));
	else
		finding(c, ACM_R_SNS_SIGNATURE_UNVERIFIED, true, "pass", s,
		    "the SNS signature cannot be checked (%s)", show(c, s));
}

json_t *
acm_check(const struct acm_policy *pol, json_t *rec, int64_t now)
{
	struct check c = { 0 };
	const char *date = rec_str(rec, "date");

	c.pol = pol;
	c.rec = rec;
	c.now = now;
	c.out = json_array();
	c.tmp = g_ptr_array_new_with_free_func(g_free);
	c.host_regions = g_ptr_array_new_with_free_func(g_free);
	c.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c.have_date = date && acm_time_parse(date, &c.date);
	c.arn_ok = arn_split(rec_str(rec, "certificate_arn"), &c.arn_region,
	    &c.arn_account);

	/* a mail that claims to be ACM's but gave no fields to check */
	if (rec_str(rec, "unreadable")) {
		finding(&c, ACM_R_MISSING_FIELD, true, "an approval link", NULL,
		    "%s", rec_str(rec, "unreadable"));
		goto out;
	}
	check_links(&c);
	check_link_text(&c);
	check_account(&c);
	check_region(&c);
	check_sender(&c);
	check_ses(&c);
	check_dkim(&c);
	check_sns_signature(&c);
	check_expired(&c);
	check_expectations(&c);
	check_legacy(&c);
	check_missing(&c);
	check_copy(&c);
	check_truncated(&c);
out:
	g_free(c.arn_region);
	g_free(c.arn_account);
	g_ptr_array_free(c.host_regions, TRUE);
	g_hash_table_destroy(c.seen);
	g_ptr_array_free(c.tmp, TRUE);
	return c.out;
}

json_t *
acm_unreadable_record(const struct acm_diag *d)
{
	json_t *src = json_object();

	json_object_set_new(src, "path", jtext(d->where.path ?
	    d->where.path : "-"));
	json_object_set_new(src, "entry", jtext(d->where.entry));
	json_object_set_new(src, "index", d->where.index >= 0 ?
	    json_integer(d->where.index) : json_null());
	json_object_set_new(src, "offset", d->where.offset >= 0 ?
	    json_integer(d->where.offset) : json_null());
	return json_pack("{s:n, s:o, s:s?, s:s}", "domain", "source", src,
	    "sha256", d->sha256, "unreadable", d->message);
}

bool
acm_findings_pass(json_t *findings)
{
	json_t *f;
	size_t i;

	json_array_foreach(findings, i, f)
		if (g_strcmp0(json_string_value(json_object_get(f,
		    "severity")), "note") != 0)
			return false;
	return true;
}
