#!/bin/sh
# acmextract over the bundled corpus (corpus/README.md lists what each
# input exercises).  Run from anywhere; the tool runs from the
# repository root with relative paths, because source.path is part of
# every record and NAME.expected holds it as corpus/NAME.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

C=corpus

# The files of corpus/ that are not inputs.
is_meta() {
	case $1 in
	*.expected | *.fields | README.md | make-corpus | bless | \
	    project.awk) return 0 ;;
	esac
	return 1
}

# The key fields of JSON Lines on stdin, in NAME.fields form.
project() { awk -f "$C/project.awk"; }

# field NAME KEY: KEY's value in the first record of NAME.fields.
field() { sed -n "s/^$2: //p" "$C/$1.fields" | head -n 1; }

# The hash of a file, with whichever tool this system has.
file_sha256() {
	if command -v sha256sum > /dev/null 2>&1; then
		sha256sum < "$1" | cut -d ' ' -f 1
	else
		openssl dgst -sha256 < "$1" | sed 's/.*= *//'
	fi
}

# Every "sha256" of JSON Lines on stdin, one a line.
shas() { awk -f "$C/project.awk" | sed -n 's/^sha256: //p'; }

# --- every input has what the tests need ------------------------------

missing=
unlisted=
for f in "$C"/* "$C"/.[!.]*; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	is_meta "$name" && continue
	# a folder is an input of ours only with NAME.fields (a Maildir);
	# others hold the inputs of other tools' tests
	[ -d "$f" ] && [ ! -f "$f.fields" ] && continue
	[ -f "$f.expected" ] && [ -f "$f.fields" ] ||
	    missing="$missing $name"
	grep -q "^| $name |" "$C/README.md" || unlisted="$unlisted $name"
done
check_eq "corpus: every input has NAME.expected and NAME.fields" "" \
    "$missing"
check_eq "corpus: README.md says what every input exercises" "" \
    "$unlisted"

# --- each input: exact output, key fields, exit status ----------------

: > "$TMP/all.err"
for exp in "$C"/*.expected; do
	input=${exp%.expected}
	name=$(basename "$input")
	$ACMEXTRACT "$input" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	cat "$TMP/err" >> "$TMP/all.err"

	check_file "output: $name" "$exp" "$TMP/out"
	project < "$TMP/out" > "$TMP/fields"
	check_file "key fields: $name" "$input.fields" "$TMP/fields"

	# the expected file itself must agree with what was written in
	project < "$exp" > "$TMP/fields"
	check_file "corpus: $name.expected has the fields of $name.fields" \
	    "$input.fields" "$TMP/fields"

	want=1
	[ -s "$input.fields" ] && want=0
	case $name in
	neg-corrupt.*) want=2 ;;
	esac
	check_eq "exit status: $name" "$want" "$rc"
done

# --- stderr ------------------------------------------------------------

# "acmextract: PATH[:ENTRY][#N[ (byte OFF)]]: [warning: ]what"
shape='^acmextract: corpus/[^ ]+( \(byte [0-9]+\))?: (warning: )?[^ ]'
bad=$(grep -Ev "$shape" "$TMP/all.err")
check_eq "stderr: every corpus message is 'acmextract: PATH: ...'" "" "$bad"

$ACMEXTRACT "$C/tpl-current.eml" > /dev/null 2> "$TMP/err"
check_eq "stderr: a clean input prints nothing there" "" \
    "$(cat "$TMP/err")"

$ACMEXTRACT "$C/no-such-file" > /dev/null 2> "$TMP/err"
check_eq "stderr: a missing path is named with the system's reason" \
    "acmextract: $C/no-such-file: No such file or directory" \
    "$(cat "$TMP/err")"

$ACMEXTRACT "$C/neg-binary.bin" > /dev/null 2> "$TMP/err"
check_eq "stderr: a binary file is a warning and skipped" \
    "acmextract: $C/neg-binary.bin: warning: not mail, an mbox or JSON" \
    "$(sed 's/ (.*//' "$TMP/err")"

$ACMEXTRACT "$C/neg-corrupt.mbox.gz" > /dev/null 2> "$TMP/err"
check_eq "stderr: a corrupt gzip is an error, not a warning" \
    "acmextract: $C/neg-corrupt.mbox.gz: cannot read" \
    "$(sed 's/: [^:]*$//' "$TMP/err")"

