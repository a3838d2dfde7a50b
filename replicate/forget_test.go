package replicate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

func TestGroup_ForgetLeavesDataFolder(t *testing.T) {
	c := mustThreeVoters(t)
	leader := c.mustLeader()
	follower := c.follower()

	// The marker stands for her name and descriptors inside the node's payload.
	marker := "Nguyen Thi Lan descriptor 0.0123,-0.4567 " + t.Name()
	for i, payload := range []string{marker + " v1", marker + " v2"} {
		mustSubmit(t, follower.group, putCommand("lan-"+string(rune('a'+i)), "client-lan",
			payload))
	}
	mustSubmit(t, leader.group, putCommand("other-1", "client-other", "kept profile"))
	c.waitApplied(3)

	// Put her bytes into a raft snapshot and into SSTables first, so the test can fail.
	for _, n := range c.nodes {
		if err := n.group.Raft().Snapshot().Error(); err != nil {
			t.Fatalf("snapshot on %s: %v", n.id, err)
		}
		if err := n.db.Flush(); err != nil {
			t.Fatalf("flush %s: %v", n.id, err)
		}
	}
	for _, n := range c.nodes {
		if found := filesContaining(t, n.dir, marker); !hasNonWAL(found) {
			t.Fatalf("before forget, marker only in %v on %s: the check below proves nothing",
				found, n.id)
		}
	}

	mustSubmit(t, follower.group, forgetCommand("forget-lan", "client-lan"))
	c.waitApplied(4)

	for _, n := range c.nodes {
		waitFor(t, 10*time.Second, "purge on "+string(n.id), func() bool {
			forgot, err1 := readIndex(n.db, forgotKey(testGroup))
			purged, err2 := readIndex(n.db, purgedKey(testGroup))
			return err1 == nil && err2 == nil && forgot > 0 && purged >= forgot
		})
	}

	for _, n := range c.nodes {
		found := filesContaining(t, n.dir, marker)
		for _, path := range found {
			if filepath.Ext(path) != ".log" {
				t.Errorf("%s: her payload is still in %s", n.id, path)
			}
		}
		if len(found) > 0 {
			t.Logf("%s: her payload remains only in Pebble WAL files %v", n.id, found)
		}
		if got := string(n.applier.profile(testGroup, "client-other")); got != "kept profile" {
			t.Errorf("%s: other client's profile %q, want %q", n.id, got, "kept profile")
		}
	}

	// Pebble reuses obsolete WAL files and overwrites them from the start, so her bytes leave
	// the WAL once new writes have filled the file past them.
	for _, n := range c.nodes {
		mustWriteUnrelated(t, n.db, 8<<20)
		if found := filesContaining(t, n.dir, marker); len(found) > 0 {
			t.Errorf("%s: after 8 MiB of new writes her payload is still in %v", n.id, found)
		}
	}
}

// mustWriteUnrelated writes size bytes of values under keys no test reads.
func mustWriteUnrelated(t *testing.T, db *pebble.DB, size int) {
	t.Helper()

	value := bytes.Repeat([]byte("x"), 1024)
	for i := range size / len(value) {
		if err := db.Set(fmt.Appendf(nil, "unrelated/%08d", i), value, pebble.NoSync); err != nil {
			t.Fatalf("write unrelated key %d: %v", i, err)
		}
	}
}

// filesContaining returns the files under dir whose bytes contain marker.
func filesContaining(t *testing.T, dir, marker string) []string {
	t.Helper()

	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // Pebble deleted an obsolete file during the scan
		}
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(marker)) {
			found = append(found, strings.TrimPrefix(path, dir+"/"))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scan %s: %v", dir, err)
	}

	return found
}

func hasNonWAL(paths []string) bool {
	for _, p := range paths {
		if filepath.Ext(p) != ".log" {
			return true
		}
	}

	return false
}
