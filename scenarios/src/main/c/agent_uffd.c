// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * userfaultfd: one uffd per process, opened by the first uffd_register
 * ------------------------------------------------------------------------------------------- */

/*
 * The event reader. With UFFD_FEATURE_EVENT_FORK or EVENT_REMAP, fork() and mremap() wait in the
 * kernel until someone reads their event from the uffd (userfaultfd_event_wait_completion()), so
 * the worker, single-threaded otherwise, runs one thread that reads every message and does
 * nothing else: page faults stay unresolved (they still wait for the time limit, or raise SIGBUS
 * with UFFD_FEATURE_SIGBUS). A fork event carries the child's new uffd; the reader keeps it open,
 * so that the child's registration stays as the kernel made it, until uffd_close or reset.
 * Its stack is static, so that starting it maps nothing new (status counts from a steady baseline).
 */
#define UFFD_EVENTS		(UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_EVENT_REMAP)
#define MAX_FORK_UFFDS		MAX_CHILDREN

static pthread_t reader;
static bool reader_running;
static int reader_wake = -1;		/* eventfd: tells the reader to stop */
static int fork_uffds[MAX_FORK_UFFDS];
static volatile int nr_fork_uffds;
static char reader_stack[256 << 10] __attribute__((aligned(4096)));

static void *uffd_reader(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = reader_wake, .events = POLLIN } };

	for (;;) {
		struct uffd_msg msg;
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (p[1].revents)
			return NULL;
		n = read(fd, &msg, sizeof(msg));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n != sizeof(msg))
			return NULL;
		if (msg.event == UFFD_EVENT_FORK) {
			if (nr_fork_uffds < MAX_FORK_UFFDS)
				fork_uffds[nr_fork_uffds++] = (int)msg.arg.fork.ufd;
			else
				close((int)msg.arg.fork.ufd);
		}
	}
}

static int start_reader(int fd)
{
	pthread_attr_t attr;
	int rc;

	reader_wake = eventfd(0, EFD_CLOEXEC);
	if (reader_wake < 0)
		return -1;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, reader_stack, sizeof(reader_stack));
	rc = pthread_create(&reader, &attr, uffd_reader, (void *)(intptr_t)fd);
	pthread_attr_destroy(&attr);
	if (rc) {
		close(reader_wake);
		reader_wake = -1;
		errno = rc;
		return -1;
	}
	reader_running = true;
	return 0;
}

/*
 * Closes this process's uffd: stops the reader (if any), closes the children's uffds it kept,
 * then the uffd itself (the kernel then unregisters its ranges). In a forked child there is no
 * reader thread (fork copies only the calling thread): in_child_copy says to close the copies only.
 */
void uffd_release(bool in_child_copy)
{
	if (reader_running && !in_child_copy) {
		u64 one = 1;

		if (write(reader_wake, &one, sizeof(one)) == sizeof(one))
			pthread_join(reader, NULL);
	}
	reader_running = false;
	if (reader_wake >= 0)
		close(reader_wake);
	reader_wake = -1;
	for (int i = 0; i < nr_fork_uffds; i++)
		close(fork_uffds[i]);
	nr_fork_uffds = 0;
	if (uffd >= 0)
		close(uffd);
	uffd = -1;
}

/* Opens a userfaultfd and performs the UFFDIO_API handshake. Returns the fd or -1 with errno. */
int uffd_open(u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);

	if (fd < 0 && (errno == EINVAL || errno == EPERM))
		fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api) < 0 || ((features & UFFD_EVENTS) && start_reader(fd) < 0)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* uffd_register ADDR LEN MODES FEATURES: UFFDIO_REGISTER (the uffd is opened on first use). */
void cmd_uffd_register(int argc, char **argv, u64 *v)
{
	struct uffdio_register reg;

	if (uffd < 0) {
		uffd = uffd_open(v[3]);
		if (uffd < 0)
			return reply_err(errno);
	}
	memset(&reg, 0, sizeof(reg));
	reg.range.start = v[0];
	reg.range.len = v[1];
	reg.mode = v[2];
	reply_result(ioctl(uffd, UFFDIO_REGISTER, &reg) < 0 ? -1 : 0);
}

/* uffd_wp ADDR LEN 0|1: UFFDIO_WRITEPROTECT, setting (1) or clearing (0) write protection. */
void cmd_uffd_wp(int argc, char **argv, u64 *v)
{
	struct uffdio_writeprotect wp;

	if (v[2] > 1)
		return reply_proto();
	memset(&wp, 0, sizeof(wp));
	wp.range.start = v[0];
	wp.range.len = v[1];
	wp.mode = v[2] ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
	reply_result(ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) < 0 ? -1 : 0);
}

/* uffd_unregister ADDR LEN: UFFDIO_UNREGISTER; err EBADF if no uffd is open. */
void cmd_uffd_unregister(int argc, char **argv, u64 *v)
{
	struct uffdio_range range;

	if (uffd < 0)
		return reply_err(EBADF);
	range.start = v[0];
	range.len = v[1];
	reply_result(ioctl(uffd, UFFDIO_UNREGISTER, &range) < 0 ? -1 : 0);
}

/*
 * uffd_fill MODE ADDR LEN WP: UFFDIO_COPY (MODE 0, from a fresh zero-filled mapping of LEN bytes),
 * UFFDIO_ZEROPAGE (1) or UFFDIO_CONTINUE (2) over [ADDR, ADDR+LEN), with the ioctl's WP mode when
 * WP is 1 (zeropage has none: EPROTO). Replies the ioctl's result; err EBADF if no uffd is open.
 */
void cmd_uffd_fill(int argc, char **argv, u64 *v)
{
	int rc;

	if (v[0] > 2 || v[3] > 1 || (v[0] == 1 && v[3]))
		return reply_proto();
	if (uffd < 0)
		return reply_err(EBADF);
	if (v[0] == 0) {
		struct uffdio_copy copy = { .dst = v[1], .len = v[2],
					    .mode = v[3] ? UFFDIO_COPY_MODE_WP : 0 };
		void *src = mmap(NULL, v[2] ? v[2] : 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (src == MAP_FAILED)
			return reply_err(errno);
		copy.src = (uintptr_t)src;
		rc = ioctl(uffd, UFFDIO_COPY, &copy);
		int err = errno;

		munmap(src, v[2] ? v[2] : 1);
		errno = err;
	} else if (v[0] == 1) {
		struct uffdio_zeropage zero = { .range = { .start = v[1], .len = v[2] } };

		rc = ioctl(uffd, UFFDIO_ZEROPAGE, &zero);
	} else {
		struct uffdio_continue cont = { .range = { .start = v[1], .len = v[2] },
						.mode = v[3] ? UFFDIO_CONTINUE_MODE_WP : 0 };

		rc = ioctl(uffd, UFFDIO_CONTINUE, &cont);
	}
	reply_result(rc < 0 ? -1 : 0);
}

/* uffd_close: closes this process's uffd (the kernel then unregisters its ranges). */
void cmd_uffd_close(int argc, char **argv, u64 *v)
{
	uffd_release(false);
	reply_ok();
}

/* clear_refs N: writes N to /proc/self/clear_refs (4 clears soft-dirty bits). */
