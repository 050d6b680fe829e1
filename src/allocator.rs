//! The global allocator: mimalloc, asked as its `malloc` is asked wherever it can be.
//!
//! A build makes millions of small allocations from two threads at once (strings of the
//! model, template values, page buffers); mimalloc halves their cost next to the system
//! allocator, which dominated the profile. The `mimalloc` crate hands every allocation
//! to `mi_malloc_aligned`, whose fast path serves blocks of up to 1 KiB only: every
//! larger one (a page's buffer, a long text, a table of template values) took the path
//! mimalloc keeps for alignments its `malloc` does not promise: its slower general path,
//! for a block larger than asked by the alignment. Every block mimalloc hands out is aligned to
//! a word, since its block sizes are whole words and its pages start on 16 bytes: an
//! allocation that needs no more than that asks `mi_malloc`, as Rust's allocator for the
//! system asks `malloc`. (mimalloc's debugging builds can place a block against a guard
//! page, at any address; `fiches` builds mimalloc without them, and a debug assertion
//! checks each block's alignment.)

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every block of mimalloc's.
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc, through `mi_malloc` and its kin for the alignments its blocks always have.
pub struct Mimalloc;

// SAFETY: each method hands the layout's size (and alignment, when it is more than a
// word) to mimalloc, whose blocks are aligned to a word at least and freed by `mi_free`
// whichever function made them; `mi_realloc` keeps the contents and the word alignment.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions take any size and any power of two
        // as alignment; `GlobalAlloc` is never asked for zero bytes.
        let block: *mut u8 = unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        };
        debug_assert!(block.is_null() || (block as usize).is_multiple_of(layout.align()));
        block
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, so by mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every size class the allocator serves, small and large, at each
    /// alignment up to a page: each is as aligned as asked, holds what is written to it,
    /// and keeps it when it grows or shrinks.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_contents() {
        let a = Mimalloc;
        let sizes = [
            1,
            7,
            8,
            24,
            40,
            100,
            1000,
            1024,
            1025,
            1500,
            4000,
            70_000,
            3 << 20,
        ];
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in sizes {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layouts are not empty; each block is written within its
                // size, read back and freed once, with the layout it has.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "{size} bytes at {align}");
                    std::ptr::write_bytes(p, 0xA5, size);
                    let q = a.realloc(p, layout, size * 2 + 3);
                    assert_eq!(q as usize % align, 0, "{size} bytes grown at {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xA5), "{size} at {align}");
                    let grown = Layout::from_size_align(size * 2 + 3, align).unwrap();
                    let r = a.realloc(q, grown, size.div_ceil(2));
                    assert_eq!(r as usize % align, 0, "{size} bytes shrunk at {align}");
                    assert!((0..size.div_ceil(2)).all(|i| *r.add(i) == 0xA5));
                    a.dealloc(r, Layout::from_size_align(size.div_ceil(2), align).unwrap());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "{size} zeroed bytes at {align}");
                    assert!(
                        (0..size).all(|i| *z.add(i) == 0),
                        "{size} zeroed at {align}"
                    );
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
