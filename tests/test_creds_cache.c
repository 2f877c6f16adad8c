/* Unit tests for lib/creds/creds_cache.c: hits, expiry margin, refusals, concurrency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "creds_cache.h"
#include "tap.h"

static char dir[256];

static void make_creds(struct creds *c, const char *id, double exp)
{
	creds_set(c, id, "SECRETsecretSECRET", "TOKENtokenTOKEN", exp, "assume-role");
}

static int file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char buf[8192];
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

int main(void)
{
	char err[512], base[] = "/tmp/s3t-cache-XXXXXX", cmd[600];
	struct creds c, got;
	double now = (double)time(NULL);

	if (!mkdtemp(base))
		return 1;
	snprintf(dir, sizeof dir, "%s/cache/monitoring-plugins-s3tables", base);

	/* Store and read back. */
	make_creds(&c, "ASIAONE", now + 3600);
	is_int(creds_cache_put(dir, "assume-role\nrole-a", &c, err, sizeof err), 0, "put creates the directory and writes");
	struct stat st;
	ok(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "directory created with mode 0700");
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), 0, "get hits");
	is_str(got.access_key_id, "ASIAONE", "same key id");
	is_str(got.secret_access_key, "SECRETsecretSECRET", "same secret");
	is_str(got.session_token, "TOKENtokenTOKEN", "same token");
	ok(got.expiration == (double)(long long)(now + 3600), "same expiration");
	is_str(got.source, "assume-role (cached)", "source says it came from the cache");
	creds_free(&got);
	is_int(creds_cache_get(dir, "assume-role\nrole-b", now, &got, err, sizeof err), -1, "another key misses");
	is_str(err, "", "a miss is not an error");

	/* The key is hashed: it never appears on disk; files are 0600. */
	snprintf(cmd, sizeof cmd, "grep -rq 'role-a' %s", dir);
	ok(system(cmd) != 0, "the key text does not appear in the cache files");
	snprintf(cmd, sizeof cmd, "test -z \"$(find %s -type f ! -perm 600)\"", dir);
	ok(system(cmd) == 0, "every cache file has mode 0600");

	/* Expiry margin: 5 minutes before expiry the entry is no longer used. */
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now + 3600 - 301, &got, err, sizeof err), 0,
	       "still used 301 s before expiry");
	creds_free(&got);
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now + 3600 - 299, &got, err, sizeof err), -1,
	       "refreshed 299 s before expiry");

	/* Long-term credentials are never written. */
	struct creds lt;
	creds_set(&lt, "AKIALONG", "longsecret", NULL, 0, "profile");
	is_int(creds_cache_put(dir, "static", &lt, err, sizeof err), -1, "long-term keys are not cached");
	is_int(creds_cache_get(dir, "static", now, &got, err, sizeof err), -1, "and so never found");
	creds_free(&lt);

	/* Overwrite replaces atomically. */
	creds_free(&c);
	make_creds(&c, "ASIATWO", now + 7200);
	creds_cache_put(dir, "assume-role\nrole-a", &c, err, sizeof err);
	creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err);
	is_str(got.access_key_id, "ASIATWO", "a new entry replaces the old one");
	creds_free(&got);

	/* Corrupt entries are ignored, not trusted. */
	char entry[600];
	snprintf(cmd, sizeof cmd, "ls %s/*.json | head -1", dir);
	FILE *p = popen(cmd, "r");
	if (!p || !fgets(entry, sizeof entry, p))
		entry[0] = 0;
	if (p)
		pclose(p);
	entry[strcspn(entry, "\n")] = 0;
	ok(file_contains(entry, "ASIATWO"), "entry file found (%s)", entry);
	FILE *f = fopen(entry, "w");
	if (f) {
		fputs("{\"AccessKeyId\": 12, garbage", f);
		fclose(f);
	}
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), -1, "a corrupt entry is a miss");

	/* Refusals: loose file mode, loose directory mode, symlinked entry, foreign owner. */
	creds_cache_put(dir, "assume-role\nrole-a", &c, err, sizeof err);
	chmod(entry, 0644);
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), -1, "a 0644 entry is refused");
	ok(strstr(err, "refused") != NULL, "and the reason says so: %s", err);
	chmod(entry, 0600);
	chmod(dir, 0755);
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), -1, "a 0755 directory is refused");
	ok(strstr(err, "mode 755") != NULL, "reason names the mode: %s", err);
	is_int(creds_cache_put(dir, "assume-role\nrole-a", &c, err, sizeof err), -1, "and nothing is written there");
	chmod(dir, 0700);
	char target[700];
	snprintf(target, sizeof target, "%s.real", entry);
	rename(entry, target);
	ok(symlink(target, entry) == 0, "symlink planted");
	is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), -1, "a symlinked entry is refused");
	unlink(entry);
	rename(target, entry);
	if (geteuid() == 0) {
		ok(chown(dir, 65534, 65534) == 0, "chown to nobody");
		is_int(creds_cache_get(dir, "assume-role\nrole-a", now, &got, err, sizeof err), -1,
		       "a directory owned by another user is refused");
		ok(strstr(err, "owned by uid 65534") != NULL, "reason names the owner: %s", err);
		ok(chown(dir, 0, 0) == 0, "chown back");
	} else {
		for (int i = 0; i < 4; i++)
			ok(1, "# SKIP foreign owner check needs root");
	}

	/* Concurrent writers and readers never see a torn entry. */
	int kids = 6, bad = 0;
	for (int k = 0; k < kids; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			char e[256], id[32];
			struct creds w, r;
			int torn = 0;
			for (int i = 0; i < 150; i++) {
				snprintf(id, sizeof id, "ASIAK%dI%d", k, i);
				make_creds(&w, id, now + 3600);
				creds_cache_put(dir, "shared", &w, e, sizeof e);
				creds_free(&w);
				if (creds_cache_get(dir, "shared", now, &r, e, sizeof e) == 0) {
					if (strncmp(r.access_key_id, "ASIAK", 5) != 0 || strcmp(r.secret_access_key, "SECRETsecretSECRET"))
						torn = 1;
					creds_free(&r);
				} else {
					torn = 1; /* the entry always exists after the first put */
				}
			}
			_exit(torn);
		}
	}
	for (int k = 0; k < kids; k++) {
		int status = 0;
		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	}
	is_int(bad, 0, "6 processes x 150 concurrent writes and reads: every read complete and valid");
	snprintf(cmd, sizeof cmd, "test -z \"$(find %s -name '*.XXXXXX' -o -name '*.json.*')\"", dir);
	ok(system(cmd) == 0, "no temporary files left behind");

	creds_free(&c);
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
