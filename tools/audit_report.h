/*
 * audit_report.h - acmaudit's report: a model built from records and input
 * totals (audit_model.c, audit_intake.c, audit_group.c), and one writer
 * per output format (audit_text.c, audit_json.c, audit_csv.c,
 * audit_md.c, audit_html.c).  The writers read the finished model
 * only; everything in it is sorted by stable keys, so that the same
 * inputs give the same bytes whatever order they were read in.
 */
#ifndef AUDIT_REPORT_H
#define AUDIT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>
#include <jansson.h>

#include "acm.h"
#include "acmcheck.h"
#include "common.h"

/* How much a finding matters; --fail-on compares against it. */
enum audit_sev {
	AUDIT_INFO,		/* a note: a rule applied without failing */
	AUDIT_LOW,
	AUDIT_MEDIUM,
	AUDIT_HIGH,
	AUDIT_NEVER		/* --fail-on none: above every finding */
};

const char	*audit_sev_name(enum audit_sev);	/* "high" */
int		 audit_sev_parse(const char *);		/* -1 unknown */
/* The severity of a failed check with reason CODE (audit_sev.c). */
enum audit_sev	 audit_code_sev(const char *code);

/* One input: a file read here, or one an inventory line describes. */
struct audit_input {
	char		*path;
	bool		 known;		/* false: named by records only */
	uint64_t	 bytes, messages, records, errors, warnings;
	char		*sha256;	/* NULL when not hashed */
};

struct audit_mail;

struct audit_finding {
	char			*code;
	enum audit_sev		 sev;
	char			*message, *expected, *found;
	struct audit_mail	*mail;	/* where it was found */
};

/* One record: a validation mail at one place in the inputs. */
struct audit_mail {
	char		*cert;		/* grouping key, lower case; NULL */
	char		*cert_id, *arn, *account, *region, *domain;
	char		*code;		/* the approval link's code */
	char		*date;		/* RFC 3339 UTC, or NULL */
	int64_t		 t;		/* seconds, when date != NULL */
	GPtrArray	*to;		/* char * */
	char		*path, *entry, *sha256;
	long		 index;		/* -1 unknown */
	long long	 offset;	/* -1 unknown */
	bool		 copy;
	bool		 pass;		/* no check failed */
	enum audit_sev	 worst;		/* of its failed checks */
	char		*key;		/* sha256, or path#index: one mail */
};

/*
 * A summary row: a certificate, an account or a domain.  Mails are
 * counted once however often the same bytes were found; a mail fails
 * when any copy of it failed a check.
 */
struct audit_row {
	char		*key;
	GPtrArray	*ids, *arns, *accounts, *regions, *domains,
			*recipients;	/* sorted, distinct char * */
	char		*first, *last;	/* RFC 3339, or NULL */
	int64_t		 first_t, last_t;
	unsigned	 mails, failed, resends;
	bool		 any_fail;
	enum audit_sev	 worst;		/* of failed checks, if any_fail */
	GHashTable	*seen;		/* mail keys counted */
	GHashTable	*codes;		/* domain -> table of link codes */
};

/* "pass", "fail", or "mixed" when some mails passed and some failed. */
const char	*audit_verdict(const struct audit_row *);

/* A mail however often found: failed when any copy of it failed. */
struct audit_once {
	bool		 failed;
	enum audit_sev	 worst;
};

struct audit_bucket {
	char		 label[48];	/* "2024-06", "2024-Q2", "2024" */
	char		 start[64];	/* RFC 3339 of its first second */
	unsigned	 mails, failed;
};

struct audit_report {
	/* settings, as the report states them */
	int64_t		 now;
	char		 now_s[32];
	int64_t		 max_age;	/* seconds; 0: no age rule */
	unsigned	 ses;		/* ACM_SES_* required */
	char		*dkim;		/* domains whose DKIM is required */
	bool		 sns;		/* SNS signatures required */
	char		*expect[ACM_EXPECT_COUNT];	/* or NULL */
	enum audit_sev	 fail_on;
	const struct acm_policy *pol;

	/* collected */
	GPtrArray	*inputs;	/* struct audit_input */
	GPtrArray	*mails;		/* struct audit_mail */
	GPtrArray	*findings;	/* struct audit_finding */

	/* made by audit_report_finish */
	GHashTable	*once;		/* mail key -> struct audit_once */
	GPtrArray	*certs, *accounts, *domains;	/* audit_row */
	GArray		*timeline;	/* struct audit_bucket */
	const char	*unit;		/* "day", "month", "quarter", "year" */
	uint64_t	 messages;	/* over the inputs */
	unsigned	 distinct, failed;	/* mails, failed mails */
	unsigned	 undated;	/* mails left off the timeline */
	unsigned	 by_sev[AUDIT_NEVER];	/* findings */
	unsigned	 verdicts[3];	/* pass, fail, mixed certificates */
};

