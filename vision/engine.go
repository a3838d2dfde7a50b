package vision

import (
	"context"
	"image"
)

// Engine computes face descriptors for the faces found in an image. Descriptors of
// different engines, or of different versions of one engine, are never compared: each
// stored descriptor carries its engine's Name and Version.
type Engine interface {
	// Name identifies the engine in stored descriptors, such as "dlib-resnet".
	Name() string
	// Version identifies the model, so a new model's descriptors are not mixed with old.
	Version() string
	// Dim is the length of every descriptor.
	Dim() int
	// Describe returns one descriptor per face of img, in order, each with a quality score
	// in [0, 1] (how trustworthy the descriptor is; 0 means unusable). The faces were found
	// in img by the Recognizer and carry their boxes and dlib's five landmarks.
	Describe(ctx context.Context, img *image.RGBA, faces []Face) ([]Description, error)
	// Close frees the engine's resources.
	Close() error
}

// Description is one face's descriptor from an Engine.
type Description struct {
	// Vector is the descriptor, compared with others of the same engine by Euclidean
	// distance in the gallery.
	Vector []float32
	// Quality is in [0, 1]: a face too small or too blurred for a trustworthy descriptor
	// scores low.
	Quality float64
}
