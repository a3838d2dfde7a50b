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
// writes one key and flushes the memtable, which starts a new WAL in a reused file, and
// fills that file with zeros, twice as long as the largest log file. After two rounds more
// than there are log files, every one of them was overwritten or deleted. It costs a few
// MiB of writes, once per forget.
func (s *Store) ScrubWAL() error {
	before, err := s.walFiles()
	if err != nil {
		return err
	}
	for round := 0; round < len(before)+scrubExtraRounds; round++ {
		// A flush starts a new WAL only when the memtable holds something, so write a key.
		if err := s.db.Set([]byte(scrubKey), nil, pebble.NoSync); err != nil {
			return fmt.Errorf("write before scrubbing the WAL: %w", err)
		}
		if err := s.db.Flush(); err != nil {
			return fmt.Errorf("flush before scrubbing the WAL: %w", err)
		}

		// Measure again each round: the WAL that was current grew while others wrote, and
		// the filler must cover all of a reused file. The margin covers writes meanwhile.
		now, err := s.walFiles()
		if err != nil {
			return err
		}
		filler := make([]byte, 2*largestWAL(now)+scrubMargin)
		if err := s.db.LogData(filler, pebble.Sync); err != nil {
			return fmt.Errorf("overwrite the WAL: %w", err)
		}
		if allRewritten(before, s.dir) {
			break
		}
	}
	if err := s.db.Delete([]byte(scrubKey), pebble.Sync); err != nil {
		return fmt.Errorf("delete the scrub key: %w", err)
	}
	if !allRewritten(before, s.dir) {
		return fmt.Errorf("a write-ahead log file was neither reused nor deleted after %d rounds",
			len(before)+scrubExtraRounds)
	}
	return nil
}

// scrubExtraRounds is how many rounds ScrubWAL may run beyond one per log file, when
// files are reused out of order or writes arrive meanwhile.
const scrubExtraRounds = 6

// allRewritten reports whether every file of before is gone from dir. Pebble renames a
// log file when it reuses it, and the scrub filled each reused file, so a name still there
// is a file not yet overwritten: the current WAL, or one waiting to be reused.
func allRewritten(before map[string]int64, dir string) bool {
	for name := range before {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return false
		}
	}
	return true
}

func largestWAL(files map[string]int64) int64 {
	largest := int64(0)
	for _, size := range files {
		largest = max(largest, size)
	}
	return largest
}

// scrubMargin is added to each round's filler, for writes made while ScrubWAL runs.
const scrubMargin = 256 << 10

// scrubKey is the key ScrubWAL writes so that each flush starts a new WAL.
const scrubKey = "scrub/wal"

// walFiles returns the *.log files of the database and their sizes.
func (s *Store) walFiles() (map[string]int64, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("list database folder: %w", err)
	}
	files := map[string]int64{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		if info, err := e.Info(); err == nil {
			files[e.Name()] = info.Size()
		}
	}
	return files, nil
}
