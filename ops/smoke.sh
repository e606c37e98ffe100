#!/usr/bin/env bash
# ops/smoke.sh: the post-upgrade smoke test (RUNBOOK.md section 8), run by CI through
# tests/Registry.Api.Tests/Ops/SmokeTests.cs and by hand after an upgrade:
#
#   ops/smoke.sh          needs a Release build (dotnet build -c Release Registry.sln)
#
# It installs the built binaries into a temporary root with ops/install.sh (DESTDIR), starts a
# fresh service from that layout on free loopback ports, and runs the documented commands: health,
# readiness, version, metrics, head, propose -> approve -> approve -> commit, stream, SIGHUP
# reload, read-only mode, the storage-latency chaos drill, SIGTERM/SIGINT drain. Any failure
# exits non-zero and prints the service log.
#
# Documented commands run through `doc '...'`: the argument is the command exactly as RUNBOOK.md
# or README.md prints it (DocCommandTests fails when the two differ), rewritten only by the fixed
# table in run_doc (default ports -> this run's ports, system paths -> the temporary root).
#
# Not yet here (RUNBOOK.md marks them): durable storage (the service still refuses --data-dir
# without --amnesia), so backup, restore into a second data directory and verify; and ronctl,
# so the write flow below signs with openssl and the public dev-mode seeds (DevMaterial.cs)
# instead of `ronctl registry approve`.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/svcr-smoke.XXXXXX")"
root="$work/root"
service_pid=""
service_log=""

read -r API_PORT ADMIN_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

cleanup() {
  local status=$?
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -KILL "$service_pid" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ] && [ -n "$service_log" ] && [ -f "$service_log" ]; then
    echo "smoke: service log ($service_log):" >&2
    tail -n 40 "$service_log" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
step() { echo "smoke: -- $*" >&2; }

# The documented command with this run's ports and paths (the only rewriting there is).
rewrite() {
  local run="$1"
  run="${run#sudo }"
  run="${run//127.0.0.1:9444/127.0.0.1:$API_PORT}"
  run="${run//127.0.0.1:9909/127.0.0.1:$ADMIN_PORT}"
  run="${run//\/usr\/local\//$root/usr/local/}"
  run="${run//\/etc\/svc-registry/$root/etc/svc-registry}"
  run="${run//\/var\/lib\/svc-registry/$root/var/lib/svc-registry}"
  run="${run//\/var\/backups\/svc-registry/$root/var/backups/svc-registry}"
  run="${run//\/etc\/prometheus\//$root/etc/prometheus/}"
  run="${run//\/var\/lib\/grafana\//$root/var/lib/grafana/}"
  printf '%s' "$run"
}

# doc 'COMMAND': runs a documented command from the repository root as an operator's shell would
# (no pipefail; REGISTRY_ADDR/METRICS_ADDR point the service's default addresses at this run's
# ports); prints its output; fails the smoke test if it exits non-zero.
doc() {
  local run
  run="$(rewrite "$1")"
  echo "smoke: \$ $1" >&2
  (cd "$repo" && set +o pipefail && REGISTRY_ADDR="127.0.0.1:$API_PORT" METRICS_ADDR="127.0.0.1:$ADMIN_PORT" DESTDIR="$root" eval "$run") \
    || fail "documented command failed: $1"
}

# doc_service 'COMMAND': starts a documented foreground service command in the background, logs to
# a file, and waits (up to 60 s) for the ready=1 line, or fails if the process exits first.
doc_service() {
  local run
  run="$(rewrite "$1")"
  echo "smoke: \$ $1   (in the background)" >&2
  service_log="$work/service-$(date +%s%N).log"
  : >"$service_log" # exists before tail looks for it
  (cd "$work" && REGISTRY_ADDR="127.0.0.1:$API_PORT" METRICS_ADDR="127.0.0.1:$ADMIN_PORT" SVCR_STREAM__HEARTBEAT_SECONDS=1 exec env $run) >"$service_log" 2>&1 &
  service_pid=$!
  wait_log 'ready=1 service=svc-registry role=read-plane' || fail "service did not log ready=1"
}

# wait_log PATTERN: the service log has a line with PATTERN (already or within 60 s).
wait_log() {
  timeout 60 grep -q -m1 -F "$1" < <(tail -n +1 -f --pid="$service_pid" "$service_log")
}

# stop_service SIGNAL: sends the signal, waits up to 30 s, checks exit 0 and shutdown_complete=1.
stop_service() {
  kill "-$1" "$service_pid"
  timeout 30 tail --pid="$service_pid" -f /dev/null || fail "service did not exit within 30 s of SIG$1"
  local code=0
  wait "$service_pid" || code=$?
  service_pid=""
  [ "$code" -eq 0 ] || fail "service exited $code after SIG$1 (expected 0)"
  grep -q -F 'shutdown_complete=1 service=svc-registry' "$service_log" || fail "no shutdown_complete=1 after SIG$1"
}

