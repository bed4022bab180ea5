#!/usr/bin/env bash
# Fails with a readable message unless a .NET 10 SDK is on PATH (global.json pins 10.0.100 with latestFeature).
set -euo pipefail
if ! command -v dotnet >/dev/null 2>&1; then
    echo "check-dotnet: 'dotnet' not found on PATH. Install the .NET 10 SDK (Debian 12: Microsoft's packages-microsoft-prod, then 'apt-get install dotnet-sdk-10.0')." >&2
    exit 1
fi
if ! dotnet --list-sdks | grep -q '^10\.'; then
    echo "check-dotnet: no .NET 10 SDK found; installed SDKs:" >&2
    dotnet --list-sdks >&2 || true
    echo "Install the .NET 10 SDK (apt-get install dotnet-sdk-10.0)." >&2
    exit 1
fi
