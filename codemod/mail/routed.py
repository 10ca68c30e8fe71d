"""Address a mail by its own text, as `get_maintainer.pl MAILFILE` does. Pure.

Who a patch goes to depends on the patch file's text: MAINTAINERS K:
keywords match any line of it, the To/Cc headers and the `Cc:` notes under
the `---` included. And the text holds the recipients. So a mail is
rendered with the recipients given on the command line only, routed,
rendered again with what the routing gave, and routed again, until the two
agree. The file written is then one on which get_maintainer.pl prints
exactly its To and Cc; in practice the second routing confirms the first
(a recipient's own line only hits a K: of a section that is already in).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Sequence
from typing import NamedTuple

from codemod.plumbing.errors import PathError

MAX_ROUNDS = 8


class Recipients(NamedTuple):
    to: tuple[str, ...]
    cc: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def _key(entry: str) -> str:
    """What two entries are the same recipient by: the lower-cased address
    (entries are get_maintainer.pl's lines or validated --to/--cc values)."""
    start = entry.rfind('<')
    if start != -1 and entry.endswith('>'):
        entry = entry[start + 1:-1]
    return entry.strip().lower()


def cc_notes(r: Recipients) -> str:
    """The recipients as `Cc:` lines for the commentary under `---`, where
    `git am` ignores them and a reviewer sees who was asked."""
    return ''.join(f'Cc: {a}\n' for a in (*r.to, *r.cc))


def with_extras(base: Recipients, extra_to: Sequence[str], extra_cc: Sequence[str]) -> Recipients:
    """MAINTAINERS' recipients plus --to/--cc: each address once, To first."""
    to: dict[str, str] = {}
    for address in (*base.to, *extra_to):
        to.setdefault(_key(address), address)
    cc: dict[str, str] = {}
    for address in (*base.cc, *extra_cc):
        if _key(address) not in to:
            cc.setdefault(_key(address), address)
    return Recipients(tuple(to.values()), tuple(cc.values()))


def union(each: Sequence[Recipients]) -> Recipients:
    """Everyone of a series, for its cover letter: To of any mail is To."""
    return with_extras(Recipients((), ()), [a for r in each for a in r.to], [a for r in each for a in r.cc])


def address(render: Callable[[Recipients], bytes], route: Callable[[bytes], Recipients],
            extra_to: Sequence[str] = (), extra_cc: Sequence[str] = (),
            what: str = 'mail') -> tuple[Recipients, bytes]:
    """(recipients, the mail's bytes) such that routing the bytes gives the recipients.

    `render` writes the mail for given recipients, `route` reads a mail's
    bytes as get_maintainer.pl does (b4's To/Cc split)."""
    recipients = with_extras(Recipients((), ()), extra_to, extra_cc)
    data = render(recipients)
    for _ in range(MAX_ROUNDS):
        found = with_extras(route(data), extra_to, extra_cc)
        if found == recipients:
            return recipients, data
        recipients, data = found, render(found)
    raise PathError(what, f'recipients do not settle after {MAX_ROUNDS} rounds: MAINTAINERS K: '
                          'patterns match the lines of the recipients they add')
