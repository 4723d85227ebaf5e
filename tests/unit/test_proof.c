/*
 * test_proof.c - proof.c: DKIM signatures against pinned keys, SNS
 * signatures against pinned certificates.
 *
 * Every key and certificate is made in the group set-up (OpenSSL) and
 * kept in a temporary directory: nothing secret is in the repository.
 * Mails are DKIM-signed with libopendkim's own signer; SNS envelopes
 * are signed here over the string of FORMATS.md 4.2, written out again
 * independently of proof.c so that the two can disagree.
 */
#include <sys/stat.h>

#include <fcntl.h>

#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <dkim.h>

#include "unit.h"

#define SEL_ACM		"6qmbfpvjuhhxvoggo6cu77v4uhc7snn6"
#define SEL_SES		"23si4yxa5dv7c2xz3womw6pvbdfbdfb"
#define DOM_ACM		"certificates.amazon.com"
#define DOM_SES		"amazonses.com"
#define CERT_OK		"SimpleNotificationService-" \
			"0123456789abcdef0123456789abcdef.pem"
#define CERT_OLD	"SimpleNotificationService-" \
			"00000000000000000000000000000000.pem"
#define CERT_OTHER	"SimpleNotificationService-" \
			"ffffffffffffffffffffffffffffffff.pem"
#define CERT_URL	"https://sns.eu-west-1.amazonaws.com/"

/* What the group set-up made, shared by every test. */
struct fixture {
	char		*dir;		/* temporary, removed at the end */
	char		*certs;		/* DIR/certs */
	EVP_PKEY	*acm;		/* DKIM key of DOM_ACM */
	EVP_PKEY	*ses;		/* DKIM key of DOM_SES */
	EVP_PKEY	*other;		/* a key nobody signed with */
	EVP_PKEY	*sns;		/* SNS signing key */
	DKIM_LIB	*signer;
	int		 nfiles;
};

static struct fixture fx;

static char *
priv_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	assert_int_equal(PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL,
	    NULL), 1);
	n = BIO_get_mem_data(b, &p);
	s = g_strndup(p, n);
	BIO_free(b);
	return s;
}

/* The p= of a DKIM key record: the SubjectPublicKeyInfo, base64. */
static char *
pub_b64(EVP_PKEY *k)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(k, &der);
	char *s;

	assert_true(n > 0);
	s = g_base64_encode(der, n);
	OPENSSL_free(der);
	return s;
}

/* TEXT with every bare LF made CRLF, as mail is sent. */
static char *
crlf(const char *text)
{
	GString *s = g_string_new(NULL);

	for (; *text; text++) {
		if (*text == '\n' && (s->len == 0 ||
		    s->str[s->len - 1] != '\r'))
			g_string_append_c(s, '\r');
		g_string_append_c(s, *text);
	}
	return g_string_free(s, FALSE);
}

/*
 * MAIL with a DKIM-Signature by KEY for SEL/DOM on top, relaxed/simple
 * as ACM's mail is signed; LENGTH >= 0 signs only that much body (l=).
 */
static char *
dkim_sign_mail(const char *mail, EVP_PKEY *key, const char *sel,
    const char *dom, ssize_t length)
{
	char *pem = priv_pem(key), *out;
	DKIM_STAT st;
	DKIM *d;
	u_char *hdr;
	size_t len;

	d = dkim_sign(fx.signer, (const u_char *)"test", NULL,
	    (dkim_sigkey_t)pem, (const u_char *)sel, (const u_char *)dom,
	    DKIM_CANON_RELAXED, DKIM_CANON_SIMPLE, DKIM_SIGN_RSASHA256,
	    length, &st);
	assert_non_null(d);
	assert_int_equal(dkim_set_margin(d, 0), DKIM_STAT_OK);
	assert_int_equal(dkim_chunk(d, (u_char *)mail, strlen(mail)),
	    DKIM_STAT_OK);
	assert_int_equal(dkim_chunk(d, NULL, 0), DKIM_STAT_OK);
	assert_int_equal(dkim_eom(d, NULL), DKIM_STAT_OK);
	assert_int_equal(dkim_getsighdr_d(d, strlen("DKIM-Signature: "),
	    &hdr, &len), DKIM_STAT_OK);
	out = g_strdup_printf("DKIM-Signature: %s\r\n%s", hdr, mail);
	dkim_free(d);
	g_free(pem);
	return out;
}

/* The validation mail as ACM sends it: CRLF, signed by both domains. */
static char *
acm_mail(struct capture *c)
{
	char *m = crlf(UNIT_MAIL);
	char *a = dkim_sign_mail(m, fx.ses, SEL_SES, DOM_SES, -1);
	char *b = dkim_sign_mail(a, fx.acm, SEL_ACM, DOM_ACM, -1);

	g_free(m);
	g_free(a);
	return unit_keep(c, b);
}

static void
gstring_free(gpointer s)
{
	g_string_free(s, TRUE);
}

/* A file of DIR holding TEXT; its path is kept by C. */
static char *
write_file(struct capture *c, const char *text)
{
	char *path = g_strdup_printf("%s/f%d", fx.dir, fx.nfiles++);

	assert_true(g_file_set_contents(path, text, -1, NULL));
	return unit_keep(c, path);
}