$ACMEXTRACT "$C/neg-lambda-ses.json" > /dev/null 2> "$TMP/err"
check_eq "stderr: an SES Lambda event without content warns" \
    "acmextract: $C/neg-lambda-ses.json: warning: SES notification" \
    "$(cut -d ' ' -f 1-5 "$TMP/err")"

# a message number (and its byte offset) for a member of an mbox
$ACMEXTRACT --max-message-size 1K "$C/box-mboxo.mbox" > /dev/null \
    2> "$TMP/err"
off=$(sed -n 's/^offset: //p' "$C/box-mboxo.mbox.fields" | head -n 1)
shape="^acmextract: $C/box-mboxo\\.mbox#1( \\(byte $off\\))?: warning: "
if grep -Eq "$shape"'message larger than' "$TMP/err"; then
	ok "stderr: an mbox member is named PATH#N"
else
	not_ok "stderr: an mbox member is named PATH#N" "$(cat "$TMP/err")"
fi

# an archive entry is named PATH:ENTRY
$ACMEXTRACT --max-message-size 1K "$C/maildir.tar.gz" > /dev/null \
    2> "$TMP/err"
entry=maildir/cur/1717000000.M1P100.mx.example.com:2,S
check_eq "stderr: an archive entry is named PATH:ENTRY" \
    "acmextract: $C/maildir.tar.gz:$entry: warning: message larger than 1024 bytes; only the first 1024 are read" \
    "$(grep -F "/cur/1717000000" "$TMP/err")"

# Maildir++'s empty maildirfolder marker is no input to warn about;
# zero bytes that make an empty tar archive are
for f in maildir maildir.tar.gz maildir.zip; do
	$ACMEXTRACT "$C/$f" > /dev/null 2> "$TMP/err"
	check_eq "Maildir: no warning for maildirfolder in $f" "" \
	    "$(cat "$TMP/err")"
done
head -c 4096 /dev/zero > "$TMP/zeros.bin"
$ACMEXTRACT "$TMP/zeros.bin" > /dev/null 2> "$TMP/err"
check_eq "all-NUL data: an empty tar archive, said so" \
    "acmextract: $TMP/zeros.bin: warning: tar archive with no files in it" \
    "$(cat "$TMP/err")"

# --- exit status --------------------------------------------------------

$ACMEXTRACT -q "$C/tpl-current.eml" > "$TMP/out" 2>&1
check_eq "exit status: -q, a record: 0 and silent" "0:" \
    "$?:$(cat "$TMP/out")"
$ACMEXTRACT -q "$C/neg-ordinary.eml" > "$TMP/out" 2>&1
check_eq "exit status: -q, no record: 1 and silent" "1:" \
    "$?:$(cat "$TMP/out")"

# an unreadable input does not stop the others, and still gives 2
$ACMEXTRACT "$C/no-such-file" "$C/tpl-current.eml" "$C/neg-corrupt.mbox.gz" \
    "$C/box-mboxo.mbox" > "$TMP/out" 2> /dev/null
rc=$?
check_eq "exit status: 2 when one input of several is missing or corrupt" \
    2 "$rc"
cat "$C/tpl-current.eml.expected" "$C/box-mboxo.mbox.expected" \
    > "$TMP/want"
check_file "the inputs around a bad one are all read" "$TMP/want" \
    "$TMP/out"

$ACMEXTRACT "$C/neg-ordinary.eml" "$C/neg-decoy.eml" > /dev/null 2>&1
check_eq "exit status: 1 when no input has a record" 1 "$?"
$ACMEXTRACT -o yaml "$C/tpl-current.eml" > /dev/null 2>&1
check_eq "exit status: 2 for an unknown output format" 2 "$?"
$ACMEXTRACT --format nonsense "$C/tpl-current.eml" > /dev/null 2>&1
check_eq "exit status: 2 for an unknown input format" 2 "$?"

# --- standard input ---------------------------------------------------

# stdin is named "-": the mbox's expected output with that path
for box in box-mboxo.mbox box-mboxo.mbox.gz; do
	sed "s|\"path\":\"$C/$box\"|\"path\":\"-\"|" "$C/$box.expected" \
	    > "$TMP/want"
	$ACMEXTRACT - < "$C/$box" > "$TMP/out" 2> /dev/null
	check_file "stdin: '-' reads $box" "$TMP/want" "$TMP/out"
	$ACMEXTRACT < "$C/$box" > "$TMP/out" 2> /dev/null
	check_file "stdin: no argument reads $box" "$TMP/want" "$TMP/out"
	# a pipe cannot seek: sniffing must not need to
	cat "$C/$box" | $ACMEXTRACT > "$TMP/out" 2> /dev/null
	check_file "stdin: a pipe carrying $box" "$TMP/want" "$TMP/out"
