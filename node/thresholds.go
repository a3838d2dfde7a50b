package node

import (
	"github.com/omotenashi/omotenashi/vision/decide"
)

// ThresholdsFor returns the default decision thresholds of an engine, in its distances.
//
// Both come from `omotenashi calibrate` on 19 labelled portraits of 11 East Asian people
// (15 same-person and 156 different-person pairs), rounded toward caution because the set
// is small. For dlib, the closest two different people are 0.393 apart while half the
// same-person pairs are farther than 0.547, so its Match of 0.38 greets almost nobody by
// name and leaves the rest to staff.
func ThresholdsFor(engine string) decide.Thresholds {
	if engine == EngineONNX {
		return decide.Thresholds{Match: onnxMatch, Candidate: onnxCandidate, Margin: onnxMargin}
	}
	return decide.DefaultThresholds()
}

// The ONNX engine's thresholds, in Euclidean distance between unit vectors (d² = 2 − 2cos).
// The closest two different people are 1.062 apart, so Match stays below that. Candidate
// covers 95% of same-person pairs (1.273). The margin stays at the dlib default's 0.06,
// wider than the calibrated minimum of 0.02, because the set is small.
const (
	onnxMatch     = 1.04
	onnxCandidate = 1.28
	onnxMargin    = 0.06
)