/* The record line for KEY under SEL/DOM, TXT split as dig prints it. */
static void
key_record(GString *s, EVP_PKEY *key, const char *sel, const char *dom)
{
	char *b = key ? pub_b64(key) : g_strdup("");
	char *txt = g_strdup_printf("v=DKIM1; k=rsa; p=%s", b);
	const char *p = txt;
	size_t n = strlen(txt);

	g_string_append_printf(s, "%s._domainkey.%s", sel, dom);
	while (n > 0) {
		size_t k = n > 255 ? 255 : n;

		g_string_append_printf(s, " \"%.*s\"", (int)k, p);
		p += k;
		n -= k;
	}
	g_string_append_c(s, '\n');
	g_free(txt);
	g_free(b);
}

/* A keys file pinning ACM's key under ACM_KEY and SES's under SES_KEY. */
static char *
keys_file(struct capture *c, EVP_PKEY *acm_key, EVP_PKEY *ses_key)
{
	GString *s = g_string_new("# pinned from a DNS archive\n\n");
	char *path;

	if (acm_key)
		key_record(s, acm_key, SEL_ACM, DOM_ACM);
	if (ses_key)
		key_record(s, ses_key, SEL_SES, DOM_SES);
	path = write_file(c, s->str);
	g_string_free(s, TRUE);
	return path;
}

static struct acm_scanner *
scanner(struct capture *c, const char *keys, const char *certs, int jobs)
{
	struct acm_options o;
	struct acm_scanner *sc;

	memset(&o, 0, sizeof(o));
	acm_limits_default(&o.limits);
	o.dkim_keys = keys;
	o.sns_certs = certs;
	o.jobs = jobs;
	o.on_record = unit_on_record;
	o.on_diag = unit_on_diag;
	o.on_input = unit_on_input;
	o.arg = c;
	sc = acm_scanner_new(&o);
	assert_non_null(sc);
	return unit_own(c, sc, (GDestroyNotify)acm_scanner_free);
}

/* The "dkim" field of the one record MAIL gives, checked with KEYS. */
static json_t *
dkim_of(struct capture *c, const char *keys, const char *mail)
{
	struct acm_scanner *sc = scanner(c, keys, NULL, 0);

	unit_capture_reset(c);
	acm_scan_buffer(sc, mail, strlen(mail), "mail.eml");
	assert_int_equal(unit_nrecords(c), 1);
	return json_object_get(unit_record(c, 0), "dkim");
}

/* Entry I of a dkim array: d, s, result, reason and aligned. */
static void
assert_sig(json_t *dkim, size_t i, const char *d, const char *s,
    const char *result, const char *reason, bool al)
{
	json_t *e = json_array_get(dkim, i);

	assert_non_null(e);
	assert_string_equal(unit_jstr(e, "d"), d);
	assert_string_equal(unit_jstr(e, "s"), s);
	assert_string_equal(unit_jstr(e, "result"), result);
	if (reason)
		assert_non_null(strstr(unit_jstr(e, "reason"), reason));
	else
		assert_true(json_is_null(json_object_get(e, "reason")));
	assert_int_equal(json_is_true(json_object_get(e, "aligned")), al);
}

/* MAIL with the first occurrence of FROM replaced by TO, kept by C. */
static char *
edit(struct capture *c, const char *mail, const char *from, const char *to)
{
	const char *at = strstr(mail, from);
	GString *s;

	assert_non_null(at);
	s = g_string_new_len(mail, at - mail);
	g_string_append(s, to);
	g_string_append(s, at + strlen(from));
	return unit_keep(c, g_string_free(s, FALSE));
}

/* --- DKIM ------------------------------------------------------------ */

static void
test_dkim_null_without_keys(void **state)
{
	struct capture c;

	(void)state;
	unit_capture_init(&c);
	assert_true(json_is_null(dkim_of(&c, NULL, acm_mail(&c))));
	unit_capture_free(&c);
}

static void
test_dkim_pass_both_signatures(void **state)
{
	struct capture c;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), acm_mail(&c));
	assert_int_equal(json_array_size(d), 2);
	/* in header order: the last signature added is on top */
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	assert_int_equal(c.diags->len, 0);
	unit_capture_free(&c);
}

static void
test_dkim_body_byte_changed(void **state)
{
	struct capture c;
	json_t *d;
	char *m;

	(void)state;
	unit_capture_init(&c);
	m = edit(&c, acm_mail(&c), "Sincerely", "Sincerelx");
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "body hash mismatch",
	    true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "fail", "body hash mismatch",
	    false);
	unit_capture_free(&c);
}

static void
test_dkim_signed_header_changed(void **state)
{
	struct capture c;
	json_t *d;
	char *m;

	(void)state;
	unit_capture_init(&c);
	m = edit(&c, acm_mail(&c), "To: admin@example.com",
	    "To: admin@example.net");
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "signature mismatch",
	    true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "fail", "signature mismatch",
	    false);
	unit_capture_free(&c);
}

