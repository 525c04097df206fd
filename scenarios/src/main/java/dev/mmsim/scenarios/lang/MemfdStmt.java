package dev.mmsim.scenarios.lang;

/**
 * {@code memfd NAME SIZE}: a shmem file from memfd_create(MFD_ALLOW_SEALING), truncated to SIZE.
 * Its pages are allocated when first faulted, as with shared anonymous memory.
 *
 * @param name the file's name in the scenario
 * @param size its length
 */
public record MemfdStmt(String name, Size size) implements Stmt {
    @Override
    public String render() {
        return "memfd " + name + " " + size.render();
    }

    @Override
    public String keyword() {
        return "memfd";
    }
}
