#!/usr/bin/env bash
# Builds the sandbox cluster's programs once into the cache and reuses them afterwards:
# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl (k8s.io/kubernetes at the
# pinned release), etcd (go.etcd.io/etcd/server/v3 at the version Kubernetes itself requires)
# and kwok (sigs.k8s.io/kwok). Versions come from sandbox/versions.json and sandbox/build/go.mod.
#
#   bash sandbox/build.sh            build what is missing, print the cache folder
#   bash sandbox/build.sh --force    rebuild everything
#
# Cache: $BERTH_SANDBOX_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/berth/sandbox, then
# <kubernetes-version>/bin/. A `.complete` stamp (versions + go.sum hash) marks a finished build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_dir="$here/build"

version_of() { sed -n "s/.*\"$1\": *\"\\([^\"]*\)\".*/\\1/p" "$here/versions.json"; }
k8s_version="$(version_of kubernetes)"
kwok_version="$(version_of kwok)"
etcd_version="$(version_of etcd)"
[ -n "$k8s_version" ] && [ -n "$kwok_version" ] && [ -n "$etcd_version" ] || {
  echo "sandbox build: sandbox/versions.json must name kubernetes, kwok and etcd" >&2
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

cache_root="${BERTH_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth/sandbox}"
bin_dir="$cache_root/$k8s_version/bin"
stamp="$bin_dir/.complete"
want_stamp="kubernetes=$k8s_version kwok=$kwok_version etcd=$etcd_version gosum=$(sha256sum "$build_dir/go.sum" | cut -c1-16)"

is_built() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; }
if [ "${1:-}" != "--force" ] && is_built; then
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
  if [ "${1:-}" != "--force" ] && is_built; then
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

minor="${k8s_version#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

echo "sandbox build: building Kubernetes $k8s_version, etcd $etcd_version, kwok $kwok_version into $bin_dir" >&2
echo "sandbox build: a cold build takes about 30 minutes on 2 cores (docs/sandbox.md); later runs reuse the cache" >&2
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
echo "$bin_dir"
