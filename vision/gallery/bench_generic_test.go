//go:build !goexperiment.simd || !amd64

package gallery

// sumFloats returns the sum of s with eight scalar accumulators.
func sumFloats(s []float32) float32 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float32

	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := s[i : i+8]
		s0 += x[0]
		s1 += x[1]
		s2 += x[2]
		s3 += x[3]
		s4 += x[4]
		s5 += x[5]
		s6 += x[6]
		s7 += x[7]
	}

	for ; i < len(s); i++ {
		s0 += s[i]
	}

	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
