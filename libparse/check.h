/*
 * check.h - what the check*.c files, policy.c and annotate.c share;
 * the tools see acmcheck.h only.
 */
#ifndef ACM_CHECK_H
#define ACM_CHECK_H

#include "acmcheck.h"
#include "internal.h"

#define SHOW_MAX	120	/* bytes of mail text in a sentence */

/*
 * Records read back from JSON may hold anything: the links looked at
 * and the findings kept are bounded, so that no record makes a check
 * slow.  A genuine mail has one or two links and few findings.
 */
#define CHECK_MAX_LINKS	256
#define CHECK_MAX_FAILS	64
#define CHECK_MAX_NOTES	16

/* One record being checked. */
struct check {
	const struct acm_policy	*pol;
	json_t			*rec;
	json_t			*out;		/* the findings */
	int64_t			 now;
	int64_t			 date;
	bool			 have_date;
	bool			 arn_ok;
	char			*arn_region;
	char			*arn_account;
	GPtrArray		*host_regions;	/* host, region, ... */
	GPtrArray		*tmp;		/* freed when done */
	GHashTable		*seen;		/* "code message" added */
	int			 nfail;
	int			 nnote;
};

/* check.c */
const char	*rec_str(json_t *, const char *key);
const char	*show(struct check *, const char *);
const char	*keep(struct check *, char *);
void		 finding(struct check *, enum acm_reason, bool fail,
		    const char *expected, const char *found,
		    const char *, ...) __attribute__((format(printf, 6, 7)));

/* checklink.c */
struct link_parts {
	char	*scheme;
	char	*host;		/* lower-cased, one trailing dot dropped */
	char	*userinfo;
	char	*port;
	char	*fragment;
	bool	 ip;
};
bool	 link_parse(const char *, struct link_parts *);
void	 link_parts_clear(struct link_parts *);
bool	 host_genuine(struct check *, const char *host, char **region);
bool	 host_has_idn(const char *);
void	 check_links(struct check *);

/* checktext.c */
void	 check_link_text(struct check *);

/* checksender.c */
void	 check_sender(struct check *);
void	 check_ses(struct check *);

/* checkvalue.c */
bool	 region_valid(const char *);
char	*cert_normalise(const char *);
char	*expect_normalise(enum acm_expect, const char *);

#endif /* ACM_CHECK_H */
