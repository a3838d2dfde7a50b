package node

import (
	"context"
	"fmt"
	"time"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/gallery"
	"github.com/omotenashi/omotenashi/vision/onnx"
)

// Engine names a node may recognize with.
const (
	// EngineDlib is dlib's ResNet descriptor, computed by go-face with every detection.
	EngineDlib = vision.DlibEngine
	// EngineONNX is the 512-d ArcFace-style embedding run with ONNX Runtime. On the
	// labelled East Asian photos it separates people far better than dlib's (AUC 0.91
	// against 0.57), so it is the default.
	EngineONNX = onnx.Name
)

// minQuality is the descriptor quality under which a face is never greeted by name: the
// ONNX engine scores a face under about 40 px, or blurred, below it.
const minQuality = 0.3

// faceReading is what the node computed for one face: a descriptor per loaded engine,
// the recognition engine's quality score and, with the ONNX engine, a liveness score.
type faceReading struct {
	face     vision.Face
	vectors  map[string][]float32 // by engine name
	quality  float64
	liveness *float64
}

// engines holds the loaded engines and a gallery for each.
type engines struct {
	active    string
	onnx      *onnx.Engine // nil when the node runs dlib alone
	galleries map[string]*gallery.Gallery
}

// openEngines loads the ONNX engine when it is the active one; dlib's descriptors come
// with every go-face detection and are always kept.
func openEngines(cfg Config) (*engines, error) {
	e := &engines{
		active:    cfg.Engine,
		galleries: map[string]*gallery.Gallery{EngineDlib: gallery.New(vision.DlibDim)},
	}
	switch cfg.Engine {
	case EngineDlib:
		return e, nil
	case EngineONNX:
	default:
		return nil, fmt.Errorf("unknown engine %q: want %s or %s", cfg.Engine, EngineONNX,
			EngineDlib)
	}

	eng, err := onnx.Open(onnx.Config{ModelDir: cfg.ONNXModelDir, LibraryPath: cfg.ONNXLibrary,
		PoolSize: cfg.Workers})
	if err != nil {
		return nil, fmt.Errorf("load %s engine (run make assets, or --engine %s): %w",
			EngineONNX, EngineDlib, err)
	}
	e.onnx = eng
	e.galleries[EngineONNX] = gallery.New(onnx.Dim)
	return e, nil
}

func (e *engines) close() {
	if e.onnx != nil {
		e.onnx.Close()
	}
}

// engineVersion returns the model version the node stores and compares for an engine.
func engineVersion(name string) string {
	if name == EngineONNX {
		return onnx.Version
	}
	return vision.DlibEngineVersion
}

// gallery returns the recognition engine's gallery.
func (e *engines) gallery() *gallery.Gallery { return e.galleries[e.active] }

// add puts each descriptor into the gallery of its engine, skipping engines not loaded
// and other versions, which are never compared with the loaded ones.
func (e *engines) add(id string, descriptors []profile.Descriptor) error {
	for _, d := range descriptors {
		g := e.galleries[d.Engine]
		if g == nil || d.EngineVersion != engineVersion(d.Engine) {
			continue
		}
		if err := g.Add(id, d.Vector); err != nil {
			return fmt.Errorf("add %s descriptor of client %s: %w", d.Engine, id, err)
		}
	}
	return nil
}

// remove drops a client from every gallery.
func (e *engines) remove(id string) int {
	removed := 0
	for _, g := range e.galleries {
		removed += g.Remove(id)
	}
	return removed
}

// read computes every loaded engine's descriptor for the faces found in data. The ONNX
// engine needs the decoded picture; go-face does not, so dlib alone decodes nothing more.
func (e *engines) read(ctx context.Context, data []byte, lim vision.Limits,
	faces []vision.Face) ([]faceReading, error) {

	readings := make([]faceReading, len(faces))
	for i, f := range faces {
		readings[i] = faceReading{
			face:    f,
			vectors: map[string][]float32{EngineDlib: f.Descriptor},
			quality: 1,
		}
	}
	if e.onnx == nil || len(faces) == 0 {
		return readings, nil
	}

	decoded, err := vision.Decode(data, lim)
	if err != nil {
		return nil, err
	}
	descriptions, err := e.onnx.Describe(ctx, decoded.Image, faces)
	if err != nil {
		return nil, fmt.Errorf("describe faces with %s: %w", EngineONNX, err)
	}
	for i, d := range descriptions {
		readings[i].vectors[EngineONNX] = d.Vector
		readings[i].quality = d.Quality
		if live, err := e.onnx.Liveness(ctx, decoded.Image, faces[i].Box); err == nil {
			readings[i].liveness = &live
		}
	}
	return readings, nil
}

// descriptors returns a reading as stored descriptors, one per loaded engine.
func (r faceReading) descriptors(origin string, at time.Time) []profile.Descriptor {
	out := make([]profile.Descriptor, 0, len(r.vectors))
	for _, name := range []string{EngineONNX, EngineDlib} {
		v, ok := r.vectors[name]
		if !ok {
			continue
		}
		out = append(out, profile.Descriptor{
			Engine: name, EngineVersion: engineVersion(name), Vector: v,
			AddedAt: at, Origin: origin,
		})
	}
	return out
}
