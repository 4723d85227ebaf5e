/*
 * acmverify - check every ACM validation mail in the inputs against
 * what a genuine mail must be and against what the user expects; or,
 * with --annotate, filter one message for procmail or maildrop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "acmcheck.h"
#include "common.h"

/* How long filter mode may take before the message goes out as it is. */
#define ANNOTATE_SECONDS	30

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
	OPT_ANNOTATE
};

struct verify {
	struct common		 c;
	struct acm_policy	*pol;
	int64_t			 now;
	bool			 json;
	unsigned long		 checked;
	unsigned long		 failed;
	bool			 annotating;	/* stdout is the mail */
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-q] [-j N] [-o text|json] [--expect-account ID]\n"
"       [--expect-domain NAME] [--expect-region REGION]\n"
"       [--expect-cert ARN|UUID] [--policy FILE] [--now TIME]\n"
"       [--max-age AGE] [--require-ses] [--require-dkim]\n"
"       [--require-sns-signature] [--dkim-keys FILE] [--sns-certs DIR]\n"
"       [--format FORMAT]\n"
"       [FILE|DIR|-]...\n"
"       %s --annotate [options] < message\n"
"\n"
"Check every AWS Certificate Manager validation mail in the inputs: the\n"
"approval link must lead to an ACM approval host, the sender and SES\n"
"verdicts must be ACM's, the fields must agree, and the mail must match\n"
"what you expect.  One line per mail: PASS or FAIL, where, the domain,\n"
"and each failed reason code with a sentence.\n"
"\n"
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
"                           by certificates.amazon.com (or the policy's)\n"
"  --require-sns-signature  fail mail whose SNS notification does not\n"
"                           verify\n"
"  --dkim-keys FILE         pinned DKIM keys, as published in DNS\n"
"  --sns-certs DIR          pinned SNS signing certificates\n"
"  -o FORMAT                text (the default) or json: the record with\n"
"                           \"verdict\" and \"reasons\"\n"
"  -q                       print nothing; the exit status tells\n"
"  -j N                     scan on N threads (0: one per core)\n"
"  --annotate               copy one message from standard input to\n"
"                           standard output with an X-ACM-Verify header\n"
"  --format F               read every input as F: auto, eml, mbox, mmdf,\n"
"                           json, records\n"
"  --max-message-size N, --max-mime-depth N, --max-envelope-depth N,\n"
"  --max-json-depth N, --max-json-size N, --max-header-size N,\n"
"  --max-archive-entries N, --max-expanded-size N, --max-ratio N\n"
"                           resource limits (sizes take K, M, G)\n"
"  --help, --version\n"
"\n"
"Exit status: 0 at least one mail was checked and all passed; 1 a mail\n"
"failed or none was found; 2 a usage error or an unreadable input.\n"
"With --annotate: 0, unless the output could not be written.\n",
	    progname, progname);
}

/* "PATH[:ENTRY][#INDEX]" */
static void
print_where(json_t *r, FILE *f)
{
	json_t *src = json_object_get(r, "source");
	json_t *idx = json_object_get(src, "index");

	fput_safe(jget(src, "path") ? jget(src, "path") : "-", f);
	if (jget(src, "entry")) {
		fputc(':', f);
		fput_safe(jget(src, "entry"), f);
	}
	if (json_is_integer(idx))
		fprintf(f, "#%lld", (long long)json_integer_value(idx));
}

/*
 * PASS|FAIL, where, domain, then "CODE: sentence" for every failure,
 * separated by tabs: mail text has its tabs escaped by fput_safe, so
 * cut -f works on the result.
 */
