package decide

import (
	"errors"
	"fmt"
)

// ErrInvalidThresholds is returned by Thresholds.Validate for thresholds that cannot work.
var ErrInvalidThresholds = errors.New("invalid thresholds")

// Thresholds are the Euclidean descriptor distances that separate the three outcomes. They
// depend on the engine: dlib's distances and an ONNX engine's are on different scales.
type Thresholds struct {
	// Match is the largest distance from the probe to the best client at which the face
	// may be matched automatically.
	Match float32

	// Candidate is the largest distance at which a client is shown to staff as a
	// possible identity of an ambiguous face. Farther faces are unknown.
	Candidate float32

	// Margin is the minimum gap between the best client's distance and the runner-up
	// client's for an automatic match. A smaller gap makes the face ambiguous.
	Margin float32
}

// DefaultThresholds returns conservative thresholds for dlib's ResNet descriptors
// (dlib_face_recognition_resnet_model_v1) on East Asian faces.
//
// They come from dlib distances measured with `omotenashi calibrate` on 19 labelled
// East Asian faces of 11 persons from go-face's test data (Kagami/go-face-testdata). Two
// photos of the same person are at a median distance of 0.55, and the closest two
// different persons at 0.393, far below the usual 0.6 threshold of dlib's model (AUC
// 0.57). So a match needs 0.38 or less, just below that closest stranger, and a lead of
// 0.06 over the runner-up. Faces up to 0.55 are shown to staff instead of being dropped.
// In leave-one-out searches of those faces, these thresholds match no probe
// automatically, rightly or wrongly, and show 10 of the 11 probes of known persons to
// staff.
//
// NOTE: these come from 19 photos. Run the calibration on the boutique's own
// labelled photos and use its recommended thresholds where they differ.
func DefaultThresholds() Thresholds {
	return Thresholds{Match: 0.38, Candidate: 0.55, Margin: 0.06}
}

// Validate returns an error wrapping ErrInvalidThresholds unless 0 < Match <= Candidate
// and Margin >= 0.
func (t Thresholds) Validate() error {
	if !(t.Match > 0) {
		return fmt.Errorf("%w: match threshold %v must be positive", ErrInvalidThresholds, t.Match)
	}

	if !(t.Candidate >= t.Match) {
		return fmt.Errorf("%w: candidate threshold %v is below match threshold %v",
			ErrInvalidThresholds, t.Candidate, t.Match)
	}

	if !(t.Margin >= 0) {
		return fmt.Errorf("%w: margin %v must not be negative", ErrInvalidThresholds, t.Margin)
	}

	return nil
}
