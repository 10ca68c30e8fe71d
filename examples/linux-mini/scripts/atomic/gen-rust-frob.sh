#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Placeholder: in a real tree this would write rust/helpers/atomic_frob.c
# from the list of frob_atomic_*() operations. The demo only needs the file
# to exist so that the generated file's header points at something.
echo "gen-rust-frob.sh: placeholder in the linux-mini demo tree" >&2
exit 1
