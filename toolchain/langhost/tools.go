//go:build tools

// Package tools pins the Node.js language host. Its own module (newer
// releases) is not served by the module proxy here; sdk/v3 v3.68.0 is the
// last release that still carries it inside the SDK module.
package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
