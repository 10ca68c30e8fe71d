"""Plumbing: the one place that runs git, atomic writes, output folders,
package data, errors and exit codes."""