static void
test_dkim_unsigned_header_added(void **state)
{
	struct capture c;
	json_t *d;
	char *m;

	(void)state;
	unit_capture_init(&c);
	/* a receiver's trace header on top is not covered, and harmless */
	m = unit_keep(&c, g_strdup_printf("X-Seen-By: gateway\r\n%s",
	    acm_mail(&c)));
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	unit_capture_free(&c);
}

static void
test_dkim_wrong_key(void **state)
{
	struct capture c;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	d = dkim_of(&c, keys_file(&c, fx.other, fx.ses), acm_mail(&c));
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "signature mismatch",
	    true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	unit_capture_free(&c);
}

static void
test_dkim_missing_key_is_no_key(void **state)
{
	struct capture c;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	d = dkim_of(&c, keys_file(&c, NULL, fx.ses), acm_mail(&c));
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "no-key", "no pinned key", true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	unit_capture_free(&c);
}

static void
test_dkim_revoked_key(void **state)
{
	struct capture c;
	GString *s = g_string_new(NULL);
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	key_record(s, NULL, SEL_ACM, DOM_ACM);	/* "p=": revoked */
	d = dkim_of(&c, write_file(&c, s->str), acm_mail(&c));
	g_string_free(s, TRUE);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "revoked", true);
	unit_capture_free(&c);
}

static void
test_dkim_unsigned_mail(void **state)
{
	struct capture c;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	/* verified, and no signature at all: an empty list, not null */
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), UNIT_MAIL);
	assert_true(json_is_array(d));
	assert_int_equal(json_array_size(d), 0);
	unit_capture_free(&c);
}

/*
 * SES puts its receipt headers above the sender's and the archive may
 * keep the mail with bare LF: relaxed/simple still verifies.
 */
static void
test_dkim_ses_headers_and_lf(void **state)
{
	struct capture c;
	GString *m;
	const char *p;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	m = unit_own(&c, g_string_new(
	    "Return-Path: <0100018f@bounces.certificates.amazon.com>\n"
	    "Received: from a27-1.smtp-out.us-west-2.amazonses.com\n"
	    " by inbound-smtp.eu-west-1.amazonaws.com with SMTP id x\n"
	    "X-SES-Spam-Verdict: PASS\n"
	    "X-SES-Virus-Verdict: PASS\n"
	    "Authentication-Results: amazonses.com;\n"
	    " dkim=pass header.i=@certificates.amazon.com;\n"),
	    gstring_free);
	for (p = acm_mail(&c); *p; p++)
		if (*p != '\r')
			g_string_append_c(m, *p);
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m->str);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	unit_capture_free(&c);
}

static void
test_dkim_parent_domain_aligns(void **state)
{
	struct capture c;
	GString *s = g_string_new(NULL);
	char *m, *keys;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	key_record(s, fx.acm, "sel", "amazon.com");
	key_record(s, fx.acm, "sel", "mazon.com");
	keys = write_file(&c, s->str);
	g_string_free(s, TRUE);
	m = crlf(UNIT_MAIL);
	unit_keep(&c, m);
	m = unit_keep(&c, dkim_sign_mail(m, fx.acm, "sel", "mazon.com", -1));
	m = unit_keep(&c, dkim_sign_mail(m, fx.acm, "sel", "amazon.com", -1));
	d = dkim_of(&c, keys, m);
	/* a parent of the From domain aligns; a mere suffix does not */
	assert_sig(d, 0, "amazon.com", "sel", "pass", NULL, true);
	assert_sig(d, 1, "mazon.com", "sel", "pass", NULL, false);
	unit_capture_free(&c);
}

static void
test_dkim_body_past_signed_length(void **state)
{
	struct capture c;
	char *m, *body, *signed_mail;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	m = unit_keep(&c, crlf(UNIT_MAIL));
	body = unit_keep(&c, crlf(UNIT_BODY));
	/* l= covers the body as sent; text appended later is unsigned */
	signed_mail = unit_keep(&c, dkim_sign_mail(m, fx.acm, SEL_ACM,
	    DOM_ACM, strlen(body)));
	d = dkim_of(&c, keys_file(&c, fx.acm, NULL), signed_mail);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	m = unit_keep(&c, g_strdup_printf("%sP.S. approve at "
	    "https://evil.example/\r\n", signed_mail));
	d = dkim_of(&c, keys_file(&c, fx.acm, NULL), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "signed length", true);
	unit_capture_free(&c);
}

/*
 * The published Scout24 sample had bh= and b= edited: whatever key is
 * pinned, the edited body hash is what fails first.
 */
