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
 *	- for a file argument the end of the file is the last call, after
 *	  the lines and records it carried;
 *	- in a directory argument a file's own path lies under the
 *	  directory, as libparse builds it.  With -j, libparse may hand
 *	  over the ends of several files only after all their lines, so
 *	  there the order cannot say which file carried what: a file that
 *	  ended with nothing found is looked at, and is a record file when
 *	  its first line is one of acmextract's.  (A compressed one cannot
 *	  be looked into; it is taken for a record file when lines or
 *	  records of other paths are still unclaimed.)
 *
 * A file that ended having parsed no message, found no mail and had no
 * error, but carried lines or records of other paths, is a record file
 * and is left out.  Anything else is an input.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "audit_report.h"

#define PEEK	65536	/* a record line is far shorter */

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

/*
 * What PATH's first line is: 1 one of acmextract's lines (a record or
 * an inventory line), 0 other JSON or text, -1 unreadable as text
 * (compressed, binary, gone).
 */
static int
first_line(const char *path)
{
	char *buf = g_malloc(PEEK), *p, *nl;
	json_t *j = NULL;
	size_t len;
	ssize_t n = -1;
	int fd, kind = -1;

	if ((fd = open(path, O_RDONLY)) != -1) {
		n = read(fd, buf, PEEK);
		close(fd);
	}
	if (n <= 0)
		goto out;
	for (p = buf; p < buf + n && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'); p++)
		;
	len = (nl = memchr(p, '\n', buf + n - p)) ? (size_t)(nl - p) :
	    (size_t)(buf + n - p);
	if (memchr(p, '\0', len) || !g_utf8_validate(p, len, NULL))
		goto out;		/* compressed, or binary */
	kind = 0;
	if ((j = json_loadb(p, len, 0, NULL)) == NULL)
		goto out;
	if ((json_object_get(j, "input") && json_object_size(j) == 1) ||
	    (json_object_get(j, "template") && json_object_get(j, "source")))
		kind = 1;
out:
	json_decref(j);
	g_free(buf);
	return kind;
}

static bool
empty(const struct acm_input_stats *st)
{
	return st->messages == 0 && st->records == 0 && st->errors == 0;
}

/* Is the end E, of a file under a directory argument, a record file? */
static bool
dir_carrier(const struct ev *e, unsigned *pending)
{
	int kind;

	if (!empty(&e->st))
		return false;
	kind = first_line(e->st.path);
	if (kind == 0 || (kind == -1 && *pending == 0))
		return false;
	if (*pending > 0)
		(*pending)--;
	return true;
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
		if (in->is_dir ? dir_carrier(e, &carried) :
		    carried > 0 && empty(&e->st))
			continue;	/* a record file */
		audit_report_input(in->r, &e->st, true);
	}
	clear(in);
}
