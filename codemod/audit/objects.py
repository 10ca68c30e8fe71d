"""Audit of one relocatable object: the relocation scan, then the
disassembly of sections that define a helper themselves (a call from the
same section to an internalized helper needs no relocation).

Every function of the object that is not a helper counts as a caller: an
object holding Rust code holds Rust functions, `#[no_mangle]` ones included,
and the helpers' own C; C code does not call rust_helper_* functions.
"""
from __future__ import annotations

from codemod.audit import branches
from codemod.audit import relocations
from codemod.audit.elf import Elf
from codemod.audit.sites import Audit
from codemod.audit.sites import DISASSEMBLY
from codemod.audit.sites import RELOCATION
from codemod.audit.sites import Site
from codemod.audit.symbols import FunctionIndex
from codemod.audit.symbols import functions
from codemod.audit.symbols import is_helper
from codemod.audit.symbols import is_rust


def audit(elf: Elf) -> Audit:
    by_section = functions(elf)
    callers = {i: [f for f in fs if not is_helper(f.name)] for i, fs in by_section.items()}
    sites = []
    indexes: dict[int, FunctionIndex] = {}
    for use in relocations.helper_uses(elf):
        index = indexes.get(use.section)
        if index is None:
            index = indexes[use.section] = FunctionIndex(by_section.get(use.section, []))
        f = index.at(use.offset)
        if f is not None and is_helper(f.name):
            continue    # one helper using another is C calling C
        if f is None:
            function, offset = elf.sections[use.section].name, use.offset
        else:
            function, offset = f.name, use.offset - f.start
        sites.append(Site(elf.label, function, offset, use.helper, use.kind, RELOCATION, use.helper_defined))

    helpers_by_section: dict[int, dict[int, str]] = {}
    for s in elf.symbols:
        if s.defined and is_helper(s.name) and s.shndx < len(elf.sections):
            helpers_by_section.setdefault(s.shndx, {})[s.value] = s.name
    relocated = relocations.relocated_offsets(elf, set(helpers_by_section)) if helpers_by_section else {}
    for index, helpers in helpers_by_section.items():
        section = elf.sections[index]
        if not section.executable or not callers.get(index):
            continue
        code = branches.Code(elf.bytes_of(section), 0)
        targets = branches.Targets(helpers, {})
        for b in branches.scan(elf.machine, code, callers[index], targets, relocated.get(index, [])):
            sites.append(Site(elf.label, b.function, b.address - b.function_start, b.helper, b.kind,
                              DISASSEMBLY, True))
    rust = sum(1 for fs in by_section.values() for f in fs if is_rust(f.name))
    return Audit(elf.label, elf.kind, elf.machine, sorted(sites), [], rust)
