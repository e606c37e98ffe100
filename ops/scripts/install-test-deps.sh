#!/usr/bin/env bash
# Installs the machine packages the test suite needs, only when they are missing.
#   prometheus   promtool, for `promtool check metrics|rules` in the service and ops tests
#   systemd      systemd-analyze, for `verify` and `security` of ops/systemd; and systemd itself, which
#                ops/systemd-drill.sh boots as PID 1 of a throwaway container
#   systemd-container sudo   ops/systemd-drill.sh (systemd-nspawn; the runbook's commands say sudo)
#   curl jq openssl xxd   ops/smoke.sh (HTTP, JSON, dev-mode signing and tokens)
#   chromium     the web explorer's browser tests (tests/Registry.Ui.Tests drive it with Playwright)
#   etcd-server etcd-client   ops/etcd-cluster.sh, the 3-member etcd cluster of the high-availability tests
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v systemd-nspawn >/dev/null 2>&1 || need+=(systemd-container)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
for tool in curl jq openssl xxd; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-test-deps: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
