// SPDX-License-Identifier: GPL-2.0-only
/* Part of mmsim's kernel agent: see agent.h for how the files divide the work. */
#include "agent.h"

/* ---------------------------------------------------------------------------------------------
 * Host-wide resources, asked of the supervisor. The worker never turns swap on or grows the
 * hugetlb pool itself: the supervisor does, records it in its state file first, and undoes it
 * when the worker ends, however it ends (supervisor.c). Each request is one line on the
 * socket the supervisor forked the worker with; the answer is one line, relayed verbatim.
 * ------------------------------------------------------------------------------------------- */

int supervisor_fd = -1;

/*
 * Sends one request line and reads the supervisor's one-line answer into buf (without '\n').
 * 0, or -1 with errno set when the supervisor is gone.
 */
int supervisor_request(const char *request, char *buf, size_t size)
{
	size_t n = 0;

	if (supervisor_fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if (write_all(supervisor_fd, request, strlen(request)) < 0 || write_all(supervisor_fd, "\n", 1) < 0)
		return -1;
	for (;;) {
		char c;
		ssize_t r = read(supervisor_fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			errno = r == 0 ? ECONNRESET : errno;
			return -1;
		}
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* Relays a request's answer as this command's reply. */
static void relay(const char *request)
{
	char answer[256];

	if (supervisor_request(request, answer, sizeof(answer)) < 0)
		return reply_err(errno);
	fprintf(out, "%s\n", answer);
	end_reply();
}

/*
 * swap_on PAGES: the supervisor writes a swap file of PAGES pages in the temp dir (or the swap
 * header to MMSIM_SWAP_DEVICE) and swapon()s it. One at a time.
 */
void cmd_swap_on(int argc, char **argv, u64 *v)
{
	char request[64];

	if (v[0] < 16 || v[0] > (1u << 20))
		return reply_proto();
	snprintf(request, sizeof(request), "swap_on %llu", v[0]);
	relay(request);
}

/* swap_off: swapoff() and removal of the swap file swap_on made. */
void cmd_swap_off(int argc, char **argv, u64 *v)
{
	relay("swap_off");
}

/*
 * hugetlb_on PAGES LO HI: the supervisor grows the default (2 MiB) hugetlb pool by PAGES pages for
 * this scenario, whose mappings live in [LO, HI), and shrinks it again once the worker and every
 * process it forked are gone (so none of the pages is in use or reserved any more). Replies
 * "ok OLD" with the nr_hugepages it found.
 */
void cmd_hugetlb_on(int argc, char **argv, u64 *v)
{
	char request[64];

	if (v[0] < 1 || v[0] > 4096 || v[2] < v[1])
		return reply_proto();
	snprintf(request, sizeof(request), "hugetlb_on %llu", v[0]);
	relay(request);
}
