/*
 * acmaudit - an audit report over every ACM validation mail in the
 * inputs: what was asked to be approved, for which account, from which
 * mail, and what looks wrong.  Inputs are whatever acmextract reads,
 * and acmextract's own records, so that record files made on many
 * machines reduce to the report one machine would give.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_report.h"

enum {
	OPT_EXPECT_ACCOUNT = 1101,
	OPT_EXPECT_DOMAIN,
	OPT_EXPECT_REGION,
	OPT_EXPECT_CERT,
	OPT_POLICY,
	OPT_NOW,
	OPT_MAX_AGE,
	OPT_REQUIRE_SES,
	OPT_REQUIRE_DKIM,
	OPT_REQUIRE_SNS_SIGNATURE,
	OPT_FAIL_ON
};

struct audit {
	struct common		 c;
	struct acm_policy	*pol;
	int64_t			 now;
	enum audit_out		 out;
	enum audit_sev		 fail_on;
	struct audit_report	*rep;
	struct audit_intake	*intake;
	struct audit_progress	 prog;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-q] [-j N] [-o text|json|csv|markdown|html]\n"
"       [--fail-on SEVERITY] [--expect-account ID] [--expect-domain NAME]\n"
"       [--expect-region REGION] [--expect-cert ARN|UUID] [--policy FILE]\n"
"       [--now TIME] [--max-age AGE] [--require-ses] [--require-dkim]\n"
"       [--require-sns-signature] [--dkim-keys FILE] [--sns-certs DIR]\n"
"       [--format FORMAT] [FILE|DIR|-]...\n"
"\n"
"An audit report over every AWS Certificate Manager validation mail in\n"
"the inputs (mail, mbox, Maildir, SNS/SES JSON, compressed or archived,\n"
"and acmextract's records): the inputs read, one row per certificate,\n"
"accounts, domains, a timeline, and every finding of acmverify's checks\n"
"with its severity and where the mail is.\n"
"\n"
"  -o FORMAT                text (the default), json, csv, markdown, html\n"
"  --fail-on SEVERITY       exit 1 on a finding this bad: info, low,\n"
"                           medium, high (the default) or none\n"
"  --expect-account ID      the AWS account (repeatable, as the others)\n"
"  --expect-domain NAME     the domain; *.example.com allows any subdomain\n"
"  --expect-region REGION   the region, e.g. eu-west-1\n"
"  --expect-cert ARN|UUID   the certificate\n"
"  --policy FILE            expectations and settings from FILE\n"
"  --now TIME               the time for the age rule (RFC 3339)\n"
"  --max-age AGE            how old a mail may be: 72h (default), 30d,\n"
"                           or none\n"
"  --require-ses            fail mail without SES spf/dkim/spam/virus\n"
"                           verdicts\n"
"  --require-dkim           fail mail without a passing DKIM signature\n"
"                           by certificates.amazon.com\n"
"  --require-sns-signature  fail mail whose SNS notification does not\n"
"                           verify\n"
"  --dkim-keys FILE, --sns-certs DIR\n"
"                           pinned DKIM keys and SNS certificates\n"
"  -q                       no progress line and no warnings\n"
"  -j N                     scan on N threads (0: one per core); the\n"
"                           report is the same\n"
"  --format F               read every input as F: auto, eml, mbox, mmdf,\n"
"                           json, records\n"
"  --max-message-size N, --max-mime-depth N, --max-envelope-depth N,\n"
"  --max-json-depth N, --max-json-size N, --max-header-size N,\n"
"  --max-archive-entries N, --max-expanded-size N, --max-ratio N\n"
"                           resource limits (sizes take K, M, G)\n"
"  --help, --version\n"
"\n"
"Exit status: 0 no finding at or above --fail-on; 1 one or more; 2 a\n"
"usage error or an input that could not be read.\n",
	    progname);
}

static void
on_record(json_t *r, void *arg)
{
	struct audit *a = arg;

	audit_intake_record(a->intake, r);
	audit_report_record(a->rep, r);
	audit_progress_record(&a->prog, r);
	json_decref(r);
}

static void
on_input(const struct acm_input_stats *st, void *arg)
{
	struct audit *a = arg;

	/* an input that had errors, read here or when the records were
	 * made (an inventory line): exit 2 either way */
	if (st->errors > 0)
		a->c.had_error = true;
	audit_intake_stats(a->intake, st);
	audit_progress_input(&a->prog, st);
}

