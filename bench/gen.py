#!/usr/bin/env python3
"""
gen.py - a synthetic mail archive for acm-mail's benchmark.

    bench/gen.py --size 200M --seed 1 --format mbox --out FILE \\
        --truth TRUTH.jsonl
    bench/gen.py --size 50M --format eml-dir --out DIR --truth T.jsonl
    bench/gen.py --size 50M --format jsonl --out FILE --truth T.jsonl

Mostly ordinary mail of the shapes a real archive holds (plain, quoted-
printable, base64 text, text+HTML, newsletters, attachments, digests,
forwards, bounces, CRLF, a little malformed mail), with about 1 % ACM
domain-validation mails among it in every encoding and wrapping a tool
has to see through.  The truth file has one JSON line per ACM mail.

Formats: "mbox" (mboxrd: body lines matching ^>*From gain one '>'),
"eml-dir" (a Maildir, one file per message in DIR/cur, sorted by name
in archive order) and "jsonl" (one SNS notification per line whose
Message is an SES "Received" notification carrying the raw mail).

Python 3 standard library only.  The same flags give the same bytes:
every random choice comes from one random.Random(seed), and nothing
depends on the clock, the locale or hash order.  All names are
placeholders (example.com/.org/.net, .example, .test, 192.0.2.0/24).
"""

import argparse
import base64
import binascii
import json
import os
import random
import re
import shutil
import sys
import textwrap
import time

# ---------------------------------------------------------------------
# Vocabulary.  Plain word lists; prose is assembled from them once, into
# a pool of paragraphs, because choosing word by word per message would
# make a 200 MB archive take minutes.

WORDS = """
the a of to and in for on with as by at from that this we you our your
it is are was be will can should would may please thanks team project
meeting schedule report budget review update draft invoice order
shipment customer account release server backup network migration
quarter figures plan agenda minutes notes slides deadline contract
proposal estimate feedback question answer issue ticket request change
window maintenance outage incident summary attached below above next
week month today tomorrow monday tuesday wednesday thursday friday
office travel hotel flight booking conference workshop training
policy security password access license renewal payment receipt
balance statement newsletter offer discount event webinar survey
results analysis dashboard metrics traffic signup growth marketing
design prototype feature bug fix test deploy staging production
database cluster storage latency throughput capacity cost savings
vendor partner supplier logistics warehouse inventory pricing sales
hiring interview candidate onboarding payroll holiday calendar lunch
coffee kitchen parking building floor room desk printer laptop phone
""".split()

# Words that need an 8-bit charset; they make QP and base64 text real.
ACCENTED = ("café naïve façade Zürich crème brûlée déjà vu jalapeño "
            "smörgåsbord Ærø Øresund garçon señor über Grüße").split()
NON_LATIN = ("日本語 東京 会議 資料 Привет отчёт Ελλάδα 你好 "
             "😀 ✓ → €").split()

FIRST = ("Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory "
         "Niaj Olivia Peggy Rupert Sybil Trent Victor Walter Wendy "
         "José Zoë Renée Jürgen Søren Ångström 太郎 Дмитрий").split()
LAST = ("Smith Jones Brown Taylor Wilson Evans Thomas Roberts Walker "
        "Müller Núñez Dubois Østergaard Kowalski 田中 Иванов").split()

DOMAINS = ("example.com example.org example.net mail.example "
           "corp.example shop.test lists.example.org news.example.net "
           "partner.example.com billing.example").split()

LABELS = ("www api shop mail app portal staging dev test beta cdn static "
          "auth login admin status docs blog store pay vpn git ci "
          "internal intranet eu us").split()

# Regions before ACM's template change (Nov 2020), then the newer ones.
OLD_REGIONS = ("us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 "
               "eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-north-1 "
               "ap-south-1 ap-northeast-1 ap-northeast-2 ap-southeast-1 "
               "ap-southeast-2 sa-east-1").split()
NEW_REGIONS = OLD_REGIONS + ("af-south-1 ap-east-1 eu-south-1 me-south-1 "
                             "ap-northeast-3 eu-south-2 eu-central-2 "
                             "ap-south-2 ap-southeast-3 me-central-1 "
                             "il-central-1 ca-west-1").split()

ACM_FROM = "Amazon Certificates <no-reply@certificates.amazon.com>"
APPROVERS = "admin administrator hostmaster postmaster webmaster".split()

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()

# Unix times of the eras the dates are drawn from.
T_2015 = 1420070400
T_2016_06 = 1464739200
T_2020_10 = 1604188800 - 86400
T_2020_12 = 1606780800
T_2025_05 = 1748736000 - 86400


def parse_size(s):
    """'200M' -> bytes; K, M and G are binary, as du and head use them."""
    m = re.fullmatch(r"(\d+)([KMG]?)i?B?", s.strip(), re.I)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r (like 200M)" % s)
    mult = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(m.group(1)) * mult[m.group(2).upper()]


# ---------------------------------------------------------------------
# Small helpers over one Random.

