#!/usr/bin/env bash
# ops/smoke.sh: the post-upgrade smoke test (RUNBOOK.md section 8), run by CI through
# tests/Registry.Api.Tests/Ops/SmokeTests.cs and by hand after an upgrade:
#
#   ops/smoke.sh          needs a Release build (dotnet build -c Release Registry.sln)
#
# It installs the built binaries into a temporary root with ops/install.sh (DESTDIR) and walks the
# runbook on that layout, on free loopback ports, with durable storage:
#   - first configuration: ronctl keygen (two signers), the trust roots, ronctl cap rotate, the
#     file modes, ronctl config check (first reporting the missing pin, then clean), the pin, and
#     svc-registry --check-config (run while the service holds the ports: it binds nothing);
#   - the service as the unit runs it (--config, data in the temporary /var/lib/svc-registry):
#     health, readiness, version, head and its ETag, a token from ronctl cap mint, `ronctl tail
#     --topic registry` following, propose -> approve -> approve -> commit with ronctl (duplicate
#     approval refused, commit retry idempotent), the stream, metrics under promtool, SIGHUP;
#   - a hot backup with the installed svc-registry-backup while the service runs, the restore
#     procedure (ronctl restore into a second data directory, ronctl verify, a second instance on
#     other ports serving the same HEAD hash, the swap, the restart on the restored directory);
#   - another commit, SIGKILL, restart: the committed version is still HEAD; ronctl verify of the
#     live chain against the trust roots; ronctl cap revoke + SIGHUP: the revoked token gets 401;
#     SIGTERM drain;
#   - read-only mode (503 ReadOnly) and SIGINT drain; the storage-latency chaos drill with
#     ronctl chaos inject/clear;
#   - README's `dotnet run` (dev mode, durable): the dev files it writes to <data_dir>/dev/, and a
#     propose -> approve -> approve -> commit with its dev token and dev signer keys, then
#     ronctl verify --data-dir of its directory once stopped.
# Any failure exits non-zero and prints the service logs.
#
# Documented commands run through `doc '...'` (or `doc_status N '...'` when the runbook says the
# command reports a problem with exit code N, `doc_service '...' [NAME]` for a foreground service,
# `doc_follow '...'` for a follower): the argument is the command exactly as RUNBOOK.md or README.md
# prints it (DocCommandTests fails when the two differ), rewritten only by the fixed table in
# `rewrite`: system paths -> the temporary root, repository paths -> this checkout, the default and
# the restore-drill ports -> this run's, `sudo` dropped and the svc-registry account -> the user
# running this script, and the placeholders <signer>, <proposal>, <backup>, <token-id> -> this
# run's values. The commands run from a scratch working directory, in the environment an
# operator's shell would have: PATH with the installed bin and sbin, REGISTRY_ADDR/METRICS_ADDR
# (which ronctl reads too), RON_KEY_DIR, RON_TOKEN_FILE once a token is minted, and RON_CONFIG
# naming the temporary root's configuration file (on a host ronctl finds
# /etc/svc-registry/svc-registry.toml by itself). The harness's own steps (writing the trust roots
# and the configuration edits the runbook asks the operator to make, reading values out of the
# output) are plain shell, not `doc`.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/svcr-smoke.XXXXXX")"
root="$work/root"
config="$root/etc/svc-registry/svc-registry.toml"
declare -A service_pids=() service_logs=()
follow_pid=""

# Nothing from the caller's shell may steer ronctl or the service.
while read -r name; do
  case "$name" in RON_* | SVCR_* | REGISTRY_ADDR | METRICS_ADDR) unset "$name" ;; esac
done < <(compgen -e)

read -r API_PORT ADMIN_PORT DRILL_API_PORT DRILL_ADMIN_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

