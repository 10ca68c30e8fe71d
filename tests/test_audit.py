"""rust-helpers audit on a real miniature of the kernel's inline-helpers
build (tests/audit/build.py), compiled at test time with Debian's clang-14,
llvm-link-14 and rustc (both on LLVM 14). A missing or mismatched
toolchain fails these tests; it never skips them.
"""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from codemod.cli import main
from tests.audit import build
from tests.audit.objdump_oracle import helper_sites

REFCOUNT_C = 'rust/helpers/refcount.c'
INC = 'rust_helper_refcount_inc'
CLONE_N = '<mini::sync::Arc<u32>>::clone_n'     # v0 names the instance
GET = 'mini::sync::get'


@pytest.fixture(scope='session')
def toolchain() -> build.Toolchain:
    try:
        return build.find_toolchain()
    except build.ToolchainError as e:
        pytest.fail(f'the miniature build needs Debian\'s toolchain: {e}', pytrace=False)


@pytest.fixture(scope='session')
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture tree as it is (no __rust_helper), and annotated by our
    own `annotate`."""
    base = tmp_path_factory.mktemp('trees')
    plain = build.copy_tree(base / 'plain')
    annotated = build.copy_tree(base / 'annotated')
    assert main(['annotate', '--tree', str(annotated)]) == 1
    assert b'__rust_helper void rust_helper_refcount_inc' in (annotated / REFCOUNT_C).read_bytes()
    return {'plain': plain, 'annotated': annotated}


@pytest.fixture(scope='session')
def built(toolchain: build.Toolchain, trees: dict[str, Path],
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp('built')
    tc = toolchain
    b = {}
    b['unannotated'] = build.inline_helpers_object(tc, trees['plain'], out / 'unannotated', null_checks=True)
    b['unannotated-legacy'] = build.inline_helpers_object(
        tc, trees['plain'], out / 'legacy', null_checks=True, mangling='legacy')
    b['unannotated-same-flags'] = build.inline_helpers_object(
        tc, trees['plain'], out / 'same-flags', null_checks=False)
    b['annotated'] = build.inline_helpers_object(tc, trees['annotated'], out / 'annotated', null_checks=True)
    b['rust-only'], b['helpers'] = build.separate_objects(tc, trees['annotated'], out / 'separate')
    b['unannotated.so'] = build.link_shared(tc, [b['unannotated']], out / 'unannotated.so')
    b['separate.elf'] = build.link_executable(tc, [b['rust-only'], b['helpers']], out / 'separate.elf')
    b['separate.so'] = build.link_shared(tc, [b['rust-only'], b['helpers']], out / 'separate.so')
    return b


def audit(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main(['audit', *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def sites_of(capsys: pytest.CaptureFixture[str], path: Path) -> set[tuple[str, int, str]]:
    code, out, _ = audit(capsys, path, '--format', 'json')
    assert code in (0, 1)
    return {(f['symbol'], f['offset'], f['helper']) for f in json.loads(out)['findings']}


def test_toolchain_is_one_llvm_major(toolchain: build.Toolchain) -> None:
    assert toolchain.llvm_major == 14
    assert toolchain.rustc == '/usr/bin/rustc'


# --- objects -----------------------------------------------------------------

def test_annotated_and_inlined_exits_0(capsys, built, trees) -> None:
    obj = built['annotated']
    assert helper_sites(obj) == set()       # objdump agrees: no call left
    code, out, err = audit(capsys, obj, '--tree', trees['annotated'])
    assert code == 0
    assert out == ''
    assert err == 'no call to a helper left in 1 file audited\n'


def test_unannotated_helper_built_with_other_flags_is_found_and_joined(capsys, built, trees) -> None:
    obj = built['unannotated']
    code, out, err = audit(capsys, obj, '--tree', trees['plain'])
    assert code == 1
    lines = out.splitlines()
    why = f'{REFCOUNT_C}:5:1 lacks __rust_helper (rust-helpers check reports it) [not-inlined]'
    assert lines[0].startswith(f'{obj}: {CLONE_N}+0x')
    assert lines[0].endswith(f': call to {INC} was not inlined: {why}')
    assert lines[1] == f'{obj}: {GET}+0x0: tail call to {INC} was not inlined: {why}'
    assert lines[2:] == ['', 'helper                    calls left  annotated',
                         f'{INC}           2  no ({REFCOUNT_C}:5:1)']
    assert err.startswith('2 call sites left to 1 helper in 1 of 1 file audited')
    # The finding it points at is check's.
    assert main(['check', '--tree', str(trees['plain'])]) == 1
    check_out, _ = capsys.readouterr()
    assert f'{REFCOUNT_C}:5:1: error: {INC} is missing __rust_helper [missing-annotation]' in check_out.splitlines()


def test_object_sites_agree_with_objdump(capsys, built) -> None:
    """Same-section calls to the internalized helper (no relocation), and
    relocations against the undefined helper (bitcode not linked)."""
    for name in ('unannotated', 'rust-only'):
        expected = helper_sites(built[name])
        assert len(expected) == 2
        assert sites_of(capsys, built[name]) == expected


def test_unannotated_but_same_flags_is_inlined_anyway(capsys, built, trees) -> None:
    """Without -fno-delete-null-pointer-checks LLVM inlines the small
    helper on its own: the flag is what makes the annotation necessary."""
    code, out, _ = audit(capsys, built['unannotated-same-flags'], '--tree', trees['plain'])
    assert (code, out) == (0, '')


def test_legacy_mangling_is_demangled(capsys, built) -> None:
    code, out, _ = audit(capsys, built['unannotated-legacy'])
    assert code == 1
    assert ': mini::sync::Arc<T>::clone_n+0x' in out
    assert f': mini::sync::get+0x0: tail call to {INC} was not inlined [not-inlined]' in out


def test_bitcode_not_linked_is_found_with_its_cause(capsys, built, trees) -> None:
    obj = built['rust-only']
    code, out, _ = audit(capsys, obj, '--tree', trees['annotated'])
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(f': call to {INC} was not inlined although it has __rust_helper ({REFCOUNT_C}:5:1) [not-inlined]')
    assert lines[2] == (
        f'{REFCOUNT_C}:5:1: note: {INC} has __rust_helper but 2 call sites are left; likely cause: '
        'its bitcode was not linked into the Rust object (inline helpers off in this build, '
        'e.g. clang and rustc on different LLVM majors) [annotated-not-inlined]'
    )
    assert lines[-1] == f'{INC}           2  yes ({REFCOUNT_C}:5:1)'


def test_annotation_that_does_not_expand_names_the_other_causes(capsys, toolchain, trees, tmp_path) -> None:
    """__rust_helper defined empty (as for bindgen) in the real build: the
    bitcode is linked, the helper is annotated, and the call survives."""
    tree = build.copy_tree(tmp_path / 'tree')
    shutil.copy(trees['annotated'] / REFCOUNT_C, tree / REFCOUNT_C)
    helpers_c = tree / 'rust/helpers/helpers.c'
    helpers_c.write_text(helpers_c.read_text().replace('#ifdef __BINDGEN__', '#if 1'))
    obj = build.inline_helpers_object(toolchain, tree, tmp_path / 'out', null_checks=True)
    code, out, _ = audit(capsys, obj, '--tree', tree)
    assert code == 1
    assert ('likely cause: its bitcode was linked in but LLVM did not inline it: __rust_helper may not expand '
            'to __always_inline in this build') in out


# --- linked images -------------------------------------------------------------

@pytest.mark.parametrize(('image', 'obj'), [
    pytest.param('unannotated.so', 'unannotated', id='bitcode-linked-shared-object'),
    pytest.param('separate.elf', 'rust-only', id='static-executable'),
    pytest.param('separate.so', 'rust-only', id='shared-object-through-plt'),
])
def test_image_gives_the_findings_of_its_object(capsys, built, image, obj) -> None:
    from_image = sites_of(capsys, built[image])
    assert len(from_image) == 2
    assert from_image == sites_of(capsys, built[obj])
    assert from_image == helper_sites(built[image])
    code, out, _ = audit(capsys, built[image], '--format', 'json')
    found_by = {f['found_by'] for f in json.loads(out)['findings']}
    assert found_by == {'disassembly'}


def test_image_reports_helpers_nobody_calls_as_information(capsys, built) -> None:
    code, out, err = audit(capsys, built['separate.elf'])
    assert code == 1        # the two calls; the unused helper alone would not fail
    note = [line for line in out.splitlines() if '[unused-helper]' in line]
    assert len(note) == 1
    assert note[0].startswith(f'{built["separate.elf"]}: note: rust_helper_refcount_read is in the image '
                              'but no Rust code calls it (dead weight, ')
    assert err.splitlines()[0].endswith('; 1 helper in images with no callers')


def test_inlined_image_is_clean(capsys, toolchain, built, tmp_path) -> None:
    image = build.link_shared(toolchain, [built['annotated']], tmp_path / 'annotated.so')
    code, out, _ = audit(capsys, image)
    assert (code, out) == (0, '')


# --- PATH forms -------------------------------------------------------------------

@pytest.mark.parametrize('thin', [pytest.param(False, id='archive'), pytest.param(True, id='thin-archive')])
def test_archive_members(capsys, toolchain, built, tmp_path, thin) -> None:
    shutil.copy(built['rust-only'], tmp_path / 'mini.o')
    shutil.copy(built['helpers'], tmp_path / 'helpers.o')
    lib = build.archive(toolchain, ['mini.o', 'helpers.o'], tmp_path / 'built-in.a', thin=thin)
    code, out, err = audit(capsys, lib, '--format', 'json')
    assert code == 1
    report = json.loads(out)
    assert {f['input'] for f in report['findings']} == {f'{lib}(mini.o)'}
    assert report['audited'] == 2           # named: helpers.o is audited too (no calls)


def test_directory_audits_the_objects_with_rust_symbols(capsys, built, tmp_path) -> None:
    folder = tmp_path / 'out'
    (folder / 'sub').mkdir(parents=True)
    shutil.copy(built['rust-only'], folder / 'sub' / 'mini.o')
    shutil.copy(built['helpers'], folder / 'helpers.o')
    (folder / 'notes.txt').write_text('not an object\n')
    code, out, err = audit(capsys, folder)
    assert code == 1
    assert out.startswith(f'{folder}/sub/mini.o: {CLONE_N}+0x')
    assert err.splitlines()[0].endswith('in 1 of 1 file audited, 1 without Rust symbols skipped')


def test_no_path_audits_the_trees_build_output(capsys, built, trees, tmp_path) -> None:
    """rust/ objects always; elsewhere only those with Rust symbols."""
    tree = tmp_path / 'tree'
    shutil.copytree(trees['plain'], tree)
    shutil.copy(built['unannotated'], tree / 'rust' / 'mini.o')
    shutil.copy(built['helpers'], tree / 'rust' / 'helpers' / 'helpers.o')
    (tree / 'drivers').mkdir()
    shutil.copy(built['rust-only'], tree / 'drivers' / 'rust_driver.o')
    shutil.copy(built['helpers'], tree / 'drivers' / 'c_driver.o')
    shutil.copy(built['unannotated'], tree / 'vmlinux.o')       # the aggregate: skipped
    code, out, err = audit(capsys, '--tree', tree, '--format', 'json')
    assert code == 1
    report = json.loads(out)
    assert report['audited'] == 3
    assert {f['input'] for f in report['findings']} == {'rust/mini.o', 'drivers/rust_driver.o'}
    assert err.splitlines()[0].endswith('1 without Rust symbols skipped')


def test_no_path_in_an_unbuilt_tree_is_an_error(capsys, trees) -> None:
    code, out, err = audit(capsys, '--tree', trees['plain'])
    assert code == 2
    assert err == f'{trees["plain"]}: error: no *.o files in the tree: build it first, or name the build output (PATH)\n'


# --- formats --------------------------------------------------------------------

def test_json_format(capsys, built, trees) -> None:
    code, out, _ = audit(capsys, built['unannotated'], '--tree', trees['plain'], '--format', 'json')
    report = json.loads(out)
    first = report['findings'][0]
    assert first['function'] == CLONE_N
    assert first['symbol'].startswith('_RNv')
    assert (first['kind'], first['found_by'], first['helper_linked'], first['rule']) == (
        'call', 'disassembly', True, 'not-inlined')
    assert first['source'] == {'path': REFCOUNT_C, 'line': 5, 'column': 1, 'annotated': False,
                               'macro': None, 'generator': None}
    assert report['helpers'] == [{'helper': INC, 'calls': 2, 'source': first['source'], 'likely_cause': None}]


def test_github_format_annotates_the_helpers_source(capsys, built, trees) -> None:
    code, out, _ = audit(capsys, built['unannotated'], '--tree', trees['plain'], '--format', 'github')
    lines = out.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f'::error file={REFCOUNT_C},line=5,col=1,title=not-inlined::') for line in lines)
    assert lines[1].endswith(f'::{built["unannotated"]}: {GET}+0x0: tail call to {INC} was not inlined: '
                             f'{REFCOUNT_C}:5:1 lacks __rust_helper (rust-helpers check reports it)')


# --- arm64 ------------------------------------------------------------------------

ARM64 = Path(__file__).resolve().parent / 'audit' / 'arm64'


def test_arm64_object_and_image(capsys, toolchain, tmp_path) -> None:
    objs = []
    for name in ('callers', 'helper'):
        obj = tmp_path / f'{name}.o'
        subprocess.run([toolchain.clang, '--target=aarch64-linux-gnu', '-O2', '-c', str(ARM64 / f'{name}.c'),
                        '-o', str(obj)], check=True)
        objs.append(obj)
    image = tmp_path / 'image'
    lld = shutil.which('ld.lld-14')
    assert lld, 'ld.lld-14 not found (apt-get install lld-14)'
    subprocess.run([lld, '-static', '-o', str(image), *map(str, objs)], check=True, capture_output=True)
    from_object = sites_of(capsys, objs[0])
    assert from_object == sites_of(capsys, image) == helper_sites(image) == helper_sites(objs[0])
    assert {(s[0], s[2]) for s in from_object} == {
        ('_RNvNtCs1a2b3c_4mini4sync7clone_n', INC), ('_RNvNtCs1a2b3c_4mini4sync3get', INC)}
    code, out, _ = audit(capsys, objs[0])
    assert f'{objs[0]}: mini::sync::get+0x0: tail call to {INC} was not inlined [not-inlined]' in out


# --- bad inputs ---------------------------------------------------------------------

def _compile(toolchain, tmp_path: Path, target: str) -> Path:
    out = tmp_path / f'{target}.o'
    subprocess.run([toolchain.clang, f'--target={target}', '-c', str(ARM64 / 'helper.c'), '-o', str(out)],
                   check=True)
    return out


@pytest.mark.parametrize(('make', 'message'), [
    pytest.param(lambda tc, d, b: _write(d / 'notes.o', b'just text\n'), 'not an ELF file', id='text'),
    pytest.param(lambda tc, d, b: _write(d / 'empty.o', b''), 'empty file, not an ELF object', id='empty'),
    pytest.param(lambda tc, d, b: _write(d / 'cut.o', b['rust-only'].read_bytes()[:40]),
                 'truncated ELF file (40 bytes, shorter than its header)', id='truncated-header'),
    pytest.param(lambda tc, d, b: _write(d / 'half.o', b['rust-only'].read_bytes()[:700]),
                 'truncated ELF file: its section headers end at byte ', id='truncated'),
    pytest.param(lambda tc, d, b: _compile(tc, d, 'i386-linux-gnu'),
                 '32-bit ELF is not supported (only 64-bit x86-64 and arm64)', id='32-bit'),
    pytest.param(lambda tc, d, b: _compile(tc, d, 'aarch64_be-linux-gnu'),
                 'big-endian ELF is not supported (only little-endian x86-64 and arm64)', id='big-endian'),
    pytest.param(lambda tc, d, b: _compile(tc, d, 'riscv64-linux-gnu'),
                 'unsupported architecture RISCV (x86-64 and arm64 are)', id='riscv'),
    pytest.param(lambda tc, d, b: b['unannotated'].parent / 'mini.bc',
                 'LLVM bitcode, not machine code: audit the object compiled from it', id='bitcode'),
    pytest.param(lambda tc, d, b: d / 'missing.o', 'no such file or directory', id='missing'),
    pytest.param(lambda tc, d, b: (d / 'empty-dir').mkdir() or d / 'empty-dir',
                 'no *.o files under this directory', id='empty-directory'),
    pytest.param(lambda tc, d, b: _write(d / 'bad.a', b'!<arch>\nmini.o/         0           0     0     644     99999     `\n'),
                 'truncated ar archive: member at byte 8 needs 99999 bytes', id='truncated-archive'),
])
def test_bad_input_is_one_line_and_exit_2(capsys, toolchain, built, tmp_path, make, message) -> None:
    path = make(toolchain, tmp_path, built)
    code, out, err = audit(capsys, path)
    assert code == 2
    assert out == ''
    assert err.count('\n') == 1
    assert err.startswith(f'{path}: error: {message}')


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bad_input_through_the_console_script_has_no_traceback(tmp_path) -> None:
    bad = _write(tmp_path / 'x.o', b'\x7fELF\x02\x01\x01' + b'\0' * 9 + b'\xff' * 60)
    proc = subprocess.run([sys.executable, '-m', 'codemod', 'audit', str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert 'Traceback' not in proc.stderr
    assert proc.stderr.startswith(f'{bad}: error: ')


def _extended_numbering(data: bytes) -> bytes:
    """The same object with its section count and name-table index moved
    into section 0, as an object of 65,280 sections or more has them."""
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shnum, shstrndx = struct.unpack_from('<HH', data, 0x3c)
    out = bytearray(data)
    struct.pack_into('<HH', out, 0x3c, 0, 0xffff)
    struct.pack_into('<Q', out, shoff + 0x20, shnum)        # section 0's sh_size
    struct.pack_into('<I', out, shoff + 0x28, shstrndx)     # section 0's sh_link
    return bytes(out)


def test_extended_section_numbering(capsys, built, tmp_path) -> None:
    obj = tmp_path / 'many-sections.o'
    obj.write_bytes(_extended_numbering(built['rust-only'].read_bytes()))
    assert sites_of(capsys, obj) == sites_of(capsys, built['rust-only'])
    assert len(sites_of(capsys, obj)) == 2


def _symbol_in_extended_table(data: bytes, name: bytes) -> bytes:
    """The same object with one symbol's section index moved to an
    SHT_SYMTAB_SHNDX table (st_shndx = SHN_XINDEX), as in an object of
    65,280 sections or more."""
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shnum, = struct.unpack_from('<H', data, 0x3c)
    headers = [list(struct.unpack_from('<IIQQQQIIQQ', data, shoff + 64 * i)) for i in range(shnum)]
    symtab = next(i for i, h in enumerate(headers) if h[1] == 2)
    strtab = headers[headers[symtab][6]]
    names = data[strtab[4]:strtab[4] + strtab[5]]
    out = bytearray(data)
    count = headers[symtab][5] // 24
    table = [0] * count
    for i in range(count):
        at = headers[symtab][4] + 24 * i
        st_name, = struct.unpack_from('<I', data, at)
        if names[st_name:names.index(b'\0', st_name)] == name:
            table[i], = struct.unpack_from('<H', data, at + 6)
            struct.pack_into('<H', out, at + 6, 0xffff)
    assert any(table)
    out += b'\0' * (-len(out) % 8)
    table_at = len(out)
    out += struct.pack(f'<{count}I', *table)
    out += b'\0' * (-len(out) % 8)
    new_shoff = len(out)
    headers.append([0, 18, 0, 0, table_at, 4 * count, symtab, 0, 4, 4])
    for h in headers:
        out += struct.pack('<IIQQQQIIQQ', *h)
    struct.pack_into('<Q', out, 0x28, new_shoff)
    struct.pack_into('<H', out, 0x3c, shnum + 1)
    return bytes(out)


def test_symbol_section_index_in_the_extended_table(capsys, built, tmp_path) -> None:
    original = built['unannotated']     # the callers' and helper's section matters here
    obj = tmp_path / 'xindex.o'
    obj.write_bytes(_symbol_in_extended_table(original.read_bytes(), b'rust_helper_refcount_inc'))
    assert sites_of(capsys, obj) == sites_of(capsys, original)
    assert len(sites_of(capsys, obj)) == 2


def test_annotated_helper_called_in_an_image_names_every_cause(capsys, built, trees) -> None:
    code, out, _ = audit(capsys, built['separate.elf'], '--tree', trees['annotated'])
    assert code == 1
    assert (f'{REFCOUNT_C}:5:1: note: {INC} has __rust_helper but 2 call sites are left; likely cause: '
            'the helpers built with flags the Rust code lacks (e.g. -fno-delete-null-pointer-checks), '
            'clang and rustc on different LLVM majors, or the helpers\' bitcode not linked '
            '[annotated-not-inlined]') in out.splitlines()


def test_stripped_image_is_not_passed_silently(capsys, built, tmp_path) -> None:
    stripped = tmp_path / 'stripped.elf'
    subprocess.run(['llvm-objcopy-14', '--strip-all', str(built['separate.elf']), str(stripped)], check=True)
    code, out, err = audit(capsys, stripped)
    assert (code, out) == (0, '')
    assert err.splitlines()[0] == f'{stripped}: warning: no Rust function symbols (stripped?): its code was not audited'


def test_module_linked_with_ld_r_is_audited_as_an_object(capsys, built, tmp_path) -> None:
    """A .ko is `ld -r` of the module's objects: relocations are kept."""
    ko = tmp_path / 'mini.ko'
    subprocess.run(['ld.lld-14', '-r', '-o', str(ko), str(built['rust-only']), str(built['helpers'])], check=True)
    code, out, _ = audit(capsys, ko, '--format', 'json')
    findings = json.loads(out)['findings']
    assert {f['found_by'] for f in findings} == {'relocation'}
    assert sites_of(capsys, ko) == sites_of(capsys, built['rust-only'])
