/* creds_cache.c - see creds_cache.h. */
#include "creds_cache.h"
#include "error.h"
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "sigv4.h"

#define MAX_ENTRY 65536

int creds_cache_default_dir(const char *(*getenv_fn)(const char *), char *dir, size_t dirsz)
{
	const char *xdg = env_get(getenv_fn, "XDG_CACHE_HOME"), *home = env_get(getenv_fn, "HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(dir, dirsz, "%s/monitoring-plugins-s3tables", xdg);
	else if (home && home[0] == '/')
		n = snprintf(dir, dirsz, "%s/.cache/monitoring-plugins-s3tables", home);
	else
		return -1;
	return n > 0 && (size_t)n < dirsz ? 0 : -1;
}

/* The directory must be ours alone; create it (and a missing parent) if needed. */
static int check_dir(const char *dir, int create, char *err, size_t errsz)
{
	struct stat st;
	if (lstat(dir, &st) != 0) {
		if (errno != ENOENT || !create) {
			error_set(err, errsz, "credential cache %s: %s", dir, strerror(errno));
			return -1;
		}
		char parent[4096];
		snprintf(parent, sizeof parent, "%s", dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = 0;
			if (mkdir(parent, 0700) != 0 && errno != EEXIST) {
				error_set(err, errsz, "credential cache: cannot create %s: %s", parent, strerror(errno));
				return -1;
			}
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			error_set(err, errsz, "credential cache: cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
		if (lstat(dir, &st) != 0) {
			error_set(err, errsz, "credential cache %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		error_set(err, errsz, "credential cache %s is not a directory (refused)", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		error_set(err, errsz, "credential cache %s is owned by uid %u, not %u (refused)", dir,
			  (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	if (st.st_mode & 077) {
		error_set(err, errsz, "credential cache %s has mode %03o; it must be 700 (refused)", dir,
			  (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

static int entry_path(const char *dir, const char *key, char *path, size_t pathsz)
{
	char hex[65];
	sigv4_hex_sha256(key, strlen(key), hex);
	int n = snprintf(path, pathsz, "%s/%s.json", dir, hex);
	return n > 0 && (size_t)n < pathsz ? 0 : -1;
}

int creds_cache_get(const char *dir, const char *key, double now, struct creds *out, char *err, size_t errsz)
{
	char path[4200], buf[MAX_ENTRY + 1];
	struct stat st;
	ssize_t got = 0, n;

	err[0] = 0;
	memset(out, 0, sizeof *out);
	if (check_dir(dir, 0, err, errsz) || entry_path(dir, key, path, sizeof path))
		return -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			error_set(err, errsz, "credential cache entry %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) ||
	    st.st_size > MAX_ENTRY) {
		close(fd);
		error_set(err, errsz, "credential cache entry %s has the wrong owner, mode or size (refused)", path);
		return -1;
	}
	while ((size_t)got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;

	json_object *root = json_tokener_parse(buf), *v;
	OPENSSL_cleanse(buf, (size_t)got);
	const char *id = NULL, *secret = NULL, *token = NULL, *source = NULL;
	double expiration = 0;
	if (root && json_object_is_type(root, json_type_object)) {
		if (json_object_object_get_ex(root, "AccessKeyId", &v) && json_object_is_type(v, json_type_string))
			id = json_object_get_string(v);
		if (json_object_object_get_ex(root, "SecretAccessKey", &v) && json_object_is_type(v, json_type_string))
			secret = json_object_get_string(v);
		if (json_object_object_get_ex(root, "SessionToken", &v) && json_object_is_type(v, json_type_string))
			token = json_object_get_string(v);
		if (json_object_object_get_ex(root, "Source", &v) && json_object_is_type(v, json_type_string))
			source = json_object_get_string(v);
		if (json_object_object_get_ex(root, "Expiration", &v) &&
		    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
			expiration = json_object_get_double(v);
	}
	int rc = -1;
	if (id && *id && secret && *secret && expiration > 0 && expiration - CREDS_CACHE_MARGIN > now) {
		char src[80];
		snprintf(src, sizeof src, "%.50s (cached)", source && *source ? source : "temporary credentials");
		rc = creds_set(out, id, secret, token, expiration, src);
	}
	json_object_put(root); /* json-c does not wipe; the strings were short-lived */
	return rc;
}

int creds_cache_put(const char *dir, const char *key, const struct creds *c, char *err, size_t errsz)
{
	char path[4200], tmp[4300];
	err[0] = 0;
	if (c->expiration <= 0)
		return -1; /* long-term keys are never written to disk */
	if (check_dir(dir, 1, err, errsz) || entry_path(dir, key, path, sizeof path))
		return -1;
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	mode_t old = umask(077);
	int fd = mkstemp(tmp);
	umask(old);
	if (fd < 0) {
		error_set(err, errsz, "credential cache: cannot write in %s: %s", dir, strerror(errno));
		return -1;
	}
	json_object *root = json_object_new_object();
	json_object_object_add(root, "Version", json_object_new_int(1));
	json_object_object_add(root, "AccessKeyId", json_object_new_string(c->access_key_id));
	json_object_object_add(root, "SecretAccessKey", json_object_new_string(c->secret_access_key));
	if (c->session_token)
		json_object_object_add(root, "SessionToken", json_object_new_string(c->session_token));
	json_object_object_add(root, "Expiration", json_object_new_int64((int64_t)c->expiration));
	json_object_object_add(root, "Source", json_object_new_string(c->source));
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text), done = 0;
	int ok = fchmod(fd, 0600) == 0;
	while (ok && done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w <= 0)
			ok = 0;
		else
			done += (size_t)w;
	}
	OPENSSL_cleanse((void *)text, len);
	json_object_put(root);
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		error_set(err, errsz, "credential cache: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