class Gen:
    """Everything random comes from here, so one seed gives one corpus."""

    def __init__(self, seed):
        self.r = random.Random(seed)
        r = self.r
        # Random bytes for attachment bodies: sliced at random offsets,
        # never regenerated, so a 300 KB attachment costs one base64
        # call and no Python loop.
        self.noise = r.randbytes(1 << 20)
        self.paras = [self._paragraph(False) for _ in range(1500)]
        self.paras8 = [self._paragraph(True) for _ in range(300)]
        self.boundary_n = 0

    def _paragraph(self, eight_bit):
        r = self.r
        words = []
        for _ in range(r.randint(15, 110)):
            if eight_bit and r.random() < 0.12:
                words.append(r.choice(ACCENTED if r.random() < 0.7
                                      else NON_LATIN))
            else:
                words.append(r.choice(WORDS))
        words[0] = words[0].capitalize()
        text = " ".join(words) + "."
        return textwrap.fill(text, 72)

    def hexs(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def uuid(self):
        h = self.hexs(32)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16],
                                      "89ab"[int(h[16], 16) & 3],
                                      h[17:20], h[20:])

    def boundary(self):
        self.boundary_n += 1
        style = self.r.random()
        if style < 0.4:
            return "----=_Part_%d_%d.%d" % (self.boundary_n,
                                            self.r.randint(1, 1 << 30),
                                            self.r.randint(1, 1 << 40))
        if style < 0.7:
            return "000000000000" + self.hexs(16)
        return "=_" + self.hexs(24)

    def text(self, lo, hi, eight_bit=False):
        """Prose of LO to HI paragraphs, blank lines between them."""
        pool = self.paras8 if eight_bit else self.paras
        n = self.r.randint(lo, hi)
        return "\n\n".join(self.r.choice(pool) for _ in range(n)) + "\n"

    def domain(self):
        r = self.r
        base = r.choice(DOMAINS)
        if r.random() < 0.6:
            base = "%s.%s" % (r.choice(LABELS), base)
        if r.random() < 0.3:
            base = "%s%d.%s" % (r.choice(LABELS), r.randint(1, 9), base)
        return base

    def person(self):
        """(display name, address)"""
        r = self.r
        first, last = r.choice(FIRST), r.choice(LAST)
        local = "%s.%s" % (first.lower(), last.lower())
        if not local.isascii():
            local = "user%d" % r.randint(100, 9999)
        return "%s %s" % (first, last), "%s@%s" % (local, r.choice(DOMAINS))

    def noise_b64(self, size):
        """base64 of SIZE pseudo-random bytes, in 76-column lines."""
        at = self.r.randrange(0, len(self.noise) - size)
        return base64.encodebytes(self.noise[at:at + size]).decode()


