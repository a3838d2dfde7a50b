package onnx

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/calibrate"
	xdraw "golang.org/x/image/draw"
)

func TestMeasure(t *testing.T) {
	faces := labelledFaces(t)
	e := mustOpen(t, Align68)
	for _, l := range []float64{0.08, 0.1, 0.12, 0.15, 0.2} {
		landmarkGrow, landmarkLift = 1.0, l
		d := mustDescribe(t, e, faces)
		r, _ := calibrate.Calibrate(samples(faces, d))
		fmt.Printf("lift=%.2f AUC=%.3f EER=%.3f FMR90=%.3f rank1=%d/%d\n",
			l, r.AUC, r.EER, r.Accept90FMR, r.Rank1Correct, r.Rank1Probes)
	}
	landmarkLift = 0.1
	w := <-e.pool
	defer func() { e.pool <- w }()
	f := faces[0]
	for _, side := range []int{20, 30, 40, 60, 100, 200} {
		scale := float64(side) / float64(f.face.Box.Dx())
		img := f.img.Image
		small := image.NewRGBA(image.Rect(0, 0, int(float64(img.Rect.Dx())*scale), int(float64(img.Rect.Dy())*scale)))
		xdraw.ApproxBiLinear.Scale(small, small.Rect, img, img.Rect, xdraw.Src, nil)
		face := f.face
		face.Box = image.Rect(int(float64(face.Box.Min.X)*scale), int(float64(face.Box.Min.Y)*scale), int(float64(face.Box.Max.X)*scale), int(float64(face.Box.Max.Y)*scale))
		s, _, _ := w.alignment(small, face, Align68)
		al := newPlanes(112, 112)
		warpSimilarity(small, s, al)
		_, norm, _ := w.embed(al)
		fmt.Printf("side=%d norm=%.2f width=%.1f sharp=%.1f\n", side, norm, alignedFaceWidth(s), sharpness(al))
	}
	for _, blur := range []int{1, 2, 4, 8, 16} {
		img := f.img.Image
		b := f.face.Box
		small := image.NewRGBA(image.Rect(0, 0, img.Rect.Dx()/blur, img.Rect.Dy()/blur))
		xdraw.ApproxBiLinear.Scale(small, small.Rect, img, img.Rect, xdraw.Src, nil)
		big := image.NewRGBA(img.Rect)
		xdraw.BiLinear.Scale(big, big.Rect, small, small.Rect, xdraw.Src, nil)
		_ = b
		s, _, _ := w.alignment(big, f.face, Align68)
		al := newPlanes(112, 112)
		warpSimilarity(big, s, al)
		_, norm, _ := w.embed(al)
		fmt.Printf("blur=%d norm=%.2f width=%.1f sharp=%.1f\n", blur, norm, alignedFaceWidth(s), sharpness(al))
	}
	for _, f := range faces {
		s, _, _ := w.alignment(f.img.Image, f.face, Align68)
		al := newPlanes(112, 112)
		warpSimilarity(f.img.Image, s, al)
		_, norm, _ := w.embed(al)
		live, _ := w.scoreLiveness(f.img.Image, f.face.Box)
		fmt.Printf("%s norm=%.2f width=%.1f sharp=%.1f live=%.2f\n", f.file, norm, alignedFaceWidth(s), sharpness(al), live)
	}
	dir := testassets.SharedFaces(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	s2, _ := filepath.Glob(filepath.Join(testassets.Root(), "assets/samples/*.jpg"))
	files = append(files, s2...)
	for _, p := range files {
		data, _ := os.ReadFile(p)
		dec, _ := vision.Decode(data, vision.DefaultLimits())
		boxes, err := e.Detect(context.Background(), dec.Image)
		fmt.Println(filepath.Base(p), dec.Image.Rect.Size(), len(boxes), err, boxes)
	}
}
