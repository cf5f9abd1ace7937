// SPDX-License-Identifier: GPL-2.0
/*
 * ratmemctl export --prometheus [--output-file PATH]: the module's status
 * and every process's figures (snap.c) as Prometheus text (prom.c), on
 * standard output or, with --output-file, into PATH atomically: written
 * to a temporary file in PATH's directory, synced, then renamed over
 * PATH, so node_exporter's textfile collector never reads half a file.
 * On a failure PATH is left as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

/* Write @s to @path through a temporary file and rename(). */
static int write_atomically(const char *path, const struct snapshot *s)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp), err = 0;
	FILE *out;

	if (fd < 0) {
		err = errno;
		free(tmp);
		return runtime_error("export: creating a file beside '%s': %s", path,
				     strerror(err));
	}
	/* mkstemp() makes it 0600; the collector may run as another user. */
	if (fchmod(fd, 0644) || !(out = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		goto fail;
	}
	prom_write(out, s);
	errno = 0;
	if (fflush(out) || ferror(out) || fsync(fileno(out)))
		err = errno ? errno : EIO;
	if (fclose(out) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		goto fail;
	free(tmp);
	return EXIT_OK;
fail:
	unlink(tmp);
	free(tmp);
	return runtime_error("export: writing '%s': %s", path, strerror(err));
}

int cmd_export(const struct ctl *c, int argc, char **argv)
{
	struct snapshot s;
	struct rnl n;
	int ret;

	if (argc > 1)
		return usage_error("export: unexpected argument '%s'", argv[1]);
	if (!c->prometheus)
		return usage_error("export: give the format: --prometheus");
	if (c->output_file && !*c->output_file)
		return usage_error("export: --output-file needs a path");
	snap_init(&s);
	ret = rnl_open(&n);
	if (ret)
		return ret;
	ret = snap_take(&n, &s, true);
	rnl_close(&n);
	if (!ret && c->output_file) {
		ret = write_atomically(c->output_file, &s);
	} else if (!ret) {
		prom_write(stdout, &s);
		ret = fflush(stdout) ? EXIT_RUNTIME : EXIT_OK;
	}
	snap_free(&s);
	return ret;
}
