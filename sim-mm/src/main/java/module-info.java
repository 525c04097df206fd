/** The mm model: VMAs, page tables, faults, operations and the generic page walker. */
module dev.mmsim.mm {
    requires transitive dev.mmsim.core;
    requires org.eclipse.collections.api;
    requires org.eclipse.collections.impl;
    exports dev.mmsim.mm;
}