static void
test_dkim_edited_signature(void **state)
{
	struct capture c;
	char *m, *bh, *end;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	m = acm_mail(&c);
	bh = strstr(m, "bh=") + 3;
	end = strchr(bh, ';');
	m = edit(&c, m, unit_keep(&c, g_strndup(bh, end - bh)),
	    "SWUIhvjn4jP8qsg7zzrudzadasdasdaWeI9RuUczCDSA=");
	d = dkim_of(&c, keys_file(&c, fx.other, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "body hash mismatch",
	    true);
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "body hash mismatch",
	    true);
	/* no key proves nothing either way, though the hash is told */
	d = dkim_of(&c, keys_file(&c, NULL, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "no-key", "body hash does not "
	    "match", true);
	unit_capture_free(&c);
}

static void
test_dkim_unsupported_algorithm(void **state)
{
	struct capture c;
	json_t *d;
	char *m;

	(void)state;
	unit_capture_init(&c);
	m = edit(&c, acm_mail(&c), "a=rsa-sha256", "a=rsa-sha512");
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "unsupported", "algorithm",
	    true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	unit_capture_free(&c);
}

static void
test_dkim_garbage_signature(void **state)
{
	struct capture c;
	json_t *d, *e;
	char *m;

	(void)state;
	unit_capture_init(&c);
	m = unit_keep(&c, g_strdup_printf("DKIM-Signature: garbage\r\n%s",
	    acm_mail(&c)));
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m);
	assert_int_equal(json_array_size(d), 3);
	e = json_array_get(d, 0);
	assert_string_equal(unit_jstr(e, "result"), "fail");
	assert_false(json_is_true(json_object_get(e, "aligned")));
	assert_sig(d, 1, DOM_ACM, SEL_ACM, "pass", NULL, true);
	unit_capture_free(&c);
}

/*
 * Every signature may want a body hash of its own, and libopendkim
 * computes them all: past 16 signatures nothing is checked.
 */
static void
test_dkim_too_many_signatures(void **state)
{
	struct capture c;
	GString *m = g_string_new(NULL);
	json_t *d;
	int i;

	(void)state;
	unit_capture_init(&c);
	unit_own(&c, m, gstring_free);
	for (i = 0; i < 14; i++)
		g_string_append_printf(m, "DKIM-Signature: v=1; a=rsa-sha256; "
		    "s=s; d=example.com; h=From; l=%d; bh=AA==; b=AA==\r\n", i);
	g_string_append(m, acm_mail(&c));
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m->str);
	assert_int_equal(json_array_size(d), 16);
	assert_sig(d, 14, DOM_ACM, SEL_ACM, "pass", NULL, true);
	/* counted in the obsolete form too, as libopendkim reads it */
	g_string_insert(m, strstr(m->str, "\r\n") + 2 - m->str,
	    "dkim-signature\t: v=1; s=s; d=example.com\r\n");
	d = dkim_of(&c, keys_file(&c, fx.acm, fx.ses), m->str);
	assert_true(json_is_null(d));
	assert_true(unit_jarray_has(unit_record(&c, 0), "warnings",
	    "17 signatures, more than 16"));
	unit_capture_free(&c);
}

/* dig's answer section, zone-file lines, a trailing dot, CRLF, tabs */
static void
test_dkim_keys_file_forms(void **state)
{
	struct capture c;
	char *acm = pub_b64(fx.acm), *ses = pub_b64(fx.ses), *text;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	text = g_strdup_printf(
	    "  # comment\r\n"
	    "\r\n"
	    SEL_ACM "._domainkey." DOM_ACM ". 300 IN TXT "
	    "\"v=DKIM1; k=rsa; \" \"p=%s\"\r\n"
	    "\t" SEL_SES "._DomainKey.AmazonSES.com\tv=DKIM1; p=%s\r\n",
	    acm, ses);
	d = dkim_of(&c, write_file(&c, text), acm_mail(&c));
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	assert_sig(d, 1, DOM_SES, SEL_SES, "pass", NULL, false);
	g_free(text);
	g_free(acm);
	g_free(ses);
	unit_capture_free(&c);
}

static void
test_dkim_keys_file_bad_line(void **state)
{
	static const char *const bad[] = {
		"example.com \"v=DKIM1; p=AAAA\"\n",
		SEL_ACM "._domainkey." DOM_ACM "\n",
		SEL_ACM "._domainkey." DOM_ACM " \"v=DKIM1; p=AAAA\n",
		SEL_ACM "._domainkey." DOM_ACM " v=DKIM1; k=rsa\n",
		SEL_ACM "._domainkey." DOM_ACM " \"p=A\" junk\n",
		SEL_ACM "._domainkey." DOM_ACM " p=A\n"
		    SEL_ACM "._domainkey." DOM_ACM ". p=B\n",
		NULL
	};
	struct capture c;
	const struct unit_diag *u;
	char *path;
	int i;

	(void)state;
	unit_capture_init(&c);
	for (i = 0; bad[i]; i++) {
		path = write_file(&c, unit_keep(&c, g_strdup_printf(
		    "# keys\n%s", bad[i])));
		/* the field stays null: unverifiable is not failed */
		assert_true(json_is_null(dkim_of(&c, path, acm_mail(&c))));
		u = unit_diag(&c, ACM_ERROR, "DKIM keys: line ");
		assert_string_equal(u->path, path);
	}
	unit_capture_free(&c);
}

static void
test_dkim_keys_file_missing(void **state)
{
	struct capture c;
	char *path;

	(void)state;
	unit_capture_init(&c);
	path = unit_keep(&c, g_strdup_printf("%s/none", fx.dir));
	assert_true(json_is_null(dkim_of(&c, path, acm_mail(&c))));
	assert_int_equal(unit_ndiags(&c, ACM_ERROR, "DKIM keys: "), 1);
	unit_capture_free(&c);
}

