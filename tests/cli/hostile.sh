#!/bin/sh
# Hostile input: nesting bombs, decompression bombs, endless lines, NUL
# bytes, invalid UTF-8.  Every input is made here, in $TMP, at test
# time.  Each run must end (no crash, no hang: a time bound), say what
# it hit (a warning naming the input and the limit), and go on: a good
# mail given after the hostile input is still found.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

# Seconds a run may take.  Under valgrind everything is ~50 times
# slower; the bound is there to catch a hang, not to benchmark.
LIMIT=${ACM_HOSTILE_LIMIT:-60}
[ -n "$ACM_WRAP" ] && LIMIT=900

GOOD=$TMP/good.eml
cp corpus/tpl-current.eml "$GOOD"

# xt ARGS...: acmextract with a time bound.  Sets rc and secs; stdout
# in $TMP/out, stderr in $TMP/err.
xt() {
	t0=$(date +%s)
	timeout -k 10 "$LIMIT" $ACMEXTRACT "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	secs=$(($(date +%s) - t0))
}

# survived NAME STATUS: the last run ended by itself with STATUS and
# still found the good mail that came after the hostile input.
survived() {
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		not_ok "$1" "killed after $LIMIT s"
	elif [ "$rc" -ne "$2" ]; then
		not_ok "$1" "exit status $rc, expected $2" \
		    "$(head -c 800 "$TMP/err")"
	elif ! grep -q '"path":"[^"]*good\.eml"' "$TMP/out"; then
		not_ok "$1" "the good mail after it was not found" \
		    "$(head -c 800 "$TMP/err")"
	else
		ok "$1 (${secs}s)"
	fi
}

# warned NAME FILE TEXT: stderr has one line that names FILE and
# carries TEXT.
warned() {
	if grep -F -- "$3" "$TMP/err" | grep -q -F -- "$2"; then
		ok "$1"
	else
		not_ok "$1" "no warning naming $2 with: $3" \
		    "$(head -c 800 "$TMP/err")"
	fi
}

# records_valid NAME: every output line is a JSON object.
records_valid() {
	if python3 -c '
import json, sys
for line in sys.stdin:
    assert isinstance(json.loads(line), dict)
' < "$TMP/out" 2> "$TMP/py"; then
		ok "$1"
	else
		not_ok "$1" "$(tail -n 3 "$TMP/py")"
	fi
}

# The template of the good mail: its body from the greeting on.
sed -n '/^Greetings/,$p' "$GOOD" > "$TMP/body"
sed -n '1,/^$/p' "$GOOD" | sed '$d' > "$TMP/head"

# --- JSON nesting ------------------------------------------------------

head -c 100000 /dev/zero | tr '\0' '[' > "$TMP/deep.json"
xt "$TMP/deep.json" "$GOOD"
survived "json: 100k-deep array" 0
warned "json: 100k-deep array warns" deep.json \
    "JSON nested deeper than 64 levels"

{ head -c 100000 /dev/zero | tr '\0' 'x' | sed 's/x/{"a":/g'; echo 1; } \
    > "$TMP/deepobj.json"
xt "$TMP/deepobj.json" "$GOOD"
survived "json: 100k-deep object" 0
warned "json: 100k-deep object warns" deepobj.json \
    "JSON nested deeper than 64 levels"

{ echo '{}'; cat "$TMP/deep.json"; echo; echo '{}'; } > "$TMP/deep.jsonl"
xt "$TMP/deep.jsonl" "$GOOD"
survived "json lines: a 100k-deep line among good ones" 0
warned "json lines: the deep line is named" "deep.jsonl#1" \
    "JSON nested deeper than 64 levels"

xt --max-json-depth 8 "$TMP/deepobj.json" "$GOOD"
warned "json: --max-json-depth" deepobj.json \
    "JSON nested deeper than 8 levels"

