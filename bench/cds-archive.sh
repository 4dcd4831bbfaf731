#!/usr/bin/env bash
# Makes the class-data archive (AppCDS) the ./direct launcher maps: the classes that short
# commands load (and seal and open, when openssl is there to make their identity), listed by
# running them once each on a throw-away home, then dumped into one archive. About 15 s on 2
# cores; the archive is written aside and moved into place whole.
#   bench/cds-archive.sh JAR ARCHIVE
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
archive="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
work="$(mktemp -d)"
marker="$archive.making"
trap 'rm -rf "$work" "$marker"' EXIT
: > "$marker"
cd "$work" # a JVM that fails leaves its report here, not in the caller's folder
export DIRECT_HOME="$work/home" DIRECT_PASSWORD="class-data-training"
i=0
for cmd in "--help" "--version" "identity list" "anchors list" "contacts list" "inbox" "quarantine" "sent" \
    "receipts" "status" "outbox" "health" "read 1" "search x"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  java -XX:DumpLoadedClassList="$work/classes-$i.lst" -jar "$jar" $cmd >/dev/null 2>&1 || true
done
# in the order they were loaded, each once; the lambda entries are left out (merged from several runs
# they crash the JDK 17 dump), so lambdas are linked at run time as without an archive
# seal and open too, where openssl can make the identity they need
if command -v openssl >/dev/null && (cd "$work" && "$here/fixture-home.sh" "$jar") >/dev/null 2>&1; then
  for cmd in "seal --in $work/plain.eml --out $work/again.eml" "open --in $work/sealed.eml"; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    java -Ddirect.crypto.noNative=true -XX:DumpLoadedClassList="$work/classes-$i.lst" -jar "$jar" $cmd >/dev/null 2>&1 || true
  done
fi
cat "$work"/classes-*.lst | grep -v "^@lambda" | awk '!seen[$0]++' > "$work/classes.lst"
java -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$work/direct.jsa" \
  -Xlog:cds=off -cp "$jar" >/dev/null 2>&1
chmod 644 "$work/direct.jsa"
mv -f "$work/direct.jsa" "$archive"