cleanup() {
  local status=$? name
  [ -z "$follow_pid" ] || kill -KILL "$follow_pid" 2>/dev/null || true
  for name in "${!service_pids[@]}"; do
    # `dotnet run` is the parent of the service it starts: its child first.
    pkill -KILL -P "${service_pids[$name]}" 2>/dev/null || true
    kill -KILL "${service_pids[$name]}" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for name in "${!service_logs[@]}"; do
      echo "smoke: service log '$name' (${service_logs[$name]}):" >&2
      tail -n 30 "${service_logs[$name]}" >&2 || true
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
step() { echo "smoke: -- [${SECONDS}s] $*" >&2; }

# The operator's shell (see the header).
export PATH="$root/usr/local/bin:$root/usr/local/sbin:$PATH"
export REGISTRY_ADDR="127.0.0.1:$API_PORT" METRICS_ADDR="127.0.0.1:$ADMIN_PORT"
export RON_KEY_DIR="$work/keys"
mkdir -p "$work/cwd"

# Placeholders of the documented commands, set as the run goes.
signer="" proposal="" backup="" token_id=""

# The documented command with this run's paths, ports and values (the only rewriting there is).
rewrite() {
  local run="$1" me
  me="$(id -un):$(id -gn)"
  run="${run#sudo -u svc-registry }"
  run="${run#sudo }"
  run="${run//127.0.0.1:19444/127.0.0.1:$DRILL_API_PORT}"
  run="${run//127.0.0.1:19909/127.0.0.1:$DRILL_ADMIN_PORT}"
  run="${run//127.0.0.1:9444/127.0.0.1:$API_PORT}"
  run="${run//127.0.0.1:9909/127.0.0.1:$ADMIN_PORT}"
  run="${run//\/usr\/local\//$root/usr/local/}"
  run="${run//\/etc\/svc-registry/$root/etc/svc-registry}"
  run="${run//\/var\/lib\/svc-registry/$root/var/lib/svc-registry}"
  run="${run//\/var\/backups\/svc-registry/$root/var/backups/svc-registry}"
  run="${run//\/etc\/prometheus\//$root/etc/prometheus/}"
  run="${run//\/var\/lib\/grafana\//$root/var/lib/grafana/}"
  run="${run//root:svc-registry/$me}"
  run="${run//svc-registry:svc-registry/$me}"
  run=" $run"
  run="${run// ops\// $repo/ops/}"
  run="${run// src\// $repo/src/}"
  run="${run# }"
  run="${run//<signer>/$signer}"
  run="${run//<proposal>/$proposal}"
  run="${run//<backup>/$backup}"
  run="${run//<token-id>/$token_id}"
  printf '%s' "$run"
}

# doc 'COMMAND': runs a documented command as an operator's shell would (no pipefail), prints its
# output, fails the smoke test unless it exits 0. doc_status N 'COMMAND': the same, expecting exit N.
doc() { doc_run 0 "$1"; }
doc_status() { doc_run "$1" "$2"; }
doc_run() {
  local expected="$1" run code=0
  run="$(rewrite "$2")"
  echo "smoke: [${SECONDS}s] \$ $2" >&2
  (cd "$work/cwd" && set +o pipefail && DESTDIR="$root" eval "$run") || code=$?
  [ "$code" -eq "$expected" ] || fail "documented command exited $code, expected $expected: $2"
}

# doc_service 'COMMAND' [NAME]: starts a documented foreground service command in the background
# (NAME, default main), logs to a file, and waits (up to 60 s) for its ready=1 line, or fails if
# the process exits first. The stream heartbeat is 1 s so that `curl .../stream | grep -m1` returns
# promptly; extra_env adds variables for one start.
extra_env=()
doc_service() {
  local name="${2:-main}" run log
  run="$(rewrite "$1")"
  echo "smoke: [${SECONDS}s] \$ $1   (in the background: $name)" >&2
  log="$work/service-$name-$(date +%s%N).log"
  : >"$log"
  (cd "$work/cwd" && SVCR_STREAM__HEARTBEAT_SECONDS=1 exec env "${extra_env[@]}" $run) >"$log" 2>&1 &
  service_pids[$name]=$!
  service_logs[$name]="$log"
  extra_env=()
  wait_log "$name" 'ready=1 service=svc-registry role=read-plane' || fail "service '$name' did not log ready=1"
}

# doc_follow 'COMMAND': starts a documented command that follows until stopped, output to a file.
doc_follow() {
  local run
  run="$(rewrite "$1")"
  echo "smoke: [${SECONDS}s] \$ $1   (following in the background)" >&2
  : >"$work/follow.out"
  (cd "$work/cwd" && exec env $run) >"$work/follow.out" 2>&1 &
  follow_pid=$!
}

# wait_log NAME PATTERN: service NAME's log has a line with PATTERN (already or within 60 s).
wait_log() {
  timeout 60 grep -q -m1 -F "$2" < <(tail -n +1 -f --pid="${service_pids[$1]}" "${service_logs[$1]}")
}

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds; fails after SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${deadline}s waiting for: $what"
    sleep 0.1
  done
}

