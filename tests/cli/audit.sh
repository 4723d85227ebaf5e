#!/bin/sh
# acmaudit: each output format parsed back and checked, the same
# findings as acmverify, determinism (twice, -j, argument order), the
# report over record files made shard by shard equal to the report
# over the shards, hostile mail text neutralised in every format, the
# exit statuses, colour and the progress line.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

A=corpus/audit
V=corpus/verify
NOW="--now 2024-06-06T00:00:00Z"
FORMATS="text json csv markdown html"

# py NAME SCRIPT ARGS...: run a Python check; it prints "ok" or why not.
py() {
	name=$1
	shift
	got=$(python3 -c "$@" 2>&1)
	if [ "$got" = ok ]; then ok "$name"; else not_ok "$name" "$got"; fi
}

# --- the corpus is what make-audit writes ------------------------------

mkdir -p "$TMP/regen"
cp $A/make-audit "$TMP/regen/"
python3 "$TMP/regen/make-audit"
same=yes
for f in $A/*.eml $A/*.tar.gz; do
	cmp -s "$f" "$TMP/regen/$(basename "$f")" || same="no: $f"
done
check_eq "corpus/audit: make-audit writes the committed bytes" yes "$same"

# --- exit statuses ------------------------------------------------------

status() { "$@" > /dev/null 2>&1; echo $?; }

check_eq "exit 0: genuine mail, no finding at high" 0 \
    "$(status $ACMAUDIT $NOW $A/genuine.eml $A/genuine-resend.eml)"
check_eq "exit 1: a link-host finding (high)" 1 \
    "$(status $ACMAUDIT $NOW $A/hostile-script.eml)"
check_eq "exit 0: --fail-on none" 0 \
    "$(status $ACMAUDIT $NOW --fail-on none $A/hostile-script.eml)"
check_eq "exit 0: expired mail is low" 0 \
    "$(status $ACMAUDIT --now 2025-01-01T00:00:00Z $A/genuine.eml)"
check_eq "exit 1: expired mail with --fail-on low" 1 \
    "$(status $ACMAUDIT --now 2025-01-01T00:00:00Z --fail-on low \
    $A/genuine.eml)"
check_eq "exit 1: --expect-account another (account-unexpected, high)" 1 \
    "$(status $ACMAUDIT $NOW --expect-account 444455556666 \
    $A/genuine.eml)"
check_eq "exit 0: --max-age none, --fail-on low, genuine mail" 0 \
    "$(status $ACMAUDIT --now 2030-01-01T00:00:00Z --max-age none \
    --fail-on low $A/genuine.eml)"
check_eq "exit 2: unknown output format" 2 \
    "$(status $ACMAUDIT -o pdf $A/genuine.eml)"
check_eq "exit 2: unknown severity" 2 \
    "$(status $ACMAUDIT --fail-on severe $A/genuine.eml)"
check_eq "exit 2: bad --now" 2 "$(status $ACMAUDIT --now yesterday \
    $A/genuine.eml)"
check_eq "exit 2: bad --format" 2 "$(status $ACMAUDIT --format pdf \
    $A/genuine.eml)"
check_eq "exit 2: unknown option" 2 "$(status $ACMAUDIT --bogus)"
check_eq "exit 2: an unreadable input, after the others" 2 \
    "$(status $ACMAUDIT $NOW $A/genuine.eml "$TMP/no-such-file")"
$ACMAUDIT $NOW -o json $A/genuine.eml "$TMP/no-such-file" \
    > "$TMP/missing.json" 2> /dev/null
py "exit 2 still writes the report, the missing input in it" '
import json, sys
r = json.load(open(sys.argv[1]))
ins = {i["path"]: i for i in r["inputs"]}
miss = [p for p in ins if p.endswith("no-such-file")]
assert miss and ins[miss[0]]["errors"] == 1, ins
assert r["summary"]["certificates"] == 1
print("ok")' "$TMP/missing.json"
check_eq "--help exits 0" 0 "$(status $ACMAUDIT --help)"

# --- text ---------------------------------------------------------------

$ACMAUDIT $NOW $V $A > "$TMP/report.txt" 2> /dev/null
# a line may pass 80 columns only for one word that must stay whole (a
# URL quoted in a finding, an ARN, a path) or a finding's provenance
long=$(expand "$TMP/report.txt" | awk 'length($0) > 80' |
    grep -v -E '^ +(arn +)?[^ ]+$' |
    grep -v -E '^  (HIGH|MEDIUM|LOW|INFO) ')
check_eq "text: within 80 columns but for a long word or provenance" "" \
    "$long"
for s in SUMMARY INPUTS CERTIFICATES ACCOUNTS DOMAINS TIMELINE FINDINGS; do
	grep -q "^$s" "$TMP/report.txt" && ok "text: section $s" ||
	    not_ok "text: section $s" "not in the report"
done
check_eq "text: sections in order, the inputs last" \
    "SUMMARY CERTIFICATES ACCOUNTS DOMAINS TIMELINE FINDINGS INPUTS" \
    "$(grep -E '^[A-Z]+( \(|$)' "$TMP/report.txt" | cut -d' ' -f1 |
    tr '\n' ' ' | sed 's/ $//')"
check_eq "text: no colour when stdout is not a terminal" 0 \
    "$(tr -dc '\033' < "$TMP/report.txt" | wc -c | tr -d ' ')"

# colour on a terminal, and never with NO_COLOR; script(1) gives a pty
if command -v script > /dev/null 2>&1 && [ -z "$ACM_WRAP" ]; then
	script -qec "$ACMAUDIT $NOW $A/hostile-script.eml" /dev/null \
	    > "$TMP/tty.txt" 2>&1 < /dev/null
	grep -q "$(printf '\033')\[1;31mHIGH" "$TMP/tty.txt" &&
	    ok "text: colour on a terminal" ||
	    not_ok "text: colour on a terminal" "$(head -5 "$TMP/tty.txt")"
	NO_COLOR=1 script -qec "$ACMAUDIT $NOW $A/hostile-script.eml" \
	    /dev/null > "$TMP/tty.txt" 2>&1 < /dev/null
	check_eq "text: NO_COLOR on a terminal: no escape at all" 0 \
	    "$(tr -dc '\033' < "$TMP/tty.txt" | wc -c | tr -d ' ')"

	# a run over a second long: a progress line, then erased
	script -qec "sh -c '(cat $A/genuine.eml; sleep 1.3;
	    cat $V/mixed.mbox) | $ACMAUDIT $NOW - > $TMP/slow.out'" \
	    /dev/null > "$TMP/progress.txt" 2>&1 < /dev/null
	grep -q 'acmaudit: .* messages, .*/s' "$TMP/progress.txt" &&
	    ok "progress: a line on a terminal during a long run" ||
	    not_ok "progress: a line on a terminal during a long run" \
	    "$(od -c "$TMP/progress.txt" | head -5)"
	grep -q "$(printf '\r\033')\[K" "$TMP/progress.txt" &&
	    ok "progress: erased at the end" ||
	    not_ok "progress: erased at the end" "no CR, erase-line"
	script -qec "sh -c '(cat $A/genuine.eml; sleep 1.3;
	    cat $V/mixed.mbox) | $ACMAUDIT -q $NOW - > $TMP/slow.out'" \
	    /dev/null > "$TMP/progress.txt" 2>&1 < /dev/null
	check_eq "progress: -q silences it" "" "$(cat "$TMP/progress.txt")"
