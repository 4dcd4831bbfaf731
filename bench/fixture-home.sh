#!/usr/bin/env bash
# Makes, in the current folder, a home ($DIRECT_HOME, with $DIRECT_PASSWORD) whose identity can
# sign and decrypt, with an openssl-made CA as its anchor and itself as its contact, and a 1 KiB
# message plain.eml from it to itself; sealed.eml is that message sealed. Needs openssl.
#   bench/fixture-home.sh JAR
set -euo pipefail
jar="$1"
direct() { java -Ddirect.crypto.noNative=true -jar "$jar" "$@"; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=Bench CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
direct identity create --address me@bench.example --csr-out me.csr >/dev/null 2>&1
printf 'subjectAltName=email:me@bench.example\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > ext.cnf
openssl x509 -req -in me.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out me.pem 2>/dev/null
direct identity install-cert me.pem >/dev/null
direct anchors add ca.pem >/dev/null
direct contacts add me@bench.example --cert me.pem >/dev/null
{ printf 'From: me@bench.example\r\nTo: me@bench.example\r\nSubject: bench\r\nMessage-ID: <b1@bench.example>\r\n\r\n'
  head -c 1024 /dev/zero | tr '\0' 'x'; printf '\r\n'; } > plain.eml
direct seal --in plain.eml --out sealed.eml >/dev/null