# stop_service NAME SIGNAL: sends the signal, waits up to 30 s, checks exit 0 and shutdown_complete=1.
stop_service() {
  local pid="${service_pids[$1]}" code=0
  kill "-$2" "$pid"
  timeout 30 tail --pid="$pid" -f /dev/null || fail "service '$1' did not exit within 30 s of SIG$2"
  wait "$pid" || code=$?
  unset "service_pids[$1]"
  [ "$code" -eq 0 ] || fail "service '$1' exited $code after SIG$2 (expected 0)"
  grep -q -F 'shutdown_complete=1 service=svc-registry' "${service_logs[$1]}" || fail "no shutdown_complete=1 after SIG$2"
}

# kill_service NAME: SIGKILL (a crash), waits for the process to be gone.
kill_service() {
  local pid="${service_pids[$1]}"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  unset "service_pids[$1]"
}

metric() { # NAME [ADMIN_PORT]: the value of an unlabelled metric
  local scrape
  scrape="$(curl -fsS "http://127.0.0.1:${2:-$ADMIN_PORT}/metrics")"
  awk -v name="$1" '$1 == name { print $2 }' <<<"$scrape"
}
metric_is() { [ "$(metric "$1")" = "$2" ]; }
head_of() { curl -fsS "http://127.0.0.1:${1:-$API_PORT}/registry/head" | jq -r '"\(.version) \(.hash)"'; }
field() { awk -v key="$1" '$1 == key && !found { print $2; found = 1 }'; } # the value of a "key  value" line of ronctl's tables
# (Output is captured before it is searched: under pipefail `doc ... | grep -q` would fail whenever
# grep stops reading before the command has written everything.)

# write_flow SIGNER_A SIGNER_B: propose sample.json, approve by A (a second approval by A is
# refused: 409, ronctl exit 4), approve by B, commit; sets proposal, committed_version, committed_hash.
write_flow() {
  local out
  out="$(doc 'ronctl registry propose --file sample.json')"
  proposal="$(field proposal_id <<<"$out")"
  [[ "$proposal" == sha256:* ]] || fail "propose printed no proposal id: $out"
  signer="$1"
  doc 'ronctl registry approve --id <proposal> --signer <signer> --yes' >/dev/null
  local code=0
  ronctl --retries 0 registry approve --id "$proposal" --signer "$1" --yes >/dev/null 2>&1 || code=$?
  [ "$code" = 4 ] || fail "a second approval by $1 exited $code (expected 4: 409 DuplicateApproval)"
  signer="$2"
  doc 'ronctl registry approve --id <proposal> --signer <signer> --yes' >/dev/null
  out="$(doc 'ronctl registry commit --id <proposal>')"
  committed_version="$(field version <<<"$out")"
  committed_hash="$(field hash <<<"$out")"
}

sample() { # KIND ID ATTRS-JSON: the proposal file the runbook's propose step reads
  jq -n --arg kind "$1" --arg id "$2" --argjson attrs "$3" \
    '{changes: [{op: "put", descriptor: {kind: $kind, id: $id, attrs: $attrs}}], note: "ops/smoke.sh"}' >"$work/cwd/sample.json"
}

# --- install ---
step "install into a temporary root"
doc 'sudo ops/install.sh'
[ -x "$root/usr/local/bin/svc-registry" ] && [ -x "$root/usr/local/bin/ronctl" ] && [ -x "$root/usr/local/sbin/svc-registry-backup" ] \
  && [ -f "$root/usr/local/lib/svc-registry/svc-registry.dll" ] && [ -f "$root/etc/systemd/system/svc-registry.service" ] && [ -f "$config" ] \
  || fail "install.sh did not produce the documented layout"
doc 'sudo install -D -m 0644 ops/prometheus/alerts.yml /etc/prometheus/rules/svc-registry.yml'
doc 'promtool check rules /etc/prometheus/rules/svc-registry.yml'
doc 'promtool test rules ops/prometheus/alerts.test.yml'
doc 'sudo install -D -m 0644 ops/grafana/svc-registry.json /var/lib/grafana/dashboards/svc-registry.json'
[ -z "$(doc 'ls -1 /var/backups/svc-registry')" ] || fail "a fresh install has backups already"

