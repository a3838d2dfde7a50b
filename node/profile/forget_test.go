package profile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestForget_Lifecycle(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)

	if err := s.Forget(c.ID, "manager-paris"); err != nil {
		t.Fatalf("forget: %v", err)
	}

	if _, err := s.Get(c.ID); !errors.Is(err, ErrForgotten) {
		t.Errorf("get: %v, want ErrForgotten", err)
	}

	if _, err := s.Export(c.ID); !errors.Is(err, ErrForgotten) {
		t.Errorf("export: %v, want ErrForgotten", err)
	}

	if err := s.RecordVisit(c.ID, Visit{Store: "paris"}); !errors.Is(err, ErrForgotten) {
		t.Errorf("record visit: %v, want ErrForgotten", err)
	}

	if err := s.Forget(c.ID, "manager-paris"); !errors.Is(err, ErrForgotten) {
		t.Errorf("second forget: %v, want ErrForgotten", err)
	}

	again := newCustomer("Tanaka Yuki", "Ms Tanaka")
	again.ID = c.ID
	if err := s.Create(again); !errors.Is(err, ErrForgotten) {
		t.Errorf("create with forgotten id: %v, want ErrForgotten", err)
	}

	if list, _ := s.List("", 0); len(list) != 0 {
		t.Errorf("list after forget: %+v, want nothing", list)
	}
}

func TestForget_Missing(t *testing.T) {
	s, _ := mustOpen(t)

	if err := s.Forget("nobody", "manager"); !errors.Is(err, ErrNotFound) {
		t.Errorf("forget: %v, want ErrNotFound", err)
	}

	if _, err := s.Tombstone("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("tombstone: %v, want ErrNotFound", err)
	}
}

func TestForget_TombstoneHasNoPersonalData(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)
	if err := s.Forget(c.ID, "manager-paris"); err != nil {
		t.Fatalf("forget: %v", err)
	}

	got, err := s.Tombstone(c.ID)
	if err != nil {
		t.Fatalf("tombstone: %v", err)
	}

	want := Tombstone{ID: c.ID, At: testNow, By: "manager-paris"}
	if got != want {
		t.Errorf("tombstone %+v, want %+v", got, want)
	}

	raw, found, err := s.getValue(tombstoneKey(c.ID))
	if err != nil || !found {
		t.Fatalf("read raw tombstone: found %v, err %v", found, err)
	}

	for _, personal := range []string{"Tanaka", "dlib", "vector"} {
		if bytes.Contains(raw, []byte(personal)) {
			t.Errorf("tombstone %s contains %q", raw, personal)
		}
	}
}

// TestForget_RemovesNameFromFiles checks the on-disk effect of Forget: her name is in
// sstables before it and in no file except write-ahead logs after it.
func TestForget_RemovesNameFromFiles(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	const name = "Zephyrine Quillfeather"
	c := newCustomer(name, "Ms Quillfeather")
	mustCreate(t, s, c)
	mustCreate(t, s, newCustomer("Tanaka Yuki", "Ms Tanaka"))

	// Put versions of her record in L0 and in the bottom level, so that the compaction
	// in Forget has to reach both.
	mustFlush(t, s)
	if err := s.DB().Compact(t.Context(), []byte("cust/"), []byte("cust0"), false); err != nil {
		t.Fatalf("compact: %v", err)
	}

	if err := s.AddNote(c.ID, Note{Author: "Linh", Text: "Prefers tea"}); err != nil {
		t.Fatalf("add note: %v", err)
	}

	mustFlush(t, s)
	if got := filesContaining(t, dir, name, ".sst"); len(got) < 2 {
		t.Fatalf("name in sstables %v before forget, want at least two", got)
	}

	if err := s.Forget(c.ID, "manager"); err != nil {
		t.Fatalf("forget: %v", err)
	}

	// Close waits for Pebble to delete obsolete files.
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	for _, path := range filesContaining(t, dir, name, "") {
		t.Errorf("name remains in %s after forget, compaction and the WAL scrub", path)
	}

	// The compaction must keep every other customer: reopen and read her neighbour.
	reopened, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer reopened.Close()
	list, err := reopened.List("Tanaka Yuki", 0)
	if err != nil || len(list) != 1 {
		t.Errorf("the other customer after the compaction: %v, %d found", err, len(list))
	}
}

func mustFlush(t *testing.T, s *Store) {
	t.Helper()

	if err := s.DB().Flush(); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

// filesContaining returns the names of the files in dir whose names end in suffix and
// whose bytes contain text.
func filesContaining(t *testing.T, dir, text, suffix string) []string {
	t.Helper()

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read dir: %v", err)
	}

	var out []string
	for _, entry := range entries {
		if entry.IsDir() || !strings.HasSuffix(entry.Name(), suffix) {
			continue
		}

		data, err := os.ReadFile(filepath.Join(dir, entry.Name()))
		if err != nil {
			t.Fatalf("read %s: %v", entry.Name(), err)
		}

		if bytes.Contains(data, []byte(text)) {
			out = append(out, entry.Name())
		}
	}

	return out
}
