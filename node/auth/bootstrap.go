package auth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cockroachdb/pebble/v2"
)

// BootstrapName is the name of the manager token that Bootstrap creates.
const BootstrapName = "bootstrap-manager"

// Bootstrap creates a first manager token when the store has no token at all, and
// writes its secret to path with mode 0600, replacing any file there. It reports whether
// it created a token. When tokens exist, it leaves path alone. When the file cannot be
// written, it deletes the new token again, so that the next Bootstrap retries.
func (t *Tokens) Bootstrap(path string) (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	stored, err := t.all()
	if err != nil {
		return false, fmt.Errorf("bootstrap tokens: %w", err)
	}

	if len(stored) > 0 {
		return false, nil
	}

	secret, tok, err := t.create(BootstrapName, RoleManager)
	if err != nil {
		return false, fmt.Errorf("bootstrap tokens: %w", err)
	}

	if err := writeSecret(path, secret); err != nil {
		deleteErr := t.db.Delete([]byte(tokenPrefix+tok.ID), pebble.Sync)
		return false, errors.Join(fmt.Errorf("bootstrap tokens: %w", err), deleteErr)
	}

	return true, nil
}

// writeSecret writes secret and a newline to a temporary file of mode 0600 beside path,
// syncs it and renames it to path, so that path never holds a partial secret.
func writeSecret(path, secret string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".omotenashi-token-*")
	if err != nil {
		return fmt.Errorf("create secret file for %s: %w", path, err)
	}

	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()

	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("set mode of %s: %w", f.Name(), err)
	}

	if _, err := f.WriteString(secret + "\n"); err != nil {
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}

	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}

	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}

	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("rename secret file to %s: %w", path, err)
	}

	return nil
}
