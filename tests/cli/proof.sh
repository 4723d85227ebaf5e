#!/bin/sh
# Offline proof of origin (issue 7): acmextract --dkim-keys and
# --sns-certs.  Keys and a self-signed certificate are made here with
# openssl(1) in $TMP; mails are DKIM-signed by dkim_sign below, written
# from RFC 6376 apart from libopendkim so that each checks the other;
# SNS envelopes are signed over the string of FORMATS.md 4.2.
cd "$(dirname "$0")/../.." || exit 2
. tests/cli/lib.sh

P=corpus/proof

if ! command -v openssl > /dev/null 2>&1 ||
    ! command -v python3 > /dev/null 2>&1; then
	not_ok "proof: openssl and python3 are needed (scripts/install-deps)"
	exit 0
fi

SEL_ACM=6qmbfpvjuhhxvoggo6cu77v4uhc7snn6
SEL_SES=23si4yxa5dv7c2xz3womw6pvbdfbdfb
for k in acm ses other sns; do
	openssl genrsa -out "$TMP/$k.key" 2048 2> /dev/null
done

# The p= of a key: its SubjectPublicKeyInfo in base64.
pubkey() {
	openssl rsa -in "$TMP/$1.key" -pubout -outform DER 2> /dev/null |
	    openssl base64 -A
}

# keys FILE [NAME KEY]...: a keys file as dig +short prints TXT values
keys() {
	f=$1
	shift
	echo "# pinned DKIM keys" > "$f"
	while [ $# -ge 2 ]; do
		printf '%s "v=DKIM1; k=rsa; " "p=%s"\n' "$1" \
		    "$(pubkey "$2")" >> "$f"
		shift 2
	done
}

crlf() { awk '{ sub(/\r$/, ""); printf "%s\r\n", $0 }'; }

# dkim_sign KEY SEL DOM HEADERS BODY: the DKIM-Signature line, rsa-sha256
# and relaxed/simple, of the mail HEADERS (one unfolded field a line,
# CRLF), a blank line and BODY (CRLF, ending in one CRLF).  Every header
# of HEADERS is signed.
dkim_sign() {
	bh=$(openssl dgst -sha256 -binary < "$5" | openssl base64 -A)
	h=$(awk '{ i = index($0, ":"); printf "%s%s", (NR > 1 ? ":" : ""),
	    substr($0, 1, i - 1) }' "$4")
	v="v=1; a=rsa-sha256; q=dns/txt; c=relaxed/simple; s=$2; d=$3;"
	v="$v t=1717578423; h=$h; bh=$bh; b="
	{
		awk '{
			sub(/\r$/, "")
			i = index($0, ":")
			n = tolower(substr($0, 1, i - 1))
			sub(/[ \t]+$/, "", n)
			x = substr($0, i + 1)
			gsub(/[ \t]+/, " ", x)
			sub(/^ /, "", x)
			sub(/ $/, "", x)
			printf "%s:%s\r\n", n, x
		}' "$4"
		printf 'dkim-signature:%s' "$v"
	} > "$TMP/tbs"
	b=$(openssl dgst -sha256 -sign "$1" < "$TMP/tbs" | openssl base64 -A)
	printf 'DKIM-Signature: %s%s\r\n' "$v" "$b"
}

# The validation mail: headers and body of corpus/tpl-current.eml, CRLF
awk '/^\r?$/ { exit } { print }' corpus/tpl-current.eml | crlf \
    > "$TMP/hdrs"
awk 'b { print } /^\r?$/ { b = 1 }' corpus/tpl-current.eml | crlf \
    > "$TMP/body"
# signed_mail HEADERS BODY: signed by amazonses.com, then by ACM on top
signed_mail() {
	dkim_sign "$TMP/acm.key" $SEL_ACM certificates.amazon.com "$1" "$2"
	dkim_sign "$TMP/ses.key" $SEL_SES amazonses.com "$1" "$2"
	cat "$1"
	printf '\r\n'
	cat "$2"
}
signed_mail "$TMP/hdrs" "$TMP/body" > "$TMP/good.eml"

