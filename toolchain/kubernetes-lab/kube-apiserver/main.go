// Command kube-apiserver is the Kubernetes API server of the k8s.io/kubernetes
// module, built for socle's Kubernetes lab (a real API server on loopback,
// backed by Debian's etcd). The module's staging libraries are taken at their
// published versions (the replace block in go.mod).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
