#!/bin/sh
# Installs the peers of the audit benchmark with `go install`, at pinned versions, into a cache
# folder outside git (default ~/.cache/berth/peers/bin; BERTH_PEERS_BIN overrides it). Already
# installed binaries are kept. A peer that cannot be installed is reported and skipped: the bench
# then says which figure is missing and why.
set -u
BIN="${BERTH_PEERS_BIN:-$HOME/.cache/berth/peers/bin}"
mkdir -p "$BIN"

install() {
  name=$1
  module=$2
  if [ -x "$BIN/$name" ]; then
    echo "$name: cached in $BIN"
    return 0
  fi
  if GOBIN="$BIN" GOFLAGS=-mod=mod nice -n 10 go install "$module"; then
    echo "$name: installed $module"
  else
    echo "$name: 'go install $module' failed (see above)" >&2
  fi
}

install kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0
install kube-linter golang.stackrox.io/kube-linter/cmd/kube-linter@v0.8.3
# Polaris tags v10 without a /v10 module path, so Go needs the tag's commit (v10.2.2).
install polaris github.com/fairwindsops/polaris@dafa0b74fc09a9505849b0a6f8c78f1c364d0112
# Schema validation peer; its JSON schemas are generated locally from berth's shipped schema
# (bench/kubeconform-schemas.ts), since nothing is downloaded at run time.
install kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
# Helm, the release bench's peer (bench/release.bench.ts). scripts/setup.sh builds the same pin into
# ~/.cache/berth/tools/bin, which the bench finds first; this installs it when that is absent.
if [ -x "${XDG_CACHE_HOME:-$HOME/.cache}/berth/tools/bin/helm" ]; then
  echo "helm: cached in ${XDG_CACHE_HOME:-$HOME/.cache}/berth/tools/bin"
else
  install helm helm.sh/helm/v3/cmd/helm@v3.22.0
fi