static void
print_text(json_t *r, json_t *findings, bool pass)
{
	json_t *f;
	size_t i;

	fputs(pass ? "PASS\t" : "FAIL\t", stdout);
	print_where(r, stdout);
	fputc('\t', stdout);
	fput_safe(jget(r, "domain") ? jget(r, "domain") : "-", stdout);
	json_array_foreach(findings, i, f) {
		if (g_strcmp0(jget(f, "severity"), "fail") != 0)
			continue;
		fputc('\t', stdout);
		fput_safe(jget(f, "code"), stdout);
		fputs(": ", stdout);
		fput_safe(jget(f, "message"), stdout);
	}
	fputc('\n', stdout);
}

static void
on_record(json_t *r, void *arg)
{
	struct verify *v = arg;
	json_t *findings = acm_check(v->pol, r, v->now);
	bool pass = acm_findings_pass(findings);

	v->checked++;
	if (!pass)
		v->failed++;
	if (v->c.quiet)
		goto out;
	if (v->json) {
		json_object_set_new(r, "verdict", json_string(pass ? "pass" :
		    "fail"));
		json_object_set(r, "reasons", findings);
		json_dumpf(r, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
		fputc('\n', stdout);
	} else
		print_text(r, findings, pass);
out:
	json_decref(findings);
	json_decref(r);
}

/*
 * A mail that presents itself as ACM's validation mail but gave no
 * record (its link mangled beyond reading): checked as a record of its
 * own, which fails missing-field, rather than passed over in silence.
 */
static void
on_diag(const struct acm_diag *d, void *arg)
{
	struct verify *v = arg;

	diag_print(d, &v->c);
	if (d->unreadable_acm && !v->annotating)
		on_record(acm_unreadable_record(d), v);
}

/*
 * A watchdog for filter mode: should libparse ever hang on a message,
 * the message still goes out, unchanged, before the delivery agent
 * gives up on the filter.  Only async-signal-safe calls in here.
 */
static const char *volatile	 wd_buf;
static volatile size_t		 wd_len;
static volatile sig_atomic_t	 wd_armed;

static void
watchdog(int sig)
{
	const char *p = wd_buf;
	size_t n = wd_len;
	ssize_t w;

	static const char msg[] = "acmverify: no verdict within the time "
	    "limit; message passed on unchanged\n";

	(void)sig;
	if (!wd_armed)
		return;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	while (n > 0) {
		if ((w = write(STDOUT_FILENO, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(2);
		p += w;
		n -= w;
	}
	_exit(0);
}

/*
 * The filter's time limit: ANNOTATE_SECONDS, or ACMVERIFY_TIMEOUT
 * seconds (1 to 3600) for a slow host, or tests under valgrind.
 */
static unsigned
annotate_seconds(void)
{
	const char *s = getenv("ACMVERIFY_TIMEOUT");
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return ANNOTATE_SECONDS;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 3600) {
		warnx_("ACMVERIFY_TIMEOUT '%s' is not 1 to 3600 seconds; "
		    "%d used", s, ANNOTATE_SECONDS);
		return ANNOTATE_SECONDS;
	}
	return (unsigned)v;
}

/*
 * Standard input up to MAX bytes, and one more when there is more:
 * *OVER then says so.  False on a read error.
 */
static bool
read_message(size_t max, char **bufp, size_t *lenp, bool *over)
{
	size_t len = 0, cap = 65536;
	char *buf = g_malloc(cap);
	ssize_t n;
	bool ok = true;

	*over = false;
	for (;;) {
		if (len == cap)
			buf = g_realloc(buf, cap *= 2);
		n = read(STDIN_FILENO, buf + len, MIN(cap - len, max + 1 -
		    len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				warnx_("standard input: %s", strerror(errno));
			ok = n == 0;
			break;
		}
		len += n;
		if (len > max) {
			*over = true;
			break;
		}
	}
	*bufp = buf;
	*lenp = len;
	return ok;
}

/* The rest of standard input, as it comes. */
static bool
copy_rest(void)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warnx_("standard input: %s", strerror(errno));
			return false;
		}
		fwrite(chunk, 1, n, stdout);
	}
	return true;
}

/*
 * Copy standard input to standard output with the header added.  The
 * message is read up to the size limit; a longer one, or any failure
 * to annotate, goes out unchanged, the rest streamed after it.
 */
static bool	annotate_started;

static int
annotate(struct verify *v)
{
	size_t max = v->c.opt.limits.max_message, len, outlen = 0;
	struct acm_scanner *sc;
	char *buf, *out = NULL;
	bool over, rok;
	int rc = 0;

	annotate_started = true;
	v->annotating = true;
	rok = read_message(max, &buf, &len, &over);
	if (over)
		warnx_("message larger than %zu bytes; passed on without "
		    "a header", max);
	else if (rok) {
		wd_buf = buf;
		wd_len = len;
		wd_armed = 1;
		signal(SIGALRM, watchdog);
		alarm(annotate_seconds());
		if ((sc = acm_scanner_new(&v->c.opt)) != NULL) {
			out = acm_annotate(sc, v->pol, v->now, buf, len,
			    &outlen);
			acm_scanner_free(sc);
		}
		wd_armed = 0;
		alarm(0);
		if (out == NULL)
			warnx_("cannot annotate the message; passed on "
			    "unchanged");
	}
	if (out)
		fwrite(out, 1, outlen, stdout);
	else
		fwrite(buf, 1, len, stdout);
	if (over && !copy_rest())
		rok = false;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx_("cannot write the output");
		rc = 2;
	} else if (!rok)
		rc = 2;
	free(out);
	g_free(buf);
	return rc;
}