/* A keys file rewritten in place is read again, not served stale. */
static void
test_dkim_keys_file_changed(void **state)
{
	struct capture c;
	GString *s = g_string_new(NULL);
	char *path, *m;
	struct stat st;
	json_t *d;

	(void)state;
	unit_capture_init(&c);
	m = acm_mail(&c);
	key_record(s, fx.other, SEL_ACM, DOM_ACM);
	path = write_file(&c, s->str);
	d = dkim_of(&c, path, m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "fail", "signature mismatch",
	    true);
	g_string_truncate(s, 0);
	key_record(s, fx.acm, SEL_ACM, DOM_ACM);
	assert_true(g_file_set_contents(path, s->str, -1, NULL));
	/* same size: only the time tells, so make it differ for sure */
	assert_int_equal(stat(path, &st), 0);
	{
		struct timespec ts[2] = { st.st_atim, st.st_mtim };

		ts[1].tv_sec += 10;
		assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	d = dkim_of(&c, path, m);
	assert_sig(d, 0, DOM_ACM, SEL_ACM, "pass", NULL, true);
	g_string_free(s, TRUE);
	unit_capture_free(&c);
}

/* --- SNS ------------------------------------------------------------- */

/*
 * The string SNS signs, as the AWS developer guide spells it out: the
 * keys below in this order, each as "Name\nValue\n", absent ones out.
 */
static char *
sns_tbs(json_t *env)
{
	static const char *const note[] = { "Message", "MessageId",
	    "Subject", "Timestamp", "TopicArn", "Type", NULL };
	static const char *const conf[] = { "Message", "MessageId",
	    "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type", NULL };
	const char *type = json_string_value(json_object_get(env, "Type"));
	const char *const *k = strcmp(type, "Notification") ? conf : note;
	GString *s = g_string_new(NULL);

	for (; *k; k++) {
		json_t *v = json_object_get(env, *k);

		if (v == NULL && strcmp(*k, "SubscribeURL") == 0)
			v = json_object_get(env, "SubscribeUrl");
		if (json_is_string(v))
			g_string_append_printf(s, "%s\n%s\n", *k,
			    json_string_value(v));
	}
	return g_string_free(s, FALSE);
}

/* Sign ENV with KEY as SignatureVersion VERSION says. */
static void
sns_sign(json_t *env, EVP_PKEY *key, const char *version)
{
	char *tbs = sns_tbs(env), *b64;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[1024];
	size_t len = sizeof(sig);

	assert_int_equal(EVP_DigestSignInit(ctx, NULL, strcmp(version, "1") ?
	    EVP_sha256() : EVP_sha1(), NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &len, (unsigned char *)tbs,
	    strlen(tbs)), 1);
	b64 = g_base64_encode(sig, len);
	json_object_set_new(env, "SignatureVersion", json_string(version));
	json_object_set_new(env, "Signature", json_string(b64));
	g_free(b64);
	g_free(tbs);
	EVP_MD_CTX_free(ctx);
}

/* An SNS notification of the SES JSON of a validation mail. */
static json_t *
sns_env(const char *cert)
{
	json_t *ses = unit_ses_doc(UNIT_MAIL, "UTF8");
	char *msg = json_dumps(ses, JSON_COMPACT);
	json_t *env = unit_sns_doc(msg);
	char *url = g_strdup_printf(CERT_URL "%s", cert);

	json_object_set_new(env, "SigningCertURL", json_string(url));
	g_free(url);
	free(msg);
	json_decref(ses);
	return env;
}

/* proof_sns's verdict on ENV with the pinned directory; ENV freed. */
static char *
verdict(struct capture *c, json_t *env)
{
	struct acm_scanner *sc = scanner(c, NULL, fx.certs, 0);
	json_t *v = proof_sns(sc, env);
	char *s;

	assert_true(json_is_string(v));
	s = unit_keep(c, g_strdup(json_string_value(v)));
	json_decref(v);
	json_decref(env);
	return s;
}

static void
test_sns_null_without_certs(void **state)
{
	struct capture c;
	json_t *env = sns_env(CERT_OK), *v;

	(void)state;
	unit_capture_init(&c);
	sns_sign(env, fx.sns, "1");
	v = proof_sns(scanner(&c, NULL, NULL, 0), env);
	assert_true(json_is_null(v));
	json_decref(env);
	unit_capture_free(&c);
}

static void
test_sns_versions_pass(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "1");
	assert_string_equal(verdict(&c, env), "pass");
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	assert_string_equal(verdict(&c, env), "pass");
	unit_capture_free(&c);
}

static void
test_sns_message_changed(void **state)
{
	struct capture c;
	const char *version[] = { "1", "2" };
	json_t *env;
	char *m;
	int i;

	(void)state;
	unit_capture_init(&c);
	for (i = 0; i < 2; i++) {
		env = sns_env(CERT_OK);
		sns_sign(env, fx.sns, version[i]);
		m = g_strdup(json_string_value(json_object_get(env,
		    "Message")));
		*strstr(m, "Sincerely") = 's';
		json_object_set_new(env, "Message", json_string(m));
		g_free(m);
		assert_string_equal(verdict(&c, env), "fail");
		/* a field outside the signed string may change freely */
		env = sns_env(CERT_OK);
		sns_sign(env, fx.sns, version[i]);
		json_object_set_new(env, "UnsubscribeURL", json_string("x"));
		assert_string_equal(verdict(&c, env), "pass");
		/* but not the Timestamp nor the Subject */
		env = sns_env(CERT_OK);
		sns_sign(env, fx.sns, version[i]);
		json_object_set_new(env, "Timestamp",
		    json_string("2024-06-05T09:07:05.457Z"));
		assert_string_equal(verdict(&c, env), "fail");
		env = sns_env(CERT_OK);
		sns_sign(env, fx.sns, version[i]);
		json_object_del(env, "Subject");
		assert_string_equal(verdict(&c, env), "fail");
	}
	unit_capture_free(&c);
}

