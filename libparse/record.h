/*
 * record.h - building the record object of DESIGN.md.
 */
#ifndef ACM_RECORD_H
#define ACM_RECORD_H

#include <gmime/gmime.h>

#include "internal.h"

json_t	*record_build(GMimeMessage *, const struct fields *,
	    const struct prov *, const char *sha256, GPtrArray *warnings,
	    GPtrArray *links);
void	 record_add_links(GPtrArray *out, GPtrArray *html_links,
	    const char *part);
void	 record_add_text_urls(GPtrArray *out, const char *text,
	    const char *part);

/* A validation mail has a handful of links; a hostile one, thousands. */
#define RECORD_MAX_LINKS	200

#endif
