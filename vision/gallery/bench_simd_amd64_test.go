//go:build goexperiment.simd && amd64

package gallery

import "simd/archsimd"

// sumFloats returns the sum of s with eight 256-bit accumulators, like the search kernel.
func sumFloats(s []float32) float32 {
	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8

	i := 0
	for ; i+64 <= len(s); i += 64 {
		x := s[i : i+64]
		a0 = a0.Add(archsimd.LoadFloat32x8Slice(x[0:8]))
		a1 = a1.Add(archsimd.LoadFloat32x8Slice(x[8:16]))
		a2 = a2.Add(archsimd.LoadFloat32x8Slice(x[16:24]))
		a3 = a3.Add(archsimd.LoadFloat32x8Slice(x[24:32]))
		a4 = a4.Add(archsimd.LoadFloat32x8Slice(x[32:40]))
		a5 = a5.Add(archsimd.LoadFloat32x8Slice(x[40:48]))
		a6 = a6.Add(archsimd.LoadFloat32x8Slice(x[48:56]))
		a7 = a7.Add(archsimd.LoadFloat32x8Slice(x[56:64]))
	}

	var lanes [8]float32
	a0.Add(a1).Add(a2.Add(a3)).Add(a4.Add(a5).Add(a6.Add(a7))).Store(&lanes)

	var sum float32
	for _, v := range lanes {
		sum += v
	}

	for ; i < len(s); i++ {
		sum += s[i]
	}

	return sum
}
