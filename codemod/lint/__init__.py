"""Lint: findings and their formats, one rule per module (rules/), and the
runs over scanned files and over incoming patches."""
