/*
 * audit_timeline.c - validation mails over time: distinct mails counted
 * in buckets of a day, a month, a quarter or a year, whichever is the
 * finest that keeps the chart short, from the first mail to the last
 * with the empty buckets in between.
 */
#include <string.h>
#include <time.h>

#include "audit_report.h"

#define MAX_BUCKETS	48

enum unit { DAY, MONTH, QUARTER, YEAR };

static const char *const unit_names[] = { "day", "month", "quarter",
	"year" };

/* The bucket number of T: days, or months, quarters, years since 0. */
static long long
bucket_of(int64_t t, enum unit u)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long long y, m;

	if (u == DAY)
		return (t >= 0 ? t : t - 86399) / 86400;
	gmtime_r(&tt, &tm);
	y = tm.tm_year + 1900LL;
	m = tm.tm_mon;
	if (u == MONTH)
		return y * 12 + m;
	if (u == QUARTER)
		return y * 4 + m / 3;
	return y;
}

static void
bucket_label(struct audit_bucket *b, long long n, enum unit u)
{
	long long y, m = 0, d = 1;

	if (u == DAY) {
		time_t tt = (time_t)(n * 86400);
		struct tm tm;

		gmtime_r(&tt, &tm);
		y = tm.tm_year + 1900LL;
		m = tm.tm_mon;
		d = tm.tm_mday;
		snprintf(b->label, sizeof(b->label), "%04lld-%02lld-%02lld",
		    y, m + 1, d);
	} else if (u == MONTH) {
		y = n / 12;
		m = n % 12;
		snprintf(b->label, sizeof(b->label), "%04lld-%02lld", y,
		    m + 1);
	} else if (u == QUARTER) {
		y = n / 4;
		m = (n % 4) * 3;
		snprintf(b->label, sizeof(b->label), "%04lld-Q%lld", y,
		    n % 4 + 1);
	} else {
		y = n;
		snprintf(b->label, sizeof(b->label), "%04lld", y);
	}
	snprintf(b->start, sizeof(b->start), "%04lld-%02lld-%02lldT00:00:00Z",
	    y, m + 1, d);
}

void
audit_timeline(struct audit_report *r)
{
	GHashTable *done = g_hash_table_new(g_str_hash, g_str_equal);
	int64_t lo = 0, hi = 0;
	bool any = false;
	enum unit u;
	long long first = 0, last, n;
	guint i;

	r->timeline = g_array_new(FALSE, TRUE, sizeof(struct audit_bucket));
	for (i = 0; i < r->mails->len; i++) {
		const struct audit_mail *m = r->mails->pdata[i];

		if (m->date == NULL)
			continue;
		if (!any || m->t < lo)
			lo = m->t;
		if (!any || m->t > hi)
			hi = m->t;
		any = true;
	}
	for (u = DAY; u < YEAR; u++)
		if (bucket_of(hi, u) - bucket_of(lo, u) < MAX_BUCKETS)
			break;
	r->unit = unit_names[u];
	if (any) {
		first = bucket_of(lo, u);
		last = bucket_of(hi, u);
		for (n = first; n <= last; n++) {
			struct audit_bucket b;

			memset(&b, 0, sizeof(b));
			bucket_label(&b, n, u);
			g_array_append_val(r->timeline, b);
		}
	}

	/* each distinct mail once, at the date of its first copy */
	for (i = 0; i < r->mails->len; i++) {
		const struct audit_mail *m = r->mails->pdata[i];
		const struct audit_once *o;
		struct audit_bucket *b;

		if (!g_hash_table_add(done, m->key))
			continue;
		if (m->date == NULL) {
			r->undated++;
			continue;
		}
		o = g_hash_table_lookup(r->once, m->key);
		b = &g_array_index(r->timeline, struct audit_bucket,
		    bucket_of(m->t, u) - first);
		b->mails++;
		if (o && o->failed)
			b->failed++;
	}
	g_hash_table_destroy(done);
}
