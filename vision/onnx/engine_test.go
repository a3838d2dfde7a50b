package onnx

import (
	"context"
	"errors"
	"image"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/calibrate"
	xdraw "golang.org/x/image/draw"
)

// euclidean returns the distance between two descriptors.
func euclidean(a, b []float32) float64 {
	var sum float64
	for i := range a {
		d := float64(a[i] - b[i])
		sum += d * d
	}
	return math.Sqrt(sum)
}

func TestOpen_MissingModels(t *testing.T) {
	_, err := Open(Config{ModelDir: t.TempDir(), LibraryPath: "/nonexistent/lib.so"})
	if !errors.Is(err, ErrModelsMissing) {
		t.Fatalf("error %v, want ErrModelsMissing", err)
	}
}

func TestDescribe_UnitVectors(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	for i, d := range mustDescribe(t, e, faces[:3]) {
		if len(d.Vector) != Dim {
			t.Fatalf("%s: %d values, want %d", faces[i].file, len(d.Vector), Dim)
		}
		var sum float64
		for _, v := range d.Vector {
			sum += float64(v) * float64(v)
		}
		if math.Abs(sum-1) > 1e-4 {
			t.Errorf("%s: squared norm %.6f, want 1", faces[i].file, sum)
		}
		if d.Quality < 0.5 || d.Quality > 1 {
			t.Errorf("%s: quality %.2f of a sharp portrait, want in [0.5, 1]",
				faces[i].file, d.Quality)
		}
	}
}

func TestDescribe_SamePersonCloser(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	descriptions := mustDescribe(t, e, faces)

	var genuine, impostor []float64
	for i, a := range faces {
		if !strings.HasPrefix(a.file, "bona") {
			continue
		}
		for j, b := range faces {
			if i == j || (b.person == "bona" && j < i) {
				continue
			}
			d := euclidean(descriptions[i].Vector, descriptions[j].Vector)
			if b.person == "bona" {
				genuine = append(genuine, d)
			} else {
				impostor = append(impostor, d)
			}
		}
	}
	if len(genuine) == 0 || len(impostor) == 0 {
		t.Fatalf("%d bona pairs and %d others: the labelled set lost its bona photos",
			len(genuine), len(impostor))
	}
	g, i := average(genuine), average(impostor)
	t.Logf("bona: mean distance %.3f to herself (%d pairs), %.3f to others (%d pairs)",
		g, len(genuine), i, len(impostor))
	if g >= i {
		t.Errorf("same-person mean distance %.3f is not below the others' %.3f", g, i)
	}
}

// average returns the mean of values.
func average(values []float64) float64 {
	var sum float64
	for _, v := range values {
		sum += v
	}
	return sum / float64(len(values))
}

func TestDescribe_LabelledAUC(t *testing.T) {
	faces := labelledFaces(t)
	cases := []struct {
		name   string
		align  Alignment
		minAUC float64
	}{
		{"68-point landmarks", Align68, 0.85},
		// The dlib fallback is measured and logged, and held only to beat chance clearly.
		{"dlib eye centres", AlignDlib, 0.7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustOpen(t, c.align)
			r, err := calibrate.Calibrate(samples(faces, mustDescribe(t, e, faces)))
			if err != nil {
				t.Fatalf("calibrate: %v", err)
			}
			t.Logf("%d faces: AUC %.3f, EER %.1f%%, FMR at 90%% genuine %.1f%%, rank-1 %d/%d",
				r.Samples, r.AUC, 100*r.EER, 100*r.Accept90FMR, r.Rank1Correct, r.Rank1Probes)
			if r.AUC <= c.minAUC {
				t.Errorf("AUC %.3f, want above %.2f", r.AUC, c.minAUC)
			}
		})
	}
}

// shrunk returns f's photo scaled so the face box is side pixels wide, and the face
// with its box and landmarks scaled alike.
func shrunk(f labelledFace, side int) (*image.RGBA, vision.Face) {
	scale := float64(side) / float64(f.face.Box.Dx())
	img := f.img.Image
	out := image.NewRGBA(image.Rect(0, 0, int(float64(img.Rect.Dx())*scale),
		int(float64(img.Rect.Dy())*scale)))
	xdraw.ApproxBiLinear.Scale(out, out.Rect, img, img.Rect, xdraw.Src, nil)

	face := f.face
	b := face.Box
	face.Box = image.Rect(int(float64(b.Min.X)*scale), int(float64(b.Min.Y)*scale),
		int(float64(b.Max.X)*scale), int(float64(b.Max.Y)*scale))
	face.Landmarks = make([]image.Point, len(f.face.Landmarks))
	for i, p := range f.face.Landmarks {
		face.Landmarks[i] = image.Pt(int(float64(p.X)*scale), int(float64(p.Y)*scale))
	}
	return out, face
}

