// Command s3lab is the lab's S3-compatible object store: gofakes3 over one
// bolt file in a folder, listening on a loopback address only, with the bucket
// Velero writes to created at start. It does not check request signatures, so
// the lab's credentials are throwaway strings that only the client needs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "loopback address to listen on")
	dir := flag.String("data", "", "folder for the store's data (required)")
	bucket := flag.String("bucket", "velero", "bucket created at start")
	flag.Parse()
	if err := run(*addr, *dir, *bucket); err != nil {
		log.Fatalf("s3lab: %v", err)
	}
}

func run(addr, dir, bucket string) error {
	if dir == "" {
		return errors.New("--data is required: the folder that keeps the store's objects")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	// Nothing of the lab may be reachable from outside the machine.
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: only a loopback address (127.0.0.0/8, ::1) is allowed", addr)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	backend, err := s3bolt.NewFile(filepath.Join(dir, "s3.bolt"))
	if err != nil {
		return err
	}
	if err := backend.CreateBucket(bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
		return fmt.Errorf("creating bucket %q: %w", bucket, err)
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("s3lab listening on http://%s (bucket %s, data %s)\n", listener.Addr(), bucket, dir)
	return http.Serve(listener, gofakes3.New(backend, gofakes3.WithAutoBucket(true)).Server())
}
