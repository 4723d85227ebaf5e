# Shared by the CLI test scripts: sourced, never run.
#
# Each test prints "ok - NAME" or "not ok - NAME" followed by indented
# detail.  Tools run as "$ACMEXTRACT" etc., so that ACM_WRAP (valgrind)
# and ACM_BIN (sanitizer builds) reach every call.
set -u
: "${ACM_BIN:=.}" "${ACM_WRAP:=}"
ACMEXTRACT="$ACM_WRAP $ACM_BIN/acmextract"
ACMVERIFY="$ACM_WRAP $ACM_BIN/acmverify"
ACMAUDIT="$ACM_WRAP $ACM_BIN/acmaudit"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/acmtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok - $1"; }

not_ok() {
	echo "not ok - $1"
	shift
	for line in "$@"; do printf '    %s\n' "$line"; done
}

# check NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		not_ok "$1" "expected: $2" "got:      $3"; fi
}

# check_file NAME EXPECTED_FILE ACTUAL_FILE: equal, or a diff
check_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1" "$(diff -u "$2" "$3" | head -20)"; fi
}