# --- first configuration (RUNBOOK.md section 2) ---
step "first configuration: signer keys, trust roots, capabilities, config check"
entries=()
for signer in signer-1 signer-2; do
  out="$(doc 'ronctl keygen --id <signer>')"
  entry="$(grep -o '{"algo":"ed25519".*}' <<<"$out")" || fail "keygen printed no signer entry: $out"
  entries+=("$entry")
  [ "$(stat -c %a "$RON_KEY_DIR/$signer.key")" = 600 ] || fail "keygen's key file is not 0600"
done
# The operator's edits: the configuration's paths (here: into the temporary root) and registry id,
# and the trust-roots file assembled from the signers' entries (2-of-2).
sed -i -e "s#\"/etc/svc-registry/#\"$root/etc/svc-registry/#" -e "s#^data_dir = \"/var/lib/svc-registry\"#data_dir = \"$root/var/lib/svc-registry\"#" \
  -e "s#^backup_dir = \"/var/backups/svc-registry/#backup_dir = \"$root/var/backups/svc-registry/#" \
  -e 's#^registry_id = "ron-dev"#registry_id = "smoke"#' "$config"
jq -n --argjson a "${entries[0]}" --argjson b "${entries[1]}" '{registry: "smoke", signer_set: {version: 1, threshold: 2, signers: [$a, $b]}}' \
  >"$root/etc/svc-registry/trust-roots.json"
export RON_CONFIG="$config"
doc 'sudo ronctl cap rotate --file /etc/svc-registry/capabilities.json'
doc 'sudo ronctl cap mint --file /etc/svc-registry/capabilities.json --scope registry:admin --ttl 365d --id admin --out /etc/svc-registry/admin.token'
grep -q '^rcap1\.' "$root/etc/svc-registry/admin.token" || fail "cap mint --out wrote no token"
[ "$(stat -c %a "$root/etc/svc-registry/admin.token")" = 600 ] || fail "cap mint --out's file is not 0600"
doc 'sudo chown root:svc-registry /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json /etc/svc-registry/admin.token'
doc 'sudo chmod 0640 /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json /etc/svc-registry/admin.token'
out="$(doc_status 7 'sudo ronctl config check /etc/svc-registry/svc-registry.toml')"
digest="$(grep -o "trust_roots_digest' is required; the file's digest is sha256:[0-9a-f]*" <<<"$out" | grep -o 'sha256:[0-9a-f]*')" \
  || fail "config check did not report the trust roots' digest: $out"
sed -i "s#^trust_roots_digest = \"\"#trust_roots_digest = \"$digest\"#" "$config"
[[ "$(doc 'sudo ronctl config check /etc/svc-registry/svc-registry.toml')" == ok:* ]] || fail "config check of the finished configuration is not ok"
out="$(doc 'sudo ronctl config print svc-registry')"
grep -qx "trust_roots_digest = \"$digest\"" <<<"$out" || fail "config print does not show the pin"
token_id=smoke-writer
install -m 0600 /dev/null "$work/token"
doc 'sudo ronctl cap mint --file /etc/svc-registry/capabilities.json --scope registry:propose --scope registry:approve --scope registry:commit --ttl 30d --id <token-id>' >"$work/token"
grep -q '^rcap1\.' "$work/token" || fail "cap mint printed no token"
export RON_TOKEN_FILE="$work/token"

# --- start as the unit does, health, readiness ---
step "start the service from the installed layout with the configuration (durable)"
doc_service 'sudo -u svc-registry /usr/local/bin/svc-registry --config /etc/svc-registry/svc-registry.toml'
[ -f "$root/var/lib/svc-registry/LOCK" ] && [ ! -e "$root/var/lib/svc-registry/dev" ] || fail "the service does not use the configured data directory"
doc 'curl -fsS --retry 30 --retry-connrefused --retry-delay 1 http://127.0.0.1:9909/readyz'
doc 'curl -fsS http://127.0.0.1:9909/healthz'
ready="$(doc 'curl -sS http://127.0.0.1:9909/readyz | jq -c .')"
[ "$(jq -r '.ready and .write_ready and (.missing == [])' <<<"$ready")" = true ] || fail "/readyz not fully ready: $ready"
version="$(doc 'curl -fsS http://127.0.0.1:9909/version | jq .')"
[ "$(jq -r '.service + " " + (.features.amnesia|tostring)' <<<"$version")" = "svc-registry false" ] || fail "/version: $version"
# --check-config reads everything a start reads and binds nothing (the ports are taken right now).
[[ "$(doc 'sudo -u svc-registry /usr/local/bin/svc-registry --check-config --config /etc/svc-registry/svc-registry.toml')" == *"configuration OK"* ]] \
  || fail "--check-config did not say the configuration is OK"
