package gallery

// squaredDistance returns the squared Euclidean distance between a and b, which have the
// same length. Eight accumulators let the CPU overlap the additions. Accumulator l sums
// the elements l, l+8, l+16, ..., like lane l of the SIMD kernels.
func squaredDistance(a, b []float32) float32 {
	b = b[:len(a)]

	var s0, s1, s2, s3, s4, s5, s6, s7 float32

	i := 0
	for ; i+8 <= len(a); i += 8 {
		x := a[i : i+8]
		y := b[i : i+8]
		d0, d1, d2, d3 := x[0]-y[0], x[1]-y[1], x[2]-y[2], x[3]-y[3]
		d4, d5, d6, d7 := x[4]-y[4], x[5]-y[5], x[6]-y[6], x[7]-y[7]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
		s4 += d4 * d4
		s5 += d5 * d5
		s6 += d6 * d6
		s7 += d7 * d7
	}

	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}

	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// scanScalar offers every row of vecs whose squared distance to probe can change the
// collector's result. owner holds the client slot of each row.
func scanScalar(vecs []float32, owner []int32, probe []float32, c *collector) {
	dim := len(probe)

	for row, slot := range owner {
		sq := squaredDistance(vecs[row*dim:(row+1)*dim], probe)
		if sq <= c.bound {
			c.offer(slot, sq)
		}
	}
}
