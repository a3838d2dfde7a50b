package onnx

import (
	"fmt"
	"path/filepath"

	ort "github.com/yalue/onnxruntime_go"
)

// model is one ONNX session bound to its own input and output tensors. ONNX Runtime's
// maintainers state, in the microsoft/onnxruntime issue tracker, that several threads may
// call Run on one session at once. But onnxruntime_go's AdvancedSession binds one set
// of tensors that each run overwrites, so a model serves one call at a time. The Engine
// keeps a pool of workers instead of sharing a model.
type model struct {
	session *ort.AdvancedSession
	input   *ort.Tensor[float32]
	outputs []*ort.Tensor[float32]
}

// modelSpec names a model file and the shapes of its input and outputs.
type modelSpec struct {
	file        string
	input       ort.Shape
	outputNames []string
	outputs     []ort.Shape
}

// The specs of the four models, as read from the files with ort.GetInputOutputInfo.
var (
	featureSpec = modelSpec{
		file: FeatureModel, input: ort.NewShape(1, 3, alignSide, alignSide),
		outputNames: []string{"output"}, outputs: []ort.Shape{ort.NewShape(1, Dim)},
	}
	landmarkSpec = modelSpec{
		file: LandmarkModel, input: ort.NewShape(1, 1, landmarkSide, landmarkSide),
		outputNames: []string{"output"}, outputs: []ort.Shape{ort.NewShape(1, 2*68)},
	}
	detectSpec = modelSpec{
		file: DetectModel, input: ort.NewShape(1, 3, detectHeight, detectWidth),
		outputNames: []string{"scores", "boxes"},
		outputs: []ort.Shape{
			ort.NewShape(1, priorCount, 2), ort.NewShape(1, priorCount, 4),
		},
	}
	livenessSpec = modelSpec{
		file: LivenessModel, input: ort.NewShape(1, 3, livenessSide, livenessSide),
		outputNames: []string{"output"}, outputs: []ort.Shape{ort.NewShape(1, 3)},
	}
)

// newModel loads spec's file from dir into a session with threads intra-op threads.
func newModel(dir string, spec modelSpec, threads int) (*model, error) {
	m := &model{}
	var err error
	m.input, err = ort.NewEmptyTensor[float32](spec.input)
	if err != nil {
		return nil, fmt.Errorf("allocate input of %s: %w", spec.file, err)
	}

	values := make([]ort.Value, 0, len(spec.outputs))
	for _, shape := range spec.outputs {
		out, err := ort.NewEmptyTensor[float32](shape)
		if err != nil {
			m.destroy()
			return nil, fmt.Errorf("allocate output of %s: %w", spec.file, err)
		}
		m.outputs = append(m.outputs, out)
		values = append(values, out)
	}

	opts, err := sessionOptions(threads)
	if err != nil {
		m.destroy()
		return nil, err
	}
	defer opts.Destroy()

	path := filepath.Join(dir, spec.file)
	m.session, err = ort.NewAdvancedSession(path, []string{"input"}, spec.outputNames,
		[]ort.Value{m.input}, values, opts)
	if err != nil {
		m.destroy()
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return m, nil
}

// sessionOptions returns options for a session of threads intra-op threads that runs its
// operators one after another.
func sessionOptions(threads int) (*ort.SessionOptions, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("create onnx session options: %w", err)
	}
	if err := opts.SetIntraOpNumThreads(threads); err != nil {
		opts.Destroy()
		return nil, fmt.Errorf("set %d intra-op threads: %w", threads, err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		opts.Destroy()
		return nil, fmt.Errorf("set inter-op threads: %w", err)
	}
	return opts, nil
}

// run runs the session on the current input, writing its bound outputs.
func (m *model) run() error {
	if err := m.session.Run(); err != nil {
		return fmt.Errorf("run onnx session: %w", err)
	}
	return nil
}

// destroy frees the session and its tensors.
func (m *model) destroy() {
	if m.session != nil {
		m.session.Destroy()
	}
	if m.input != nil {
		m.input.Destroy()
	}
	for _, out := range m.outputs {
		out.Destroy()
	}
}

// worker holds one session of each model; one goroutine uses it at a time.
type worker struct {
	feature, landmark, detect, liveness *model
}

// newWorker loads the four models from dir.
func newWorker(dir string, threads int) (*worker, error) {
	w := &worker{}
	specs := []struct {
		spec modelSpec
		dst  **model
	}{
		{featureSpec, &w.feature}, {landmarkSpec, &w.landmark},
		{detectSpec, &w.detect}, {livenessSpec, &w.liveness},
	}

	for _, s := range specs {
		m, err := newModel(dir, s.spec, threads)
		if err != nil {
			w.destroy()
			return nil, err
		}
		*s.dst = m
	}
	return w, nil
}

// destroy frees every model of w.
func (w *worker) destroy() {
	for _, m := range []*model{w.feature, w.landmark, w.detect, w.liveness} {
		if m != nil {
			m.destroy()
		}
	}
}
