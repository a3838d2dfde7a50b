package onnx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/omotenashi/omotenashi/internal/assetpath"
)

// Model files that Open loads from Config.ModelDir.
const (
	FeatureModel  = "fr_feature.onnx"
	LandmarkModel = "fr_landmark.onnx"
	DetectModel   = "fr_detect.onnx"
	LivenessModel = "fr_liveness.onnx"
)

// LibraryFile is the file name of ONNX Runtime's shared library.
const LibraryFile = "libonnxruntime.so.1"

// ModelFiles lists the models Open loads.
var ModelFiles = []string{FeatureModel, LandmarkModel, DetectModel, LivenessModel}

// ErrModelsMissing reports a model folder without the ONNX models, or a missing ONNX
// Runtime library.
var ErrModelsMissing = errors.New("onnx models missing")

// Config sets up an Engine.
type Config struct {
	// ModelDir is the folder with the files of ModelFiles. Default: FindModels.
	ModelDir string
	// LibraryPath is the path of ONNX Runtime's shared library (LibraryFile). Default:
	// FindLibrary. ONNX Runtime is loaded once per process, so every Engine of a process
	// must name the same library.
	LibraryPath string
	// Threads is the number of intra-op threads of each session. Default 1: parallel work
	// comes from PoolSize, one face per worker.
	Threads int
	// PoolSize is the number of workers, each with its own session per model and its own
	// input and output buffers. Default: the number of CPUs.
	PoolSize int
	// Alignment chooses the points faces are aligned by. Default Align68.
	Alignment Alignment
}

// withDefaults returns cfg with every unset field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.ModelDir == "" {
		cfg.ModelDir = FindModels()
	}
	if cfg.LibraryPath == "" {
		cfg.LibraryPath = FindLibrary()
	}
	if cfg.Threads <= 0 {
		cfg.Threads = 1
	}
	if cfg.PoolSize <= 0 {
		cfg.PoolSize = runtime.NumCPU()
	}
	return cfg
}

// check returns ErrModelsMissing naming the first file absent from the configuration.
func (cfg Config) check() error {
	for _, name := range ModelFiles {
		path := filepath.Join(cfg.ModelDir, name)
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("%w: %s not found (run make assets, or set the model folder)",
				ErrModelsMissing, path)
		}
	}
	if _, err := os.Stat(cfg.LibraryPath); err != nil {
		return fmt.Errorf("%w: ONNX Runtime library %q not found (run make assets)",
			ErrModelsMissing, cfg.LibraryPath)
	}
	return nil
}

// FindModels returns the first of assets/onnx under the working folder, beside the
// executable or one level above it that contains the models, or "" when none does.
func FindModels() string {
	return assetpath.Find("onnx", FeatureModel)
}

// FindLibrary returns the path of ONNX Runtime's library under assets/onnxruntime, searched
// like FindModels, or "" when none is found.
func FindLibrary() string {
	dir := assetpath.Find("onnxruntime", LibraryFile)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, LibraryFile)
}
