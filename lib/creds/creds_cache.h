/*
 * creds_cache.h - temporary credentials kept on disk between runs.
 *
 * Contract: thousands of checks per hour must not mean thousands of STS or
 * metadata requests. creds_cache_get() returns cached credentials for a key
 * while they have more than CREDS_CACHE_MARGIN seconds left; creds_cache_put()
 * stores credentials that expire (long-term keys are never written).
 * The key is any text that identifies the source and its configuration; it is
 * hashed (SHA-256) into the file name, so it never appears on disk.
 * Safety: the directory is created 0700; a directory or file that is not
 * owned by the effective user, is group/world-accessible, or is a symlink is
 * refused (nothing read or written, reason in err). Files are 0600, written
 * to a temporary file and renamed into place, so concurrent runs see either
 * the old or the new entry, never a torn one. Unparseable entries are ignored.
 * Both calls return 0 on success and -1 otherwise (a miss is -1 with err
 * empty); failures never stop a check, the caller just goes to the source.
 */
#ifndef S3T_CREDS_CACHE_H
#define S3T_CREDS_CACHE_H

#include <stddef.h>

#include "credentials.h"

#define CREDS_CACHE_MARGIN 300.0  /* refresh this many seconds before expiry */

/* The default directory: $XDG_CACHE_HOME or $HOME/.cache, + /monitoring-plugins-s3tables. */
int creds_cache_default_dir(const char *(*getenv_fn)(const char *), char *dir, size_t dirsz);

int creds_cache_get(const char *dir, const char *key, double now, struct creds *out, char *err, size_t errsz);
int creds_cache_put(const char *dir, const char *key, const struct creds *c, char *err, size_t errsz);

#endif
