#!/usr/bin/env bash
# Installs everything berth and its tests need on a fresh machine (idempotent, quiet when done).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
