#!/usr/bin/env bash
# Installs the foreign implementations PeerMesh is compared with or tested against, exactly as locked:
#   lisk-p2p   the pinned @liskhq/lisk-p2p for the bench (`bench lisk` runs this script for it, LiskP2p)
#   bcoin      the pinned bcoin full node for the Bitcoin interop tests (src/interop/bcoin, BcoinNode)
#   wharfkit   the pinned @wharfkit/antelope for the Antelope interop tests (src/interop/wharfkit, WharfkitClient,
#              NodeosStandin)
#   ethereumjs the pinned @ethereumjs/devp2p (RLPx, ETH, DPT) for the devp2p interop tests (src/interop/ethereumjs,
#              EthereumjsPeer, DptNode)
#   microsocks Debian's SOCKS5 proxy for the Bitcoin interop tests (Microsocks)
#   docker-compose  Debian's docker-compose (1.29.2 on bookworm), with which .ci/run checks docker/compose.yml
#   browser    the pinned playwright-core that drives Chromium for the mesh view's test (src/interop/browser,
#              MeshViewPage)
#   chromium   Debian's Chromium, the browser of the mesh view's test
# Usage: install.sh [lisk-p2p|bcoin|wharfkit|ethereumjs|microsocks|docker-compose|browser|chromium]...
#        (no argument: all of them)
# Idempotent: what is already there is left alone, so a second run takes a moment. Needs Node.js 20 and npm on the
# PATH for the npm parts, and root (or sudo) with apt-get for microsocks, docker-compose and chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# npm ci wipes and reinstalls node_modules, so it runs only when the installed tree does not match the lock file:
# npm keeps a copy of the lock it installed as node_modules/.package-lock.json.
npm_install() {
  local dir="$here/$1" marker="$2"
  if [[ -d "$dir/node_modules/$marker" && -f "$dir/node_modules/.package-lock.json" ]] \
      && node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync(process.argv[1])).packages;
        const installed = JSON.parse(fs.readFileSync(process.argv[2])).packages;
        for (const [path, entry] of Object.entries(lock)) {
          if (path === "") continue;
          const got = installed[path];
          if (!got || got.version !== entry.version || got.integrity !== entry.integrity) process.exit(1);
        }' "$dir/package-lock.json" "$dir/node_modules/.package-lock.json"; then
    echo "install.sh: $1 is installed"
    return
  fi
  echo "install.sh: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

# Debian's package $1, which puts the command of the same name on the PATH, installed with apt-get unless the command
# is there already (chromium: Debian's own build, which playwright-core drives as it is, so that no browser is
# downloaded from elsewhere).
apt_install() {
  local package="$1"
  if command -v "$package" >/dev/null 2>&1; then
    echo "install.sh: $package is installed ($(command -v "$package"))"
    return
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  echo "install.sh: apt-get install $package"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y --no-install-recommends "$package"; then
    echo "install.sh: apt-get install failed; updating the package lists and trying again"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y --no-install-recommends "$package"
  fi
  command -v "$package" >/dev/null 2>&1 || { echo "install.sh: $package is still not on the PATH" >&2; exit 1; }
}

parts=("$@")
if [[ ${#parts[@]} -eq 0 ]]; then
  parts=(lisk-p2p bcoin wharfkit ethereumjs microsocks docker-compose browser chromium)
fi
for part in "${parts[@]}"; do
  case "$part" in
    lisk-p2p) npm_install lisk-p2p @liskhq/lisk-p2p ;;
    bcoin) npm_install bcoin bcoin ;;
    wharfkit) npm_install wharfkit @wharfkit/antelope ;;
    ethereumjs) npm_install ethereumjs @ethereumjs/devp2p ;;
    microsocks | docker-compose | chromium) apt_install "$part" ;;
    browser) npm_install browser playwright-core ;;
    *) echo "install.sh: unknown part '$part' (expected lisk-p2p, bcoin, wharfkit, ethereumjs, microsocks," \
         "docker-compose, browser or chromium)" >&2; exit 2 ;;
  esac
done