fi
$ACMAUDIT $NOW $A/genuine.eml > /dev/null 2> "$TMP/stderr"
check_eq "progress: none when stderr is not a terminal" "" \
    "$(cat "$TMP/stderr")"

# --- JSON ---------------------------------------------------------------

$ACMAUDIT $NOW -o json $V $A > "$TMP/report.json" 2> /dev/null
py "json: parses, and holds every section" '
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("settings", "summary", "inputs", "certificates", "accounts",
    "domains", "timeline", "findings", "severities"):
	assert k in r, k
assert r["settings"]["now"] == "2024-06-06T00:00:00Z"
assert r["summary"]["certificates"] == len(r["certificates"])
assert r["summary"]["inputs"] == len(r["inputs"])
for f in r["findings"]:
	for k in ("severity", "code", "message", "source", "sha256"):
		assert k in f, (k, f)
	assert f["source"]["path"], f
	assert f["severity"] == r["severities"].get(f["code"], "info") or \
	    f["severity"] == "info", f
for i in r["inputs"]:
	assert set(i) >= {"path", "bytes", "sha256", "messages",
	    "validation_mails", "errors"}, i
print("ok")' "$TMP/report.json"

py "json: certificate rows (genuine mail and its resend)" '
import json, sys
r = json.load(open(sys.argv[1]))
c = [c for c in r["certificates"]
    if c["certificate"] == "b2b2b2b2-0000-4000-8000-000000000007"]
