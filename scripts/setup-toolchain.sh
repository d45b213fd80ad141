#!/usr/bin/env bash
# Builds the Pulumi toolchain from the Go module proxy at the versions pinned
# in versions.env, once per version set, into $SOCLE_CACHE. Only what the
# command needs is built:
#   setup-toolchain.sh [part ...]
#   (always)    the Pulumi CLI, the nodejs language host, the dynamic-provider launcher
#   yaml        the Pulumi YAML language host
#   openstack   our OpenStack provider plugin (toolchain/openstack), registered as $OPENSTACK_PLUGIN_VERSION
#   kubernetes  the Kubernetes provider plugin, registered as $KUBERNETES_PLUGIN_VERSION
#   kube-lab    kube-apiserver, kube-controller-manager, kube-scheduler and kwok for lab/kubernetes
#   velero      velero, its AWS object-store plugin and our S3 store (s3lab) for lab/kubernetes/velero.ts
#   all         every part
# Prints the bin directory to put first on PATH.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parts=" $* "
[ "$parts" = " all " ] && parts=" yaml openstack kubernetes kube-lab velero "
wants() { [[ "$parts" == *" $1 "* ]]; }

bin_dir="$SOCLE_CACHE/toolchain/pulumi-$PULUMI_VERSION+langhost-$LANGHOST_SDK_VERSION/bin"
mkdir -p "$bin_dir" "$SOCLE_CACHE/logs"
export PULUMI_HOME="${PULUMI_HOME:-$SOCLE_CACHE/pulumi-home}"

need_go() {
  command -v go >/dev/null || die "Go is needed to build the Pulumi toolchain (install golang, >= 1.25)"
  # One cheap request tells whether the module proxy answers before a long build.
  (cd "$SOCLE_ROOT/toolchain/cli" && GOFLAGS=-mod=mod go mod download github.com/pulumi/pulumi/sdk/v3 >/dev/null 2>&1) \
    || die "the Go module proxy ($(go env GOPROXY)) does not answer: the Pulumi toolchain cannot be built"
}

