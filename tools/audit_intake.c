/*
 * audit_intake.c - which inputs go into the inventory.
 *
 * A file of acmextract records stands for the inputs it was made from:
 * its --inventory lines name them, and its records carry their paths.
 * For `acmaudit part*.jsonl` to report exactly what `acmaudit shard...`
 * reports, those lines become inventory rows and the record file itself
 * does not.  libparse hands an inventory line and the end of a file to
 * on_input alike, so the calls are told apart here:
 *
 *	- acmaudit scans one command-line argument at a time and waits
 *	  for everything it delivers (acm_scan_finish), so every call
 *	  belongs to the argument being scanned, whatever -j is;
 *	- the end of a file comes after the lines and records it carried;
 *	  for a file argument it is the last call;
 *	- in a directory argument a file's own path lies under the
 *	  directory, as libparse builds it.
 *
 * A file that ended having parsed no message, found no mail and had no
 * error, but carried lines or records of other paths, is a record file
 * and is left out.  Anything else is an input.
 */
#include <string.h>

#include "audit_report.h"

enum ev_kind { EV_STATS, EV_CARRIED };

struct ev {
	enum ev_kind		 kind;
	struct acm_input_stats	 st;	/* EV_STATS; path owned */
};

struct audit_intake {
	struct audit_report	*r;
	char			*arg;	/* no trailing slash for a dir */
	bool			 is_dir;
	GArray			*evs;	/* struct ev, in order */
};

struct audit_intake *
audit_intake_new(struct audit_report *r)
{
	struct audit_intake *in = g_new0(struct audit_intake, 1);

	in->r = r;
	in->evs = g_array_new(FALSE, TRUE, sizeof(struct ev));
	return in;
}

static void
clear(struct audit_intake *in)
{
	guint i;

	for (i = 0; i < in->evs->len; i++)
		g_free((char *)g_array_index(in->evs, struct ev, i).st.path);
	g_array_set_size(in->evs, 0);
	g_free(in->arg);
	in->arg = NULL;
}

void
audit_intake_free(struct audit_intake *in)
{
	if (in == NULL)
		return;
	clear(in);
	g_array_free(in->evs, TRUE);
	g_free(in);
}

void
audit_intake_begin(struct audit_intake *in, const char *arg, bool is_dir)
{
	size_t n = strlen(arg);

	clear(in);
	while (is_dir && n > 1 && arg[n - 1] == '/')
		n--;
	in->arg = g_strndup(arg, n);
	in->is_dir = is_dir;
}

/* Is PATH the argument's own: the file itself, or under the dir? */
static bool
own(const struct audit_intake *in, const char *path)
{
	size_t n = strlen(in->arg);

	if (!in->is_dir)
		return strcmp(path, in->arg) == 0;
	if (strcmp(in->arg, "/") == 0)
		return path[0] == '/';
	return strncmp(path, in->arg, n) == 0 && path[n] == '/';
}

void
audit_intake_stats(struct audit_intake *in, const struct acm_input_stats *st)
{
	struct ev e = { EV_STATS, *st };

	e.st.path = g_strdup(st->path ? st->path : "-");
	g_array_append_val(in->evs, e);
}

/* A record of another path than the argument's was carried. */
void
audit_intake_record(struct audit_intake *in, json_t *rec)
{
	const char *path = jget(json_object_get(rec, "source"), "path");
	struct ev e = { EV_CARRIED, { 0 } };

	if (in->arg == NULL || (path && own(in, path)))
		return;
	g_array_append_val(in->evs, e);
}

static bool
empty(const struct acm_input_stats *st)
{
	return st->messages == 0 && st->records == 0 && st->errors == 0;
}

void
audit_intake_end(struct audit_intake *in)
{
	guint i, last = in->evs->len;
	unsigned carried = 0;

	/* a file argument: its own end is the last call */
	for (i = 0; !in->is_dir && i < in->evs->len; i++)
		if (g_array_index(in->evs, struct ev, i).kind == EV_STATS)
			last = i;

	for (i = 0; i < in->evs->len; i++) {
		struct ev *e = &g_array_index(in->evs, struct ev, i);
		bool mine;

		if (e->kind == EV_CARRIED) {
			carried++;
			continue;
		}
		mine = in->is_dir ? own(in, e->st.path) : i == last;
		if (!mine) {
			audit_report_input(in->r, &e->st, true);
			carried++;
			continue;
		}
		if (carried > 0 && empty(&e->st)) {
			carried = 0;		/* a record file */
			continue;
		}
		audit_report_input(in->r, &e->st, true);
	}
	clear(in);
}
