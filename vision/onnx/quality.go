package onnx

// Quality ramps: each factor of Quality rises linearly from 0 at its low end to 1 at its
// high end. The ends were set from measurements on 19 labelled portraits, with ONNX Runtime
// 1.24.1 on CPU. Sharp faces there have raw embedding norms of 1.5 to 3.9 (most above
// 2.5), a face shrunk to a 20-pixel box 2.4 to 2.6, and one blurred to a sixteenth of its
// resolution 2.7. Sharp faces have a sharpness of 400 to 5,400, blurred ones 15 to 85.
const (
	normLow, normHigh   = 1.0, 3.0
	widthLow, widthHigh = 24.0, 72.0
	sharpLow, sharpHigh = 20.0, 200.0
)

// Quality returns a face's quality in [0, 1], the product of three ramps (see normLow):
//   - the norm of the raw embedding before normalising, which is smaller for heavily
//     blurred and very small faces, and for the one hard portrait of the test set (1.5);
//   - width, the width in source pixels of the region warped to the 112-pixel aligned
//     face: about 1.2 times a go-face box side, so a box under 40 pixels scores below 0.5;
//   - sharp, the sharpness of the aligned face, which catches blur the norm misses.
func Quality(norm, width, sharp float64) float64 {
	return ramp(norm, normLow, normHigh) * ramp(width, widthLow, widthHigh) *
		ramp(sharp, sharpLow, sharpHigh)
}

// ramp returns 0 at or below low, 1 at or above high, and a straight line between.
func ramp(x, low, high float64) float64 {
	return min(1, max(0, (x-low)/(high-low)))
}

// sharpness returns the variance of the Laplacian of the grey aligned face (values 0 to
// 255), over the central region that holds the eyes, nose and mouth: a blurred face has
// little high-frequency energy.
func sharpness(aligned planes) float64 {
	const margin = 24
	var sum, sumSq float64
	n := 0
	for y := margin; y < aligned.h-margin; y++ {
		for x := margin; x < aligned.w-margin; x++ {
			lap := 4*aligned.grey(x, y) - aligned.grey(x-1, y) - aligned.grey(x+1, y) -
				aligned.grey(x, y-1) - aligned.grey(x, y+1)
			sum += float64(lap)
			sumSq += float64(lap) * float64(lap)
			n++
		}
	}
	m := sum / float64(n)
	return sumSq/float64(n) - m*m
}
