//! The binary's allocator: the system's, with large blocks on transparent huge pages (Linux).
//!
//! A 10 MB document makes buffers of tens of MB (the parser's tree, the headings, the new
//! document). On 4 KiB pages, filling them costs a page fault per 4 KiB and, worse on a virtual
//! machine, a TLB miss per random access into them (the anchor table): time grew faster than
//! the input. Linux gives huge pages only where asked (`transparent_hugepage=madvise`, the
//! common default), and asking for part of a block the system allocator mapped splits the
//! mapping so that growing it in place (`mremap`) fails and every growth copies. So blocks of
//! `LARGE_BLOCK` bytes or more are mapped here, whole, marked for huge pages, grown with
//! `mremap`; smaller ones, all a real proposal needs, go to the system allocator as before.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, with blocks of `LARGE_BLOCK` bytes or more on huge pages where the OS
/// has them.
pub struct LargeBlocksOnHugePages;

/// Blocks from this size on get their own mapping: four huge pages, so that rounding the
/// mapping up to whole huge pages wastes little address space (and no memory: untouched pages
/// are never backed).
const LARGE_BLOCK: usize = 8 << 20;

fn is_large(size: usize, align: usize) -> bool {
    cfg!(target_os = "linux") && size >= LARGE_BLOCK && align <= large::PAGE
}

// SAFETY: small blocks go to `System` with the caller's arguments. Large blocks are whole
// mappings from `large`, which are page-aligned (alignment above a page is left to `System`,
// see `is_large`) and at least as long as asked; a block's layout decides both where it was
// allocated and where it is freed, and `realloc` moves a block between the two by copying.
unsafe impl GlobalAlloc for LargeBlocksOnHugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_large(layout.size(), layout.align()) {
            large::map(layout.size())
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // A fresh anonymous mapping reads as zeros.
        if is_large(layout.size(), layout.align()) {
            large::map(layout.size())
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if is_large(layout.size(), layout.align()) {
            unsafe { large::unmap(block, layout.size()) }
        } else {
            unsafe { System.dealloc(block, layout) }
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        match (is_large(layout.size(), align), is_large(new_size, align)) {
            (false, false) => unsafe { System.realloc(block, layout, new_size) },
            (true, true) => unsafe { large::remap(block, layout.size(), new_size) },
            _ => {
                // SAFETY: the caller guarantees `new_size`, rounded up to `align`, fits `isize`.
                let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, align) };
                let moved = unsafe { self.alloc(new_layout) };
                if !moved.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                }
                moved
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod large {
    pub const PAGE: usize = 4096;
    const HUGE_PAGE: usize = 2 << 20;

    /// Whole huge pages: Linux places such a mapping on a huge page boundary.
    fn mapped_len(size: usize) -> usize {
        size.next_multiple_of(HUGE_PAGE)
    }

    /// A new mapping of at least `size` bytes marked for huge pages; null if the OS refuses.
    pub fn map(size: usize) -> *mut u8 {
        let len = mapped_len(size);
        // SAFETY: a new private anonymous mapping aliases nothing.
        let block = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if block == libc::MAP_FAILED {
            return std::ptr::null_mut();
        }
        // SAFETY: the whole mapping just made. A kernel without transparent huge pages refuses
        // the advice, and the block works on small pages.
        unsafe { libc::madvise(block, len, libc::MADV_HUGEPAGE) };
        block.cast()
    }

    /// Grows or shrinks a block from `map`, moving it if need be; null (the block unchanged)
    /// if the OS refuses. The mapping keeps its huge-page advice.
    ///
    /// # Safety
    /// `block` and `size` are those of a live block from `map` (or `remap`).
    pub unsafe fn remap(block: *mut u8, size: usize, new_size: usize) -> *mut u8 {
        let moved = unsafe { libc::mremap(block.cast(), mapped_len(size), mapped_len(new_size), libc::MREMAP_MAYMOVE) };
        if moved == libc::MAP_FAILED { std::ptr::null_mut() } else { moved.cast() }
    }

    /// # Safety
    /// `block` and `size` are those of a live block from `map` (or `remap`), not used after.
    pub unsafe fn unmap(block: *mut u8, size: usize) {
        unsafe { libc::munmap(block.cast(), mapped_len(size)) };
    }
}

#[cfg(not(target_os = "linux"))]
mod large {
    // `is_large` is never true off Linux: these are never called.
    pub const PAGE: usize = 0;
    pub fn map(_size: usize) -> *mut u8 {
        std::ptr::null_mut()
    }
    pub unsafe fn remap(_block: *mut u8, _size: usize, _new_size: usize) -> *mut u8 {
        std::ptr::null_mut()
    }
    pub unsafe fn unmap(_block: *mut u8, _size: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(i: usize) -> u8 {
        (i * 31 % 251) as u8
    }

    /// Blocks keep their bytes as they grow and shrink across the large-block threshold, both
    /// ways, and large zeroed blocks read as zeros.
    #[test]
    fn blocks_keep_their_bytes_across_the_threshold() {
        let allocator = LargeBlocksOnHugePages;
        let sizes = [1000, LARGE_BLOCK + 5, 3 * LARGE_BLOCK + 7, LARGE_BLOCK, LARGE_BLOCK - 1, 64, 2 * LARGE_BLOCK];
        let mut size = sizes[0];
        let layout = Layout::from_size_align(size, 8).unwrap();
        // SAFETY: every block is used within its current size and freed with its own layout.
        unsafe {
            let mut block = allocator.alloc(layout);
            assert!(!block.is_null());
            for i in 0..size {
                *block.add(i) = pattern(i);
            }
            for &new_size in &sizes[1..] {
                block = allocator.realloc(block, Layout::from_size_align(size, 8).unwrap(), new_size);
                assert!(!block.is_null());
                assert_eq!(block as usize % 8, 0);
                let kept = size.min(new_size);
                assert!((0..kept).all(|i| *block.add(i) == pattern(i)), "{size} -> {new_size}");
                for i in kept..new_size {
                    *block.add(i) = pattern(i);
                }
                size = new_size;
            }
            allocator.dealloc(block, Layout::from_size_align(size, 8).unwrap());

            let zeroed = Layout::from_size_align(LARGE_BLOCK * 2, 64).unwrap();
            let block = allocator.alloc_zeroed(zeroed);
            assert!((0..zeroed.size()).step_by(4093).all(|i| *block.add(i) == 0));
            allocator.dealloc(block, zeroed);
        }
    }
}
