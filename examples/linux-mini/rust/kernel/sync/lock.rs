// SPDX-License-Identifier: GPL-2.0

//! Placeholder for the lock abstractions of the linux-mini demo tree.
pub struct Lock;
