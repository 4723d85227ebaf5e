/*
 * checksender.c - who sent the mail: the From and Return-Path
 * addresses, and the verdicts SES wrote when it received the mail.
 * GMime parses the addresses, so quoting and comments cannot hide the
 * real one behind a display name.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "check.h"

/*
 * The one mailbox of an address header, lower-cased; NULL if not one,
 * or if its local part is quoted ("x@evil"@domain): ACM writes plain
 * addresses, and a quoted one only serves to mislead a reader.
 */
static char *
one_address(const char *s)
{
	static gsize once;
	InternetAddressList *l;
	InternetAddress *a;
	char *addr = NULL;

	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
	if (s == NULL || address_at_signs(s) != 1 ||
	    (l = internet_address_list_parse(NULL, s)) == NULL)
		return NULL;
	if (internet_address_list_length(l) == 1 &&
	    INTERNET_ADDRESS_IS_MAILBOX(a = internet_address_list_get_address(
	    l, 0)) && internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(a)))
		addr = g_ascii_strdown(internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(a)), -1);
	g_object_unref(l);
	if (addr && strpbrk(addr, "\"\\ ") != NULL) {
		g_free(addr);
		addr = NULL;
	}
	return addr;
}

/* Is ADDR's domain SUFFIX or under it, as a plain DNS name? */
static bool
domain_under(const char *addr, const char *const *suffixes)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	char *d;
	bool ok = false;
	size_t n;
	int i;

	if (at == NULL || at == addr)
		return false;
	d = g_strdup(at + 1);
	if ((n = strlen(d)) > 0 && d[n - 1] == '.')
		d[n - 1] = '\0';
	if (hostname_valid(d) && !host_has_idn(d))
		for (i = 0; suffixes[i] && !ok; i++) {
			size_t k = strlen(suffixes[i]);

			n = strlen(d);
			ok = strcmp(d, suffixes[i]) == 0 || (n > k &&
			    d[n - k - 1] == '.' && strcmp(d + n - k,
			    suffixes[i]) == 0);
		}
	g_free(d);
	return ok;
}

/*
 * From must be an address at certificates.amazon.com (or under it: the
 * aws-cn sender is not known publicly), Return-Path one at amazonses.com
 * or amazon.com.  The display name is ignored: anyone can write
 * "Amazon" there.
 */
void
check_sender(struct check *c)
{
	static const char *const from_ok[] = {
		"certificates.amazon.com", NULL
	};
	static const char *const rp_ok[] = {
		"amazonses.com", "amazon.com", NULL
	};
	const char *from = rec_str(c->rec, "from");
	const char *rp = rec_str(c->rec, "return_path");
	char *addr = one_address(from);

	if (from == NULL)
		finding(c, ACM_R_SENDER, true, "no-reply@certificates."
		    "amazon.com", NULL, "the mail has no From address");
	else if (addr == NULL)
		finding(c, ACM_R_SENDER, true, "no-reply@certificates."
		    "amazon.com", from, "the From header %s is not exactly "
		    "one mail address", show(c, from));
	else if (!domain_under(addr, from_ok))
		finding(c, ACM_R_SENDER, true, "no-reply@certificates."
		    "amazon.com", addr, "the mail is from %s, not from an "
		    "address at certificates.amazon.com", show(c, addr));
	g_free(addr);

	addr = one_address(rp);
	if (rp == NULL)
		finding(c, ACM_R_SENDER, true, "an address at amazonses.com "
		    "or amazon.com", NULL, "the mail has no Return-Path "
		    "header, so its envelope sender is unknown");
	else if (addr == NULL)
		finding(c, ACM_R_SENDER, true, "an address at amazonses.com "
		    "or amazon.com", rp, "the Return-Path %s is not exactly "
		    "one mail address", show(c, rp));
	else if (!domain_under(addr, rp_ok))
		finding(c, ACM_R_SENDER, true, "an address at amazonses.com "
		    "or amazon.com", addr, "the Return-Path %s is not at "
		    "amazonses.com or amazon.com", show(c, addr));
	g_free(addr);
}

static const struct {
	const char	*key;
	unsigned	 bit;
	const char	*word;
} verdicts[] = {
	{ "spf", ACM_SES_SPF, "SPF" },
	{ "dkim", ACM_SES_DKIM, "DKIM" },
	{ "dmarc", ACM_SES_DMARC, "DMARC" },
	{ "spam", ACM_SES_SPAM, "spam" },
	{ "virus", ACM_SES_VIRUS, "virus" },
};

/*
 * Verdicts present must be PASS.  DISABLED means the receiving rule
 * had that scan turned off: no verdict at all, so it counts as absent
 * (a note, and a failure only when the policy requires the verdict).
 */
void
check_ses(struct check *c)
{
	json_t *ses = json_object_get(c->rec, "ses");
	unsigned want = acm_policy_ses(c->pol), have = 0;
	size_t i;

	if (!json_is_object(ses)) {
		if (want)
			finding(c, ACM_R_SES_VERDICT, true, "SES verdicts",
			    NULL, "the mail carries no SES verdicts (it did "
			    "not come through SES receiving), and the "
			    "policy requires them");
		return;
	}
	for (i = 0; i < G_N_ELEMENTS(verdicts); i++) {
		const char *v = json_string_value(json_object_get(ses,
		    verdicts[i].key));

		if (v == NULL)
			continue;
		if (g_ascii_strcasecmp(v, "PASS") == 0)
			have |= verdicts[i].bit;
		else if (g_ascii_strcasecmp(v, "DISABLED") == 0)
			finding(c, ACM_R_SES_VERDICT, false, "PASS", v,
			    "the SES %s check was disabled on receipt, so "
			    "there is no %s verdict", verdicts[i].word,
			    verdicts[i].word);
		else {
			have |= verdicts[i].bit;
			finding(c, ACM_R_SES_VERDICT, true, "PASS", v,
			    "the SES %s verdict is %s, not PASS",
			    verdicts[i].word, show(c, v));
		}
	}
	for (i = 0; i < G_N_ELEMENTS(verdicts); i++)
		if ((want & verdicts[i].bit) && !(have & verdicts[i].bit))
			finding(c, ACM_R_SES_VERDICT, true, "PASS", NULL,
			    "the mail carries no SES %s verdict, and the "
			    "policy requires one", verdicts[i].word);
}
