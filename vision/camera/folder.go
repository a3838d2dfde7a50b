package camera

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// imageExtensions are the file name extensions a Folder plays, in lower case.
var imageExtensions = []string{".jpg", ".jpeg", ".png", ".gif", ".webp"}

// Folder is a Source that plays image files at a fixed rate, as if a camera had taken them.
// It reads each file as bytes and does not decode it.
type Folder struct {
	// Dir is the folder whose image files are played in name order. It is listed again at
	// the start of every pass, so files added while looping are picked up.
	Dir string

	// Paths lists the files to play, in this order, when Dir is empty.
	Paths []string

	// FPS is the rate in frames per second; zero or less plays as fast as emit returns.
	FPS float64

	// Loop plays the files again from the start after the last one.
	Loop bool

	// Logger receives a warning for each unreadable file; nil means slog.Default().
	Logger *slog.Logger
}

// NewFolder returns a Folder that plays the images in dir.
func NewFolder(dir string, fps float64, loop bool) *Folder {
	return &Folder{Dir: dir, FPS: fps, Loop: loop}
}

// Files returns a Folder that plays the given image files in the given order.
func Files(paths []string, fps float64, loop bool) *Folder {
	return &Folder{Paths: slices.Clone(paths), FPS: fps, Loop: loop}
}

// Name returns the folder path, or the first file and the number of files.
func (f *Folder) Name() string {
	if f.Dir != "" {
		return f.Dir
	}
	if len(f.Paths) == 1 {
		return f.Paths[0]
	}
	if len(f.Paths) > 1 {
		return fmt.Sprintf("%s (+%d files)", f.Paths[0], len(f.Paths)-1)
	}

	return "files"
}

// Run emits the files once, or forever when Loop is set. It returns an error wrapping
// ErrNoFrames when a pass finds no readable image, so an empty folder never loops idle.
func (f *Folder) Run(ctx context.Context, emit func(Frame) error) error {
	log := loggerOr(f.Logger).With("source", f.Name())
	pace := newPacer(f.FPS)
	var seq uint64

	for {
		paths, err := f.list()
		if err != nil {
			return err
		}

		played := 0
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				log.Warn("skipping unreadable image file", "path", path, "error", err)
				continue
			}

			if err := pace.wait(ctx); err != nil {
				return err
			}

			seq++
			played++
			frame := Frame{Seq: seq, Time: time.Now(), Data: data, Source: f.Name()}
			if err := emit(frame); err != nil {
				return err
			}
		}

		if played == 0 {
			return fmt.Errorf("play %s: %w: no readable image file", f.Name(), ErrNoFrames)
		}
		if !f.Loop {
			return nil
		}
	}
}

// list returns the paths to play in this pass.
func (f *Folder) list() ([]string, error) {
	if f.Dir == "" {
		if len(f.Paths) == 0 {
			return nil, fmt.Errorf("play files: %w: the file list is empty", ErrNoFrames)
		}

		return f.Paths, nil
	}

	entries, err := os.ReadDir(f.Dir)
	if err != nil {
		return nil, fmt.Errorf("list image folder %s: %w", f.Dir, err)
	}

	var paths []string
	for _, entry := range entries {
		if entry.Type().IsRegular() && isImageFile(entry.Name()) {
			paths = append(paths, filepath.Join(f.Dir, entry.Name()))
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("list image folder %s: %w: no %s file",
			f.Dir, ErrNoFrames, strings.Join(imageExtensions, "/"))
	}

	return paths, nil
}

// isImageFile reports whether name has one of imageExtensions, in any case.
func isImageFile(name string) bool {
	return slices.Contains(imageExtensions, strings.ToLower(filepath.Ext(name)))
}
