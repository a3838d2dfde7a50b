package track

import (
	"image"
	"image/color"
	"math"
)

// sharpnessHalf is the Laplacian variance at which Quality gives half the weight of a
// perfectly sharp face of the same size.
//
// NOTE: 100 is an estimate, not calibrated on store video: the variance depends on the
// camera, the lighting and JPEG compression.
const sharpnessHalf = 100.0

// sharpnessSide is the longest side, in pixels, of the grid Sharpness samples.
const sharpnessSide = 128

// Quality scores a detection for picking a track's best frame from its box and Sharpness:
// a bigger and sharper face scores higher. It is the box's geometric side, sqrt(width ×
// height), weighted by sharpness/(sharpness+100), so it is 0 for an empty box or a flat
// crop. Scores compare detections of one camera, not across cameras.
func Quality(box image.Rectangle, sharpness float64) float64 {
	if box.Empty() || sharpness <= 0 || math.IsNaN(sharpness) {
		return 0
	}

	side := math.Sqrt(float64(box.Dx()) * float64(box.Dy()))

	return side * sharpness / (sharpness + sharpnessHalf)
}

// Sharpness measures the focus of the part of img inside box: the variance of the
// 4-neighbour Laplacian of its grey levels (0-255). Blurred crops score low. The crop is
// point-sampled to at most 128 pixels on its longest side, so the cost does not grow with
// the face size. It returns 0 when the crop is smaller than 3×3 pixels.
func Sharpness(img image.Image, box image.Rectangle) float64 {
	box = box.Intersect(img.Bounds())
	if box.Dx() < 3 || box.Dy() < 3 {
		return 0
	}

	grey, w, h := sampleGrey(img, box)
	if w < 3 || h < 3 {
		return 0
	}

	return laplacianVariance(grey, w, h)
}

// sampleGrey returns the grey levels of box in img on a grid of w×h points, row by row,
// taking every step-th pixel so that neither side exceeds sharpnessSide.
func sampleGrey(img image.Image, box image.Rectangle) ([]float64, int, int) {
	step := (max(box.Dx(), box.Dy()) + sharpnessSide - 1) / sharpnessSide
	w := (box.Dx() + step - 1) / step
	h := (box.Dy() + step - 1) / step
	grey := make([]float64, 0, w*h)

	luma := lumaFunc(img)
	for y := box.Min.Y; y < box.Max.Y; y += step {
		for x := box.Min.X; x < box.Max.X; x += step {
			grey = append(grey, luma(x, y))
		}
	}

	return grey, w, h
}

// lumaFunc returns a function that reads the grey level of a pixel, with fast paths for the
// types that image/jpeg and image/png decode into.
func lumaFunc(img image.Image) func(x, y int) float64 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float64 { return float64(m.Y[m.YOffset(x, y)]) }
	case *image.Gray:
		return func(x, y int) float64 { return float64(m.Pix[m.PixOffset(x, y)]) }
	}

	return func(x, y int) float64 {
		return float64(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
	}
}

// laplacianVariance returns the variance of the 4-neighbour Laplacian over the interior
// points of a w×h grid.
func laplacianVariance(grey []float64, w, h int) float64 {
	var sum, sumSquares float64
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			lap := 4*grey[i] - grey[i-1] - grey[i+1] - grey[i-w] - grey[i+w]
			sum += lap
			sumSquares += lap * lap
		}
	}

	n := float64((w - 2) * (h - 2))
	mean := sum / n

	return max(0, sumSquares/n-mean*mean)
}
