package onnx

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/omotenashi/omotenashi/vision"
)

// Alignment chooses the points a face is aligned by.
type Alignment int

const (
	// Align68 finds the five template points with the 68-point landmark model run on the
	// face's box, and fits a least-squares similarity to all five.
	Align68 Alignment = iota
	// AlignDlib takes the eye centres from dlib's five landmarks (the mean of each eye's two
	// corners) and maps them exactly onto the template's eyes.
	AlignDlib
)

// Describe returns one descriptor per face of img, in order: the L2-normalised embedding of
// the face aligned with Config.Alignment, with the quality of Quality. A face whose 68-point
// landmarks cannot be fitted (all at one spot) is aligned by its dlib landmarks instead. A
// face with neither gets a zero vector of quality 0, so the result keeps one entry per face.
func (e *Engine) Describe(ctx context.Context, img *image.RGBA, faces []vision.Face) (
	[]vision.Description, error) {

	w, err := e.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer e.release(w)

	out := make([]vision.Description, len(faces))
	for i, f := range faces {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("describe face %d of %d: %w", i+1, len(faces), err)
		}
		d, err := w.describe(img, f, e.cfg.Alignment)
		if err != nil {
			return nil, fmt.Errorf("describe face %d of %d: %w", i+1, len(faces), err)
		}
		out[i] = d
	}
	return out, nil
}

// describe aligns and embeds one face.
func (w *worker) describe(img *image.RGBA, f vision.Face, align Alignment) (
	vision.Description, error) {

	s, ok, err := w.alignment(img, f, align)
	if err != nil {
		return vision.Description{}, err
	}
	if !ok {
		return vision.Description{Vector: make([]float32, Dim)}, nil
	}

	aligned := newPlanes(alignSide, alignSide)
	warpSimilarity(img, s, aligned)
	vec, norm, err := w.embed(aligned)
	if err != nil {
		return vision.Description{}, err
	}

	q := Quality(norm, alignedFaceWidth(s), sharpness(aligned))
	return vision.Description{Vector: vec, Quality: q}, nil
}

// alignment returns the similarity from img to the 112×112 template for f, or false when
// neither the landmark model's points nor dlib's can be fitted.
func (w *worker) alignment(img *image.RGBA, f vision.Face, align Alignment) (
	Similarity, bool, error) {

	if align == Align68 {
		lm, err := w.landmarks68(img, landmarkBox(f.Box))
		if err != nil {
			return Similarity{}, false, err
		}
		five := FivePoints(lm)
		if s, ok := FitSimilarity(five[:], Template[:]); ok {
			return s, true, nil
		}
	}

	s, ok := dlibAlignment(f.Landmarks)
	return s, ok, nil
}

// dlibAlignment maps the eye centres of dlib's five landmarks onto the template's eyes.
func dlibAlignment(landmarks []image.Point) (Similarity, bool) {
	points := make([]Point, len(landmarks))
	for i, p := range landmarks {
		points[i] = Point{float64(p.X), float64(p.Y)}
	}
	left, right, ok := EyeCentres(points)
	if !ok {
		return Similarity{}, false
	}
	return FitSimilarity([]Point{left, right}, Template[:2])
}

// embed runs the embedding network on an aligned face and returns the L2-normalised
// vector and the norm before normalising. The network reads RGB planes, each value
// (v − 127) / 128, as fr_feature.js feeds it.
func (w *worker) embed(aligned planes) ([]float32, float64, error) {
	in := w.feature.input.GetData()
	for i, v := range aligned.data {
		in[i] = (v - 127) / 128
	}
	if err := w.feature.run(); err != nil {
		return nil, 0, fmt.Errorf("embedding: %w", err)
	}

	raw := w.feature.outputs[0].GetData()
	var sum float64
	for _, v := range raw {
		sum += float64(v) * float64(v)
	}
	norm := math.Sqrt(sum)

	vec := make([]float32, len(raw))
	if norm == 0 {
		return vec, 0, nil
	}
	for i, v := range raw {
		vec[i] = float32(float64(v) / norm)
	}
	return vec, norm, nil
}

// alignedFaceWidth returns the width, in pixels of the source image, of the 112-pixel
// aligned crop that s maps to: the resolution the face had before it was scaled.
func alignedFaceWidth(s Similarity) float64 {
	return alignSide / s.Scale()
}
