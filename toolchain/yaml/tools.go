//go:build tools

// Package tools pins the Pulumi YAML language host, which runs Pulumi YAML
// programs (and so proves socle's component package from YAML).
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
