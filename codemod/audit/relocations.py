"""Relocation scan of a relocatable object (.o, .ko): every relocation in
code against a rust_helper_* symbol is a use the compiler did not inline.

A relocation names the helper's own symbol when the helper is defined
elsewhere (its bitcode was not linked in), and a section symbol plus an
addend when the assembler rewrote a reference to a local helper in another
section; both are resolved to the helper here.
"""
from __future__ import annotations

from dataclasses import dataclass

from codemod.audit.elf import Elf
from codemod.audit.elf import Relocation
from codemod.audit.elf import STT_SECTION
from codemod.audit.sites import ADDRESS
from codemod.audit.sites import CALL
from codemod.audit.sites import TAIL_CALL
from codemod.audit.symbols import is_helper

# x86-64 relocation types
R_X86_64_PC32 = 2
R_X86_64_PLT32 = 4
R_X86_64_GOTPCREL = 9
R_X86_64_GOTPCRELX = 41
R_X86_64_REX_GOTPCRELX = 42
_X86_PC_RELATIVE = {R_X86_64_PC32, R_X86_64_PLT32}
_X86_GOT = {R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX}
# arm64
R_AARCH64_JUMP26 = 282
R_AARCH64_CALL26 = 283


@dataclass(frozen=True)
class HelperUse:
    section: int        # index of the code section holding the use
    offset: int         # of the instruction (of the field, for an address use)
    helper: str
    kind: str           # CALL, TAIL_CALL or ADDRESS
    helper_defined: bool


def classify(machine: str, r: Relocation, code: bytes) -> tuple[str, int]:
    """Call, tail call or address use, from the relocation type and, on
    x86-64, the opcode bytes just before the relocated field; and where the
    instruction starts (the disassembly scan reports instructions), or for
    an address use, the field."""
    at = r.offset
    if machine == 'aarch64':
        return {R_AARCH64_CALL26: CALL, R_AARCH64_JUMP26: TAIL_CALL}.get(r.type, ADDRESS), at
    before1 = code[at - 1] if at >= 1 else -1
    before2 = code[at - 2] if at >= 2 else -1
    if r.type in _X86_PC_RELATIVE:
        if before1 == 0xe8:
            return CALL, at - 1
        if before1 == 0xe9:
            return TAIL_CALL, at - 1
        if before2 == 0x0f and 0x80 <= before1 <= 0x8f:
            return TAIL_CALL, at - 2
    elif r.type in _X86_GOT and before2 == 0xff:
        if before1 == 0x15:
            return CALL, at - 2
        if before1 == 0x25:
            return TAIL_CALL, at - 2
    return ADDRESS, at


def _section_target(machine: str, r: Relocation) -> int:
    """The section offset a section-symbol relocation points at. On x86-64
    a PC-relative field is the last 4 bytes of its instruction, and the
    addend carries the -4 from the field to the next instruction."""
    if machine == 'x86_64' and r.type in _X86_PC_RELATIVE:
        return r.addend + 4
    return r.addend


def helper_uses(elf: Elf) -> list[HelperUse]:
    symbols = elf.symbols
    # (section, offset) -> helper, for section-symbol relocations.
    local = {(s.shndx, s.value): s.name for s in symbols if s.defined and is_helper(s.name)}
    sections_with_helpers = {shndx for shndx, _ in local}
    # Only relocations against these symbols can name a helper.
    wanted = {i for i, s in enumerate(symbols)
              if is_helper(s.name) or (s.type == STT_SECTION and s.shndx in sections_with_helpers)}
    uses = []
    if not wanted:
        return uses
    for rela in elf.relocation_sections():
        if rela.info >= len(elf.sections) or not elf.sections[rela.info].executable:
            continue
        target = elf.sections[rela.info]
        code = None
        for offset, info, addend in elf.raw_relocations(rela):
            index = info >> 32
            if index not in wanted:
                continue
            r = Relocation(offset, info & 0xffffffff, index, addend)
            s = symbols[index]
            if is_helper(s.name):
                helper, defined = s.name, s.defined
            else:
                helper = local.get((s.shndx, _section_target(elf.machine, r)))
                defined = True
            if helper:
                if code is None:
                    code = elf.bytes_of(target)
                kind, where = classify(elf.machine, r, code)
                uses.append(HelperUse(target.index, where, helper, kind, defined))
    return uses


def relocated_offsets(elf: Elf, sections: set[int]) -> dict[int, list[int]]:
    """Section index -> sorted offsets carrying any relocation, for these
    code sections."""
    out: dict[int, list[int]] = {}
    for rela in elf.relocation_sections():
        if rela.info in sections:
            out.setdefault(rela.info, []).extend(off for off, _, _ in elf.raw_relocations(rela))
    return {k: sorted(v) for k, v in out.items()}
