package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBootstrap_CreatesManager(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	path := filepath.Join(t.TempDir(), "manager.token")

	created, err := tokens.Bootstrap(path)
	if err != nil || !created {
		t.Fatalf("bootstrap: created %v, err %v, want a new token", created, err)
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat secret file: %v", err)
	}

	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("secret file mode %o, want 600", mode)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read secret file: %v", err)
	}

	tok, err := tokens.Verify(strings.TrimSuffix(string(data), "\n"))
	if err != nil {
		t.Fatalf("verify bootstrap secret: %v", err)
	}

	if tok.Role != RoleManager || tok.Name != BootstrapName {
		t.Errorf("bootstrap token %+v, want a manager named %s", tok, BootstrapName)
	}

	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".omotenashi-token-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestBootstrap_SecondCallKeepsFile(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	path := filepath.Join(t.TempDir(), "manager.token")
	if _, err := tokens.Bootstrap(path); err != nil {
		t.Fatalf("first bootstrap: %v", err)
	}

	first, _ := os.ReadFile(path)

	created, err := tokens.Bootstrap(path)
	if err != nil || created {
		t.Fatalf("second bootstrap: created %v, err %v, want nothing created", created, err)
	}

	if second, _ := os.ReadFile(path); string(second) != string(first) {
		t.Errorf("second bootstrap changed the secret file")
	}

	if list, _ := tokens.List(); len(list) != 1 {
		t.Errorf("%d tokens after two bootstraps, want 1", len(list))
	}
}

func TestBootstrap_ExistingTokens(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	mustCreateToken(t, tokens, "Linh", RoleAssistant)
	path := filepath.Join(t.TempDir(), "manager.token")

	created, err := tokens.Bootstrap(path)
	if err != nil || created {
		t.Fatalf("bootstrap: created %v, err %v, want nothing created", created, err)
	}

	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("secret file was written: stat returned %v", err)
	}
}

func TestBootstrap_UnwritablePathRetries(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	dir := filepath.Join(t.TempDir(), "missing")
	path := filepath.Join(dir, "manager.token")

	if created, err := tokens.Bootstrap(path); err == nil || created {
		t.Fatalf("bootstrap into a missing folder: created %v, err %v, want an error", created, err)
	}

	if list, _ := tokens.List(); len(list) != 0 {
		t.Fatalf("failed bootstrap left tokens %+v", list)
	}

	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatalf("mkdir: %v", err)
	}

	if created, err := tokens.Bootstrap(path); err != nil || !created {
		t.Errorf("retried bootstrap: created %v, err %v, want a new token", created, err)
	}
}