done

# --- output formats -----------------------------------------------------

tab=$(printf '\t')
esc=$(printf '\033')

$ACMEXTRACT -o tsv "$C/tpl-current.eml" > "$TMP/out"
{
	printf 'template\tdomain\taccount_id\tregion\tcertificate_id\t'
	printf 'approval_host\tapproval_url\tdate\tfrom\tsubject\t'
	printf 'copy\tpath\tentry\tindex\tsha256\n'
	for k in template domain account_id region certificate_id \
	    approval_host approval_url; do
		printf '%s\t' "$(field tpl-current.eml "$k")"
	done
	printf '2024-06-03T10:00:00Z\t'
	printf 'Amazon Certificates <no-reply@certificates.amazon.com>\t'
	printf '%s\tno\t%s\t-\t0\t%s\n' \
	    "$(field tpl-current.eml subject)" "$C/tpl-current.eml" \
	    "$(field tpl-current.eml sha256)"
} > "$TMP/want"
check_file "-o tsv: a header and one row per record" "$TMP/want" \
    "$TMP/out"

$ACMEXTRACT -o tsv "$C/box-mboxo.mbox" "$C/tpl-current.eml" \
    "$C/copy-reply.eml" > "$TMP/out"
check_eq "-o tsv: one header for all inputs" "1 5" \
    "$(grep -c '^template' "$TMP/out") $(wc -l < "$TMP/out" | tr -d ' ')"
check_eq "-o tsv: every row has 15 cells" "" \
    "$(awk -F "$tab" 'NF != 15' "$TMP/out")"
check_eq "-o tsv: a copy says yes" "yes" \
    "$(awk -F "$tab" '$2 == "reply.example.com" { print $11 }' \
    "$TMP/out")"
$ACMEXTRACT -o tsv "$C/maildir.zip" > "$TMP/out" 2> /dev/null
check_eq "-o tsv: the archive entry has a column" \
    "maildir/cur/1717000000.M1P100.mx.example.com:2,S" \
    "$(awk -F "$tab" 'NR > 1 { print $13 }' "$TMP/out" | grep '^maildir/cur/')"

# mail text must never drive the terminal: ESC is written as \x1b
for fmt in text tsv; do
	$ACMEXTRACT -o "$fmt" "$C/ansi-subject.eml" > "$TMP/out"
	if grep -q "$esc" "$TMP/out"; then
		not_ok "-o $fmt: no raw ESC from a subject" \
		    "$(od -c "$TMP/out" | grep 033 | head -n 1)"
	else
		ok "-o $fmt: no raw ESC from a subject"
	fi
	if grep -qF 'ansi.example.com \x1b[31mURGENT\x1b[0m' "$TMP/out"
	then
		ok "-o $fmt: the ESC is shown as \\x1b"
	else
		not_ok "-o $fmt: the ESC is shown as \\x1b" "$(cat "$TMP/out")"
	fi
done

$ACMEXTRACT -o text "$C/tpl-current.eml" "$C/copy-reply.eml" \
    > "$TMP/out"
check_eq "-o text: a heading line per record" \
    "$C/tpl-current.eml#0: current template
$C/copy-reply.eml#0: current template (a copy)" \
    "$(grep -v '^ ' "$TMP/out" | grep -v '^$')"
check_eq "-o text: the approval link is shown" \
    "  approval link      $(field tpl-current.eml approval_url)" \
    "$(grep 'approval link' "$TMP/out" | head -n 1)"

# --- --format -------------------------------------------------------------

$ACMEXTRACT --format mbox "$C/box-mboxo.mbox" > "$TMP/out" 2> /dev/null
check_file "--format mbox: an mbox reads as without it" \
    "$C/box-mboxo.mbox.expected" "$TMP/out"
$ACMEXTRACT --format auto "$C/lines.jsonl" > "$TMP/out" 2> /dev/null
check_file "--format auto: the default" "$C/lines.jsonl.expected" \
    "$TMP/out"

# forced formats are obeyed even when the content says otherwise
$ACMEXTRACT --format mbox "$C/tpl-current.eml" > "$TMP/out" 2> /dev/null
check_eq "--format mbox: a mail with no From_ line has no message" \
    "1:" "$?:$(cat "$TMP/out")"
