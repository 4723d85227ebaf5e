/*
 * common.h - what the three tools share: messages on stderr, safe
 * printing of mail text, record output formats, shared options.
 */
#ifndef ACM_COMMON_H
#define ACM_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "acm.h"

enum out_format { OUT_JSON, OUT_TSV, OUT_TEXT, OUT_CSV, OUT_MARKDOWN,
	OUT_HTML };

extern const char *progname;

/* Options every tool takes; filled by common_option(). */
struct common {
	struct acm_options	 opt;
	bool			 quiet;
	bool			 had_error;
};

void	 common_init(struct common *, const char *argv0);
void	 diag_print(const struct acm_diag *, void *arg);
void	 usage_hint(void);
void	 warnx_(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Long options shared by all tools, for getopt_long. */
#define COMMON_LONGOPTS					\
	{ "format", required_argument, NULL, 'F' },	\
	{ "help", no_argument, NULL, 'h' },		\
	{ "version", no_argument, NULL, 'V' },		\
	{ "max-message-size", required_argument, NULL, 1001 },	\
	{ "max-mime-depth", required_argument, NULL, 1002 },	\
	{ "max-envelope-depth", required_argument, NULL, 1003 },\
	{ "max-json-depth", required_argument, NULL, 1004 },	\
	{ "max-archive-entries", required_argument, NULL, 1005 },\
	{ "max-expanded-size", required_argument, NULL, 1006 },	\
	{ "max-ratio", required_argument, NULL, 1007 },		\
	{ "max-header-size", required_argument, NULL, 1008 },	\
	{ "max-json-size", required_argument, NULL, 1009 },	\
	{ "dkim-keys", required_argument, NULL, 1010 },	\
	{ "sns-certs", required_argument, NULL, 1011 }

/* -j N; -1 on a bad value (message printed). */
int	 common_jobs(struct common *, const char *);

/* 1 handled, 0 not ours, -1 bad value (message printed). */
int	 common_option(struct common *, int opt, const char *arg);

/* Escape control characters so that mail text cannot drive a terminal. */
void	 fput_safe(const char *, FILE *);
char	*safe_string(const char *);

/* One record in a line-oriented format. */
void	 print_record_tsv_header(FILE *);
void	 print_record_tsv(json_t *, FILE *);
void	 print_record_text(json_t *, FILE *);
const char *jget(json_t *, const char *key);

#endif
