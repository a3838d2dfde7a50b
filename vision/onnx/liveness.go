package onnx

import (
	"context"
	"fmt"
	"image"
	"math"
)

// livenessSide is the side of the colour crop the liveness model reads.
const livenessSide = 128

// livenessContext is how many times the face box's size the liveness crop spans, as
// fr_liveness.js sets it: the model judges the surroundings of the face too.
const livenessContext = 2.7

// Liveness returns the liveness model's probability, in [0, 1], that the face in box is a
// live person rather than a photo or a screen.
//
// NOTE: the score is not fit to gate recognition. It scores some genuine portraits low:
// 2 of 19 labelled portraits score below 0.5 (0.03 and 0.14).
func (e *Engine) Liveness(ctx context.Context, img *image.RGBA, box image.Rectangle) (
	float64, error) {

	w, err := e.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer e.release(w)

	return w.scoreLiveness(img, box)
}

// scoreLiveness runs the model on the crop around box, with raw 0-255 RGB values, and returns
// the softmax probability of class 0, which fr_liveness.js reports as the live score.
func (w *worker) scoreLiveness(img *image.RGBA, box image.Rectangle) (float64, error) {
	crop := newPlanes(livenessSide, livenessSide)
	resizeCrop(img, livenessBox(toRect(box), toRect(img.Rect)), crop)
	copy(w.liveness.input.GetData(), crop.data)

	if err := w.liveness.run(); err != nil {
		return 0, fmt.Errorf("liveness: %w", err)
	}
	return softmax(w.liveness.outputs[0].GetData())[0], nil
}

// livenessBox returns box scaled by livenessContext about its centre, the scale reduced so
// the crop fits in bounds, and shifted inside bounds, as fr_liveness.js crops.
func livenessBox(box, bounds rect) rect {
	scale := min(livenessContext, (bounds.h()-1)/box.h(), (bounds.w()-1)/box.w())
	w, h := box.w()*scale, box.h()*scale
	cx, cy := (box.x0+box.x1)/2, (box.y0+box.y1)/2
	r := rect{cx - w/2, cy - h/2, cx + w/2, cy + h/2}

	if r.x0 < bounds.x0 {
		r.x1 += bounds.x0 - r.x0
		r.x0 = bounds.x0
	}
	if r.y0 < bounds.y0 {
		r.y1 += bounds.y0 - r.y0
		r.y0 = bounds.y0
	}
	if r.x1 > bounds.x1-1 {
		r.x0 -= r.x1 - bounds.x1 + 1
		r.x1 = bounds.x1 - 1
	}
	if r.y1 > bounds.y1-1 {
		r.y0 -= r.y1 - bounds.y1 + 1
		r.y1 = bounds.y1 - 1
	}
	return r
}

// softmax returns the probabilities of logits.
func softmax(logits []float32) []float64 {
	top := float64(logits[0])
	for _, v := range logits {
		top = max(top, float64(v))
	}

	out := make([]float64, len(logits))
	var sum float64
	for i, v := range logits {
		out[i] = math.Exp(float64(v) - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
