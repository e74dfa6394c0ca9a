#!/usr/bin/env bash
# Regenerates sandbox/build/go.mod and go.sum from sandbox/versions.json, after a version bump.
#
# k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/client-go, ...) at v0.0.0
# and replaces them with ./staging folders, which a module that requires it cannot see. So the
# build module replaces each of them with the published tag matching the release
# (Kubernetes v1.X.Y -> staging v0.X.Y). The list is read from Kubernetes' own go.mod, so a new
# staging module is picked up by the next bump. etcd is pinned to the server version that
# Kubernetes itself requires (its go.mod names go.etcd.io/etcd/server/v3), so the API server runs
# against the etcd it is tested with.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version_of() { sed -n "s/.*\"$1\": *\"\\([^\"]*\)\".*/\\1/p" "$here/versions.json"; }
k8s="$(version_of kubernetes)"
kwok="$(version_of kwok)"
staging="v0.${k8s#v1.}"

k8s_mod="$(go mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
etcd="$(sed -n 's/^[[:space:]]*go\.etcd\.io\/etcd\/server\/v3 \(v[^ ]*\).*/\1/p' "$k8s_mod")"
go_version="$(sed -n 's/^go //p' "$k8s_mod")"
[ -n "$etcd" ] || {
  echo "gen-build-mod: Kubernetes $k8s does not name go.etcd.io/etcd/server/v3" >&2
  exit 1
}

cd "$here/build"
{
  echo '// Builds the sandbox cluster binaries from public Go modules. Generated from the pinned'
  echo '// Kubernetes release by sandbox/gen-build-mod.sh; see docs/sandbox.md.'
  echo 'module berth.dev/sandbox/build'
  echo
  echo "go $go_version"
  echo
  echo 'require ('
  echo "	go.etcd.io/etcd/server/v3 $etcd"
  echo "	k8s.io/kubernetes $k8s"
  echo "	sigs.k8s.io/kwok $kwok"
  echo ')'
  echo
  echo 'replace ('
  sed -n '/^replace (/,/^)/p' "$k8s_mod" | awk -v v="$staging" '/=>/ { print "\t" $1 " => " $1 " " v }'
  echo ')'
} >go.mod
rm -f go.sum
go mod tidy
# Record the etcd version the build uses in the single version pin.
sed -i "s/\"etcd\": *\"[^\"]*\"/\"etcd\": \"$etcd\"/" "$here/versions.json"
echo "gen-build-mod: kubernetes $k8s (staging $staging), etcd $etcd, kwok $kwok"
