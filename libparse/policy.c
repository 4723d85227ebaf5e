/*
 * policy.c - what the user expects (accounts, domains, regions,
 * certificates) and how strict the rules are (age, SES verdicts), from
 * the command line or from a policy file.
 *
 * The file format is one setting a line, a keyword and its values
 * separated by blanks, '#' to the end of the line a comment:
 *
 *	account 111122223333 4444-5555-6666
 *	domain example.com *.example.org
 *	region eu-west-1
 *	certificate arn:aws:acm:eu-west-1:111122223333:certificate/UUID
 *	max-age 72h
 *	require-ses [spf dkim dmarc spam virus]
 *	require-dkim [certificates.amazon.com ...]
 *	require-sns-signature
 *
 * Every value is checked when it is read, so that a typo is an error
 * naming the file and line instead of a mail that never matches.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#define POLICY_MAX_FILE		(1u << 20)
#define POLICY_MAX_LINE		4096
#define MAX_AGE_LIMIT		(INT64_C(100) * 366 * 86400)

struct acm_policy {
	GPtrArray	*expect[ACM_EXPECT_COUNT];	/* normalised */
	int64_t		 max_age;			/* 0: no rule */
	unsigned	 ses;
	GPtrArray	*dkim;		/* domains, NULL-ended; NULL: none */
	bool		 sns_signature;
};

static const char *const kind_names[ACM_EXPECT_COUNT] = {
	[ACM_EXPECT_ACCOUNT] = "account",
	[ACM_EXPECT_DOMAIN] = "domain",
	[ACM_EXPECT_REGION] = "region",
	[ACM_EXPECT_CERT] = "certificate",
};

static const struct {
	const char	*name;
	unsigned	 bit;
} ses_names[] = {
	{ "spf", ACM_SES_SPF },
	{ "dkim", ACM_SES_DKIM },
	{ "dmarc", ACM_SES_DMARC },
	{ "spam", ACM_SES_SPAM },
	{ "virus", ACM_SES_VIRUS },
};

struct acm_policy *
acm_policy_new(void)
{
	struct acm_policy *p = g_new0(struct acm_policy, 1);
	int i;

	for (i = 0; i < ACM_EXPECT_COUNT; i++)
		p->expect[i] = g_ptr_array_new_with_free_func(g_free);
	p->max_age = ACM_DEFAULT_MAX_AGE;
	return p;
}

void
acm_policy_free(struct acm_policy *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < ACM_EXPECT_COUNT; i++)
		g_ptr_array_free(p->expect[i], TRUE);
	if (p->dkim)
		g_ptr_array_free(p->dkim, TRUE);
	g_free(p);
}

/*
 * A value quoted in an error message, cut short.  Its bytes are kept
 * as they are: the tools escape whatever they print, once (escaping
 * here too printed a control byte as \\x1b).
 */
static char *
quote(const char *s)
{
	return g_strdup_printf("'%.64s%s'", s, strlen(s) > 64 ? "..." : "");
}

static const char *const kind_wants[ACM_EXPECT_COUNT] = {
	[ACM_EXPECT_ACCOUNT] = "12 digits",
	[ACM_EXPECT_DOMAIN] = "a domain name such as example.com or "
	    "*.example.com",
	[ACM_EXPECT_REGION] = "a region code such as eu-west-1",
	[ACM_EXPECT_CERT] = "a certificate ARN or UUID",
};

bool
acm_policy_expect(struct acm_policy *p, enum acm_expect k,
    const char *value, char **err)
{
	char *n, *q;

	if ((unsigned)k >= ACM_EXPECT_COUNT)
		return false;
	if ((n = expect_normalise(k, value)) == NULL) {
		q = quote(value);
		*err = g_strdup_printf("%s %s is not %s", kind_names[k], q,
		    kind_wants[k]);
		g_free(q);
		return false;
	}
	g_ptr_array_add(p->expect[k], n);
	return true;
}

