#!/usr/bin/env bash
# Installs everything berth and its tests need on a fresh machine. Idempotent: a second run only
# checks. Debian packages (as root, or through sudo), npm packages, then the sandbox cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests and benchmarks use: real queue and metric servers (autoscaler and
# workflow sources), and Chromium for the dashboard's browser test.
apt_packages=(time openssl nats-server redis-server prometheus chromium)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund

# Go (the sandbox build and the Kubernetes module): may be installed but not on PATH in CI.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
command -v go >/dev/null || {
  echo "setup: Go >= 1.26 is needed (sandbox cluster build, Kubernetes OpenAPI module)" >&2
  exit 1
}

# Kubernetes OpenAPI spec for the offline validation of rendered objects (test/render/openapi.ts):
# the k8s.io/kubernetes Go module at the pinned release carries api/openapi-spec/v3.
k8s_version="$(node -p "require('./sandbox/versions.json').kubernetes")"
if ! go mod download -json "k8s.io/kubernetes@${k8s_version}" >/dev/null; then
  echo "setup: could not download k8s.io/kubernetes@${k8s_version} (needs Go and the module proxy)" >&2
  exit 1
fi

# The OpenAPI of the older releases whose compact schemas the audit ships for --kube-version
# (scripts/gen-kube-schemas.ts `olderReleases`, src/audit/schema/data/kubernetes-1.*.json).
for k8s_older in v1.31.14 v1.24.17; do
  go mod download -json "k8s.io/kubernetes@${k8s_older}" >/dev/null || {
    echo "setup: could not download k8s.io/kubernetes@${k8s_older} (needs Go and the module proxy)" >&2
    exit 1
  }
done

# Sources of the audit's generated API tables (scripts/gen-kube-schemas.ts, gen-api-lifecycle.ts):
# the API types at the pinned release, plus two older k8s.io/api releases that still carry the
# types removed since (PodSecurityPolicy, autoscaling/v2beta2…). Pins also in gen-api-lifecycle.ts.
k8s_staging="v0.${k8s_version#v1.}"
for module in "k8s.io/api@${k8s_staging}" "k8s.io/apiextensions-apiserver@${k8s_staging}" \
  "k8s.io/kube-aggregator@${k8s_staging}" k8s.io/api@v0.24.17 k8s.io/api@v0.31.14; do
  go mod download -json "$module" >/dev/null || {
    echo "setup: could not download $module (needs Go and the module proxy)" >&2
    exit 1
  }
done

# The sandbox cluster (docs/sandbox.md): kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd and kwok built from Go modules into ~/.cache/berth/sandbox/<version>/bin, once
# (a cold build takes about 30 minutes on 2 cores and prints its time); then metrics-server
# (metrics.k8s.io, ADR 0120) from sandbox/metrics-server/go.mod under its own stamp, so a cache
# made before it was added gets only metrics-server (about 6 min of CPU); later runs only check.
echo "setup: sandbox programs in $(bash sandbox/build.sh)"

# Helm (chart inputs of `berth audit`/`berth apply`, docs/audit.md; also the release bench's
# peer): built once from the Go module proxy into ~/.cache/berth/tools/bin/helm, which berth looks
# up after $BERTH_HELM and PATH (src/input/tools.ts). The pin is also in src/input/tools.ts.
helm_version=v3.22.0
tools_bin="${XDG_CACHE_HOME:-$HOME/.cache}/berth/tools/bin"
# (`go install` leaves Helm's own version string short, so the module version is read instead.)
if [ -x "$tools_bin/helm" ] && go version -m "$tools_bin/helm" | grep -q "mod[[:space:]]*helm.sh/helm/v3[[:space:]]*${helm_version}[[:space:]]"; then
  echo "setup: helm $helm_version cached in $tools_bin"
else
  echo "setup: building helm $helm_version into $tools_bin (a few minutes, once)"
  mkdir -p "$tools_bin"
  GOBIN="$tools_bin" GOFLAGS=-mod=mod nice -n 10 go install "helm.sh/helm/v3/cmd/helm@${helm_version}"
fi
