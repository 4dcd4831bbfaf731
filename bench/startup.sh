#!/usr/bin/env bash
# Wall time of short commands from a cold JVM, as a person at a terminal waits for them.
# Uses the launcher's jar (./direct builds it); each command runs RUNS times on a fresh home and
# the median is printed, beside `java -version` as the JVM's own floor on this machine.
#   bench/startup.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-7}"
jar="$root/direct-sandbox/target/direct-sandbox.jar"
[ -f "$jar" ] || "$root/direct" --version >/dev/null
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export DIRECT_HOME="$home/home" DIRECT_PASSWORD="startup-bench-password"

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

printf '%-28s %8s\n' "command" "median"
printf '%-28s %6s ms\n' "java -version (floor)" "$(median_ms java -version)"
for cmd in "--version" "identity list" "anchors list" "inbox" "status"; do
  # shellcheck disable=SC2086
  printf '%-28s %6s ms\n' "direct $cmd" "$(median_ms java ${JAVA_OPTS:-} -jar "$jar" $cmd)"
done
echo "($runs runs each, $(nproc) cores, $(java -version 2>&1 | head -1))"
