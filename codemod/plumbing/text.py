"""Small wording helpers shared by the reports."""
from __future__ import annotations


def plural(n: int, noun: str) -> str:
    if n == 1:
        return f'{n} {noun}'
    return f'{n} {noun}es' if noun.endswith(('ch', 'sh', 's', 'x')) else f'{n} {noun}s'
