// Add __rust_helper in front of every non-static function definition.
//
// This is the Coccinelle counterpart of `rust-helpers annotate --no-format`,
// kept for benchmarking (bench/run.py) and comparison (bench/README.md).
//
//   spatch --sp-file bench/add_rust_helper.cocci --macro-file MACROS.h \
//          --very-quiet --no-show-diff --in-place --dir rust/helpers
//
// MACROS.h must contain `#define __realloc_size(x)`: Coccinelle 1.1.1's
// builtin macro list (standard.h) does not know that attribute, so without
// it slab.c and vmalloc.c do not parse and their three helpers are skipped.
// bench/run.py writes that file itself.
//
// The disjunction is tried branch by branch and the first branch that
// matches wins:
//  1. static functions (also `static inline`) are left alone;
//  2. functions that already carry __rust_helper are left alone, so running
//     the patch twice changes nothing;
//  3. `T *f(...)` is split from (4) so that T is just the pointee type:
//     with T = `void *`, the attributes between `*` and the name
//     (`__must_check __realloc_size(2)`) would be printed twice;
//  4. everything else.
//
// Known difference from rust-helpers: attribute macros that Coccinelle
// expands to nothing (`__noreturn`, `__force`, ...) are not part of T, so
// the token lands after them: `__noreturn __rust_helper void ...`, where
// rust-helpers writes `__rust_helper __noreturn void ...`.

@annotate@
attribute name __rust_helper;
identifier f;
type T;
@@

(
  static T f(...) {...}
|
  __rust_helper T f(...) {...}
|
- T
+ __rust_helper T
  *f(...) {...}
|
- T
+ __rust_helper T
  f(...) {...}
)
