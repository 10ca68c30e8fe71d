"""Disassembly scan: direct calls and jumps to helper addresses (capstone).

Used where no relocation records the call: in linked images, and in objects
for calls the assembler resolved itself (a helper whose bitcode was linked
in and internalized sits in the same section as its caller).

Only functions that can hold such a branch are disassembled. A cheap byte
filter finds them first: on x86-64 every rel32 call/jmp/jcc and every
RIP-relative indirect call/jmp whose encoded target is a helper (or a GOT
slot holding one); functions within a rel8 jump of a helper are always
kept. On arm64 every B/BL/B.cond word is decoded. The filter may keep a
function that calls nothing; capstone then decides. It never drops one that
does: each encoding of a direct branch to a helper matches it.
"""
from __future__ import annotations

import bisect
import functools
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass

import capstone

from codemod.audit.sites import CALL
from codemod.audit.sites import TAIL_CALL


@dataclass(frozen=True)
class Code:
    """Bytes of one executable section and where they are."""
    data: bytes
    base: int                       # address of data[0] (0 in an object)


@dataclass(frozen=True)
class Branch:
    function: str
    address: int                    # of the instruction
    function_start: int
    helper: str
    kind: str                       # CALL or TAIL_CALL


@dataclass(frozen=True)
class Targets:
    """Where a branch must land to be a helper use."""
    direct: dict[int, str]          # address -> helper (symbols, PLT stubs)
    slots: dict[int, str]           # x86-64: pointer slot address -> helper

    def __bool__(self) -> bool:
        return bool(self.direct or self.slots)


# call/jmp rel32, jcc rel32, call/jmp [rip+disp32], call/jmp [disp32]
_X86_CANDIDATES = re.compile(rb'[\xe8\xe9]|\x0f[\x80-\x8f]|\xff[\x15\x25]|\xff[\x14\x24]\x25')
_INT32 = struct.Struct('<i')
_REL8_REACH = 130   # a rel8 jump reaches -128..+127 bytes past its 2-byte instruction


def _x86_candidates(code: Code, targets: Targets) -> Iterable[int]:
    data, base = code.data, code.base
    unpack = _INT32.unpack_from
    direct, slots = targets.direct, targets.slots
    limit = len(data) - 4
    for m in _X86_CANDIDATES.finditer(data):
        p = m.start()
        first = data[p]
        if first == 0xe8 or first == 0xe9:
            if p + 1 <= limit and base + p + 5 + unpack(data, p + 1)[0] in direct:
                yield p
        elif first == 0x0f:
            if p + 2 <= limit and base + p + 6 + unpack(data, p + 2)[0] in direct:
                yield p
        elif data[p + 1] in (0x15, 0x25):
            if p + 2 <= limit and base + p + 6 + unpack(data, p + 2)[0] in slots:
                yield p
        elif p + 3 <= limit and unpack(data, p + 3)[0] & 0xffffffffffffffff in slots:
            yield p


def _arm64_candidates(code: Code, targets: Targets) -> Iterable[int]:
    direct = targets.direct
    base = code.base
    data = code.data[:len(code.data) & ~3]
    for i, (word,) in enumerate(struct.iter_unpack('<I', data)):
        top = word & 0x7c000000
        if top == 0x14000000:               # B, BL: imm26
            offset = (word & 0x3ffffff) << 2
            if offset & 0x8000000:
                offset -= 0x10000000
        elif word & 0xff000010 == 0x54000000:   # B.cond: imm19
            offset = ((word >> 5) & 0x7ffff) << 2
            if offset & 0x100000:
                offset -= 0x200000
        else:
            continue
        if base + 4 * i + offset in direct:
            yield 4 * i


def _near(functions: list, starts: list[int], helpers: dict[int, str]) -> Iterable[int]:
    """x86-64 short jumps cannot be told by their target without decoding:
    every function within rel8 reach of a helper is disassembled."""
    for address in helpers:
        first = max(bisect.bisect_right(starts, address - _REL8_REACH) - 1, 0)
        last = bisect.bisect_left(starts, address + _REL8_REACH)
        for i in range(first, last):
            f = functions[i]
            if address - _REL8_REACH < f.start + max(f.size, 1):
                yield i


@functools.cache
def disassembler(machine: str) -> capstone.Cs:
    if machine == 'x86_64':
        md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
    else:
        md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    # Go on past bytes that are not instructions (data, padding), as objdump does.
    md.skipdata = True
    return md


