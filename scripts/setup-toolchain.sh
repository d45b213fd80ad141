#!/usr/bin/env bash
# Builds the Pulumi engine toolchain from the Go module proxy at the versions
# pinned in versions.env, once per version set, into $SOCLE_CACHE.
# Prints the bin directory to put first on PATH.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bin_dir="$SOCLE_CACHE/toolchain/pulumi-$PULUMI_VERSION+langhost-$LANGHOST_SDK_VERSION/bin"
mkdir -p "$bin_dir" "$SOCLE_CACHE/logs"

need_go() {
  command -v go >/dev/null || die "Go is needed to build the Pulumi toolchain (install golang, >= 1.25)"
  # One cheap request tells whether the module proxy answers before a long build.
  (cd "$SOCLE_ROOT/toolchain/cli" && GOFLAGS=-mod=mod go mod download github.com/pulumi/pulumi/sdk/v3 >/dev/null 2>&1) \
    || die "the Go module proxy ($(go env GOPROXY)) does not answer: the Pulumi toolchain cannot be built"
}

# build_go NAME MODULE_DIR PACKAGE LDFLAGS: compile one binary unless cached.
build_go() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4"
  [ -x "$bin_dir/$name" ] && return 0
  need_go
  run_logged "building $name" "$SOCLE_CACHE/logs/build-$name.log" \
    bash -c "cd '$SOCLE_ROOT/toolchain/$dir' && GOFLAGS=-mod=mod go build -trimpath -ldflags '-s -w $ldflags' -o '$bin_dir/$name.tmp' '$pkg' && mv '$bin_dir/$name.tmp' '$bin_dir/$name'"
}

build_go pulumi cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
build_go pulumi-language-nodejs langhost github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGHOST_SDK_VERSION"

"$bin_dir/pulumi" version >/dev/null || die "the cached pulumi in $bin_dir does not run; delete the folder and retry"
echo "$bin_dir"
