//go:build goexperiment.simd && amd64

package gallery

import "simd/archsimd"

// simdEnabled reports whether searches use the SIMD kernel: the CPU must have AVX.
var simdEnabled = archsimd.X86.AVX()

// scanRows offers the rows of vecs to the collector, eight rows at a time with AVX when
// the CPU has it and the dimension is a multiple of 8, and with the scalar kernel otherwise.
func scanRows(vecs []float32, owner []int32, probe []float32, c *collector) {
	dim := len(probe)
	if !simdEnabled || dim%8 != 0 {
		scanScalar(vecs, owner, probe, c)
		return
	}

	blocked := len(owner) / 8 * 8
	scanBlocks(vecs[:blocked*dim], owner[:blocked], probe, c)
	scanScalar(vecs[blocked*dim:], owner[blocked:], probe, c)
}

// scanBlocks scans eight rows at a time; len(owner) is a multiple of 8 and len(probe) of 8.
//
// The distances and the collector's bound stay in 256-bit registers, and the loop leaves
// them only when a row can change the result, which is rare once the collector is full.
// Scalar float arithmetic inside the loop would make the compiler mix legacy SSE
// instructions with AVX ones, which measured about ten times slower.
func scanBlocks(vecs []float32, owner []int32, probe []float32, c *collector) {
	dim := len(probe)
	bound := archsimd.BroadcastFloat32x8(c.bound)

	for row := 0; row < len(owner); row += 8 {
		block := vecs[row*dim : (row+8)*dim]
		sums := blockDistances(block, probe)

		if sums.LessEqual(bound).ToBits() == 0 {
			continue
		}

		var out [8]float32
		sums.Store(&out)

		for i, sq := range out {
			if sq <= c.bound {
				c.offer(owner[row+i], sq)
			}
		}

		bound = archsimd.BroadcastFloat32x8(c.bound)
	}
}

// blockDistances returns the squared distances from probe to the eight rows of block.
// Lane l of each accumulator sums the elements l, l+8, l+16, ... of its row, and the
// horizontal adds combine the lanes in the same order as squaredDistance.
func blockDistances(block, probe []float32) archsimd.Float32x8 {
	dim := len(probe)

	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8

	for j := 0; j < dim; j += 8 {
		p := archsimd.LoadFloat32x8Slice(probe[j:])

		d := archsimd.LoadFloat32x8Slice(block[j:]).Sub(p)
		a0 = a0.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[dim+j:]).Sub(p)
		a1 = a1.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[2*dim+j:]).Sub(p)
		a2 = a2.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[3*dim+j:]).Sub(p)
		a3 = a3.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[4*dim+j:]).Sub(p)
		a4 = a4.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[5*dim+j:]).Sub(p)
		a5 = a5.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[6*dim+j:]).Sub(p)
		a6 = a6.Add(d.Mul(d))
		d = archsimd.LoadFloat32x8Slice(block[7*dim+j:]).Sub(p)
		a7 = a7.Add(d.Mul(d))
	}

	// Each 128-bit half of h0123 holds the half sums of rows 0-3, and of h4567 rows 4-7.
	h0123 := a0.AddPairsGrouped(a1).AddPairsGrouped(a2.AddPairsGrouped(a3))
	h4567 := a4.AddPairsGrouped(a5).AddPairsGrouped(a6.AddPairsGrouped(a7))

	low := h0123.Select128FromPair(0, 2, h4567)
	high := h0123.Select128FromPair(1, 3, h4567)

	return low.Add(high)
}
