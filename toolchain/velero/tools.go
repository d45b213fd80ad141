//go:build tools

// Package tools pins Velero (github.com/vmware-tanzu/velero: its server and
// CLI are one command) and its AWS object-store plugin, the backups of socle's
// Kubernetes lab: scripts/setup-toolchain.sh part `velero` builds both from this
// module at the versions in go.mod, beside our S3 store (./s3lab).
package tools

import (
	_ "github.com/vmware-tanzu/velero-plugin-for-aws/velero-plugin-for-aws"
	_ "github.com/vmware-tanzu/velero/cmd/velero"
)