sed 's/^max_inflight = /max_inflite = /' "$config" >"$work/typo.toml"
code=0 && svc-registry --check-config --config "$work/typo.toml" 2>"$work/typo.err" || code=$?
[ "$code" = 2 ] && grep -q "max_inflite" "$work/typo.err" || fail "--check-config of a typo exited $code: $(cat "$work/typo.err")"

# --- read plane ---
step "head"
[ "$(doc 'curl -fsS http://127.0.0.1:9444/registry/head | jq .version')" = 0 ] || fail "fresh HEAD is not version 0"
[ "$(doc 'ronctl registry head' | field registry)" = smoke ] || fail "ronctl registry head does not show registry 'smoke'"
etag="$(curl -fsS -o /dev/null -D - "http://127.0.0.1:$API_PORT/registry/head" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')"
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$API_PORT/registry/head")" = 304 ] \
  || fail "If-None-Match with the head ETag did not answer 304"

# --- write flow with ronctl, followed on the bus ---
step "propose -> approve -> approve -> commit, followed by ronctl tail --topic registry"
doc_follow 'ronctl tail --topic registry'
wait_for 30 "ronctl tail to subscribe to the stream" metric_is registry_sse_clients 1
sample region region:smoke '{"name": "Smoke test"}'
write_flow signer-1 signer-2
hash1="$committed_hash"
[ "$committed_version" = 1 ] || fail "the commit did not produce version 1"
[ "$(doc 'ronctl registry commit --id <proposal>' | field hash)" = "$hash1" ] || fail "a commit retry did not answer the same version"
[ "$(doc 'curl -fsS http://127.0.0.1:9444/registry/head | jq .version')" = 1 ] || fail "HEAD did not move to version 1"
curl -fsS "http://127.0.0.1:$API_PORT/registry/1/descriptors/region:smoke" | jq -e '.descriptor.id == "region:smoke"' >/dev/null \
  || fail "the committed descriptor is not readable at version 1"
wait_for 30 "ronctl tail to print registry.updated version=1" grep -q "registry.updated version=1 hash=$hash1" "$work/follow.out"
kill "$follow_pid" && wait "$follow_pid" 2>/dev/null || true
follow_pid=""

# --- stream ---
step "stream"
[ "$(doc "curl -sN 'http://127.0.0.1:9444/registry/stream?from=0' | grep -m1 '^id: '")" = "id: 1" ] \
  || fail "the stream did not replay commit 1"

# --- metrics ---
step "metrics"
doc 'curl -fsS http://127.0.0.1:9909/metrics | promtool check metrics'
metrics="$(doc "curl -fsS http://127.0.0.1:9909/metrics | grep -E '^(registry_head_version|registry_commits_total|rejected_total|bus_lagged_total|registry_checkpoint_age_seconds|registry_checkpoint_failures_total|registry_witness_requests_total)'")"
grep -qx 'registry_head_version 1' <<<"$metrics" || fail "registry_head_version is not 1"
grep -qx 'registry_commits_total{outcome="committed"} 1' <<<"$metrics" || fail "registry_commits_total{outcome=\"committed\"} is not 1"
grep -qx 'registry_checkpoint_failures_total 0' <<<"$metrics" || fail "registry_checkpoint_failures_total is not 0"
grep -qx 'registry_witness_requests_total{outcome="cosigned"} 0' <<<"$metrics" || fail "registry_witness_requests_total{outcome=\"cosigned\"} is not 0 on a node that is no witness"

# --- reload ---
step "SIGHUP reload"
kill -HUP "${service_pids[main]}"
wait_log main 'reload=1: configuration reloaded (1 root keys, 0 revoked tokens)' || fail "SIGHUP did not log reload=1"