def rfc2822_date(t, zone_min=0):
    tm = time.gmtime(t + zone_min * 60)
    sign = "-" if zone_min < 0 else "+"
    z = abs(zone_min)
    return "%s, %02d %s %d %02d:%02d:%02d %s%02d%02d" % (
        DAYS[tm.tm_wday], tm.tm_mday, MONTHS[tm.tm_mon - 1], tm.tm_year,
        tm.tm_hour, tm.tm_min, tm.tm_sec, sign, z // 60, z % 60)


def iso_date(t, ms=0):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + \
        ".%03dZ" % ms


def encoded_word(s, r):
    """An RFC 2047 encoded-word for S, in B or Q encoding."""
    b = s.encode()
    if r.random() < 0.5:
        return "=?UTF-8?B?%s?=" % base64.b64encode(b).decode()
    q = binascii.b2a_qp(b, header=True).decode()
    q = q.replace("?", "=3F").replace("=\n", "")
    return "=?utf-8?q?%s?=" % q


def header_text(s, r):
    """S as a header value: encoded-words when it is not ASCII."""
    if s.isascii():
        return s
    # Several short encoded-words, folded, as mail clients write them.
    words = s.split(" ")
    return "\n ".join(encoded_word(w, r) if not w.isascii() else w
                      for w in words)


def mailbox(name, addr, r):
    if not name.isascii():
        return "%s <%s>" % (encoded_word(name, r), addr)
    if r.random() < 0.3:
        return '"%s" <%s>' % (name, addr)
    return "%s <%s>" % (name, addr)


def fold_b64(s, width, indent="\t"):
    return ("\n" + indent).join(s[i:i + width]
                                for i in range(0, len(s), width))


# ---------------------------------------------------------------------
# Header blocks.

def received_chain(g, t, to_addr):
    r = g.r
    lines = []
    for i in range(r.randint(2, 12)):
        host = "mx%d.%s" % (r.randint(1, 9), r.choice(DOMAINS))
        lines.append(
            "Received: from %s (%s [192.0.2.%d])\n"
            "\tby mail%d.%s (Postfix) with ESMTPS id %s\n"
            "\tfor <%s>; %s" % (
                host, host, r.randint(1, 254), i, r.choice(DOMAINS),
                g.hexs(10).upper(), to_addr,
                rfc2822_date(t - i * r.randint(1, 40))))
    return "\n".join(lines) + "\n"


def dkim(g, domain, selector):
    sig = base64.b64encode(g.r.randbytes(256)).decode()
    bh = base64.b64encode(g.r.randbytes(32)).decode()
    return ("DKIM-Signature: v=1; a=rsa-sha256; q=dns/txt; c=relaxed/simple;"
            "\n\ts=%s; d=%s; t=%d;\n\th=From:To:Subject:Date:Message-ID:"
            "MIME-Version:Content-Type;\n\tbh=%s;\n\tb=%s\n" % (
                selector, domain, g.r.randint(10 ** 9, 2 * 10 ** 9), bh,
                fold_b64(sig, 70)))


def common_headers(g, t, subject, frm=None, to=None, extra=""):
    """The header block of an ordinary mail; ends with a newline."""
    r = g.r
    if frm is None:
        name, addr = g.person()
        frm = mailbox(name, addr, r)
    if to is None:
        tname, taddr = g.person()
        to = mailbox(tname, taddr, r)
        if r.random() < 0.3:
            others = [mailbox(*g.person(), r)
                      for _ in range(r.randint(1, 8))]
            to += ",\n " + ",\n ".join(others)
    addr = re.sub(r".*<|>.*", "", to.split(",")[0])
    h = received_chain(g, t, addr)
    if r.random() < 0.5:
        h += dkim(g, r.choice(DOMAINS), "s%d" % r.randint(1, 3))
    h += "From: %s\nTo: %s\nSubject: %s\nDate: %s\n" % (
        frm, to, header_text(subject, r),
        rfc2822_date(t, r.choice((0, 60, 120, -300, -420, 330, 540))))
    h += "Message-ID: <%s@%s>\n" % (g.hexs(20), r.choice(DOMAINS))
    if r.random() < 0.3:
        refs = " ".join("<%s@%s>" % (g.hexs(16), r.choice(DOMAINS))
                        for _ in range(r.randint(1, 6)))
        h += "In-Reply-To: %s\nReferences: %s\n" % (
            refs.split(" ")[-1], textwrap.fill(
                refs, 70, subsequent_indent=" ", break_long_words=False,
                break_on_hyphens=False))
    return h + extra + "MIME-Version: 1.0\n"


def subject(g):
    r = g.r
    words = [r.choice(WORDS) for _ in range(r.randint(2, 9))]
    if r.random() < 0.2:
        words.insert(r.randint(0, len(words)),
                     r.choice(ACCENTED + NON_LATIN))
    s = " ".join(words).capitalize()
    if r.random() < 0.25:
        s = r.choice(("Re: ", "RE: ", "Fwd: ", "AW: ")) + s
    return s


# ---------------------------------------------------------------------
# MIME bodies.  Each returns (content headers, body) as strings.

def leaf(ctype, body, cte, extra=""):
    return ("Content-Type: %s\nContent-Transfer-Encoding: %s\n%s" %
            (ctype, cte, extra), body)


def encode_text(text, cte, charset="utf-8"):
    b = text.encode(charset, "replace")
    if cte == "quoted-printable":
        return binascii.b2a_qp(b).decode("ascii")
    if cte == "base64":
        return base64.encodebytes(b).decode("ascii")
    return b.decode(charset, "replace")


def text_leaf(g, text, subtype="plain"):
    """TEXT as a leaf in a charset and encoding a mail client might use."""
    r = g.r
    if text.isascii():
        cte = r.choice(("7bit", "7bit", "7bit", "quoted-printable"))
        cs = r.choice(("us-ascii", "utf-8", "UTF-8"))
    else:
        cte = r.choice(("quoted-printable", "quoted-printable", "base64",
                        "8bit"))
        cs = "utf-8"
        if r.random() < 0.3 and cte != "8bit":
            cs = "iso-8859-1"
    flowed = "; format=flowed" if subtype == "plain" and \
        r.random() < 0.1 else ""
    return leaf("text/%s; charset=%s%s" % (subtype, cs, flowed),
                encode_text(text, cte, cs), cte)


def join_multipart(subtype, parts, boundary, close=True):
    body = []
    for ph, pb in parts:
        if not pb.endswith("\n"):
            pb += "\n"
        body.append("--%s\n%s\n%s" % (boundary, ph, pb))
    if close:
        body.append("--%s--\n" % boundary)
    return ("Content-Type: multipart/%s;\n\tboundary=\"%s\"\n" %
            (subtype, boundary), "".join(body))


def html_page(g, paras, newsletter=False):
    r = g.r
    out = ["<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
           "<title>%s</title></head>\n<body style=\"margin:0\">\n" %
           r.choice(WORDS)]
    if newsletter:
        out.append('<table width="100%" cellpadding="0" cellspacing="0" '
                   'style="background:#f4f4f4;font-family:Arial">\n')
    for p in paras:
        p = p.replace("&", "&amp;").replace("<", "&lt;")
        if newsletter:
            out.append('<tr><td style="padding:12px 24px;font-size:14px">'
                       '%s</td></tr>\n' % p.replace("\n", " "))
            if r.random() < 0.5:
                out.append(
                    '<tr><td><a href="https://news.%s/c/%s?u=%s&amp;'
                    'id=%s&amp;e=%s" style="color:#06c">%s</a></td>'
                    '</tr>\n' % (r.choice(DOMAINS), g.hexs(12), g.hexs(20),
                                 g.hexs(10), g.hexs(10),
                                 r.choice(WORDS).capitalize()))
        else:
            out.append("<p>%s</p>\n" % p)
    if newsletter:
        out.append('</table>\n<img src="https://t.%s/o/%s.gif" width="1" '
                   'height="1" alt="">\n<p style="font-size:11px">'
                   '<a href="https://news.%s/unsubscribe?id=%s">'
                   'Unsubscribe</a></p>\n' % (
                       r.choice(DOMAINS), g.hexs(32), r.choice(DOMAINS),
                       g.hexs(16)))
    out.append("</body></html>\n")
    return "".join(out)


def prose(g, eight_bit=None):
    """A mail's text: prose, sometimes a quoted reply, a signature and
    the odd line starting with "From " that mboxrd must quote."""
    r = g.r
    if eight_bit is None:
        eight_bit = r.random() < 0.25
    t = g.text(1, 6, eight_bit)
    if r.random() < 0.1:
        t += "\nFrom the desk of %s:\n%s" % (g.person()[0], g.text(1, 1))
    if r.random() < 0.03:
        t += "\n>From an earlier mail, quoted by hand.\n"
    if r.random() < 0.3:
        name = g.person()[0]
        quoted = "".join("> " + line + "\n" if line else ">\n"
                         for line in g.text(1, 3).splitlines())
        t += "\nOn %s, %s wrote:\n%s" % (
            rfc2822_date(r.randint(T_2015, T_2025_05)), name, quoted)
    if r.random() < 0.6:
        name = g.person()[0]
        t += "\n-- \n%s\n%s Ltd.\n" % (name, r.choice(WORDS).capitalize())
    return t


def attachment(g, cap):
    r = g.r
    # Log-uniform 2 KB .. 300 KB, squared towards the small end.
    size = int(2048 * (150 ** (r.random() ** 1.7)))
    size = min(size, cap)
    kind = r.choice((("application/pdf", "pdf"), ("image/png", "png"),
                     ("image/jpeg", "jpg"), ("application/zip", "zip"),
                     ("application/vnd.openxmlformats-officedocument."
                      "spreadsheetml.sheet", "xlsx")))
    name = "%s-%d.%s" % (r.choice(WORDS), r.randint(1, 999), kind[1])
    if r.random() < 0.15:
        fname = "\n\tfilename*=utf-8''%s%%C3%%A9.%s" % (r.choice(WORDS),
                                                       kind[1])
    else:
        fname = "\n\tfilename=\"%s\"" % name
    return leaf("%s; name=\"%s\"" % (kind[0], name), g.noise_b64(size),
                "base64", "Content-Disposition: attachment;%s\n" % fname)


def simple_message(g, t):
    """A small whole message, for digests and forwards."""
    h = common_headers(g, t, subject(g))
    ch, body = text_leaf(g, prose(g))
    return h + ch + "\n" + body


# ---------------------------------------------------------------------
# Ordinary mail.  Each builder returns (content headers, body).

def m_plain(g, cap):
    return text_leaf(g, prose(g, False))


def m_text8(g, cap):
    return text_leaf(g, prose(g, True))


def m_alternative(g, cap):
    r = g.r
    paras = [g.r.choice(g.paras) for _ in range(r.randint(1, 6))]
    plain = text_leaf(g, "\n\n".join(paras) + "\n")
    html = html_page(g, paras)
    cte = r.choice(("quoted-printable", "base64", "7bit"))
    hpart = leaf("text/html; charset=utf-8", encode_text(html, cte), cte)
    return join_multipart("alternative", [plain, hpart], g.boundary())


def m_newsletter(g, cap):
    r = g.r
    paras = [g.r.choice(g.paras) for _ in range(r.randint(3, 12))]
    if r.random() < 0.05:
        paras.insert(1, "Three approvals are waiting in your queue; "
                     "open the dashboard to clear them.")
    html = html_page(g, paras, newsletter=True)
    cte = r.choice(("quoted-printable", "base64"))
    return leaf("text/html; charset=\"utf-8\"", encode_text(html, cte), cte)


def m_attachments(g, cap):
    r = g.r
    parts = [text_leaf(g, prose(g))]
    for _ in range(r.randint(1, 3)):
        parts.append(attachment(g, cap))
    return join_multipart("mixed", parts, g.boundary())


def m_digest(g, cap):
    r = g.r
    t = r.randint(T_2015, T_2025_05)
    intro = leaf("text/plain; charset=us-ascii",
                 "Today's topics:\n\n" + g.text(1, 1), "7bit")
    parts = [intro]
    explicit = r.random() < 0.5
    inner = []
    for _ in range(r.randint(2, 6)):
        msg = simple_message(g, t)
        if explicit:
            inner.append(("Content-Type: message/rfc822\n", msg))
        else:
            # In multipart/digest a part without headers is a message.
            inner.append(("", msg))
    digest = join_multipart("digest", inner, g.boundary())
    parts.append(digest)
    return join_multipart("mixed", parts, g.boundary())


def m_forward(g, cap):
    r = g.r
    fwd = simple_message(g, r.randint(T_2015, T_2025_05))
    note = leaf("text/plain; charset=utf-8",
                "FYI, see below.\n\n---------- Forwarded message "
                "---------\n", "7bit")
    inner = ("Content-Type: message/rfc822\nContent-Disposition: "
             "inline\n", fwd)
    return join_multipart("mixed", [note, inner], g.boundary())


def m_bounce(g, cap):
    r = g.r
    rcpt = g.person()[1]
    orig = simple_message(g, r.randint(T_2015, T_2025_05))
    text = leaf("text/plain; charset=us-ascii",
                "This is the mail system at host mx.%s.\n\nI'm sorry to "
                "have to inform you that your message could not\nbe "
                "delivered to one or more recipients.\n\n<%s>: host "
                "192.0.2.%d said: 550 5.1.1 user unknown\n" % (
                    r.choice(DOMAINS), rcpt, r.randint(1, 254)), "7bit")
    status = ("Content-Type: message/delivery-status\n",
              "Reporting-MTA: dns; mx.%s\n\nFinal-Recipient: rfc822; %s\n"
              "Action: failed\nStatus: 5.1.1\n" % (r.choice(DOMAINS), rcpt))
    if r.random() < 0.5:
        headers = ("Content-Type: text/rfc822-headers\n",
                   orig.split("\n\n", 1)[0] + "\n")
    else:
        headers = ("Content-Type: message/rfc822\n", orig)
    ch, body = join_multipart("report", [text, status, headers],
                              g.boundary())
    ch = ch.replace("multipart/report;",
                    "multipart/report; report-type=delivery-status;")
    return ch, body


def m_calendar(g, cap):
    r = g.r
    t = r.randint(T_2015, T_2025_05)
    ics = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//bench//EN\n"
           "METHOD:REQUEST\nBEGIN:VEVENT\nUID:%s\nDTSTART:%s\n"
           "SUMMARY:%s\nEND:VEVENT\nEND:VCALENDAR\n" % (
               g.uuid(), time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t)),
               r.choice(WORDS)))
    return join_multipart("alternative", [
        text_leaf(g, g.text(1, 2)),
        leaf("text/calendar; charset=utf-8; method=REQUEST", ics,
             "7bit")], g.boundary())


