// SPDX-License-Identifier: LGPL-2.1-or-later
/* librat: RatStatus codes and the thread-local last error. */
#include <errno.h>

#include "rat.h"
#include "rat_internal.h"

static _Thread_local RatStatus last_error = RAT_STATUS_OK;

RatStatus rat_set_status(RatStatus status)
{
	last_error = status;
	return status;
}

RatStatus RatGetLastError(void)
{
	return last_error;
}

RatStatus RatStatusFromErrno(int neg_errno)
{
	switch (-neg_errno) {
	case 0:
		return RAT_STATUS_OK;
	case EINVAL:
	case EFAULT:
	case EBADF:
	case ENAMETOOLONG:
		return RAT_STATUS_INVALID_ARG;
	case ENOMEM:
		return RAT_STATUS_NO_MEMORY;
	case EPERM:
	case EACCES:
		return RAT_STATUS_PERMISSION;
	case EDQUOT:
		return RAT_STATUS_QUOTA;
	case ENOLINK:
		return RAT_STATUS_REVOKED;
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case ESRCH:
		return RAT_STATUS_NOT_FOUND;
	case ENOTTY:
	case EOPNOTSUPP:
	case ENOSYS:
		return RAT_STATUS_UNSUPPORTED;
	case EEXIST:
		return RAT_STATUS_EXISTS;
	case ETIMEDOUT:
		return RAT_STATUS_TIMEOUT;
	case EAGAIN:
		return RAT_STATUS_AGAIN;
	case EBUSY:
		return RAT_STATUS_BUSY;
	case EINTR:
		return RAT_STATUS_INTERRUPTED;
	default:
		return RAT_STATUS_ERROR;
	}
}

const char *RatStatusString(RatStatus status)
{
	switch (status) {
	case RAT_STATUS_OK:
		return "success";
	case RAT_STATUS_ERROR:
		return "unspecified error";
	case RAT_STATUS_INVALID_ARG:
		return "invalid argument";
	case RAT_STATUS_NO_MEMORY:
		return "out of memory";
	case RAT_STATUS_PERMISSION:
		return "permission denied";
	case RAT_STATUS_QUOTA:
		return "quota exceeded";
	case RAT_STATUS_REVOKED:
		return "access revoked";
	case RAT_STATUS_NOT_FOUND:
		return "not found";
	case RAT_STATUS_UNSUPPORTED:
		return "not supported";
	case RAT_STATUS_EXISTS:
		return "already exists";
	case RAT_STATUS_TIMEOUT:
		return "timed out";
	case RAT_STATUS_AGAIN:
		return "try again";
	case RAT_STATUS_BUSY:
		return "busy";
	case RAT_STATUS_INTERRUPTED:
		return "interrupted by a signal";
	}
	return "unknown status";
}