static int
expectation(struct verify *v, enum acm_expect k, const char *arg)
{
	char *err = NULL;

	if (acm_policy_expect(v->pol, k, arg, &err))
		return 0;
	warnx_("%s", err);
	free(err);
	return -1;
}

static bool
expects(const struct acm_policy *pol, enum acm_expect k)
{
	char *d = acm_policy_describe(pol, k);
	bool any = d != NULL;

	free(d);
	return any;
}

static int
run(struct verify *v, int argc, char *argv[])
{
	struct acm_scanner *sc;
	int i;

	if ((sc = acm_scanner_new(&v->c.opt)) == NULL) {
		warnx_("cannot start the scanner (PCRE2 or libmagic failed)");
		return 2;
	}
	if (!v->c.quiet && !expects(v->pol, ACM_EXPECT_ACCOUNT) &&
	    !expects(v->pol, ACM_EXPECT_DOMAIN))
		warnx_("note: no account or domain expected (--expect-account, "
		    "--expect-domain, --policy): a genuine ACM mail about "
		    "anyone's certificate request passes");
	if (argc == 0)
		acm_scan_path(sc, "-");
	for (i = 0; i < argc; i++)
		acm_scan_path(sc, argv[i]);
	acm_scan_finish(sc);
	acm_scanner_free(sc);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx_("cannot write the output");
		return 2;
	}
	if (v->c.had_error)
		return 2;
	return v->checked > 0 && v->failed == 0 ? 0 : 1;
}

