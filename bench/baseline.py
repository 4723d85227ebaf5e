#!/usr/bin/env python3
"""
baseline.py - what a user would script instead of acmextract.

    bench/baseline.py INPUT -o OUT.jsonl

INPUT is an mbox, a directory of mail files (walked in name order, one
message per file) or JSON Lines of SNS/SES notifications.  Standard
library only: mailbox and email (policy.default) parse and decode, a
regular expression finds the approval link in every decoded text part
(HTML entities undone first), and SNS/SES JSON is unwrapped wherever it
turns up: as a JSON input, or as the body of an SNS e-mail delivery.
Writes one JSON line per approval link: index, code, context,
approval_url, domain, account_id, region, certificate_id.

It is deliberately what a careful user would write in an afternoon,
not a tuned program: its speed is the email package's.
"""

import argparse
import base64
import binascii
import email
import html
import json
import mailbox
import os
import re
import sys
from email import policy

URL = re.compile(
    r"https://(?:[a-z0-9-]+\.)?(?:acm-)?certificates\.amazon(?:aws)?"
    r"\.(?:com|cn)/approvals\?code=([A-Za-z0-9-]+)&context=([A-Za-z0-9-]+)")
FIELDS = {
    "domain": re.compile(r"Domain:\s*([^\s<]+)"),
    "account_id": re.compile(r"account ID:\s*([0-9][0-9-]{11,13})"),
    "region": re.compile(r"Region name:\s*([a-z0-9-]+)"),
    "certificate_id": re.compile(r"Certificate [Ii]dentifier:\s*([^\s<]+)"),
}
TAGS = re.compile(r"<[^>]+>")


class Scan:
    def __init__(self, out):
        self.out = out
        self.records = 0
        self.errors = 0

    def message_bytes(self, raw, index):
        msg = email.message_from_bytes(raw, policy=policy.default)
        self.message(msg, index)

    def message(self, msg, index):
        texts = []
        for part in msg.walk():
            ctype = part.get_content_type()
            if ctype not in ("text/plain", "text/html"):
                continue
            try:
                text = part.get_content()
            except (LookupError, ValueError, AssertionError):
                # Unknown charset or broken encoding: take the bytes.
                raw = part.get_payload(decode=True) or b""
                text = raw.decode("utf-8", "replace")
            if ctype == "text/html":
                # The link may be only in an href; the labels and
                # values are in the text between the tags.
                texts.append((html.unescape(text),
                              html.unescape(TAGS.sub(" ", text))))
            else:
                texts.append((text, text))
        # An SNS e-mail delivery: the mail is inside the JSON body.
        if texts and texts[0][0].lstrip().startswith("{"):
            body = texts[0][0].split("\n\n--\n")[0]
            body = body.replace("!\r\n ", "").replace("!\n ", "")
            try:
                self.json(json.loads(body), index)
                return
            except ValueError:
                pass
        seen = set()
        for text, words in texts:
            for m in URL.finditer(text):
                if m.group(1) in seen:
                    continue
                seen.add(m.group(1))
                self.record(m, words, index)

    def record(self, m, text, index):
        rec = {"index": index, "code": m.group(1), "context": m.group(2),
               "approval_url": m.group(0)}
        for name, rx in FIELDS.items():
            f = rx.search(text)
            rec[name] = f.group(1) if f else None
        if rec["account_id"]:
            rec["account_id"] = rec["account_id"].replace("-", "")
        cert = rec["certificate_id"]
        if cert and "certificate/" in cert:
            rec["certificate_id"] = cert.split("certificate/")[1]
        self.out.write(json.dumps(rec) + "\n")
        self.records += 1

    def json(self, obj, index):
        """SNS notifications (also inside Lambda events), SES
        notifications with content, lists of these."""
        if isinstance(obj, list):
            for o in obj:
                self.json(o, index)
            return
        if not isinstance(obj, dict):
            return
        for rec in obj.get("Records") or []:
            if isinstance(rec, dict) and isinstance(rec.get("Sns"), dict):
                self.json(rec["Sns"], index)
        msg = obj.get("Message")
        if isinstance(msg, str):
            try:
                self.json(json.loads(msg), index)
            except ValueError:
                pass
        content = obj.get("content")
        if isinstance(content, str):
            action = (obj.get("receipt") or {}).get("action") or {}
            enc = str(action.get("encoding", "")).upper().replace("-", "")
            if enc == "BASE64":
                raw = base64.b64decode(content)
            else:
                raw = content.encode("utf-8", "surrogateescape")
            self.message_bytes(raw, index)

    def guarded(self, fn, *args):
        try:
            fn(*args)
        except (ValueError, LookupError, binascii.Error, TypeError) as e:
            self.errors += 1
            print("baseline.py: message %s: %s" % (args[-1], e),
                  file=sys.stderr)


def mbox(scan, path):
    box = mailbox.mbox(path, create=False)
    for index, key in enumerate(box.iterkeys()):
        scan.guarded(scan.message_bytes, box.get_bytes(key), index)


def directory(scan, path):
    files = []
    for top, dirs, names in os.walk(path):
        dirs.sort()
        files += [os.path.join(top, n) for n in names]
    for index, f in enumerate(sorted(files)):
        with open(f, "rb") as fh:
            scan.guarded(scan.message_bytes, fh.read(), index)


def json_lines(scan, path):
    with open(path, "rb") as fh:
        for index, line in enumerate(fh):
            if line.strip():
                scan.guarded(lambda l, i: scan.json(json.loads(l), i),
                             line, index)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.output == "-" else open(a.output, "w")
    scan = Scan(out)
    if os.path.isdir(a.input):
        directory(scan, a.input)
    else:
        with open(a.input, "rb") as fh:
            head = fh.read(64).lstrip()
        if head.startswith(b"From "):
            mbox(scan, a.input)
        elif head[:1] in (b"{", b"["):
            json_lines(scan, a.input)
        else:
            with open(a.input, "rb") as fh:
                scan.guarded(scan.message_bytes, fh.read(), 0)
    out.flush()
    print("baseline.py: %d records, %d messages with errors" % (
        scan.records, scan.errors), file=sys.stderr)


if __name__ == "__main__":
    main()
