"""The kernel tree: its helper files, MAINTAINERS routing, patch groups,
subject prefixes, and the patch that defines __rust_helper."""
