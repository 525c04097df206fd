/** /proc views over the walker: pagemap, PAGEMAP_SCAN, smaps and maps. */
module dev.mmsim.proc {
    requires transitive dev.mmsim.mm;
    exports dev.mmsim.proc;
}
