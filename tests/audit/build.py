"""A miniature of the kernel's inline-helpers build, with Debian's compilers.

The kernel compiles rust/helpers/helpers.c to LLVM bitcode with clang,
emits each Rust crate as bitcode, joins the two with `llvm-link
--internalize` and has clang compile the result to the crate's object, so
LLVM can inline the helpers into Rust code. This does the same on
tests/audit/tree/ (our own helper file, header and crate), and also the
build without it (helpers and Rust compiled apart), and links either into
an executable or a shared object.

Debian's rustc (1.63) is built on LLVM 14, like clang-14. A rustc from
rustup is on a newer LLVM, whose bitcode llvm-link-14 cannot read, so
rustc is called by its Debian path and both majors are checked.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FIXTURE_TREE = Path(__file__).resolve().parent / 'tree'
TRIPLE = 'x86_64-unknown-linux-gnu'
RUSTC = '/usr/bin/rustc'
CLANG = 'clang-14'
LLVM_LINK = 'llvm-link-14'
LLVM_AR = 'llvm-ar-14'


class ToolchainError(Exception):
    pass


@dataclass(frozen=True)
class Toolchain:
    rustc: str
    clang: str
    llvm_link: str
    llvm_ar: str
    llvm_major: int


def _run(*argv: str | Path, cwd: Path | None = None) -> str:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=cwd)
    if proc.returncode:
        raise ToolchainError(f'{" ".join(map(str, argv))} failed ({proc.returncode}):\n{proc.stderr}')
    return proc.stdout


def _major(text: str, pattern: str, what: str) -> int:
    m = re.search(pattern, text)
    if not m:
        raise ToolchainError(f'cannot tell the LLVM version of {what} from:\n{text}')
    return int(m.group(1))


def find_toolchain() -> Toolchain:
    """The Debian tools, or ToolchainError saying what is missing."""
    found = {}
    for name in (CLANG, LLVM_LINK, LLVM_AR):
        path = shutil.which(name)
        if path is None:
            raise ToolchainError(f'{name} not found (apt-get install clang-14 llvm-14)')
        found[name] = path
    if not Path(RUSTC).exists():
        raise ToolchainError(f'{RUSTC} not found (apt-get install rustc)')
    rust_llvm = _major(_run(RUSTC, '--version', '--verbose'), r'LLVM version: (\d+)\.', RUSTC)
    clang_llvm = _major(_run(found[CLANG], '--version'), r'clang version (\d+)\.', CLANG)
    if rust_llvm != clang_llvm:
        raise ToolchainError(
            f'{RUSTC} is on LLVM {rust_llvm} but {CLANG} on LLVM {clang_llvm}: '
            'the inline-helpers build needs one major',
        )
    return Toolchain(RUSTC, found[CLANG], found[LLVM_LINK], found[LLVM_AR], clang_llvm)


def copy_tree(dst: Path) -> Path:
    shutil.copytree(FIXTURE_TREE, dst)
    return dst


def _rustc(tc: Toolchain, tree: Path, out: Path, emit: str, mangling: str) -> Path:
    # Kernel-like: no_std, panic=abort, static relocation model, one unit,
    # v0 names. Legacy names are rustc 1.63's default (asking for them by
    # name is unstable there).
    mangle = ['-C', 'symbol-mangling-version=v0'] if mangling == 'v0' else []
    _run(tc.rustc, '--edition', '2021', '--crate-type', 'rlib', '--crate-name', 'mini',
         '-O', '-C', 'panic=abort', '-C', 'relocation-model=static', '-C', 'codegen-units=1',
         *mangle, '--target', TRIPLE,
         f'--emit={emit}', '-o', out, tree / 'rust' / 'mini.rs')
    return out


def _clang_helpers(tc: Toolchain, tree: Path, out: Path, *, bitcode: bool, null_checks: bool) -> Path:
    flags = ['-fno-delete-null-pointer-checks'] if null_checks else []
    _run(tc.clang, f'--target={TRIPLE}', '-O2', *flags, '-I', tree / 'include',
         *(['-emit-llvm'] if bitcode else []), '-c', tree / 'rust' / 'helpers' / 'helpers.c', '-o', out)
    return out


def inline_helpers_object(tc: Toolchain, tree: Path, out_dir: Path, *, null_checks: bool,
                          mangling: str = 'v0', name: str = 'mini.o') -> Path:
    """The kernel's inline-helpers build of the crate: bitcode of both
    sides, llvm-link --internalize, clang to the object."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rust_bc = _rustc(tc, tree, out_dir / 'mini.bc', 'llvm-bc', mangling)
    helpers_bc = _clang_helpers(tc, tree, out_dir / 'helpers.bc', bitcode=True, null_checks=null_checks)
    linked = out_dir / 'mini.linked.bc'
    _run(tc.llvm_link, '--internalize', rust_bc, helpers_bc, '-o', linked)
    obj = out_dir / name
    _run(tc.clang, f'--target={TRIPLE}', '-O2', '-c', linked, '-o', obj)
    return obj


def separate_objects(tc: Toolchain, tree: Path, out_dir: Path, *, null_checks: bool = False,
                     mangling: str = 'v0') -> tuple[Path, Path]:
    """The build with the helpers' bitcode not linked: the crate's object
    straight from rustc, and helpers.o from clang."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rust_obj = _rustc(tc, tree, out_dir / 'mini.o', 'obj', mangling)
    helpers_obj = _clang_helpers(tc, tree, out_dir / 'helpers.o', bitcode=False, null_checks=null_checks)
    return rust_obj, helpers_obj


def link_shared(tc: Toolchain, objects: list[Path], out: Path) -> Path:
    _run(tc.clang, f'--target={TRIPLE}', '-shared', '-nostdlib', '-o', out, *objects)
    return out


def link_executable(tc: Toolchain, objects: list[Path], out: Path) -> Path:
    """A static, non-PIE image, as vmlinux is (no C library: no entry
    point either, which the linker only warns about)."""
    _run(tc.clang, f'--target={TRIPLE}', '-static', '-no-pie', '-nostdlib', '-o', out, *objects)
    return out


def archive(tc: Toolchain, members: list[str], out: Path, *, thin: bool = False) -> Path:
    """`members`: names relative to the archive's folder, as kbuild gives them."""
    _run(tc.llvm_ar, 'rcT' if thin else 'rc', out.name, *members, cwd=out.parent)
    return out
