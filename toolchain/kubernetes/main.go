// Command pulumi-resource-kubernetes serves the Kubernetes provider of the
// pulumi-kubernetes Go module. The module's own command embeds files its
// release build generates, so socle's set-up builds this small command
// instead, embedding the schema and mapping the module ships (copied beside
// this file by scripts/setup-toolchain.sh before `go build`).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var schema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
