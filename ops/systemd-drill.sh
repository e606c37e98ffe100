#!/usr/bin/env bash
# ops/systemd-drill.sh: the runbook's systemd procedures (RUNBOOK.md sections 2, 3, 5, 7 and 9) against
# a real systemd, run by CI through tests/Registry.Api.Tests/Ops/SystemdDrillTests.cs:
#
#   sudo ops/systemd-drill.sh     needs root, systemd-nspawn (Debian's systemd-container) and sudo,
#                                 which ops/scripts/install-test-deps.sh installs, and a Release build
#                                 (the runbook's `sudo ops/install.sh` installs Release: sudo resets the
#                                 environment, so CONFIGURATION does not reach it)
#
# CI machines do not run systemd as PID 1, so the drill boots a throwaway container whose PID 1 is
# systemd: `systemd-nspawn --volatile=yes` over this machine's own /usr (read-only), with /etc and
# /usr/local as overlays over this machine's (writes land in a temporary directory), a fresh tmpfs
# for everything else (so /var/lib/svc-registry, the journal and the svc-registry account start
# empty), its own network namespace (only a loopback: the default ports 9444 and 9909 cannot clash
# with anything on the host), and this checkout bind-mounted at its own path. Nothing on the host
# changes except the checkout's publish output (ops/install.sh runs `dotnet publish`).
#
# Inside, as on a new host: `sudo ops/install.sh` (the account, the units, the sample configuration),
# the first configuration (two signer keys, trust roots, capability keys, the digest pin), then every
# systemctl and journalctl command of the runbook with the outcome the runbook promises: enable --now
# returns only once /readyz is 200 (Type=notify), status, the ready=1 line in the journal, a commit,
# reload (reload=1, also seen by `journalctl -f`), the backup unit (a verified backup), SIGKILL
# (systemd restarts it; the commit is still HEAD), restart, stop (exit 0, shutdown_complete=1),
# start, and no error lines in the journal.
#
# Documented commands run through `doc '...'` exactly as RUNBOOK.md prints them (DocCommandTests
# fails when the two differ); the harness's own steps are plain shell. Any failure exits non-zero,
# printing the journal of the units.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
fail() { echo "systemd-drill: FAILED: $*" >&2; dump; exit 1; }
step() { echo "systemd-drill: -- [${SECONDS}s] $*" >&2; }
dump() { [ -n "${pid1:-}" ] && inside 'journalctl --no-pager -o short-precise -u svc-registry -u svc-registry-backup' >&2 2>&1 || true; }

