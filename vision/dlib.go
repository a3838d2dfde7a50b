package vision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"

	face "github.com/Kagami/go-face"
	xdraw "golang.org/x/image/draw"
)

// DlibEngine names the descriptor go-face computes: dlib's ResNet, 128 float32 values, compared
// by Euclidean distance. Every stored descriptor carries this name and DlibEngineVersion.
const (
	DlibEngine        = "dlib-resnet"
	DlibEngineVersion = "v1"
	DlibDim           = 128
)

// ModelFiles lists the dlib models go-face loads from its model folder.
var ModelFiles = []string{
	"mmod_human_face_detector.dat",
	"shape_predictor_5_face_landmarks.dat",
	"dlib_face_recognition_resnet_model_v1.dat",
}

// Config sets up a Recognizer.
type Config struct {
	// ModelDir is the folder with the dlib model files of ModelFiles.
	ModelDir string
	// Workers is the number of go-face recognizers in the pool, each about 36 MiB. go-face
	// serializes the work of one recognizer behind mutexes, so parallel work needs one per
	// worker. Default: the number of CPUs.
	Workers int
	// DetectSide is the longer side, in pixels, that a frame is shrunk to before the HOG
	// detector runs; larger frames cost more and find smaller faces. Default 2048, which
	// passes 1080p frames and most photos to go-face untouched: shrinking a 1920 px JPEG to
	// 1600 px saves less detection time than decoding and re-encoding it in Go costs.
	DetectSide int
	// FallbackSide is the longer side of the second, smaller pass that runs when the first
	// finds no face: dlib's HOG misses some large, tilted faces at full size and finds them
	// shrunk. Default 640. Zero or negative turns the fallback off.
	FallbackSide int
}

// Mode chooses how hard Faces looks for a face.
type Mode int

const (
	// Live runs the HOG passes only: for camera frames, where the next frame comes soon.
	Live Mode = iota
	// Thorough adds dlib's CNN detector on the FallbackSide image when both HOG passes find
	// nothing. It costs about 5 s per megapixel on one core, about 1.5 s at 640 px: for
	// enrollment and posted photos. It finds faces turned too far for HOG, such as a profile.
	Thorough
)

// DefaultConfig returns a configuration that works on a laptop with the models in modelDir.
func DefaultConfig(modelDir string) Config {
	return Config{
		ModelDir:     modelDir,
		Workers:      runtime.NumCPU(),
		DetectSide:   2048,
		FallbackSide: 640,
	}
}

// Face is one face found in an image.
type Face struct {
	// Box is the face's rectangle in the coordinates of the upright input image.
	Box image.Rectangle
	// Descriptor is dlib's 128-value descriptor of the face.
	Descriptor []float32
	// Landmarks are the five points of dlib's shape predictor, in input coordinates.
	Landmarks []image.Point
	// Pass names the detection pass that found the face: "hog", "hog-small" or "cnn".
	Pass string
}

// Recognizer finds faces and computes their descriptors with a pool of go-face recognizers.
// It is safe for concurrent use; at most Workers calls run at once and the rest wait.
type Recognizer struct {
	cfg  Config
	pool chan *face.Recognizer
}

// ErrModelsMissing reports a model folder without the dlib files.
var ErrModelsMissing = errors.New("dlib models missing")

// NewRecognizer loads cfg.Workers go-face recognizers from cfg.ModelDir.
func NewRecognizer(cfg Config) (*Recognizer, error) {
	if err := checkModels(cfg.ModelDir); err != nil {
		return nil, err
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.DetectSide <= 0 {
		cfg.DetectSide = 2048
	}

	r := &Recognizer{cfg: cfg, pool: make(chan *face.Recognizer, cfg.Workers)}
	for i := 0; i < cfg.Workers; i++ {
		rec, err := face.NewRecognizer(cfg.ModelDir)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("load dlib models from %s: %w", cfg.ModelDir, err)
		}
		r.pool <- rec
	}
	return r, nil
}

