// SPDX-License-Identifier: GPL-2.0

//! The miniature's Rust crate: it calls a C helper in a loop, the way the
//! kernel crate calls `rust_helper_refcount_inc` from `Arc::clone`.

#![no_std]

#[repr(C)]
pub struct Refcount {
    refs: i32,
}

extern "C" {
    fn rust_helper_refcount_inc(r: *mut Refcount);
}

pub mod sync {
    use super::Refcount;

    pub struct Arc<T> {
        refcount: *mut Refcount,
        pub value: T,
    }

    impl<T> Arc<T> {
        pub fn new(refcount: *mut Refcount, value: T) -> Self {
            Arc { refcount, value }
        }

        /// Takes `n` more references, one helper call each.
        #[inline(never)]
        pub fn clone_n(&self, n: usize) {
            for _ in 0..n {
                unsafe { super::rust_helper_refcount_inc(self.refcount) };
            }
        }
    }

    /// One generic instance, so that `clone_n` is emitted.
    pub fn clone_many(a: &Arc<u32>, n: usize) {
        a.clone_n(n)
    }

    /// Nothing after the call: the compiler makes it a tail jump.
    pub fn get(r: *mut Refcount) {
        unsafe { super::rust_helper_refcount_inc(r) }
    }
}