assert len(c) == 1, c
c = c[0]
assert c["accounts"] == ["111122223333"] and c["regions"] == ["eu-west-1"]
assert c["domains"] == ["www.example.net"], c
assert c["recipients"] == ["admin@example.com"], c
assert c["mails"] == 2 and c["resends"] == 1, c
assert c["first"] == "2024-06-05T09:07:03Z", c
assert c["last"] == "2024-06-05T21:07:03Z", c
assert c["verdict"] == "pass" and c["worst"] is None, c
print("ok")' "$TMP/report.json"

# the same checks as acmverify: per mail, the same failed reason codes
$ACMVERIFY $NOW -o json $V/*.eml $V/*.json $V/*.mbox 2> /dev/null \
    > "$TMP/verify.jsonl"
$ACMAUDIT $NOW -o json $V/*.eml $V/*.json $V/*.mbox 2> /dev/null \
    > "$TMP/audit-v.json"
py "json: the same failed codes as acmverify, mail by mail" '
import json, sys
want = {}
for line in open(sys.argv[1]):
	r = json.loads(line)
	s = r["source"]
	k = (s["path"], s["entry"], s["index"], r["sha256"])
	want.setdefault(k, set()).update(x["code"] for x in r["reasons"]
	    if x["severity"] == "fail")
got = {k: set() for k in want}
for f in json.load(open(sys.argv[2]))["findings"]:
	if f["severity"] == "info":
		continue
	s = f["source"]
	got.setdefault((s["path"], s["entry"], s["index"], f["sha256"]),
	    set()).add(f["code"])
bad = [(k, want.get(k), got.get(k)) for k in set(want) | set(got)
    if want.get(k) != got.get(k)]
assert len(want) > 40, len(want)
print("ok" if not bad else bad[:3])' "$TMP/verify.jsonl" "$TMP/audit-v.json"

$ACMAUDIT $NOW -o json --policy $V/example.policy --require-ses \
    --max-age none $V/pass-current.eml $V/pass-ses.eml \
    > "$TMP/policy.json" 2> /dev/null
py "json: --policy, --require-ses and --max-age reach the checks" '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["settings"]
assert s["max_age_seconds"] is None, s
assert s["require_ses"] == "spf dkim spam virus", s
assert s["expected"]["accounts"], s
codes = {f["code"] for f in r["findings"]}
assert "ses-verdict" in codes and "expired" not in codes, codes
print("ok")' "$TMP/policy.json"

# --- CSV ----------------------------------------------------------------

$ACMAUDIT $NOW -o csv $V $A > "$TMP/report.csv" 2> /dev/null
py "csv: RFC 4180, one width, a header row per section" '
import csv, sys
data = open(sys.argv[1], newline="").read()
assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", "")
rows = list(csv.reader(data.splitlines()))
assert len({len(r) for r in rows}) == 1, {len(r) for r in rows}
heads = [r for r in rows if r[0] == "section"]
kinds = {r[0] for r in rows} - {"section"}
assert kinds == {"setting", "input", "certificate", "account", "domain",
    "timeline", "finding"}, kinds
assert len(heads) == 7, len(heads)
cur = None
for r in rows:
	if r[0] == "section":
		cur = r
		continue
	if r[0] == "finding":
		f = dict(zip(cur, r))
		assert f["severity"] in ("high", "medium", "low", "info"), f
		assert f["path"] and f["sha256"], f
print("ok")' "$TMP/report.csv"

# --- Markdown -----------------------------------------------------------

$ACMAUDIT $NOW -o markdown $V $A > "$TMP/report.md" 2> /dev/null
py "markdown: headings, and tables whose rows match their header" '
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
heads = [l for l in lines if l.startswith("## ")]
assert [h[3:] for h in heads] == ["Summary", "Certificates",
    "Accounts", "Domains", "Timeline", "Findings", "Inputs"], heads
def cells(l):
	return len(re.findall(r"(?<!\\)\|", l))
width = None
for l in lines:
	if not l.startswith("|"):
		width = None
		continue
	if width is None:
		width = cells(l)
	assert cells(l) == width, (width, l)
print("ok")' "$TMP/report.md"

# --- HTML ---------------------------------------------------------------

$ACMAUDIT $NOW -o html $V $A > "$TMP/report.html" 2> /dev/null
py "html: well nested, self-contained, no script, an SVG timeline" '
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "line", "rect", "link", "img", "hr", "input"}
class P(HTMLParser):
	def __init__(self):
		super().__init__()
		self.stack, self.tags, self.bad = [], {}, []
	def handle_starttag(self, t, a):
		self.tags[t] = self.tags.get(t, 0) + 1
		for k, v in a:
			if k.startswith("on") or (v or "").startswith(
			    ("http:", "https:", "javascript:")) and k in (
			    "href", "src"):
				self.bad.append((t, k, v))
		if t not in VOID:
			self.stack.append(t)
	def handle_startendtag(self, t, a):
		self.tags[t] = self.tags.get(t, 0) + 1
	def handle_endtag(self, t):
		if t in VOID:
			return
		assert self.stack and self.stack[-1] == t, (self.stack[-3:], t)
		self.stack.pop()
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
p.close()
assert not p.stack, p.stack
assert not p.bad, p.bad
for t in ("script", "iframe", "object", "img", "a", "link"):
	assert t not in p.tags, t
assert p.tags.get("svg") == 1 and p.tags.get("rect", 0) > 0, p.tags
assert p.tags.get("table", 0) >= 6, p.tags
print("ok")' "$TMP/report.html"
if command -v xmllint > /dev/null 2>&1; then
	# HTML 4's parser knows no SVG: its elements are the only complaint
	errs=$(xmllint --html --noout "$TMP/report.html" 2>&1 |
	    grep 'parser error' |
	    grep -v -E 'Tag (svg|g|title|rect|line|text) invalid')
	check_eq "html: xmllint --html finds no error" "" "$errs"
	sed -n '/^<svg/,/^<\/svg>/p' "$TMP/report.html" > "$TMP/t.svg"
	xmllint --noout "$TMP/t.svg" 2> "$TMP/svg.err" &&
	    ok "html: the SVG timeline is well-formed XML" ||
	    not_ok "html: the SVG timeline is well-formed XML" \
	    "$(head -3 "$TMP/svg.err")"
fi
grep -q "Content-Security-Policy\" content=\"default-src 'none'" \
    "$TMP/report.html" && ok "html: a CSP that forbids scripts" ||
    not_ok "html: a CSP that forbids scripts" "no such meta"

# --- hostile mail text, in every format ---------------------------------

for fmt in $FORMATS; do
	$ACMAUDIT $NOW -o $fmt $A > "$TMP/hostile.$fmt" 2> /dev/null
	check_eq "hostile ($fmt): no escape, C1 or bidi character raw" 0 \
	    "$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read().decode("utf-8")
print(sum(1 for c in d if (ord(c) < 32 and c not in "\r\n") or
    127 <= ord(c) < 160 or 0x202a <= ord(c) <= 0x202e or
    0x2066 <= ord(c) <= 0x2069))' "$TMP/hostile.$fmt")"
done
grep -q 'www\.\\x1b\[31mred\.example\.com' "$TMP/hostile.text" &&
    ok "hostile (text): the escape is shown, not sent" ||
    not_ok "hostile (text): the escape is shown, not sent" "not found"
py "hostile (json): mail text kept exactly, escaped by JSON" '
import json, sys
r = json.load(open(sys.argv[1]))
d = {x["domain"] for x in r["domains"]}
assert "www.\x1b[31mred.example.com" in d, d
assert "<script>alert(1)</script>.example.com" in d, d
e = {f["source"]["entry"] for f in r["findings"]}
assert "=cmd|'"'"' /C calc'"'"'!A0.eml" in e, e
print("ok")' "$TMP/hostile.json"
py "hostile (csv): no cell starts a formula; the text is kept after a quote" '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
cells = [c for r in rows for c in r]
bad = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
assert not bad, bad
assert "'"'"'=cmd|'"'"' /C calc'"'"'!A0.eml" in cells, "entry"
assert "'"'"'=cmd|'"'"'/c.calc'"'"'!a0" in cells, "domain"
assert any(c.startswith("'"'"'+1-2@") or "+1-2@" in c for c in cells)
print("ok")' "$TMP/hostile.csv"
py "hostile (html): no tag from mail text, the text shown escaped" '
import sys
d = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in d and "<img" not in d, "raw tag"
assert "&lt;script&gt;alert(1)&lt;/script&gt;.example.com" in d
assert "&lt;img src=x onerror=alert(1)&gt;" in d
print("ok")' "$TMP/hostile.html"
py "hostile (markdown): no tag, no table break, no live link" '
import re, sys
d = open(sys.argv[1], encoding="utf-8").read()
assert "<script" not in d and "<img" not in d, "raw tag"
assert "&lt;script&gt;" in d
assert not re.search(r"(?<!\\)https?:", d), "a bare URL would be a link"
assert not re.search(r"(?<!\\)www\.", d), "www. would be a link"
print("ok")' "$TMP/hostile.markdown"

# --- determinism ----------------------------------------------------------

for fmt in $FORMATS; do
	$ACMAUDIT $NOW -o $fmt $V $A > "$TMP/d1" 2> /dev/null
	$ACMAUDIT $NOW -o $fmt -j 2 $A $V > "$TMP/d2" 2> /dev/null
	check_file "determinism ($fmt): -j 2 and another argument order" \
	    "$TMP/d1" "$TMP/d2"
done
$ACMAUDIT $NOW -o json $V $A > "$TMP/d3" 2> /dev/null
$ACMAUDIT $NOW -o json $V $A > "$TMP/d4" 2> /dev/null
check_file "determinism: the same run twice" "$TMP/d3" "$TMP/d4"

# --- shards reduced: records from many machines, one report --------------

S="$TMP/shards"
mkdir -p "$S/parts"
i=0
for seed in 11 12 13; do
	i=$((i + 1))
	python3 bench/gen.py --size 300K --seed $seed --format mbox \
	    --acm-fraction 0.2 --quiet --out "$S/shard$i.mbox"
done
cp $A/hostile-entries.tar.gz "$S/shard4.tar.gz"
cp $V/pass-ses.json "$S/shard5.json"
shards="$S/shard1.mbox $S/shard2.mbox $S/shard3.mbox $S/shard4.tar.gz \
    $S/shard5.json"
for s in $shards; do
	$ACMEXTRACT --inventory -j 2 "$s" > "$S/parts/$(basename "$s").jsonl"
done
n=$(cat "$S"/parts/*.jsonl | grep -c '"input"')
check_eq "shards: one inventory line per shard" 5 "$n"
for fmt in $FORMATS; do
	$ACMAUDIT $NOW -o $fmt $shards > "$S/direct.$fmt" 2> /dev/null
	$ACMAUDIT $NOW -o $fmt "$S"/parts/*.jsonl > "$S/merged.$fmt" \
	    2> /dev/null
	check_file "shards ($fmt): report over record files = over shards" \
	    "$S/direct.$fmt" "$S/merged.$fmt"
done
$ACMAUDIT $NOW -o json -j 2 "$S/parts" > "$S/merged-dir.json" 2> /dev/null
check_file "shards: the directory of record files, with -j 2" \
    "$S/direct.json" "$S/merged-dir.json"
py "shards: the merged report names the shards, not the record files" '
import json, sys
r = json.load(open(sys.argv[1]))
paths = [i["path"] for i in r["inputs"]]
assert len(paths) == 5 and not any(p.endswith(".jsonl") for p in paths), \
    paths
assert r["summary"]["validation_mails"] > 5, r["summary"]
print("ok")' "$S/merged.json"

# an input that could not be read: exit 2 directly and through records
$ACMEXTRACT --inventory corpus/neg-corrupt.mbox.gz "$A/genuine.eml" \
    > "$S/broken.jsonl" 2> /dev/null
check_eq "shards: a read error carried in records still exits 2" "2 2" \
    "$(status $ACMAUDIT $NOW corpus/neg-corrupt.mbox.gz "$A/genuine.eml") \
$(status $ACMAUDIT $NOW "$S/broken.jsonl")"

# a directory mixing record files, mail and a file with no mail: -j
# may hand over the files' ends after all the lines they carried
mkdir -p "$S/mixed"
cp "$S"/parts/*.jsonl $A/genuine.eml "$S/mixed/"
printf '{"a": 1}\n' > "$S/mixed/0-empty.json"
$ACMAUDIT $NOW -o json "$S/mixed" > "$S/mixed1.json" 2> /dev/null
$ACMAUDIT $NOW -o json -j 2 "$S/mixed" > "$S/mixed2.json" 2> /dev/null
check_file "shards: a mixed directory, -j 2 as -j 1" "$S/mixed1.json" \
    "$S/mixed2.json"
py "shards: a mixed directory holds the shards, the mail and the JSON" '
import json, sys
r = json.load(open(sys.argv[1]))
p = sorted(i["path"].rsplit("/", 1)[-1] for i in r["inputs"])
assert p == ["0-empty.json", "genuine.eml", "shard1.mbox", "shard2.mbox",
    "shard3.mbox", "shard4.tar.gz", "shard5.json"], p
print("ok")' "$S/mixed1.json"

# records without --inventory: the inputs they name, as far as known
$ACMEXTRACT "$S/shard1.mbox" > "$S/plain.jsonl"
$ACMAUDIT $NOW -o json "$S/plain.jsonl" > "$S/plain.json" 2> /dev/null
py "records without --inventory: an input row from the records" '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["inputs"]) == 1, r["inputs"]
i = r["inputs"][0]
assert i["path"].endswith("shard1.mbox") and not i["inventory"], i
assert i["sha256"] is None and i["validation_mails"] > 0, i
print("ok")' "$S/plain.json"

# an empty JSON file is an input, not a record file
printf '{"a": 1}\n' > "$TMP/empty.json"
$ACMAUDIT $NOW -o json "$TMP/empty.json" $A/genuine.eml \
    > "$TMP/e.json" 2> /dev/null
py "an input with no mail is still in the inventory" '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["inputs"]) == 2, r["inputs"]
print("ok")' "$TMP/e.json"

# a file name that is not UTF-8: one input, named as records name it
bad="$TMP/bad$(printf '\377').eml"
cp $A/genuine.eml "$bad"
$ACMAUDIT $NOW -o json "$bad" > "$TMP/bad.json" 2> /dev/null
py "json: a file name that is not UTF-8 (U+FFFD, as in records)" '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["inputs"]) == 1, r["inputs"]
assert r["inputs"][0]["path"].endswith("bad\ufffd.eml"), r["inputs"]
assert r["summary"]["certificates"] == 1
print("ok")' "$TMP/bad.json"

# --- done when: the reference corpus, every certificate and lookalike ---

# shared/bench/gen_corpus.py lies beside the repository (as in CI); its
# truth file names every genuine mail and every lookalike.  Too slow
# under valgrind, and not needed there: the runs above cover the code.
G=../shared/bench/gen_corpus.py
if [ -f "$G" ] && [ -z "$ACM_WRAP" ]; then
	python3 "$G" --size 20M --seed 7 --out "$TMP/a20.mbox" \
	    --truth "$TMP/a20.truth.jsonl" --quiet
	$ACMAUDIT --max-age none -o json -j 2 "$TMP/a20.mbox" \
	    > "$TMP/a20.json" 2> /dev/null
	py "reference corpus: each genuine certificate once, each lookalike high" '
import json, sys
truth = [json.loads(l) for l in open(sys.argv[1])]
r = json.load(open(sys.argv[2]))
genuine = {t["certificate_id"] for t in truth if not t["phishing"]}
rows = [c["certificate"] for c in r["certificates"]]
missing = [c for c in genuine if rows.count(c) != 1]
assert genuine and not missing, missing
bad = [c for c in r["certificates"] if c["certificate"] in genuine and
    c["verdict"] != "pass"]
assert not bad, bad
for t in truth:
	if not t["phishing"]:
		continue
	hit = [f for f in r["findings"] if f["code"] == "link-host" and
	    f["severity"] == "high" and f["source"]["index"] == t["index"]
	    and f["source"]["offset"] == t["offset"]]
	assert hit, t
print("ok")' "$TMP/a20.truth.jsonl" "$TMP/a20.json"
fi

exit 0
