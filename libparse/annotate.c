/*
 * annotate.c - filter mode: the message, byte for byte, with one
 * header on top that says what the checks found.
 *
 * The header is the only thing added, and its value is built from a
 * fixed alphabet (reason code names, digits, DNS characters), never
 * copied from the mail: a hostile mail cannot smuggle a line break, a
 * second header or a control character into it.
 */
#include <string.h>

#include "check.h"

#define HEADER_NAME	"X-ACM-Verify"

struct collect {
	const struct acm_policy	*pol;
	int64_t			 now;
	struct acm_options	 saved;
	unsigned long		 mails;
	unsigned long		 failed;
	uint32_t		 reasons;	/* bit per failed code */
	json_t			*shown;		/* the record described */
	bool			 shown_failed;
};

static void
collect_record(json_t *r, void *arg)
{
	struct collect *k = arg;
	json_t *f = acm_check(k->pol, r, k->now), *v;
	bool pass = acm_findings_pass(f);
	size_t i;

	k->mails++;
	json_array_foreach(f, i, v) {
		int code = acm_reason_parse(rec_str(v, "code"));

		if (code >= 0 && g_strcmp0(rec_str(v, "severity"),
		    "fail") == 0)
			k->reasons |= (uint32_t)1 << code;
	}
	json_decref(f);
	if (!pass)
		k->failed++;

	/* describe the first mail, or the first that failed */
	if (k->shown == NULL || (!pass && !k->shown_failed)) {
		json_decref(k->shown);
		k->shown = r;
		k->shown_failed = !pass;
	} else
		json_decref(r);
}

/* Diagnostics still reach whoever set up the scanner. */
static void
pass_diag(const struct acm_diag *d, void *arg)
{
	struct collect *k = arg;

	if (d->unreadable_acm)
		collect_record(acm_unreadable_record(d), k);
	if (k->saved.on_diag)
		k->saved.on_diag(d, k->saved.arg);
}

/*
 * " KEY=VALUE" with every byte outside ALPHABET written as '?', cut at
 * MAX bytes; nothing when the value is absent.
 */
static void
add_field(GString *o, const char *key, const char *v, const char *alphabet,
    size_t max)
{
	size_t i;

	if (v == NULL || *v == '\0')
		return;
	g_string_append_printf(o, " %s=", key);
	for (i = 0; v[i] && i < max; i++) {
		char ch = g_ascii_tolower(v[i]);

		g_string_append_c(o, strchr(alphabet, ch) ? ch : '?');
	}
}

static char *
header_value(struct collect *k)
{
	static const char dns[] = "abcdefghijklmnopqrstuvwxyz0123456789.-*_";
	GString *o = g_string_new(NULL);
	int i, n = 0;

	if (k->mails == 0) {
		g_string_append(o, "none");
		return g_string_free(o, FALSE);
	}
	g_string_append(o, k->failed ? "fail" : "pass");
	for (i = 0; i < ACM_R_COUNT; i++)
		if (k->reasons & ((uint32_t)1 << i))
			g_string_append_printf(o, "%s%s", n++ ? "," :
			    " reasons=", acm_reason_name(i));
	add_field(o, "domain", rec_str(k->shown, "domain"), dns, 253);
	add_field(o, "account", rec_str(k->shown, "account_id"),
	    "0123456789", 12);
	add_field(o, "region", rec_str(k->shown, "region"),
	    "abcdefghijklmnopqrstuvwxyz0123456789-", 32);
	if (k->mails > 1)
		g_string_append_printf(o, " mails=%lu", k->mails);
	return g_string_free(o, FALSE);
}

static bool
header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

char *
acm_insert_header(const void *msg, size_t len, const char *name,
    const char *value, size_t *outlen)
{
	const char *m = msg, *nl, *eol = "\n";
	size_t at = 0, hl;
	char *out, *h;

	if (!header_safe(name) || !header_safe(value) || strchr(name, ':'))
		return NULL;

	/* an mbox From_ line stays first: procmail hands one over */
	if (len >= 5 && memcmp(m, "From ", 5) == 0 &&
	    (nl = memchr(m, '\n', len)) != NULL)
		at = nl - m + 1;

	/* the line end of the line the header goes above, else of any */
	if ((nl = memchr(m + at, '\n', len - at)) == NULL)
		nl = memchr(m, '\n', len);
	if (nl && nl > m && nl[-1] == '\r')
		eol = "\r\n";

	h = g_strdup_printf("%s: %s%s", name, value, eol);
	hl = strlen(h);
	out = g_malloc(len + hl + 1);
	memcpy(out, m, at);
	memcpy(out + at, h, hl);
	memcpy(out + at + hl, m + at, len - at);
	out[len + hl] = '\0';
	*outlen = len + hl;
	g_free(h);
	return out;
}

char *
acm_annotate(struct acm_scanner *sc, const struct acm_policy *pol,
    int64_t now, const void *msg, size_t len, size_t *outlen)
{
	struct collect k = { .pol = pol, .now = now };
	char *value, *out;

	if (sc == NULL || pol == NULL || (msg == NULL && len > 0) ||
	    len > sc->opt.limits.max_message)
		return NULL;
	k.saved = sc->opt;
	sc->opt.on_record = collect_record;
	sc->opt.on_diag = pass_diag;
	sc->opt.on_input = NULL;
	sc->opt.arg = &k;
	acm_scan_message(sc, msg ? msg : "", len, "-");
	sc->opt = k.saved;

	value = header_value(&k);
	out = acm_insert_header(msg ? msg : "", len, HEADER_NAME, value,
	    outlen);
	g_free(value);
	json_decref(k.shown);
	return out;
}