static void
test_sns_subject_absent_or_null(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	env = sns_env(CERT_OK);
	json_object_del(env, "Subject");
	sns_sign(env, fx.sns, "2");
	assert_string_equal(verdict(&c, env), "pass");
	env = sns_env(CERT_OK);
	json_object_del(env, "Subject");
	sns_sign(env, fx.sns, "1");
	json_object_set_new(env, "Subject", json_null());	/* Lambda */
	assert_string_equal(verdict(&c, env), "pass");
	unit_capture_free(&c);
}

static void
test_sns_version_mismatch_and_unknown(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	/* signed with SHA256, claiming SHA1 */
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	json_object_set_new(env, "SignatureVersion", json_string("1"));
	assert_string_equal(verdict(&c, env), "fail");
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	json_object_set_new(env, "SignatureVersion", json_string("3"));
	assert_string_equal(verdict(&c, env), "unsupported-version");
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	json_object_del(env, "SignatureVersion");
	assert_string_equal(verdict(&c, env), "unsupported-version");
	unit_capture_free(&c);
}

static void
test_sns_bad_cert_urls(void **state)
{
	static const char *const bad[] = {
		"http://sns.eu-west-1.amazonaws.com/" CERT_OK,
		"https://sns.eu-west-1.amazonaws.com.evil.example/" CERT_OK,
		"https://evil.example/sns.eu-west-1.amazonaws.com/" CERT_OK,
		"https://sns.eu-west-1.amazonaws.eu/" CERT_OK,
		"https://sns.a.amazonaws.com/" CERT_OK,
		"https://sns.eu_west-1.amazonaws.com/" CERT_OK,
		"https://x@sns.eu-west-1.amazonaws.com/" CERT_OK,
		"https://sns.eu-west-1.amazonaws.com:8443/" CERT_OK,
		"https://sns.eu-west-1.amazonaws.com/" CERT_OK "?x=1",
		"https://sns.eu-west-1.amazonaws.com/cert.txt",
		"https://sns.eu-west-1.amazonaws.com/..%2fcerts.pem",
		"https://sns.eu-west-1.amazonaws.com/.pem",
		"https://sns.eu-west-1.amazonaws.com",
		"",
		NULL
	};
	struct capture c;
	json_t *env;
	int i;

	(void)state;
	unit_capture_init(&c);
	for (i = 0; bad[i]; i++) {
		env = sns_env(CERT_OK);
		sns_sign(env, fx.sns, "1");
		json_object_set_new(env, "SigningCertURL",
		    json_string(bad[i]));
		if (strcmp(verdict(&c, env), "bad-cert-url") != 0)
			fail_msg("accepted: %s", bad[i]);
	}
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "1");
	json_object_del(env, "SigningCertURL");
	assert_string_equal(verdict(&c, env), "bad-cert-url");
	/* China and GovCloud hosts are AWS's too */
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "1");
	json_object_set_new(env, "SigningCertURL", json_string(
	    "https://sns.cn-north-1.amazonaws.com.cn/" CERT_OK));
	assert_string_equal(verdict(&c, env), "pass");
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "1");
	json_object_set_new(env, "SigningCertURL", json_string(
	    "https://sns.us-gov-west-1.amazonaws.com/" CERT_OK));
	assert_string_equal(verdict(&c, env), "pass");
	unit_capture_free(&c);
}

static void
test_sns_no_cert(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	env = sns_env("SimpleNotificationService-"
	    "11111111111111111111111111111111.pem");
	sns_sign(env, fx.sns, "1");
	assert_string_equal(verdict(&c, env), "no-cert");
	unit_capture_free(&c);
}

static void
test_sns_certs_dir_missing(void **state)
{
	struct capture c;
	struct acm_scanner *sc;
	json_t *env = sns_env(CERT_OK), *v;
	char *dir;

	(void)state;
	unit_capture_init(&c);
	sns_sign(env, fx.sns, "1");
	dir = unit_keep(&c, g_strdup_printf("%s/nocerts", fx.dir));
	sc = scanner(&c, NULL, dir, 0);
	v = proof_sns(sc, env);
	assert_true(json_is_null(v));
	assert_string_equal(unit_diag(&c, ACM_ERROR, "SNS certificates: ")->
	    path, dir);
	json_decref(env);
	unit_capture_free(&c);
}