keys "$TMP/keys" $SEL_ACM._domainkey.certificates.amazon.com acm \
    $SEL_SES._domainkey.amazonses.com ses

# "d/s result aligned" of each signature, ';' between, "null" when the
# field is, one line a record (JSON Lines on stdin).
dkim() {
	python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)["dkim"]
    if d is None or d == []:
        print(json.dumps(d))
        continue
    print(";".join("%s/%s %s%s%s" % (e["d"], e["s"][:3], e["result"],
        " (" + e["reason"] + ")" if e["reason"] else "",
        " aligned" if e["aligned"] else "") for e in d))'
}

PASS2="certificates.amazon.com/6qm pass aligned;amazonses.com/23s pass"

# --- DKIM ---------------------------------------------------------------

check_eq "dkim: null without --dkim-keys" "null" \
    "$($ACMEXTRACT "$TMP/good.eml" | dkim)"
check_eq "dkim: both signatures pass, ACM's aligned with From" "$PASS2" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/good.eml" | dkim)"

sed 's/Sincerely/Sincerelx/' "$TMP/good.eml" > "$TMP/body1.eml"
check_eq "dkim: one byte of the body changed fails on the body hash" \
    "certificates.amazon.com/6qm fail (body hash mismatch) aligned;\
amazonses.com/23s fail (body hash mismatch)" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/body1.eml" | dkim)"

sed 's/^To: admin@example.com/To: admin@example.con/' "$TMP/good.eml" \
    > "$TMP/hdr1.eml"
check_eq "dkim: one byte of a signed header changed fails" \
    "certificates.amazon.com/6qm fail (signature mismatch) aligned;\
amazonses.com/23s fail (signature mismatch)" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/hdr1.eml" | dkim)"

keys "$TMP/keys.wrong" $SEL_ACM._domainkey.certificates.amazon.com other \
    $SEL_SES._domainkey.amazonses.com ses
check_eq "dkim: a wrong pinned key fails" \
    "certificates.amazon.com/6qm fail (signature mismatch) aligned;\
amazonses.com/23s pass" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys.wrong" "$TMP/good.eml" | dkim)"

keys "$TMP/keys.ses" $SEL_SES._domainkey.amazonses.com ses
check_eq "dkim: a missing key is no-key, not fail" \
    "certificates.amazon.com/6qm no-key (no pinned key for this selector \
and domain) aligned;amazonses.com/23s pass" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys.ses" "$TMP/good.eml" | dkim)"

check_eq "dkim: no signature at all is an empty list" "[]" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys" corpus/tpl-current.eml | dkim)"

# only "dkim" differs from the record acmextract gives without keys
$ACMEXTRACT "$TMP/good.eml" > "$TMP/a"
$ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/good.eml" > "$TMP/b"
python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).readline())
b = json.loads(open(sys.argv[2]).readline())
a.pop("dkim"), b.pop("dkim")
print("same" if a == b and list(a) == list(b) else "differs")' \
    "$TMP/a" "$TMP/b" > "$TMP/same"
check_eq "dkim: the other fields are as without --dkim-keys" "same" \
    "$(cat "$TMP/same")"

# an mbox keeps bare LF; libopendkim hashes it as the CRLF sent
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "From sender@example.com Wed Jun  5 09:07:03 2024"
		case $i in
		*3 | *7) tr -d '\r' < "$TMP/body1.eml" ;;
		*) tr -d '\r' < "$TMP/good.eml" ;;
		esac
		echo
	done
} > "$TMP/box.mbox"
got=$($ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/box.mbox" | dkim |
    sort | uniq -c | awk '{ $1 = $1; print }')
check_eq "dkim: an LF mbox verifies" "2 certificates.amazon.com/6qm fail \
(body hash mismatch) aligned;amazonses.com/23s fail (body hash mismatch)
10 $PASS2" "$got"

$ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/box.mbox" > "$TMP/j1" 2> /dev/null
# stdout only: the exit status and stderr of -j belong to pool.c
$ACMEXTRACT -j 4 --dkim-keys "$TMP/keys" "$TMP/box.mbox" > "$TMP/j4" \
    2> /dev/null
