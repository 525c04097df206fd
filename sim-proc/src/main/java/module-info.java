/** /proc views over the walker: pagemap, PAGEMAP_SCAN, smaps and maps. */
module dev.mmsim.proc {
    requires transitive dev.mmsim.mm;
    requires org.eclipse.collections.api;
    requires org.eclipse.collections.impl;
    exports dev.mmsim.proc;
}