def m_business_approvals(g, cap):
    """Ordinary mail that says "approvals": a cheap raw-byte test for
    the word has to let it through to the parser, and then reject it."""
    r = g.r
    text = ("Hi,\n\nThere are %d pending approvals for expense reports "
            "in the finance\ntool. Approvals close on Friday.\n\n%s" % (
                r.randint(2, 40), g.text(1, 3)))
    cte = r.choice(("7bit", "quoted-printable", "base64"))
    return leaf("text/plain; charset=utf-8", encode_text(text, cte), cte)


def m_decoy(g, cap):
    """Not a validation mail, though it looks like one to a keyword
    scan: the template quoted with placeholders, or a renewal notice
    that asks nothing of an approver.  Never in the truth."""
    r = g.r
    if r.random() < 0.5:
        text = ("We template our own mails on AWS's. Theirs reads:\n\n"
                "  Domain: $fqdn\n  AWS account ID: $account\n"
                "  To approve this request, go to Amazon Certificate "
                "Approvals\n  (https://$region.acm-certificates.amazon."
                "com/approvals?code=$code&context=$context)\n\n" +
                g.text(1, 2))
    else:
        region = r.choice(NEW_REGIONS)
        acct = "%012d" % r.randrange(10 ** 12)
        text = ("Greetings from Amazon Web Services,\n\nThe certificate "
                "below is up for renewal; ACM renews it on its own\nand "
                "no action is needed from you.\n\nDomain: %s\nAWS "
                "account ID: %s\nAWS Region name: %s\nCertificate "
                "Identifier: arn:aws:acm:%s:%s:certificate/%s\n\n"
                "Sincerely,\nAmazon Web Services\n" % (
                    g.domain(), acct, region, region, acct, g.uuid()))
    return text_leaf(g, text)


ORDINARY = [  # (builder, weight)
    (m_plain, 30), (m_text8, 10), (m_alternative, 22),
    (m_newsletter, 10), (m_attachments, 14), (m_digest, 2),
    (m_forward, 4), (m_bounce, 3), (m_calendar, 2),
    (m_business_approvals, 1.5), (m_decoy, 0.3),
]


