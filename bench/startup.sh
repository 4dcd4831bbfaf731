#!/usr/bin/env bash
# Wall time of commands from a cold JVM, as a person at a terminal waits for them: each command
# runs RUNS times on a fresh home and the median is printed, through the ./direct launcher (with
# its class-data archive and quick-compiler start, as users run it) and as a bare `java -jar` of
# the same jar (the reference), beside `java -version` as the JVM's own floor on this machine.
# seal and open take a 1 KiB message (bench/fixture-home.sh, which needs openssl).
#   bench/startup.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-7}"
jar="$root/direct-sandbox/target/direct-sandbox.jar"
archive="$root/direct-sandbox/target/direct.jsa"
"$root/direct" --version >/dev/null
[ -f "$archive" ] && [ "$archive" -nt "$jar" ] || "$root/bench/cds-archive.sh" "$jar" "$archive"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DIRECT_HOME="$work/home" DIRECT_PASSWORD="startup-bench-password"

median_ms() { # command...
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

cd "$work"
"$root/bench/fixture-home.sh" "$jar"

printf '%-26s %10s %12s %7s\n' "command" "./direct" "java -jar" "ratio"
printf '%-26s %7s ms\n' "java -version (floor)" "$(median_ms java -version)"
for cmd in "--version" "identity list" "anchors list" "inbox" "status" \
    "seal --in plain.eml --out sealed-again.eml" "open --in sealed.eml"; do
  # shellcheck disable=SC2086
  launcher=$(median_ms "$root/direct" $cmd)
  # shellcheck disable=SC2086
  bare=$(median_ms java ${JAVA_OPTS:-} -jar "$jar" $cmd)
  printf '%-26s %7s ms %9s ms %7s\n' "direct ${cmd%% --in*}" "$launcher" "$bare" \
    "$(awk -v a="$launcher" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
done
echo "($runs runs each, $(nproc) cores, $(java -version 2>&1 | head -1))"
