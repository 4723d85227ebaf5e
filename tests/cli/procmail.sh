#!/bin/sh
# acmverify --annotate under the real procmail: a test rcfile filters
# each mail through acmverify and files it by the header into a
# temporary Maildir, the recipe man/acmverify.1 shows.  A genuine mail
# must arrive with "pass", a lookalike in quarantine with "fail", any
# other mail untouched but for "none"; and every delivered message is
# the original, byte for byte, plus the one header.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

V=corpus/verify
if ! command -v procmail > /dev/null 2>&1; then
	not_ok "procmail: installed" "scripts/install-deps installs it"
	exit 0
fi
BIN=$(cd "$ACM_BIN" && pwd)
H="$TMP/home"
# under valgrind (ACM_WRAP) a verdict takes far longer than the 30 s
# the filter allows itself before it passes a mail on unchecked
TIMEOUT=30
[ -n "$ACM_WRAP" ] && TIMEOUT=900

# deliver FILE [ARGS]: one mail through procmail into a fresh Maildir
deliver() {
	rm -rf "$H"
	mkdir -p "$H/Maildir/cur" "$H/Maildir/new" "$H/Maildir/tmp"
	cat > "$TMP/rc" <<EOF
SHELL=/bin/sh
PATH=/usr/bin:/bin
MAILDIR=$H/Maildir
DEFAULT=$H/Maildir/
LOGFILE=$TMP/procmail.log
ACMVERIFY_TIMEOUT=$TIMEOUT

:0 fw
| $ACM_WRAP $BIN/acmverify --annotate --now 2024-06-06T00:00:00Z $2

:0
* ^X-ACM-Verify: fail
quarantine/

:0
* ^X-ACM-Verify: pass
acm/
EOF
	HOME=$H procmail -m "$TMP/rc" < "$1"
}

# The folder a mail was filed in, and its one file.
filed() {
	(cd "$H/Maildir" && find . -path '*/new/*' -type f) |
	    sed 's|^\./||; s|^new/.*|inbox|; s|/new/.*||' | sort | tr '\n' ' '
}
file_in() { find "$H/Maildir" -path '*/new/*' -type f | head -n 1; }

# Delivered minus its first line is the input, but for what procmail
# itself changes: a Maildir file has no From_ line, and a message ends
# with a blank line.
same_bytes() {
	f=$(file_in)
	tail -n +2 "$f" > "$TMP/rest"
	if head -n 1 "$1" | grep -q '^From '; then
		tail -n +2 "$1"
	else
		cat "$1"
	fi > "$TMP/in"
	cmp -s "$TMP/rest" "$TMP/in" && return 0
	printf '\n' >> "$TMP/in"
	cmp -s "$TMP/rest" "$TMP/in"
}

# case NAME FILE FOLDER HEADER [ARGS]
case_() {
	deliver "$2" "${5:-}"
	rc=$?
	got_folder=$(filed)
	got_header=$(head -n 1 "$(file_in)" 2> /dev/null | tr -d '\r')
	check_eq "procmail: $1: filed" "rc=0 $3 " "rc=$rc $got_folder"
	check_eq "procmail: $1: header" "$4" "$got_header"
	if same_bytes "$2"; then
		ok "procmail: $1: the rest is the mail, byte for byte"
	else
		not_ok "procmail: $1: the rest is the mail, byte for byte" \
		    "$(diff "$TMP/in" "$TMP/rest" | head -10)"
	fi
}

FIELDS="domain=www.example.com account=111122223333 region=eu-west-1"
PASS="X-ACM-Verify: pass $FIELDS"

case_ "genuine" "$V/pass-current.eml" acm "$PASS"
case_ "genuine, CRLF" "$V/pass-crlf.eml" acm "$PASS"
case_ "genuine, multipart" "$V/pass-multipart.eml" acm "$PASS"
case_ "genuine with an mbox From_ line" "$V/pass-from-line.mbox" acm \
    "$PASS"
case_ "lookalike host" "$V/fail-host-suffix.eml" quarantine \
    "X-ACM-Verify: fail reasons=link-host $FIELDS"
case_ "lookalike sender" "$V/fail-sender-from.eml" quarantine \
    "X-ACM-Verify: fail reasons=sender $FIELDS"
case_ "forwarded copy" "$V/fail-copy-forward.eml" quarantine \
    "X-ACM-Verify: fail reasons=sender,copy $FIELDS"
case_ "unexpected account" "$V/pass-current.eml" quarantine \
    "X-ACM-Verify: fail reasons=account-unexpected $FIELDS" \
    "--expect-account 444455556666"
case_ "ordinary mail" corpus/neg-ordinary.eml inbox "X-ACM-Verify: none"

# a lookalike that brings its own "X-ACM-Verify: pass" still lands in
# quarantine: the recipe acts on "fail" first
{ printf 'X-ACM-Verify: pass domain=www.example.com\n'
  cat "$V/fail-host-suffix.eml"; } > "$TMP/forged.eml"
case_ "lookalike with a forged pass header" "$TMP/forged.eml" quarantine \
    "X-ACM-Verify: fail reasons=link-host $FIELDS"

# over the size limit: delivered unchanged, nothing lost
deliver "$V/pass-current.eml" "--max-message-size 1K"
f=$(file_in)
check_eq "procmail: over the size limit: filed" "inbox " "$(filed)"
printf '\n' | cat "$V/pass-current.eml" - > "$TMP/in"
if cmp -s "$f" "$V/pass-current.eml" || cmp -s "$f" "$TMP/in"; then
	ok "procmail: over the size limit: delivered unchanged"
else
	not_ok "procmail: over the size limit: delivered unchanged" \
	    "$(diff "$V/pass-current.eml" "$f" | head -10)"
fi

exit 0