check_file "dkim: -j 4 prints what -j 1 prints" "$TMP/j1" "$TMP/j4"

{ echo "# keys"; echo "example.com v=DKIM1; p=AAAA"; } > "$TMP/keys.bad"
out=$($ACMEXTRACT --dkim-keys "$TMP/keys.bad" "$TMP/good.eml" \
    2> "$TMP/err")
rc=$?
check_eq "dkim: a bad keys file line is an error (exit 2), field null" \
    "rc=2 null" "rc=$rc $(echo "$out" | dkim)"
check_eq "dkim: the error names the file and the line" \
    "acmextract: $TMP/keys.bad: DKIM keys: line 2: expected \
SELECTOR._domainkey.DOMAIN and its TXT value" "$(head -n 1 "$TMP/err")"

$ACMEXTRACT --dkim-keys "$TMP/none" "$TMP/good.eml" > /dev/null 2>&1
check_eq "dkim: a missing keys file: exit 2" "2" "$?"

# the edited signatures of a published SES notification (a look-alike)
keys "$TMP/keys.any" $SEL_ACM._domainkey.certificates.amazon.com other \
    $SEL_SES._domainkey.amazonses.com other
check_eq "dkim: edited signatures fail on the body hash, never pass" \
    "certificates.amazon.com/6qm fail (body hash mismatch) aligned;\
amazonses.com/23s fail (body hash mismatch)" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys.any" "$P/edited-dkim.json" |
    dkim)"
keys "$TMP/keys.none" x._domainkey.example.com other
check_eq "dkim: edited signatures without a key are no-key" \
    "no-key no-key" \
    "$($ACMEXTRACT --dkim-keys "$TMP/keys.none" "$P/edited-dkim.json" |
    python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())["dkim"]
print(" ".join(e["result"] for e in d))')"

# --- SNS ----------------------------------------------------------------

CERT=SimpleNotificationService-0123456789abcdef0123456789abcdef.pem
mkdir -p "$TMP/certs"
openssl req -x509 -new -key "$TMP/sns.key" -subj /CN=sns.amazonaws.com \
    -days 30 -sha256 -out "$TMP/certs/$CERT" 2> /dev/null

# sns VERSION [python statements on env, before signing] [after]: an
# SNS notification of an SES notification of the signed mail, its
# Timestamp an hour after the certificate began, signed with
# openssl(1) over the string of FORMATS.md 4.2.
cat > "$TMP/sns.py" << 'EOF'
import base64, datetime, json, subprocess, sys
version, before, after, key, cert, mail = sys.argv[1:7]
ses = {"notificationType": "Received",
       "mail": {"timestamp": "2024-06-05T09:07:04.123Z",
                "messageId": "proof0000000000000000"},
       "receipt": {"action": {"type": "SNS", "encoding": "UTF8"}},
       "content": open(mail).read()}
