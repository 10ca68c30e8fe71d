"""A progress line on stderr, for long runs on a terminal only.

Quiet in pipes and CI (stderr not a terminal), and quiet for the first
second, so a run that is quick anyway never shows one.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

_DELAY = 1.0        # seconds before the line first shows
_EVERY = 0.1        # seconds between redraws
_WIDTH = 30


class Progress:
    def __init__(self, total: int, what: str, stream: TextIO | None = None):
        self.total = total
        self.what = what
        self.stream = stream or sys.stderr
        self.done = 0
        self._on = bool(getattr(self.stream, 'isatty', lambda: False)())
        self._start = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self._on:
            return
        now = time.monotonic()
        if now - self._start < _DELAY or now - self._drawn < _EVERY:
            return
        self._drawn = now
        self._shown = True
        share = self.done / self.total if self.total else 1.0
        bar = '#' * int(share * _WIDTH)
        self.stream.write(f'\r{self.what} [{bar:<{_WIDTH}}] {self.done}/{self.total}')
        self.stream.flush()

    def close(self) -> None:
        if self._shown:
            self.stream.write('\r\033[K')
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
