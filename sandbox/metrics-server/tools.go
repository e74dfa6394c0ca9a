//go:build tools

// Package metricsserver only pins the metrics-server program the sandbox runs; it is never
// compiled.
package metricsserver

import (
	_ "sigs.k8s.io/metrics-server/cmd/metrics-server"
)