# SNS notifications wrapped in SNS notifications, 18 deep.  Each level
# escapes the one inside it again, so the size doubles with the depth:
# the innermost message is a few words, and 18 levels make some MB.
# The words name the approvals page, or the prefilter would rightly
# skip the line without unwrapping anything.
python3 > "$TMP/sns18.json" <<'EOF'
import json
m = "Certificate Approvals"
for i in range(18):
    m = json.dumps({"Type": "Notification", "Message": m})
print(m)
EOF
xt "$TMP/sns18.json" "$GOOD"
survived "envelopes: SNS in SNS, 18 deep" 0
warned "envelopes: the default depth warns" sns18.json \
    "envelopes nested deeper than 16"
xt --max-envelope-depth 3 "$TMP/sns18.json" "$GOOD"
warned "envelopes: --max-envelope-depth" sns18.json \
    "envelopes nested deeper than 3"

xt --max-json-size 1K "$TMP/sns18.json" "$GOOD"
survived "json: --max-json-size" 0
warned "json: --max-json-size warns" sns18.json "larger than 1024 bytes"

# --- MIME nesting ------------------------------------------------------

# deep_multipart N: N nested multiparts, a text part at the bottom
deep_multipart() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "--b%d\nContent-Type: multipart/mixed; " \
			    "boundary=b%d\n\n", i - 1, i
		printf "--b%d\nContent-Type: text/plain\n\nno " \
		    "approvals here\n", n
		for (i = n; i >= 0; i--)
			printf "--b%d--\n", i
	}'
}

{
	printf 'From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary=b0\n\n'
	deep_multipart 10000
} > "$TMP/deepmp.eml"
xt "$TMP/deepmp.eml" "$GOOD"
survived "mime: 10k-deep multipart" 0
warned "mime: 10k-deep multipart warns" deepmp.eml \
    "MIME nested deeper than 64"
xt --max-mime-depth 5 "$TMP/deepmp.eml" "$GOOD"
warned "mime: --max-mime-depth" deepmp.eml "MIME nested deeper than 5"

# The template beside a 10k-deep multipart: found, with the warning.
{
	grep -v -i '^content-\|^mime-version' "$TMP/head"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; '
	printf 'boundary=top\n\n--top\nContent-Type: text/plain\n\n'
	cat "$TMP/body"
	printf '\n--top\nContent-Type: multipart/mixed; boundary=b0\n\n'
	deep_multipart 10000
	printf -- '--top--\n'
} > "$TMP/beside.eml"
xt "$TMP/beside.eml" "$GOOD"
survived "mime: the template beside a 10k-deep multipart" 0
if grep -q 'beside\.eml' "$TMP/out"; then
	ok "mime: the template beside a 10k-deep multipart is found"
else
	not_ok "mime: the template beside a 10k-deep multipart is found" \
	    "$(head -c 800 "$TMP/err")"
fi
warned "mime: the template beside a 10k-deep multipart warns" \
    beside.eml "MIME nested deeper than 64"

# Attached messages in attached messages, 10k deep.
{
	awk 'BEGIN { for (i = 0; i < 10000; i++)
		printf "From: a@example.com\nSubject: level %d\n" \
		    "MIME-Version: 1.0\nContent-Type: message/rfc822\n\n", i
	}'
	cat "$GOOD"
} > "$TMP/deeprfc.eml"
xt "$TMP/deeprfc.eml" "$GOOD"
survived "mime: 10k-deep message/rfc822" 0
warned "mime: attached messages count towards the MIME depth" \
    deeprfc.eml "MIME nested deeper than 64"

# --- decompression bombs -----------------------------------------------

# 64 MiB of zeros, gzip -9: 65 KiB.  Members concatenate, so the bomb
# costs one compression however large it is.
head -c 64M /dev/zero | gzip -9 > "$TMP/z64.gz"
# bomb N: an mbox From_ line, then N times 64 MiB of zeros, gzipped
bomb() {
	printf 'From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\n' | gzip
	i=0
	while [ "$i" -lt "$1" ]; do
		cat "$TMP/z64.gz"
		i=$((i + 1))
	done
}
bomb 64 > "$TMP/bomb4g.mbox.gz"
xt "$TMP/bomb4g.mbox.gz" "$GOOD"
survived "gzip bomb: 4 GiB from $(wc -c < "$TMP/bomb4g.mbox.gz") bytes" 0
warned "gzip bomb: the default ratio limit stops it" bomb4g.mbox.gz \
    "compression ratio above 1000:1"

