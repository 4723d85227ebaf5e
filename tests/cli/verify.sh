#!/bin/sh
# acmverify: the verdict and reason codes of every case in
# corpus/verify/cases.tsv, the sentences, -o json, exit statuses, the
# policy file, escaping, records read back from acmextract, and
# --annotate's byte identity over every message file under corpus/.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

V=corpus/verify
NOW="--now 2024-06-06T00:00:00Z"

# The verdict and sorted failed codes of text output on stdin:
# "PASS -", "FAIL code,code", or "NONE -" when nothing was printed.
summary() {
	awk -F '\t' '
	{
		v = $1
		for (i = 4; i <= NF; i++) {
			c = $i
			sub(/: .*/, "", c)
			codes[c] = 1
		}
	}
	END {
		if (v == "") {
			print "NONE -"
			exit
		}
		n = 0
		for (c in codes)
			list[++n] = c
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (list[j] < list[i]) {
					t = list[i]
					list[i] = list[j]
					list[j] = t
				}
		s = ""
		for (i = 1; i <= n; i++)
			s = s (i > 1 ? "," : "") list[i]
		print v, (s == "" ? "-" : s)
	}'
}

# --- every case of cases.tsv ------------------------------------------

set -f
tab=$(printf '\t')
grep -v '^#' "$V/cases.tsv" | while IFS=$tab read -r file args verdict codes
do
	[ -n "$file" ] || continue
	[ "$args" = - ] && args=
	out=$($ACMVERIFY $args "$V/$file" 2> "$TMP/err")
	rc=$?
	want_rc=1
	[ "$verdict" = PASS ] && want_rc=0
	got=$(printf '%s' "$out" | summary)
	check_eq "case $file $args" "$verdict $codes rc=$want_rc" \
	    "$got rc=$rc"
	# a FAIL line gives a sentence for each code it names
	if [ "$verdict" = FAIL ]; then
		bare=$(printf '%s\n' "$out" | tr '\t' '\n' |
		    grep -c '^[a-z-]*: *$')
		check_eq "case $file $args: every code has a sentence" 0 \
		    "$bare"
	fi
done
set +f