def malform(g, ch, body):
    """Break a message in one of the ways real archives are broken."""
    r = g.r
    how = r.randrange(5)
    if how == 0 and "boundary=" in ch:
        # The closing delimiter never comes.
        body = re.sub(r"\n--[^\n]*--\n$", "\n", body)
    elif how == 1 and "base64" in body:
        # A base64 body cut mid-line, padding wrong.
        cut = body.rfind("\n", 0, len(body) // 2)
        body = body[:cut] + "\nQUJD=\n"
    elif how == 2:
        ch = re.sub(r"charset=[^;\n]*", "charset=x-unknown-bench", ch, 1)
    elif how == 3 and "boundary=" in ch:
        ch = re.sub(r";\s*boundary=\"[^\"]*\"", "", ch, 1)
    else:
        # Latin-1 bytes straight in a header: surrogate-escaped here,
        # raw on disk.
        ch = "X-Note: r\udce9sum\udce9 \udcfcber\n" + ch
    return ch, body


def ordinary(g, cap):
    """(raw bytes, eol) of one ordinary mail."""
    r = g.r
    builders, weights = zip(*ORDINARY)
    build = r.choices(builders, weights)[0]
    t = r.randint(T_2015, T_2025_05)
    extra = ""
    if build is m_newsletter:
        lid = g.domain()
        extra = ("List-Id: %s news <news.%s>\nList-Unsubscribe: "
                 "<https://%s/u/%s>,\n <mailto:unsub@%s>\nPrecedence: "
                 "bulk\n" % (lid, lid, lid, g.hexs(20), lid))
    h = common_headers(g, t, subject(g), extra=extra)
    ch, body = build(g, cap)
    if r.random() < 0.02:
        ch, body = malform(g, ch, body)
    raw = (h + ch + "\n" + body).encode("utf-8", "surrogateescape")
    return eol(g, raw)


def eol(g, raw):
    """Most mail is stored with LF; some with CRLF, a little mixed."""
    u = g.r.random()
    if u < 0.05:
        return raw.replace(b"\n", b"\r\n"), "crlf"
    if u < 0.06:
        head, sep, tail = raw.partition(b"\n\n")
        return head.replace(b"\n", b"\r\n") + b"\r\n\r\n" + tail, "mixed"
    return raw, "lf"


# ---------------------------------------------------------------------
# ACM validation mails.  Wording is ours, after the shape described in
# the project's format notes: fixed labels, values one space after the
# colon, the link after "go to Amazon Certificate Approvals".

TEMPLATES = ("current", "renewal", "legacy")
ENCODINGS = ("7bit", "quoted-printable", "base64",
             "multipart-alternative", "html-only")
WRAPPINGS = ("none", "sns-email", "sns-email-base64")


class Certs:
    """Certificates seen so far: multi-domain certificates give one mail
    per name under one identifier, and resends a new code for a name."""

    def __init__(self):
        self.last = None

    def fields(self, g, template):
        r = g.r
        legacy = template == "legacy"
        last = self.last
        if last and last["legacy"] == legacy and r.random() < 0.28:
            f = dict(last)
            if r.random() < 0.1:
                pass            # a resend: same name, fresh code
            else:
                base = f["requested_domain"].lstrip("*.")
                f["domain"] = "%s.%s" % (r.choice(LABELS), base)
        else:
            f = {"legacy": legacy}
            regions = OLD_REGIONS if legacy else NEW_REGIONS
            f["region"] = r.choice(regions)
            f["account_id"] = "%012d" % r.randrange(10 ** 11, 10 ** 12)
            f["certificate_id"] = g.uuid()
            d = g.domain()
            if r.random() < 0.08:
                d = "*." + d
            f["domain"] = f["requested_domain"] = d
        self.last = f
        f = dict(f)
        f["code"] = g.uuid()
        f["context"] = g.uuid() + "-" + f["region"].encode().hex()
        if legacy and r.random() < 0.1:
            # Some old mails, and the parsers written for them, use
            # the bare host without a region.
            host = "certificates.amazon.com"
        elif legacy:
            host = "%s.certificates.amazon.com" % f["region"]
        else:
            host = "%s.acm-certificates.amazon.com" % f["region"]
        f["approval_url"] = "https://%s/approvals?code=%s&context=%s" % (
            host, f["code"], f["context"])
        f["certificate_arn"] = None if legacy else \
            "arn:aws:acm:%s:%s:certificate/%s" % (
                f["region"], f["account_id"], f["certificate_id"])
        apex = f["domain"]
        for pre in ("*.", "www."):
            if apex.startswith(pre):
                apex = apex[len(pre):]
        f["recipient"] = "%s@%s" % (r.choice(APPROVERS), apex)
        lo, hi = (T_2016_06, T_2020_10) if legacy else \
            (T_2020_12, T_2025_05)
        f["time"] = r.randint(lo, hi)
        return f


def acm_text(f, template):
    acct = f["account_id"]
    if template == "legacy":
        acct = "%s-%s-%s" % (acct[:4], acct[4:8], acct[8:])
        # Blank lines hold one space in the old mails.
        return (
            "Greetings from Amazon Web Services,\n \n"
            "We received a request to issue an SSL/TLS certificate for\n"
            "%s.\n \n"
            "Please make sure that the domain, the AWS account number and\n"
            "the certificate identifier below belong to a request from\n"
            "you or from someone in your organization.\n \n"
            "Domain: %s\nAWS account ID: %s\nAWS Region name: %s\n"
            "Certificate identifier: %s\n \n"
            "To approve this request, go to Amazon Certificate Approvals "
            "at\n%s\nand follow the instructions on the page.\n \n"
            "If you do not want to approve this request, you need not do "
            "anything.\n \n"
            "This mail goes only to the people who run %s.\n"
            "Concerns about it go to validation-questions@amazon.com.\n \n"
            "Sincerely,\nAmazon Web Services\n \n--\n"
            "Amazon Web Services, Inc. is a subsidiary of Amazon.com, "
            "Inc.\nThis message was produced and distributed by Amazon "
            "Web Services,\nInc., Seattle, WA. (c)2015, Amazon Web "
            "Services, Inc. or its\naffiliates. All rights reserved.\n" % (
                f["requested_domain"], f["domain"], acct, f["region"],
                f["certificate_id"], f["approval_url"],
                f["requested_domain"]))
    renewal = template == "renewal"
    out = ["Greetings from Amazon Web Services,\n\n"]
    if renewal:
        out.append("This request renews a certificate that is already "
                   "issued and in use;\nit has to be validated again "
                   "before it expires.\n\n")
    out.append(
        "We received a request to issue an SSL/TLS certificate for\n"
        "%s.\n\n"
        "Please make sure that the domain, the AWS account ID and the\n"
        "certificate identifier below belong to a request from you or\n"
        "from someone in your organization.\n\n"
        "Domain: %s\nAWS account ID: %s\nAWS Region name: %s\n"
        "Certificate Identifier: %s\n\n" % (
            f["requested_domain"], f["domain"], f["account_id"],
            f["region"], f["certificate_arn"]))
    if renewal:
        out.append("To approve this request, go to Amazon Certificate "
                   "Approvals at\n%s\n" % f["approval_url"])
    else:
        out.append("To approve this request, go to Amazon Certificate "
                   "Approvals\n(%s)\n" % f["approval_url"])
    out.append(
        "and follow the instructions on the page.\n\n"
        "This mail goes only to the people who run %s. If the\n"
        "request worries you, or the mail reached you by mistake, send "
        "it on to\nvalidation-questions@amazon.com.\n\n" %
        f["requested_domain"])
    if renewal:
        out.append("More about validation by mail:\nhttps://docs.aws."
                   "amazon.com/acm/latest/userguide/email-validation."
                   "html\n\n")
    out.append("Sincerely,\nAmazon Web Services\n")
    if renewal:
        out.append("\n--\nAmazon Web Services, Inc. is a subsidiary of "
                   "Amazon.com, Inc.\nSeattle, WA. (c)2015-2022, Amazon "
                   "Web Services, Inc. or its affiliates.\nPrivacy: "
                   "https://aws.amazon.com/privacy/\n")
    return "".join(out)


def acm_html(f, template):
    url = f["approval_url"].replace("&", "&amp;")
    legacy = template == "legacy"
    acct = f["account_id"]
    if legacy:
        acct = "%s-%s-%s" % (acct[:4], acct[4:8], acct[8:])
    cert = f["certificate_id"] if legacy else f["certificate_arn"]
    # The current mails show the link only behind the anchor text.
    shown = url if legacy else "Amazon Certificate Approvals"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
        "Certificate request</title></head>\n<body style=\"font-family:"
        "Arial,sans-serif;font-size:14px\">\n"
        "<p>Greetings from Amazon Web Services,</p>\n"
        "<p>We received a request to issue an SSL/TLS certificate for "
        "<span id=\"requested_domain\">%s</span>.</p>\n"
        "<p>Please make sure that the domain, the AWS account ID and the "
        "certificate identifier below belong to a request from you or "
        "from someone in your organization.</p>\n"
        "<p>Domain: <span id=\"fqdn\">%s</span><br>\n"
        "AWS account ID: <span id=\"account_id\">%s</span><br>\n"
        "AWS Region name: <span id=\"region_name\">%s</span><br>\n"
        "Certificate Identifier: <span id=\"cert_id\">%s</span></p>\n"
        "<p>To approve this request, go to <a id=\"approval_url\" "
        "href=\"%s\" style=\"color:#0066c0\">%s</a> and follow the "
        "instructions on the page.</p>\n"
        "<p>This mail goes only to the people who run %s. Concerns go to "
        "<a href=\"mailto:validation-questions@amazon.com\">"
        "validation-questions@amazon.com</a>.</p>\n"
        "<p>Sincerely,<br>Amazon Web Services</p>\n</body></html>\n" % (
            f["requested_domain"], f["domain"], acct, f["region"], cert,
            url, shown, f["requested_domain"]))


