"""Write a synthetic LinkedIn data export in the real layout, deterministically.

    python bench/gen_linkedin.py OUT [--connections N] [--invitations M] [--messages K]
                                     [--seed S] [--zip]

OUT is a folder (created), or with ``--zip`` the zip file to write. Defaults:
30,000 connections, 20,000 invitations, 300,000 messages. The same seed and
sizes give the same bytes. The export is consistent: some incoming invitations
come from connections (history), most from strangers (pending); the owner asks
some pending inviters "Have we met?" and some answer.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
OWNER = ("Alex", "Owner", "https://www.linkedin.com/in/alex-owner")
FIRST = (
    'Anna', 'Ben', 'Carla', 'David', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemal',
    'Lea', 'Mateo', 'Nora', 'Omar', 'Paula', 'Quentin', 'Rosa', 'Sven', 'Tara', 'Umut', 'Vera',
    'Wei', 'Xenia', 'Yusuf', 'Zoe', 'Jürgen', 'Zoë', 'Renée', 'José', 'Łukasz', 'Siobhán',
    'Ngozi', 'Priya', 'Chen'
)
LAST = (
    'Schmidt', 'Garcia', 'Nguyen', 'Okafor', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Dubois',
    'Jensen', 'Novak', 'Haddad', 'Müller', 'Öztürk', 'Fernández', "Ó'Brien", 'Lindqvist',
    'Patel', 'Kim', 'Moreau', 'Costa', 'Weber', 'Ivanova', 'Smith-Jones', 'Raman', 'Dupont',
    'Horvath', 'Yilmaz'
)
ASCII = str.maketrans("üöäéèáóíñłë'", "uoaeeaoinle-")
COMPANIES = ("Acme, Inc.", "Globex", "Initech", "Umbrella Corp", "Stark Industries",
             "\"Quoted\" Labs", "Müller & Söhne GmbH", "Wayne Enterprises", "Hooli", "Soylent")
POSITIONS = ("Engineer", "Head of Growth, EMEA", "CTO", "Recruiter", "Founder", "Consultant",
             "Product Manager", "Sales Director", "Data Scientist", "Designer")
WORDS = (
    'the', 'a', 'to', 'and', 'of', 'we', 'you', 'I', 'project', 'meeting', 'next', 'week',
    'call', 'thanks', 'great', 'idea', 'coffee', 'conference', 'talk', 'product', 'team',
    'hiring', 'role', 'data', 'network', 'introduce', 'intro', 'help', 'happy', 'Berlin',
    'London', 'remote', 'plan', 'launch', 'feedback', 'draft', 'review', 'contract', 'budget',
    'quarter'
)
GENERIC = ("", "", "", "", "I'd like to add you to my professional network on LinkedIn.",
           "Hi {first}, I'd like to join your LinkedIn network.",
           "Hi {first}, I came across your profile and was impressed by your experience.")
INQUIRY = "Hi, thanks for the invitation. Have we met?"
PREAMBLE = ("Notes:\r\n\"When exporting your connection data, you may notice that some of the "
            "email addresses are missing. You will only see email addresses for connections who "
            "have allowed their connections to see or download their email address using this "
            "setting https://www.linkedin.com/psettings/privacy/email. You can learn more here "
            "https://www.linkedin.com/help/linkedin/answer/261\"\r\n\r\n")


class People:
    """Person i: name and profile URL, derived from i (no big tables kept)."""

    def __init__(self, rng: random.Random):
        self.salt = rng.randrange(1 << 20)

    def name(self, i: int) -> tuple[str, str]:
        return FIRST[(i * 7 + self.salt) % len(FIRST)], LAST[(i * 13 + i // 31) % len(LAST)]

    def url(self, i: int) -> str:
        first, last = self.name(i)
        slug = f"{first}-{last}".lower().translate(ASCII)
        return f"https://www.linkedin.com/in/{slug}-{i:x}{self.salt:x}"

    def full(self, i: int) -> str:
        return " ".join(self.name(i))


def li_date(stamp: datetime) -> str:
    return stamp.strftime("%d %b %Y")


def sent_at(stamp: datetime) -> str:
    hour = stamp.hour % 12 or 12
    ampm = "PM" if stamp.hour >= 12 else "AM"
    return f"{stamp.month}/{stamp.day}/{stamp.year % 100:02d}, {hour}:{stamp.minute:02d} {ampm}"


def msg_date(stamp: datetime, utc: bool = True) -> str:
    text = stamp.strftime("%Y-%m-%d %H:%M:%S")
    return text + " UTC" if utc else text


def words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def connections(rng: random.Random, people: People, n: int) -> Iterator[list[str]]:
    span = int((NOW - datetime(2008, 1, 1, tzinfo=UTC)).total_seconds())
    for i in range(n):
        first, last = people.name(i)
        when = NOW - timedelta(seconds=rng.randrange(span))
        email = f"{first}.{last}{i}@example.com".lower().translate(ASCII) if i % 5 == 0 else ""
        yield [first, last, people.url(i), email, COMPANIES[i % len(COMPANIES)],
               POSITIONS[(i // 3) % len(POSITIONS)], li_date(when)]


def is_stranger_invite(k: int, conns: int) -> bool:
    """Invitation k comes in from a stranger (a pending one)."""
    return k % 5 != 0 and not (conns and k % 3 == 0)


def stranger_sent_at(k: int) -> datetime:
    """When invitation k from a stranger was sent: within the last 60 days."""
    return NOW - timedelta(minutes=1 + (k * 7919) % (60 * 1440))


def invitations(rng: random.Random, people: People, n: int, conns: int) -> Iterator[list[str]]:
    owner = f"{OWNER[0]} {OWNER[1]}"
    for k in range(n):
        incoming = k % 5 != 0
        stranger = conns + k  # strangers follow the connections
        who = rng.randrange(conns) if (conns and k % 3 == 0) else stranger
        if who < conns:
            when = NOW - timedelta(days=rng.randrange(3 * 365), minutes=rng.randrange(1440))
        else:
            when = stranger_sent_at(k)
        first = people.name(who)[0]
        note = rng.choice(GENERIC).format(first=OWNER[0] if incoming else first)
        if k % 17 == 0:
            note = f"Hi,\nwe met at the {rng.choice(WORDS)} meetup, \"{words(rng, 3, 8)}\"."
        if incoming:
            yield [people.full(who), owner, sent_at(when), note, "INCOMING",
                   people.url(who), OWNER[2]]
        else:
            yield [owner, people.full(who), sent_at(when), note, "OUTGOING",
                   OWNER[2], people.url(who)]


def messages(rng: random.Random, people: People, n: int, conns: int,
             invs: int) -> Iterator[list[str]]:
    owner = f"{OWNER[0]} {OWNER[1]}"
    written, conv = 0, 0
    span = 8 * 365 * 86400
    while written < n:
        conv += 1
        k = rng.randrange(max(invs, 1))
        pending = (conv % 10 == 0 and invs > 0 and is_stranger_invite(k, conns)
                   and stranger_sent_at(k) < NOW - timedelta(days=3))
        if pending:  # the owner asks the inviter "Have we met?" some hours later
            other, start = conns + k, stranger_sent_at(k) + timedelta(hours=rng.randint(1, 30))
        else:
            other = rng.randrange(max(conns, 1))
            start = NOW - timedelta(seconds=rng.randrange(span))
        size = (rng.randint(1, 2) if pending else rng.randint(2, 14))
        cid = f"2-{conv:08x}{people.salt:05x}=="
        for j in range(min(size, n - written)):
            mine = j % 2 == 0 if pending else rng.random() < 0.5
            sender, to = (owner, people.full(other)) if mine else (people.full(other), owner)
            s_url, t_url = (OWNER[2], people.url(other)) if mine else (people.url(other), OWNER[2])
            when = start + timedelta(hours=j * 20, seconds=rng.randrange(3600))
            if pending:
                text = INQUIRY if j == 0 else words(rng, 5, 30)
            elif written % 20 == 7:
                text = f"{words(rng, 5, 20)},\n\n{words(rng, 10, 40)}\n-- {sender}"
            else:
                text = words(rng, 3, 40)
            if written in (n // 3, n // 2, 2 * n // 3) and n >= 1000:
                text = words(rng, 30_000, 30_000)  # beyond csv's default 128 KiB field limit
            yield [cid, "", sender, s_url, to, t_url, msg_date(when, utc=written % 9 != 0), "",
                   text, "INBOX" if not mine else "SENT", "No"]
            written += 1


def tables(args: argparse.Namespace) -> list[tuple[str, str, Callable[[], Iterator[list[str]]]]]:
    rng = random.Random(args.seed)
    people = People(rng)
    seeds = [rng.randrange(1 << 30) for _ in range(3)]
    return [
        ("Profile.csv", "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,"
         "Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers",
         lambda: iter([[OWNER[0], OWNER[1], "", "", "", "Engineer, writer, connector", "", "",
                        "", "Berlin, Germany", "", "", ""]])),
        ("Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
         lambda: connections(random.Random(seeds[0]), people, args.connections)),
        ("Invitations.csv", "From,To,Sent At,Message,Direction,inviterProfileUrl,"
         "inviteeProfileUrl",
         lambda: invitations(random.Random(seeds[1]), people, args.invitations, args.connections)),
        ("messages.csv", "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
         "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT",
         lambda: messages(random.Random(seeds[2]), people, args.messages, args.connections,
                          args.invitations)),
        ("guide_messages.csv", "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
         "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER",
         lambda: iter([["g-1", "", "Alex Owner", OWNER[2], "LinkedIn", "",
                        "2025-01-01 10:00:00 UTC", "", "How do I write a headline?", "INBOX"]])),
        ("Skills.csv", "Name", lambda: iter([["Python"], ["Networking"]])),
    ]


def write_table(handle: io.TextIOBase, name: str, header: str,
                rows: Callable[[], Iterator[list[str]]]) -> None:
    if name == "Connections.csv":
        handle.write("\ufeff" + PREAMBLE)
    handle.write(header + "\r\n")
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerows(rows())


def generate(args: argparse.Namespace) -> Path:
    out = Path(args.out)
    if args.zip:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, header, rows in tables(args):
                with archive.open(name, "w", force_zip64=True) as raw, io.TextIOWrapper(
                    raw, encoding="utf-8", newline=""
                ) as handle:
                    write_table(handle, name, header, rows)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, header, rows in tables(args):
            with open(out / name, "w", encoding="utf-8", newline="") as handle:
                write_table(handle, name, header, rows)
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="folder to write (or zip file with --zip)")
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--invitations", type=int, default=20_000)
    parser.add_argument("--messages", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--zip", action="store_true", help="write a zip instead of a folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = generate(args)
    print(f"wrote {out}: {args.connections} connections, {args.invitations} invitations, "
          f"{args.messages} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
