"""Who sends a series, and when: what `series` and `split` share at their
edges (options, git config, the clock)."""
from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from datetime import datetime
from datetime import timezone
from pathlib import Path

from codemod.mail.ident import Ident
from codemod.plumbing import git
from codemod.plumbing.errors import PathError


# What git send-email takes for an address (local@domain, a dot in the
# domain), without the characters that separate or quote addresses.
_ADDRESS = r'[^<>"\s@,;()\[\]\\]+@[^.<>"\s@,;()\[\]\\]+(?:\.[^.<>"\s@,;()\[\]\\]+)+'
_MAILBOX = re.compile(
    rf'\s*(?:(?P<bare>{_ADDRESS})'
    rf'|"(?P<quoted>(?:[^"\\]|\\.)*)"\s*<(?P<qaddr>{_ADDRESS})>'
    rf'|(?P<name>[^"<>@,;:()\[\]\\]*?)\s*<(?P<addr>{_ADDRESS})>)\s*')
# git quotes a From: name with these in it (pretty.c, needs_rfc822_quoting).
_RFC822_SPECIALS = frozenset('()<>[]:;@,."\\')


def _mailbox(text: str) -> Ident | None:
    """(name, address) of `Name <addr>`, `"Name" <addr>`, `<addr>` or `addr`; None otherwise."""
    m = _MAILBOX.fullmatch(text)
    if m is None:
        return None
    if m['bare']:
        return Ident('', m['bare'])
    if m['qaddr']:
        return Ident(re.sub(r'\\(.)', r'\1', m['quoted']), m['qaddr'])
    return Ident(' '.join(m['name'].split()), m['addr'])


def format_recipient(ident: Ident) -> str:
    """`Name <addr>`, the name quoted as git quotes it in From: (if it must be)."""
    if not ident.name:
        return ident.email
    name = ident.name
    if any(c in _RFC822_SPECIALS for c in name):
        name = '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
    return f'{name} <{ident.email}>'


def parse_ident(text: str, source: str = '--from') -> Ident:
    ident = _mailbox(text)
    if ident is None or not ident.name:
        raise PathError(source, f'expected "Name <mail@example.org>", got {text!r}')
    return ident


def _split_list(value: str) -> list[str]:
    """`a, "B, b" <b@x.org>` -> ['a', '"B, b" <b@x.org>']: split on the
    commas outside double quotes; an open quote keeps the rest as one entry."""
    entries, current, quoted, escaped = [], '', False, False
    for c in value:
        if c == ',' and not quoted:
            entries.append(current)
            current = ''
            continue
        current += c
        if escaped:
            escaped = False
        elif c == '\\' and quoted:
            escaped = True
        elif c == '"':
            quoted = not quoted
    entries.append(current)
    return [e for e in entries if e.strip()] or [value]


def parse_recipients(values: Sequence[str], source: str) -> tuple[str, ...]:
    """--to/--cc values (each may hold several, comma-separated) as header entries.

    Each must be an address git send-email would take, with or without a
    name; a name with commas or other specials must be in double quotes."""
    out: list[str] = []
    for value in values:
        for entry in _split_list(value):
            ident = _mailbox(entry)
            if ident is None:
                raise PathError(source, f'not an email address: {entry.strip()!r} '
                                        '(expected "Name <mail@example.org>" or mail@example.org)')
            out.append(format_recipient(ident))
    return tuple(dict.fromkeys(out))


def sender(root: Path, explicit: str | None) -> Ident:
    if explicit:
        return parse_ident(explicit)
    # Outside a repository, git config still has the global identity.
    found = git.ident(root)
    if not found:
        raise PathError(root, 'no author: pass --from "Name <mail>" or set git user.name and user.email')
    return Ident(*found)


def series_date(explicit: str | None) -> datetime:
    """--date (ISO 8601), else SOURCE_DATE_EPOCH, else now."""
    if explicit:
        try:
            when = datetime.fromisoformat(explicit)
        except ValueError:
            raise PathError('--date', f'not an ISO 8601 date: {explicit!r}') from None
        return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    epoch = os.environ.get('SOURCE_DATE_EPOCH')
    if epoch:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now().astimezone().replace(microsecond=0)


def options_of(args: argparse.Namespace) -> dict[str, object]:
    """The command line of `series` or `split` as keyword arguments of its Options."""
    options = {k: v for k, v in vars(args).items() if k != 'command' and v is not None}
    options['to'], options['cc'] = tuple(args.to), tuple(args.cc)
    return options
