package dev.mmsim.scenarios.lang;

import java.util.Locale;

/** The modes of {@code uffd_register}, in canonical order, with their UFFDIO_REGISTER_MODE_* bits. */
public enum UffdMode {
    /** UFFDIO_REGISTER_MODE_MISSING. */
    MISSING(1),
    /** UFFDIO_REGISTER_MODE_WP. */
    WP(2),
    /** UFFDIO_REGISTER_MODE_MINOR. */
    MINOR(4);

    /** The UFFDIO_REGISTER_MODE_* value (include/uapi/linux/userfaultfd.h). */
    public final int value;

    UffdMode(int value) {
        this.value = value;
    }

    /** The scenario spelling: the name in lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
