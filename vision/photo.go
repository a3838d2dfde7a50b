package vision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"

	face "github.com/Kagami/go-face"
	xdraw "golang.org/x/image/draw"
)

// Photo is the result of FacesInPhoto on one encoded image.
type Photo struct {
	// Faces are the faces found, in the coordinates of the upright image.
	Faces []Face
	// Size is the width and height of the upright image.
	Size image.Point
}

// FacesInPhoto finds the faces of an encoded image. An upright JPEG that is already small
// enough for detection goes to go-face as it is, which saves decoding it twice and encoding
// it once; every other image, and a JPEG that go-face's libjpeg cannot read (CMYK, for one),
// is decoded here within lim and passed on as pixels.
func (r *Recognizer) FacesInPhoto(ctx context.Context, data []byte, lim Limits, mode Mode) (
	Photo, error) {

	if err := checkHeader(data, lim); err != nil {
		return Photo{}, err
	}

	if size, ok := r.directJPEG(data); ok {
		faces, err := r.recognizeDirect(ctx, data)
		if err == nil && len(faces) > 0 {
			return Photo{Faces: faces, Size: size}, nil
		}
		var loadErr face.ImageLoadError
		if err != nil && !errors.As(err, &loadErr) {
			return Photo{}, err
		}
	}

	decoded, err := Decode(data, lim)
	if err != nil {
		return Photo{}, err
	}
	faces, err := r.Faces(ctx, decoded.Image, mode)
	return Photo{Faces: faces, Size: decoded.Image.Rect.Size()}, err
}

// directJPEG reports whether data is an upright JPEG within DetectSide, and its size.
func (r *Recognizer) directJPEG(data []byte) (image.Point, bool) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || jpegOrientation(data) != 1 {
		return image.Point{}, false
	}
	if max(cfg.Width, cfg.Height) > r.cfg.DetectSide {
		return image.Point{}, false
	}
	return image.Pt(cfg.Width, cfg.Height), true
}

// recognizeDirect runs go-face's HOG pass on the encoded JPEG as it is.
func (r *Recognizer) recognizeDirect(ctx context.Context, data []byte) ([]Face, error) {
	rec, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { r.pool <- rec }()

	found, err := rec.Recognize(data)
	if err != nil {
		return nil, fmt.Errorf("go-face hog pass: %w", err)
	}
	return toFaces(found, 1, image.Rect(-1<<30, -1<<30, 1<<30, 1<<30), "hog"), nil
}

// toFaces converts go-face's results, scaling coordinates by scale and clipping boxes to clip.
func toFaces(found []face.Face, scale float64, clip image.Rectangle, pass string) []Face {
	faces := make([]Face, 0, len(found))
	for _, f := range found {
		faces = append(faces, Face{
			Box:        scaleRect(f.Rectangle, scale).Intersect(clip),
			Descriptor: append([]float32(nil), f.Descriptor[:]...),
			Landmarks:  scalePoints(f.Shapes, scale),
			Pass:       pass,
		})
	}
	return faces
}

// CropJPEG decodes data within lim and returns the region around box, widened by a quarter
// of its size on each side and scaled to at most side pixels, as a JPEG: the face crop that
// staff see beside an arrival. It is kept in memory only.
func CropJPEG(data []byte, lim Limits, box image.Rectangle, side int) ([]byte, error) {
	decoded, err := Decode(data, lim)
	if err != nil {
		return nil, err
	}

	margin := max(box.Dx(), box.Dy()) / 4
	region := box.Inset(-margin).Intersect(decoded.Image.Rect)
	if region.Empty() {
		return nil, fmt.Errorf("crop %v lies outside the %v image", box, decoded.Image.Rect.Size())
	}

	scale := max(1, float64(max(region.Dx(), region.Dy()))/float64(side))
	out := image.NewRGBA(image.Rect(0, 0, int(float64(region.Dx())/scale),
		int(float64(region.Dy())/scale)))
	xdraw.CatmullRom.Scale(out, out.Rect, decoded.Image, region, xdraw.Src, nil)

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode face crop: %w", err)
	}
	return buf.Bytes(), nil
}
