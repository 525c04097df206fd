package dev.mmsim.scenarios.run;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.proc.PagemapScan;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.core.ScanFlag;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.proc.TraceEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real-kernel backend: each scenario runs in its own agent process (and its forked children),
 * so faults, fork and userfaultfd cannot disturb the JVM. Every call is one protocol command; the
 * raw replies are turned into the same result types the simulator returns.
 */
public final class KernelBackend implements Backend {
    private final Agent agent;
    private final HostProfile host;
    private final String prefix;
    /** PM_SCAN_CATEGORIES of the kernel under test: what a scan's "all" means to it. */
    private final long allCategories;

    public KernelBackend(HostProbe probe, int timeoutSeconds) throws IOException, AgentBuild.Unavailable {
        this(Agent.local(AgentBuild.agent(), timeoutSeconds), probe.host());
    }

    /** A backend over a started agent of this host's kernel (profile {@code newest}). */
    public KernelBackend(Agent agent, HostProfile host) {
        this(agent, host, KernelProfile.newest());
    }

    /**
     * A backend over a started agent (of this host or of a VM) on a kernel with that host profile
     * and kernel profile: the profile says which categories a scan's "all" names there.
     */
    public KernelBackend(Agent agent, HostProfile host, KernelProfile profile) {
        this(agent, host, "", PagemapScan.pmScanCategories(profile::on));
    }

