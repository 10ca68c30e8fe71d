"""Which symbols are Rust code, which are helpers, and which function holds
a given byte of code."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from codemod.audit.elf import Elf
from codemod.audit.elf import STT_FUNC

HELPER_PREFIX = 'rust_helper_'

# rustc's two manglings. v0: `_R`, an optional encoding version, then a path
# (crate root C, inherent impl M, trait impl X, trait definition Y, nested N,
# generic args I, back reference B). Legacy: Itanium-like `_ZN...E` whose last
# component is `17h` and 16 hex digits. Either may carry a linker or LLVM
# suffix such as `.llvm.1234` or `.cold`.
_V0 = re.compile(r'_R[0-9]*[CMXYNIB]')
_LEGACY = re.compile(r'_ZN.*17h[0-9a-f]{16}E(?:\.[\w.$]+)?\Z')
# What the cheap test of a whole file looks for before its symbols are read:
# either mangling's telltale bytes, anywhere (a false match costs one parse).
RUST_BYTES = re.compile(rb'_R[0-9]*[CMXYNIB]|17h[0-9a-f]{16}E')


def is_rust(name: str) -> bool:
    return bool(_V0.match(name) or _LEGACY.match(name))


def is_helper(name: str) -> bool:
    return name.startswith(HELPER_PREFIX)


def has_rust_symbols(elf: Elf) -> bool:
    return any(is_rust(s.name) for s in elf.symbols if s.defined)


@dataclass(frozen=True)
class Function:
    name: str
    section: int      # section index
    start: int        # st_value: a section offset in objects, an address in images
    size: int


class FunctionIndex:
    """The function symbols of one section, to find which holds an offset."""

    def __init__(self, functions: list[Function]) -> None:
        self.functions = sorted(functions, key=lambda f: f.start)
        self._starts = [f.start for f in self.functions]

    def at(self, where: int) -> Function | None:
        i = bisect.bisect_right(self._starts, where) - 1
        if i >= 0:
            f = self.functions[i]
            if f.start <= where < f.start + max(f.size, 1):
                return f
        return None


def functions(elf: Elf) -> dict[int, list[Function]]:
    """Defined function symbols by section, one per start address.

    Aliases share a start; the Rust-mangled name is kept over others (a
    `#[no_mangle]` alias says less about where the code came from), then
    the first in the table.
    """
    by_start: dict[tuple[int, int], Function] = {}
    for s in elf.symbols:
        if s.type != STT_FUNC or not s.defined or s.shndx >= len(elf.sections):
            continue
        key = (s.shndx, s.value)
        old = by_start.get(key)
        if old is None or (not is_rust(old.name) and is_rust(s.name)):
            by_start[key] = Function(s.name, s.shndx, s.value, s.size)
    out: dict[int, list[Function]] = {}
    for f in by_start.values():
        out.setdefault(f.section, []).append(f)
    return out