// checkModels returns ErrModelsMissing naming the first model file absent from dir.
func checkModels(dir string) error {
	for _, name := range ModelFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("%w: %s not found in %s (run make models, or pass --models DIR)",
				ErrModelsMissing, name, dir)
		}
	}
	return nil
}

// Workers returns the size of the recognizer pool.
func (r *Recognizer) Workers() int { return r.cfg.Workers }

// Close frees every recognizer of the pool. No call may be running or start after it.
func (r *Recognizer) Close() {
	for {
		select {
		case rec := <-r.pool:
			rec.Close()
		default:
			return
		}
	}
}

// Faces finds every face of img and computes its descriptor. A first HOG pass runs on img
// shrunk to DetectSide; when it finds nothing, a second runs at FallbackSide, and then, in
// Thorough mode, the CNN detector. Boxes and landmarks are returned in img's coordinates.
func (r *Recognizer) Faces(ctx context.Context, img *image.RGBA, mode Mode) ([]Face, error) {
	rec, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { r.pool <- rec }()

	faces, err := r.detectAt(rec, img, r.cfg.DetectSide, "hog")
	if err != nil || len(faces) > 0 {
		return faces, err
	}

	side := r.cfg.FallbackSide
	if side <= 0 {
		return nil, nil
	}
	if max(img.Rect.Dx(), img.Rect.Dy()) > side {
		faces, err = r.detectAt(rec, img, side, "hog-small")
		if err != nil || len(faces) > 0 {
			return faces, err
		}
	}
	if mode != Thorough {
		return nil, nil
	}
	return r.detectAt(rec, img, side, "cnn")
}

// acquire takes a recognizer from the pool, or fails when ctx ends first.
func (r *Recognizer) acquire(ctx context.Context) (*face.Recognizer, error) {
	select {
	case rec := <-r.pool:
		return rec, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a recognizer: %w", ctx.Err())
	}
}

// detectAt runs one pass on img shrunk so its longer side is at most side, and maps the
// results back to img's coordinates.
func (r *Recognizer) detectAt(rec *face.Recognizer, img *image.RGBA, side int, pass string) (
	[]Face, error) {

	scaled, scale := shrink(img, side)
	data, err := encodeJPEG(scaled)
	if err != nil {
		return nil, err
	}

	var found []face.Face
	if pass == "cnn" {
		found, err = rec.RecognizeCNN(data)
	} else {
		found, err = rec.Recognize(data)
	}
	if err != nil {
		return nil, fmt.Errorf("go-face %s pass at %d px: %w", pass, side, err)
	}

	return toFaces(found, scale, img.Rect, pass), nil
}

// shrink returns img scaled down so its longer side is at most side, and the factor that maps
// the result's coordinates back to img's. An image already small enough is returned as is.
func shrink(img *image.RGBA, side int) (*image.RGBA, float64) {
	long := max(img.Rect.Dx(), img.Rect.Dy())
	if long <= side {
		return img, 1
	}

	scale := float64(long) / float64(side)
	w := int(float64(img.Rect.Dx()) / scale)
	h := int(float64(img.Rect.Dy()) / scale)
	out := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	xdraw.ApproxBiLinear.Scale(out, out.Rect, img, img.Rect, xdraw.Src, nil)
	return out, scale
}

// encodeJPEG encodes img for go-face, which reads JPEG only.
func encodeJPEG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}); err != nil {
		return nil, fmt.Errorf("encode frame as JPEG for go-face: %w", err)
	}
	return buf.Bytes(), nil
}

func scaleRect(r image.Rectangle, scale float64) image.Rectangle {
	return image.Rect(int(float64(r.Min.X)*scale), int(float64(r.Min.Y)*scale),
		int(float64(r.Max.X)*scale), int(float64(r.Max.Y)*scale))
}

func scalePoints(points []image.Point, scale float64) []image.Point {
	out := make([]image.Point, len(points))
	for i, p := range points {
		out[i] = image.Pt(int(float64(p.X)*scale), int(float64(p.Y)*scale))
	}
	return out
}