# every reason code is triggered by a case, and passed by one
for code in link-host link-scheme link-text account-inconsistent \
    region-inconsistent sender ses-verdict expired account-unexpected \
    domain-unexpected region-unexpected certificate-unexpected \
    legacy-template missing-field copy truncated; do
	n=$(awk -F '\t' -v c="$code" '$3 == "FAIL" &&
	    ("," $4 ",") ~ ("," c ",")' "$V/cases.tsv" | wc -l)
	[ "$n" -gt 0 ] && ok "cases: $code is triggered ($n)" ||
	    not_ok "cases: $code is triggered" "no FAIL case names it"
done
n=$(awk -F '\t' '$3 == "PASS"' "$V/cases.tsv" | wc -l)
[ "$n" -ge 16 ] && ok "cases: $n pass" || not_ok "cases: pass" "only $n"

# the generator and the committed files agree
if command -v python3 > /dev/null 2>&1; then
	mkdir "$TMP/gen"
	cp "$V/make-verify" "$TMP/gen/"
	python3 "$TMP/gen/make-verify"
	diffs=
	for f in "$TMP"/gen/*; do
		name=$(basename "$f")
		[ "$name" = make-verify ] && continue
		cmp -s "$f" "$V/$name" || diffs="$diffs $name"
	done
	check_eq "corpus/verify: make-verify writes the committed files" "" \
	    "$diffs"
fi

# --- sentences name the values involved --------------------------------

# has NAME FILE ARGS TEXT...: the output holds every TEXT
has() {
	name=$1 file=$2 args=$3
	shift 3
	out=$($ACMVERIFY $args "$V/$file" 2>&1)
	for want in "$@"; do
		case $out in
		*"$want"*) ;;
		*) not_ok "$name" "no \"$want\" in:" "$out"; return ;;
		esac
	done
	ok "$name"
}

has "sentence: link-host names the host found and expected" \
    fail-host-suffix.eml "$NOW" \
    "'eu-west-1.acm-certificates.amazon.com.example.net'" \
    "expected eu-west-1.acm-certificates.amazon.com"
has "sentence: userinfo names both parts" fail-host-userinfo.eml "$NOW" \
    "user information 'eu-west-1.acm-certificates.amazon.com'" \
    "host 'approvals.example.org'"
has "sentence: the legacy host names the cut-off and the date" \
    fail-host-legacy-late.eml "$NOW" "2020-11-01T00:00:00Z" \
    "2024-06-05T09:07:03Z"
has "sentence: account-inconsistent names both accounts" \
    fail-account-arn.eml "$NOW" "'111122223333'" "'444455556666'"
has "sentence: region-inconsistent names every region" \
    fail-region-arn.eml "$NOW" "body says 'eu-west-1'" \
    "ARN says 'us-east-1'"
has "sentence: sender names the address, not the display name" \
    fail-sender-name.eml "$NOW" "'alerts@example.net'"
has "sentence: ses-verdict names the verdict" fail-ses-spam.eml "$NOW" \
    "spam verdict is 'FAIL'"
has "sentence: expired names the date, the time and the limit" \
    pass-current.eml "--now 2024-06-09T00:00:00Z" \
    "dated 2024-06-05T09:07:03Z" "2024-06-09T00:00:00Z" "72h"
has "sentence: account-unexpected says found and expected" \
    pass-current.eml "$NOW --expect-account 444455556666" \
    "'111122223333'" "expected: 444455556666"
has "sentence: domain-unexpected lists every expected domain" \
    pass-current.eml \
    "$NOW --expect-domain example.org --expect-domain *.example.net" \
    "'www.example.com'" "example.org, *.example.net"
has "sentence: link-text says what is shown and where it goes" \
    fail-text-shown.eml "$NOW" "shows 'https://us-west-2." \
    "goes to 'https://eu-west-1."
has "sentence: missing-field names the field" fail-missing-region.eml \
    "$NOW" "field region"
has "output: provenance and domain" fail-host-suffix.eml "$NOW" \
    "FAIL	$V/fail-host-suffix.eml#0	www.example.com	link-host: "

# --- -o json ------------------------------------------------------------

$ACMVERIFY -o json $NOW "$V/mixed.mbox" > "$TMP/json" 2> "$TMP/err"
rc=$?
check_eq "json: exit status 1 when one of two fails" 1 "$rc"
check_eq "json: one line per mail" 2 "$(wc -l < "$TMP/json" | tr -d ' ')"
if command -v python3 > /dev/null 2>&1; then
	got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    keys = list(r)
    f = [(x["code"], x["severity"], x["expected"], x["found"],
          bool(x["message"])) for x in r["reasons"]]
    print(r["verdict"], keys[0], keys[-2], keys[-1], r["domain"],
          r["source"]["index"], f)
' "$TMP/json" 2>&1)
	want="fail template verdict reasons www.example.com 1"
	want="$want [('link-host', 'fail',"
	want="$want 'eu-west-1.acm-certificates.amazon.com',"
	want="$want 'approvals.example.org', True)]"
	check_eq "json: the record, then verdict and reasons" \
	    "pass template verdict reasons www.example.com 0 []
$want" "$got"
	got=$($ACMVERIFY -o json --now 2019-03-05T00:00:00Z \
	    "$V/pass-legacy-pair.eml" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["verdict"], [(x["code"], x["severity"]) for x in r["reasons"]])')
	check_eq "json: a rule that applied without failing is a note" \
	    "pass [('link-text', 'note')]" "$got"
fi
if grep -q "$(printf '\033')" "$TMP/json"; then
	not_ok "json: no raw control characters"
else
	ok "json: no raw control characters"
fi

# --- exit statuses ------------------------------------------------------

status() { "$@" > /dev/null 2>&1; echo $?; }

check_eq "exit: all of several pass" 0 "$(status $ACMVERIFY $NOW \
    "$V/pass-current.eml" "$V/pass-multipart.eml" "$V/pass-ses.json")"
check_eq "exit: one of several fails" 1 "$(status $ACMVERIFY $NOW \
    "$V/pass-current.eml" "$V/fail-host-suffix.eml")"
check_eq "exit: no validation mail" 1 "$(status $ACMVERIFY $NOW \
    corpus/neg-ordinary.eml)"
check_eq "exit: an unreadable input among good ones" 2 "$(status \
    $ACMVERIFY $NOW "$V/pass-current.eml" "$TMP/no-such-file")"
check_eq "exit: unknown option" 2 "$(status $ACMVERIFY --bogus)"
check_eq "exit: -o with a bad format" 2 "$(status $ACMVERIFY -o xml \
    "$V/pass-current.eml")"
check_eq "exit: --now not RFC 3339" 2 "$(status $ACMVERIFY --now 2024 \
    "$V/pass-current.eml")"
check_eq "exit: --now without a zone" 2 "$(status $ACMVERIFY \
    --now 2024-06-06T00:00:00 "$V/pass-current.eml")"
check_eq "exit: --max-age without a unit" 2 "$(status $ACMVERIFY \
    --max-age 72 "$V/pass-current.eml")"
check_eq "exit: a bad --expect-account" 2 "$(status $ACMVERIFY \
    --expect-account 12345 "$V/pass-current.eml")"
check_eq "exit: a bad --expect-domain" 2 "$(status $ACMVERIFY \
    --expect-domain 'exa mple.com' "$V/pass-current.eml")"
check_eq "exit: a bad --expect-region" 2 "$(status $ACMVERIFY \
    --expect-region europe "$V/pass-current.eml")"
check_eq "exit: a bad --expect-cert" 2 "$(status $ACMVERIFY \
    --expect-cert arn:aws:acm:eu-west-1:1:certificate/x \
    "$V/pass-current.eml")"
# A usage error in filter mode still passes the message on, exit 0:
# nothing may be lost whatever the .procmailrc says.
check_eq "exit: --annotate with a file argument" 0 "$(status $ACMVERIFY \
    --annotate "$V/pass-current.eml" < /dev/null)"
check_eq "annotate: a usage error passes the message on, marked error" \
    "$(printf 'X-ACM-Verify: error\n'; cat "$V/pass-current.eml")" \
    "$($ACMVERIFY --annotate --policy /nonexistent < "$V/pass-current.eml" \
    2> /dev/null)"
$ACMVERIFY --annotate --bogus < "$V/pass-from-line.mbox" > "$TMP/ann" \
    2> /dev/null
check_eq "annotate: after a usage error the From_ line stays first" \
    "From :X-ACM-Verify: error" \
    "$(head -c 5 "$TMP/ann"):$(sed -n 2p "$TMP/ann")"
check_eq "exit: --help" 0 "$(status $ACMVERIFY --help)"
check_eq "exit: --version" 0 "$(status $ACMVERIFY --version)"
check_eq "--version names the tool" "acmverify" \
    "$($ACMVERIFY --version | cut -d ' ' -f 1)"

out=$($ACMVERIFY -q $NOW "$V/mixed.mbox" 2>&1)
rc=$?
check_eq "-q: prints nothing, exit 1 on a failure" "rc=1 ''" \
    "rc=$rc '$out'"
out=$($ACMVERIFY -q $NOW "$V/pass-current.eml" 2>&1)
rc=$?
check_eq "-q: prints nothing, exit 0 when all pass" "rc=0 ''" \
    "rc=$rc '$out'"

# inputs as acmextract takes them
got=$($ACMVERIFY $NOW < "$V/pass-current.eml" | cut -f 1,2)
check_eq "input: standard input" "PASS	-#0" "$got"
got=$($ACMVERIFY $NOW - < "$V/fail-host-suffix.eml" | cut -f 1,2)
check_eq "input: -" "FAIL	-#0" "$got"
got=$(gzip -c "$V/pass-current.eml" | $ACMVERIFY $NOW | cut -f 1)
check_eq "input: gzip on standard input" "PASS" "$got"
mkdir -p "$TMP/md/cur" "$TMP/md/new" "$TMP/md/tmp"
cp "$V/pass-current.eml" "$TMP/md/cur/1.x:2,S"
cp "$V/fail-host-suffix.eml" "$TMP/md/new/2.x"
got=$($ACMVERIFY $NOW "$TMP/md" | cut -f 1 | sort | tr '\n' ' ')
check_eq "input: a Maildir" "FAIL PASS " "$got"

# records read back from acmextract give the same verdicts; without
# --format records they are not mail, and skipped
$ACMEXTRACT "$V/pass-current.eml" > "$TMP/rec.jsonl"
check_eq "records: skipped unless asked for" 1 "$(status $ACMVERIFY $NOW \
    "$TMP/rec.jsonl")"
for f in pass-current.eml fail-host-suffix.eml fail-text-parts.eml \
    fail-copy-attached.eml pass-legacy-pair.eml; do
	now=$NOW
	case $f in *legacy*) now="--now 2019-03-05T00:00:00Z" ;; esac
	a=$($ACMVERIFY $now "$V/$f" | cut -f 1,3-)
	b=$($ACMEXTRACT "$V/$f" | $ACMVERIFY $now --format records |
	    cut -f 1,3-)
	check_eq "records: $f read back from acmextract" "$a" "$b"
done

# --- escaping -----------------------------------------------------------

esc=$(printf '\033')
out=$($ACMVERIFY $NOW "$V/fail-escape.eml")
case $out in
*"$esc"*) not_ok "escape: no raw ESC in text output" "$out" ;;
*'www.\x1b[31mexample.com'*) ok "escape: ESC written as \\x1b" ;;
*) not_ok "escape: ESC written as \\x1b" "$out" ;;
esac

# --- the policy file ----------------------------------------------------

P="$TMP/policy"
KW="(account, domain, region, certificate, max-age, require-ses,"
KW="$KW require-dkim, require-sns-signature)"
policy_err() {
	printf '%b' "$1" > "$P"
	$ACMVERIFY --policy "$P" $NOW "$V/pass-current.eml" 2>&1 > /dev/null
	echo "rc=$?"
}
check_eq "policy: unknown keyword" \
"acmverify: $P:2: unknown keyword 'acount' $KW
rc=2" "$(policy_err '# ours\nacount 111122223333\n')"
check_eq "policy: a bad account names file and line" \
"acmverify: $P:3: account '1111' is not 12 digits
rc=2" "$(policy_err 'domain example.com\n\naccount 111122223333 1111\n')"
check_eq "policy: a keyword without a value" \
"acmverify: $P:1: region needs at least one value
rc=2" "$(policy_err 'region   # none\n')"
check_eq "policy: max-age takes one value" \
"acmverify: $P:1: max-age takes one value: a duration such as 72h, or none
rc=2" "$(policy_err 'max-age 1h 2h\n')"
check_eq "policy: an unknown SES verdict" \
"acmverify: $P:1: unknown SES verdict 'spf=pass' (spf, dkim, dmarc, spam, virus)
rc=2" "$(policy_err 'require-ses spf=pass\r\n')"
check_eq "policy: control bytes are escaped in the message" \
"acmverify: $P:1: unknown keyword '\\x1b[2J' $KW
rc=2" "$(policy_err '\033[2J\n')"
check_eq "policy: a missing file" "2" "$(status $ACMVERIFY \
    --policy "$TMP/no-such-policy" "$V/pass-current.eml")"

printf 'require-ses dkim\n' > "$P"
got=$($ACMVERIFY --policy "$P" $NOW "$V/pass-current.eml" | summary)
check_eq "policy: require-ses" "FAIL ses-verdict" "$got"
printf 'max-age 1h  # strict\n' > "$P"
got=$($ACMVERIFY --policy "$P" $NOW "$V/pass-current.eml" | summary)
check_eq "policy: max-age" "FAIL expired" "$got"
got=$($ACMVERIFY --policy "$P" --max-age 3d $NOW "$V/pass-current.eml" |
    summary)
check_eq "policy: --max-age on the command line wins" "PASS -" "$got"
got=$($ACMVERIFY --max-age 3d --policy "$P" $NOW "$V/pass-current.eml" |
    summary)
check_eq "policy: --max-age wins whatever the order" "PASS -" "$got"
printf 'account 444455556666\r\n' > "$P"
got=$($ACMVERIFY --policy "$P" --expect-account 111122223333 $NOW \
    "$V/pass-current.eml" | summary)
check_eq "policy: file and command line expectations add up" "PASS -" \
    "$got"

# --- --annotate ---------------------------------------------------------

FIELDS="domain=www.example.com account=111122223333 region=eu-west-1"

# header_of FILE ARGS: the line --annotate added, on stdout
header_of() {
	$ACMVERIFY --annotate $2 < "$1" > "$TMP/ann" 2> /dev/null
	if head -c 5 "$1" | grep -q '^From '; then
		sed -n 2p "$TMP/ann"
	else
		sed -n 1p "$TMP/ann"
	fi
}

check_eq "annotate: a genuine mail" \
    "X-ACM-Verify: pass $FIELDS" \
    "$(header_of "$V/pass-current.eml" "$NOW")"
check_eq "annotate: a lookalike" \
    "X-ACM-Verify: fail reasons=link-host $FIELDS" \
    "$(header_of "$V/fail-host-suffix.eml" "$NOW")"
check_eq "annotate: expectations count" \
    "X-ACM-Verify: fail reasons=account-unexpected $FIELDS" \
    "$(header_of "$V/pass-current.eml" "$NOW --expect-account 444455556666")"
check_eq "annotate: every code of a mail" \
    "X-ACM-Verify: fail reasons=sender,copy $FIELDS" \
    "$(header_of "$V/fail-copy-forward.eml" "$NOW")"
check_eq "annotate: no validation mail" "X-ACM-Verify: none" \
    "$(header_of corpus/neg-ordinary.eml "$NOW")"
check_eq "annotate: two attached mails, the failing one described" \
    "X-ACM-Verify: fail reasons=link-host,copy $FIELDS mails=2" \
    "$(header_of "$V/fail-copy-two.eml" "$NOW")"
# The whole of standard input is one message, so the mbox's later
# members are its body, and the look-alike link written there counts.
check_eq "annotate: standard input is one message, even an mbox" \
    "X-ACM-Verify: fail reasons=link-host $FIELDS" \
    "$(header_of "$V/mixed.mbox" "$NOW")"
check_eq "annotate: a From_ line stays first" \
    "X-ACM-Verify: pass $FIELDS" \
    "$(header_of "$V/pass-from-line.mbox" "$NOW")"
check_eq "annotate: CRLF mail, CRLF header" \
    "X-ACM-Verify: pass $FIELDS$(printf '\r')" \
    "$(header_of "$V/pass-crlf.eml" "$NOW")"
check_eq "annotate: mail text never reaches the header raw" \
    "X-ACM-Verify: fail reasons=link-host,missing-field domain=www.??31mexample.com \
account=111122223333 region=eu-west-1" \
    "$(header_of "$V/fail-escape.eml" "$NOW")"

$ACMVERIFY --annotate --max-message-size 1K $NOW \
    < "$V/pass-current.eml" > "$TMP/ann" 2> "$TMP/err"
rc=$?
check_file "annotate: over the size limit, unchanged" \
    "$V/pass-current.eml" "$TMP/ann"
check_eq "annotate: over the size limit, exit 0 and a warning" "rc=0 1" \
    "rc=$rc $(grep -c 'larger than 1024 bytes' "$TMP/err")"

# every message file under corpus/: the output minus the added line is
# the input, byte for byte; the line is one header of safe characters
ids=0
bad=
for f in $(find corpus -type f | sort); do
	case $f in
	*.expected | *.fields | *.md | *.tsv | *.policy | *.awk | \
	    */make-corpus | */make-verify | */bless) continue ;;
	esac
	ids=$((ids + 1))
	$ACMVERIFY --annotate $NOW < "$f" > "$TMP/ann" 2> /dev/null
	rc=$?
	skip=0
	head -c 5 "$f" | grep -q '^From ' && [ "$(head -n 1 "$f" |
	    wc -l)" -eq 1 ] && skip=1
	{ head -n $skip "$TMP/ann"; tail -n +$((skip + 2)) "$TMP/ann"; } \
	    > "$TMP/rest"
	line=$(sed -n "$((skip + 1))p" "$TMP/ann" | tr -d '\r')
	if [ $rc -ne 0 ] || ! cmp -s "$TMP/rest" "$f"; then
		bad="$bad $f(bytes)"
	elif ! printf '%s\n' "$line" | grep -Eq \
	    '^X-ACM-Verify: (pass|fail|none)( [a-z]+=[!-~]+)*$'; then
		bad="$bad $f(header)"
	fi
done
check_eq "annotate: byte identity over $ids corpus files" "" "$bad"

# without an expected account or domain, a note says what a PASS means
$ACMVERIFY --now 2024-06-06T00:00:00Z "$V/pass-current.eml" \
    > /dev/null 2> "$TMP/err"
check_eq "note: no account or domain expected" 1 \
    "$(grep -c 'no account or domain expected' "$TMP/err")"
$ACMVERIFY --now 2024-06-06T00:00:00Z --expect-account 111122223333 \
    "$V/pass-current.eml" > /dev/null 2> "$TMP/err"
check_eq "note: not with an expected account" "" "$(cat "$TMP/err")"

# the filter's time limit can be raised, never set to nonsense
ACMVERIFY_TIMEOUT=abc $ACMVERIFY --annotate --now 2024-06-06T00:00:00Z \
    < "$V/pass-current.eml" > "$TMP/ann" 2> "$TMP/err"
check_eq "ACMVERIFY_TIMEOUT: a bad value is said and 30 s used" "1 pass" \
    "$(grep -c 'ACMVERIFY_TIMEOUT' "$TMP/err") $(head -n 1 "$TMP/ann" |
    cut -d ' ' -f 2)"

exit 0