ts = (datetime.datetime.now(datetime.timezone.utc) +
      datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.123Z")
env = {"Type": "Notification",
       "MessageId": "3f2a1b0c-1111-4222-8333-944455556666",
       "TopicArn": "arn:aws:sns:eu-west-1:111122223333:acm-mail",
       "Subject": "Amazon SES Email Receipt Notification",
       "Message": json.dumps(ses), "Timestamp": ts,
       "SignatureVersion": version,
       "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/" + cert,
       "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=x"}
exec(before)
keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
tbs = "".join("%s\n%s\n" % (k, env[k]) for k in keys
              if env.get(k) is not None)
md = "-sha1" if version == "1" else "-sha256"
sig = subprocess.run(["openssl", "dgst", md, "-sign", key],
                     input=tbs.encode(), capture_output=True).stdout
env["Signature"] = base64.b64encode(sig).decode()
exec(after)
print(json.dumps(env))
EOF
sns() {
	python3 "$TMP/sns.py" "$1" "${2:-}" "${3:-}" "$TMP/sns.key" "$CERT" \
	    "$TMP/good.eml"
}

# The "signature" of each record's sns facts, one a line.
sig() {
	python3 -c '
import json, sys
for line in sys.stdin:
    print(json.dumps(json.loads(line)["sns"]["signature"]))'
}

xs() { $ACMEXTRACT --sns-certs "$TMP/certs" "$@"; }

sns 1 > "$TMP/v1.json"
check_eq "sns: null without --sns-certs" "null" \
    "$($ACMEXTRACT "$TMP/v1.json" | sig)"
check_eq "sns: SignatureVersion 1 (SHA1withRSA) passes" '"pass"' \
    "$(xs "$TMP/v1.json" | sig)"
sns 2 > "$TMP/v2.json"
check_eq "sns: SignatureVersion 2 (SHA256withRSA) passes" '"pass"' \
    "$(xs "$TMP/v2.json" | sig)"
sns 2 '' 'env["Message"] = env["Message"].replace("Sincerely", "Sincerelx")' \
    > "$TMP/msg1.json"
check_eq "sns: one byte of Message changed fails" '"fail"' \
    "$(xs "$TMP/msg1.json" | sig)"
sns 1 '' 'env["SignatureVersion"] = "3"' > "$TMP/v3.json"
check_eq "sns: SignatureVersion 3 is unsupported-version" \
    '"unsupported-version"' "$(xs "$TMP/v3.json" | sig)"
sns 1 '' 'env["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com.\
example.net/" + cert' > "$TMP/url.json"
check_eq "sns: a look-alike certificate host is bad-cert-url" \
    '"bad-cert-url"' "$(xs "$TMP/url.json" | sig)"
sns 1 '' 'env["SigningCertURL"] = env["SigningCertURL"].replace("0123",
    "9999")' > "$TMP/nocert.json"
check_eq "sns: a certificate not pinned is no-cert" '"no-cert"' \
    "$(xs "$TMP/nocert.json" | sig)"
sns 2 'env["Timestamp"] = "2017-05-09T12:15:13.600Z"' > "$TMP/old.json"
check_eq "sns: the certificate must be valid at the message's Timestamp" \
    '"fail"' "$(xs "$TMP/old.json" | sig)"

# Lambda: Records[].Sns, SigningCertUrl and UnsubscribeUrl, Subject null
sns 1 'env["Subject"] = None' 'env["SigningCertUrl"] = env.pop(
    "SigningCertURL"); env["UnsubscribeUrl"] = env.pop("UnsubscribeURL");
env = {"Records": [{"EventSource": "aws:sns", "Sns": env}]}' \
    > "$TMP/lambda.json"
check_eq "sns: a Lambda event with its spellings passes" '"pass"' \
    "$(xs "$TMP/lambda.json" | sig)"

# email-json: the envelope pretty-printed as a mail body, long lines
# re-wrapped with "!" + newline + space
python3 - "$TMP/v1.json" > "$TMP/email-json.eml" << 'EOF'
import json, sys
env = json.load(open(sys.argv[1]))
body = json.dumps(env, indent=2, separators=(",", " : "))
out = []
for line in body.split("\n"):
    while len(line) > 900:
        out.append(line[:900] + "!")
        line = " " + line[900:]
    out.append(line)
sys.stdout.write(
    "From: AWS Notifications <no-reply@sns.amazonaws.com>\n"
    "To: ops@example.com\n"
    "Subject: Amazon SES Email Receipt Notification\n"
    "Date: Wed, 05 Jun 2024 09:07:06 +0000\n"
    "Message-ID: <proof-email-json@email.amazonses.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 7bit\n\n" + "\n".join(out) + "\n")
EOF
check_eq "sns: an email-json delivery re-wrapped with ! passes" '"pass"' \
    "$(xs "$TMP/email-json.eml" | sig)"

# both at once: the mail inside the signed envelope is DKIM-checked too
check_eq "sns and dkim: both verified in one record" '"pass"
'"$PASS2" "$(xs --dkim-keys "$TMP/keys" "$TMP/v1.json" | tee "$TMP/both" |
    sig; dkim < "$TMP/both")"