bool
acm_policy_set_max_age(struct acm_policy *p, const char *s, char **err)
{
	const char *e = s;
	int64_t v = 0, unit;
	char *q;

	if (strcmp(s, "none") == 0 || strcmp(s, "0") == 0) {
		p->max_age = 0;
		return true;
	}
	while (g_ascii_isdigit(*e) && v <= MAX_AGE_LIMIT)
		v = v * 10 + (*e++ - '0');
	switch (*e) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: unit = 0; break;
	}
	if (e == s || unit == 0 || e[1] != '\0' || v == 0 ||
	    v > MAX_AGE_LIMIT / unit) {
		q = quote(s);
		*err = g_strdup_printf("max-age %s is not a duration such "
		    "as 72h, 30d, 90m or 3600s, or none", q);
		g_free(q);
		return false;
	}
	p->max_age = v * unit;
	return true;
}

int64_t
acm_policy_max_age(const struct acm_policy *p)
{
	return p->max_age;
}

void
acm_policy_require_ses(struct acm_policy *p, unsigned verdicts)
{
	p->ses |= verdicts;
}

unsigned
acm_policy_ses(const struct acm_policy *p)
{
	return p->ses;
}

bool
acm_policy_require_dkim(struct acm_policy *p, const char *domain,
    char **err)
{
	char *d, *q;
	size_t n;
	guint i;

	d = g_ascii_strdown(domain ? domain : "certificates.amazon.com", -1);
	if ((n = strlen(d)) > 1 && d[n - 1] == '.')
		d[n - 1] = '\0';
	if (!hostname_valid(d) || strchr(d, '.') == NULL) {
		q = quote(domain);
		*err = g_strdup_printf("require-dkim %s is not a domain name "
		    "such as certificates.amazon.com", q);
		g_free(q);
		g_free(d);
		return false;
	}
	if (p->dkim == NULL) {
		p->dkim = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(p->dkim, NULL);
	}
	for (i = 0; i + 1 < p->dkim->len; i++)
		if (strcmp(p->dkim->pdata[i], d) == 0) {
			g_free(d);
			return true;
		}
	p->dkim->pdata[p->dkim->len - 1] = d;
	g_ptr_array_add(p->dkim, NULL);
	return true;
}

const char *const *
acm_policy_dkim_domains(const struct acm_policy *p)
{
	return p->dkim ? (const char *const *)p->dkim->pdata : NULL;
}

void
acm_policy_require_sns_signature(struct acm_policy *p)
{
	p->sns_signature = true;
}

bool
acm_policy_sns_signature_required(const struct acm_policy *p)
{
	return p->sns_signature;
}

int
acm_policy_allows(const struct acm_policy *p, enum acm_expect k,
    const char *value)
{
	GPtrArray *a;
	char *v;
	guint i;
	int ok = 0;

	if ((unsigned)k >= ACM_EXPECT_COUNT || p->expect[k]->len == 0)
		return -1;
	if (value == NULL || (v = expect_normalise(k, value)) == NULL)
		return 0;
	a = p->expect[k];
	for (i = 0; i < a->len && !ok; i++) {
		const char *e = a->pdata[i];

		if (strcmp(e, v) == 0)
			ok = 1;
		else if (k == ACM_EXPECT_DOMAIN && e[0] == '*' &&
		    strlen(v) > strlen(e) - 1 &&
		    g_str_has_suffix(v, e + 1))
			ok = 1;
		else if (k == ACM_EXPECT_CERT) {
			/* an ARN and a UUID agree on the UUID */
			const char *se = strrchr(e, '/');
			const char *sv = strrchr(v, '/');

			if ((se == NULL) != (sv == NULL) &&
			    strcmp(se ? se + 1 : e, sv ? sv + 1 : v) == 0)
				ok = 1;
		}
	}
	g_free(v);
	return ok;
}

char *
acm_policy_describe(const struct acm_policy *p, enum acm_expect k)
{
	GString *s;
	guint i;

	if ((unsigned)k >= ACM_EXPECT_COUNT || p->expect[k]->len == 0)
		return NULL;
	s = g_string_new(NULL);
	for (i = 0; i < p->expect[k]->len; i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "",
		    (char *)p->expect[k]->pdata[i]);
	return g_string_free(s, FALSE);
}

/* The values of one line: blank-separated, up to a '#'. */
static GPtrArray *
tokens(const char *s, size_t n)
{
	GPtrArray *t = g_ptr_array_new_with_free_func(g_free);
	size_t i = 0, start;

	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n || s[i] == '#')
			break;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		g_ptr_array_add(t, g_strndup(s + start, i - start));
	}
	return t;
}

