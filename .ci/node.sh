# Sourced by .ci/run: a Node.js of a given major version for CI, from the npm registry only.
#
# The machine's own `node` serves when it is that major version (or, for the newest, later).
# Otherwise the npm registry's node-linux-<arch> package of the pinned version below, which ships
# Node's official binary, is fetched with `npm pack` (the registry's integrity check included) and
# kept in .node/<version>/ in the work tree (gitignored), so a second run fetches nothing. Nothing
# is downloaded from anywhere else. The package holds `node` alone; the machine's npm (plain
# JavaScript) runs on it.

# Node.js 24 is the active LTS: the product's runtime (template.yaml's nodejs24.x) and CI's.
NODE_LTS_VERSION=24.22.3
# Node.js 22, the oldest the product supports (package.json's engines): npm start is tried on it too.
NODE_PREVIOUS_VERSION=22.23.5

# Prints the folder whose `node` is Node.js <version>'s major release (or later, when `at_least`).
node_bin_dir() {
  local version=$1 at_least=${2:-} major=${1%%.*}
  local machine_major
  machine_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$machine_major" = "$major" ] || { [ -n "$at_least" ] && [ "$machine_major" -gt "$major" ]; }; then
    dirname "$(command -v node)"
    return
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "no node-linux package for $(uname -m)" >&2; return 1 ;;
  esac
  local root
  root="$(pwd)/.node/$version"
  if [ ! -x "$root/bin/node" ]; then
    local download
    download=$(mktemp -d)
    echo "fetching Node.js $version from the npm registry (node-linux-$arch@$version)" >&2
    (cd "$download" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
    mkdir -p "$root"
    tar -xzf "$download"/node-linux-"$arch"-"$version".tgz -C "$root" --strip-components=1 package/bin/node
    rm -rf "$download"
  fi
  echo "$root/bin"
}
