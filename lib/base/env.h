/*
 * env.h - reading the environment through an injectable lookup.
 *
 * Contract: env_get() asks getenv_fn (NULL means getenv(3)) for name and
 * returns the value, or NULL when the variable is unset, empty or only
 * whitespace: the AWS SDKs treat a blank setting as no setting. Every module
 * that reads AWS_* variables goes through it, so tests can inject an
 * environment and all settings agree on what "set" means.
 */
#ifndef S3T_ENV_H
#define S3T_ENV_H

const char *env_get(const char *(*getenv_fn)(const char *), const char *name);

#endif
