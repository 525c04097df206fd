// SPDX-License-Identifier: GPL-2.0-only
/*
 * supervisor.c - the agent's supervisor: the one process of the agent that changes the host.
 *
 * It owns the temp dir, the swap file (or MMSIM_SWAP_DEVICE), what it added to the hugetlb pool
 * and the worker's memory cgroup, forks the worker that runs the scenario (agent_main.c), and
 * answers the worker's requests for those resources over a socket. The worker can crash, hang in
 * the kernel or be killed at any moment: the supervisor kills it (and every process it forked) at
 * the time limit, and when it has ended, however it ended, gives everything back: swap off, the
 * pool shrunk by what was added, the cgroup and the temp dir removed. It exits with the worker's
 * status (124: the time limit, 125: the cgroup's OOM killer, 128 + N: signal N).
 *
 * Its own death is covered by a state file, STATE_DIR/agent-PID.state, flock()ed for as long as
 * the supervisor lives and rewritten *before* each change of the host: the temp dir, the worker's
 * pid and start time, the swap file, the pool's growth. A state file that can be locked belongs to
 * a dead supervisor (SIGKILLed, or its machine lost power): every supervisor, before it changes
 * anything, restores what such files name and says so on stderr. STATE_DIR is $MMSIM_STATE_DIR,
 * else /run/mmsim, else $TMPDIR/mmsim-state-UID; it must be a directory of ours, mode 0700.
 *
 * Its own signals (SIGTERM, SIGINT, SIGHUP, and SIGCHLD) arrive on a signalfd, so clean-up always
 * runs in the main loop, never in a handler. It asks for SIGTERM when its parent dies (the JVM):
 * then too it cleans up before it exits.
 */
#include "agent.h"

#include <dirent.h>
#include <ftw.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#define STATE_PREFIX	"agent-"
#define STATE_SUFFIX	".state"
#define POOL_LOCK	"pool.lock"	/* held while the pool is grown: supervisors take turns */

static char state_dir[MAX_PATH];
static int state_fd = -1;		/* our state file, flock()ed while we live */
static char state_name[64];

static pid_t worker;			/* also the worker's process group */
static unsigned long long worker_start;	/* its start time (/proc/PID/stat), against pid reuse */

static char swap_path[MAX_PATH];
static bool swap_active, swap_is_device;

static char cgroup_dir[MAX_PATH];	/* the worker's memory cgroup, or "" */
static bool cgroup_v2;

static bool hugetlb_active;
static unsigned long long hugetlb_added;	/* pages asked for; recorded before the pool grows */
static long long hugetlb_old;			/* nr_hugepages before */
static int pool_lock_fd = -1;

/* ------------------------------------------------------------------------------------------- */

/* The start time of process pid in clock ticks after boot (field 22 of /proc/PID/stat), or 0. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], *text, *p;
	unsigned long long t = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = read_text_file(path);
	p = text ? strrchr(text, ')') : NULL;
	/* after ") " come fields 3 (state) .. 22 (starttime) */
	for (int field = 3; p && field <= 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	free(text);
	return t;
}

