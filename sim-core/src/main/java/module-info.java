/**
 * Value types shared by every layer of mmsim: page geometry, the kernel's flag and category
 * constants, errno, the probed host profile and the switchable semantics.
 */
module dev.mmsim.core {
    exports dev.mmsim.core;
}
