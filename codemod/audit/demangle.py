"""Rust symbol names as people read them, by rustc-demangle (the crate rustc
and the Rust tools use, through its pyderust binding): legacy and v0
manglings, without the hash. Other names are kept as they are."""
from __future__ import annotations

from collections.abc import Iterable

from pyderust import demangle as _demangle
from pyderust import DemangleError

from codemod.audit.symbols import is_rust


def demangle(name: str) -> str:
    if not is_rust(name):
        return name
    try:
        return _demangle(name)
    except DemangleError:
        return name


def demangle_all(names: Iterable[str]) -> dict[str, str]:
    """Each distinct name once: an image repeats callers many times."""
    return {name: demangle(name) for name in set(names)}
