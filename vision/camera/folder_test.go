package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// mustSampleFolder copies sample1..n.jpg into a temporary folder and returns it.
func mustSampleFolder(t *testing.T, n int) string {
	t.Helper()

	dir := t.TempDir()
	for i := 1; i <= n; i++ {
		mustWriteFile(t, dir, fmt.Sprintf("sample%d.jpg", i), mustReadSample(t, i))
	}

	return dir
}

func TestFolder_PlaysImagesInNameOrder(t *testing.T) {
	dir := mustSampleFolder(t, 3)
	mustWriteFile(t, dir, "notes.txt", []byte("not an image"))

	var c collector
	err := NewFolder(dir, 0, false).Run(context.Background(), c.emit)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	frames := c.snapshot()
	if len(frames) != 3 {
		t.Fatalf("got %d frames, want 3 (the .txt file must be ignored)", len(frames))
	}
	for i, frame := range frames {
		if !bytes.Equal(frame.Data, mustReadSample(t, i+1)) {
			t.Errorf("frame %d is not sample%d.jpg byte for byte", i, i+1)
		}
		if frame.Seq != uint64(i+1) {
			t.Errorf("frame %d: Seq = %d, want %d", i, frame.Seq, i+1)
		}
		if frame.Source != dir {
			t.Errorf("frame %d: Source = %q, want %q", i, frame.Source, dir)
		}
	}
}

func TestFolder_PacesAtRate(t *testing.T) {
	dir := mustSampleFolder(t, 5)
	const fps = 20.0

	var c collector
	if err := NewFolder(dir, fps, false).Run(context.Background(), c.emit); err != nil {
		t.Fatalf("Run: %v", err)
	}

	frames := c.snapshot()
	if len(frames) != 5 {
		t.Fatalf("got %d frames, want 5", len(frames))
	}

	// The pacer never emits early, so four intervals are a lower bound.
	elapsed := frames[4].Time.Sub(frames[0].Time)
	if want := 4 * time.Second / fps; elapsed < want {
		t.Errorf("5 frames at %v fps took %v, want at least %v", fps, elapsed, want)
	}
}

func TestFolder_LoopsUntilCancelled(t *testing.T) {
	dir := mustSampleFolder(t, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c := collector{limit: 7, cancel: cancel}
	err := NewFolder(dir, 0, true).Run(ctx, c.emit)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}

	frames := c.snapshot()
	if len(frames) != 7 {
		t.Fatalf("got %d frames, want 7", len(frames))
	}
	for i, frame := range frames {
		if want := mustReadSample(t, i%2+1); !bytes.Equal(frame.Data, want) {
			t.Errorf("frame %d is not sample%d.jpg", i, i%2+1)
		}
	}
}

func TestFolder_SkipsUnreadableFiles(t *testing.T) {
	dir := mustSampleFolder(t, 2)

	// A dangling symlink named like an image cannot be read.
	dangling := filepath.Join(dir, "a.jpg")
	if err := os.Symlink(filepath.Join(dir, "missing.jpg"), dangling); err != nil {
		t.Fatalf("symlink: %v", err)
	}
	// A folder named like an image is not a regular file and is not listed.
	if err := os.Mkdir(filepath.Join(dir, "b.jpg"), 0o700); err != nil {
		t.Fatalf("mkdir: %v", err)
	}

	var c collector
	if err := NewFolder(dir, 0, false).Run(context.Background(), c.emit); err != nil {
		t.Fatalf("Run: %v", err)
	}

	if got := len(c.snapshot()); got != 2 {
		t.Errorf("got %d frames, want 2", got)
	}
}

func TestFolder_EmptyFolderFails(t *testing.T) {
	dir := t.TempDir()
	mustWriteFile(t, dir, "readme.txt", []byte("no images here"))

	var c collector
	err := NewFolder(dir, 0, true).Run(context.Background(), c.emit)
	if !errors.Is(err, ErrNoFrames) {
		t.Errorf("Run returned %v, want ErrNoFrames", err)
	}
}

func TestFolder_OnlyUnreadableFilesFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "gone.png"), filepath.Join(dir, "x.png")); err != nil {
		t.Fatalf("symlink: %v", err)
	}

	var c collector
	err := NewFolder(dir, 0, true).Run(context.Background(), c.emit)
	if !errors.Is(err, ErrNoFrames) {
		t.Errorf("Run returned %v, want ErrNoFrames instead of looping idle", err)
	}
}

func TestFolder_FilesKeepsGivenOrder(t *testing.T) {
	dir := mustSampleFolder(t, 3)
	paths := []string{
		filepath.Join(dir, "sample3.jpg"),
		filepath.Join(dir, "sample1.jpg"),
	}

	var c collector
	if err := Files(paths, 0, false).Run(context.Background(), c.emit); err != nil {
		t.Fatalf("Run: %v", err)
	}

	frames := c.snapshot()
	if len(frames) != 2 {
		t.Fatalf("got %d frames, want 2", len(frames))
	}
	if !bytes.Equal(frames[0].Data, mustReadSample(t, 3)) {
		t.Error("first frame is not sample3.jpg")
	}
	if !bytes.Equal(frames[1].Data, mustReadSample(t, 1)) {
		t.Error("second frame is not sample1.jpg")
	}
}

func TestFolder_EmitErrorStopsRun(t *testing.T) {
	dir := mustSampleFolder(t, 3)
	stop := errors.New("consumer full")

	calls := 0
	err := NewFolder(dir, 0, true).Run(context.Background(), func(Frame) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("Run returned %v, want the emit error", err)
	}
	if calls != 1 {
		t.Errorf("emit called %d times, want 1", calls)
	}
}
