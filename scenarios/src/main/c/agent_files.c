// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * Files: in the private temp dir the supervisor made (and removes with all in it), or memfds
 * ------------------------------------------------------------------------------------------- */

struct agent_file *find_file(u64 id)
{
	for (int i = 0; i < MAX_FILES; i++)
		if (files[i].live && files[i].id == id)
			return &files[i];
	return NULL;
}

/* Writes len zero bytes to fd with write(2), so that every page is in the page cache. */
int write_zeros(int fd, u64 len)
{
	/*
	 * One page per write(2): the page cache then holds order-0 folios, which is what the simulator
	 * models (a larger write lets the file system allocate large folios, and splitting one on
	 * truncation unmaps every page of it).
	 */
	static const char zeros[4096];

	while (len > 0) {
		size_t chunk = len < sizeof(zeros) ? (size_t)len : sizeof(zeros);
		ssize_t n = write(fd, zeros, chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len -= (u64)n;
	}
	return 0;
}

/*
 * A nameless temp file of len zero bytes for probing: O_TMPFILE in the temp dir, or, where the
 * file system lacks O_TMPFILE, a named file that is unlinked as soon as it is open.
 */
int make_anonymous_temp_file(u64 len)
{
	char path[MAX_PATH];
	int err, fd;

	if (!tmp_dir_made) {
		errno = ENOENT;
		return -1;
	}
	fd = open(tmp_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		snprintf(path, sizeof(path), "%.400s/probe.%d", tmp_dir, (int)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			unlink(path);
	}
	if (fd < 0)
		return -1;
	if (write_zeros(fd, len) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* ---------------------------------------------------------------------------------------------
 * Command handlers. Each gets the command's tokens (argv[0] is the command name).
 * ------------------------------------------------------------------------------------------- */

/* file ID SIZE: create fID in the temp dir, SIZE zero bytes written with write(2), kept open. */
void cmd_file(int argc, char **argv, u64 *v)
{
	struct agent_file *f = NULL;
	int err;

	if (find_file(v[0]))
		return reply_err(EEXIST);
	for (int i = 0; i < MAX_FILES && !f; i++)
		if (!files[i].live)
			f = &files[i];
	if (!f)
		return reply_err(EMFILE);
	if (!tmp_dir_made)
		return reply_err(ENOENT);	/* the supervisor could not make it (said on stderr) */

	if (snprintf(f->path, sizeof(f->path), "%s/f%llu", tmp_dir, v[0]) >= (int)sizeof(f->path))
		return reply_err(ENAMETOOLONG);
	f->id = v[0];
	f->live = 1;		/* recorded before it exists, so no signal can leak it */
	f->fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (f->fd < 0) {
		err = errno;
		f->live = 0;
		return reply_err(err);
	}
	if (write_zeros(f->fd, v[1]) < 0) {
		err = errno;
		close(f->fd);
		unlink(f->path);
		f->live = 0;
		return reply_err(err);
	}
	reply_ok();
}

/* A free slot for a new file ID, or NULL (the reply has been sent). */
static struct agent_file *new_file_slot(u64 id)
{
	if (find_file(id)) {
		reply_err(EEXIST);
		return NULL;
	}
	for (int i = 0; i < MAX_FILES; i++)
		if (!files[i].live)
			return &files[i];
	reply_err(EMFILE);
	return NULL;
}

/*
 * memfd ID SIZE: a shmem file from memfd_create(MFD_ALLOW_SEALING), ftruncate()d to SIZE, so no
 * page exists until one is faulted or written.
 */
void cmd_memfd(int argc, char **argv, u64 *v)
{
	struct agent_file *f;
	int err;

	f = new_file_slot(v[0]);
	if (!f)
		return;
	f->fd = (int)syscall(SYS_memfd_create, "mmsim", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (f->fd < 0)
		return reply_err(errno);
	if (ftruncate(f->fd, (off_t)v[1]) < 0) {
		err = errno;
		close(f->fd);
		return reply_err(err);
	}
	f->id = v[0];
	f->path[0] = '\0';	/* nothing on disk to unlink */
	f->live = 1;
	reply_ok();
}

/* truncate ID SIZE: ftruncate(2). */
void cmd_truncate(int argc, char **argv, u64 *v)
{
	struct agent_file *f;

	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	reply_result(ftruncate(f->fd, (off_t)v[1]));
}

/* seal ID SEALS: fcntl(F_ADD_SEALS) with the F_SEAL_* bits SEALS. */
void cmd_seal(int argc, char **argv, u64 *v)
{
	struct agent_file *f;

	if (!fits_int(v[1]))
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	reply_result(fcntl(f->fd, F_ADD_SEALS, (int)v[1]));
}

/* reopen ID RDONLY: closes the file and opens its path again, O_RDONLY if RDONLY is 1, else O_RDWR. */
void cmd_reopen(int argc, char **argv, u64 *v)
{
	struct agent_file *f;
	int fd;

	if (v[1] > 1)
		return reply_proto();
	f = find_file(v[0]);
	if (!f)
		return reply_err(EBADF);
	if (f->path[0] == '\0')
		return reply_err(EINVAL);	/* a memfd has no path to reopen */
	fd = open(f->path, (v[1] ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return reply_err(errno);
	close(f->fd);
	f->fd = fd;
	reply_ok();
}

