"""Byte offsets to 1-based (line, column), counted once through the file.

Offsets are asked for in file order (nearly always), so each question
counts only the newlines since the previous answer: linear in the file's
size, where counting from the start for every helper was quadratic.
"""
from __future__ import annotations


class LineCounter:
    def __init__(self, data: bytes):
        self._data = data
        self._offset = 0
        self._line = 1

    def point(self, offset: int) -> tuple[int, int]:
        """1-based line and byte column of `offset`."""
        data = self._data
        if offset < self._offset:
            self._offset, self._line = 0, 1     # out of order: count again
        self._line += data.count(b'\n', self._offset, offset)
        self._offset = offset
        return self._line, offset - data.rfind(b'\n', 0, offset)
