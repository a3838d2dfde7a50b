// Package assetpath finds the folders under assets/ where `make assets` unpacks models and
// libraries, so that a binary run from the repository or from bin/ needs no setting.
package assetpath

import (
	"os"
	"path/filepath"
)

// Find returns the first folder assets/sub that contains file, looking under the working
// folder, beside the executable and one level above it, or "" when none does.
func Find(sub, file string) string {
	var candidates []string
	if wd, err := os.Getwd(); err == nil {
		candidates = append(candidates, filepath.Join(wd, "assets", sub))
	}
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		candidates = append(candidates,
			filepath.Join(dir, "assets", sub),
			filepath.Join(dir, "..", "assets", sub))
	}

	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
			return dir
		}
	}
	return ""
}
