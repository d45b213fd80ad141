// Command pulumi-resource-openstack serves the OpenStack provider to the
// Pulumi engine. The official plugin (pulumi-openstack) is not served by the
// Go module proxy here, but it is only a thin program over two modules that
// are: the Terraform provider for OpenStack and the Pulumi Terraform bridge.
// This is our own such program.
//
// Every Terraform resource and data source gets exactly the type token the
// installed @pulumi/openstack SDK sends (tokens.json, derived from the SDK
// package at build time by sdk-tokens.ts); the schema the same binary
// generates (`pulumi-resource-openstack schema --out DIR`) is embedded on a
// second build (schema.json).
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-provider-openstack/terraform-provider-openstack/v3/openstack"
)

// Version is the @pulumi/openstack SDK version this plugin answers (set with -ldflags -X).
var Version = "3.15.2"

//go:embed tokens.json
var sdkTokensJSON []byte

//go:embed schema.json
var schemaJSON []byte

func main() {
	var sdk sdkTokens
	if err := json.Unmarshal(sdkTokensJSON, &sdk); err != nil {
		fail("tokens.json is not valid: %v", err)
	}
	provider := shimv2.NewProvider(openstack.Provider())
	info := tfbridge.ProviderInfo{
		P:           provider,
		Name:        "openstack",
		Version:     Version,
		Description: "OpenStack, bridged from terraform-provider-openstack by socle",
		License:     "Apache-2.0",
		Resources:   map[string]*tfbridge.ResourceInfo{},
		DataSources: map[string]*tfbridge.DataSourceInfo{},
	}
	resources := newTokenMatcher(sdk.Resources, "")
	provider.ResourcesMap().Range(func(name string, _ shim.Resource) bool {
		info.Resources[name] = &tfbridge.ResourceInfo{Tok: tokens.Type(resources.tokenFor(name))}
		return true
	})
	functions := newTokenMatcher(sdk.Functions, "get")
	provider.DataSourcesMap().Range(func(name string, _ shim.Resource) bool {
		info.DataSources[name] = &tfbridge.DataSourceInfo{Tok: tokens.ModuleMember(functions.tokenFor(name))}
		return true
	})
	if err := resources.err(); err != nil {
		fail("%v", err)
	}
	if err := functions.err(); err != nil {
		fail("%v", err)
	}

	if len(os.Args) > 1 && os.Args[1] == "schema" {
		// tfgen reads its own arguments: `schema --out DIR [--skip-docs]`.
		tfgen.Main("openstack", Version, info)
		return
	}
	tfbridge.Main("openstack", Version, info, schemaJSON)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-resource-openstack: "+format+"\n", args...)
	os.Exit(1)
}
