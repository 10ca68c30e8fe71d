"""Who sends a series, and when: what `series` and `split` share at their
edges (options, git config, the clock)."""
from __future__ import annotations

import argparse
import os
from datetime import datetime
from datetime import timezone
from email.utils import parseaddr
from pathlib import Path

from codemod.mail.ident import Ident
from codemod.plumbing import git
from codemod.plumbing.errors import PathError


def parse_ident(text: str, source: str = '--from') -> Ident:
    name, email = parseaddr(text)
    if not name or '@' not in email:
        raise PathError(source, f'expected "Name <mail@example.org>", got {text!r}')
    return Ident(name, email)


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
