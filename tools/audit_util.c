/*
 * audit_util.c - small pieces every report writer needs: lists joined,
 * the age rule and SES verdicts in words, where a mail was found.
 */
#include <string.h>

#include "audit_report.h"

char *
audit_join(const GPtrArray *a, const char *sep)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; a && i < a->len; i++) {
		if (i > 0)
			g_string_append(s, sep);
		g_string_append(s, a->pdata[i]);
	}
	return g_string_free(s, FALSE);
}

/* In the largest unit that says it exactly, as --max-age takes it. */
char *
audit_age(int64_t t)
{
	if (t <= 0)
		return g_strdup("none");
	if (t % 86400 == 0 && t >= 4 * 86400)
		return g_strdup_printf("%lldd", (long long)(t / 86400));
	if (t % 3600 == 0)
		return g_strdup_printf("%lldh", (long long)(t / 3600));
	if (t % 60 == 0)
		return g_strdup_printf("%lldm", (long long)(t / 60));
	return g_strdup_printf("%llds", (long long)t);
}

char *
audit_ses_names(unsigned ses)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} v[] = {
		{ ACM_SES_SPF, "spf" }, { ACM_SES_DKIM, "dkim" },
		{ ACM_SES_DMARC, "dmarc" }, { ACM_SES_SPAM, "spam" },
		{ ACM_SES_VIRUS, "virus" },
	};
	GString *s = g_string_new(NULL);
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(v); i++) {
		if ((ses & v[i].bit) == 0)
			continue;
		if (s->len > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, v[i].name);
	}
	return g_string_free(s, FALSE);
}

char *
audit_where(const struct audit_mail *m)
{
	GString *s = g_string_new(m->path);

	if (m->entry)
		g_string_append_printf(s, ":%s", m->entry);
	if (m->index >= 0)
		g_string_append_printf(s, "#%ld", m->index);
	return g_string_free(s, FALSE);
}

const char *
audit_day(const char *t, char buf[16])
{
	if (t == NULL || strlen(t) < 10)
		return "-";
	memcpy(buf, t, 10);
	buf[10] = '\0';
	return buf;
}
