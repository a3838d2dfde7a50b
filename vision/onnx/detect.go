package onnx

import (
	"context"
	"fmt"
	"image"
	"slices"
)

// The detector reads a 320×240 RGB image and scores 4,420 prior boxes.
const (
	detectWidth  = 320
	detectHeight = 240
	priorCount   = 4420
)

// Detection thresholds, as fr_detect.js sets them.
const (
	// detectMinScore is the face score below which a prior box is dropped.
	detectMinScore = 0.65
	// detectTopK is the number of best-scoring boxes kept before non-maximum suppression.
	detectTopK = 750
	// detectNMSOverlap is the intersection over union above which the lower-scoring of two
	// boxes is suppressed.
	detectNMSOverlap = 0.4
)

// Box is a face found by Detect, in the coordinates of the image passed to it.
type Box struct {
	Rect image.Rectangle
	// Score is the detector's face probability, in [detectMinScore, 1].
	Score float64
}

// Detect finds the faces of img with fr_detect.onnx and returns their boxes, best score
// first. The whole image is scaled to 320×240, stretched when its aspect ratio differs.
//
// NOTE: the scaling loses small faces. A 104-pixel face of the 1920×1280 sample1.jpg, which
// go-face's HOG finds, is missed. Tiling large images would find it, at a higher cost.
func (e *Engine) Detect(ctx context.Context, img *image.RGBA) ([]Box, error) {
	w, err := e.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer e.release(w)

	return w.detectFaces(img)
}

// detectFaces runs the detector on img.
func (w *worker) detectFaces(img *image.RGBA) ([]Box, error) {
	kept, err := w.detectIn(img, toRect(img.Rect))
	if err != nil {
		return nil, err
	}
	return toBoxes(kept), nil
}

// detectIn runs the detector on region of img and returns the kept boxes in img's
// coordinates.
func (w *worker) detectIn(img *image.RGBA, region rect) ([]candidate, error) {
	scaled := newPlanes(detectWidth, detectHeight)
	resizeCrop(img, region, scaled)

	in := w.detect.input.GetData()
	for i, v := range scaled.data {
		in[i] = (v - 127) / 128
	}
	if err := w.detect.run(); err != nil {
		return nil, fmt.Errorf("detect faces: %w", err)
	}

	scores := w.detect.outputs[0].GetData()
	boxes := w.detect.outputs[1].GetData()
	candidates := decodeBoxes(scores, boxes, region)
	return suppress(candidates, detectNMSOverlap), nil
}

// candidate is a box in image coordinates, before suppression.
type candidate struct {
	r     rect
	score float64
}

// decodeBoxes returns the boxes scoring at least detectMinScore, best first, at most
// detectTopK. The model's boxes output already holds each prior's decoded corners
// (x0, y0, x1, y1) as fractions of the image's width and height, so no prior box or
// variance is applied here.
func decodeBoxes(scores, boxes []float32, bounds rect) []candidate {
	var out []candidate
	for i := range priorCount {
		score := float64(scores[2*i+1])
		if score < detectMinScore {
			continue
		}
		b := boxes[4*i : 4*i+4]
		out = append(out, candidate{
			r: rect{
				x0: bounds.x0 + float64(b[0])*bounds.w(),
				y0: bounds.y0 + float64(b[1])*bounds.h(),
				x1: bounds.x0 + float64(b[2])*bounds.w(),
				y1: bounds.y0 + float64(b[3])*bounds.h(),
			},
			score: score,
		})
	}

	slices.SortFunc(out, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	if len(out) > detectTopK {
		out = out[:detectTopK]
	}
	return out
}

// suppress keeps, in order, each box that overlaps no kept box by more than overlap
// (intersection over union).
func suppress(sorted []candidate, overlap float64) []candidate {
	var kept []candidate
	for _, c := range sorted {
		if c.r.w() <= 0 || c.r.h() <= 0 {
			continue
		}
		if !slices.ContainsFunc(kept, func(k candidate) bool { return iou(k.r, c.r) > overlap }) {
			kept = append(kept, c)
		}
	}
	return kept
}

// toBoxes converts candidates to integer rectangles.
func toBoxes(kept []candidate) []Box {
	out := make([]Box, len(kept))
	for i, c := range kept {
		out[i] = Box{
			Rect:  image.Rect(int(c.r.x0), int(c.r.y0), int(c.r.x1+0.5), int(c.r.y1+0.5)),
			Score: c.score,
		}
	}
	return out
}

// iou returns the intersection over union of a and b.
func iou(a, b rect) float64 {
	w := min(a.x1, b.x1) - max(a.x0, b.x0)
	h := min(a.y1, b.y1) - max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	inter := w * h
	return inter / (a.w()*a.h() + b.w()*b.h() - inter)
}
