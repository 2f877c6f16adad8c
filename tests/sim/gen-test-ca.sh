#!/bin/sh
# gen-test-ca.sh DIR: create a throwaway test CA and a server certificate for the
# simulated S3 Tables endpoint (tests/sim/s3tables_sim.py).
#
# Writes into DIR:
#   ca.pem, ca.key          self-signed test CA (EC P-256, CA:TRUE)
#   server.pem, server.key  server cert signed by the CA,
#                           SAN = DNS:localhost, IP:127.0.0.1, IP:::1
#   capath/<hash>.0         c_rehash-style directory holding only the CA (for --ca-path)
#
# Idempotent: when DIR already holds a complete, valid set that is not about to expire,
# nothing is regenerated. Quiet: prints nothing unless openssl fails.
# The keys are test material only; never use them for anything else.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
: "${OPENSSL:=openssl}"

mkdir -p "$dir"

# Already complete and valid? Then do nothing.
if [ -s "$dir/ca.pem" ] && [ -s "$dir/ca.key" ] && [ -s "$dir/server.pem" ] && [ -s "$dir/server.key" ]; then
    if hash=$("$OPENSSL" x509 -hash -noout -in "$dir/ca.pem" 2>/dev/null) &&
       [ -s "$dir/capath/$hash.0" ] &&
       "$OPENSSL" verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1 &&
       "$OPENSSL" x509 -checkend 86400 -noout -in "$dir/server.pem" >/dev/null 2>&1 &&
       "$OPENSSL" x509 -checkend 86400 -noout -in "$dir/ca.pem" >/dev/null 2>&1; then
        exit 0
    fi
fi

tmp=$(mktemp -d "$dir/.gen-test-ca.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
log=$tmp/openssl.log

run() {
    if ! "$@" >>"$log" 2>&1; then
        echo "gen-test-ca.sh: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

cat >"$tmp/openssl.cnf" <<'EOF'
[ req ]
distinguished_name = dn
prompt             = no
x509_extensions    = v3_ca

[ dn ]
CN = monitoring-plugins-s3tables throwaway test CA

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
EOF

umask 077
run "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ca.key"
run "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/server.key"
umask 022
run "$OPENSSL" req -config "$tmp/openssl.cnf" -new -x509 -sha256 -days 3650 \
    -key "$tmp/ca.key" -out "$tmp/ca.pem"
run "$OPENSSL" req -config "$tmp/openssl.cnf" -new -sha256 -subj "/CN=localhost" \
    -key "$tmp/server.key" -out "$tmp/server.csr"
serial=0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run "$OPENSSL" x509 -req -sha256 -days 3650 -in "$tmp/server.csr" \
    -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial "$serial" \
    -extfile "$tmp/openssl.cnf" -extensions v3_server -out "$tmp/server.pem"
run "$OPENSSL" verify -CAfile "$tmp/ca.pem" "$tmp/server.pem"

hash=$("$OPENSSL" x509 -hash -noout -in "$tmp/ca.pem")
mkdir -p "$tmp/capath"
cp "$tmp/ca.pem" "$tmp/capath/$hash.0"

# Move into place (each rename is atomic); keys first so a cert never lacks its key.
mv -f "$tmp/ca.key" "$dir/ca.key"
mv -f "$tmp/server.key" "$dir/server.key"
mv -f "$tmp/ca.pem" "$dir/ca.pem"
mv -f "$tmp/server.pem" "$dir/server.pem"
rm -rf "$dir/capath"
mv -f "$tmp/capath" "$dir/capath"
exit 0
