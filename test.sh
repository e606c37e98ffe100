#!/usr/bin/env bash
# The project's one test command (README Quick start; .ci/run calls it too).
# Installs what the tests need when it is missing, builds once, runs every test project,
# and ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

ops/scripts/install-test-deps.sh

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
# Build once, then run the test projects one after another (-m:1): they start real svc-registry
# processes, and on a 2-core machine running them side by side only makes every one of them slower.
dotnet build Registry.sln -c Release
dotnet test Registry.sln -c Release --no-build -m:1 --logger "trx" --results-directory "$results" "$@" || status=$?

# One result file per test project, or the run did not finish (a killed or crashed test host writes none):
# then the summary says so and the command fails, whatever dotnet test returned. (Not checked when arguments
# such as --filter are given: a project may then run nothing.)
projects=0
[ $# -gt 0 ] || projects="$(ls tests/*/*.Tests.csproj | wc -l)"
python3 - "$results" "$projects" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/*.trx")
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error"))
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
if int(sys.argv[2]) > 0 and (len(files) < int(sys.argv[2]) or passed == 0):
    print(f"tests: only {len(files)} of {sys.argv[2]} test projects reported results: the run did not finish")
    sys.exit(1)
PY
exit $status
