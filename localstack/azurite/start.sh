#!/usr/bin/env bash
# Starts Azurite's blob service on loopback with telemetry off, from the
# version pinned in this folder (run `npm ci` here first).
#
#   ./start.sh [PORT] [DIR]     PORT defaults to 10000, DIR to a new temp dir
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-10000}"
dir="${2:-$(mktemp -d)}"
if [[ ! -x "$here/node_modules/.bin/azurite-blob" ]]; then
	echo "azurite not installed: run 'npm ci' in $here" >&2
	exit 1
fi
cd "$here"
exec npx --no-install azurite-blob --disableTelemetry --skipApiVersionCheck \
	--blobHost 127.0.0.1 --blobPort "$port" --location "$dir"
