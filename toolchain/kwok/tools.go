//go:build tools

// Package tools pins kwok (sigs.k8s.io/kwok), the simulated nodes of socle's
// Kubernetes lab: scripts/setup-toolchain.sh builds its command
// sigs.k8s.io/kwok/cmd/kwok from this module at the version in go.mod.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
