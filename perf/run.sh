#!/usr/bin/env bash
# svc-registry side by side with etcd, one command (issue 8; perf/README.md explains everything).
#   perf/run.sh            full run, well under 10 minutes: perf/results/<date>.md/.json and latest.md
#   perf/run.sh --smoke    every workload once with tiny counts, in seconds; exits 0 when everything ran.
#                          Timings are not judged. Results: perf/results/smoke-<date>.* (git-ignored).
#   perf/run.sh --ha       also workload 10: 3 registry nodes on a 3-member etcd cluster (issue 17), a few minutes more
# Other flags go to the harness (perf/Registry.LoadTest): --server-cpus LIST, --load-cpus LIST, --amnesia, --out DIR.
# Installs what it needs when missing (Debian packages: etcd-server, etcd-client, wrk, util-linux).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  echo "perf: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Where Debian's etcd-server package starts a system etcd (under systemd), it is left alone: the harness
# starts its own etcd on free loopback ports with fresh data directories.

echo "perf: building (Release)"
build_log="$(mktemp)"
if ! dotnet build perf/Registry.LoadTest/Registry.LoadTest.csproj -c Release -nologo -v q >"$build_log" 2>&1; then
  cat "$build_log"; rm -f "$build_log"; exit 1
fi
rm -f "$build_log"

# A hard ceiling so a wedged run can never hang CI: 5 minutes for --smoke, 20 for a full run. On SIGTERM the
# harness kills the servers it started before it exits.
limit=1200
for arg in "$@"; do [ "$arg" = "--smoke" ] && limit=300; done
exec timeout --kill-after=15 "$limit" dotnet perf/Registry.LoadTest/bin/Release/net10.0/Registry.LoadTest.dll "$@"
