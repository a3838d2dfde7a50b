package onnx

import (
	"context"
	"image"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/vision"
	xdraw "golang.org/x/image/draw"
)

// BenchmarkDescriptor compares the time per face of the two engines' descriptors on a
// labelled portrait. go-face cannot describe without detecting, so dlib's time includes a
// HOG pass on a 300-pixel crop around the face. This engine's time covers landmarks,
// alignment and embedding of the face found already.
func BenchmarkDescriptor(b *testing.B) {
	faces := labelledFaces(b)
	f := faces[0]

	b.Run("engine=dlib", func(b *testing.B) {
		rec := mustRecognizer(b)
		crop := cropAround(f)
		b.ResetTimer()
		for b.Loop() {
			got, err := rec.Faces(context.Background(), crop, vision.Live)
			if err != nil || len(got) != 1 {
				b.Fatalf("go-face found %d faces: %v", len(got), err)
			}
		}
	})

	for _, c := range []struct {
		name  string
		align Alignment
	}{{"engine=onnx/align=68", Align68}, {"engine=onnx/align=dlib", AlignDlib}} {
		b.Run(c.name, func(b *testing.B) {
			e := mustOpen(b, c.align)
			for b.Loop() {
				if _, err := e.Describe(context.Background(), f.img.Image,
					[]vision.Face{f.face}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cropAround returns the region of f's photo around its face, widened by half the box on
// each side and scaled to at most 300 pixels, so go-face runs on a single-face crop.
func cropAround(f labelledFace) *image.RGBA {
	box := f.face.Box
	region := box.Inset(-box.Dx() / 2).Intersect(f.img.Image.Rect)
	scale := max(1, float64(max(region.Dx(), region.Dy()))/300)
	out := image.NewRGBA(image.Rect(0, 0, int(float64(region.Dx())/scale),
		int(float64(region.Dy())/scale)))
	xdraw.ApproxBiLinear.Scale(out, out.Rect, f.img.Image, region, xdraw.Src, nil)
	return out
}

// BenchmarkDetector compares the time per photo of go-face's HOG pass (Live mode) and of
// fr_detect on the 1920-pixel sample photos.
func BenchmarkDetector(b *testing.B) {
	img := mustDecode(b, testassets.Sample(b, "sample2.jpg"))

	b.Run("detector=hog", func(b *testing.B) {
		rec := mustRecognizer(b)
		for b.Loop() {
			if _, err := rec.Faces(context.Background(), img, vision.Live); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("detector=fr_detect", func(b *testing.B) {
		e := mustOpen(b, Align68)
		for b.Loop() {
			if _, err := e.Detect(context.Background(), img); err != nil {
				b.Fatal(err)
			}
		}
	})
}
