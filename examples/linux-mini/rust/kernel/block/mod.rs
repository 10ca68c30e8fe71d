// SPDX-License-Identifier: GPL-2.0

//! Placeholder for the block layer bindings of the linux-mini demo tree.
pub mod mq {}
