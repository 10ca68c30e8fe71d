"""MAINTAINERS as get_maintainer.pl reads it: sections, F:/X: globs, the
mailmap, and the router."""