bomb 16 > "$TMP/bomb1g.mbox.gz"
xt --max-ratio 1000000 --max-expanded-size 32M --max-message-size 1M \
    "$TMP/bomb1g.mbox.gz" "$GOOD"
survived "gzip bomb: 1 GiB with the ratio rule off" 0
warned "gzip bomb: --max-expanded-size stops it" bomb1g.mbox.gz \
    "decompressed size limit reached (33554432 bytes)"
warned "gzip bomb: --max-message-size cuts the endless message" \
    bomb1g.mbox.gz "message larger than 1048576 bytes"

# A zip whose one entry inflates to 3.9 GiB: a raw deflate block of
# zeros, ended by a full flush, repeated, under a correct CRC.
python3 - "$TMP/bomb.zip" 62 <<'EOF'
import struct, sys, zlib

out, chunks = sys.argv[1], int(sys.argv[2])
prefix = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: bomb\n\n"
zeros = bytes(64 << 20)

def crc32_zeros(crc, n):
    # the CRC after N more zero bytes, by squaring the shift operator
    def times(m, v):
        s = i = 0
        while v:
            if v & 1:
                s ^= m[i]
            v >>= 1
            i += 1
        return s
    def square(m):
        return [times(m, m[k]) for k in range(32)]
    odd = [0xedb88320] + [1 << k for k in range(31)]
    even = square(odd)
    odd = square(even)
    crc ^= 0xffffffff
    while n:
        even = square(odd)
        if n & 1:
            crc = times(even, crc)
        n >>= 1
        if not n:
            break
        odd = square(even)
        if n & 1:
            crc = times(odd, crc)
        n >>= 1
    return crc ^ 0xffffffff

c = zlib.compressobj(9, zlib.DEFLATED, -15)
head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
c = zlib.compressobj(9, zlib.DEFLATED, -15)
block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
data = head + block * chunks + b"\x03\x00"
size = len(prefix) + chunks * len(zeros)
crc = crc32_zeros(zlib.crc32(prefix), chunks * len(zeros))
name = b"bomb.mbox"
local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x21, crc,
    len(data), size, len(name), 0) + name
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0,
    0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0) + name
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central),
    len(local) + len(data), 0)
with open(out, "wb") as f:
    f.write(local + data + central + end)
EOF
xt "$TMP/bomb.zip" "$GOOD"
survived "zip bomb: 3.9 GiB from $(wc -c < "$TMP/bomb.zip") bytes" 0
warned "zip bomb: the default ratio limit stops it" bomb.zip \
    "compression ratio above 1000:1"
xt --max-ratio 1000000 --max-expanded-size 32M --max-message-size 1M \
    "$TMP/bomb.zip" "$GOOD"
survived "zip bomb: with the ratio rule off" 0
warned "zip bomb: --max-expanded-size stops it" bomb.zip \
    "decompressed size limit reached (33554432 bytes)"

# Many entries: 2000 empty files.
python3 - "$TMP/many.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(2000):
        z.writestr("m/%d.eml" % i, "")
EOF
xt --max-archive-entries 100 "$TMP/many.zip" "$GOOD"
survived "zip: 2000 entries" 0
warned "zip: --max-archive-entries stops it" many.zip \
    "more than 100 archive entries"

# Archives in archives.
mkdir -p "$TMP/nest/a"
cp "$GOOD" "$TMP/nest/a/inner.eml"
(cd "$TMP/nest" && tar czf l1.tgz a && mkdir b && mv l1.tgz b/ &&
    tar czf l2.tgz b && mkdir c && mv l2.tgz c/ && tar czf l3.tgz c)
