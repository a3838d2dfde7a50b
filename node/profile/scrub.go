package profile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// ScrubWAL overwrites the write-ahead log files that may still hold a forgotten client's
// bytes. Pebble v2.1.7 keeps an obsolete WAL file for reuse and overwrites it only as far
// as new writes reach, so after a forget her record can stay in a *.log file. Each round
// flushes the memtable, which starts a new WAL (reusing the oldest obsolete file), and
// fills it with zeros as long as the largest log file, so after as many rounds as there
// are log files every one of them was overwritten or deleted. It costs a few MiB of writes,
// once per forget.
func (s *Store) ScrubWAL() error {
	logs, size, err := s.walFiles()
	if err != nil {
		return err
	}
	filler := make([]byte, size)
	for range logs + 1 {
		if err := s.db.Flush(); err != nil {
			return fmt.Errorf("flush before scrubbing the WAL: %w", err)
		}
		if err := s.db.LogData(filler, pebble.Sync); err != nil {
			return fmt.Errorf("overwrite the WAL: %w", err)
		}
	}
	return s.db.Flush()
}

// walFiles returns the number of *.log files of the database and the size of the largest.
func (s *Store) walFiles() (int, int64, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, 0, fmt.Errorf("list database folder: %w", err)
	}
	count, largest := 0, int64(0)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		info, err := os.Stat(filepath.Join(s.dir, e.Name()))
		if err != nil {
			continue
		}
		count++
		largest = max(largest, info.Size())
	}
	return count, largest, nil
}
