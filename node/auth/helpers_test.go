package auth

import (
	"testing"

	"github.com/cockroachdb/pebble/v2"
)

// mustDB opens a Pebble database in a new temporary directory and closes it when the
// test ends.
func mustDB(t testing.TB) (*pebble.DB, string) {
	t.Helper()

	dir := t.TempDir()
	db, err := pebble.Open(dir, &pebble.Options{})
	if err != nil {
		t.Fatalf("open pebble in %s: %v", dir, err)
	}

	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close pebble: %v", err)
		}
	})

	return db, dir
}

func mustCreateToken(t testing.TB, tokens *Tokens, name string, role Role) (string, Token) {
	t.Helper()

	secret, tok, err := tokens.Create(name, role)
	if err != nil {
		t.Fatalf("create token %s: %v", name, err)
	}

	return secret, tok
}
