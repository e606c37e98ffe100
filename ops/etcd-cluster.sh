#!/usr/bin/env bash
# A 3-member etcd cluster on loopback for svc-registry's high-availability mode (issue 17, docs/HA.md): used by the
# HA tests and by RUNBOOK.md ("High availability on etcd"). Every member binds 127.0.0.1 only.
#
#   ops/etcd-cluster.sh start DIR [BASE_PORT]   fresh data directories under DIR (which must not hold a cluster yet);
#                                               ports BASE_PORT..BASE_PORT+5 (client, peer per member), or free ones
#                                               when BASE_PORT is left out. Prints the client endpoints (comma list),
#                                               also written to DIR/endpoints. Returns once all 3 answer as healthy.
#   ops/etcd-cluster.sh status DIR              every member: pid, client URL, health (exit 0 only when all 3 are up)
#   ops/etcd-cluster.sh stop DIR                SIGTERM to every member, then SIGKILL after 5 s; data is kept
#   ops/etcd-cluster.sh kill-member DIR N       SIGKILL member N (1..3): a lost member, for drills and tests
#   ops/etcd-cluster.sh start-member DIR N      restarts member N on its data directory (rejoins the cluster)
#
# Installs Debian's etcd-server and etcd-client when etcd or etcdctl is missing (as perf/run.sh does). The cluster
# uses etcd's defaults (1.5 MiB request limit, 2 GiB backend quota) so that what the registry sees here is what it
# sees in production.
set -euo pipefail

usage() { sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd="$1"; dir="$2"

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "etcd-cluster: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Six consecutive free ports starting at a random base in 20000..32000: below Linux's ephemeral range (32768 on),
# so that a member restarted by start-member does not find its port taken by some process's outgoing connection.
pick_base() {
  local base p ok
  for _ in $(seq 1 50); do
    base=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    ok=1
    for p in $(seq "$base" $((base + 5))); do port_free "$p" || { ok=0; break; }; done
    [ "$ok" = 1 ] && { echo "$base"; return 0; }
  done
  echo "etcd-cluster: found no 6 free consecutive ports" >&2; return 1
}

member_ports() { # N -> "client peer"
  local base; base="$(cat "$dir/base_port")"
  echo "$((base + ($1 - 1) * 2)) $((base + ($1 - 1) * 2 + 1))"
}

initial_cluster() {
  local n out="" c p
  for n in 1 2 3; do read -r c p <<<"$(member_ports "$n")"; out+="${out:+,}m$n=http://127.0.0.1:$p"; done
  echo "$out"
}

alive() { [ -f "$dir/m$1.pid" ] && kill -0 "$(cat "$dir/m$1.pid")" 2>/dev/null; }

launch() { # N STATE
  local n="$1" state="$2" c p
  read -r c p <<<"$(member_ports "$n")"
  mkdir -p "$dir/m$n"
  # setsid: the member is in its own session, so a test runner's process group signals do not reach it.
  setsid etcd --name "m$n" --data-dir "$dir/m$n/data" \
    --listen-client-urls "http://127.0.0.1:$c" --advertise-client-urls "http://127.0.0.1:$c" \
    --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
    --initial-cluster "$(initial_cluster)" --initial-cluster-state "$state" \
    --initial-cluster-token "svc-registry-$(basename "$dir")" --logger zap --log-outputs stderr \
    </dev/null >"$dir/m$n/etcd.log" 2>&1 &
  echo $! >"$dir/m$n.pid"
}

healthy() { # N
  local c p; read -r c p <<<"$(member_ports "$1")"
  ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$c" --dial-timeout 1s --command-timeout 2s endpoint health >/dev/null 2>&1
}

wait_healthy() { # N... ; up to 30 s
  local n deadline=$((SECONDS + 30))
  for n in "$@"; do
    until healthy "$n"; do
      alive "$n" || { echo "etcd-cluster: member m$n exited; its log:" >&2; tail -20 "$dir/m$n/etcd.log" >&2; return 1; }
      [ $SECONDS -lt $deadline ] || { echo "etcd-cluster: member m$n not healthy after 30 s" >&2; return 1; }
      sleep 0.2
    done
  done
}

case "$cmd" in
  start)
    [ ! -e "$dir/base_port" ] || { echo "etcd-cluster: $dir already holds a cluster (stop it and remove the directory first)" >&2; exit 1; }
    mkdir -p "$dir"
    base="${3:-$(pick_base)}"
    for p in $(seq "$base" $((base + 5))); do port_free "$p" || { echo "etcd-cluster: port $p is in use" >&2; exit 1; }; done
    echo "$base" >"$dir/base_port"
    for n in 1 2 3; do launch "$n" new; done
    wait_healthy 1 2 3
    eps=""
    for n in 1 2 3; do read -r c p <<<"$(member_ports "$n")"; eps+="${eps:+,}http://127.0.0.1:$c"; done
    echo "$eps" >"$dir/endpoints"
    echo "$eps"
    ;;
  status)
    [ -e "$dir/base_port" ] || { echo "etcd-cluster: no cluster in $dir" >&2; exit 1; }
    rc=0
    for n in 1 2 3; do
      read -r c p <<<"$(member_ports "$n")"
      if alive "$n" && healthy "$n"; then state=healthy; elif alive "$n"; then state=unhealthy; rc=1; else state=down; rc=1; fi
      pid="-"; alive "$n" && pid="$(cat "$dir/m$n.pid")"
      printf 'm%s pid=%s client=http://127.0.0.1:%s %s\n' "$n" "$pid" "$c" "$state"
    done
    exit $rc
    ;;
  stop)
    [ -e "$dir/base_port" ] || exit 0
    for n in 1 2 3; do alive "$n" && kill -TERM "$(cat "$dir/m$n.pid")" 2>/dev/null || true; done
    for _ in $(seq 1 50); do
      any=0; for n in 1 2 3; do alive "$n" && any=1; done
      [ $any = 0 ] && break; sleep 0.1
    done
    for n in 1 2 3; do alive "$n" && kill -KILL "$(cat "$dir/m$n.pid")" 2>/dev/null || true; done
    rm -f "$dir"/m?.pid
    ;;
  kill-member)
    n="${3:?member number 1..3}"
    alive "$n" && kill -KILL "$(cat "$dir/m$n.pid")"
    for _ in $(seq 1 50); do alive "$n" || break; sleep 0.1; done
    rm -f "$dir/m$n.pid"
    ;;
  start-member)
    n="${3:?member number 1..3}"
    alive "$n" && { echo "etcd-cluster: m$n is running" >&2; exit 1; }
    # A member rejoining on its own data directory; it reports healthy once a quorum is reachable.
    launch "$n" existing
    ;;
  *) usage ;;
esac
