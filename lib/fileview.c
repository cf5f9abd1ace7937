// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librat: views of files (RatFileMapView), the specification's
 * "memory-mapped files reuse the same protection and allocation logic".
 *
 * A view is an mmap() of a regular file, listed in view_table (sorted
 * by address, under fview_lock) with the protection of each of its
 * pages, so that RatMemProtect() can refuse W^X across the whole view as
 * the kernel does across a ratmem region: no page of a view executable
 * while another is writable. RatMemRelease() unmaps it. Unlike ratmem
 * memory, file mappings are inherited by fork(), so a child keeps the
 * table. Lock order: fview_lock nests inside res_lock (reserve.c calls
 * in here) and takes nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rat_internal.h"

struct fview {
	size_t size;		/* bytes mapped, a page multiple */
	unsigned char prot[];	/* PROT_* of each page */
};

static pthread_mutex_t fview_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rat_ptrtable fview_table;

void rat_fileview_fork_prepare(void)
{
	pthread_mutex_lock(&fview_lock);
}

void rat_fileview_fork_parent(void)
{
	pthread_mutex_unlock(&fview_lock);
}

void rat_fileview_fork_child(void)
{
	/* The child has the same file mappings: keep the table. */
	pthread_mutex_init(&fview_lock, NULL);
}

/* errno to a RatStatus, errno itself left as the caller had it. */
static RatStatus errno_status(int err, int saved)
{
	errno = saved;
	return RatStatusFromErrno(-err);
}

/* The descriptor to map: fd, or path opened for the access prot needs. */
static RatStatus view_open(const char *path, int fd, int prot, RatMemMapType map, int *out)
{
	int flags = O_RDONLY, saved = errno;

	if (!path) {
		*out = fd;
		return RAT_STATUS_OK;
	}
	/* A private view's writes never reach the file: read access is enough. */
	if ((prot & PROT_WRITE) && map == RAT_MEM_SHARED)
		flags = O_RDWR;
	*out = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (*out < 0 && errno == EISDIR) {
		errno = saved;
		return RAT_STATUS_INVALID_ARG;	/* as view_size() for read-only */
	}
	if (*out < 0)
		return errno_status(errno, saved);
	return RAT_STATUS_OK;
}

/* The size to map: size, or the rest of the file when it is 0. */
static RatStatus view_size(int fd, uint64_t offset, size_t size, size_t *out)
{
	struct stat st;
	int saved = errno;

	if (fstat(fd, &st) < 0)
		return errno_status(errno, saved);
	if (!S_ISREG(st.st_mode))
		return RAT_STATUS_INVALID_ARG;	/* a directory, a device, a pipe */
	if (size == 0) {
		if ((uint64_t)st.st_size <= offset || (uint64_t)st.st_size - offset > SIZE_MAX)
			return RAT_STATUS_INVALID_ARG;
		size = (size_t)((uint64_t)st.st_size - offset);
	}
	return rat_round_size(size, out);
}

RatMemPtr RatFileMapView(const char *path, int fd, uint64_t offset, size_t size, int prot,
			 RatMemMapType map)
{
	struct fview *v = NULL;
	size_t len = 0, pages;
	void *addr = MAP_FAILED;
	int mprot, vfd = -1, saved = errno;
	RatStatus st;

	st = rat_prot_from_flags(prot, &mprot);
	if (st == RAT_STATUS_OK &&
	    ((path ? fd != -1 : fd < 0) || offset % rat_page_size() ||
	     (map != RAT_MEM_PRIVATE && map != RAT_MEM_SHARED) || offset > INT64_MAX))
		st = RAT_STATUS_INVALID_ARG;
	if (st == RAT_STATUS_OK)
		st = view_open(path, fd, mprot, map, &vfd);
	if (st == RAT_STATUS_OK)
		st = view_size(vfd, offset, size, &len);
	if (st == RAT_STATUS_OK) {
		pages = len / rat_page_size();
		v = malloc(sizeof(*v) + pages);
		if (!v)
			st = RAT_STATUS_NO_MEMORY;
	}
	if (st == RAT_STATUS_OK) {
		addr = mmap(NULL, len, mprot, map == RAT_MEM_SHARED ? MAP_SHARED : MAP_PRIVATE,
			    vfd, (off_t)offset);
		if (addr == MAP_FAILED)
			st = errno_status(errno, saved);
	}
	if (st == RAT_STATUS_OK) {
		v->size = len;
		memset(v->prot, mprot, pages);
		pthread_mutex_lock(&fview_lock);
		if (rat_ptrtable_insert(&fview_table, (uintptr_t)addr, len, v) < 0)
			st = RAT_STATUS_NO_MEMORY;
		pthread_mutex_unlock(&fview_lock);
		if (st != RAT_STATUS_OK)
			munmap(addr, len);
	}
	/* The mapping keeps the file open; a descriptor we opened goes. */
	if (path && vfd >= 0)
		close(vfd);
	errno = saved;
	if (st != RAT_STATUS_OK) {
		free(v);
		rat_set_status(st);
		return NULL;
	}
	rat_set_status(RAT_STATUS_OK);
	return addr;
}

RatStatus rat_fileview_protect(void *ptr, size_t size, int prot)
{
	uintptr_t p = (uintptr_t)ptr, page = rat_page_size(), start, end;
	const struct rat_ptrentry *e;
	size_t first, last;
	int mprot, writable = 0, executable = 0, saved = errno;
	struct fview *v;
	RatStatus st;

	st = rat_prot_from_flags(prot, &mprot);
	if (st != RAT_STATUS_OK)
		return st;
	pthread_mutex_lock(&fview_lock);
	e = rat_ptrtable_find(&fview_table, p);
	if (!e) {
		st = RAT_STATUS_NOT_FOUND;
		goto out;
	}
	v = e->obj;
	if (size > e->base + v->size - p) {
		st = RAT_STATUS_INVALID_ARG;
		goto out;
	}
	start = p & ~(page - 1);
	end = (p + size + page - 1) & ~(page - 1);
	first = (start - e->base) / page;
	last = (end - e->base) / page;
	/* W^X over the whole view, as for a ratmem region. */
	for (size_t i = 0; i < v->size / page; i++) {
		int pr = (i >= first && i < last) ? mprot : v->prot[i];

		writable |= pr & PROT_WRITE;
		executable |= pr & PROT_EXEC;
	}
	if (writable && executable) {
		st = RAT_STATUS_PERMISSION;
		goto out;
	}
	if (mprotect((void *)start, end - start, mprot) < 0) {
		st = errno_status(errno, saved);
		goto out;
	}
	memset(v->prot + first, mprot, last - first);
out:
	pthread_mutex_unlock(&fview_lock);
	return st;
}

RatStatus rat_fileview_release(void *ptr, size_t size)
{
	const struct rat_ptrentry *e;
	struct fview *v = NULL;
	size_t rounded;
	RatStatus st = RAT_STATUS_OK;

	pthread_mutex_lock(&fview_lock);
	e = rat_ptrtable_find(&fview_table, (uintptr_t)ptr);
	if (!e)
		st = RAT_STATUS_NOT_FOUND;
	else if (e->base != (uintptr_t)ptr)
		st = RAT_STATUS_INVALID_ARG;
	else if (size && (rat_round_size(size, &rounded) != RAT_STATUS_OK ||
			  rounded != ((struct fview *)e->obj)->size))
		st = RAT_STATUS_INVALID_ARG;
	else
		v = rat_ptrtable_remove(&fview_table, e->base);
	pthread_mutex_unlock(&fview_lock);
	if (v) {
		munmap(ptr, v->size);
		free(v);
	}
	return st;
}
