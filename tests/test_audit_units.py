"""The audit's pure stages on hand-made bytes: the branch scan's byte
filter against a full disassembly, ar archives, manglings, the join."""
from __future__ import annotations

import re
import struct

import capstone
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from codemod.audit import archive
from codemod.audit import branches
from codemod.audit.elf import AuditInputError
from codemod.audit.source import _pattern
from codemod.audit.symbols import Function
from codemod.audit.symbols import is_rust

BASE = 0x1000
HELPERS = {BASE + 0x40: 'rust_helper_a', BASE + 0x400: 'rust_helper_b'}
SLOTS = {0x9000: 'rust_helper_a'}

# x86-64 pieces: filler, and branches whose target is filled in at their
# address (rel32/rel8 call, jmp, jcc; call/jmp through a RIP-relative slot).
_FILLER = [b'\x90', b'\xb8\x01\x02\x03\x04', b'\x48\x89\xc7', b'\x0f\x1f\x44\x00\x00', b'\xc3',
           b'\xe8\x00\x00\x00\x00', b'\x74\x02', b'\xff\x15\x00\x00\x00\x00']
_BRANCHES = ['call', 'jmp32', 'jcc32', 'jmp8', 'jcc8', 'call_slot', 'jmp_slot']


def _branch(kind: str, at: int, target: int) -> bytes | None:
    if kind == 'call':
        return b'\xe8' + struct.pack('<i', target - (at + 5))
    if kind == 'jmp32':
        return b'\xe9' + struct.pack('<i', target - (at + 5))
    if kind == 'jcc32':
        return b'\x0f\x85' + struct.pack('<i', target - (at + 6))
    if kind in ('jmp8', 'jcc8'):
        rel = target - (at + 2)
        return (b'\xeb' if kind == 'jmp8' else b'\x75') + struct.pack('<b', rel) if -128 <= rel < 128 else None
    slot = next(iter(SLOTS))
    return (b'\xff\x15' if kind == 'call_slot' else b'\xff\x25') + struct.pack('<i', slot - (at + 6))


@st.composite
def x86_code(draw):
    """Code from BASE to past the last helper, cut into functions."""
    data = bytearray()
    functions = []
    start = 0
    while len(data) < 0x480:
        at = BASE + len(data)
        if at in HELPERS or (at < max(HELPERS) + 16 and any(at < h < at + 8 for h in HELPERS)):
            # Put each helper exactly at its address: pad up to it.
            pad = min((h for h in HELPERS if h >= at), default=at) - at
            if pad:
                data += b'\x90' * pad
                continue
            functions.append((start, len(data) - start))
            data += b'\xc3' * 16
            start = len(data)
            continue
        if draw(st.integers(0, 3)) == 0:
            piece = _branch(draw(st.sampled_from(_BRANCHES)), at, draw(st.sampled_from(sorted(HELPERS))))
            if piece is None:
                continue
        else:
            piece = draw(st.sampled_from(_FILLER))
        data += piece
        if draw(st.integers(0, 12)) == 0:
            functions.append((start, len(data) - start))
            start = len(data)
    functions.append((start, len(data) - start))
    return bytes(data), [Function(f'f{i}', 1, BASE + s, n) for i, (s, n) in enumerate(functions) if n]


def _brute_x86(data: bytes, functions: list[Function]) -> set[tuple[str, int, str]]:
    """Every function disassembled whole, no filter."""
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
    md.skipdata = True
    found = set()
    for f in functions:
        lo = f.start - BASE
        for address, size, mnemonic, op in md.disasm_lite(data[lo:lo + f.size], f.start):
            if mnemonic != 'call' and not mnemonic.startswith('j'):
                continue
            m = re.fullmatch(r'qword ptr \[rip \+ (0x[0-9a-f]+|\d+)\]', op)
            if m:
                helper = SLOTS.get(address + size + int(m.group(1), 0))
            else:
                try:
                    helper = HELPERS.get(int(op, 0))
                except ValueError:
                    helper = None
            if helper:
                found.add((f.name, address, helper))
    return found


@settings(max_examples=120, deadline=None)
@given(x86_code())
def test_x86_filter_keeps_every_function_that_branches_to_a_helper(code) -> None:
    data, functions = code
    got = branches.scan('x86_64', branches.Code(data, BASE), functions, branches.Targets(HELPERS, SLOTS))
    assert {(b.function, b.address, b.helper) for b in got} == _brute_x86(data, functions)