xt --max-envelope-depth 2 "$TMP/nest/l3.tgz" "$GOOD"
survived "tar.gz in tar.gz in tar.gz" 0
warned "archives: --max-envelope-depth stops the nesting" l3.tgz \
    "nesting deeper than 2 levels"

# --- sizes -------------------------------------------------------------

{ printf 'X-Long: '; head -c 1048576 /dev/zero | tr '\0' 'a'; echo
    cat "$GOOD"; } > "$TMP/longhdr.eml"
xt "$TMP/longhdr.eml" "$GOOD"
survived "a 1 MiB header line" 0
warned "a 1 MiB header line: over the default header limit" longhdr.eml \
    "header block larger than 1048576 bytes"
xt --max-header-size 2M "$TMP/longhdr.eml" "$GOOD"
survived "a 1 MiB header line, --max-header-size 2M" 0
if grep -q '"domain":"www\.example\.com".*longhdr\.eml' "$TMP/out"; then
	ok "a 1 MiB header line: read whole under a larger limit"
else
	not_ok "a 1 MiB header line: read whole under a larger limit" \
	    "$(head -c 800 "$TMP/err")"
fi

# A 1 MB Subject stays under the 1 MiB header limit: parsed, kept.
{ grep -v '^Subject:' "$TMP/head"; printf 'Subject: '
    head -c 1000000 /dev/zero | tr '\0' 'b'; printf '\n\n'
    cat "$TMP/body"; } > "$TMP/longsubj.eml"
xt "$TMP/longsubj.eml" "$GOOD"
survived "a 1 MB Subject" 0
records_valid "a 1 MB Subject: the records are JSON"
if grep -q '"subject":"bbbbbbbbbb.*longsubj\.eml' "$TMP/out"; then
	ok "a 1 MB Subject: the mail is read"
else
	not_ok "a 1 MB Subject: the mail is read" "$(head -c 800 "$TMP/err")"
fi
xt --max-header-size 64K "$TMP/longsubj.eml" "$GOOD"
survived "a 1 MB Subject, --max-header-size 64K" 0
warned "--max-header-size: named with the limit" longsubj.eml \
    "header block larger than 65536 bytes"

head -c 3000000 /dev/zero | tr '\0' 'c' > "$TMP/oneline.txt"
xt "$TMP/oneline.txt" "$GOOD"
survived "3 MB without a line end" 0
warned "3 MB without a line end: named and skipped" oneline.txt \
    "not mail, an mbox or JSON"

xt --max-message-size 1K "$GOOD"
warned "--max-message-size: a mail" good.eml \
    "message larger than 1024 bytes"
{ echo 'From a@b Mon Jan  1 00:00:00 2024'; cat "$GOOD"; } > "$TMP/one.mbox"
xt --max-message-size 1K "$TMP/one.mbox" "$GOOD"
warned "--max-message-size: an mbox message" one.mbox \
    "message larger than 1024 bytes"
python3 - "$GOOD" > "$TMP/ses.json" <<'EOF'
import json, sys
print(json.dumps({"notificationType": "Received", "mail": {},
    "receipt": {"action": {"type": "SNS", "encoding": "UTF8"}},
    "content": open(sys.argv[1]).read()}))
EOF
xt --max-message-size 1K "$TMP/ses.json" "$GOOD"
warned "--max-message-size: a mail in SES JSON" ses.json \
    "message larger than 1024 bytes"

# --- NUL bytes -----------------------------------------------------------

# at every line end, in place of every space, between every byte
sed 's/$/\x00/' "$GOOD" > "$TMP/nul-eol.eml"
tr ' ' '\000' < "$GOOD" > "$TMP/nul-space.eml"
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(b"\0".join(d[i:i + 1] for i in range(len(d))))
' "$GOOD" > "$TMP/nul-every.eml"
{ head -c 5000 /dev/zero; cat "$GOOD"; } > "$TMP/nul-lead.eml"
{ echo 'From a@b Mon Jan  1 00:00:00 2024'; cat "$TMP/nul-eol.eml"
    echo; echo 'From a@b Mon Jan  1 00:00:00 2024'
    cat "$TMP/nul-space.eml"; } > "$TMP/nul.mbox"