// blurred returns img scaled down by factor and back up, which removes its detail.
func blurred(img *image.RGBA, factor int) *image.RGBA {
	small := image.NewRGBA(image.Rect(0, 0, img.Rect.Dx()/factor, img.Rect.Dy()/factor))
	xdraw.ApproxBiLinear.Scale(small, small.Rect, img, img.Rect, xdraw.Src, nil)
	out := image.NewRGBA(img.Rect)
	xdraw.BiLinear.Scale(out, out.Rect, small, small.Rect, xdraw.Src, nil)
	return out
}

func TestDescribe_BadInputLowQuality(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	f := faces[0]
	sharp := mustDescribe(t, e, []labelledFace{f})[0]

	small, smallFace := shrunk(f, 30)
	cases := []struct {
		name string
		img  *image.RGBA
		face vision.Face
	}{
		{"face 30 px wide", small, smallFace},
		{"blurred to a sixteenth", blurred(f.img.Image, 16), f.face},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.Describe(context.Background(), c.img, []vision.Face{c.face})
			if err != nil {
				t.Fatalf("describe: %v", err)
			}
			if len(got[0].Vector) != Dim {
				t.Errorf("%d values, want a %d-value vector still", len(got[0].Vector), Dim)
			}
			if got[0].Quality >= 0.3 {
				t.Errorf("quality %.2f, want below 0.3 (the sharp original scores %.2f)",
					got[0].Quality, sharp.Quality)
			}
		})
	}
}

func TestDescribe_CancelledContext(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Describe(ctx, faces[0].img.Image, []vision.Face{faces[0].face})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestDetect_LabelledPhotos(t *testing.T) {
	dir := testassets.SharedFaces(t)
	rows, err := calibrate.ReadLabels(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		t.Fatalf("read labels: %v", err)
	}
	e := mustOpen(t, Align68)

	for _, row := range rows {
		t.Run(row.File, func(t *testing.T) {
			img := mustDecode(t, filepath.Join(dir, row.File))
			boxes, err := e.Detect(context.Background(), img)
			if err != nil {
				t.Fatalf("detect: %v", err)
			}
			if len(boxes) != row.FacesExpected {
				t.Errorf("%d faces found, want %d", len(boxes), row.FacesExpected)
			}
			for _, b := range boxes {
				if !b.Rect.Overlaps(img.Rect) || b.Score < detectMinScore || b.Score > 1 {
					t.Errorf("box %v with score %.3f", b.Rect, b.Score)
				}
			}
		})
	}
}

func TestDetect_SamplePhotos(t *testing.T) {
	e := mustOpen(t, Align68)
	rec := mustRecognizer(t)
	var found, hogFound int
	for _, name := range []string{"sample1.jpg", "sample2.jpg", "sample3.jpg",
		"sample4.jpg", "sample5.jpg", "sample6.jpg"} {
		img := mustDecode(t, testassets.Sample(t, name))
		boxes, err := e.Detect(context.Background(), img)
		if err != nil {
			t.Fatalf("%s: detect: %v", name, err)
		}
		hog, err := rec.Faces(context.Background(), img, vision.Live)
		if err != nil {
			t.Fatalf("%s: go-face: %v", name, err)
		}
		t.Logf("%s: fr_detect %d faces, go-face HOG %d", name, len(boxes), len(hog))
		found += len(boxes)
		hogFound += len(hog)
	}
	// Per photo either detector can find more: fr_detect misses a 100-pixel face of
	// sample1.jpg that HOG finds, HOG misses faces of sample2.jpg and sample4.jpg.
	if found < hogFound {
		t.Errorf("fr_detect found %d faces in the samples, fewer than go-face's %d",
			found, hogFound)
	}
}

func TestLiveness_InRange(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	high := 0
	for _, f := range faces {
		score, err := e.Liveness(context.Background(), f.img.Image, f.face.Box)
		if err != nil {
			t.Fatalf("%s: liveness: %v", f.file, err)
		}
		if score < 0 || score > 1 || math.IsNaN(score) {
			t.Errorf("%s: score %v outside [0, 1]", f.file, score)
		}
		if score >= 0.5 {
			high++
		}
	}
	t.Logf("%d of %d genuine portraits score 0.5 or more", high, len(faces))
	if high < len(faces)/2 {
		t.Errorf("only %d of %d genuine portraits score 0.5 or more", high, len(faces))
	}
}

// mustDecode decodes the photo at path.
func mustDecode(t testing.TB, path string) *image.RGBA {
	t.Helper()
	decoded, err := vision.Decode(testassets.ReadFile(t, path), vision.DefaultLimits())
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return decoded.Image
}
