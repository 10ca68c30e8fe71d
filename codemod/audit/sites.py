"""What the scans find: one place in machine code that still uses a helper."""
from __future__ import annotations

from dataclasses import dataclass

CALL = 'call'
TAIL_CALL = 'tail call'
ADDRESS = 'address'         # the helper's address is taken (an object's relocation)

RELOCATION = 'relocation'   # how it was found
DISASSEMBLY = 'disassembly'


@dataclass(frozen=True, order=True)
class Site:
    input: str          # the object or image, as the report names it
    function: str       # the symbol holding the site (mangled), or a section name
    offset: int         # bytes from that symbol's start
    helper: str
    kind: str           # CALL, TAIL_CALL or ADDRESS
    found_by: str       # RELOCATION or DISASSEMBLY
    # In an object: whether the helper is defined in it, i.e. its bitcode was
    # linked in and LLVM still did not inline it (None in a linked image,
    # where it cannot be told).
    helper_linked: bool | None = None


@dataclass(frozen=True, order=True)
class UnusedHelper:
    """A helper symbol present in a linked image that no Rust code calls."""
    input: str
    helper: str
    address: int
    size: int


@dataclass
class Audit:
    """Everything found in one ELF input."""
    label: str
    kind: str           # 'object' or 'image'
    machine: str
    sites: list[Site]
    unused: list[UnusedHelper]
    rust_functions: int     # function symbols with Rust manglings it has
