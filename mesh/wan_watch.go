package mesh

import (
	"context"
	"log/slog"
	"os"
	"time"
)

// wanPollInterval is how often Watch checks the WAN file for a change.
const wanPollInterval = 200 * time.Millisecond

// Watch polls the WAN file at path every 200 ms until ctx ends. It applies the settings
// whenever the file's modification time, size or identity changes, so a new file renamed
// over the old one takes effect within about 200 ms. Connections to
// regions that the new settings partition are closed. A missing or invalid file is
// logged once per change and the last valid settings stay. Run it on its own goroutine.
func (w *WAN) Watch(ctx context.Context, path string) {
	if w == nil {
		return
	}
	ticker := time.NewTicker(wanPollInterval)
	defer ticker.Stop()

	lastError := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}

		err := w.reload(path)
		if err == nil {
			lastError = ""
			continue
		}
		if err.Error() != lastError {
			lastError = err.Error()
			w.logger().Error("wan file not applied, keeping the last valid settings",
				"file", path, "error", err)
		}
	}
}

// reload reads the file at path and applies it if it changed since the last read.
func (w *WAN) reload(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	w.mu.RLock()
	previous := w.file
	w.mu.RUnlock()
	if !fileChanged(previous, info) {
		return nil
	}

	info, cfg, err := readWANFile(path)
	w.mu.Lock()
	w.file = info // an invalid version is not read again until the file changes
	w.mu.Unlock()
	if err != nil {
		return err
	}

	settings, err := cfg.compile()
	if err != nil {
		return err
	}
	w.apply(settings)
	return nil
}

func fileChanged(previous, current os.FileInfo) bool {
	if previous == nil || current == nil {
		return true
	}
	return !os.SameFile(previous, current) || !previous.ModTime().Equal(current.ModTime()) ||
		previous.Size() != current.Size()
}

func (w *WAN) logger() *slog.Logger {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.log
}
