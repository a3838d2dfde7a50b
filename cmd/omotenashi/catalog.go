package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// runCatalog imports a catalogue file into a running node: catalog import [flags] FILE,
// where a .json file is sent as JSON and any other as CSV.
func runCatalog(_ context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: omotenashi catalog import [flags] FILE (.csv or .json)"
	if len(args) == 0 || args[0] != "import" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("catalog import", flag.ContinueOnError)
	connect := clientFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(usage)
	}
	c, err := connect()
	if err != nil {
		return err
	}

	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open catalogue file: %w", err)
	}
	defer f.Close()

	contentType := "text/csv"
	if strings.EqualFold(filepath.Ext(path), ".json") {
		contentType = "application/json"
	}
	var out map[string]any
	if err := c.do("POST", "/v1/catalog", contentType, f, &out); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	return printJSON(stdout, out)
}