def ses_id(g):
    return "0100%s-%s-%s-000000" % (g.hexs(12), g.hexs(8), g.uuid())


def acm_message(g, f, template, encoding):
    r = g.r
    t = f["time"]
    sid = ses_id(g)
    subj = ("Certificate approval for %s" if template == "legacy" else
            "Certificate request for %s") % f["requested_domain"]
    h = ("Return-Path: <%s@bounces.certificates.amazon.com>\n" % sid +
         received_chain(g, t, f["recipient"]) +
         dkim(g, "certificates.amazon.com", "acm%d" % r.randint(1, 3)) +
         dkim(g, "amazonses.com", "ug7nbtf4gccmlpwj322ax3p6ow6yfsug") +
         "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
         "Message-ID: <%s@email.amazonses.com>\nMIME-Version: 1.0\n"
         "Feedback-ID: 1.us-east-1.%s=:AmazonSES\n"
         "X-SES-Outgoing: %s\n" % (
             ACM_FROM, f["recipient"], subj, rfc2822_date(t), sid,
             g.hexs(40), time.strftime("%Y.%m.%d", time.gmtime(t)) +
             "-192.0.2.%d" % r.randint(1, 254)))
    text = acm_text(f, template)
    if encoding == "7bit":
        ch, body = leaf("text/plain; charset=UTF-8", text, "7bit")
    elif encoding in ("quoted-printable", "base64"):
        ch, body = leaf("text/plain; charset=UTF-8",
                        encode_text(text, encoding), encoding)
    elif encoding == "multipart-alternative":
        tcte = r.choice(("7bit", "quoted-printable"))
        ch, body = join_multipart("alternative", [
            leaf("text/plain; charset=UTF-8", encode_text(text, tcte),
                 tcte),
            leaf("text/html; charset=UTF-8",
                 encode_text(acm_html(f, template), "quoted-printable"),
                 "quoted-printable")], g.boundary())
    else:
        cte = r.choice(("quoted-printable", "7bit"))
        ch, body = leaf("text/html; charset=UTF-8",
                        encode_text(acm_html(f, template), cte), cte)
    raw = (h + ch + "\n" + body).encode()
    # The 2017-era legacy mails came with CRLF line ends.
    if template == "legacy" and r.random() < 0.5 or r.random() < 0.1:
        return raw.replace(b"\n", b"\r\n"), "crlf"
    return raw, "lf"