$ACMEXTRACT --format json "$C/tpl-current.eml" > "$TMP/out" \
    2> "$TMP/err"
check_eq "--format json: a mail is bad JSON, an error" "2:" \
    "$?:$(cat "$TMP/out")"
$ACMEXTRACT --format eml "$C/box-mboxo.mbox" 2> /dev/null | project \
    > "$TMP/out"
check_eq "--format eml: a whole mbox is one message" "[]:0:1" \
    "$(sed -n 's/^layers: //p' "$TMP/out"):$(sed -n \
    's/^index: //p' "$TMP/out"):$(grep -c '^template: ' "$TMP/out")"

$ACMEXTRACT --format records "$C/tpl-current.eml" > "$TMP/out" 2> /dev/null
check_eq "--format records: refused by acmextract, exit 2" "2:" \
    "$?:$(cat "$TMP/out")"

# --- one mail, one sha256, however it was delivered -------------------

want=$(file_sha256 "$C/same-crlf.eml")
for f in same-crlf.eml same-crlf.mbox same-ses-utf8.json \
    same-ses-base64.json; do
	$ACMEXTRACT "$C/$f" 2> /dev/null | shas > "$TMP/out"
	check_eq "sha256: $f hashes the mail's own bytes" "$want" \
	    "$(cat "$TMP/out")"
done

# --- Maildir tmp/ ---------------------------------------------------------

# a delivery still being written to tmp/ is never read, archived or not
for f in maildir maildir.tar.gz maildir.zip; do
	n=$($ACMEXTRACT "$C/$f" 2> /dev/null | grep -c 'md-tmp\.example')
	check_eq "Maildir: tmp/ is not read in $f" 0 "$n"
done

# --- -j: the same output, the same order, the same exit status -----------

# Three roads: small files go whole to a worker, stdin is split by the
# reading thread (mails and JSON lines go to the workers one by one),
# and a directory mixes files of every kind, errors among them.
jobs_same() {	# NAME STDIN ARGS...: -j 1 and -j 3 give the same bytes
	name=$1
	in=$2
	shift 2
	$ACMEXTRACT --inventory -j 1 "$@" < "$in" > "$TMP/j1" 2>&1
	echo "exit $?" >> "$TMP/j1"
	$ACMEXTRACT --inventory -j 3 "$@" < "$in" > "$TMP/j3" 2>&1
	echo "exit $?" >> "$TMP/j3"
	check_file "-j 3 as -j 1: $name" "$TMP/j1" "$TMP/j3"
}
jobs_same "the whole corpus directory" /dev/null "$C"
for f in lines.jsonl lines-encoded.jsonl box-mboxrd.mbox box-mboxcl2.mbox \
    box-badlen.mbox sns-email-json.eml array.json; do
	jobs_same "$f on stdin" "$C/$f" -