# --- dev-mode material (public seeds, Registry.Api/Hosting/DevMaterial.cs; never for real data) ---
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
dev_token() {
  local identifier='{"exp":4102444800,"id":"dev","kid":"dev-root","scopes":["registry:approve","registry:commit","registry:propose"]}'
  local key
  key="$(printf '%s' 'svc-registry dev capability root key' | sha256sum | cut -d' ' -f1)"
  printf 'rcap1.%s.%s' "$(printf '%s' "$identifier" | b64url)" \
    "$(printf '%s' "$identifier" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | b64url)"
}
# approval_json PROPOSAL_ID N: dev signer N's approval (Ed25519 over "ron:svc-registry:v1\n" + id).
approval_json() {
  local der="$work/dev-signer-$2.der"
  { printf '302e020100300506032b657004220420' | xxd -r -p
    printf '%s' "svc-registry dev signer $2" | openssl dgst -sha256 -binary; } > "$der"
  printf 'ron:svc-registry:v1\n%s' "$1" > "$work/message"
  local sig
  sig="$(openssl pkeyutl -sign -rawin -inkey "$der" -keyform DER -in "$work/message" | base64 -w0)"
  printf '{"signer_id":"dev-signer-%s","algo":"ed25519","sig":"%s"}' "$2" "$sig"
}
api_post() { # PATH [JSON]: POST with the dev token; prints "STATUS BODY"
  local args=(-sS -o "$work/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN")
  [ $# -lt 2 ] || args+=(-H 'Content-Type: application/json' --data-binary "$2")
  local code
  code="$(curl "${args[@]}" "http://127.0.0.1:$API_PORT$1")"
  printf '%s %s' "$code" "$(cat "$work/body")"
}
expect_status() { # EXPECTED "STATUS BODY" WHAT
  [ "${2%% *}" = "$1" ] || fail "$3: expected HTTP $1, got ${2}"
}

# --- install ---
step "install into a temporary root"
doc 'sudo ops/install.sh'
[ -x "$root/usr/local/bin/svc-registry" ] && [ -f "$root/usr/local/lib/svc-registry/svc-registry.dll" ] \
  && [ -f "$root/etc/systemd/system/svc-registry.service" ] && [ -f "$root/etc/svc-registry/svc-registry.toml" ] \
  || fail "install.sh did not produce the documented layout"
doc 'sudo install -D -m 0644 ops/prometheus/alerts.yml /etc/prometheus/rules/svc-registry.yml'
doc 'promtool check rules /etc/prometheus/rules/svc-registry.yml'
doc 'promtool test rules ops/prometheus/alerts.test.yml'
doc 'sudo install -D -m 0644 ops/grafana/svc-registry.json /var/lib/grafana/dashboards/svc-registry.json'
[ -z "$(doc 'ls -1 /var/backups/svc-registry')" ] || fail "a fresh install has backups already"

# --- start, health, readiness ---
step "start a fresh service (dev mode, in memory) from the installed layout"
doc_service '/usr/local/bin/svc-registry --amnesia'
doc 'curl -fsS --retry 30 --retry-connrefused --retry-delay 1 http://127.0.0.1:9909/readyz'
doc 'curl -fsS http://127.0.0.1:9909/healthz'
ready="$(doc 'curl -sS http://127.0.0.1:9909/readyz | jq -c .')"
[ "$(jq -r '.ready and .write_ready and (.missing == [])' <<<"$ready")" = true ] || fail "/readyz not fully ready: $ready"
version="$(doc 'curl -fsS http://127.0.0.1:9909/version | jq .')"
[ "$(jq -r '.service + " " + (.features.amnesia|tostring)' <<<"$version")" = "svc-registry true" ] || fail "/version: $version"

# --- read plane ---
step "head"
[ "$(doc 'curl -fsS http://127.0.0.1:9444/registry/head | jq .version')" = 0 ] || fail "fresh HEAD is not version 0"
head_json="$(curl -fsS "http://127.0.0.1:$API_PORT/registry/head")"
etag="$(curl -fsS -o /dev/null -D - "http://127.0.0.1:$API_PORT/registry/head" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')"
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$API_PORT/registry/head")" = 304 ] \
  || fail "If-None-Match with the head ETag did not answer 304"

# --- write flow: propose -> approve (dev-signer-1) -> approve (dev-signer-2) -> commit ---
step "propose -> approve -> approve -> commit"
TOKEN="$(dev_token)"
proposal="$(jq -cn --argjson head "$head_json" '{base_version: $head.version, base_hash: $head.hash,
  changes: [{op: "put", descriptor: {kind: "region", id: "region:smoke", attrs: {name: "Smoke test"}}}],
  expires_at: "2099-01-01T00:00:00Z", note: "ops/smoke.sh"}')"
