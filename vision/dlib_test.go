package vision

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"sync"
	"testing"

	face "github.com/Kagami/go-face"
	"github.com/omotenashi/omotenashi/internal/testassets"
)

var (
	sharedRecognizerOnce sync.Once
	sharedRecognizer     *Recognizer
	sharedRecognizerErr  error
)

// mustRecognizer returns one recognizer for the whole test binary: loading the models
// takes about a second per worker.
func mustRecognizer(t *testing.T) *Recognizer {
	t.Helper()
	dir := testassets.ModelDir(t)
	sharedRecognizerOnce.Do(func() {
		cfg := DefaultConfig(dir)
		cfg.Workers = 2
		sharedRecognizer, sharedRecognizerErr = NewRecognizer(cfg)
	})
	if sharedRecognizerErr != nil {
		t.Fatalf("NewRecognizer: %v", sharedRecognizerErr)
	}
	return sharedRecognizer
}

func mustFaces(t *testing.T, path string, mode Mode) []Face {
	t.Helper()
	d, err := Decode(testassets.ReadFile(t, path), DefaultLimits())
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	faces, err := mustRecognizer(t).Faces(context.Background(), d.Image, mode)
	if err != nil {
		t.Fatalf("faces in %s: %v", path, err)
	}
	return faces
}

func distance(a, b []float32) float64 {
	var sum float64
	for i := range a {
		d := float64(a[i] - b[i])
		sum += d * d
	}
	return math.Sqrt(sum)
}

func TestRecognizer_MissingModels(t *testing.T) {
	_, err := NewRecognizer(DefaultConfig(t.TempDir()))
	if !errors.Is(err, ErrModelsMissing) {
		t.Fatalf("NewRecognizer error = %v, want ErrModelsMissing", err)
	}
}

func TestRecognizer_SampleFaceCounts(t *testing.T) {
	// Counts at the default 2048 px detection side, where these 1920 px photos go to
	// go-face whole. sample1's fourth face is small, about 100 px.
	tests := []struct {
		file  string
		faces int
	}{
		{"sample1.jpg", 4},
		{"sample2.jpg", 1},
		{"sample3.jpg", 3},
		{"sample5.jpg", 5},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			faces := mustFaces(t, testassets.Sample(t, tt.file), Live)
			if len(faces) != tt.faces {
				t.Fatalf("found %d faces, want %d", len(faces), tt.faces)
			}
			for _, f := range faces {
				if len(f.Descriptor) != DlibDim {
					t.Errorf("descriptor length %d, want %d", len(f.Descriptor), DlibDim)
				}
				if len(f.Landmarks) != 5 {
					t.Errorf("%d landmarks, want 5", len(f.Landmarks))
				}
			}
		})
	}
}

func TestRecognizer_SameWomanAcrossSamples(t *testing.T) {
	// The woman at the right of sample1 is the woman in the middle of sample3.
	first := mustFaces(t, testassets.Sample(t, "sample1.jpg"), Live)
	second := mustFaces(t, testassets.Sample(t, "sample3.jpg"), Live)

	her := faceAt(first, image.Pt(1558, 340))
	best, bestIndex := math.Inf(1), -1
	for i, f := range second {
		if d := distance(her.Descriptor, f.Descriptor); d < best {
			best, bestIndex = d, i
		}
	}
	if best > 0.45 {
		t.Fatalf("closest face in sample3 is %.3f away, want under 0.45", best)
	}
	if c := second[bestIndex].Box; c.Min.X < 900 || c.Max.X > 1400 {
		t.Errorf("closest face at %v, want the middle face near x=1025-1283", c)
	}
}

// faceAt returns the face whose box holds p, or fails the test.
func faceAt(faces []Face, p image.Point) Face {
	for _, f := range faces {
		if p.In(f.Box) {
			return f
		}
	}
	panic(fmt.Sprintf("no face at %v", p))
}

func TestRecognizer_RotatedMatchesUpright(t *testing.T) {
	upright := mustFaces(t, filepath.Join("testdata", "face.jpg"), Live)
	rotated := mustFaces(t, filepath.Join("testdata", "rotated.jpg"), Live)
	if len(upright) != 1 || len(rotated) != 1 {
		t.Fatalf("found %d upright and %d rotated faces, want 1 and 1", len(upright), len(rotated))
	}
	if d := distance(upright[0].Descriptor, rotated[0].Descriptor); d > 0.2 {
		t.Errorf("upright and EXIF-rotated descriptors are %.3f apart, want under 0.2", d)
	}
}

