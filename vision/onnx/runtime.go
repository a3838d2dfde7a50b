package onnx

import (
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// ortState records the one ONNX Runtime environment of the process: onnxruntime_go keeps
// the library and environment in package globals, so they are set up once and never torn
// down while the process runs.
var ortState struct {
	sync.Mutex
	library string
}

// initRuntime loads ONNX Runtime from library and creates its environment, once per
// process. A later call naming another library fails, because a process can load only one.
func initRuntime(library string) error {
	ortState.Lock()
	defer ortState.Unlock()

	if ort.IsInitialized() {
		if ortState.library != library {
			return fmt.Errorf("onnx runtime already loaded from %s, cannot load %s",
				ortState.library, library)
		}
		return nil
	}

	ort.SetSharedLibraryPath(library)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("load onnx runtime from %s: %w", library, err)
	}
	ortState.library = library
	return nil
}
