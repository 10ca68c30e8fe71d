"""Who wrote or sends a mail: a name and an address. Apart from mbox.py so
that reading mails (incoming.py, reply.py) does not import the mail and
diff writers."""
from __future__ import annotations

from typing import NamedTuple


class Ident(NamedTuple):
    name: str
    email: str