/* Messages on stderr must not land in the middle of the progress line. */
static void
on_diag(const struct acm_diag *d, void *arg)
{
	struct audit *a = arg;

	if (d->severity == ACM_ERROR || !a->c.quiet)
		audit_progress_clear(&a->prog);
	diag_print(d, &a->c);
	if (d->unreadable_acm) {
		json_t *r = acm_unreadable_record(d);

		audit_report_record(a->rep, r);
		json_decref(r);
	}
}

static int
parse_out(const char *s, enum audit_out *out)
{
	static const struct {
		const char	*name;
		enum audit_out	 out;
	} names[] = {
		{ "text", AUDIT_TEXT }, { "json", AUDIT_JSON },
		{ "csv", AUDIT_CSV }, { "markdown", AUDIT_MD },
		{ "md", AUDIT_MD }, { "html", AUDIT_HTML },
	};
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].out;
			return 0;
		}
	warnx_("unknown output format '%s' (text, json, csv, markdown, "
	    "html)", s);
	return -1;
}

static int
expectation(struct audit *a, enum acm_expect k, const char *arg)
{
	char *err = NULL;

	if (acm_policy_expect(a->pol, k, arg, &err))
		return 0;
	warnx_("%s", err);
	free(err);
	return -1;
}

/* Colour only for a terminal, and never when NO_COLOR is set. */
static bool
want_colour(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
}

/*
 * Each argument is scanned and drained before the next, so that every
 * total and record libparse delivers belongs to the argument at hand
 * (audit_intake.c), with -j as without.
 */
static void
scan(struct audit *a, struct acm_scanner *sc, int argc, char *argv[])
{
	char *dash[] = { "-" };
	uint64_t total = 0;
	int i;

	if (argc == 0) {
		argc = 1;
		argv = dash;
	}
	if (a->prog.f) {
		for (i = 0; i < argc && total != UINT64_MAX; i++) {
			uint64_t n = audit_path_size(argv[i]);

			total = n ? total + n : UINT64_MAX;
		}
		a->prog.total = total == UINT64_MAX ? 0 : total;
	}
	for (i = 0; i < argc; i++) {
		struct stat st;
		bool dir = strcmp(argv[i], "-") != 0 &&
		    stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode);

		audit_intake_begin(a->intake, argv[i], dir);
		audit_progress_arg(&a->prog, a->prog.f ?
		    audit_path_size(argv[i]) : 0);
		acm_scan_path(sc, argv[i]);
		acm_scan_finish(sc);
		audit_intake_end(a->intake);
		audit_progress_arg_end(&a->prog);
	}
	audit_progress_clear(&a->prog);
}

static void
write_report(const struct audit *a)
{
	switch (a->out) {
	case AUDIT_JSON:
		audit_write_json(a->rep, stdout);
		break;
	case AUDIT_CSV:
		audit_write_csv(a->rep, stdout);
		break;
	case AUDIT_MD:
		audit_write_md(a->rep, stdout);
		break;
	case AUDIT_HTML:
		audit_write_html(a->rep, stdout);
		break;
	default:
		audit_write_text(a->rep, stdout, want_colour());
		break;
	}
}

static int
run(struct audit *a, int argc, char *argv[])
{
	struct acm_scanner *sc;

	a->c.opt.accept_records = true;
	a->c.opt.hash_inputs = true;
	if ((sc = acm_scanner_new(&a->c.opt)) == NULL) {
		warnx_("cannot start the scanner (PCRE2 or libmagic failed)");
		return 2;
	}
	a->rep = audit_report_new(a->pol, a->now, a->fail_on);
	a->intake = audit_intake_new(a->rep);
	audit_progress_init(&a->prog, !a->c.quiet && isatty(STDERR_FILENO) ?
	    stderr : NULL, 0);
	scan(a, sc, argc, argv);
	acm_scanner_free(sc);
	audit_report_finish(a->rep);
	write_report(a);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx_("cannot write the output");
		return 2;
	}
	if (a->c.had_error)
		return 2;
	return audit_report_fails(a->rep) ? 1 : 0;
}

