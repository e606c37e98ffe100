#!/usr/bin/env bash
# ops/backup.sh: one hot backup of a svc-registry data directory, verified, then rotation.
# Installed as /usr/local/sbin/svc-registry-backup and run every 15 minutes by
# svc-registry-backup.timer (RUNBOOK.md section 7).
#
#   svc-registry-backup --data-dir DIR --dest DIR [--keep-days N] [--keep-min N]
#                       [--trust-roots FILE [--trust-roots-digest sha256:...]]
#
# 1. `ronctl backup` takes a consistent hot copy (checkpoint plus log) of --data-dir into
#    DEST/.partial-<stamp>, while the service runs: the service writes it (POST /admin/backup on
#    its admin listener, which ronctl finds through RON_ADMIN_URL or METRICS_ADDR, default
#    127.0.0.1:9909) into a directory it names under its storage.backup_dir, and ronctl moves
#    that directory to DEST/.partial-<stamp>. The request needs a capability token with the
#    scope registry:admin, which ronctl reads from RON_TOKEN_FILE (the backup unit sets
#    /etc/svc-registry/admin.token) or RON_TOKEN. With the service stopped, ronctl copies the
#    directory itself.
# 2. `ronctl verify` checks the copy end to end (every digest, signature, quorum and link) from
#    the trust roots (the genesis signer set):
#      --trust-roots FILE (pinned with --trust-roots-digest when given), else
#      DIR/dev/trust-roots.json when DIR is a dev-mode service's data directory (it writes that
#      file; a backup does not carry it), else
#      ronctl's own choice: the configuration's trust.trust_roots_file with its pin
#      trust.trust_roots_digest (RON_CONFIG, else /etc/svc-registry/svc-registry.toml).
# 3. Only then is it renamed to DEST/svc-registry-<UTC stamp> (a rename: a backup directory that
#    has its final name is always complete and verified).
# 4. Rotation: backups older than --keep-days (default 7) are deleted, but the newest --keep-min
#    (default 4) are always kept, so a stopped timer never rotates the last good backups away.
#    Age comes from the stamp in the name, not from mtimes (a copied backup keeps its age).
# A second run while one is in progress waits for it (flock on DEST/.lock).
# Exit: 0 done; when `ronctl backup` or `ronctl verify` fails, its exit code (docs/CLI.md: 6 the
# service unreachable or not ready, 5 no token with registry:admin, 4 the service cannot write its
# storage.backup_dir, 7 verification failed, ...), with nothing renamed and nothing rotated;
# 1 other failures; 64 usage.
# RONCTL names the ronctl to run (default: ronctl on PATH).
set -euo pipefail

usage() { echo "usage: svc-registry-backup --data-dir DIR --dest DIR [--keep-days N] [--keep-min N] [--trust-roots FILE [--trust-roots-digest sha256:...]]" >&2; exit 64; }

data_dir="" dest="" keep_days=7 keep_min=4 trust_roots="" trust_pin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) [ $# -ge 2 ] || usage; data_dir="$2"; shift 2 ;;
    --dest) [ $# -ge 2 ] || usage; dest="$2"; shift 2 ;;
    --keep-days) [ $# -ge 2 ] || usage; keep_days="$2"; shift 2 ;;
    --keep-min) [ $# -ge 2 ] || usage; keep_min="$2"; shift 2 ;;
    --trust-roots) [ $# -ge 2 ] || usage; trust_roots="$2"; shift 2 ;;
    --trust-roots-digest) [ $# -ge 2 ] || usage; trust_pin="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$data_dir" ] && [ -n "$dest" ] || usage
[[ "$keep_days" =~ ^[0-9]+$ && "$keep_min" =~ ^[1-9][0-9]*$ ]] || { echo "backup: --keep-days must be >= 0 and --keep-min >= 1" >&2; exit 64; }
[ -z "$trust_pin" ] || [ -n "$trust_roots" ] || { echo "backup: --trust-roots-digest needs --trust-roots" >&2; exit 64; }
[ -d "$data_dir" ] || { echo "backup: data directory '$data_dir' does not exist" >&2; exit 1; }
ronctl="${RONCTL:-ronctl}"

# The trust roots ronctl checks against (see above); none given: ronctl reads the configuration.
if [ -z "$trust_roots" ] && [ -f "$data_dir/dev/trust-roots.json" ]; then
  trust_roots="$data_dir/dev/trust-roots.json"
fi
trust=()
[ -z "$trust_roots" ] || trust+=(--trust-roots "$trust_roots")
[ -z "$trust_pin" ] || trust+=(--trust-roots-digest "$trust_pin")
[ -z "$trust_roots" ] || [ -f "$trust_roots" ] || { echo "backup: trust roots '$trust_roots' do not exist" >&2; exit 1; }

mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dest/svc-registry-$stamp"
partial="$dest/.partial-$stamp"
[ ! -e "$final" ] || { echo "backup: $final already exists" >&2; exit 1; }
rm -rf "$dest"/.partial-*
trap 'rm -rf "$partial"' EXIT

code=0
"$ronctl" backup --data-dir "$data_dir" --destination "$partial" "${trust[@]}" || code=$?
[ "$code" -eq 0 ] || { echo "backup: 'ronctl backup' failed (exit $code); previous backups untouched" >&2; exit "$code"; }
"$ronctl" verify --data-dir "$partial" "${trust[@]}" || code=$?
[ "$code" -eq 0 ] || { echo "backup: the copy does not verify ('ronctl verify' exit $code); discarded, previous backups untouched" >&2; exit "$code"; }
mv "$partial" "$final"
trap - EXIT
echo "backup: wrote $final"

# Rotation: names sort by time; keep the newest keep_min whatever their age.
cutoff="$(date -u -d "@$(( $(date -u +%s) - keep_days * 86400 ))" +%Y%m%dT%H%M%SZ)"
mapfile -t backups < <(find "$dest" -mindepth 1 -maxdepth 1 -type d -name 'svc-registry-????????T??????Z' -printf '%f\n' | sort -r)
for i in "${!backups[@]}"; do
  name="${backups[$i]}"
  if [ "$i" -ge "$keep_min" ] && [[ "${name#svc-registry-}" < "$cutoff" ]]; then
    rm -rf "${dest:?}/$name"
    echo "backup: rotated out $name"
  fi
done