done
cat "$C"/*.jsonl > "$TMP/all.jsonl"
jobs_same "every JSON Lines input in one stream" "$TMP/all.jsonl" -

# With -j a large mbox is cut in chunks that the workers split
# (mboxchunk.c).  Chunks of a few hundred bytes cut the corpus's
# mailboxes everywhere, Content-Length ones included; the output must
# still be -j 1's, byte for byte.
cat "$C"/box-*.mbox "$C"/box-*.mbox "$C"/box-*.mbox > "$TMP/all.mbox"
gzip -c "$TMP/all.mbox" > "$TMP/all.mbox.gz"
head -c "$(($(wc -c < "$TMP/all.mbox.gz") * 2 / 3))" "$TMP/all.mbox.gz" \
    > "$TMP/cut.mbox.gz"
for size in 64 300 4096; do
	for f in "$C"/box-*.mbox "$TMP/all.mbox" "$TMP/all.mbox.gz" \
	    "$TMP/cut.mbox.gz"; do
		(ACM_CHUNK_BYTES=$size
		export ACM_CHUNK_BYTES
		jobs_same "$(basename "$f") in chunks of $size" "$f" -)
	done
	# warnings made by the workers count in the inventory line
	(ACM_CHUNK_BYTES=$size
	export ACM_CHUNK_BYTES
	jobs_same "all.mbox in chunks of $size, messages over 1K" \
	    "$TMP/all.mbox" --max-message-size 1K -)
done
# A regular file on stdin (or a large one named) is a plain file: the
# workers read its chunks themselves.  --inventory hashes the file, so
# it is read by the reading thread; here without.
plain_same() {	# NAME FILE ARGS...: -j 1 and -j 3 over FILE on stdin
	name=$1
	in=$2
	shift 2
	$ACMEXTRACT -j 1 "$@" - < "$in" > "$TMP/p1" 2>&1
	echo "exit $?" >> "$TMP/p1"
	$ACMEXTRACT -j 3 "$@" - < "$in" > "$TMP/p3" 2>&1
	echo "exit $?" >> "$TMP/p3"
	check_file "-j 3 as -j 1, a plain file: $name" "$TMP/p1" "$TMP/p3"
}
for size in 64 300 4096; do
	for f in "$C"/box-*.mbox "$TMP/all.mbox"; do
		(ACM_CHUNK_BYTES=$size
		export ACM_CHUNK_BYTES
		plain_same "$(basename "$f") in chunks of $size" "$f"
		plain_same "$(basename "$f") in chunks of $size, 1K" "$f" \
		    --max-message-size 1K)
	done
done
# The size limit cuts a plain file at that byte whoever reads it: the
# last chunk before it ends there, not at the next From_ line, and the
# first block read counts (found by a newcomer, -j 2 lost the records).
for size in 64 4096; do
	for max in 1K 2K 100K; do
		(ACM_CHUNK_BYTES=$size
		export ACM_CHUNK_BYTES
		plain_same "all.mbox in chunks of $size, --max-expanded-size $max" \
		    "$TMP/all.mbox" --max-expanded-size $max)
	done
done
# ... and where the file ends past the last chunk's reach but the limit
# falls before its end, the last chunk is not handed out whole
(cat "$TMP/all.mbox"
echo "From a@b Thu Jan  1 00:00:00 2024"
cat "$C/tpl-current.eml"
i=0
while [ $i -lt 200 ]; do echo "padding line $i"; i=$((i + 1)); done
echo) > "$TMP/edge.mbox"
for extra in 100 1100 2000; do
	(ACM_CHUNK_BYTES=64
	export ACM_CHUNK_BYTES
	plain_same "a long last message, the limit $extra bytes into it" \
	    "$TMP/edge.mbox" --max-expanded-size \
	    $(($(wc -c < "$TMP/all.mbox") + extra)))
done
i=0
while [ $i -lt 330 ]; do cat "$TMP/all.mbox"; i=$((i + 1)); done > "$TMP/big.mbox"
for j in 1 3; do
	ACM_CHUNK_BYTES=300 $ACMEXTRACT -j $j --max-expanded-size 100K \
	    "$TMP/big.mbox" > "$TMP/lim$j" 2>&1
done
check_file "-j 3 as -j 1: a named mbox of $(($(wc -c < "$TMP/big.mbox") >> 20)) MiB cut by the size limit" \
    "$TMP/lim1" "$TMP/lim3"
# ... and the inventory still has the whole file's size and hash
for j in 1 3; do
	$ACMEXTRACT -j $j --inventory --max-expanded-size 100K - \
	    < "$TMP/big.mbox" 2> /dev/null | tail -n 1 > "$TMP/inv$j"
	check_eq "--inventory -j $j, size limit met: the file's bytes and hash" \
	    "$(wc -c < "$TMP/big.mbox") $(file_sha256 "$TMP/big.mbox")" \
	    "$(sed 's/.*"bytes":\([0-9]*\),"sha256":"\([0-9a-f]*\)".*/\1 \2/' \
	    "$TMP/inv$j")"
done

# the file read from where stdin is open, not from its start
(head -c 100 "$C/tpl-current.eml"; cat "$TMP/all.mbox") > "$TMP/skew.mbox"
(ACM_CHUNK_BYTES=300
export ACM_CHUNK_BYTES
for j in 1 3; do
	(dd bs=100 count=1 > /dev/null 2>&1; $ACMEXTRACT -j $j -) \
	    < "$TMP/skew.mbox" > "$TMP/skew$j" 2>&1
done
check_file "-j 3 as -j 1: a plain file read from where stdin is" \
    "$TMP/skew1" "$TMP/skew3"
$ACMEXTRACT -j 1 - < "$TMP/all.mbox" > "$TMP/whole" 2>&1
check_file "a plain file read from where stdin is: as the mbox alone" \
    "$TMP/whole" "$TMP/skew3")

