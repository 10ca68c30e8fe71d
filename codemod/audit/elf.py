"""One ELF input read: header checks, sections, symbols, relocations.

The ELF definitions (machine, file and relocation types) come from
pyelftools. The tables are unpacked here with struct: pyelftools' ELFFile
builds its parsers for each file it opens and one parsed container per
entry, which cost 2.6 ms of the 2.9 ms an object took (1,000 objects,
bench/audit.py) and scale with a vmlinux's hundreds of thousands of symbols.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property

from elftools.elf.constants import SH_FLAGS
from elftools.elf.enums import ENUM_E_MACHINE
from elftools.elf.enums import ENUM_E_TYPE
from elftools.elf.enums import ENUM_SH_TYPE_BASE
from elftools.elf.enums import ENUM_ST_INFO_TYPE

from codemod.plumbing.errors import PathError

# e_machine -> ours, for the two we disassemble.
MACHINES = {ENUM_E_MACHINE['EM_X86_64']: 'x86_64', ENUM_E_MACHINE['EM_AARCH64']: 'aarch64'}
KINDS = {ENUM_E_TYPE['ET_REL']: 'object', ENUM_E_TYPE['ET_EXEC']: 'image', ENUM_E_TYPE['ET_DYN']: 'image'}
_MACHINE_NAMES = {v: k.removeprefix('EM_') for k, v in ENUM_E_MACHINE.items() if isinstance(v, int)}
_TYPE_NAMES = {v: k for k, v in ENUM_E_TYPE.items() if isinstance(v, int)}

SHT_SYMTAB = ENUM_SH_TYPE_BASE['SHT_SYMTAB']
SHT_RELA = ENUM_SH_TYPE_BASE['SHT_RELA']
SHT_NOBITS = ENUM_SH_TYPE_BASE['SHT_NOBITS']
SHT_DYNSYM = ENUM_SH_TYPE_BASE['SHT_DYNSYM']
SHF_EXECINSTR = SH_FLAGS.SHF_EXECINSTR
SHN_UNDEF = 0

STT_FUNC = ENUM_ST_INFO_TYPE['STT_FUNC']
STT_SECTION = ENUM_ST_INFO_TYPE['STT_SECTION']

_HEADER = struct.Struct('<16sHHIQQQIHHHHHH')    # Elf64_Ehdr
_SECTION_HEADER = struct.Struct('<IIQQQQIIQQ')  # Elf64_Shdr
_SYMBOL = struct.Struct('<IBBHQQ')              # Elf64_Sym
_RELA = struct.Struct('<QQq')                   # Elf64_Rela

BITCODE_MAGICS = (b'BC\xc0\xde', b'\xde\xc0\x17\x0b')


class AuditInputError(PathError):
    """An input that is not a 64-bit little-endian x86-64 or arm64 ELF file."""


@dataclass(frozen=True)
class Section:
    index: int
    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int
    link: int
    info: int

    @property
    def executable(self) -> bool:
        return bool(self.flags & SHF_EXECINSTR)


@dataclass(frozen=True)
class Symbol:
    name: str
    value: int
    size: int
    type: int
    bind: int
    shndx: int

    @property
    def defined(self) -> bool:
        return self.shndx != SHN_UNDEF


@dataclass(frozen=True)
class Relocation:
    offset: int
    type: int
    symbol: int
    addend: int


@dataclass
class Elf:
    label: str            # how findings name it: a path, or archive(member)
    data: bytes
    kind: str             # 'object' (ET_REL) or 'image' (executable, shared object)
    machine: str          # 'x86_64' or 'aarch64'
    sections: list[Section] = field(repr=False)

    def bytes_of(self, section: Section) -> bytes:
        if section.type == SHT_NOBITS:
            return b''
        return self.data[section.offset:section.offset + section.size]

    @cached_property
    def symbol_table(self) -> Section | None:
        """.symtab, else .dynsym (a stripped shared object still has it)."""
        for wanted in (SHT_SYMTAB, SHT_DYNSYM):
            for s in self.sections:
                if s.type == wanted:
                    return s
        return None

    @cached_property
    def symbols(self) -> list[Symbol]:
        table = self.symbol_table
        if table is None:
            return []
        return self.symbols_in(table)

    def symbols_in(self, table: Section) -> list[Symbol]:
        names = self.bytes_of(self.sections[table.link]) if table.link < len(self.sections) else b''
        data = self.bytes_of(table)
        data = data[:len(data) - len(data) % _SYMBOL.size]
        out = []
        extended = None
        for i, (st_name, st_info, _, shndx, value, size) in enumerate(_SYMBOL.iter_unpack(data)):
            end = names.find(b'\0', st_name)
            name = names[st_name:end if end >= 0 else len(names)].decode('ascii', 'backslashreplace')
            if shndx == SHN_XINDEX:
                if extended is None:
                    extended = self._extended_indexes(table)
                shndx = extended[i] if i < len(extended) else shndx
            out.append(Symbol(name, value, size, st_info & 0xf, st_info >> 4, shndx))
        return out

    def _extended_indexes(self, table: Section) -> list[int]:
        """SHT_SYMTAB_SHNDX: the section index of symbols whose st_shndx
        is SHN_XINDEX, in an object of 65,280 sections or more."""
        for s in self.sections:
            if s.type == SHT_SYMTAB_SHNDX and s.link == table.index:
                data = self.bytes_of(s)
                return [v for (v,) in struct.iter_unpack('<I', data[:len(data) & ~3])]
        return []

    def relocation_sections(self) -> list[Section]:
        return [s for s in self.sections if s.type == SHT_RELA]

    def relocations(self, section: Section) -> list[Relocation]:
        return [Relocation(off, info & 0xffffffff, info >> 32, addend)
                for off, info, addend in self.raw_relocations(section)]

    def raw_relocations(self, section: Section):
        """(r_offset, r_info, r_addend) tuples: a Relocation each would cost
        the relocation scan most of its time."""
        data = self.bytes_of(section)
        return _RELA.iter_unpack(data[:len(data) - len(data) % _RELA.size])


def _first_problem(data: bytes) -> str | None:
    """What is wrong with the identification bytes, each kind of bad input
    with its own plain message."""
    if data[:4] != b'\x7fELF':
        if data[:4] in BITCODE_MAGICS:
            return 'LLVM bitcode, not machine code: audit the object compiled from it'
        if not data:
            return 'empty file, not an ELF object'
        return 'not an ELF file'
    if len(data) < 6:
        return f'truncated ELF file ({len(data)} bytes, shorter than its header)'
    if data[4] == 1:
        return '32-bit ELF is not supported (only 64-bit x86-64 and arm64)'
    if data[4] != 2:
        return f'malformed ELF header (class {data[4]})'
    if data[5] == 2:
        return 'big-endian ELF is not supported (only little-endian x86-64 and arm64)'
    if data[5] != 1:
        return f'malformed ELF header (data encoding {data[5]})'
    if len(data) < _HEADER.size:
        return f'truncated ELF file ({len(data)} bytes, shorter than its header)'
    return None


SHN_XINDEX = 0xffff
SHT_SYMTAB_SHNDX = ENUM_SH_TYPE_BASE['SHT_SYMTAB_SHNDX']


def _section_headers(label: str, data: bytes, shoff: int, shentsize: int, shnum: int,
                     shstrndx: int) -> list[Section]:
    if shoff == 0:
        return []
    if shentsize != _SECTION_HEADER.size:
        raise AuditInputError(label, f'malformed ELF file: section header size {shentsize}, not 64')
    if shnum == 0 or shstrndx == SHN_XINDEX:
        # Extended numbering (65,280 sections or more, as in a vmlinux.o
        # built with -ffunction-sections): section 0 holds the real values.
        if shoff + shentsize > len(data):
            raise AuditInputError(label, f'truncated ELF file: its section headers start past its end ({shoff})')
        first = _SECTION_HEADER.unpack_from(data, shoff)
        shnum = shnum or first[5]
        shstrndx = first[6] if shstrndx == SHN_XINDEX else shstrndx
    end = shoff + shentsize * shnum
    if end > len(data):
        raise AuditInputError(label, f'truncated ELF file: its section headers end at byte {end}, the file has {len(data)}')
    raw = list(_SECTION_HEADER.iter_unpack(data[shoff:end]))
    for i, (_, sh_type, _, _, offset, size, *_rest) in enumerate(raw):
        if sh_type != SHT_NOBITS and offset + size > len(data):
            raise AuditInputError(
                label, f'truncated ELF file: section {i} ends at byte {offset + size}, the file has {len(data)}',
            )
    names = b''
    if shstrndx < shnum:
        _, _, _, _, offset, size, *_rest = raw[shstrndx]
        names = data[offset:offset + size]
    sections = []
    for i, (name, sh_type, flags, addr, offset, size, link, info, _, _) in enumerate(raw):
        stop = names.find(b'\0', name)
        text = names[name:stop if stop >= 0 else len(names)].decode('ascii', 'backslashreplace')
        sections.append(Section(i, text, sh_type, flags, addr, offset, size, link, info))
    return sections


def parse(label: str, data: bytes) -> Elf:
    """The checked ELF file, or AuditInputError naming what is wrong."""
    problem = _first_problem(data)
    if problem:
        raise AuditInputError(label, problem)
    (_, e_type, e_machine, _, _, _, shoff, _, _, _, _, shentsize, shnum, shstrndx) = _HEADER.unpack_from(data)
    if e_type not in KINDS:
        raise AuditInputError(
            label, f'unsupported ELF type {_TYPE_NAMES.get(e_type, e_type)} (objects, executables and shared objects are)',
        )
    if e_machine not in MACHINES:
        name = _MACHINE_NAMES.get(e_machine, f'number {e_machine}')
        raise AuditInputError(label, f'unsupported architecture {name} (x86-64 and arm64 are)')
    sections = _section_headers(label, data, shoff, shentsize, shnum, shstrndx)
    return Elf(label, data, KINDS[e_type], MACHINES[e_machine], sections)


def symbol_names(fp) -> bytes | None:
    """The string table of the symbol table, read from an open file without
    the rest of it (an object with debug info is mostly DWARF): what the
    quick "any Rust symbol?" test of a walk reads. None when the file is not
    a 64-bit little-endian ELF file or its tables do not add up; the caller
    then reads and parses it whole, which says what is wrong."""
    head = fp.read(_HEADER.size)
    if len(head) < _HEADER.size or head[:6] != b'\x7fELF\x02\x01':
        return None
    *_, shoff, _, _, _, _, shentsize, shnum, _ = _HEADER.unpack(head)
    if shentsize != _SECTION_HEADER.size or not shnum:
        return None
    fp.seek(shoff)
    table = fp.read(shnum * shentsize)
    if len(table) != shnum * shentsize:
        return None
    headers = list(_SECTION_HEADER.iter_unpack(table))
    for _, sh_type, _, _, _, _, link, _, _, _ in headers:
        if sh_type == SHT_SYMTAB and link < shnum:
            offset, size = headers[link][4], headers[link][5]
            fp.seek(offset)
            names = fp.read(size)
            return names if len(names) == size else None
    return b''
