// Package testassets finds the models and photos that tests run on: the dlib models and
// sample photos that the Makefile unpacks under assets/, and the labelled photos of the
// shared faces folder beside the repository, when it exists.
package testassets

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository's top folder, found from this file's location.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// ModelDir returns the folder of the dlib models, failing the test when they are missing:
// `make assets` fetches them, and every test run through make has them.
func ModelDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(Root(), "assets", "dlib")
	if _, err := os.Stat(filepath.Join(dir, "dlib_face_recognition_resnet_model_v1.dat")); err != nil {
		t.Fatalf("dlib models missing in %s: run `make assets` first", dir)
	}
	return dir
}

// Sample returns the path of one of the npm sample photos (sample1.jpg to sample6.jpg),
// failing the test when it is missing.
func Sample(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(Root(), "assets", "samples", name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("sample photo %s missing: run `make assets` first", path)
	}
	return path
}

// SharedFaces returns the folder of labelled face photos, skipping the test with a clear
// message when this checkout has none beside it. OMOTENASHI_FACES overrides the location.
func SharedFaces(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("OMOTENASHI_FACES")
	if dir == "" {
		dir = filepath.Join(Root(), "..", "shared", "faces")
	}
	if _, err := os.Stat(filepath.Join(dir, "labels.tsv")); err != nil {
		t.Skipf("labelled faces not found at %s (set OMOTENASHI_FACES): skipping", dir)
	}
	return dir
}

// ReadFile returns the bytes of path, failing the test when it cannot be read.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return data
}

// ONNXModelDir returns the folder of the ONNX engine's models and the path of ONNX
// Runtime's library, failing the test when they are missing.
func ONNXModelDir(t testing.TB) (string, string) {
	t.Helper()
	dir := filepath.Join(Root(), "assets", "onnx")
	lib := filepath.Join(Root(), "assets", "onnxruntime", "libonnxruntime.so.1")
	for _, path := range []string{filepath.Join(dir, "fr_feature.onnx"), lib} {
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("ONNX engine asset %s missing: run `make assets` first", path)
		}
	}
	return dir, lib
}
