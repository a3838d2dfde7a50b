//go:build goexperiment.simd && amd64

package gallery

import "simd/archsimd"

// sumFloats returns the sum of s with four 256-bit accumulators, reading memory about as
// fast as the search kernel can.
func sumFloats(s []float32) float32 {
	var a0, a1, a2, a3 archsimd.Float32x8

	i := 0
	for ; i+32 <= len(s); i += 32 {
		a0 = a0.Add(archsimd.LoadFloat32x8Slice(s[i:]))
		a1 = a1.Add(archsimd.LoadFloat32x8Slice(s[i+8:]))
		a2 = a2.Add(archsimd.LoadFloat32x8Slice(s[i+16:]))
		a3 = a3.Add(archsimd.LoadFloat32x8Slice(s[i+24:]))
	}

	var lanes [8]float32
	a0.Add(a1).Add(a2.Add(a3)).Store(&lanes)

	var sum float32
	for _, v := range lanes {
		sum += v
	}

	for ; i < len(s); i++ {
		sum += s[i]
	}

	return sum
}
