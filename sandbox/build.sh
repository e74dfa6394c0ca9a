#!/usr/bin/env bash
# Builds the sandbox cluster's programs once into the cache and reuses them afterwards:
# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl (k8s.io/kubernetes at the
# pinned release), etcd (go.etcd.io/etcd/server/v3 at the version Kubernetes itself requires)
# and kwok (sigs.k8s.io/kwok); then metrics-server (sigs.k8s.io/metrics-server, its own module in
# sandbox/metrics-server, its own stamp: adding or bumping it does not rebuild the others).
# Versions come from sandbox/versions.json, sandbox/build/go.mod and sandbox/metrics-server/go.mod.
#
#   bash sandbox/build.sh            build what is missing, print the cache folder
#   bash sandbox/build.sh --force    rebuild everything
#
# Cache: $BERTH_SANDBOX_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/berth/sandbox, then
# <kubernetes-version>/bin/. A `.complete` stamp (versions + go.sum hash) marks a finished build
# of the control plane, `.metrics-server.complete` one of metrics-server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$here/build"

version_of() { sed -n "s/.*\"$1\": *\"\\([^\"]*\)\".*/\\1/p" "$here/versions.json"; }
k8s_version="$(version_of kubernetes)"
kwok_version="$(version_of kwok)"
etcd_version="$(version_of etcd)"
ms_version="$(version_of metricsServer)"
ms_dir="$here/metrics-server"
[ -n "$k8s_version" ] && [ -n "$kwok_version" ] && [ -n "$etcd_version" ] && [ -n "$ms_version" ] || {
  echo "sandbox build: sandbox/versions.json must name kubernetes, kwok, etcd and metricsServer" >&2
  exit 2
}
# The go.mod must agree with versions.json; a mismatch means someone bumped only one of them.
for pin in "k8s.io/kubernetes $k8s_version" "sigs.k8s.io/kwok $kwok_version" "go.etcd.io/etcd/server/v3 $etcd_version"; do
  grep -q "^[[:space:]]*$pin\$" "$build_dir/go.mod" || {
    echo "sandbox build: sandbox/build/go.mod does not require $pin (sandbox/versions.json);" >&2
    echo "  run: bash sandbox/gen-build-mod.sh" >&2
    exit 2
  }
done
grep -q "^require sigs.k8s.io/metrics-server $ms_version\$" "$ms_dir/go.mod" || {
  echo "sandbox build: sandbox/metrics-server/go.mod does not require sigs.k8s.io/metrics-server $ms_version (sandbox/versions.json)" >&2
  exit 2
}

cache_root="${BERTH_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/sandbox}"
bin_dir="$cache_root/$k8s_version/bin"
stamp="$bin_dir/.complete"
want_stamp="kubernetes=$k8s_version kwok=$kwok_version etcd=$etcd_version gosum=$(sha256sum "$build_dir/go.sum" | cut -c1-16)"

ms_stamp="$bin_dir/.metrics-server.complete"
want_ms_stamp="metrics-server=$ms_version gosum=$(sha256sum "$ms_dir/go.sum" | cut -c1-16)"

is_built() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; }
ms_is_built() { [ -f "$ms_stamp" ] && [ "$(cat "$ms_stamp")" = "$want_ms_stamp" ]; }
all_built() { is_built && ms_is_built; }
if [ "${1:-}" != "--force" ] && all_built; then
  echo "$bin_dir"
  exit 0
fi

# One build at a time per version: a second caller waits, then finds the cache filled.
mkdir -p "$bin_dir"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/$k8s_version/.build.lock"
  if ! flock -n 9; then
    echo "sandbox build: another build of $k8s_version is running; waiting for it" >&2
    flock 9
  fi
  if [ "${1:-}" != "--force" ] && all_built; then
    echo "$bin_dir"
    exit 0
  fi
fi

# Go may be installed but not on PATH (non-login shells, CI).
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
command -v go >/dev/null || {
  echo "sandbox build: Go is not installed (need Go >= $(sed -n 's/^go //p' "$build_dir/go.mod"))" >&2
  exit 1
}

tmp="$(mktemp -d "$cache_root/$k8s_version/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
force="${1:-}"

minor="${k8s_version#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

build_control_plane() {
  echo "sandbox build: building Kubernetes $k8s_version, etcd $etcd_version, kwok $kwok_version into $bin_dir" >&2
  echo "sandbox build: a cold build takes about 30 minutes on 2 cores (docs/sandbox.md); later runs reuse the cache" >&2
  local start elapsed
  start=$(date +%s)
  (
    cd "$build_dir"
    export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false"
    # One `go build` for all programs, so shared packages compile once.
    go build -trimpath -ldflags="$ldflags" -o "$tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubectl \
      go.etcd.io/etcd/server/v3 \
      sigs.k8s.io/kwok/cmd/kwok
  )
  # `go build` names the etcd program after its module path (".../server/v3" -> "server").
  mv "$tmp/server" "$tmp/etcd"
  for prog in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok; do
    mv -f "$tmp/$prog" "$bin_dir/$prog"
  done
  echo "$want_stamp" >"$stamp"
  elapsed=$(($(date +%s) - start))
  echo "sandbox build: done in ${elapsed}s ($((elapsed / 60))m$((elapsed % 60))s) -> $bin_dir" >&2
  echo "$elapsed" >"$bin_dir/.build-seconds"
}

# metrics-server (metrics.k8s.io, ADR 0120): its own module and dependency versions, so it
# compiles apart (a few minutes cold) and a bump of it never invalidates the programs above.
build_metrics_server() {
  echo "sandbox build: building metrics-server $ms_version into $bin_dir" >&2
  local ms_start
  ms_start=$(date +%s)
  (
    cd "$ms_dir"
    export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false"
    go build -trimpath -o "$tmp/" \
      -ldflags="-s -w -X k8s.io/client-go/pkg/version.gitVersion=$ms_version -X k8s.io/component-base/version.gitVersion=$ms_version" \
      sigs.k8s.io/metrics-server/cmd/metrics-server
  )
  mv -f "$tmp/metrics-server" "$bin_dir/metrics-server"
  echo "$want_ms_stamp" >"$ms_stamp"
  echo "sandbox build: metrics-server done in $(($(date +%s) - ms_start))s" >&2
}

if [ "$force" = "--force" ] || ! is_built; then build_control_plane; fi
if [ "$force" = "--force" ] || ! ms_is_built; then build_metrics_server; fi
echo "$bin_dir"
