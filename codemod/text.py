"""Small wording helpers shared by the reports."""
from __future__ import annotations


def plural(n: int, noun: str) -> str:
    return f'{n} {noun}' if n == 1 else f'{n} {noun}s'
