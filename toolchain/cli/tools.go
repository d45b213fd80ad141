//go:build tools

// Package tools pins the Pulumi CLI module so `go build` can compile it
// from the Go module proxy with the replaces its own go.mod needs.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