$ACMEXTRACT --sns-certs "$TMP/nodir" "$TMP/v1.json" > /dev/null 2>&1
check_eq "sns: a missing --sns-certs directory: exit 2" "2" "$?"

# --- acmverify --require-dkim, --require-sns-signature -------------------

NOW="--now 2024-06-04T00:00:00Z"
# The proof reason codes of acmverify's text output, ',' between.
proof_codes() {
	grep -o '\(dkim\|sns-signature\)-[a-z-]*:' | tr -d ':' | sort -u |
	    paste -sd, -
}
vr() { $ACMVERIFY $NOW "$@" | proof_codes; }

check_eq "verify: --require-dkim, ACM's signature passes" "" \
    "$(vr --require-dkim --dkim-keys "$TMP/keys" "$TMP/good.eml")"
check_eq "verify: --require-dkim, edited body: dkim-fail" "dkim-fail" \
    "$(vr --require-dkim --dkim-keys "$TMP/keys" "$TMP/body1.eml")"
check_eq "verify: --require-dkim, ACM's key not pinned: dkim-no-key" \
    "dkim-no-key" \
    "$(vr --require-dkim --dkim-keys "$TMP/keys.ses" "$TMP/good.eml")"
check_eq "verify: --require-dkim without --dkim-keys: dkim-no-key" \
    "dkim-no-key" "$(vr --require-dkim "$TMP/good.eml")"
check_eq "verify: --require-dkim, unsigned mail: dkim-missing" \
    "dkim-missing" \
    "$(vr --require-dkim --dkim-keys "$TMP/keys" corpus/tpl-current.eml)"
check_eq "verify: without --require-dkim a failed signature is no reason" \
    "" "$(vr --dkim-keys "$TMP/keys" "$TMP/body1.eml")"
check_eq "verify: the edited look-alike fails with --require-dkim" \
    "dkim-fail" "$($ACMVERIFY --now 2017-05-10T00:00:00Z --require-dkim \
    --dkim-keys "$TMP/keys.any" "$P/edited-dkim.json" | proof_codes)"
printf 'require-dkim amazonses.com\n' > "$TMP/ses.policy"
check_eq "verify: the policy names the signing domain" "" \
    "$(vr --policy "$TMP/ses.policy" --dkim-keys "$TMP/keys.ses" \
    "$TMP/good.eml")"
$ACMEXTRACT --dkim-keys "$TMP/keys" "$TMP/body1.eml" > "$TMP/rec.jsonl"
check_eq "verify: records read back keep the DKIM verdict" "dkim-fail" \
    "$(vr --require-dkim --format records "$TMP/rec.jsonl")"
got=$($ACMVERIFY $NOW --annotate --require-dkim --dkim-keys "$TMP/keys" \
    < "$TMP/body1.eml" | sed -n 's/^X-ACM-Verify: //p' | tr -d '\r')
case $got in
*dkim-fail*) ok "verify: --annotate names dkim-fail" ;;
*) not_ok "verify: --annotate names dkim-fail" "got: $got" ;;
esac

sv() { $ACMVERIFY --sns-certs "$TMP/certs" --require-sns-signature "$@" |
    proof_codes; }
# SNS notifications are dated now (the certificate's life): no age rule
check_eq "verify: --require-sns-signature, signature passes" "" \
    "$(sv --max-age none "$TMP/v2.json")"
check_eq "verify: --require-sns-signature, Message changed" \
    "sns-signature-fail" "$(sv --max-age none "$TMP/msg1.json")"
check_eq "verify: --require-sns-signature, look-alike certificate URL" \
    "sns-signature-fail" "$(sv --max-age none "$TMP/url.json")"
check_eq "verify: --require-sns-signature, certificate not pinned" \
    "sns-signature-unverified" "$(sv --max-age none "$TMP/nocert.json")"
check_eq "verify: --require-sns-signature, a mail not from SNS" \
    "sns-signature-unverified" "$(sv $NOW "$TMP/good.eml")"

exit 0