/* Rewrites our state file to name everything we have changed; flushed before the change is made. */
static void state_write(void)
{
	char text[4 * MAX_PATH];
	int n = snprintf(text, sizeof(text), "pid %d\n", (int)getpid());

	if (state_fd < 0)
		return;
	if (tmp_dir_made)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "tmp %s\n", tmp_dir);
	if (worker > 0)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "worker %d %llu\n", (int)worker, worker_start);
	if (swap_active)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "swap %d %s\n", swap_is_device ? 1 : 0, swap_path);
	if (hugetlb_active)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "hugetlb %llu %lld\n", hugetlb_added, hugetlb_old);
	if (cgroup_dir[0])
		n += snprintf(text + n, sizeof(text) - (size_t)n, "cgroup %s\n", cgroup_dir);
	if (n >= (int)sizeof(text))
		n = (int)sizeof(text) - 1;
	if (pwrite(state_fd, text, (size_t)n, 0) != n || ftruncate(state_fd, n) < 0 || fdatasync(state_fd) < 0)
		fprintf(stderr, "mmsim-agent: cannot write the state file %s/%s: %s\n", state_dir, state_name,
			strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Removes a temp dir of ours with everything in it, not following links or crossing mounts. */
static void remove_tmp_dir(const char *dir)
{
	const char *base = strrchr(dir, '/');

	if (!base || strncmp(base + 1, "mmsim-agent.", 12) != 0)
		return;		/* not a name we make: leave it */
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Lowers nr_hugepages by what was added, not below what it was before. */
static long long shrink_pool(unsigned long long added, long long old)
{
	long long cur = read_sys_number(NR_HUGEPAGES);
	long long want = cur - (long long)added;

	if (cur < 0 || cur <= old)
		return cur;
	if (want < old)
		want = old;
	write_sys_number(NR_HUGEPAGES, (unsigned long long)want);
	return read_sys_number(NR_HUGEPAGES);
}

/*
 * Restores what the state file NAME of a dead supervisor names, says so on stderr, and removes
 * the file. A file still locked belongs to a live supervisor and is left alone.
 */
static void recover_one(int dir_fd, const char *name)
{
	int fd = openat(dir_fd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	char *text, *line, *save = NULL, done[1024] = "";
	size_t used = 0;
	char path[MAX_PATH + 64];
	int pid = 0;

	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return;		/* its supervisor is alive */
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	text = read_text_file(path);
	/* in this order: the worker first (it may still use swap and huge pages), the temp dir last */
	for (int pass = 0; pass < 4; pass++) {
		char *copy = text ? strdup(text) : NULL;

		for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
			char arg[MAX_PATH];
			unsigned long long a, b;
			long long c;
			int dev, w;

			if (pass == 0 && sscanf(line, "pid %d", &pid) == 1)
				continue;
			if (pass == 0 && sscanf(line, "worker %d %llu", &w, &a) == 2 && w > 1 && a != 0 && start_time(w) == a) {
				kill(-w, SIGKILL);
				kill(w, SIGKILL);
				used += (size_t)snprintf(done + used, sizeof(done) - used, "; killed its worker %d", w);
			} else if (pass == 1 && sscanf(line, "swap %d %511s", &dev, arg) == 2) {
				if (swapoff(arg) == 0)
					used += (size_t)snprintf(done + used, sizeof(done) - used, "; swapoff %s", arg);
				if (!dev)
					unlink(arg);
			} else if (pass == 2 && sscanf(line, "hugetlb %llu %lld", &b, &c) == 2) {
				long long before = read_sys_number(NR_HUGEPAGES), after = shrink_pool(b, c);

				if (before != after)
					used += (size_t)snprintf(done + used, sizeof(done) - used,
								 "; nr_hugepages %lld -> %lld", before, after);
			} else if (pass == 3 && sscanf(line, "cgroup %511s", arg) == 1) {
				if (strstr(arg, "/mmsim-agent-") && rmdir(arg) == 0)
					used += (size_t)snprintf(done + used, sizeof(done) - used, "; removed cgroup %s", arg);
			} else if (pass == 3 && sscanf(line, "tmp %511s", arg) == 1) {
				struct stat st;

				if (lstat(arg, &st) == 0) {
					remove_tmp_dir(arg);
					used += (size_t)snprintf(done + used, sizeof(done) - used, "; removed %s", arg);
				}
			}
			if (used >= sizeof(done))
				used = sizeof(done) - 1;
		}
		free(copy);
	}
	free(text);
	fprintf(stderr, "mmsim-agent: restored what agent %d left when it was killed%s\n", pid,
		used ? done : " (nothing was left)");
	unlinkat(dir_fd, name, 0);
	close(fd);
}

/* Restores the leftovers of every dead supervisor in the state dir. */
static void recover_all(void)
{
	int dir_fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dir_fd >= 0 ? fdopendir(dir_fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (dir_fd >= 0)
			close(dir_fd);
		return;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (strncmp(e->d_name, STATE_PREFIX, strlen(STATE_PREFIX)) == 0 && len > strlen(STATE_SUFFIX)
		    && strcmp(e->d_name + len - strlen(STATE_SUFFIX), STATE_SUFFIX) == 0
		    && strcmp(e->d_name, state_name) != 0)
			recover_one(dir_fd, e->d_name);
	}
	closedir(d);
}

/*
 * Picks and checks the state dir: a directory (not a link) owned by us with no access for others,
 * created if missing. -1 with a message if there is none to be had.
 */
static int open_state_dir(void)
{
	const char *env = getenv("MMSIM_STATE_DIR");
	const char *base = getenv("TMPDIR");
	struct stat st;

	if (env && *env)
		snprintf(state_dir, sizeof(state_dir), "%s", env);
	else if (stat("/run", &st) == 0 && access("/run", W_OK) == 0)
		snprintf(state_dir, sizeof(state_dir), "/run/mmsim");
	else
		snprintf(state_dir, sizeof(state_dir), "%s/mmsim-state-%d", base && *base ? base : "/tmp", (int)geteuid());
	if (mkdir(state_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "mmsim-agent: cannot create the state dir %s: %s\n", state_dir, strerror(errno));
		return -1;
	}
	if (lstat(state_dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		fprintf(stderr, "mmsim-agent: the state dir %s is not a directory of ours with mode 0700\n", state_dir);
		return -1;
	}
	return 0;
}

/* Creates our state file and locks it for our lifetime. */
static int open_state_file(void)
{
	char path[MAX_PATH + 64];

	snprintf(state_name, sizeof(state_name), STATE_PREFIX "%d" STATE_SUFFIX, (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", state_dir, state_name);
	state_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (state_fd < 0 || flock(state_fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "mmsim-agent: cannot lock the state file %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Creates the private temp dir the worker's files (and a swap file) go to. */
static int make_tmp_dir(void)
{
	const char *base = getenv("TMPDIR");
	char path[MAX_PATH];

	if (!base || !*base)
		base = "/tmp";
	if (snprintf(path, sizeof(path), "%s/mmsim-agent.XXXXXX", base) >= (int)sizeof(path) - 16) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(path))
		return -1;
	memcpy(tmp_dir, path, sizeof(tmp_dir));
	tmp_dir_made = 1;
	return 0;
}

/* ------------------------------------------------------------------------------------------- */
/*
 * Writes a swap area of pages pages to path, as mkswap(8) would: page 0 holds the header
 * (version 1, the last usable page, no bad pages) and ends with the signature "SWAPSPACE2"; the
 * rest is zeros, written (a swap file must have no holes).
 */
static int write_swap_file(const char *path, u64 pages, bool device)
{
	unsigned char header[4096];
	uint32_t version = 1, last_page = (uint32_t)(pages - 1);
	int fd = open(path, device ? O_RDWR | O_CLOEXEC : O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int err;

	if (fd < 0)
		return -1;
	memset(header, 0, sizeof(header));
	memcpy(header + 1024, &version, sizeof(version));
	memcpy(header + 1028, &last_page, sizeof(last_page));
	memcpy(header + sizeof(header) - 10, "SWAPSPACE2", 10);
	/* a block device has no holes to fill: only the header page is written there */
	if (write(fd, header, sizeof(header)) != (ssize_t)sizeof(header) ||
	    (!device && write_zeros(fd, (pages - 1) * sizeof(header)) < 0) || fsync(fd) < 0) {
		err = errno;
		close(fd);
		if (!device)
			unlink(path);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

/* Writes one answer line to the worker. */
static void answer(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void answer(int fd, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(fd, buf, (size_t)n);
}

/* The swap file is off (or never got on): removes it (not a device) and records that. */
static void swap_forget(void)
{
	if (!swap_is_device)
		unlink(swap_path);
	swap_active = false;
	state_write();
}

/* swap_on PAGES: a swap file in the temp dir (or the header on MMSIM_SWAP_DEVICE), swapon()ed. */
static void do_swap_on(int fd, u64 pages, bool probe)
{
	const char *device = getenv("MMSIM_SWAP_DEVICE");
	int err;

	if (swap_active)
		return answer(fd, "err EBUSY");
	swap_is_device = device && *device;
	if (swap_is_device)
		snprintf(swap_path, sizeof(swap_path), "%s", device);
	else if (!tmp_dir_made || snprintf(swap_path, sizeof(swap_path), "%s/%s", tmp_dir,
					   probe ? "probe-swap" : "swap") >= (int)sizeof(swap_path))
		return answer(fd, "err ENAMETOOLONG");
	swap_active = true;	/* recorded before the file exists: a kill from here on is recovered */
	state_write();
	if (write_swap_file(swap_path, pages, swap_is_device) < 0) {
		err = errno;
		swap_active = false;
		state_write();
		return probe ? answer(fd, "no cannot write a swap %s (%s)", swap_is_device ? "header" : "file",
				      errno_name(err))
			     : answer(fd, "err %s", errno_name(err));
	}
	if (swapon(swap_path, 0) < 0) {
		err = errno;
		swap_forget();
		return probe ? answer(fd, "no swapon failed (%s)", errno_name(err)) : answer(fd, "err %s", errno_name(err));
	}
	if (!probe)
		return answer(fd, "ok");
	swapoff(swap_path);
	swap_forget();
	answer(fd, "ok");
}

static void do_swap_off(int fd)
{
	if (!swap_active)
		return answer(fd, "err ENOENT");
	if (swapoff(swap_path) < 0)
		return answer(fd, "err %s", errno_name(errno));
	swap_forget();
	answer(fd, "ok");
}

static void swap_restore(void)
{
	if (!swap_active)
		return;
	swapoff(swap_path);
	swap_forget();
}

/* Drops the pool's flock (closing the descriptor drops it). */
static void pool_unlock(void)
{
	if (pool_lock_fd >= 0)
		close(pool_lock_fd);
	pool_lock_fd = -1;
}

static void hugetlb_restore(void)
{
	if (!hugetlb_active)
		return;
	shrink_pool(hugetlb_added, hugetlb_old);
	hugetlb_active = false;
	state_write();
	pool_unlock();
}

/*
 * hugetlb_on PAGES: grows the default (2 MiB) pool by PAGES. Supervisors take turns on it (an
 * flock on STATE_DIR/pool.lock, waited for until the deadline). The scenario must see exactly
 * PAGES available pages (free and not reserved), else the growth is undone: ENOMEM when the kernel
 * could not allocate them, EBUSY when someone else's pages are free or reserved too (also
 * reservations the kernel leaked: PROTOCOL.md). Answers "ok OLD" with the nr_hugepages it found.
 */
static void do_hugetlb_on(int fd, u64 pages, u64 deadline_ns)
{
	char path[MAX_PATH + 16];
	long long old, now, avail_free, avail_resv;

	if (hugetlb_active)
		return answer(fd, "err EBUSY");
	snprintf(path, sizeof(path), "%s/" POOL_LOCK, state_dir);
	pool_lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (pool_lock_fd < 0)
		return answer(fd, "err %s", errno_name(errno));
	while (flock(pool_lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int err = errno;

			pool_unlock();
			return answer(fd, "err %s", errno_name(err));
		}
		if (deadline_ns && monotonic_ns() >= deadline_ns) {
			pool_unlock();
			return answer(fd, "err ETIMEDOUT");
		}
		usleep(50 * 1000);
	}
	old = read_sys_number(NR_HUGEPAGES);
	if (old < 0) {
		int err = errno;

		pool_unlock();
		return answer(fd, "err %s", errno_name(err));
	}
	hugetlb_active = true;	/* recorded before the pool grows */
	hugetlb_added = pages;
	hugetlb_old = old;
	state_write();
	if (write_sys_number(NR_HUGEPAGES, (u64)old + pages) < 0) {
		int err = errno;

		hugetlb_restore();
		return answer(fd, "err %s", errno_name(err));
	}
	now = read_sys_number(NR_HUGEPAGES);
	if (now != old + (long long)pages) {
		hugetlb_restore();
		return answer(fd, "err ENOMEM");
	}
	avail_free = read_sys_number(HUGEPAGES_2M "/free_hugepages");
	avail_resv = read_sys_number(HUGEPAGES_2M "/resv_hugepages");
	if (avail_free < 0 || avail_resv < 0 || avail_free - avail_resv != (long long)pages) {
		hugetlb_restore();
		return answer(fd, "err EBUSY");
	}
	answer(fd, "ok %lld", old);
}

/* ------------------------------------------------------------------------------------------- */

/* ------------------------------------------------------------------------------------------- */

/*
 * The memory cgroup of this process: a cgroup v2 directory whose subtree enables the memory
 * controller, else the v1 memory hierarchy's. 0, or -1 where there is none to use.
 */
static int own_memory_cgroup(char *dir, size_t size, bool *v2)
{
	char *text = read_text_file("/proc/self/cgroup"), *line, *save = NULL;
	int found = -1;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && found < 0; line = strtok_r(NULL, "\n", &save)) {
		char *controllers = strchr(line, ':');
		char *path = controllers ? strchr(controllers + 1, ':') : NULL;
		char probe[MAX_PATH + 64];

		if (!path)
			continue;
		*path++ = '\0';
		controllers++;
		if (strcmp(line, "0") == 0 && controllers[0] == '\0') {
			/* v2: mounted at /sys/fs/cgroup (unified) or /sys/fs/cgroup/unified (hybrid) */
			const char *mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

			for (size_t i = 0; i < 2 && found < 0; i++) {
				char *enabled;

				snprintf(probe, sizeof(probe), "%s%s/cgroup.subtree_control", mounts[i], path);
				enabled = read_text_file(probe);
				if (enabled && strstr(enabled, "memory")) {
					snprintf(dir, size, "%s%s", mounts[i], strcmp(path, "/") == 0 ? "" : path);
					*v2 = true;
					found = 0;
				}
				free(enabled);
			}
		} else if (strstr(controllers, "memory")) {
			snprintf(probe, sizeof(probe), "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", path);
			if (access(probe, W_OK) == 0) {
				snprintf(dir, size, "/sys/fs/cgroup/memory%s", strcmp(path, "/") == 0 ? "" : path);
				*v2 = false;
				found = 0;
			}
		}
	}
	free(text);
	return found;
}

static int write_cgroup_file(const char *name, const char *value)
{
	char path[MAX_PATH + 64];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", cgroup_dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write_all(fd, value, strlen(value));
	close(fd);
	return ok;
}

/*
 * Puts the worker in a memory cgroup of its own limited to MEMORY_CAP, so that a scenario that
 * populates too much is ended by that cgroup's OOM killer rather than the host's. The Java side
 * refuses scenarios that could get there: this is the net under that. Where the host has no memory
 * controller to use (not root, no cgroup file system), there is no cap; PROTOCOL.md says so.
 */
/* Removes the worker's cgroup directory (it must be empty) and records that there is none. */
static void cgroup_drop(void)
{
	rmdir(cgroup_dir);
	cgroup_dir[0] = '\0';
	state_write();
}

static void cgroup_enter(pid_t pid)
{
	char parent[MAX_PATH], value[32];

	if (own_memory_cgroup(parent, sizeof(parent), &cgroup_v2) < 0)
		return;
	if (snprintf(cgroup_dir, sizeof(cgroup_dir), "%s/mmsim-agent-%d", parent, (int)getpid()) >= (int)sizeof(cgroup_dir)) {
		cgroup_dir[0] = '\0';
		return;
	}
	state_write();	/* recorded before it exists */
	snprintf(value, sizeof(value), "%llu", MEMORY_CAP);
	if (mkdir(cgroup_dir, 0700) < 0
	    || write_cgroup_file(cgroup_v2 ? "memory.max" : "memory.limit_in_bytes", value) < 0)
		return cgroup_drop();
	if (cgroup_v2)
		write_cgroup_file("memory.oom.group", "1");
	snprintf(value, sizeof(value), "%d", (int)pid);
	if (write_cgroup_file("cgroup.procs", value) < 0)
		cgroup_drop();
}

/* Whether the OOM killer of the worker's cgroup killed a process in it. */
static bool cgroup_oom_killed(void)
{
	char path[MAX_PATH + 64], *text, *p;
	bool killed;

	if (!cgroup_dir[0])
		return false;
	snprintf(path, sizeof(path), "%s/%s", cgroup_dir, cgroup_v2 ? "memory.events" : "memory.oom_control");
	text = read_text_file(path);
	p = text ? strstr(text, "oom_kill ") : NULL;
	killed = p && strtoull(p + 9, NULL, 10) > 0;
	free(text);
	return killed;
}

/* Removes the worker's cgroup; every process in it must be gone. */
static void cgroup_remove(void)
{
	if (!cgroup_dir[0])
		return;
	for (int tries = 0; tries < 100 && rmdir(cgroup_dir) < 0 && errno == EBUSY; tries++)
		usleep(10 * 1000);	/* a reaped task leaves its cgroup a moment later */
	cgroup_drop();
}

/*
 * Kills the worker's process group and reaps every process left (we are their subreaper). The
 * worker is not reaped before this: its pid, so its group's id, cannot have been reused.
 */
static void end_worker(void)
{
	if (worker > 0)
		kill(-worker, SIGKILL);
	reap_orphans();
	worker = 0;
	state_write();
}

/* Gives back everything; the worker and its processes must be gone. */
static void restore(void)
{
	cgroup_remove();
	swap_restore();
	hugetlb_restore();
	if (tmp_dir_made) {
		remove_tmp_dir(tmp_dir);
		tmp_dir_made = 0;
	}
	if (state_fd >= 0) {
		char path[MAX_PATH + 64];

		snprintf(path, sizeof(path), "%s/%s", state_dir, state_name);
		unlink(path);
		close(state_fd);
		state_fd = -1;
	}
}

/* Handles one request line of the worker. */
static void handle_request(int fd, char *line, unsigned int timeout, u64 *deadline_ns)
{
	u64 n;

	if (strncmp(line, "swap_on ", 8) == 0 && parse_u64(line + 8, &n) && n >= 16 && n <= (1u << 20))
		do_swap_on(fd, n, false);
	else if (strcmp(line, "swap_probe") == 0)
		do_swap_on(fd, 16, true);
	else if (strcmp(line, "swap_off") == 0)
		do_swap_off(fd);
	else if (strncmp(line, "hugetlb_on ", 11) == 0 && parse_u64(line + 11, &n) && n >= 1 && n <= 4096)
		do_hugetlb_on(fd, n, *deadline_ns);
	else if (strcmp(line, "rearm") == 0) {
		*deadline_ns = timeout ? monotonic_ns() + (u64)timeout * 1000000000ULL : 0;
		answer(fd, "ok");
	} else
		answer(fd, "err EPROTO");
}

/*
 * Runs one worker under supervision; returns the exit status for the agent: the worker's, 124
 * at the time limit, 128 + N after signal N (ours or the worker's).
 */
int supervise(unsigned int timeout)
{
	sigset_t mask, old_mask;
	int sv[2], sig_fd, devnull, exit_code = -1;
	siginfo_t info;
	u64 deadline = timeout ? monotonic_ns() + (u64)timeout * 1000000000ULL : 0;
	char req[256];
	size_t req_len = 0;
	pid_t parent = getppid();

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old_mask);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* the JVM died: clean up and go */
	if (getppid() != parent)
		return 128 + SIGTERM;
	prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL);
	if (sig_fd < 0 || open_state_dir() < 0)
		return 1;
	recover_all();
	if (open_state_file() < 0)
		return 1;
	if (make_tmp_dir() < 0)
		fprintf(stderr, "mmsim-agent: temp dir: %s\n", strerror(errno));
	state_write();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		fprintf(stderr, "mmsim-agent: socketpair: %s\n", strerror(errno));
		restore();
		return 1;
	}
	fflush(NULL);
	worker = fork();
	if (worker < 0) {
		fprintf(stderr, "mmsim-agent: fork: %s\n", strerror(errno));
		restore();
		return 1;
	}
	if (worker == 0) {
		pid_t sup = getppid();

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != sup)
			_exit(1);
		prctl(PR_SET_CHILD_SUBREAPER, 0UL, 0UL, 0UL, 0UL);
		close(sv[0]);
		close(sig_fd);
		close(state_fd);
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		supervisor_fd = sv[1];
		_exit(worker_main());
	}
	setpgid(worker, worker);	/* also here: whichever runs first, the group exists before a kill */
	close(sv[1]);
	worker_start = start_time(worker);
	state_write();
	cgroup_enter(worker);
	write_all(sv[0], "g", 1);	/* the worker may start */
	/* The worker alone holds the JVM's pipes: they close when it ends, not when we do. */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}

	while (exit_code < 0) {
		struct pollfd pfd[2] = { { .fd = sig_fd, .events = POLLIN }, { .fd = sv[0], .events = POLLIN } };
		int wait_ms = -1;

		if (deadline) {
			u64 now = monotonic_ns();

			wait_ms = now >= deadline ? 0 : (int)((deadline - now + 999999) / 1000000);
		}
		if (poll(pfd, sv[0] >= 0 ? 2 : 1, wait_ms) < 0 && errno != EINTR)
			break;
		if (deadline && monotonic_ns() >= deadline) {
			static const char msg[] = "fatal timeout\n";

			write_all(STDERR_FILENO, msg, sizeof(msg) - 1);
			kill(-worker, SIGKILL);
			kill(worker, SIGKILL);
			exit_code = 124;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si) && si.ssi_signo != SIGCHLD) {
				exit_code = 128 + (int)si.ssi_signo;
				break;
			}
			/* the worker ended? Not reaped yet: its pid keeps its group's id ours until end_worker() */
			memset(&info, 0, sizeof(info));
			if (waitid(P_PID, (id_t)worker, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == worker) {
				exit_code = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
				break;
			}
		}
		if (sv[0] >= 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
			ssize_t r = read(sv[0], req + req_len, sizeof(req) - 1 - req_len);

			if (r <= 0) {
				close(sv[0]);
				sv[0] = -1;
				continue;
			}
			req_len += (size_t)r;
			for (char *nl; (nl = memchr(req, '\n', req_len));) {
				size_t used = (size_t)(nl - req) + 1;

				*nl = '\0';
				handle_request(sv[0], req, timeout, &deadline);
				memmove(req, req + used, req_len - used);
				req_len -= used;
			}
			if (req_len == sizeof(req) - 1)
				req_len = 0;	/* an over-long line: drop it */
		}
	}
	end_worker();
	if (exit_code == 128 + SIGKILL && cgroup_oom_killed()) {
		fprintf(stderr, "fatal memory cap: the worker passed its cgroup's limit of %llu MiB\n", MEMORY_CAP >> 20);
		exit_code = EXIT_MEMORY_CAP;
	}
	restore();
	return exit_code < 0 ? 1 : exit_code;
}
