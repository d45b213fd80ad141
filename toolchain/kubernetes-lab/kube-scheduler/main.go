// Command kube-scheduler is the Kubernetes scheduler of the k8s.io/kubernetes
// module, built for socle's Kubernetes lab: it places pods on the lab's
// simulated (kwok) nodes, as in a real cluster.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() {
	os.Exit(cli.Run(app.NewSchedulerCommand()))
}
