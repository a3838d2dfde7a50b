package onnx

// sharpness returns the variance of the Laplacian of the grey aligned face, over the
// central region that holds the eyes, nose and mouth: a blurred face has little
// high-frequency energy.
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

// Quality returns a face's quality in [0, 1] from the norm of its raw embedding, the width
// in source pixels of its aligned crop, and the sharpness of the aligned crop.
func Quality(norm, width, sharp float64) float64 {
	return norm
}