# A branch target as capstone prints it: hex, but decimal below 10 ('0'),
# with '#' on arm64.
_IMMEDIATE = re.compile(r'#?(0x[0-9a-f]+|[0-9])\Z')
_RIP_SLOT = re.compile(r'qword ptr \[rip ([+-]) (0x[0-9a-f]+|\d+)\]\Z')
_ABS_SLOT = re.compile(r'qword ptr \[(0x[0-9a-f]+)\]\Z')


def _x86_target(address: int, size: int, mnemonic: str, op: str,
                targets: Targets) -> tuple[str, str] | None:
    # capstone puts prefixes in the mnemonic: 'bnd jmp', 'notrack call'.
    mnemonic = mnemonic.rpartition(' ')[2]
    if mnemonic == 'call':
        kind = CALL
    elif mnemonic.startswith('j'):     # jmp, jcc, jrcxz: a (conditional) tail call
        kind = TAIL_CALL
    else:
        return None
    if (m := _IMMEDIATE.match(op)):
        helper = targets.direct.get(int(m.group(1), 0))
    else:
        helper = slot_target(address, size, op, targets.slots)
    return (helper, kind) if helper else None


def slot_target(address: int, size: int, op: str, slots: dict[int, str]) -> str | None:
    """x86-64: the helper whose slot an indirect call or jump reads."""
    if (m := _RIP_SLOT.match(op)):
        disp = int(m.group(2), 0)
        return slots.get(address + size + (disp if m.group(1) == '+' else -disp))
    if (m := _ABS_SLOT.match(op)):
        return slots.get(int(m.group(1), 16))
    return None


def _arm64_target(mnemonic: str, op: str, targets: Targets) -> tuple[str, str] | None:
    if mnemonic == 'bl':
        kind = CALL
    elif mnemonic == 'b' or mnemonic.startswith('b.'):
        kind = TAIL_CALL
    else:
        return None
    m = _IMMEDIATE.match(op)
    if not m:
        return None
    helper = targets.direct.get(int(m.group(1), 0))
    return (helper, kind) if helper else None


def scan(machine: str, code: Code, functions: list, targets: Targets,
         relocated: list[int] = ()) -> list[Branch]:
    """Branches to helpers in `functions` (symbols.Function, all in `code`).

    `relocated`: sorted offsets in `code` that carry a relocation; an
    instruction covering one is the relocation scan's to report.
    """
    if not targets or not functions:
        return []
    x86 = machine == 'x86_64'
    candidates = _x86_candidates(code, targets) if x86 else _arm64_candidates(code, targets)
    functions = sorted(functions, key=lambda f: f.start)
    starts = [f.start for f in functions]
    # What to decode. x86-64: from the function's start (instructions have
    # no fixed width) to past its last candidate (15 bytes at most each),
    # or all of it near a helper. arm64: the candidate words alone.
    reach: dict[int, int] = {}
    words: list[tuple[int, int]] = []
    for p in candidates:
        i = bisect.bisect_right(starts, code.base + p) - 1
        if i >= 0 and code.base + p < functions[i].start + max(functions[i].size, 1):
            if x86:
                reach[i] = max(reach.get(i, 0), code.base + p - functions[i].start + 16)
            else:
                words.append((i, p))
    if x86:
        for i in _near(functions, starts, targets.direct):
            reach[i] = functions[i].size
    md = disassembler(machine)
    pieces = [(functions[i], functions[i].start - code.base, min(n, functions[i].size))
              for i, n in sorted(reach.items())]
    pieces += [(functions[i], p, 4) for i, p in words]
    found = []
    for f, lo, length in pieces:
        for address, size, mnemonic, op in md.disasm_lite(code.data[lo:lo + length], code.base + lo):
            if x86:
                # Most instructions are neither call nor j*: skip them
                # before the call ('bnd jmp' and 'notrack call' hold a space).
                if mnemonic[0] not in 'cj' and ' ' not in mnemonic:
                    continue
                hit = _x86_target(address, size, mnemonic, op, targets)
            else:
                hit = _arm64_target(mnemonic, op, targets)
            if hit is None:
                continue
            if relocated:
                first = address - code.base
                j = bisect.bisect_left(relocated, first)
                if j < len(relocated) and relocated[j] < first + size:
                    continue
            found.append(Branch(f.name, address, f.start, hit[0], hit[1]))
    return found