/* Validity is judged at the message's Timestamp, not now. */
static void
test_sns_cert_validity_at_timestamp(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	/* CERT_OLD expired in 2021: the 2024 message fails with it */
	env = sns_env(CERT_OLD);
	sns_sign(env, fx.sns, "1");
	assert_string_equal(verdict(&c, env), "fail");
	/* and passes when it was sent in 2020 */
	env = sns_env(CERT_OLD);
	json_object_set_new(env, "Timestamp",
	    json_string("2020-06-05T09:07:05.456Z"));
	sns_sign(env, fx.sns, "1");
	assert_string_equal(verdict(&c, env), "pass");
	/* CERT_OK ends in 2025: a 2026 message fails */
	env = sns_env(CERT_OK);
	json_object_set_new(env, "Timestamp",
	    json_string("2026-06-05T09:07:05.456Z"));
	sns_sign(env, fx.sns, "2");
	assert_string_equal(verdict(&c, env), "fail");
	/* no readable Timestamp, no validity */
	env = sns_env(CERT_OK);
	json_object_set_new(env, "Timestamp", json_string("yesterday"));
	sns_sign(env, fx.sns, "2");
	assert_string_equal(verdict(&c, env), "fail");
	unit_capture_free(&c);
}

static void
test_sns_wrong_key(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	env = sns_env(CERT_OTHER);	/* a certificate of another key */
	sns_sign(env, fx.sns, "2");
	assert_string_equal(verdict(&c, env), "fail");
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	json_object_set_new(env, "Signature", json_string("bm90IGJhc2U2NA"
	    "==!"));
	assert_string_equal(verdict(&c, env), "fail");
	unit_capture_free(&c);
}

static void
test_sns_confirmation(void **state)
{
	struct capture c;
	json_t *env;

	(void)state;
	unit_capture_init(&c);
	env = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "Type", "SubscriptionConfirmation",
	    "MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
	    "Token", "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6",
	    "TopicArn", "arn:aws:sns:eu-west-1:111122223333:acm-mail",
	    "Message", "You have chosen to subscribe to the topic.",
	    "SubscribeUrl", "https://sns.eu-west-1.amazonaws.com/"
	    "?Action=ConfirmSubscription",
	    "Timestamp", "2024-06-05T09:07:05.456Z",
	    "SigningCertUrl", CERT_URL CERT_OK);
	sns_sign(env, fx.sns, "1");
	assert_string_equal(verdict(&c, json_incref(env)), "pass");
	json_object_set_new(env, "Token", json_string("0"));
	assert_string_equal(verdict(&c, json_incref(env)), "fail");
	json_object_set_new(env, "Type", json_string("Something"));
	assert_string_equal(verdict(&c, env), "fail");
	unit_capture_free(&c);
}

/* The "sns" facts of the one record TEXT gives, scanned as NAME. */
static json_t *
sns_of(struct capture *c, const char *text, const char *name)
{
	struct acm_scanner *sc = scanner(c, NULL, fx.certs, 0);

	unit_capture_reset(c);
	acm_scan_buffer(sc, text, strlen(text), name);
	assert_int_equal(unit_nrecords(c), 1);
	return json_object_get(unit_record(c, 0), "sns");
}

static void
test_sns_record_json_and_lambda(void **state)
{
	struct capture c;
	json_t *env, *ev;

	(void)state;
	unit_capture_init(&c);
	env = sns_env(CERT_OK);
	sns_sign(env, fx.sns, "2");
	assert_string_equal(unit_jstr(sns_of(&c, unit_dump(&c,
	    json_incref(env), 0), "sns.json"), "signature"), "pass");
	/* the Lambda spellings, Subject null */
	json_object_del(env, "SigningCertURL");
	json_object_del(env, "UnsubscribeURL");
	json_object_del(env, "Subject");
	json_object_set_new(env, "SigningCertUrl", json_string(CERT_URL
	    CERT_OK));
	sns_sign(env, fx.sns, "1");
	json_object_set_new(env, "Subject", json_null());
	ev = json_pack("{s:[{s:s, s:s, s:o}]}", "Records", "EventSource",
	    "aws:sns", "EventVersion", "1.0", "Sns", json_incref(env));
	assert_string_equal(unit_jstr(sns_of(&c, unit_dump(&c, ev, 0),
	    "lambda.json"), "signature"), "pass");
	/* one byte of the carried mail changed */
	json_object_set_new(env, "Message", json_string(edit(&c,
	    json_string_value(json_object_get(env, "Message")),
	    "AWS account ID", "AWS account Id")));
	ev = json_pack("{s:[{s:o}]}", "Records", "Sns", env);
	assert_string_equal(unit_jstr(sns_of(&c, unit_dump(&c, ev, 0),
	    "lambda.json"), "signature"), "fail");
	unit_capture_free(&c);
}

/*
 * SNS "email-json": the envelope pretty-printed as the body, its long
 * lines re-wrapped with "!" + newline + space.  The parsed values are
 * what was signed, so it verifies once the re-wraps are undone.
 */
