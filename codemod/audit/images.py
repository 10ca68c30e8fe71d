"""Audit of one linked image (executable, shared object, vmlinux): the
relocations are gone, so the Rust functions are disassembled
(branches.py) for calls and jumps that land on a helper.

A branch lands on a helper by its symbol's address, or on x86-64 through
a pointer slot (GOT) holding it, or through a PLT stub that jumps through
such a slot. Callers are the functions with Rust manglings: in a linked
image they cannot be told from C otherwise, so `#[no_mangle]` Rust
functions are not audited here (their object's audit covers them).
"""
from __future__ import annotations

import struct

from codemod.audit import branches
from codemod.audit.elf import Elf
from codemod.audit.elf import STT_FUNC
from codemod.audit.sites import Audit
from codemod.audit.sites import DISASSEMBLY
from codemod.audit.sites import Site
from codemod.audit.sites import UnusedHelper
from codemod.audit.symbols import functions
from codemod.audit.symbols import is_helper
from codemod.audit.symbols import is_rust

_POINTER = struct.Struct('<Q')
_GOT_SECTIONS = ('.got', '.got.plt')
_PLT_SECTIONS = ('.plt', '.plt.sec', '.plt.got')


def _helpers(elf: Elf) -> dict[int, str]:
    """Address -> helper, from the symbol table (a stripped image: .dynsym)."""
    out = {}
    for s in elf.symbols:
        if s.defined and is_helper(s.name) and s.value:
            out.setdefault(s.value, s.name)
    return out


def _slots(elf: Elf, helpers: dict[int, str]) -> dict[int, str]:
    """x86-64 pointer slots that hold a helper's address: filled by the
    dynamic linker (a relocation against the helper's dynamic symbol), or
    by the static linker (the address written in .got)."""
    slots = {}
    for rela in elf.relocation_sections():
        if rela.link >= len(elf.sections):
            continue
        symbols = elf.symbols_in(elf.sections[rela.link])
        for r in elf.relocations(rela):
            if 0 < r.symbol < len(symbols) and is_helper(symbols[r.symbol].name):
                slots[r.offset] = symbols[r.symbol].name
    for section in elf.sections:
        if section.name in _GOT_SECTIONS:
            data = elf.bytes_of(section)
            for i, (value,) in enumerate(_POINTER.iter_unpack(data[:len(data) & ~7])):
                if value in helpers:
                    slots[section.addr + 8 * i] = helpers[value]
    return slots


def _plt_stubs(elf: Elf, slots: dict[int, str]) -> dict[int, str]:
    """x86-64 PLT entries that jump through a helper's slot: a call to the
    entry is a call to the helper. An entry starts at its jump, or at an
    endbr64 just before it (.plt.sec with IBT)."""
    md = branches.disassembler(elf.machine)
    stubs = {}
    for section in elf.sections:
        if section.name not in _PLT_SECTIONS or not section.executable:
            continue
        previous = None
        for address, size, mnemonic, op in md.disasm_lite(elf.bytes_of(section), section.addr):
            if mnemonic.rpartition(' ')[2] == 'jmp':
                helper = branches.slot_target(address, size, op, slots)
                if helper:
                    start = previous[0] if previous and previous[2] == 'endbr64' else address
                    stubs[start] = helper
            previous = (address, size, mnemonic)
    return stubs


def audit(elf: Elf) -> Audit:
    helpers = _helpers(elf)
    slots: dict[int, str] = {}
    direct = dict(helpers)
    if elf.machine == 'x86_64':
        slots = _slots(elf, helpers)
        direct.update(_plt_stubs(elf, slots))
    targets = branches.Targets(direct, slots)
    sites = []
    rust_functions = 0
    for index, fs in functions(elf).items():
        section = elf.sections[index]
        rust = [f for f in fs if is_rust(f.name)]
        rust_functions += len(rust)
        if section.executable and rust and targets:
            code = branches.Code(elf.bytes_of(section), section.addr)
            for b in branches.scan(elf.machine, code, rust, targets):
                sites.append(Site(elf.label, b.function, b.address - b.function_start, b.helper, b.kind,
                                  DISASSEMBLY))
    called = {s.helper for s in sites}
    unused = sorted({
        (s.name, s.value, s.size) for s in elf.symbols
        if s.defined and s.type == STT_FUNC and is_helper(s.name) and s.name not in called
    })
    return Audit(elf.label, elf.kind, elf.machine, sorted(sites),
                 [UnusedHelper(elf.label, name, value, size) for name, value, size in unused], rust_functions)
