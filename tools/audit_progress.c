/*
 * audit_progress.c - one line on standard error, rewritten in place,
 * for runs long enough to need it: shown after a second, redrawn four
 * times a second at most, erased before any other message and at the
 * end, so that nothing of it stays on the terminal.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <string.h>

#include "audit_report.h"

#define SHOW_AFTER	G_USEC_PER_SEC
#define REDRAW_EVERY	(G_USEC_PER_SEC / 4)

static uint64_t
tree_size(const char *path, int depth)
{
	struct stat st;
	struct dirent *de;
	uint64_t n = 0;
	DIR *d;

	if (stat(path, &st) == -1)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	if (depth > 64 || (d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = g_build_filename(path, de->d_name, NULL);
		n += tree_size(p, depth + 1);
		g_free(p);
	}
	closedir(d);
	return n;
}

/* Standard input has no size to go by. */
uint64_t
audit_path_size(const char *path)
{
	if (strcmp(path, "-") == 0)
		return 0;
	return tree_size(path, 0);
}

void
audit_progress_init(struct audit_progress *p, FILE *f, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->total = total;
	p->start = g_get_monotonic_time();
}

static void
human(char *buf, size_t n, double v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB",
		"TiB" };
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static uint64_t
done_bytes(const struct audit_progress *p)
{
	uint64_t in = p->arg_done + p->arg_at;

	if (p->arg_size && in > p->arg_size)
		in = p->arg_size;
	return p->base + in;
}

static void
draw(struct audit_progress *p, bool force)
{
	gint64 now = g_get_monotonic_time();
	double secs = (now - p->start) / (double)G_USEC_PER_SEC;
	uint64_t done = done_bytes(p);
	char d[32], t[32], rate[32];
	double bps;

	if (p->f == NULL || now - p->start < SHOW_AFTER ||
	    (!force && now - p->drawn < REDRAW_EVERY))
		return;
	p->drawn = now;
	p->shown = true;
	bps = secs > 0 ? done / secs : 0;
	human(d, sizeof(d), (double)done);
	human(rate, sizeof(rate), bps);
	fprintf(p->f, "\racmaudit: %s", d);
	if (p->total) {
		human(t, sizeof(t), (double)p->total);
		fprintf(p->f, " of %s (%d%%)", t, (int)(100.0 *
		    MIN(done, p->total) / p->total));
	}
	fprintf(p->f, ", %llu messages, %s/s", (unsigned long long)
	    (p->messages + p->at_message), rate);
	if (p->total && bps > 0 && done < p->total) {
		long left = (long)((p->total - done) / bps);

		fprintf(p->f, ", ETA %ld:%02ld", left / 60, left % 60);
	}
	fputs("\033[K", p->f);
	fflush(p->f);
}

void
audit_progress_arg(struct audit_progress *p, uint64_t size)
{
	p->arg_size = size;
	p->arg_done = p->arg_at = p->at_message = 0;
	draw(p, false);
}

/* A record says how far into its input the scan has come. */
void
audit_progress_record(struct audit_progress *p, json_t *rec)
{
	json_t *src = json_object_get(rec, "source");
	json_int_t off = json_integer_value(json_object_get(src, "offset"));
	json_int_t idx = json_integer_value(json_object_get(src, "index"));

	if (off > 0)
		p->arg_at = (uint64_t)off;
	if (idx >= 0)
		p->at_message = (uint64_t)idx + 1;
	draw(p, false);
}

void
audit_progress_input(struct audit_progress *p,
    const struct acm_input_stats *st)
{
	p->arg_done += st->bytes;
	p->arg_at = 0;
	p->messages += st->messages;
	p->at_message = 0;
	draw(p, false);
}

void
audit_progress_arg_end(struct audit_progress *p)
{
	p->base += p->arg_size ? p->arg_size : p->arg_done;
	p->arg_size = p->arg_done = p->arg_at = p->at_message = 0;
	draw(p, false);
}

void
audit_progress_clear(struct audit_progress *p)
{
	if (p->f == NULL || !p->shown)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->shown = false;
}
