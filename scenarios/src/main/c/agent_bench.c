// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * Benchmark commands (mmsim bench). The kernel work is timed here, with CLOCK_MONOTONIC around
 * the system calls, so the pipe to the Java side is outside every measurement.
 * ------------------------------------------------------------------------------------------- */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#define MAX_BENCH_REPS		1000		/* warm-up and timed repetitions, each */
#define MAX_BENCH_OPS		(1ULL << 22)	/* operations of one time_ops mix */
#define BENCH_MAP_FLAGS		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE)

/* Ends an "ok ..." status line with the nanoseconds of each timed repetition. */
static void reply_nanos(const u64 *ns, u64 reps)
{
	for (u64 i = 0; i < reps; i++)
		fprintf(out, " %llu", ns[i]);
	fputc('\n', out);
	end_reply();
}

/*
 * populate ADDR LEN STRIDE: MADV_POPULATE_WRITE on the first page of every STRIDE bytes of
 * [ADDR, ADDR+LEN), one call over the whole range when STRIDE is the page size; "ok NS".
 */
void cmd_populate(int argc, char **argv, u64 *v)
{
	u64 t0, t1;
	int rc = 0;

	if (v[2] == 0 || v[2] % AGENT_PAGE_SIZE ||
	    v[0] + v[1] < v[0])
		return reply_proto();
	t0 = monotonic_ns();
	if (v[2] == AGENT_PAGE_SIZE) {
		rc = madvise((void *)(uintptr_t)v[0], v[1], MADV_POPULATE_WRITE);
	} else {
		for (u64 off = 0; off < v[1] && rc == 0; off = v[1] - off > v[2] ? off + v[2] : v[1])
			rc = madvise((void *)(uintptr_t)(v[0] + off), AGENT_PAGE_SIZE, MADV_POPULATE_WRITE);
	}
	t1 = monotonic_ns();
	if (rc < 0)
		return reply_err(errno);
	fprintf(out, "ok %llu\n", t1 - t0);
	end_reply();
}

/*
 * time_scan WARMUP REPS START END FLAGS CATMASK INVMASK ANYOF RETMASK VECLEN MAXPAGES: the
 * PAGEMAP_SCAN ioctl of "scan", WARMUP times untimed, then REPS times timed, into one result
 * vector; "ok N 0xWALKEND NS..." with the last call's result and each timed call's nanoseconds.
 */
void cmd_time_scan(int argc, char **argv, u64 *v)
{
	struct pm_scan_arg arg;
	struct page_region *vec;
	size_t vec_bytes;
	u64 ns[MAX_BENCH_REPS], t0, t1;
	long n = 0;
	int err;

	if (v[0] > MAX_BENCH_REPS || v[1] == 0 ||
	    v[1] > MAX_BENCH_REPS)
		return reply_proto();
	if (get_pagemap_fd() < 0)
		return reply_err(errno);
	vec = alloc_scan_vec(v[9], v[2], v[3], &vec_bytes);
	if (!vec)
		return reply_err(ENOMEM);
	for (u64 i = 0; i < v[0] + v[1]; i++) {
		fill_scan_arg(&arg, v + 2, vec);
		t0 = monotonic_ns();
		n = ioctl(pagemap_fd, PAGEMAP_SCAN, &arg);
		t1 = monotonic_ns();
		if (n < 0) {
			err = errno;
			munmap(vec, vec_bytes);
			fprintf(out, "err %s 0x%llx\n", errno_name(err), (u64)arg.walk_end);
			return end_reply();
		}
		if (i >= v[0])
			ns[i - v[0]] = t1 - t0;
	}
	munmap(vec, vec_bytes);
	fprintf(out, "ok %ld 0x%llx", n, (u64)arg.walk_end);
	reply_nanos(ns, v[1]);
}

/* One call of the time_ops mix. */
struct bench_op {
	int kind;		/* 0 mmap, 1 mprotect, 2 madvise */
	int arg;		/* the protection of an mprotect, the advice of an madvise */
	void *addr;
	size_t len;
};

static u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The mix of PROTOCOL.md ("time_ops"), mirrored by dev.mmsim.scenarios.bench.OpMix. */
static void bench_ops_generate(struct bench_op *ops, u64 count, u64 base, u64 pages, u64 seed)
{
	static const int advices[8] = {
		MADV_DONTNEED, MADV_RANDOM, MADV_NORMAL, MADV_SEQUENTIAL,
		MADV_DONTFORK, MADV_DOFORK, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE,
	};

	for (u64 i = 0; i < count; i++) {
		u64 r = splitmix64(&seed);
		u64 npages = 1 + ((r >> 2) & 15);
		u64 page = ((r >> 8) & ((1ULL << 40) - 1)) % (pages - npages);
		unsigned int sel = (unsigned int)(r >> 61);

		ops[i].addr = (void *)(uintptr_t)(base + page * AGENT_PAGE_SIZE);
		ops[i].len = npages * AGENT_PAGE_SIZE;
		ops[i].kind = (r & 3) < 2 ? (int)(r & 3) : 2;
		if (ops[i].kind == 1)
			ops[i].arg = (sel & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
		else
			ops[i].arg = advices[sel];
	}
}

static int bench_op_run(const struct bench_op *op)
{
	switch (op->kind) {
	case 0:
		return mmap(op->addr, op->len, PROT_READ | PROT_WRITE, BENCH_MAP_FLAGS, -1, 0) ==
		       MAP_FAILED ? -1 : 0;
	case 1:
		return mprotect(op->addr, op->len, op->arg);
	default:
		return madvise(op->addr, op->len, op->arg);
	}
}

/*
 * time_ops WARMUP REPS BASE LEN SEED COUNT: generates the COUNT calls of the mix from SEED, then
 * WARMUP + REPS times maps [BASE, BASE+LEN) afresh (untimed) and runs the calls, timing the REPS;
 * "ok NOK NS..." with how many calls returned 0 and each timed repetition's nanoseconds. The
 * region stays mapped.
 */
void cmd_time_ops(int argc, char **argv, u64 *v)
{
	struct bench_op *ops;
	u64 ns[MAX_BENCH_REPS], ok = 0, t0, t1;
	int err;

	if (v[0] > MAX_BENCH_REPS || v[1] == 0 ||
	    v[1] > MAX_BENCH_REPS || v[2] % AGENT_PAGE_SIZE || v[3] % AGENT_PAGE_SIZE ||
	    v[3] / AGENT_PAGE_SIZE < 32 || v[2] + v[3] < v[2] || v[5] > MAX_BENCH_OPS)
		return reply_proto();
	ops = calloc(v[5] ? v[5] : 1, sizeof(*ops));
	if (!ops)
		return reply_err(ENOMEM);
	bench_ops_generate(ops, v[5], v[2], v[3] / AGENT_PAGE_SIZE, v[4]);
	for (u64 rep = 0; rep < v[0] + v[1]; rep++) {
		if (mmap((void *)(uintptr_t)v[2], v[3], PROT_READ | PROT_WRITE, BENCH_MAP_FLAGS, -1, 0) ==
		    MAP_FAILED) {
			err = errno;
			free(ops);
			return reply_err(err);
		}
		ok = 0;
		t0 = monotonic_ns();
		for (u64 i = 0; i < v[5]; i++)
			ok += bench_op_run(&ops[i]) == 0;
		t1 = monotonic_ns();
		if (rep >= v[0])
			ns[rep - v[0]] = t1 - t0;
	}
	free(ops);
	fprintf(out, "ok %llu", ok);
	reply_nanos(ns, v[1]);
}