def ses_receive_headers(g, f, t, region):
    """What SES puts in front of a mail it receives."""
    return (
        "Return-Path: <%s@bounces.certificates.amazon.com>\r\n"
        "Received: from a8-%d.smtp-out.amazonses.com (a8-%d.smtp-out."
        "amazonses.com [192.0.2.%d])\r\n by inbound-smtp.%s.amazonaws.com"
        " with SMTP id %s\r\n for %s;\r\n %s\r\n"
        "X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n"
        "Received-SPF: pass (spfCheck: domain of bounces.certificates."
        "amazon.com designates 192.0.2.%d as permitted sender)\r\n"
        "Authentication-Results: amazonses.com;\r\n spf=pass smtp.mailfrom"
        "=bounces.certificates.amazon.com;\r\n dkim=pass header.i=@"
        "certificates.amazon.com;\r\n dmarc=none header.from=certificates"
        ".amazon.com;\r\nX-SES-RECEIPT: %s\r\nX-SES-DKIM-SIGNATURE: a=rsa-"
        "sha256; q=dns/txt; b=%s\r\n" % (
            ses_id(g), g.r.randint(1, 99), g.r.randint(1, 99),
            g.r.randint(1, 254), region, g.hexs(40), f["recipient"],
            rfc2822_date(t), g.r.randint(1, 254),
            base64.b64encode(g.r.randbytes(90)).decode(),
            base64.b64encode(g.r.randbytes(60)).decode()))


def ses_notification(g, raw, rcpt, frm, subj, t, region, b64):
    """The SES "Received" notification of RAW, as a dict."""
    r = g.r
    acct = "%012d" % r.randrange(10 ** 11, 10 ** 12)
    topic = "arn:aws:sns:%s:%s:inbound-mail" % (region, acct)
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if b64:
        content = base64.b64encode(raw).decode()
    else:
        content = raw.decode("utf-8", "replace")
    mid = g.hexs(32)
    return {
        "notificationType": "Received",
        "mail": {
            "timestamp": iso_date(t + 1, r.randrange(1000)),
            "source": frm, "messageId": mid,
            "destination": [rcpt], "headersTruncated": False,
            "headers": [{"name": "From", "value": frm},
                        {"name": "To", "value": rcpt},
                        {"name": "Subject", "value": subj}],
            "commonHeaders": {"returnPath": frm, "from": [frm],
                              "to": [rcpt], "date": rfc2822_date(t),
                              "messageId": "<%s>" % mid,
                              "subject": subj}},
        "receipt": {
            "timestamp": iso_date(t + 1, r.randrange(1000)),
            "processingTimeMillis": r.randint(200, 900),
            "recipients": [rcpt],
            "spamVerdict": {"status": "PASS"},
            "virusVerdict": {"status": "PASS"},
            "spfVerdict": {"status": "PASS"},
            "dkimVerdict": {"status": "PASS"},
            "dmarcVerdict": {"status": "GRAY"},
            "action": {"type": "SNS", "topicArn": topic,
                       "encoding": "BASE64" if b64 else "UTF8"}},
        "content": content,
    }, topic


def sns_email(g, f, raw, b64):
    """RAW delivered by an SNS "email" subscription: a plain mail whose
    body is the SES notification, then SNS's unsubscribe footer."""
    r = g.r
    t = f["time"] + r.randint(1, 5)
    region = r.choice(NEW_REGIONS)
    ses, topic = ses_notification(
        g, ses_receive_headers(g, f, t, region).encode() + raw,
        f["recipient"], "no-reply@certificates.amazon.com",
        "Certificate request for %s" % f["requested_domain"], t, region,
        b64)
    sub = "%s:%s" % (topic, g.uuid())
    ops = "ops@%s" % r.choice(DOMAINS)
    body = (json.dumps(ses, separators=(",", ":")) + "\n\n--\n"
            "You get this mail because this address subscribed to the "
            "topic; to stop,\nopen the link below:\nhttps://sns.%s."
            "amazonaws.com/unsubscribe.html?SubscriptionArn=%s&Endpoint="
            "%s\n\nThis mailbox is not read. Help: https://aws.amazon.com/"
            "support\n" % (region, sub, ops))
    u = r.random()
    if u < 0.25:
        cte = "quoted-printable"
        body = encode_text(body, cte)
    else:
        cte = "7bit"
        if u < 0.6:
            # Mailers split lines past about 1000 octets with "!" and
            # a folded continuation; readers must take it out again.
            line, rest = body.split("\n", 1)
            line = "!\n ".join(line[i:i + 990]
                               for i in range(0, len(line), 990))
            body = line + "\n" + rest
    h = ("x-amz-sns-message-id: %s\nx-amz-sns-subscription-arn: %s\n"
         "From: %s <no-reply@sns.amazonaws.com>\nTo: %s\n"
         "Subject: Amazon SES Email Receipt Notification\nDate: %s\n"
         "Message-ID: <%s@email.amazonses.com>\nMIME-Version: 1.0\n"
         "Content-Type: text/plain; charset=UTF-8\n"
         "Content-Transfer-Encoding: %s\n" % (
             g.uuid(), sub, r.choice(("AWS Notifications", "Inbound mail")),
             ops, rfc2822_date(t), ses_id(g), cte))
    return (h + "\n" + body).encode()


