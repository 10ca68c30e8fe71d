"""ar archives (`libfoo.a`, the kernel's `built-in.a`): their members.

Both GNU forms: a regular archive holds the members' bytes; a thin one
(`!<thin>`, what kbuild writes) holds only their paths, relative to the
archive. Long names live in the `//` member, the symbol index (`/`,
`/SYM64/`) is skipped. BSD `#1/len` names are read too.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from codemod.audit.elf import AuditInputError

MAGIC = b'!<arch>\n'
THIN_MAGIC = b'!<thin>\n'
_HEADER = 60


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes | None      # None in a thin archive: read `path`
    path: str | None = None


def is_archive(head: bytes) -> bool:
    return head.startswith((MAGIC, THIN_MAGIC))


def members(label: str, data: bytes, folder: str = '.') -> list[Member]:
    """Members in order. `folder`: where a thin archive's paths start."""
    thin = data.startswith(THIN_MAGIC)
    pos = len(MAGIC)
    long_names = b''
    out = []
    while pos < len(data):
        if data[pos:pos + 1] == b'\n':      # padding to an even offset
            pos += 1
            continue
        header = data[pos:pos + _HEADER]
        if len(header) < _HEADER or header[58:60] != b'`\n':
            raise AuditInputError(label, f'truncated or malformed ar archive (member header at byte {pos})')
        raw_name = header[:16].rstrip(b' ')
        try:
            size = int(header[48:58].strip() or b'0')
        except ValueError:
            raise AuditInputError(label, f'malformed ar archive (member size at byte {pos + 48})') from None
        body = pos + _HEADER
        special = raw_name in (b'/', b'/SYM64/', b'//') or raw_name.startswith(b'__.SYMDEF')
        stored = not thin or special            # a thin archive stores only its tables
        if stored and body + size > len(data):
            raise AuditInputError(label, f'truncated ar archive: member at byte {pos} needs {size} bytes')
        content = data[body:body + size] if stored else None
        pos = body + (size if stored else 0)
        pos += pos & 1 if stored else 0
        if raw_name == b'//':
            long_names = content or b''
            continue
        if special:
            continue
        if raw_name.startswith(b'#1/'):         # BSD: the name opens the data
            n = int(raw_name[3:])
            name = content[:n].rstrip(b'\0').decode('utf-8', 'replace')
            content = content[n:]
        elif raw_name.startswith(b'/') and raw_name[1:].isdigit():
            start = int(raw_name[1:])
            end = long_names.find(b'/\n', start)
            name = long_names[start:end if end >= 0 else len(long_names)].decode('utf-8', 'replace')
        else:
            name = raw_name.removesuffix(b'/').decode('utf-8', 'replace')
        if thin:
            out.append(Member(name, None, os.path.join(folder, name)))
        else:
            out.append(Member(name, content))
    return out