# build_go NAME MODULE_DIR PACKAGE LDFLAGS [OUT_DIR]: compile one binary unless cached.
# MODULE_DIR is a folder of toolchain/, or an absolute path.
build_go() {
  local name="$1" dir="$2" pkg="$3" ldflags="$4" out="${5:-$bin_dir}"
  [ -x "$out/$name" ] && return 0
  # One heavy build at a time on this machine: a second set-up running beside
  # this one waits here, then finds the binary built.
  exec {build_lock}>"$SOCLE_CACHE/.go-build.lock"
  flock "$build_lock"
  if [ -x "$out/$name" ]; then flock -u "$build_lock"; return 0; fi
  need_go
  mkdir -p "$out"
  case "$dir" in /*) ;; *) dir="$SOCLE_ROOT/toolchain/$dir" ;; esac
  run_logged "building $name" "$SOCLE_CACHE/logs/build-$name.log" \
    bash -c "cd '$dir' && GOFLAGS=-mod=mod go build -trimpath -ldflags '-s -w $ldflags' -o '$out/$name.tmp' '$pkg' && mv '$out/$name.tmp' '$out/$name'"
  flock -u "$build_lock"
}

# register_plugin NAME VERSION BINARY: make `pulumi plugin ls` show it, so programs find it offline.
register_plugin() {
  local name="$1" version="$2" binary="$3"
  [ -x "$PULUMI_HOME/plugins/resource-$name-v$version/pulumi-resource-$name" ] && return 0
  "$bin_dir/pulumi" plugin install resource "$name" "$version" --file "$binary" >/dev/null \
    || die "could not register the $name provider plugin in $PULUMI_HOME"
}

build_go pulumi cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
# The language host binary has a versioned name: the name the engine looks
# for is the options wrapper below. (A cache made before the wrapper holds the
# binary under the plain name: it is renamed, not rebuilt.)
langhost_bin="$bin_dir/pulumi-language-nodejs-v$LANGHOST_SDK_VERSION"
if [ ! -x "$langhost_bin" ] && [ -x "$bin_dir/pulumi-language-nodejs" ] &&
  ! grep -q "socle-langhost-wrapper" "$bin_dir/pulumi-language-nodejs"; then
  mv "$bin_dir/pulumi-language-nodejs" "$langhost_bin"
fi
build_go "$(basename "$langhost_bin")" langhost github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGHOST_SDK_VERSION"

# Both Node processes the engine starts (the program, the dynamic-provider
# host) load the SDK's two heavy packages only when they use them
# (toolchain/nodejs/defer-heavy-modules.cjs says why).
preload="$bin_dir/defer-heavy-modules.cjs"
# Replaced whole (copy, then rename), never rewritten under a starting node.
if ! cmp -s "$SOCLE_ROOT/toolchain/nodejs/defer-heavy-modules.cjs" "$preload"; then
  cp "$SOCLE_ROOT/toolchain/nodejs/defer-heavy-modules.cjs" "$preload.tmp.$$" && mv "$preload.tmp.$$" "$preload"
fi
# The host splits its nodeargs on spaces: a cache path with a space goes without.
case "$preload" in *" "*) preload_arg="" ;; *) preload_arg="--require $preload" ;; esac

# That host (sdk v3.68.0, the last release the proxy serves) reads the
# project's runtime options (typescript, nodeargs, tsconfig) from its command
# line only; CLI 3.259.0 sends them over gRPC, so without this wrapper every
# option of Pulumi.yaml's runtime.options is silently ignored. The wrapper
# reads them from the Pulumi.yaml of its working directory (the engine starts
# the host in the project's root) and passes them as the host's flags.
wrapper="$bin_dir/pulumi-language-nodejs"
cat >"$wrapper.tmp" <<WRAPPER
#!/usr/bin/env bash
# socle-langhost-wrapper, written by scripts/setup-toolchain.sh: passes
# Pulumi.yaml's runtime.options to the Node.js language host as its flags,
# with socle's preload ahead of the project's own nodeargs.
set -euo pipefail
flags=() nodeargs="$preload_arg"
if [ -f Pulumi.yaml ]; then
  # "key: value" lines of runtime: > options: (two-space indentation, as pulumi new writes it).
  while IFS= read -r line; do
    key="\${line%%:*}" value="\${line#*: }"
    value="\${value%\"}" value="\${value#\"}"
    case "\$key" in
      typescript | tsconfig) flags+=("-\$key=\$value") ;;
      nodeargs) nodeargs="\${nodeargs:+\$nodeargs }\$value" ;;
    esac
  done < <(awk '/^[^ #]/ { rt = (\$0 ~ /^runtime:/); opts = 0; next }
    rt && /^  [^ #]/ { opts = (\$0 ~ /^  options:/); next }
    rt && opts && /^    [A-Za-z]+: / { sub(/^    /, ""); print }' Pulumi.yaml)
fi
[ -z "\$nodeargs" ] || flags+=("-nodeargs=\$nodeargs")
exec "$langhost_bin" "\${flags[@]}" "\$@"
WRAPPER
chmod +x "$wrapper.tmp"
if cmp -s "$wrapper.tmp" "$wrapper"; then rm "$wrapper.tmp"; else mv "$wrapper.tmp" "$wrapper"; fi

# Dynamic providers (pulumi.dynamic) run through this launcher, which the CLI's
# own distribution would carry: it starts the provider script of the program's
# own @pulumi/pulumi with our Node (found in the project without a second node
# process when it is installed there, as in every socle project).
launcher="$bin_dir/pulumi-resource-pulumi-nodejs"
cat >"$launcher.tmp" <<LAUNCHER
#!/bin/sh
# Starts the dynamic-provider host of the program's own @pulumi/pulumi.
script="\$(pwd)/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"
[ -f "\$script" ] ||
  script=\$(node -p 'require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] })') || exit 1
exec node $preload_arg "\$script" "\$@"
LAUNCHER
chmod +x "$launcher.tmp"
if cmp -s "$launcher.tmp" "$launcher"; then rm "$launcher.tmp"; else mv "$launcher.tmp" "$launcher"; fi

"$bin_dir/pulumi" version >/dev/null || die "the cached pulumi in $bin_dir does not run; delete the folder and retry"

# The engine finds the language host beside the pulumi binary; a copy in
# PULUMI_HOME's plugin folder also makes `pulumi plugin ls` show its version
# (`pulumi plugin install` refuses "bundled" plugins, so it is placed by hand).
plugin_dir="$PULUMI_HOME/plugins/language-nodejs-v$LANGHOST_SDK_VERSION"
if ! cmp -s "$wrapper" "$plugin_dir/pulumi-language-nodejs"; then
  mkdir -p "$plugin_dir" && cp "$wrapper" "$plugin_dir/"
fi

# The YAML language host has its own version, so its own cache folder; the
# engine finds it beside the pulumi binary through a link.
if wants yaml; then
  yaml_dir="$SOCLE_CACHE/toolchain/pulumi-yaml-$PULUMI_YAML_VERSION"
  build_go pulumi-language-yaml yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" "$yaml_dir"
  ln -sfn "$yaml_dir/pulumi-language-yaml" "$bin_dir/pulumi-language-yaml"
fi

# Our OpenStack plugin (toolchain/openstack/main.go): the Terraform provider
# under the Pulumi bridge, with the installed SDK's tokens. Built twice in a
# copy: the first binary writes the schema, the second embeds it (seconds).
# Keyed by the SDK version it answers and the command's own sources.
if wants openstack; then
  os_key="$(cat "$SOCLE_ROOT/toolchain/openstack/"{go.mod,go.sum,*.go} | sha256sum | cut -c1-12)"
  os_dir="$SOCLE_CACHE/toolchain/pulumi-openstack-$OPENSTACK_PLUGIN_VERSION-$os_key"
  if [ ! -x "$os_dir/pulumi-resource-openstack" ]; then
    need_go
    # A folder per process: set-ups running side by side never share one.
    os_build="$SOCLE_CACHE/build/openstack.$$"
    rm -rf "$os_build" && mkdir -p "$os_build"
    cp "$SOCLE_ROOT/toolchain/openstack/"{go.mod,go.sum,*.go} "$os_build/"
    (cd "$SOCLE_ROOT" && node_modules/.bin/tsx toolchain/openstack/sdkTokens.ts "$os_build/tokens.json" >/dev/null) \
      || die "could not read the type tokens of the installed @pulumi/openstack (npm install first)"
    echo '{}' >"$os_build/schema.json"
    ldflags="-X main.Version=$OPENSTACK_PLUGIN_VERSION"
    build_go pulumi-resource-openstack "$os_build" . "$ldflags" "$os_build/first"
    run_logged "writing the OpenStack schema" "$SOCLE_CACHE/logs/schema-openstack.log" \
      "$os_build/first/pulumi-resource-openstack" schema --out "$os_build/gen" --skip-docs --skip-examples
    cp "$os_build/gen/schema.json" "$os_build/schema.json"
    build_go pulumi-resource-openstack "$os_build" . "$ldflags" "$os_dir"
    rm -rf "$os_build"
  fi
  # A new build of the same version replaces the registered one.
  installed="$PULUMI_HOME/plugins/resource-openstack-v$OPENSTACK_PLUGIN_VERSION/pulumi-resource-openstack"
  if ! cmp -s "$installed" "$os_dir/pulumi-resource-openstack"; then
    rm -rf "$PULUMI_HOME/plugins/resource-openstack-v$OPENSTACK_PLUGIN_VERSION"*
  fi
  register_plugin openstack "$OPENSTACK_PLUGIN_VERSION" "$os_dir/pulumi-resource-openstack"
fi

# The Kubernetes provider plugin, from the pulumi-kubernetes module pinned in
# toolchain/kubernetes/go.mod. Its own command embeds files that only its
# release build generates, so our small command is built in a copy beside the
# schema and mapping the module ships (about 9 minutes cold on 2 cores).
if wants kubernetes; then
  k8s_dir="$SOCLE_CACHE/toolchain/pulumi-kubernetes-$KUBERNETES_PLUGIN_VERSION"
  if [ ! -x "$k8s_dir/pulumi-resource-kubernetes" ]; then
    need_go
    k8s_build="$SOCLE_CACHE/build/kubernetes.$$"
    rm -rf "$k8s_build" && mkdir -p "$k8s_build"
    cp "$SOCLE_ROOT/toolchain/kubernetes/"{go.mod,go.sum,main.go} "$k8s_build/"
    # `go list -m` names the module's folder only once it is downloaded.
    k8s_module=$(cd "$k8s_build" && GOFLAGS=-mod=mod go mod download github.com/pulumi/pulumi-kubernetes/provider/v4 &&
      GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4) || k8s_module=""
    [ -f "$k8s_module/cmd/pulumi-resource-kubernetes/schema.json" ] ||
      die "the Go module proxy did not give github.com/pulumi/pulumi-kubernetes/provider/v4 with its schema (see toolchain/kubernetes/go.mod)"
    cp "$k8s_module/cmd/pulumi-resource-kubernetes/"{schema.json,terraform-mapping.json} "$k8s_build/"
    chmod u+w "$k8s_build/"*.json
    build_go pulumi-resource-kubernetes "$k8s_build" . \
      "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_PLUGIN_VERSION" "$k8s_dir"
    rm -rf "$k8s_build"
  fi
  register_plugin kubernetes "$KUBERNETES_PLUGIN_VERSION" "$k8s_dir/pulumi-resource-kubernetes"
fi

# The Kubernetes lab (lab/kubernetes): its control plane, about 4 + 2 + 1 minutes
# cold, and kwok's simulated nodes (toolchain/kwok), about 3 minutes.
if wants kube-lab; then
  kube_dir="$SOCLE_CACHE/toolchain/kubernetes-$KUBERNETES_VERSION"
  for component in kube-apiserver kube-controller-manager kube-scheduler; do
    build_go "$component" kubernetes-lab "./$component" \
      "-X k8s.io/component-base/version.gitVersion=v$KUBERNETES_VERSION" "$kube_dir"
  done
  build_go kwok kwok sigs.k8s.io/kwok/cmd/kwok \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" "$SOCLE_CACHE/toolchain/kwok-$KWOK_VERSION"
fi
# The lab's backups (toolchain/velero): velero, its AWS plugin in the plugin
# folder the server scans, and our S3 store. Keyed by the pinned versions and
# the module's own files (s3lab is our code).
if wants velero; then
  velero_key="$(cat "$SOCLE_ROOT/toolchain/velero/"{go.mod,go.sum,tools.go,s3lab/main.go} | sha256sum | cut -c1-12)"
  velero_dir="$SOCLE_CACHE/toolchain/velero-$VELERO_VERSION-aws-$VELERO_PLUGIN_AWS_VERSION-$velero_key"
  build_go velero velero github.com/vmware-tanzu/velero/cmd/velero \
    "-X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=v$VELERO_VERSION" "$velero_dir"
  build_go velero-plugin-for-aws velero github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws "" \
    "$velero_dir/plugins"
  build_go s3lab velero ./s3lab "" "$velero_dir"
fi
echo "$bin_dir"