func TestRecognizer_SharedFacesFallback(t *testing.T) {
	dir := testassets.SharedFaces(t)

	// HOG at full size finds no face in these two; the 640 px pass finds eunseo, and only
	// the CNN detector finds jimin3's turned head.
	tests := []struct {
		file string
		mode Mode
		want int
		pass string
	}{
		{"eunseo.jpg", Live, 1, "hog-small"},
		{"jimin3.jpg", Live, 0, ""},
		{"jimin3.jpg", Thorough, 1, "cnn"},
		{"pristin.jpg", Live, 10, "hog"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			faces := mustFaces(t, filepath.Join(dir, tt.file), tt.mode)
			if len(faces) != tt.want {
				t.Fatalf("found %d faces, want %d", len(faces), tt.want)
			}
			if tt.want > 0 && faces[0].Pass != tt.pass {
				t.Errorf("found by pass %q, want %q", faces[0].Pass, tt.pass)
			}
		})
	}
}

func TestRecognizer_NoFace(t *testing.T) {
	d, err := Decode(mustRead(t, "face.gif"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	blank := d.Image.SubImage(d.Image.Rect.Inset(190)).(*image.RGBA)
	faces, err := mustRecognizer(t).Faces(context.Background(), blank, Live)
	if err != nil {
		t.Fatalf("Faces: %v", err)
	}
	if len(faces) != 0 {
		t.Fatalf("found %d faces in a 20 px crop, want 0", len(faces))
	}
}

func TestRecognizer_CanceledWait(t *testing.T) {
	r := mustRecognizer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	// Drain the pool so the call must wait, then check that it gives up with the context.
	held := make([]*face.Recognizer, 0, r.Workers())
	for range r.Workers() {
		held = append(held, <-r.pool)
	}
	defer func() {
		for _, rec := range held {
			r.pool <- rec
		}
	}()

	d, _ := Decode(mustRead(t, "face.jpg"), DefaultLimits())
	if _, err := r.Faces(ctx, d.Image, Live); !errors.Is(err, context.Canceled) {
		t.Fatalf("Faces error = %v, want context.Canceled", err)
	}
}

func TestFacesInPhoto_DirectAndDecodedAgree(t *testing.T) {
	r := mustRecognizer(t)
	tests := []struct {
		file string
		want int
	}{
		{"face.jpg", 1},    // upright JPEG: go-face reads the bytes directly
		{"cmyk.jpg", 1},    // libjpeg in go-face rejects CMYK: decoded here instead
		{"rotated.jpg", 1}, // EXIF orientation 6: decoded and turned upright here
		{"face.webp", 1},
		{"rgb16.png", 1}, // 16-bit PNG scaled to 240 px: the face is about 110 px
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			photo, err := r.FacesInPhoto(context.Background(), mustRead(t, tt.file),
				DefaultLimits(), Live)
			if err != nil {
				t.Fatalf("FacesInPhoto: %v", err)
			}
			if len(photo.Faces) != tt.want {
				t.Fatalf("found %d faces, want %d", len(photo.Faces), tt.want)
			}
			if photo.Size.X == 0 {
				t.Errorf("size not reported")
			}
		})
	}
}

func TestFacesInPhoto_Corrupt(t *testing.T) {
	data := mustRead(t, "face.jpg")
	_, err := mustRecognizer(t).FacesInPhoto(context.Background(), data[:len(data)/2],
		DefaultLimits(), Live)
	if !errors.Is(err, ErrCorruptImage) {
		t.Fatalf("FacesInPhoto error = %v, want ErrCorruptImage", err)
	}
}

func TestCropJPEG(t *testing.T) {
	data := mustRead(t, "face.jpg")
	crop, err := CropJPEG(data, DefaultLimits(), image.Rect(100, 100, 300, 300), 160)
	if err != nil {
		t.Fatalf("CropJPEG: %v", err)
	}
	d, err := Decode(crop, DefaultLimits())
	if err != nil {
		t.Fatalf("decode crop: %v", err)
	}
	if got := d.Image.Rect.Size(); got != image.Pt(160, 160) {
		t.Errorf("crop size %v, want 160x160", got)
	}
	if _, err := CropJPEG(data, DefaultLimits(), image.Rect(900, 900, 950, 950), 160); err == nil {
		t.Errorf("CropJPEG outside the image: no error")
	}
}
