// SPDX-License-Identifier: GPL-2.0

//! Placeholder for the frob networking bindings of the linux-mini demo tree.
pub mod frob {}
