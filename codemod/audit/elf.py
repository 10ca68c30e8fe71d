"""One ELF input read: header checks, sections, symbols, relocations.

pyelftools reads and checks the header and the section table. The symbol and
relocation tables are unpacked here with struct from the section bytes:
pyelftools builds one parsed container per entry, about fifty times slower,
and a vmlinux has hundreds of thousands of them.
"""
from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from codemod.plumbing.errors import PathError

# e_machine names (pyelftools' spelling) -> ours, for the two we disassemble.
MACHINES = {'EM_X86_64': 'x86_64', 'EM_AARCH64': 'aarch64'}
KINDS = {'ET_REL': 'object', 'ET_EXEC': 'image', 'ET_DYN': 'image'}

SHT_SYMTAB = 2
SHT_RELA = 4
SHT_NOBITS = 8
SHT_DYNSYM = 11
SHF_EXECINSTR = 0x4
SHN_UNDEF = 0

STT_FUNC = 2
STT_SECTION = 3

_SYMBOL = struct.Struct('<IBBHQQ')     # Elf64_Sym
_RELA = struct.Struct('<QQq')          # Elf64_Rela

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
        for st_name, st_info, _, shndx, value, size in _SYMBOL.iter_unpack(data):
            end = names.find(b'\0', st_name)
            name = names[st_name:end if end >= 0 else len(names)].decode('ascii', 'backslashreplace')
            out.append(Symbol(name, value, size, st_info & 0xf, st_info >> 4, shndx))
        return out

    def relocation_sections(self) -> list[Section]:
        return [s for s in self.sections if s.type == SHT_RELA]

    def relocations(self, section: Section) -> list[Relocation]:
        data = self.bytes_of(section)
        data = data[:len(data) - len(data) % _RELA.size]
        return [Relocation(off, info & 0xffffffff, info >> 32, addend)
                for off, info, addend in _RELA.iter_unpack(data)]


def _first_problem(label: str, data: bytes) -> str | None:
    """What is wrong with the identification bytes, checked before
    pyelftools so each kind of bad input gets its own plain message."""
    if data[:4] != b'\x7fELF':
        if data[:4] in BITCODE_MAGICS:
            return 'LLVM bitcode, not machine code: audit the object compiled from it'
        if not data:
            return 'empty file, not an ELF object'
        return 'not an ELF file'
    if len(data) < 64:
        return f'truncated ELF file ({len(data)} bytes, shorter than its header)'
    if data[4] == 1:
        return '32-bit ELF is not supported (only 64-bit x86-64 and arm64)'
    if data[4] != 2:
        return f'malformed ELF header (class {data[4]})'
    if data[5] == 2:
        return 'big-endian ELF is not supported (only little-endian x86-64 and arm64)'
    if data[5] != 1:
        return f'malformed ELF header (data encoding {data[5]})'
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', data, 0x3a)
    if shoff + shentsize * shnum > len(data):
        return f'truncated ELF file: its section headers end at byte {shoff + shentsize * shnum}, the file has {len(data)}'
    return None


def parse(label: str, data: bytes) -> Elf:
    """The checked ELF file, or AuditInputError naming what is wrong."""
    problem = _first_problem(label, data)
    if problem:
        raise AuditInputError(label, problem)
    try:
        elf = ELFFile(io.BytesIO(data))
        machine = elf['e_machine']
        kind = KINDS.get(elf['e_type'])
        if kind is None:
            raise AuditInputError(label, f'unsupported ELF type {elf["e_type"]} (objects, executables and shared objects are)')
        if machine not in MACHINES:
            raise AuditInputError(
                label, f'unsupported architecture {str(machine).removeprefix("EM_")} (x86-64 and arm64 are)',
            )
        sections = [
            Section(i, s.name, _number(s['sh_type']), s['sh_flags'], s['sh_addr'], s['sh_offset'],
                    s['sh_size'], s['sh_link'], s['sh_info'])
            for i, s in enumerate(elf.iter_sections())
        ]
    except (ELFError, struct.error, ValueError, UnicodeDecodeError) as e:
        raise AuditInputError(label, f'truncated or malformed ELF file ({e})') from None
    for s in sections:
        if s.type != SHT_NOBITS and s.offset + s.size > len(data):
            raise AuditInputError(
                label, f'truncated ELF file: section {s.name or s.index} ends at byte {s.offset + s.size}, '
                f'the file has {len(data)}',
            )
    return Elf(label, data, kind, MACHINES[machine], sections)


# pyelftools gives section types as names where it knows them.
_SECTION_TYPES = {'SHT_NULL': 0, 'SHT_PROGBITS': 1, 'SHT_SYMTAB': SHT_SYMTAB, 'SHT_STRTAB': 3,
                  'SHT_RELA': SHT_RELA, 'SHT_NOBITS': SHT_NOBITS, 'SHT_DYNSYM': SHT_DYNSYM}


def _number(sh_type: str | int) -> int:
    if isinstance(sh_type, int):
        return sh_type
    return _SECTION_TYPES.get(sh_type, -1)


_SECTION_HEADER = struct.Struct('<IIQQQQIIQQ')


def symbol_names(fp) -> bytes | None:
    """The string table of the symbol table, read from an open file without
    the rest of it (an object with debug info is mostly DWARF): what the
    quick "any Rust symbol?" test of a walk reads. None when the file is not
    a 64-bit little-endian ELF file or its tables do not add up; the caller
    then reads and parses it whole, which says what is wrong."""
    head = fp.read(64)
    if len(head) < 64 or head[:6] != b'\x7fELF\x02\x01':
        return None
    shoff, = struct.unpack_from('<Q', head, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', head, 0x3a)
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