/* One line; NULL when it is good, else what is wrong with it. */
static char *
policy_line(struct acm_policy *p, const char *s, size_t n)
{
	GPtrArray *t;
	const char *kw;
	char *err = NULL, *q;
	guint i, k;
	int kind = -1;

	if (memchr(s, '\0', n))
		return g_strdup("NUL byte in line");
	if (n > POLICY_MAX_LINE)
		return g_strdup_printf("line longer than %d bytes",
		    POLICY_MAX_LINE);
	t = tokens(s, n);
	if (t->len == 0)
		goto out;
	kw = t->pdata[0];
	for (k = 0; k < ACM_EXPECT_COUNT; k++)
		if (strcmp(kw, kind_names[k]) == 0)
			kind = k;
	if (kind >= 0) {
		if (t->len < 2)
			err = g_strdup_printf("%s needs at least one value",
			    kw);
		for (i = 1; i < t->len && err == NULL; i++)
			acm_policy_expect(p, kind, t->pdata[i], &err);
	} else if (strcmp(kw, "max-age") == 0) {
		if (t->len != 2)
			err = g_strdup("max-age takes one value: a duration "
			    "such as 72h, or none");
		else
			acm_policy_set_max_age(p, t->pdata[1], &err);
	} else if (strcmp(kw, "require-ses") == 0) {
		unsigned bits = t->len == 1 ? ACM_SES_DEFAULT : 0;

		for (i = 1; i < t->len && err == NULL; i++) {
			unsigned bit = 0;

			for (k = 0; k < G_N_ELEMENTS(ses_names); k++)
				if (strcmp(t->pdata[i], ses_names[k].name) == 0)
					bit = ses_names[k].bit;
			if (bit == 0) {
				q = quote(t->pdata[i]);
				err = g_strdup_printf("unknown SES verdict %s "
				    "(spf, dkim, dmarc, spam, virus)", q);
				g_free(q);
			}
			bits |= bit;
		}
		if (err == NULL)
			p->ses |= bits;
	} else if (strcmp(kw, "require-dkim") == 0) {
		if (t->len == 1)
			acm_policy_require_dkim(p, NULL, &err);
		for (i = 1; i < t->len && err == NULL; i++)
			acm_policy_require_dkim(p, t->pdata[i], &err);
	} else if (strcmp(kw, "require-sns-signature") == 0) {
		if (t->len != 1)
			err = g_strdup("require-sns-signature takes no value");
		else
			p->sns_signature = true;
	} else {
		q = quote(kw);
		err = g_strdup_printf("unknown keyword %s (account, domain, "
		    "region, certificate, max-age, require-ses, require-dkim, "
		    "require-sns-signature)", q);
		g_free(q);
	}
out:
	g_ptr_array_free(t, TRUE);
	return err;
}

bool
acm_policy_parse(struct acm_policy *p, const char *buf, size_t len,
    const char *name, char **err)
{
	const char *s = buf, *end = buf + len, *nl;
	unsigned long line = 0;
	char *what;

	/* Windows editors start a UTF-8 file with a byte order mark */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		size_t n;

		line++;
		nl = memchr(s, '\n', end - s);
		n = (nl ? nl : end) - s;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if ((what = policy_line(p, s, n)) != NULL) {
			*err = g_strdup_printf("%s:%lu: %s", name, line, what);
			g_free(what);
			return false;
		}
		s = nl ? nl + 1 : end;
	}
	return true;
}

bool
acm_policy_load(struct acm_policy *p, const char *path, char **err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;
	bool ok;

	/* one byte past the limit tells a file that is too large */
	if (f == NULL) {
		*err = g_strdup_printf("%s: cannot read: %s", path,
		    strerror(errno));
		return false;
	}
	buf = g_malloc(POLICY_MAX_FILE + 1);
	len = fread(buf, 1, POLICY_MAX_FILE + 1, f);
	if (ferror(f))
		*err = g_strdup_printf("%s: cannot read: %s", path,
		    strerror(errno));
	else if (len > POLICY_MAX_FILE)
		*err = g_strdup_printf("%s: policy file larger than %u bytes",
		    path, POLICY_MAX_FILE);
	ok = !ferror(f) && len <= POLICY_MAX_FILE &&
	    acm_policy_parse(p, buf, len, path, err);
	fclose(f);
	g_free(buf);
	return ok;
}