reply="$(api_post /registry/proposals "$proposal")"
expect_status 202 "$reply" "propose"
proposal_id="$(jq -r .proposal_id <<<"${reply#* }")"
expect_status 200 "$(api_post "/registry/approvals/$proposal_id" "$(approval_json "$proposal_id" 1)")" "approve (dev-signer-1)"
expect_status 409 "$(api_post "/registry/approvals/$proposal_id" "$(approval_json "$proposal_id" 1)")" "second approval by the same signer"
expect_status 200 "$(api_post "/registry/approvals/$proposal_id" "$(approval_json "$proposal_id" 2)")" "approve (dev-signer-2)"
reply="$(api_post "/registry/commit/$proposal_id")"
expect_status 201 "$reply" "commit"
[ "$(jq -r .version <<<"${reply#* }")" = 1 ] || fail "commit did not produce version 1: $reply"
expect_status 201 "$(api_post "/registry/commit/$proposal_id")" "commit retry (idempotent)"
[ "$(doc 'curl -fsS http://127.0.0.1:9444/registry/head | jq .version')" = 1 ] || fail "HEAD did not move to version 1"
curl -fsS "http://127.0.0.1:$API_PORT/registry/1/descriptors/region:smoke" | jq -e '.descriptor.id == "region:smoke" or .id == "region:smoke"' >/dev/null \
  || fail "the committed descriptor is not readable at version 1"

# --- stream ---
step "stream"
[ "$(doc "curl -sN 'http://127.0.0.1:9444/registry/stream?from=0' | grep -m1 '^id: '")" = "id: 1" ] \
  || fail "the stream did not replay commit 1"

# --- metrics ---
step "metrics"
doc 'curl -fsS http://127.0.0.1:9909/metrics | promtool check metrics'
metrics="$(doc "curl -fsS http://127.0.0.1:9909/metrics | grep -E '^(registry_head_version|registry_commits_total|rejected_total|bus_lagged_total|registry_checkpoint_age_seconds)'")"
grep -qx 'registry_head_version 1' <<<"$metrics" || fail "registry_head_version is not 1"
grep -qx 'registry_commits_total{outcome="committed"} 1' <<<"$metrics" || fail "registry_commits_total{outcome=\"committed\"} is not 1"

# --- reload and stop ---
step "SIGHUP reload, SIGTERM drain"
kill -HUP "$service_pid"
wait_log 'reload=1' || fail "SIGHUP did not log reload=1"
stop_service TERM

# --- read-only maintenance mode ---
step "read-only mode"
doc_service '/usr/local/bin/svc-registry --amnesia --read-only'
[ "$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/readyz" | jq -c '[.ready, .write_ready, .missing]')" = '[true,false,["read_only"]]' ] \
  || fail "/readyz in read-only mode is not ready=true write_ready=false missing=[read_only]"
head_json="$(curl -fsS "http://127.0.0.1:$API_PORT/registry/head")"
proposal="$(jq -cn --argjson head "$head_json" '{base_version: $head.version, base_hash: $head.hash,
  changes: [{op: "put", descriptor: {kind: "region", id: "region:ro", attrs: {name: "RO"}}}], expires_at: "2099-01-01T00:00:00Z", note: "ro"}')"
reply="$(api_post /registry/proposals "$proposal")"
expect_status 503 "$reply" "propose in read-only mode"
[ "$(jq -r .code <<<"${reply#* }")" = ReadOnly ] || fail "read-only answer is not code ReadOnly: $reply"
stop_service INT

# --- chaos drill: storage latency ---
step "chaos: storage latency"
doc_service 'SVCR_CHAOS__ENABLED=true /usr/local/bin/svc-registry --amnesia'
doc "curl -fsS -X POST http://127.0.0.1:9909/admin/chaos -H 'Content-Type: application/json' -d '{\"fault\":\"storage-latency\",\"ms\":50}'"
[ "$(doc 'curl -fsS http://127.0.0.1:9909/admin/chaos' | jq -c .)" = '{"fault":"storage-latency","ms":50}' ] || fail "chaos: the injected fault is not reported"
# (read whole, then grep: under pipefail `curl | grep -q` fails when grep stops reading early)
metrics="$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics")"
grep -qx 'registry_storage_append_latency_injected_seconds 0.05' <<<"$metrics" || fail "chaos: the injected latency gauge is not 0.05"
[ "$(doc 'curl -fsS -X DELETE http://127.0.0.1:9909/admin/chaos' | jq -c .)" = '{"fault":null}' ] || fail "chaos: the fault was not cleared"
stop_service TERM

echo "smoke: OK (api 127.0.0.1:$API_PORT, admin 127.0.0.1:$ADMIN_PORT)"
