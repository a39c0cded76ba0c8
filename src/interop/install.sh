#!/usr/bin/env bash
# Installs the foreign implementations the bench compares PeerMesh with, exactly as locked: today lisk-p2p, which
# `bench lisk` also installs by itself when it is missing. Needs Node.js 20 and npm on the PATH.
set -euo pipefail
cd "$(dirname "$0")/lisk-p2p"
npm ci --no-audit --no-fund
