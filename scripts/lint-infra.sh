#!/usr/bin/env bash
# Compiles and lints infra/main.bicep with the Bicep CLI that NuGet serves (package Azure.Bicep.CommandLine.linux-x64,
# restored by infra/tools/Bicep.csproj). Fails on any error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet restore infra/tools/Bicep.csproj -nologo -v quiet >/dev/null
PACKAGES="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
BICEP="$PACKAGES/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
chmod +x "$BICEP"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
status=0
for step in "build infra/main.bicep --outdir $OUT" "lint infra/main.bicep"; do
  # shellcheck disable=SC2086
  if ! "$BICEP" $step >"$OUT/log" 2>&1; then status=1; fi
  cat "$OUT/log"
  if grep -Eq "(Warning|Error) [A-Za-z0-9-]+:" "$OUT/log"; then status=1; fi
done
[ "$status" -eq 0 ] && echo "== infra/main.bicep: bicep build and lint clean"
exit "$status"