    private KernelBackend(Agent agent, HostProfile host, String prefix, long allCategories) {
        this.agent = agent;
        this.host = host;
        this.prefix = prefix;
        this.allCategories = allCategories;
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public HostProfile host() {
        return host;
    }

    private List<String> call(String fmt, Object... args) {
        return agent.call(prefix + String.format(fmt, args));
    }

    /** The status of a reply as 0 or a negative errno. */
    private static long status(List<String> reply) {
        String s = reply.get(0);
        if (s.equals("ok") || s.startsWith("ok ")) return 0;
        if (s.startsWith("err ")) {
            String name = s.split(" ")[1];
            Errno e = Errno.byName(name);
            if (e == null) throw new Agent.AgentException("agent error " + s);
            return e.neg();
        }
        throw new Agent.AgentException("unexpected agent reply '" + s + "'");
    }

    @Override
    public long file(int id, long size) {
        return status(call("file %d %d", id, size));
    }

    /**
     * Sets up a swap file of the given number of pages for this scenario; the agent swaps it off and
     * removes it when it exits, however it exits.
     */
    public long swapOn(long pages) {
        return status(call("swap_on %d", pages));
    }

    /**
     * Grows the host's default hugetlb pool by the given number of 2 MiB pages for this scenario,
     * whose mappings lie in [lo, hi); the agent unmaps that range and gives the pages back when it
     * exits, however it exits. ENOMEM: the kernel could not allocate them; EBUSY: the pool would
     * hold other pages too, so the scenario would not see exactly {@code pages}.
     */
    public long hugetlbOn(long pages, long lo, long hi) {
        return status(call("hugetlb_on %d 0x%x 0x%x", pages, lo, hi));
    }

    @Override
    public long memfd(int id, long size) {
        return status(call("memfd %d %d", id, size));
    }

    @Override
    public long truncate(int id, long size) {
        return status(call("truncate %d %d", id, size));
    }

    @Override
    public long seal(int id, int seals) {
        return status(call("seal %d %d", id, seals));
    }

    @Override
    public long reopen(int id, boolean readOnly) {
        return status(call("reopen %d %d", id, readOnly ? 1 : 0));
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags, int fileId, long offset) {
        return status(call("mmap 0x%x %d %d 0x%x %d %d", addr, len, prot, flags, fileId, offset));
    }

    @Override
    public long munmap(long addr, long len) {
        return status(call("munmap 0x%x %d", addr, len));
    }

    @Override
    public long mprotect(long addr, long len, int prot) {
        return status(call("mprotect 0x%x %d %d", addr, len, prot));
    }

    @Override
    public long madvise(long addr, long len, int advice) {
        return status(call("madvise 0x%x %d %d", addr, len, advice));
    }

    @Override
    public long processMadvise(long[] starts, long[] lens, int advice) {
        StringBuilder cmd = new StringBuilder("process_madvise ").append(advice).append(' ').append(starts.length);
        for (int i = 0; i < starts.length; i++) {
            cmd.append(String.format(" 0x%x %d", starts[i], lens[i]));
        }
        List<String> r = agent.call(prefix + cmd);
        long st = status(r);
        return st < 0 ? st : Long.parseLong(r.get(0).split(" ")[1]);
    }

    @Override
    public long mlock(long addr, long len) {
        return status(call("mlock 0x%x %d", addr, len));
    }

    @Override
    public long munlock(long addr, long len) {
        return status(call("munlock 0x%x %d", addr, len));
    }

    @Override
    public long mseal(long addr, long len) {
        return status(call("mseal 0x%x %d 0", addr, len));
    }

    @Override
    public long uprobe(int id, long offset) {
        return status(call("uprobe %d %d", id, offset));
    }

    /** PR_SET_MEMORY_MERGE (include/uapi/linux/prctl.h). */
    static final int PR_SET_MEMORY_MERGE = 67;

    @Override
    public long prctlMemoryMerge(boolean on) {
        return status(call("prctl %d %d", PR_SET_MEMORY_MERGE, on ? 1 : 0));
    }

    @Override
    public long mremap(long addr, long oldLen, long newLen, int flags, long newAddr) {
        List<String> r = call("mremap 0x%x %d %d %d 0x%x", addr, oldLen, newLen, flags, newAddr);
        long st = status(r);
        return st < 0 ? st : Long.decode(r.get(0).split(" ")[1]);
    }

    @Override
    public TouchResult touch(boolean write, long addr, long len) {
        return touchResult(call("touch %s 0x%x %d", write ? "w" : "r", addr, len));
    }

    @Override
    public TouchResult store(long addr, long len, long value) {
        return touchResult(call("store 0x%x %d %d", addr, len, value));
    }

    /** The reply of touch or store: ok, or the signal of the first faulting access and where. */
    private TouchResult touchResult(List<String> r) {
        String s = r.get(0);
        if (s.startsWith("sig ")) {
            String[] p = s.split(" ");
            return new TouchResult(p[1], Long.decode(p[2]));
        }
        status(r);
        return TouchResult.OK;
    }

    @Override
    public List<ValueRun> values(long addr, long npages) {
        List<String> r = call("values 0x%x %d", addr, npages);
        if (status(r) < 0) throw new Agent.AgentException("agent could not read the values: " + r.get(0));
        List<ValueRun> runs = new ArrayList<>();
        for (int i = 1; i < r.size(); i++) {
            String[] p = r.get(i).split(" ");
            boolean signal = p[2].startsWith("SIG");
            runs.add(new ValueRun(Long.decode(p[0]), Long.decode(p[1]), signal ? p[2] : null,
                    signal ? 0 : Long.parseUnsignedLong(p[2])));
        }
        return runs;
    }

    @Override
    public ScanResult scan(PmScanArg a, Consumer<TraceEvent> trace) {
        return scanVia(a, ScanVia.SELF);
    }

    @Override
    public ScanResult scanVia(PmScanArg arg, ScanVia via) {
        PmScanArg a = arg.withAllAs(allCategories);
        StringBuilder cmd = new StringBuilder(String.format("scan 0x%x 0x%x %d %d %d %d %d %d %d", a.start(), a.end(),
                a.flags(), a.categoryMask(), a.categoryInverted(), a.categoryAnyofMask(), a.returnMask(), a.vecLen(),
                a.maxPages()));
        if (a.size() != ScanFlag.PM_SCAN_ARG_SIZE) cmd.append(" size ").append(a.size());
        if (via.vecAt()) cmd.append(String.format(" vecat 0x%x", a.vec()));
        else if (a.vec() == 0) cmd.append(" vecnull");
        if (via.of() != null) cmd.append(" pid ").append(via.of());
        if (via.onFile() >= 0) cmd.append(" fd ").append(via.onFile());
        if (via.argAt() != null) cmd.append(String.format(" argat 0x%x", via.argAt()));
        if (via.cmd() != null) cmd.append(String.format(" cmd 0x%x", via.cmd()));
        List<String> r = agent.call(prefix + cmd);
        String[] head = r.get(0).split(" ");
        if (head[0].equals("err")) {
            return new ScanResult(status(r), head.length > 2 ? Long.decode(head[2]) : 0, List.of());
        }
        long n = Long.parseLong(head[1]);
        List<PageRegion> regions = new ArrayList<>();
        for (int i = 1; i < r.size(); i++) {
            String[] p = r.get(i).split(" ");
            regions.add(new PageRegion(Long.decode(p[0]), Long.decode(p[1]), Long.decode(p[2])));
        }
        return new ScanResult(n, Long.decode(head[2]), regions);
    }

    @Override
    public Pagemap.ReadResult pagemap(long addr, long npages) {
        List<String> r = call("pagemap 0x%x %d", addr, npages);
        long st = status(r);
        if (st < 0) return new Pagemap.ReadResult(st, null);
        return new Pagemap.ReadResult(0, words(r));
    }

    @Override
    public Pagemap.ReadResult pagemapRaw(long offset, long count) {
        List<String> r = call("pagemap_raw %d %d", offset, count);
        long st = status(r);
        if (st < 0) return new Pagemap.ReadResult(st, null);
        return new Pagemap.ReadResult(0, words(r));
    }

    @Override
    public Pagemap.ReadResult pagemapRaw(long offset, long count, long buf) {
        List<String> r = call("pagemap_raw %d %d bufat 0x%x", offset, count, buf);
        long st = status(r);
        if (st < 0) return new Pagemap.ReadResult(st, null);
        return new Pagemap.ReadResult(0, words(r));
    }

    private static long[] words(List<String> r) {
        long[] w = new long[r.size() - 1];
        for (int i = 1; i < r.size(); i++) w[i - 1] = Long.parseUnsignedLong(r.get(i).trim(), 16);
        return w;
    }

    @Override
    public long uffdFill(dev.mmsim.scenarios.lang.UffdFillStmt.Fill fill, long addr, long len, boolean wp) {
        return status(call("uffd_fill %d 0x%x %d %d", fill.ordinal(), addr, len, wp ? 1 : 0));
    }

    @Override
    public dev.mmsim.proc.TaskMem.Counters status() {
        List<String> r = call("status");
        String[] words = r.get(0).split(" ");
        if (!words[0].equals("ok") || words.length != 1 + dev.mmsim.proc.TaskMem.Counters.NAMES.size())
            throw new Agent.AgentException("status: unexpected reply '" + r.get(0) + "'");
        long[] kb = new long[words.length - 1];
        for (int i = 0; i < kb.length; i++) kb[i] = Long.parseLong(words[i + 1]);
        return dev.mmsim.proc.TaskMem.Counters.of(kb);
    }

    @Override
    public List<SmapsEntry> smaps(long lo, long hi) {
        List<String> r = call("smaps 0x%x 0x%x", lo, hi);
        status(r);
        return parseSmaps(r.subList(1, r.size()));
    }

    /**
     * Parses raw /proc/pid/smaps blocks into entries: the header, Rss:, Swap:, the fields of
     * {@link SmapsEntry.Counter} and VmFlags:, which ends a block.
     */
    static List<SmapsEntry> parseSmaps(List<String> lines) {
        List<SmapsEntry> out = new ArrayList<>();
        long start = 0;
        long end = 0;
        String perms = null;
        long rss = 0;
        long swap = 0;
        Map<SmapsEntry.Counter, Long> counters = new EnumMap<>(SmapsEntry.Counter.class);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 0) continue;
            if (f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                String[] range = f[0].split("-");
                start = Long.parseUnsignedLong(range[0], 16);
                end = Long.parseUnsignedLong(range[1], 16);
                perms = f[1];
                rss = 0;
                swap = 0;
                counters.clear();
            } else if (f[0].equals("Rss:")) {
                rss = Long.parseLong(f[1]);
            } else if (f[0].equals("Swap:")) {
                swap = Long.parseLong(f[1]);
            } else if (f[0].equals("VmFlags:")) {
                out.add(new SmapsEntry(start, end, perms, List.copyOf(Arrays.asList(f).subList(1, f.length)), rss, swap,
                        counters));
            } else if (f[0].endsWith(":") && f.length > 1) {
                SmapsEntry.Counter c = SmapsEntry.Counter.byField(f[0].substring(0, f[0].length() - 1));
                if (c != null) counters.put(c, Long.parseLong(f[1]));
            }
        }
        return out;
    }

    @Override
    public long fork(String child) {
        return status(call("fork %s", child));
    }

    @Override
    public long exit() {
        return status(call("exit"));
    }

    @Override
    public Backend child(String name) {
        // a child's child is reached through its parent: "child c1 child c2 ..."
        return new KernelBackend(agent, host, prefix + "child " + name + " ", allCategories);
    }

    @Override
    public long uffdRegister(long addr, long len, int modes, long features) {
        return status(call("uffd_register 0x%x %d %d %d", addr, len, modes, features));
    }

    @Override
    public long uffdWp(long addr, long len, boolean on) {
        return status(call("uffd_wp 0x%x %d %d", addr, len, on ? 1 : 0));
    }

    @Override
    public long uffdUnregister(long addr, long len) {
        return status(call("uffd_unregister 0x%x %d", addr, len));
    }

    @Override
    public long uffdClose() {
        return status(call("uffd_close"));
    }

    @Override
    public long clearRefs(int value) {
        return status(call("clear_refs %d", value));
    }

    /**
     * khugepaged's count of collapsed ranges on the kernel under test (the protocol's
     * {@code khugepaged}), or -1 where it cannot be read.
     */
    public long khugepagedCollapsed() {
        List<String> r = agent.call("khugepaged");
        return r.get(0).startsWith("ok ") ? Long.parseLong(r.get(0).substring(3).trim()) : -1;
    }

    /**
     * Readies this agent for another scenario (the protocol's {@code reset}): kills its children,
     * closes its uffd and files, unmaps [lo, hi) and re-arms its time limit. Returns 0 or a negative
     * errno.
     */
    public long reset(long lo, long hi) {
        return status(call("reset 0x%x 0x%x", lo, hi));
    }

    @Override
    public void close() {
        if (prefix.isEmpty()) agent.close();
    }
}