$ACMEXTRACT --inventory --max-message-size 1K -j 2 - < "$TMP/all.mbox" \
    2> /dev/null | grep '"input"' > "$TMP/inv"
check_eq "-j 2: the inventory counts the workers' warnings" \
    "$(grep -c 'warning: message larger' "$TMP/j1")" \
    "$(sed -n 's/.*"warnings":\([0-9]*\).*/\1/p' "$TMP/inv")"

# A Maildir's cur/ and new/ hold one message a file, so -j hands their
# files to the workers unseen (no stat for the size): an mbox put there
# all the same, a link and a folder in cur/ must come out as -j 1 has
# them, chunks or not.
mkdir -p "$TMP/md/cur/sub" "$TMP/md/new" "$TMP/md/tmp"
cp "$TMP/all.mbox" "$TMP/md/cur/1.mbox"
cp "$C/tpl-current.eml" "$TMP/md/new/2"
cp "$C/box-mboxo.mbox" "$TMP/md/cur/sub/3"
ln -s ../new/2 "$TMP/md/cur/4"
for size in 300 1048576; do
	(ACM_CHUNK_BYTES=$size
	export ACM_CHUNK_BYTES
	jobs_same "a Maildir with an mbox in cur/, chunks of $size" \
	    /dev/null "$TMP/md")
done
n=$($ACMEXTRACT -j 3 "$TMP/md" 2> /dev/null | grep -c '"index":')
check_eq "Maildir: the mbox in cur/ is split into its messages" \
    "$($ACMEXTRACT -j 1 "$TMP/all.mbox" 2> /dev/null | grep -c '"index":')" \
    "$(($n - $($ACMEXTRACT "$C/tpl-current.eml" "$C/box-mboxo.mbox" \
    "$C/tpl-current.eml" 2> /dev/null | grep -c '"index":')))"

# a read error comes after the last message read before it, -j or not
# (the mailbox large enough that gzip hands over a part before failing)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	cat "$TMP/all.mbox" "$TMP/all.mbox"
done | gzip -c > "$TMP/big.mbox.gz"
head -c "$(($(wc -c < "$TMP/big.mbox.gz") / 2))" "$TMP/big.mbox.gz" \
    > "$TMP/cutbig.mbox.gz"
for j in 1 3; do
	$ACMEXTRACT --max-message-size 1K -j $j - < "$TMP/cutbig.mbox.gz" \
	    > /dev/null 2> "$TMP/err$j"
done
check_eq "cut .gz: the read error after the messages, before the count" \
    "cannot read
input ended" "$(tail -n 2 "$TMP/err1" | sed 's/^acmextract: -: //; s/:.*//;
    s/ with a read error.*//')"
check_file "cut .gz: -j 3's stderr is -j 1's" "$TMP/err1" "$TMP/err3"

# an archive entry cut short is an error that says so, not "empty input"
(cd "$C" && tar cf "$TMP/two.tar" box-mboxo.mbox tpl-current.eml)
head -c 1500 "$TMP/two.tar" > "$TMP/cut.tar"
$ACMEXTRACT "$TMP/cut.tar" > /dev/null 2> "$TMP/err"
check_eq "truncated tar: the entry's error is named, exit 2" "2 1 0" \
    "$? $(grep -c "cut.tar:box-mboxo.mbox: cannot read: " "$TMP/err") \
$(grep -c 'empty input' "$TMP/err")"

# a tree deeper than 64 directories: the rest skipped with a warning,
# the mail above the limit still read, -j or not
deep=$TMP/deep
mkdir -p "$deep"
cp "$C/tpl-current.eml" "$deep/"
for i in $(seq 70); do deep=$deep/d; done
mkdir -p "$deep"
cp "$C/tpl-current.eml" "$deep/"
for j in 1 2; do
	$ACMEXTRACT -j $j "$TMP/deep" > "$TMP/out" 2> "$TMP/err"
	check_eq "a tree too deep, -j $j: one record, one warning" "1 1" \
	    "$(grep -c template "$TMP/out") \
$(grep -c 'directory nesting too deep; skipped' "$TMP/err")"
done

# every diagnostic is one line, whatever libarchive's text holds
$ACMEXTRACT corpus/regress/source-zip-error-newline.zip > /dev/null \
    2> "$TMP/err"
check_eq "diagnostics: one line each, libarchive's newline removed" "" \
    "$(grep -v '^acmextract: ' "$TMP/err")"

exit 0