static int
verify_main(int argc, char *argv[])
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
		{ "annotate", no_argument, NULL, OPT_ANNOTATE },
		{ NULL, 0, NULL, 0 }
	};
	struct verify v = { 0 };
	const char *max_age = NULL;
	bool filter = false;
	char *err = NULL;
	int ch, rc, status = 2;

	common_init(&v.c, argv[0]);
	argv[0] = (char *)progname;	/* getopt's messages */
	v.c.opt.on_record = on_record;
	v.c.opt.on_diag = on_diag;
	v.c.opt.arg = &v;
	v.pol = acm_policy_new();
	v.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "o:qj:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (strcmp(optarg, "json") == 0)
				v.json = true;
			else if (strcmp(optarg, "text") == 0)
				v.json = false;
			else {
				warnx_("unknown output format '%s' (text, "
				    "json)", optarg);
				goto out;
			}
			break;
		case 'q':
			v.c.quiet = true;
			break;
		case 'j':
			if (common_jobs(&v.c, optarg) == -1)
				goto out;
			break;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		case 'V':
			printf("acmverify %s\n", ACM_VERSION);
			status = 0;
			goto out;
		case OPT_EXPECT_ACCOUNT:
		case OPT_EXPECT_DOMAIN:
		case OPT_EXPECT_REGION:
		case OPT_EXPECT_CERT:
			if (expectation(&v, ch - OPT_EXPECT_ACCOUNT +
			    ACM_EXPECT_ACCOUNT, optarg) == -1)
				goto out;
			break;
		case OPT_POLICY:
			if (!acm_policy_load(v.pol, optarg, &err)) {
				warnx_("%s", err);
				goto out;
			}
			break;
		case OPT_NOW:
			if (!acm_time_parse(optarg, &v.now)) {
				warnx_("--now '%s' is not an RFC 3339 time "
				    "such as 2024-05-01T12:00:00Z", optarg);
				goto out;
			}
			break;
		case OPT_MAX_AGE:
			max_age = optarg;
			break;
		case OPT_REQUIRE_SES:
			acm_policy_require_ses(v.pol, ACM_SES_DEFAULT);
			break;
		case OPT_REQUIRE_DKIM:
			(void)acm_policy_require_dkim(v.pol, NULL, &err);
			break;
		case OPT_REQUIRE_SNS_SIGNATURE:
			acm_policy_require_sns_signature(v.pol);
			break;
		case OPT_ANNOTATE:
			filter = true;
			break;
		default:
			rc = common_option(&v.c, ch, optarg);
			if (rc == 1)
				break;
			if (rc == 0)
				usage_hint();
			goto out;
		}
	}

	/* records from acmextract are checked only when asked for */
	if (v.c.opt.format == ACM_FMT_RECORDS)
		v.c.opt.accept_records = true;

	/* the command line wins over a policy file, whatever the order */
	if (max_age && !acm_policy_set_max_age(v.pol, max_age, &err)) {
		warnx_("%s", err);
		goto out;
	}
	if (filter) {
		if (optind != argc) {
			warnx_("--annotate reads one message from standard "
			    "input and takes no file arguments");
			goto out;
		}
		status = annotate(&v);
	} else
		status = run(&v, argc - optind, argv + optind);
out:
	free(err);
	acm_policy_free(v.pol);
	return status;
}

/*
 * After a usage error in filter mode: the message with "X-ACM-Verify:
 * error", so that a recipe can see the filter is broken (a policy file
 * gone) rather than let every mail through unchecked; a message too
 * large to hold goes on unchanged.
 */
static int
pass_on_error(void)
{
	char *buf, *out = NULL;
	size_t len, outlen = 0;
	bool over, ok, marked;

	ok = read_message(64u << 20, &buf, &len, &over);
	if (ok && !over)
		out = acm_insert_header(buf, len, "X-ACM-Verify", "error",
		    &outlen);
	marked = out != NULL;
	if (marked)
		fwrite(out, 1, outlen, stdout);
	else
		fwrite(buf, 1, len, stdout);
	g_free(out);
	g_free(buf);
	if ((over && !copy_rest()) || fflush(stdout) == EOF || ferror(stdout))
		return 2;
	warnx_(marked ? "--annotate: passed the message on with X-ACM-Verify: "
	    "error" : "--annotate: passed the message on unchanged");
	return 0;
}

/*
 * In filter mode nothing may be lost, not even on a usage error (a
 * policy file gone, a typing mistake in .procmailrc): the message goes
 * through (pass_on_error), the error is said on stderr, and the exit
 * status is 0 as the man page promises.
 */
int
main(int argc, char *argv[])
{
	bool filter = false;
	int i, rc;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--annotate") == 0)
			filter = true;
	rc = verify_main(argc, argv);
	if (!filter || annotate_started || rc != 2)
		return rc;
	return pass_on_error();
}