def sns_envelope(g, raw, t, b64):
    """One line of the jsonl format: an SNS notification (as SNS posts
    it over HTTP) whose Message is the SES notification of RAW."""
    r = g.r
    region = r.choice(NEW_REGIONS)
    m = re.search(rb"(?im)^to:[^\n]*?([\w.+-]+@[\w.-]+)", raw)
    rcpt = m.group(1).decode() if m else "inbox@example.com"
    m = re.search(rb"(?im)^from:[^\n]*?([\w.+-]+@[\w.-]+)", raw)
    frm = m.group(1).decode() if m else "unknown@example.net"
    ses, topic = ses_notification(g, raw, rcpt, frm, "(see content)", t,
                                  region, b64)
    env = {
        "Type": "Notification", "MessageId": g.uuid(), "TopicArn": topic,
        "Subject": "Amazon SES Email Receipt Notification",
        "Message": json.dumps(ses, separators=(",", ":")),
        "Timestamp": iso_date(t + 2, r.randrange(1000)),
        "SignatureVersion": "1",
        "Signature": base64.b64encode(r.randbytes(256)).decode(),
        "SigningCertURL": "https://sns.%s.amazonaws.com/SimpleNotification"
                          "Service-%s.pem" % (region, g.hexs(32)),
        "UnsubscribeURL": "https://sns.%s.amazonaws.com/?Action=Unsubscribe"
                          "&SubscriptionArn=%s:%s" % (region, topic,
                                                      g.uuid()),
    }
    return json.dumps(env, separators=(",", ":")).encode() + b"\n"


class Deck:
    """Variants dealt from a shuffled deck of every combination, so even
    a small archive holds each template x encoding x wrapping."""

    def __init__(self, g, combos):
        self.g, self.combos, self.cards = g, list(combos), []

    def deal(self):
        if not self.cards:
            self.cards = list(self.combos)
            self.g.r.shuffle(self.cards)
        return self.cards.pop()


# ---------------------------------------------------------------------
# Writers.  add() returns the offset where the message starts.

MBOXRD_QUOTE = re.compile(rb"^(>*From )", re.M)


class MboxWriter:
    def __init__(self, path):
        self.path, self.tmp = path, path + ".tmp"
        self.f = open(self.tmp, "wb")
        self.size = 0

    def add(self, raw, index, t, sender="MAILER-DAEMON"):
        data = b"From %s %s\n%s" % (
            sender.encode(), time.asctime(time.gmtime(t)).encode(),
            MBOXRD_QUOTE.sub(rb">\1", raw))
        if not data.endswith(b"\n"):
            data += b"\n"
        data += b"\n"
        off = self.size
        self.f.write(data)
        self.size += len(data)
        return off, None

    def close(self):
        self.f.close()
        os.replace(self.tmp, self.path)


class DirWriter:
    def __init__(self, path):
        self.path, self.tmp = path, path + ".tmp"
        shutil.rmtree(self.tmp, ignore_errors=True)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(self.tmp, sub))
        self.size = 0

    def add(self, raw, index, t, sender=None):
        # Maildir-style unique names; fixed width, so sorting by name
        # gives archive order.
        name = "cur/%010d.M%dP4242.bench:2,S" % (1500000000 + index, index)
        with open(os.path.join(self.tmp, name), "wb") as f:
            f.write(raw)
        self.size += len(raw)
        return 0, name

    def close(self):
        shutil.rmtree(self.path, ignore_errors=True)
        os.replace(self.tmp, self.path)


class JsonlWriter(MboxWriter):
    def __init__(self, path, g):
        super().__init__(path)
        self.g = g

    def add(self, raw, index, t, sender=None):
        b64 = self.g.r.random() < 0.4
        line = sns_envelope(self.g, raw, t, b64)
        off = self.size
        self.f.write(line)
        self.size += len(line)
        return off, "sns-envelope-base64" if b64 else "sns-envelope"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=parse_size, default="20M",
                    help="stop after the first message past SIZE "
                    "(K, M, G binary; default 20M)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("mbox", "eml-dir", "jsonl"),
                    default="mbox")
    ap.add_argument("--out", required=True, help="file, or directory for "
                    "eml-dir")
    ap.add_argument("--truth", help="JSON Lines, one per ACM mail")
    ap.add_argument("--acm-fraction", type=float, default=0.01)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    started = time.monotonic()
    g = Gen(a.seed)
    r = g.r
    if a.format == "mbox":
        w = MboxWriter(a.out)
    elif a.format == "eml-dir":
        w = DirWriter(a.out)
    else:
        w = JsonlWriter(a.out, g)
    # The largest attachment, before base64.  SES hands mail to SNS
    # only up to 150 KB, so jsonl mail (up to three) stays below it.
    cap = 30 * 1024 if a.format == "jsonl" else 300 * 1024
    wraps = WRAPPINGS if a.format != "jsonl" else ("none",)
    deck = Deck(g, [(tp, en, wr) for tp in TEMPLATES for en in ENCODINGS
                    for wr in wraps])
    certs = Certs()
    truth = []
    index = 0
    while w.size < a.size:
        if r.random() < a.acm_fraction:
            template, encoding, wrapped = deck.deal()
            f = certs.fields(g, template)
            raw, eol_kind = acm_message(g, f, template, encoding)
            if wrapped != "none":
                raw = sns_email(g, f, raw, wrapped == "sns-email-base64")
            off, name = w.add(raw, index, f["time"],
                              "%s@bounces.certificates.amazon.com" %
                              g.hexs(16))
            rec = {"index": index, "offset": off,
                   "template": "legacy" if template == "legacy" else
                   "current",
                   "variant": template, "encoding": encoding,
                   "wrapped": wrapped, "eol": eol_kind}
            for k in ("domain", "requested_domain", "account_id",
                      "region", "certificate_id", "certificate_arn",
                      "approval_url", "code", "context", "recipient"):
                rec[k] = f[k]
            if a.format == "jsonl":
                rec["wrapped"] = name
            elif name:
                rec["path"] = name
            truth.append(rec)
        else:
            raw, _ = ordinary(g, cap)
            w.add(raw, index, r.randint(T_2015, T_2025_05),
                  g.person()[1])
        index += 1
    w.close()
    if a.truth:
        with open(a.truth + ".tmp", "w") as tf:
            for rec in truth:
                tf.write(json.dumps(rec, sort_keys=False) + "\n")
        os.replace(a.truth + ".tmp", a.truth)
    if not a.quiet:
        print("gen.py: %d messages, %d bytes, %d ACM mails, format=%s "
              "seed=%d, %.1f s" % (index, w.size, len(truth), a.format,
                                   a.seed, time.monotonic() - started),
              file=sys.stderr)


if __name__ == "__main__":
    main()
