package catalog

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"
)

// mustOpen opens a Pebble database in a temporary folder and returns the catalogue of the
// boutique "Ginza" in it.
func mustOpen(t *testing.T) *Catalog {
	t.Helper()
	db, err := pebble.Open(filepath.Join(t.TempDir(), "db"), &pebble.Options{})
	if err != nil {
		t.Fatalf("open pebble: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db, "Ginza")
}

// mustImport imports a file and fails the test on an error.
func mustImport(t *testing.T, c *Catalog, format Format, body string) Result {
	t.Helper()
	res, err := c.Import(strings.NewReader(body), format)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

const csvHeader = "sku,name,category,materials,colors,collection,sizes,price,currency,stock\n"
