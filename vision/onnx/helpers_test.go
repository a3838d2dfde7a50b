package onnx

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/calibrate"
)

// mustOpen opens an Engine on the assets of this checkout with a pool of one worker per
// alignment given, failing the test when the ONNX assets are missing.
func mustOpen(t testing.TB, align Alignment) *Engine {
	t.Helper()
	root := testassets.Root()
	cfg := Config{
		ModelDir:    filepath.Join(root, "assets", "onnx"),
		LibraryPath: filepath.Join(root, "assets", "onnxruntime", LibraryFile),
		PoolSize:    1,
		Alignment:   align,
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatalf("open onnx engine (run `make assets` first): %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// mustRecognizer returns a go-face Recognizer with one worker.
func mustRecognizer(t testing.TB) *vision.Recognizer {
	t.Helper()
	cfg := vision.DefaultConfig(testassets.ModelDir(t))
	cfg.Workers = 1
	rec, err := vision.NewRecognizer(cfg)
	if err != nil {
		t.Fatalf("open go-face recognizer: %v", err)
	}
	t.Cleanup(rec.Close)
	return rec
}

// labelledFace is the one face go-face found on a labelled photo.
type labelledFace struct {
	file, person string
	img          *vision.Decoded
	face         vision.Face
}

// labelledCache holds the faces of the shared folder, found once per test binary because
// go-face's detection costs about a second a photo.
var labelledCache struct {
	sync.Once
	faces []labelledFace
	err   error
}

// labelledFaces returns the one face of each labelled photo of the shared faces folder on
// which go-face finds exactly one, skipping the test when the folder is absent.
func labelledFaces(t testing.TB) []labelledFace {
	t.Helper()
	dir := testassets.SharedFaces(t)
	labelledCache.Do(func() {
		labelledCache.faces, labelledCache.err = findLabelledFaces(t, dir)
	})
	if labelledCache.err != nil {
		t.Fatal(labelledCache.err)
	}
	return labelledCache.faces
}

// findLabelledFaces runs go-face (HOG, then CNN) on each labelled photo of dir.
func findLabelledFaces(t testing.TB, dir string) ([]labelledFace, error) {
	rows, err := calibrate.ReadLabels(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		return nil, err
	}
	rec := mustRecognizer(t)

	var out []labelledFace
	for _, row := range rows {
		if !row.Labelled() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, row.File))
		if err != nil {
			return nil, err
		}
		decoded, err := vision.Decode(data, vision.DefaultLimits())
		if err != nil {
			return nil, err
		}
		faces, err := rec.Faces(context.Background(), decoded.Image, vision.Thorough)
		if err != nil {
			return nil, err
		}
		if len(faces) != 1 {
			t.Logf("%s left out: go-face found %d faces", row.File, len(faces))
			continue
		}
		out = append(out, labelledFace{row.File, row.Person, decoded, faces[0]})
	}
	return out, nil
}

// mustDescribe returns the descriptor of each labelled face.
func mustDescribe(t testing.TB, e *Engine, faces []labelledFace) []vision.Description {
	t.Helper()
	out := make([]vision.Description, len(faces))
	for i, f := range faces {
		d, err := e.Describe(context.Background(), f.img.Image, []vision.Face{f.face})
		if err != nil {
			t.Fatalf("describe %s: %v", f.file, err)
		}
		out[i] = d[0]
	}
	return out
}

// samples pairs each labelled face with its descriptor for package calibrate.
func samples(faces []labelledFace, descriptions []vision.Description) []calibrate.Sample {
	out := make([]calibrate.Sample, len(faces))
	for i, f := range faces {
		out[i] = calibrate.Sample{File: f.file, Person: f.person,
			Vector: descriptions[i].Vector}
	}
	return out
}
