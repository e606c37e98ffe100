#!/usr/bin/env bash
# The web explorer on the large data set (issue 18): each page's time to interactive and descriptor search
# latency in headless Chromium (Debian's /usr/bin/chromium, installed by ops/scripts/install-test-deps.sh).
#   perf/ui-measure.sh [--descriptors 50000] [--commits 100000] [--runs 7]
# Prints Markdown tables; asserts nothing. Takes about a minute (the data set is built offline first).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build perf/Registry.UiMeasure/Registry.UiMeasure.csproj -c Release -nologo -v q
exec timeout --kill-after=15 900 dotnet perf/Registry.UiMeasure/bin/Release/net10.0/Registry.UiMeasure.dll "$@"
