//go:build goexperiment.simd && amd64

package gallery

import (
	"simd/archsimd"
	"unsafe"
)

// simdEnabled reports whether searches use the SIMD kernels: the CPU must have AVX and FMA.
var simdEnabled = archsimd.X86.AVX() && archsimd.X86.FMA()

// dlibDim is the dimension of dlib's descriptors, which has a kernel of its own.
const dlibDim = 128

// dlibBlock is eight rows of dlibDim values, in chunks of 8.
type dlibBlock = [8][dlibDim / 8][8]float32

// scanRows offers the rows of vecs to the collector, eight rows at a time with AVX and FMA
// when the CPU has them and the dimension is a multiple of 8, and with the scalar kernel
// otherwise. The SIMD kernels round differently from the scalar one, because FMA rounds
// once per multiply-add, so their squared distances may differ in the last bits.
func scanRows(vecs []float32, owner []int32, probe []float32, c *collector) {
	dim := len(probe)
	if !simdEnabled || dim%8 != 0 {
		scanScalar(vecs, owner, probe, c)
		return
	}

	blocked := len(owner) / 8 * 8
	if dim == dlibDim {
		scanDlibBlocks(vecs[:blocked*dim], owner[:blocked], probe, c)
	} else {
		scanBlocks(vecs[:blocked*dim], owner[:blocked], probe, c)
	}

	scanScalar(vecs[blocked*dim:], owner[blocked:], probe, c)
}

// scanDlibBlocks scans eight rows of 128 values at a time. len(owner) is a multiple of 8.
// With the dimension fixed, every load has a constant offset and no bounds check, so the
// loop runs fewer instructions than the one of scanBlocks.
//
// The distances and the collector's bound stay in 256-bit registers, and the loop leaves
// them only when a row can change the result, which is rare once the collector is full.
// Scalar float arithmetic inside the loop makes the compiler mix legacy SSE instructions
// with AVX ones, which an earlier measurement (Go 1.26, 2-core AMD EPYC) found about ten
// times slower.
func scanDlibBlocks(vecs []float32, owner []int32, probe []float32, c *collector) {
	blocks := asBlocks[dlibBlock](vecs)
	probeChunks := (*[dlibDim / 8][8]float32)(asChunks(probe))
	bound := archsimd.BroadcastFloat32x8(c.bound)

	for b := range blocks {
		sums := dlibBlockDistances(&blocks[b], probeChunks)

		if sums.LessEqual(bound).ToBits() == 0 {
			continue
		}

		var out [8]float32
		sums.Store(&out)
		offerBlock(out, owner[b*8:b*8+8], c)
		bound = archsimd.BroadcastFloat32x8(c.bound)
	}
}

// dlibBlockDistances returns the squared distances from probe to the eight rows of block.
// Lane l of each accumulator sums the elements l, l+8, l+16, ... of its row. The eight
// rows are read side by side, one chunk of each per step.
func dlibBlockDistances(block *dlibBlock, probe *[dlibDim / 8][8]float32) archsimd.Float32x8 {
	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8

	for j := range probe {
		p := archsimd.LoadFloat32x8(&probe[j])

		d := archsimd.LoadFloat32x8(&block[0][j]).Sub(p)
		a0 = d.MulAdd(d, a0)
		d = archsimd.LoadFloat32x8(&block[1][j]).Sub(p)
		a1 = d.MulAdd(d, a1)
		d = archsimd.LoadFloat32x8(&block[2][j]).Sub(p)
		a2 = d.MulAdd(d, a2)
		d = archsimd.LoadFloat32x8(&block[3][j]).Sub(p)
		a3 = d.MulAdd(d, a3)
		d = archsimd.LoadFloat32x8(&block[4][j]).Sub(p)
		a4 = d.MulAdd(d, a4)
		d = archsimd.LoadFloat32x8(&block[5][j]).Sub(p)
		a5 = d.MulAdd(d, a5)
		d = archsimd.LoadFloat32x8(&block[6][j]).Sub(p)
		a6 = d.MulAdd(d, a6)
		d = archsimd.LoadFloat32x8(&block[7][j]).Sub(p)
		a7 = d.MulAdd(d, a7)
	}

	return laneSums(a0, a1, a2, a3, a4, a5, a6, a7)
}