@st.composite
def arm64_code(draw):
    words = []
    for i in range(0x480 // 4):
        at = BASE + 4 * i
        choice = draw(st.integers(0, 5))
        target = draw(st.sampled_from(sorted(HELPERS)))
        imm = (target - at) >> 2
        if choice == 0:
            words.append(0x94000000 | (imm & 0x3ffffff))           # bl
        elif choice == 1:
            words.append(0x14000000 | (imm & 0x3ffffff))           # b
        elif choice == 2:
            words.append(0x54000001 | ((imm & 0x7ffff) << 5))      # b.ne
        else:
            words.append(draw(st.sampled_from([0xd503201f, 0x8b010000, 0xd65f03c0, 0x94000000])))
    data = struct.pack(f'<{len(words)}I', *words)
    cuts = sorted(set(draw(st.lists(st.integers(1, len(words) - 1), max_size=12))))
    bounds = [0, *cuts, len(words)]
    functions = [Function(f'f{i}', 1, BASE + 4 * a, 4 * (b - a)) for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    return data, functions


@settings(max_examples=80, deadline=None)
@given(arm64_code())
def test_arm64_scan_finds_every_branch_to_a_helper(code) -> None:
    data, functions = code
    got = branches.scan('aarch64', branches.Code(data, BASE), functions, branches.Targets(HELPERS, {}))
    expected = set()
    for i in range(len(data) // 4):
        word, = struct.unpack_from('<I', data, 4 * i)
        at = BASE + 4 * i
        if word & 0x7c000000 == 0x14000000:
            off = (word & 0x3ffffff) << 2
            target = at + (off - (1 << 28) if off & (1 << 27) else off)
        elif word & 0xff000010 == 0x54000000:
            off = ((word >> 5) & 0x7ffff) << 2
            target = at + (off - (1 << 21) if off & (1 << 20) else off)
        else:
            continue
        if target in HELPERS:
            f = next(f for f in functions if f.start <= at < f.start + f.size)
            expected.add((f.name, at, HELPERS[target]))
    assert {(b.function, b.address, b.helper) for b in got} == expected


def test_a_helper_at_offset_0_is_found() -> None:
    """capstone prints targets below 10 in decimal ('0'): a helper at the
    start of an object's .text (found by the benchmark's oracle)."""
    code = b'\xc3' * 16 + b'\xe9' + struct.pack('<i', -(16 + 5))
    got = branches.scan('x86_64', branches.Code(code, 0), [Function('f', 1, 16, 5)],
                        branches.Targets({0: 'rust_helper_a'}, {}))
    assert [(b.function, b.address, b.kind) for b in got] == [('f', 16, 'tail call')]


def test_relocated_instructions_are_left_to_the_relocation_scan() -> None:
    code = b'\xe8' + struct.pack('<i', 0x40 - 5) + b'\xc3' * 0x40
    targets = branches.Targets({0x40: 'rust_helper_a'}, {})
    fn = [Function('f', 1, 0, 6)]
    assert len(branches.scan('x86_64', branches.Code(code, 0), fn, targets)) == 1
    assert branches.scan('x86_64', branches.Code(code, 0), fn, targets, relocated=[1]) == []


# --- ar archives ----------------------------------------------------------------

def _member(name: bytes, data: bytes) -> bytes:
    header = name.ljust(16) + b'0'.ljust(12) + b'0'.ljust(6) + b'0'.ljust(6) + b'644'.ljust(8) \
        + str(len(data)).encode().ljust(10) + b'`\n'
    return header + data + (b'\n' if len(data) % 2 else b'')


def test_archive_names_short_long_and_bsd() -> None:
    long_name = b'a_rather_long_object_name.o'
    table = long_name + b'/\n'
    data = (archive.MAGIC + _member(b'/', b'\0\0\0\0') + _member(b'//', table)
            + _member(b'short.o/', b'ONE') + _member(b'/0', b'TWO!') + _member(b'#1/8', b'bsd.o\0\0\0THREE'))
    got = [(m.name, m.data) for m in archive.members('lib.a', data)]
    assert got == [('short.o', b'ONE'), (long_name.decode(), b'TWO!'), ('bsd.o', b'THREE')]


def test_thin_archive_members_are_paths() -> None:
    header = b'sub/x.o/'.ljust(16) + b'0'.ljust(12) + b'0'.ljust(6) + b'0'.ljust(6) + b'644'.ljust(8) \
        + b'1234'.ljust(10) + b'`\n'
    got = archive.members('built-in.a', archive.THIN_MAGIC + header, '/build/drivers')
    assert [(m.name, m.data, m.path) for m in got] == [('sub/x.o', None, '/build/drivers/sub/x.o')]


def test_malformed_archive_header() -> None:
    with pytest.raises(AuditInputError, match='malformed ar archive'):
        archive.members('lib.a', archive.MAGIC + b'x' * 60)


# --- names ------------------------------------------------------------------------

@pytest.mark.parametrize(('name', 'rust'), [
    pytest.param('_RNvNtCs1234_6kernel4sync5clone', True, id='v0'),
    pytest.param('_ZN6kernel4sync3Arc5clone17h0123456789abcdefE', True, id='legacy'),
    pytest.param('_ZN6kernel4sync3Arc5clone17h0123456789abcdefE.llvm.42', True, id='legacy-llvm-suffix'),
    pytest.param('_ZN6kernel4sync5cloneE', False, id='c++-no-hash'),
    pytest.param('rust_helper_refcount_inc', False, id='helper'),
    pytest.param('_RAW_READ', False, id='c-name-with-_R'),
])
def test_is_rust(name: str, rust: bool) -> None:
    assert is_rust(name) is rust


@pytest.mark.parametrize(('written', 'symbol', 'matches'), [
    pytest.param('rust_helper_##name', 'rust_helper_frob', True, id='whole'),
    pytest.param('rust_helper_get_##field', 'rust_helper_get_flags', True, id='suffix'),
    pytest.param('rust_helper_get_##field', 'rust_helper_set_flags', False, id='other-prefix'),
    pytest.param('rust_helper_##op##_relaxed', 'rust_helper_inc_relaxed', True, id='middle'),
])
def test_pasted_helper_names_match_their_symbols(written: str, symbol: str, matches: bool) -> None:
    assert bool(_pattern(written).match(symbol)) is matches
