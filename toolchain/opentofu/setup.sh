#!/usr/bin/env bash
# The peer socle is measured against (bench/openstack): OpenTofu and the
# Terraform provider for OpenStack, built with `go build` from the Go module
# proxy at the versions pinned in scripts/versions.env, once, into
# $SOCLE_CACHE. The provider goes into a local filesystem mirror and a CLI
# configuration file makes tofu install it from there only: nothing is
# downloaded when tofu runs.
#
#   toolchain/opentofu/setup.sh     prints the folder holding `tofu` and `tofurc`
#
# Each module is built from its own source (its go.mod, with OpenTofu's
# `replace` of hcl, is the main module's), copied out of the read-only module
# cache; one heavy Go build at a time on the machine (the set-up's lock).
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

peer_dir="$SOCLE_CACHE/toolchain/opentofu-$OPENTOFU_VERSION+openstack-$TF_PROVIDER_OPENSTACK_VERSION"
mirror="$peer_dir/mirror"
# Where `tofu init` looks for registry.opentofu.org/terraform-provider-openstack/openstack.
provider_dir="$mirror/registry.opentofu.org/terraform-provider-openstack/openstack/$TF_PROVIDER_OPENSTACK_VERSION/linux_amd64"
provider_bin="$provider_dir/terraform-provider-openstack_v$TF_PROVIDER_OPENSTACK_VERSION"

# build_module NAME MODULE VERSION PACKAGE OUTPUT [LDFLAGS]: `go build` of
# PACKAGE inside the source of MODULE@VERSION, under the machine-wide Go build lock.
build_module() {
  local name="$1" module="$2" version="$3" pkg="$4" out="$5" ldflags="${6:-}"
  [ -x "$out" ] && return 0
  command -v go >/dev/null || die "Go is needed to build $name (install golang >= 1.26)"
  exec {lock}>"$SOCLE_CACHE/.go-build.lock"
  flock "$lock"
  if [ ! -x "$out" ]; then
    local src build="$SOCLE_CACHE/build/$name"
    src="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -d "$src" ] || die "the Go module proxy ($(go env GOPROXY)) did not give $module@$version"
    rm -rf "$build" && mkdir -p "$build" "$(dirname "$out")"
    cp -r "$src/." "$build/" && chmod -R u+w "$build"
    run_logged "building $name $version" "$SOCLE_CACHE/logs/build-$name.log" \
      bash -c "cd '$build' && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -ldflags '-s -w $ldflags' -o '$out.tmp' '$pkg' && mv '$out.tmp' '$out'"
    rm -rf "$build"
  fi
  flock -u "$lock"
}

# As OpenTofu's release builds do: no "-dev" marker on the version.
build_module opentofu github.com/opentofu/opentofu "v$OPENTOFU_VERSION" ./cmd/tofu "$peer_dir/tofu" \
  "-X github.com/opentofu/opentofu/version.dev=no"
build_module terraform-provider-openstack \
  github.com/terraform-provider-openstack/terraform-provider-openstack/v3 \
  "v$TF_PROVIDER_OPENSTACK_VERSION" . "$provider_bin"

# The CLI configuration (TF_CLI_CONFIG_FILE): providers from the mirror only.
cat >"$peer_dir/tofurc.tmp" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/terraform-provider-openstack/openstack"]
  }
}
EOF
mv "$peer_dir/tofurc.tmp" "$peer_dir/tofurc"
TF_CLI_CONFIG_FILE="$peer_dir/tofurc" "$peer_dir/tofu" version >/dev/null || die "the cached tofu in $peer_dir does not run; delete the folder and retry"
echo "$peer_dir"
