// Command kube-controller-manager is the Kubernetes controller manager of the
// k8s.io/kubernetes module, built for socle's Kubernetes lab: it finishes what
// the API server only records (namespace deletion, quota usage, default
// service accounts), as in a real cluster.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
