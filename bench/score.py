#!/usr/bin/env python3
"""
score.py - recall and precision of a tool's JSON Lines against the truth
that bench/gen.py wrote.

    bench/score.py --truth TRUTH.jsonl OUTPUT.jsonl [--summary]
        [--min-recall R]

A record matches the truth mail with the same approval code.  A second
record for a code already matched is a duplicate and counts against
precision, as does a record that matches nothing.  Truth lines marked
"phishing": true (other generators write them) are not ACM mails: they
are left out of recall, and a record for one counts as a lookalike
reported, against precision, for acmextract does not judge links
(acmverify does).  Records without a
code are ignored (acmextract always gives one).  Field accuracy is over
the matched records, for the fields both sides have.

--summary prints one line, "recall R precision P tp N fn N fp N dup N
look N",
for bench/run.  Exit status 0, or 1 when recall is below --min-recall,
or 2 on unreadable input.
"""

import argparse
import collections
import json
import sys

FIELDS = ("domain", "account_id", "region", "certificate_id",
          "approval_url", "context", "index")


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                sys.exit("score.py: %s:%d: %s" % (path, n, e))
    return out


def field(rec, name):
    """A record's value; acmextract keeps the index under "source"."""
    if name == "index" and "index" not in rec:
        return (rec.get("source") or {}).get("index")
    return rec.get(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("output")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--min-recall", type=float, default=0.0)
    a = ap.parse_args()
    try:
        truth = load(a.truth)
        got = load(a.output)
    except OSError as e:
        print("score.py: %s" % e, file=sys.stderr)
        return 2

    by_code = {t["code"]: t for t in truth}
    fakes = {t["code"] for t in truth if t.get("phishing")}
    truth = [t for t in truth if not t.get("phishing")]
    matched = {}
    dup = unmatched = look = 0
    right = collections.Counter()
    present = collections.Counter()
    for rec in got:
        code = rec.get("code")
        if code is None:
            continue
        t = by_code.get(code)
        if code in fakes:
            look += 1
        elif t is None:
            unmatched += 1
        elif code in matched:
            dup += 1
        else:
            matched[code] = rec
            for name in FIELDS:
                v = field(rec, name)
                if v is None or name not in t:
                    continue
                present[name] += 1
                right[name] += v == t[name]

    tp = len(matched)
    fn = len(truth) - tp
    fp = dup + unmatched + look
    recall = tp / len(truth) if truth else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    if a.summary:
        print("recall %.4f precision %.4f tp %d fn %d fp %d dup %d "
              "look %d" % (recall, precision, tp, fn, fp, dup, look))
    else:
        print("truth %d ACM mails, output %d records" % (len(truth),
                                                          len(got)))
        print("recall    %.4f (%d/%d)" % (recall, tp, len(truth)))
        print("precision %.4f (%d false: %d duplicates, %d matching "
              "nothing, %d lookalikes)" % (precision, fp, dup, unmatched,
                                           look))
        for name in FIELDS:
            if present[name]:
                print("  %-15s %d/%d right" % (name, right[name],
                                               present[name]))
        by = collections.defaultdict(collections.Counter)
        for t in truth:
            for key in ("variant", "encoding", "wrapped"):
                if key in t:
                    by[key][t[key], t["code"] in matched] += 1
        for key, c in by.items():
            kinds = sorted({k for k, _ in c})
            print("  by %s: %s" % (key, "  ".join(
                "%s %d/%d" % (k, c[k, True], c[k, True] + c[k, False])
                for k in kinds)))
        for t in truth:
            if t["code"] not in matched:
                print("  missed: index %s %s %s %s %s" % (
                    t.get("index"), t.get("variant", t.get("template")),
                    t.get("encoding"), t.get("wrapped"), t["code"]))
    return 1 if recall < a.min_recall else 0


if __name__ == "__main__":
    sys.exit(main())
