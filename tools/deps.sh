# Sourced by tools/test.sh and tools/demo.sh: install the Debian packages the
# project needs when any is missing, as root or through sudo.
S3T_DEPS="gcc make autoconf automake pkg-config libcurl4-openssl-dev libjson-c-dev \
libssl-dev help2man python3 openssl ca-certificates curl valgrind clang locales"

s3t_ensure_deps() {
	missing=""
	for p in $S3T_DEPS ${S3T_EXTRA_DEPS:-}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
			|| missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "missing packages:$missing (run as root or install sudo)" >&2
		return 1
	fi
	echo "installing:$missing"
	$sudo apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