# --- backup while the service runs, restore into a second data directory, swap ---
step "hot backup with svc-registry-backup"
# Without the admin token the service refuses (the writer token lacks registry:admin): exit 5, nothing written.
code=0 && "$root/usr/local/sbin/svc-registry-backup" --data-dir "$root/var/lib/svc-registry" --dest "$root/var/backups/svc-registry" 2>"$work/backup.err" || code=$?
[ "$code" = 5 ] && grep -q registry:admin "$work/backup.err" || fail "a backup with the writer token exited $code: $(cat "$work/backup.err")"
doc 'sudo -u svc-registry RON_TOKEN_FILE=/etc/svc-registry/admin.token /usr/local/sbin/svc-registry-backup --data-dir /var/lib/svc-registry --dest /var/backups/svc-registry'
backup="$(doc 'ls -1 /var/backups/svc-registry')"
[[ "$backup" =~ ^svc-registry-[0-9]{8}T[0-9]{6}Z$ ]] || fail "not one backup in /var/backups/svc-registry: $backup"
[ -d "$root/var/backups/svc-registry/.incoming" ] && [ -z "$(ls -A "$root/var/backups/svc-registry/.incoming")" ] \
  || fail "the service's backup directory (storage.backup_dir) is missing or was not emptied by the move"

step "restore into a second data directory, verify, serve it on other ports"
out="$(doc 'sudo ronctl restore --from /var/backups/svc-registry/<backup> --data-dir /var/lib/svc-registry.restore')"
[[ "$out" == "restored version 1 ($hash1)"* ]] || fail "restore did not report version 1 $hash1: $out"
out="$(doc 'sudo ronctl verify --data-dir /var/lib/svc-registry.restore')"
grep -q "$hash1" <<<"$out" || fail "verify of the restored directory does not report HEAD $hash1: $out"
doc 'sudo chown -R svc-registry:svc-registry /var/lib/svc-registry.restore'
doc_service 'sudo -u svc-registry REGISTRY_ADDR=127.0.0.1:19444 METRICS_ADDR=127.0.0.1:19909 /usr/local/bin/svc-registry --config /etc/svc-registry/svc-registry.toml --data-dir /var/lib/svc-registry.restore --read-only' drill
[ "$(doc 'curl -fsS http://127.0.0.1:19444/registry/head | jq -r .hash')" = "$hash1" ] || fail "the restored directory does not serve HEAD $hash1"
stop_service drill TERM

step "swap the restored directory in and restart"
stop_service main TERM
doc 'sudo mv /var/lib/svc-registry /var/lib/svc-registry.before-restore'
doc 'sudo mv /var/lib/svc-registry.restore /var/lib/svc-registry'
doc_service 'sudo -u svc-registry /usr/local/bin/svc-registry --config /etc/svc-registry/svc-registry.toml'
[ "$(doc 'curl -fsS http://127.0.0.1:9444/registry/head | jq -r .hash')" = "$hash1" ] || fail "after the swap HEAD is not $hash1"

# --- crash: a commit survives SIGKILL ---
step "commit, SIGKILL, restart"
sample node node:smoke-1 '{"addr": "10.0.0.1:7000", "region": "region:smoke"}'
write_flow signer-2 signer-1
hash2="$committed_hash"
[ "$committed_version" = 2 ] || fail "the second commit did not produce version 2"
kill_service main
doc_service 'sudo -u svc-registry /usr/local/bin/svc-registry --config /etc/svc-registry/svc-registry.toml'
[ "$(head_of)" = "2 $hash2" ] || fail "after SIGKILL and restart HEAD is $(head_of), not 2 $hash2"
out="$(doc 'ronctl verify --trust-roots /etc/svc-registry/trust-roots.json')"
grep -q "to HEAD v2 $hash2" <<<"$out" || fail "ronctl verify of the live chain does not end at v2 $hash2: $out"