[ "$(id -u)" = 0 ] || { echo "systemd-drill: needs root (it boots a container with systemd-nspawn)" >&2; exit 1; }
for tool in systemd-nspawn nsenter sudo jq curl dotnet; do
  command -v "$tool" >/dev/null || { echo "systemd-drill: $tool is missing: run ops/scripts/install-test-deps.sh" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/svcr-drill.XXXXXX")"
machine="svcr-drill-$$"
nspawn_pid=""
pid1=""
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    # The container's systemd powers off (stopping the units); SIGKILL if that takes more than 30 s.
    [ -n "$pid1" ] && nsenter -t "$pid1" -a -- systemctl poweroff --no-block >/dev/null 2>&1 || kill -TERM "$nspawn_pid" 2>/dev/null || true
    timeout 30 tail --pid="$nspawn_pid" -f /dev/null || kill -KILL "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# What `dotnet publish` needs from the host: the SDK (if it lives outside /usr) and the NuGet folders
# the build restored from. Bound read-only at their own paths.
binds=(--bind="$repo")
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
case "$dotnet_root" in /usr/*) ;; *) binds+=(--bind-ro="$dotnet_root") ;; esac
for folder in "${NUGET_PACKAGES:-$HOME/.nuget/packages}" /opt/nuget/packages; do
  [ -d "$folder" ] && binds+=(--bind-ro="$folder")
done
mkdir -p "$work/etc" "$work/usr-local"

step "boot a container with systemd as PID 1"
# basic.target: the host's own enabled services (databases and the like) stay off.
systemd-nspawn --quiet -D / --volatile=yes -M "$machine" --register=no --keep-unit --console=passive --private-network \
  --overlay=/etc:"$work/etc":/etc --overlay=/usr/local:"$work/usr-local":/usr/local "${binds[@]}" \
  -b systemd.unit=basic.target >"$work/console.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 1 300); do
  pid1="$(pgrep -P "$nspawn_pid" -x systemd || true)"
  [ -n "$pid1" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || fail "systemd-nspawn exited: $(cat "$work/console.log")"
  sleep 0.1
done
[ -n "$pid1" ] || fail "the container's systemd did not start: $(cat "$work/console.log")"

# inside 'COMMAND': runs COMMAND in the container (all its namespaces) as root in a login-like
# environment, from the checkout; its exit code is returned.
inside() {
  nsenter -t "$pid1" -a -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
    LANG=C.UTF-8 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 RON_KEY_DIR=/root/keys \
    RON_TOKEN_FILE=/root/token bash -c "cd '$repo' && $1"
}

# doc 'COMMAND' / doc_status N 'COMMAND': a documented command, as an operator's shell runs it (no
# pipefail), printing its output; the drill fails unless it exits 0 (or N).
doc() { doc_run 0 "$1"; }
doc_status() { doc_run "$1" "$2"; }
doc_run() {
  local code=0
  echo "systemd-drill: [${SECONDS}s] \$ $2" >&2
  inside "$2" || code=$?
  [ "$code" -eq "$1" ] || fail "documented command exited $code, expected $1: $2"
}

# doc_follow 'COMMAND': a documented command that follows until stopped, in the background, output to a file.
doc_follow() {
  echo "systemd-drill: [${SECONDS}s] \$ $1   (following in the background)" >&2
  inside "exec timeout 120 $1" >"$work/follow.out" 2>&1 &
  follow_pid=$!
}

timeout 60 bash -c "until nsenter -t $pid1 -a -- systemctl is-system-running --wait >/dev/null 2>&1 || nsenter -t $pid1 -a -- systemctl is-system-running 2>/dev/null | grep -q degraded; do sleep 0.2; done" \
  || fail "the container's systemd did not finish booting"
[ "$(inside 'cat /proc/1/comm')" = systemd ] || fail "PID 1 in the container is not systemd"

# --- install and first configuration (RUNBOOK.md section 2) ---
step "install and first configuration"
doc 'sudo ops/install.sh' >/dev/null
inside 'getent passwd svc-registry >/dev/null && [ -x /usr/local/bin/svc-registry ] && [ -f /etc/systemd/system/svc-registry.service ]' \
  || fail "install.sh did not create the account, the binaries and the units"
inside '
  set -euo pipefail
  a="$(ronctl keygen --id signer-1 | grep -o "{\"algo\":\"ed25519\".*}")"
  b="$(ronctl keygen --id signer-2 | grep -o "{\"algo\":\"ed25519\".*}")"
  jq -n --argjson a "$a" --argjson b "$b" "{registry: \"ron-dev\", signer_set: {version: 1, threshold: 2, signers: [\$a, \$b]}}" >/etc/svc-registry/trust-roots.json
  ronctl cap rotate --file /etc/svc-registry/capabilities.json >/dev/null
  ronctl cap mint --file /etc/svc-registry/capabilities.json --scope registry:admin --ttl 365d --id admin --out /etc/svc-registry/admin.token 2>/dev/null
  chown root:svc-registry /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json /etc/svc-registry/admin.token
  chmod 0640 /etc/svc-registry/trust-roots.json /etc/svc-registry/capabilities.json /etc/svc-registry/admin.token
  digest="$(ronctl config check /etc/svc-registry/svc-registry.toml 2>&1 | grep -o "sha256:[0-9a-f]*" | head -1 || true)"
  sed -i "s#^trust_roots_digest = \"\"#trust_roots_digest = \"$digest\"#" /etc/svc-registry/svc-registry.toml
  ronctl config check /etc/svc-registry/svc-registry.toml >/dev/null
  install -m 0600 /dev/null /root/token
  ronctl cap mint --file /etc/svc-registry/capabilities.json --scope registry:propose --scope registry:approve --scope registry:commit --ttl 1d --id drill >/root/token
' || fail "the first configuration failed"

# --- start under systemd (RUNBOOK.md section 3) ---
step "daemon-reload, enable --now: the unit is ready when systemctl returns"
doc 'sudo systemctl daemon-reload'
[ "$(inside 'systemctl show -p LoadState --value svc-registry')" = loaded ] || fail "svc-registry.service did not load"
doc 'sudo systemctl enable --now svc-registry svc-registry-backup.timer'
# Type=notify: `systemctl start` returns after READY=1, which the service sends once /readyz is 200.
ready="$(inside 'curl -fsS http://127.0.0.1:9909/readyz')" || fail "/readyz was not 200 when enable --now returned"
[ "$(jq -r '.ready and .write_ready' <<<"$ready")" = true ] || fail "/readyz right after enable --now: $ready"
[ "$(inside 'systemctl is-enabled svc-registry; systemctl is-active svc-registry-backup.timer')" = "enabled
active" ] || fail "the service is not enabled or the backup timer is not active"
out="$(doc 'systemctl status svc-registry')"
grep -q 'Active: active (running)' <<<"$out" || fail "systemctl status does not say active (running): $out"
grep -q 'ready=1 service=svc-registry' <<<"$(doc "journalctl -u svc-registry -o cat | grep -m1 'ready=1 service=svc-registry'")" \
  || fail "the journal has no ready=1 line"

# --- a commit to keep across the drills ---
step "a commit: propose -> approve -> approve -> commit"
inside '
  set -euo pipefail
  jq -n "{changes: [{op: \"put\", descriptor: {kind: \"region\", id: \"region:drill\", attrs: {name: \"systemd drill\"}}}], note: \"ops/systemd-drill.sh\"}" >/root/sample.json
  id="$(ronctl registry propose --file /root/sample.json --json | jq -r .proposal_id)"
  ronctl registry approve --id "$id" --signer signer-1 --yes >/dev/null
  ronctl registry approve --id "$id" --signer signer-2 --yes >/dev/null
  ronctl registry commit --id "$id" >/dev/null
' || fail "the write flow failed"
head1="$(inside 'curl -fsS http://127.0.0.1:9444/registry/head | jq -c "{version, hash}"')"
[ "$(jq -r .version <<<"$head1")" = 1 ] || fail "HEAD after the commit: $head1"

# --- diagnostics and reload (RUNBOOK.md sections 3 and 5) ---
step "reload, followed by journalctl -f"
doc_follow 'journalctl -u svc-registry -f'
# The follower first prints the last lines of the journal, then waits: once they are there it is reading.
timeout 30 bash -c "until [ -s '$work/follow.out' ]; do sleep 0.1; done" || fail "journalctl -f printed nothing"
doc 'sudo systemctl reload svc-registry'
timeout 30 bash -c "until grep -q 'reload=1' '$work/follow.out'; do sleep 0.1; done" || fail "journalctl -f did not show reload=1 after systemctl reload"
# Stopped from inside: a process entered with nsenter and left running keeps the container from powering off.
inside 'pkill -x journalctl' || true
wait "$follow_pid" 2>/dev/null || true
out="$(doc "journalctl -u svc-registry -o cat | grep -E 'ready=1|reload=|shutdown_complete=1|refuses to start|cannot start'")"
grep -q 'reload=1' <<<"$out" && grep -q 'ready=1' <<<"$out" || fail "the start-up/reload lines are missing: $out"

# --- backup (RUNBOOK.md section 7) ---
step "the backup unit"
doc 'sudo systemctl start svc-registry-backup.service'
backup="$(inside 'ls -1d /var/backups/svc-registry/svc-registry-* | tail -1 | grep .')" || fail "the backup unit wrote no backup"
inside "ronctl verify --data-dir '$backup' --trust-roots /etc/svc-registry/trust-roots.json --json" | jq -e '.ok and .head_version == 1' >/dev/null \
  || fail "the backup $backup does not verify at version 1"

# --- crash drill (RUNBOOK.md section 9) ---
step "SIGKILL: systemd restarts it, the commit is still HEAD"
before="$(inside 'systemctl show -p MainPID --value svc-registry')"
doc 'sudo systemctl kill -s SIGKILL svc-registry'
timeout 60 bash -c "until [ \"\$(nsenter -t $pid1 -a -- systemctl show -p NRestarts --value svc-registry)\" = 1 ] \
  && nsenter -t $pid1 -a -- curl -fsS -o /dev/null http://127.0.0.1:9909/readyz 2>/dev/null; do sleep 0.2; done" \
  || fail "systemd did not restart the service to ready within 60 s of SIGKILL"
[ "$(inside 'systemctl show -p MainPID --value svc-registry')" != "$before" ] || fail "the main PID did not change"
[ "$(inside 'curl -fsS http://127.0.0.1:9444/registry/head | jq -c "{version, hash}"')" = "$head1" ] || fail "HEAD changed across SIGKILL"
inside "journalctl -u svc-registry -o cat | grep -q 'recovery: recovered version 1'" || fail "the journal has no recovery line for version 1"

# --- restart, stop, start (RUNBOOK.md section 3) ---
step "restart, stop, start"
before="$(inside 'systemctl show -p MainPID --value svc-registry')"
doc 'sudo systemctl restart svc-registry'
inside 'curl -fsS -o /dev/null http://127.0.0.1:9909/readyz' || fail "not ready when restart returned"
[ "$(inside 'systemctl show -p MainPID --value svc-registry')" != "$before" ] || fail "restart did not start a new process"
doc 'sudo systemctl stop svc-registry'
[ "$(inside 'systemctl is-active svc-registry' || true)" = inactive ] || fail "the service is still active after stop"
[ "$(inside 'systemctl show -p ExecMainStatus --value svc-registry')" = 0 ] || fail "the service did not exit 0 on stop"
[ "$(inside "journalctl -u svc-registry -o cat | grep -c 'shutdown_complete=1'")" = 2 ] || fail "expected shutdown_complete=1 for the restart and the stop"
doc 'sudo systemctl start svc-registry'
[ "$(inside 'curl -fsS http://127.0.0.1:9444/registry/head | jq -c "{version, hash}"')" = "$head1" ] || fail "HEAD after start is not the commit"

# --- no errors in the journal (RUNBOOK.md section 5) ---
step "error lines"
out="$(doc "journalctl -u svc-registry --since -1h -o cat | jq -cR 'fromjson? | select(.level == \"error\" or .level == \"fatal\")'")"
[ -z "$out" ] || fail "the journal holds error lines: $out"
# The query finds them when there are some: a start that refuses (a configuration typo) logs fatal.
inside "sed -i 's/^max_inflight = /max_inflite = /' /etc/svc-registry/svc-registry.toml && systemctl restart svc-registry" \
  && fail "a restart with a typo in the configuration succeeded"
out="$(doc "journalctl -u svc-registry --since -1h -o cat | jq -cR 'fromjson? | select(.level == \"error\" or .level == \"fatal\")'")"
grep -q 'max_inflite' <<<"$out" || fail "the error query did not find the refused start: $out"

echo "systemd-drill: OK (${SECONDS}s)"
