// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * Small helpers: errno names, replies, number parsing
 * ------------------------------------------------------------------------------------------- */

/* "EINVAL" for EINVAL; "E<number>" if libc has no name for it. */
const char *errno_name(int err)
{
	static char buf[16];
	const char *name = NULL;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	name = strerrorname_np(err);
#endif
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* Lower-case errno name, for probe reasons ("fails with enotty"). */
const char *errno_name_lower(int err)
{
	static char buf[32];
	const char *name = errno_name(err);
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(buf); i++)
		buf[i] = (name[i] >= 'A' && name[i] <= 'Z') ? name[i] - 'A' + 'a' : name[i];
	buf[i] = '\0';
	return buf;
}


/* Ends a reply. If the reader has gone away there is nobody left to serve: clean up and leave. */
void end_reply(void)
{
	if (fflush(out) == 0 && !ferror(out))
		return;
	if (in_child)
		_exit(1);
	cleanup();
	exit(1);
}

void reply_ok(void)
{
	fputs("ok\n", out);
	end_reply();
}

void reply_err(int err)
{
	fprintf(out, "err %s\n", errno_name(err));
	end_reply();
}

void reply_proto(void)
{
	reply_err(EPROTO);
}

/* Replies ok if the syscall-style result is 0, err ENAME otherwise. */
void reply_result(int rc)
{
	if (rc == 0)
		reply_ok();
	else
		reply_err(errno);
}

/* Parses a whole token as strtoull(base 0) does; false on junk, empty input or overflow. */
bool parse_u64(const char *s, u64 *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/* Parses argv[0..n-1] into v[0..n-1]. */
bool parse_all(char **argv, int n, u64 *v)
{
	for (int i = 0; i < n; i++)
		if (!parse_u64(argv[i], &v[i]))
			return false;
	return true;
}

/* A value that has to fit a C int argument (prot, flags, advice). */
bool fits_int(u64 v)
{
	return v <= UINT32_MAX;
}

/* Reads a whole (proc or sysfs) file into a NUL-terminated malloc'd buffer; NULL with errno. */
char *read_text_file(const char *path)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int err, fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *bigger = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!bigger)
				goto fail;
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	err = errno;
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

/* /proc/self/pagemap of the calling process, opened on first use. */
int get_pagemap_fd(void)
{
	if (pagemap_fd < 0)
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	return pagemap_fd;
}

/* Reads a decimal number from a proc or sysfs file; async-signal-safe. -1 with errno on failure. */
long long read_sys_number(const char *path)
{
	char buf[32];
	long long v = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EIO : errno;
		return -1;
	}
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (buf[i] - '0');
	return v;
}

/* Writes a decimal number to a proc or sysfs file; async-signal-safe. 0, or -1 with errno. */
int write_sys_number(const char *path, unsigned long long v)
{
	char buf[24];
	int i = (int)sizeof(buf), fd;
	ssize_t n;

	buf[--i] = '\n';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, buf + i, sizeof(buf) - (size_t)i);
	close(fd);
	return n == (ssize_t)(sizeof(buf) - (size_t)i) ? 0 : -1;
}

/* Writes all of buf, retrying short writes and EINTR. 0, or -1 with errno. */
int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* CLOCK_MONOTONIC in nanoseconds. */
u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}
