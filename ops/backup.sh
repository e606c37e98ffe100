#!/usr/bin/env bash
# ops/backup.sh: one hot backup of a svc-registry data directory, verified, then rotation.
# Installed as /usr/local/sbin/svc-registry-backup and run every 15 minutes by
# svc-registry-backup.timer (RUNBOOK.md section 7).
#
#   svc-registry-backup --data-dir DIR --dest DIR [--keep-days N] [--keep-min N]
#
# 1. `ronctl backup` takes a consistent hot copy (checkpoint plus log) of --data-dir into
#    DEST/.partial-<stamp>, while the service runs.
# 2. `ronctl verify` checks the copy end to end (every digest, signature, quorum and link).
# 3. Only then is it renamed to DEST/svc-registry-<UTC stamp> (a rename: a backup directory that
#    has its final name is always complete and verified).
# 4. Rotation: backups older than --keep-days (default 7) are deleted, but the newest --keep-min
#    (default 4) are always kept, so a stopped timer never rotates the last good backups away.
#    Age comes from the stamp in the name, not from mtimes (a copied backup keeps its age).
# A second run while one is in progress waits for it (flock on DEST/.lock).
# Exit: 0 done; 1 backup or verify failed (nothing renamed, nothing rotated); 64 usage.
# RONCTL names the ronctl to run (default: ronctl on PATH).
set -euo pipefail

usage() { echo "usage: svc-registry-backup --data-dir DIR --dest DIR [--keep-days N] [--keep-min N]" >&2; exit 64; }

data_dir="" dest="" keep_days=7 keep_min=4
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) [ $# -ge 2 ] || usage; data_dir="$2"; shift 2 ;;
    --dest) [ $# -ge 2 ] || usage; dest="$2"; shift 2 ;;
    --keep-days) [ $# -ge 2 ] || usage; keep_days="$2"; shift 2 ;;
    --keep-min) [ $# -ge 2 ] || usage; keep_min="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$data_dir" ] && [ -n "$dest" ] || usage
[[ "$keep_days" =~ ^[0-9]+$ && "$keep_min" =~ ^[1-9][0-9]*$ ]] || { echo "backup: --keep-days must be >= 0 and --keep-min >= 1" >&2; exit 64; }
[ -d "$data_dir" ] || { echo "backup: data directory '$data_dir' does not exist" >&2; exit 1; }
ronctl="${RONCTL:-ronctl}"

mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dest/svc-registry-$stamp"
partial="$dest/.partial-$stamp"
[ ! -e "$final" ] || { echo "backup: $final already exists" >&2; exit 1; }
rm -rf "$dest"/.partial-*
trap 'rm -rf "$partial"' EXIT

"$ronctl" backup --data-dir "$data_dir" --out "$partial"
"$ronctl" verify --data-dir "$partial"
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