struct audit_report *audit_report_new(const struct acm_policy *,
		    int64_t now, enum audit_sev fail_on);
void		 audit_report_free(struct audit_report *);

/* A record (the caller keeps its reference): checked and kept. */
void		 audit_report_record(struct audit_report *, json_t *);
/* An input's totals; KNOWN false when only records name it. */
void		 audit_report_input(struct audit_report *,
		    const struct acm_input_stats *, bool known);
/* Group, count and sort; the writers need it done. */
void		 audit_report_finish(struct audit_report *);
/* Is there a finding at or above --fail-on? */
bool		 audit_report_fails(const struct audit_report *);

/* Grouping and the timeline, in audit_group.c and audit_timeline.c. */
void		 audit_group(struct audit_report *);
void		 audit_row_free(gpointer);
void		 audit_timeline(struct audit_report *);

/*
 * Which inputs a record file stood for (audit_intake.c).  acmextract
 * --inventory writes a line per input it read; read back, each is an
 * input of the report, and the record file that carried them is not.
 * libparse hands both to on_input alike, so they are told apart here
 * by where the call came in the scan of one command-line argument.
 */
struct audit_intake;

struct audit_intake *audit_intake_new(struct audit_report *);
void		 audit_intake_free(struct audit_intake *);
void		 audit_intake_begin(struct audit_intake *, const char *arg,
		    bool is_dir);
void		 audit_intake_stats(struct audit_intake *,
		    const struct acm_input_stats *);
void		 audit_intake_record(struct audit_intake *, json_t *);
void		 audit_intake_end(struct audit_intake *);

/*
 * The progress line on a terminal (audit_progress.c): bytes and
 * messages done, the rate, and the time left where sizes are known.
 * Sizes are of the command-line arguments; within one, libparse tells
 * of progress only through the records and totals it hands over, so
 * the figures there are estimates, and never pass the argument's size.
 */
struct audit_progress {
	FILE		*f;		/* NULL: off */
	gint64		 start, drawn;	/* monotonic microseconds */
	uint64_t	 total;		/* of all arguments; 0 unknown */
	uint64_t	 base;		/* arguments done */
	uint64_t	 arg_size;	/* the current one; 0 unknown */
	uint64_t	 arg_done;	/* its inputs done */
	uint64_t	 arg_at;	/* offset in its current input */
	uint64_t	 messages;	/* inputs done */
	uint64_t	 at_message;	/* in the current input */
	bool		 shown;
};

uint64_t audit_path_size(const char *);	/* a tree's bytes; 0 unknown */
void	 audit_progress_init(struct audit_progress *, FILE *,
	    uint64_t total);
void	 audit_progress_arg(struct audit_progress *, uint64_t size);
void	 audit_progress_record(struct audit_progress *, json_t *);
void	 audit_progress_input(struct audit_progress *,
	    const struct acm_input_stats *);
void	 audit_progress_arg_end(struct audit_progress *);
void	 audit_progress_clear(struct audit_progress *);

/* Output formats. */
enum audit_out { AUDIT_TEXT, AUDIT_JSON, AUDIT_CSV, AUDIT_MD, AUDIT_HTML };

void	audit_write_text(const struct audit_report *, FILE *, bool colour);
void	audit_write_json(const struct audit_report *, FILE *);
void	audit_write_csv(const struct audit_report *, FILE *);
void	audit_write_md(const struct audit_report *, FILE *);
void	audit_write_html(const struct audit_report *, FILE *);
/* The timeline as an SVG element, for the HTML report. */
void	audit_write_svg(const struct audit_report *, FILE *);

/*
 * Escaping (audit_escape.c).  Every one first makes control and
 * bidirectional characters visible as safe_string() does, so no mail
 * text reaches any output raw.  Results are g_free()d.
 */
char	*audit_csv_cell(const char *);		/* RFC 4180, no formulas */
char	*audit_html(const char *);		/* & < > " ' */
char	*audit_md(const char *);		/* a Markdown table cell */
size_t	 audit_width(const char *);		/* terminal columns */

/* Shared by the writers (audit_util.c). */
char	*audit_join(const GPtrArray *, const char *sep);	/* g_free */
char	*audit_age(int64_t seconds);		/* "72h", "30d"; g_free */
char	*audit_ses_names(unsigned);		/* "spf dkim"; g_free */
/* "PATH[:ENTRY][#INDEX]", unescaped; g_free. */
char	*audit_where(const struct audit_mail *);
/* The date part of an RFC 3339 time, or "-". */
const char *audit_day(const char *, char buf[16]);

#endif /* AUDIT_REPORT_H */