static void
test_sns_email_json(void **state)
{
	struct capture c;
	json_t *env = sns_env(CERT_OK);
	char *body;
	GString *mail = g_string_new(
	    "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
	    "To: ops@example.com\n"
	    "Subject: Amazon SES Email Receipt Notification\n"
	    "Date: Wed, 05 Jun 2024 09:07:06 +0000\n"
	    "Message-ID: <sns-email-json@email.amazonses.com>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 7bit\n\n");
	size_t i, col = 0;

	(void)state;
	unit_capture_init(&c);
	sns_sign(env, fx.sns, "1");
	body = json_dumps(env, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	for (i = 0; body[i]; i++) {
		if (col == 900) {
			g_string_append(mail, "!\n ");
			col = 0;
		}
		g_string_append_c(mail, body[i]);
		col = body[i] == '\n' ? 0 : col + 1;
	}
	g_string_append_c(mail, '\n');
	assert_non_null(strstr(mail->str, "!\n "));
	assert_string_equal(unit_jstr(sns_of(&c, mail->str, "mail.eml"),
	    "signature"), "pass");
	free(body);
	g_string_free(mail, TRUE);
	json_decref(env);
	unit_capture_free(&c);
}

/* --- set-up ------------------------------------------------------------ */

static X509 *
make_cert(EVP_PKEY *key, const char *from, const char *to)
{
	X509 *x = X509_new();
	X509_NAME *n;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	assert_int_equal(ASN1_TIME_set_string_X509(X509_getm_notBefore(x),
	    from), 1);
	assert_int_equal(ASN1_TIME_set_string_X509(X509_getm_notAfter(x),
	    to), 1);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)"sns.amazonaws.com", -1, -1, 0);
	X509_set_issuer_name(x, n);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static void
write_cert(const char *name, EVP_PKEY *key, const char *from, const char *to)
{
	char *path = g_build_filename(fx.certs, name, NULL);
	X509 *x = make_cert(key, from, to);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	X509_free(x);
	g_free(path);
}

static int
setup(void **state)
{
	(void)state;
	fx.dir = g_dir_make_tmp("acm-proof-XXXXXX", NULL);
	if (fx.dir == NULL)
		return -1;
	fx.certs = g_build_filename(fx.dir, "certs", NULL);
	g_mkdir(fx.certs, 0700);
	fx.acm = EVP_RSA_gen(2048);
	fx.ses = EVP_RSA_gen(2048);
	fx.other = EVP_RSA_gen(2048);
	fx.sns = EVP_RSA_gen(2048);
	fx.signer = dkim_init(NULL, NULL);
	if (!fx.acm || !fx.ses || !fx.other || !fx.sns || !fx.signer)
		return -1;
	write_cert(CERT_OK, fx.sns, "20240101000000Z", "20250101000000Z");
	write_cert(CERT_OLD, fx.sns, "20200101000000Z", "20210101000000Z");
	write_cert(CERT_OTHER, fx.other, "20240101000000Z",
	    "20250101000000Z");
	return 0;
}

static void
remove_tree(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(path, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			remove_tree(p);
		else
			g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(path);
}

static int
teardown(void **state)
{
	(void)state;
	remove_tree(fx.dir);
	g_free(fx.dir);
	g_free(fx.certs);
	EVP_PKEY_free(fx.acm);
	EVP_PKEY_free(fx.ses);
	EVP_PKEY_free(fx.other);
	EVP_PKEY_free(fx.sns);
	dkim_close(fx.signer);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dkim_null_without_keys),
		cmocka_unit_test(test_dkim_pass_both_signatures),
		cmocka_unit_test(test_dkim_body_byte_changed),
		cmocka_unit_test(test_dkim_signed_header_changed),
		cmocka_unit_test(test_dkim_unsigned_header_added),
		cmocka_unit_test(test_dkim_wrong_key),
		cmocka_unit_test(test_dkim_missing_key_is_no_key),
		cmocka_unit_test(test_dkim_revoked_key),
		cmocka_unit_test(test_dkim_unsigned_mail),
		cmocka_unit_test(test_dkim_ses_headers_and_lf),
		cmocka_unit_test(test_dkim_parent_domain_aligns),
		cmocka_unit_test(test_dkim_body_past_signed_length),
		cmocka_unit_test(test_dkim_edited_signature),
		cmocka_unit_test(test_dkim_unsupported_algorithm),
		cmocka_unit_test(test_dkim_garbage_signature),
		cmocka_unit_test(test_dkim_too_many_signatures),
		cmocka_unit_test(test_dkim_keys_file_forms),
		cmocka_unit_test(test_dkim_keys_file_bad_line),
		cmocka_unit_test(test_dkim_keys_file_missing),
		cmocka_unit_test(test_dkim_keys_file_changed),
		cmocka_unit_test(test_sns_null_without_certs),
		cmocka_unit_test(test_sns_versions_pass),
		cmocka_unit_test(test_sns_message_changed),
		cmocka_unit_test(test_sns_subject_absent_or_null),
		cmocka_unit_test(test_sns_version_mismatch_and_unknown),
		cmocka_unit_test(test_sns_bad_cert_urls),
		cmocka_unit_test(test_sns_no_cert),
		cmocka_unit_test(test_sns_certs_dir_missing),
		cmocka_unit_test(test_sns_cert_validity_at_timestamp),
		cmocka_unit_test(test_sns_wrong_key),
		cmocka_unit_test(test_sns_confirmation),
		cmocka_unit_test(test_sns_record_json_and_lambda),
		cmocka_unit_test(test_sns_email_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