// scanBlocks scans eight rows at a time for any dimension that is a multiple of 8.
// len(owner) is a multiple of 8. It works like scanDlibBlocks, with a bounds check per
// load because the row length is not a constant.
func scanBlocks(vecs []float32, owner []int32, probe []float32, c *collector) {
	chunks := asChunks(vecs)
	probeChunks := asChunks(probe)
	rowChunks := len(probeChunks)
	bound := archsimd.BroadcastFloat32x8(c.bound)

	for row := 0; row < len(owner); row += 8 {
		sums := blockDistances(chunks, probeChunks, row*rowChunks)

		if sums.LessEqual(bound).ToBits() == 0 {
			continue
		}

		var out [8]float32
		sums.Store(&out)
		offerBlock(out, owner[row:row+8], c)
		bound = archsimd.BroadcastFloat32x8(c.bound)
	}
}

// blockDistances returns the squared distances from probe to the eight rows that start
// at chunks[first], like dlibBlockDistances.
func blockDistances(chunks, probe [][8]float32, first int) archsimd.Float32x8 {
	stride := len(probe)

	var a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8

	for j := range probe {
		p := archsimd.LoadFloat32x8(&probe[j])
		i := first + j

		d := archsimd.LoadFloat32x8(&chunks[i]).Sub(p)
		a0 = d.MulAdd(d, a0)
		d = archsimd.LoadFloat32x8(&chunks[i+stride]).Sub(p)
		a1 = d.MulAdd(d, a1)
		d = archsimd.LoadFloat32x8(&chunks[i+2*stride]).Sub(p)
		a2 = d.MulAdd(d, a2)
		d = archsimd.LoadFloat32x8(&chunks[i+3*stride]).Sub(p)
		a3 = d.MulAdd(d, a3)
		d = archsimd.LoadFloat32x8(&chunks[i+4*stride]).Sub(p)
		a4 = d.MulAdd(d, a4)
		d = archsimd.LoadFloat32x8(&chunks[i+5*stride]).Sub(p)
		a5 = d.MulAdd(d, a5)
		d = archsimd.LoadFloat32x8(&chunks[i+6*stride]).Sub(p)
		a6 = d.MulAdd(d, a6)
		d = archsimd.LoadFloat32x8(&chunks[i+7*stride]).Sub(p)
		a7 = d.MulAdd(d, a7)
	}

	return laneSums(a0, a1, a2, a3, a4, a5, a6, a7)
}

// laneSums returns a vector whose lane r is the sum of the lanes of ar, added in the same
// order as squaredDistance adds its accumulators.
func laneSums(a0, a1, a2, a3, a4, a5, a6, a7 archsimd.Float32x8) archsimd.Float32x8 {
	// Each 128-bit half of h0123 holds the half sums of rows 0-3, and of h4567 rows 4-7.
	h0123 := a0.AddPairsGrouped(a1).AddPairsGrouped(a2.AddPairsGrouped(a3))
	h4567 := a4.AddPairsGrouped(a5).AddPairsGrouped(a6.AddPairsGrouped(a7))

	low := h0123.Select128FromPair(0, 2, h4567)
	high := h0123.Select128FromPair(1, 3, h4567)

	return low.Add(high)
}

// offerBlock offers the rows of one block whose squared distance can change the result.
func offerBlock(sums [8]float32, owner []int32, c *collector) {
	for i, sq := range sums {
		if sq <= c.bound {
			c.offer(owner[i], sq)
		}
	}
}

// asChunks returns s viewed as chunks of 8 floats, without copying. len(s) is a multiple
// of 8. Indexing chunks costs one bounds check per load, where reslicing s costs several.
func asChunks(s []float32) [][8]float32 {
	return asBlocks[[8]float32](s)
}

// asBlocks returns s viewed as a slice of B, an array of float32, without copying. A
// partial B at the end of s is left out.
func asBlocks[B any](s []float32) []B {
	var zero B
	n := len(s) * 4 / int(unsafe.Sizeof(zero))
	if n == 0 {
		return nil
	}

	return unsafe.Slice((*B)(unsafe.Pointer(unsafe.SliceData(s))), n)
}
