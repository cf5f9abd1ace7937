// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: RatMutex, a lock in a shared region (RatMutexInit,
 * RatMutexLock, RatMutexTryLock, RatMutexTimedLock, RatMutexUnlock).
 *
 * The classic three-state futex mutex on a 32-bit word of the region,
 * with RATMEM_IOC_WAIT/WAKE in place of futex(2):
 *   0 unlocked, 1 locked, 2 locked and maybe waited for.
 * Lock: 0 -> 1 by compare-and-swap, or else swap in 2 and sleep while
 * the word is 2, until a swap returns 0. Unlock: swap in 0; if the old
 * value was 2, wake one waiter (it swaps in 2 again, so later waiters
 * are not forgotten).
 *
 * The word is touched with C11 atomics through this process's mapping;
 * lock-free atomics on a shared page work across processes. Before
 * touching it, each call checks under the context lock that the word is
 * in mem's mapping here; for a received region (accepted or opened),
 * which its granter can revoke at any moment, it also asks the kernel
 * whether the handle still stands, so that a revoked mutex gives
 * RAT_STATUS_REVOKED instead of SIGBUS (short of a revocation landing
 * between that check and the access).
 */
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>

#include "rat_internal.h"

#define M_UNLOCKED	0U
#define M_LOCKED	1U
#define M_CONTENDED	2U

_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t) &&
	       _Alignof(_Atomic uint32_t) == _Alignof(uint32_t),
	       "RatMutex.state must be usable as an atomic word");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2 && sizeof(unsigned int) == sizeof(uint32_t),
	       "atomics shared between processes must be lock-free");

#define MUTEX_FEATURES (RATMEM_FEATURE_WAIT | RATMEM_FEATURE_MEMORY)

/* Check mem and mutex; on success the word and its offset in the region. */
static RatStatus mutex_enter(HMEM mem, RatMutex *mutex, _Atomic uint32_t **word,
			     uint64_t *offset)
{
	RatStatus st;
	int fd;

	if (!mutex)
		return RAT_STATUS_INVALID_ARG;
	st = rat_hmem_lock(mem, MUTEX_FEATURES, &fd);
	if (st != RAT_STATUS_OK)
		return st;
	st = rat_hmem_word_locked(mem, &mutex->state, offset);
	/* Read-only mapping: an atomic write would fault. */
	if (st == RAT_STATUS_OK && !(mem->prot & PROT_WRITE))
		st = RAT_STATUS_PERMISSION;
	if (st == RAT_STATUS_OK && mem->received) {
		struct ratmem_query q = { .handle = mem->region.handle };

		st = rat_hmem_status(mem, rat_query(fd, &q));
	}
	rat_ctx_unlock();
	*word = (_Atomic uint32_t *)(void *)&mutex->state;
	return st;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Lock; timeout_ns RAT_WAIT_FOREVER or >= 0; trylock: never sleep. */
static RatStatus mutex_lock(HMEM mem, RatMutex *mutex, int64_t timeout_ns, int trylock)
{
	struct rat_waiter w = { .fd = -1 };
	_Atomic uint32_t *word;
	int64_t deadline = 0;
	uint32_t c = M_UNLOCKED;
	uint64_t offset;
	RatStatus st;

	if (timeout_ns < RAT_WAIT_FOREVER)
		return RAT_STATUS_INVALID_ARG;
	st = mutex_enter(mem, mutex, &word, &offset);
	if (st != RAT_STATUS_OK)
		return st;
	if (atomic_compare_exchange_strong_explicit(word, &c, M_LOCKED, memory_order_acquire,
						    memory_order_relaxed))
		return RAT_STATUS_OK;
	if (trylock)
		return RAT_STATUS_BUSY;
	if (timeout_ns >= 0) {
		int64_t now = now_ns();

		deadline = timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
	}
	st = rat_waiter_open(mem, &w);
	if (st != RAT_STATUS_OK)
		return st;
	/* From here on the word says 2 while anyone may be asleep on it. */
	if (c != M_CONTENDED)
		c = atomic_exchange_explicit(word, M_CONTENDED, memory_order_acquire);
	while (c != M_UNLOCKED) {
		int64_t left = RAT_WAIT_FOREVER;

		if (timeout_ns >= 0) {
			left = deadline - now_ns();
			if (left <= 0) {
				st = RAT_STATUS_TIMEOUT;
				break;
			}
		}
		st = rat_waiter_wait(mem, &w, offset, M_CONTENDED, left);
		/* Woken, the word changed, a signal, or the time is up (checked
		 * above after one more try): all mean try again. */
		if (st != RAT_STATUS_OK && st != RAT_STATUS_AGAIN &&
		    st != RAT_STATUS_INTERRUPTED && st != RAT_STATUS_TIMEOUT)
			break;
		c = atomic_exchange_explicit(word, M_CONTENDED, memory_order_acquire);
	}
	rat_waiter_close(&w);
	return c == M_UNLOCKED ? RAT_STATUS_OK : st;
}

RatStatus RatMutexInit(HMEM mem, RatMutex *mutex)
{
	_Atomic uint32_t *word;
	uint64_t offset;
	RatStatus st = mutex_enter(mem, mutex, &word, &offset);

	if (st == RAT_STATUS_OK)
		atomic_store_explicit(word, M_UNLOCKED, memory_order_release);
	return rat_set_status(st);
}

RatStatus RatMutexLock(HMEM mem, RatMutex *mutex)
{
	return rat_set_status(mutex_lock(mem, mutex, RAT_WAIT_FOREVER, 0));
}

RatStatus RatMutexTryLock(HMEM mem, RatMutex *mutex)
{
	return rat_set_status(mutex_lock(mem, mutex, 0, 1));
}

RatStatus RatMutexTimedLock(HMEM mem, RatMutex *mutex, int64_t timeout_ns)
{
	return rat_set_status(mutex_lock(mem, mutex, timeout_ns, 0));
}

RatStatus RatMutexUnlock(HMEM mem, RatMutex *mutex)
{
	_Atomic uint32_t *word;
	uint64_t offset;
	uint32_t prev;
	RatStatus st = mutex_enter(mem, mutex, &word, &offset);

	if (st != RAT_STATUS_OK)
		return rat_set_status(st);
	prev = atomic_exchange_explicit(word, M_UNLOCKED, memory_order_release);
	if (prev == M_UNLOCKED)
		return rat_set_status(RAT_STATUS_INVALID_ARG);	/* was not locked */
	if (prev != M_LOCKED)
		st = rat_hmem_wake(mem, offset, 1, NULL);
	return rat_set_status(st);
}
