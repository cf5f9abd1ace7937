// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: fork() handling, registered once for the whole library.
 *
 * ratmem mappings are not inherited (VM_DONTCOPY) and a context belongs
 * to the process that opened it, so a forked child owns none of its
 * parent's ratmem objects. Before fork() every library lock is taken, in
 * the library's lock order (heap, reservations, file views, shared-memory views, context), so
 * that the child copies consistent state; the parent then releases them
 * and the child drops that state (without munmap() or closing handles:
 * the mappings are not there and the handles are the parent's).
 */
#include <pthread.h>

#include "rat_internal.h"

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void fork_prepare(void)
{
	rat_heap_fork_prepare();
	rat_reserve_fork_prepare();
	rat_fileview_fork_prepare();
	rat_view_fork_prepare();
	rat_ctx_fork_prepare();
}

static void fork_parent(void)
{
	rat_ctx_fork_parent();
	rat_view_fork_parent();
	rat_fileview_fork_parent();
	rat_reserve_fork_parent();
	rat_heap_fork_parent();
}

static void fork_child(void)
{
	rat_ctx_fork_child();
	rat_view_fork_child();
	rat_fileview_fork_child();
	rat_reserve_fork_child();
	rat_heap_fork_child();
}

static void fork_register_once(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void rat_fork_register(void)
{
	pthread_once(&fork_once, fork_register_once);
}