static int
option(struct audit *a, int ch, const char **max_age, char **err)
{
	int s;

	switch (ch) {
	case 'o':
		return parse_out(optarg, &a->out);
	case 'q':
		a->c.quiet = true;
		return 0;
	case 'j':
		return common_jobs(&a->c, optarg);
	case OPT_EXPECT_ACCOUNT:
	case OPT_EXPECT_DOMAIN:
	case OPT_EXPECT_REGION:
	case OPT_EXPECT_CERT:
		return expectation(a, ch - OPT_EXPECT_ACCOUNT +
		    ACM_EXPECT_ACCOUNT, optarg);
	case OPT_POLICY:
		if (acm_policy_load(a->pol, optarg, err))
			return 0;
		warnx_("%s", *err);
		return -1;
	case OPT_NOW:
		if (acm_time_parse(optarg, &a->now))
			return 0;
		warnx_("--now '%s' is not an RFC 3339 time such as "
		    "2024-05-01T12:00:00Z", optarg);
		return -1;
	case OPT_MAX_AGE:
		*max_age = optarg;
		return 0;
	case OPT_REQUIRE_SES:
		acm_policy_require_ses(a->pol, ACM_SES_DEFAULT);
		return 0;
	case OPT_REQUIRE_DKIM:
		if (acm_policy_require_dkim(a->pol, NULL, err))
			return 0;
		warnx_("%s", *err);
		return -1;
	case OPT_REQUIRE_SNS_SIGNATURE:
		acm_policy_require_sns_signature(a->pol);
		return 0;
	case OPT_FAIL_ON:
		if ((s = audit_sev_parse(optarg)) >= 0) {
			a->fail_on = s;
			return 0;
		}
		warnx_("unknown severity '%s' (info, low, medium, high, none)",
		    optarg);
		return -1;
	}
	if ((s = common_option(&a->c, ch, optarg)) == 0)
		usage_hint();
	return s == 1 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "expect-account", required_argument, NULL,
		    OPT_EXPECT_ACCOUNT },
		{ "expect-domain", required_argument, NULL,
		    OPT_EXPECT_DOMAIN },
		{ "expect-region", required_argument, NULL,
		    OPT_EXPECT_REGION },
		{ "expect-cert", required_argument, NULL, OPT_EXPECT_CERT },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "max-age", required_argument, NULL, OPT_MAX_AGE },
		{ "require-ses", no_argument, NULL, OPT_REQUIRE_SES },
		{ "require-dkim", no_argument, NULL, OPT_REQUIRE_DKIM },
		{ "require-sns-signature", no_argument, NULL,
		    OPT_REQUIRE_SNS_SIGNATURE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ NULL, 0, NULL, 0 }
	};
	struct audit a;
	const char *max_age = NULL;
	char *err = NULL;
	int ch, status = 2;

	memset(&a, 0, sizeof(a));
	common_init(&a.c, argv[0]);
	argv[0] = (char *)progname;	/* getopt's messages */
	a.c.opt.on_record = on_record;
	a.c.opt.on_input = on_input;
	a.c.opt.on_diag = on_diag;
	a.c.opt.arg = &a;
	a.pol = acm_policy_new();
	a.now = (int64_t)time(NULL);
	a.fail_on = AUDIT_HIGH;
	while ((ch = getopt_long(argc, argv, "o:qj:hV", longopts,
	    NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			status = 0;
			goto out;
		}
		if (ch == 'V') {
			printf("acmaudit %s\n", ACM_VERSION);
			status = 0;
			goto out;
		}
		if (option(&a, ch, &max_age, &err) == -1)
			goto out;
	}

	/* the command line wins over a policy file, whatever the order */
	if (max_age && !acm_policy_set_max_age(a.pol, max_age, &err)) {
		warnx_("%s", err);
		goto out;
	}
	status = run(&a, argc - optind, argv + optind);
	audit_intake_free(a.intake);
	audit_report_free(a.rep);
out:
	free(err);
	acm_policy_free(a.pol);
	return status;
}
