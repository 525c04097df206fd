/**
 * Constants and value types, each carrying the kernel's own value so that a reviewer can check
 * them against the uapi headers and include/linux/mm.h.
 *
 * <p>Start with {@link dev.mmsim.core.Geometry} (x86-64, 4 KiB pages, 4-level paging), then
 * {@link dev.mmsim.core.VmFlag} (VM_* with smaps mnemonics) and {@link dev.mmsim.core.PageCategory}
 * (the PAGE_IS_* bits of PAGEMAP_SCAN). {@link dev.mmsim.core.HostProfile} records what the
 * kernel backend measured on this host; {@link dev.mmsim.core.Semantics} holds the switches a
 * reviewer can flip.
 */
package dev.mmsim.core;
