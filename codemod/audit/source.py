"""The join with `scan`: which helper definition a symbol comes from, and
whether it carries __rust_helper.

A helper defined in a `#define` body is named as written
(`rust_helper_##name`); its pasted parts match any identifier characters,
so `rust_helper_get_##field` gives the symbol `rust_helper_get_flags`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from codemod.c_source.scan import ScannedFile


@dataclass(frozen=True)
class HelperSource:
    name: str               # as written in the source
    path: str               # relative to the tree
    line: int
    col: int
    annotated: bool
    macro: str | None
    generator: str | None   # the script that writes the file, if generated

    @property
    def where(self) -> str:
        return f'{self.path}:{self.line}:{self.col}'


def _pattern(name: str) -> re.Pattern[str]:
    parts = re.split(r'\s*##\s*\w+\s*(?:##\s*)?', name)
    return re.compile(r'\w+'.join(re.escape(p) for p in parts) + r'\Z')


class SourceIndex:
    def __init__(self, scanned: list[ScannedFile]) -> None:
        self.exact: dict[str, HelperSource] = {}
        self.pasted: list[tuple[re.Pattern[str], HelperSource]] = []
        for s in scanned:
            generator = (s.scan.generator or 'its generator script') if s.scan.generated else None
            for h in s.scan.helpers:
                src = HelperSource(h.name, s.rel, h.line, h.col, h.annotated, h.macro, generator)
                if '##' in h.name:
                    self.pasted.append((_pattern(h.name), src))
                else:
                    self.exact.setdefault(h.name, src)

    def find(self, symbol: str) -> HelperSource | None:
        found = self.exact.get(symbol)
        if found is not None:
            return found
        return next((src for pattern, src in self.pasted if pattern.match(symbol)), None)
