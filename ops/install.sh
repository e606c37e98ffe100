#!/usr/bin/env bash
# ops/install.sh: installs svc-registry and ronctl from a Release build (RUNBOOK.md section 2).
#
#   sudo ops/install.sh              install on this machine
#   DESTDIR=/tmp/root ops/install.sh stage under a root directory (packaging, ops/smoke.sh):
#                                    no user is created, systemd is not told
#
# Layout:
#   /usr/local/lib/svc-registry/      `dotnet publish` output of src/Registry.Api
#   /usr/local/lib/ronctl/            `dotnet publish` output of src/Registry.Cli
#   /usr/local/bin/svc-registry, ronctl   wrappers (exec dotnet ../lib/<name>/<name>.dll)
#   /usr/local/sbin/svc-registry-backup   ops/backup.sh
#   /etc/systemd/system/              svc-registry.service, svc-registry-backup.{service,timer}
#   /etc/svc-registry/svc-registry.toml   sample configuration (never overwritten once there)
#   /usr/local/share/doc/svc-registry/RUNBOOK.md
#   /var/lib/svc-registry             data directory (created by systemd: StateDirectory=)
#   /var/backups/svc-registry         backups (owned by svc-registry)
# Needs a Release build first: dotnet build -c Release Registry.sln (CONFIGURATION=Debug: a Debug one)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${DESTDIR:-}"
configuration="${CONFIGURATION:-Release}"

for project in Registry.Api/svc-registry Registry.Cli/ronctl; do
  dll="$repo/src/${project%/*}/bin/$configuration/net10.0/${project#*/}.dll"
  [ -f "$dll" ] || { echo "install: $dll is missing: run 'dotnet build -c Release Registry.sln' first" >&2; exit 1; }
done

dotnet publish "$repo/src/Registry.Api/Registry.Api.csproj" -c "$configuration" --no-build --nologo -v quiet -o "$root/usr/local/lib/svc-registry"
dotnet publish "$repo/src/Registry.Cli/Registry.Cli.csproj" -c "$configuration" --no-build --nologo -v quiet -o "$root/usr/local/lib/ronctl"
install -D -m 0755 "$repo/ops/scripts/dotnet-app-wrapper" "$root/usr/local/bin/svc-registry"
install -D -m 0755 "$repo/ops/scripts/dotnet-app-wrapper" "$root/usr/local/bin/ronctl"
install -D -m 0755 "$repo/ops/backup.sh" "$root/usr/local/sbin/svc-registry-backup"
for unit in svc-registry.service svc-registry-backup.service svc-registry-backup.timer; do
  install -D -m 0644 "$repo/ops/systemd/$unit" "$root/etc/systemd/system/$unit"
done
install -D -m 0644 "$repo/RUNBOOK.md" "$root/usr/local/share/doc/svc-registry/RUNBOOK.md"
install -d -m 0755 "$root/etc/svc-registry"
if [ ! -e "$root/etc/svc-registry/svc-registry.toml" ]; then
  install -m 0640 "$repo/ops/config/svc-registry.toml" "$root/etc/svc-registry/svc-registry.toml"
fi

if [ -z "$root" ]; then
  getent passwd svc-registry >/dev/null || useradd --system --user-group --home-dir /var/lib/svc-registry --no-create-home --shell /usr/sbin/nologin svc-registry
  chgrp svc-registry /etc/svc-registry/svc-registry.toml
  install -d -o svc-registry -g svc-registry -m 0750 /var/backups/svc-registry
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
else
  install -d -m 0750 "$root/var/backups/svc-registry" "$root/var/lib/svc-registry"
fi
echo "install: svc-registry installed under ${root:-/}"
