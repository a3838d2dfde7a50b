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

	"github.com/omotenashi/omotenashi/node"
)

// catalogUsage is the usage text of catalog import.
const catalogUsage = `usage: omotenashi catalog import [flags] FILE (.csv or .json)

Prints the node's result as JSON: the number of rows applied, and the line and reason of
each rejected row. Exits with status 1 when any row is rejected, even though the other
rows are applied, and 0 only when every row is applied.`

// runCatalog imports a catalogue file into a running node: catalog import [flags] FILE,
// where a .json file is sent as JSON and any other as CSV. It returns an error, so that
// the command exits with status 1, when the node rejects any row.
func runCatalog(_ context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return errors.New(catalogUsage)
	}
	fs := flag.NewFlagSet("catalog import", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), catalogUsage+"\n\nflags:")
		fs.PrintDefaults()
	}
	connect := clientFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(catalogUsage)
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
	var res node.ImportResponse
	if err := c.do("POST", "/v1/catalog", contentType, f, &res); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	if err := printJSON(stdout, res); err != nil {
		return err
	}
	if res.Pending {
		fmt.Fprintln(stdout, "This boutique uses the items now. The brand's other boutiques "+
			"get them once its leader is reachable; GET /v1/pending lists what waits.")
	}

	if len(res.Rejected) > 0 {
		return fmt.Errorf("import %s: %s rejected and %s applied, so fix the rejected rows "+
			"listed in the output and import the file again", path,
			countRows(len(res.Rejected)), countRows(res.Applied))
	}
	return nil
}

// countRows returns n followed by "row" or "rows".
func countRows(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}