# --- revoke a token ---
step "cap revoke + reload: the token is refused"
doc 'sudo ronctl cap revoke --file /etc/svc-registry/capabilities.json --id <token-id>'
doc 'sudo chown root:svc-registry /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json'
doc 'sudo chmod 0640 /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json'
out="$(doc 'sudo ronctl cap list --file /etc/svc-registry/capabilities.json')"
grep -qx "revoked: $token_id" <<<"$out" || fail "cap list does not show the revoked token: $out"
kill -HUP "${service_pids[main]}"
wait_log main 'reload=1: configuration reloaded (1 root keys, 1 revoked tokens)' || fail "SIGHUP after the revocation did not log reload=1"
doc_status 5 'ronctl registry propose --file sample.json' 2>/dev/null
stop_service main TERM

# --- read-only maintenance mode ---
step "read-only mode"
# Dev mode from here on: no configuration (the service would read RON_CONFIG too).
unset RON_CONFIG
doc_service '/usr/local/bin/svc-registry --amnesia --read-only'
[ "$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/readyz" | jq -c '[.ready, .write_ready, .missing]')" = '[true,false,["read_only"]]' ] \
  || fail "/readyz in read-only mode is not ready=true write_ready=false missing=[read_only]"
unset RON_TOKEN_FILE
sample region region:ro '{"name": "RO"}'
code=0 && out="$(ronctl --retries 0 --token "$(ronctl dev token)" registry propose --file "$work/cwd/sample.json" 2>&1)" || code=$?
[ "$code" = 6 ] && [[ "$out" == *ReadOnly* ]] || fail "propose in read-only mode exited $code (expected 6, ReadOnly): $out"
stop_service main INT

# --- chaos drill: storage latency ---
step "chaos: storage latency"
doc_service 'SVCR_CHAOS__ENABLED=true /usr/local/bin/svc-registry --amnesia'
[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN_PORT/admin/chaos")" = 401 ] || fail "chaos: GET /admin/chaos without a token is not 401"
doc 'ronctl --token "$(ronctl dev token)" chaos inject --target svc-registry --fault=storage-latency --ms=50'
[ "$(doc 'curl -fsS -H "Authorization: Bearer $(ronctl dev token)" http://127.0.0.1:9909/admin/chaos' | jq -c .)" = '{"fault":"storage-latency","ms":50}' ] || fail "chaos: the injected fault is not reported"
[ "$(metric registry_storage_append_latency_injected_seconds)" = 0.05 ] || fail "chaos: the injected latency gauge is not 0.05"
doc 'ronctl --token "$(ronctl dev token)" chaos clear --target svc-registry'
[ "$(curl -fsS -H "Authorization: Bearer $(ronctl dev token)" "http://127.0.0.1:$ADMIN_PORT/admin/chaos" | jq -c .)" = '{"fault":null}' ] || fail "chaos: the fault was not cleared"
stop_service main TERM

# --- README: dotnet run, dev mode with durable storage ---
step "README: dotnet run (dev mode, durable), the dev files, a write flow with them"
dev_data="$work/readme-data"
# dotnet run starts the web project in src/Registry.Api; its data directory goes to the temporary root instead.
extra_env=("SVCR_SERVICE__DATA_DIR=$dev_data")
doc_service 'dotnet run -c Release --project src/Registry.Api'
for file in dev-signer-1.key dev-signer-2.key dev-signer-3.key capabilities.json dev.token; do
  [ "$(stat -c %a "$dev_data/dev/$file")" = 600 ] || fail "dev mode did not write $dev_data/dev/$file owner-only"
done
[ "$(jq -r .registry "$dev_data/dev/trust-roots.json")" = ron-dev ] || fail "dev mode did not write its trust roots"
export RON_TOKEN_FILE="$dev_data/dev/dev.token" RON_KEY_DIR="$dev_data/dev"
sample region region:dev '{"name": "Dev"}'
write_flow dev-signer-1 dev-signer-2
dev_hash="$committed_hash"
[ "$committed_version" = 1 ] || fail "the dev-mode commit did not produce version 1"
stop_service main TERM
out="$(ronctl verify --data-dir "$dev_data" --trust-roots "$dev_data/dev/trust-roots.json")" \
  || fail "ronctl verify --data-dir of the dev-mode directory against its dev/trust-roots.json failed: $out"
grep -q "$dev_hash" <<<"$out" || fail "ronctl verify --data-dir of the dev-mode directory does not report HEAD $dev_hash: $out"

echo "smoke: OK in ${SECONDS}s (api 127.0.0.1:$API_PORT, admin 127.0.0.1:$ADMIN_PORT)"
