// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * The worker's clean-up and signals. cleanup() is async-signal-safe: it is called from signal
 * handlers too. The worker owns nothing host-wide (the supervisor does, and restores it however
 * the worker ends): cleanup() only ends the worker's children and removes its files early.
 * ------------------------------------------------------------------------------------------- */

/*
 * Reaps every descendant left: a grandchild (a child's child) outlives the child killed before it
 * until PR_SET_PDEATHSIG kills it too, and the agent, a child subreaper, inherits it. Waiting for
 * them means their memory (hugetlb pages included) is gone before the pool shrinks or the next
 * scenario starts. Only after every child was killed: it blocks until none is left.
 */
void reap_orphans(void)
{
	for (;;) {
		if (waitpid(-1, NULL, 0) > 0)
			continue;
		if (errno == EINTR)
			continue;
		break;		/* ECHILD */
	}
}

void cleanup(void)
{
	if (getpid() != agent_pid)
		return;		/* a child owns nothing */
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t pid = children[i].pid;

		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			children[i].pid = 0;
		}
	}
	reap_orphans();
	for (int i = 0; i < MAX_FILES; i++) {
		if (files[i].live) {
			if (files[i].path[0])
				unlink(files[i].path);
			files[i].live = 0;
		}
	}
}

/* SIGTERM, SIGINT, SIGHUP: clean up, then die of the same signal. */
static void on_terminate(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* SIGSEGV, SIGBUS: an expected fault of "touch", or a genuine crash of the agent. */
static void on_fault(int sig, siginfo_t *info, void *uctx)
{
	(void)info;
	(void)uctx;
	if (touch_armed) {
		touch_armed = 0;
		siglongjmp(touch_env, sig);
	}
	cleanup();
	signal(sig, SIG_DFL);	/* returning re-executes the access and crashes for real */
}

static void install_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigfillset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	install_handler(SIGTERM, on_terminate);
	install_handler(SIGINT, on_terminate);
	install_handler(SIGHUP, on_terminate);
	signal(SIGPIPE, SIG_IGN);	/* a dead child or reader shows up as EPIPE instead */
}

