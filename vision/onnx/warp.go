package onnx

import (
	"image"
	"math"
)

// planes holds an image as three float32 planes (R, G, B) of w×h values in [0, 255].
type planes struct {
	w, h int
	data []float32
}

// newPlanes returns black planes of w×h.
func newPlanes(w, h int) planes {
	return planes{w: w, h: h, data: make([]float32, 3*w*h)}
}

// at returns the three channel values of pixel (x, y).
func (p planes) at(x, y int) (r, g, b float32) {
	i := y*p.w + x
	n := p.w * p.h
	return p.data[i], p.data[n+i], p.data[2*n+i]
}

// grey returns the luma (ITU-R BT.601) of pixel (x, y).
func (p planes) grey(x, y int) float32 {
	r, g, b := p.at(x, y)
	return 0.299*r + 0.587*g + 0.114*b
}

// warpSimilarity fills dst with img seen through s, which maps image coordinates to dst's:
// each pixel of dst is sampled bilinearly at its preimage, and is black outside img.
func warpSimilarity(img *image.RGBA, s Similarity, dst planes) {
	inv := s.Invert()
	for v := range dst.h {
		for u := range dst.w {
			src := inv.Apply(Point{float64(u), float64(v)})
			dst.set(u, v, bilinear(img, src.X, src.Y))
		}
	}
}

// resizeCrop fills dst with the region box of img scaled to dst's size, sampled bilinearly
// as OpenCV's resize does (pixel centres aligned), and black outside img.
func resizeCrop(img *image.RGBA, box rect, dst planes) {
	sx := box.w() / float64(dst.w)
	sy := box.h() / float64(dst.h)
	for v := range dst.h {
		y := box.y0 + (float64(v)+0.5)*sy - 0.5
		for u := range dst.w {
			x := box.x0 + (float64(u)+0.5)*sx - 0.5
			dst.set(u, v, bilinear(img, x, y))
		}
	}
}

// set stores the channel values c at pixel (x, y).
func (p planes) set(x, y int, c [3]float32) {
	i := y*p.w + x
	n := p.w * p.h
	p.data[i], p.data[n+i], p.data[2*n+i] = c[0], c[1], c[2]
}

// bilinear returns the colour of img at (x, y), with integer coordinates at pixel centres
// of img's bounds. Samples outside img count as black.
func bilinear(img *image.RGBA, x, y float64) [3]float32 {
	x -= float64(img.Rect.Min.X)
	y -= float64(img.Rect.Min.Y)
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)

	var out [3]float32
	weights := [4]float32{(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy}
	offsets := [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for k, off := range offsets {
		px, py := ix+off[0], iy+off[1]
		if px < 0 || py < 0 || px >= w || py >= h || weights[k] == 0 {
			continue
		}
		i := py*img.Stride + 4*px
		out[0] += weights[k] * float32(img.Pix[i])
		out[1] += weights[k] * float32(img.Pix[i+1])
		out[2] += weights[k] * float32(img.Pix[i+2])
	}
	return out
}

// rect is a rectangle with float64 corners, in image coordinates.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) w() float64 { return r.x1 - r.x0 }
func (r rect) h() float64 { return r.y1 - r.y0 }

// toRect converts an integer rectangle.
func toRect(r image.Rectangle) rect {
	return rect{float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)}
}