for f in nul-eol.eml nul-space.eml nul-every.eml nul-lead.eml nul.mbox; do
	xt "$TMP/$f" "$GOOD"
	survived "NUL bytes: $f" 0
	records_valid "NUL bytes: $f: the records are JSON"
done
xt "$TMP/nul-every.eml" "$GOOD"
warned "NUL bytes: between every byte is not mail" nul-every.eml \
    "not mail, an mbox or JSON"

# --- invalid UTF-8 -------------------------------------------------------

# Bad bytes: lone continuation, 0xff 0xfe, a surrogate, an overlong '/'
# and a C1 control, in every header and every template field.
BAD=$(printf '\200\377\376\355\240\200\300\257\302\233')
sed -e "s/^\(From\|To\|Subject\|Date\|Message-ID\): /&$BAD/" \
    -e "s/^\(Domain\|AWS account ID\|AWS Region name\): /&$BAD/" \
    -e "s/^\(Certificate Identifier\): /&$BAD/" \
    -e "s/^Greetings/$BAD&/" "$GOOD" > "$TMP/badutf.eml"
{ cat "$TMP/head"; printf 'Subject: =?utf-8?b?%s?=\n' \
    "$(printf 'x%s' "$BAD" | base64 | tr -d '\n')"
    printf 'Content-Type: text/plain; charset=x-nonsense\n\n'
    cat "$TMP/body"; } > "$TMP/badutf2.eml"
for f in badutf.eml badutf2.eml; do
	xt "$TMP/$f" "$GOOD"
	survived "invalid UTF-8: $f" 0
	records_valid "invalid UTF-8: $f: the records are JSON"
	xt -o text "$TMP/$f" "$GOOD"
	if LC_ALL=C tr -d '\n\t -~\200-\377' < "$TMP/out" | grep -q . ||
	    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$TMP/out"; then
		not_ok "invalid UTF-8: $f: no control character reaches -o text"
	else
		ok "invalid UTF-8: $f: no control character reaches -o text"
	fi
	xt -o tsv "$TMP/$f"
	if [ "$rc" -eq 0 ] && [ "$(wc -l < "$TMP/out")" -eq 2 ] &&
	    [ "$(awk -F '\t' '{ print NF }' "$TMP/out" | sort -u)" = 15 ]
	then
		ok "invalid UTF-8: $f: -o tsv keeps its columns"
	else
		not_ok "invalid UTF-8: $f: -o tsv keeps its columns" \
		    "$(head -c 800 "$TMP/out")"
	fi
done
xt "$TMP/badutf.eml"
if grep -q 'unencoded 8-bit header' "$TMP/out"; then
	ok "invalid UTF-8: the record says the headers were 8-bit"
else
	not_ok "invalid UTF-8: the record says the headers were 8-bit" \
	    "$(head -c 800 "$TMP/out")"
fi

# JSON that is not UTF-8 is not JSON: an error naming it, then on.
sed "s/Greetings/$BAD/" "$TMP/ses.json" > "$TMP/badutf.json"
xt "$TMP/badutf.json" "$GOOD"
survived "invalid UTF-8 in JSON" 2
warned "invalid UTF-8 in JSON: an error naming the input" badutf.json \
    "bad JSON"

# --- regressions ---------------------------------------------------------

# Inputs that once crashed or hung (corpus/regress/README.md): each must
# end by itself; a damaged archive may be an error (status 2).
for f in corpus/regress/*; do
	case $f in *.md) continue ;; esac
	xt "$f" "$GOOD"
	if [ "$rc" -eq 2 ]; then
		rc=0
	fi
	survived "regress: $(basename "$f")" 0
done

exit 0
