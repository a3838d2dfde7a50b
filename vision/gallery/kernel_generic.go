//go:build !goexperiment.simd || !amd64

package gallery

// simdEnabled reports whether searches use the SIMD kernel. This build has none: it needs
// GOEXPERIMENT=simd on amd64.
const simdEnabled = false

// scanRows offers the rows of vecs to the collector with the scalar kernel.
func scanRows(vecs []float32, owner []int32, probe []float32, c *collector) {
	scanScalar(vecs, owner, probe, c)
}
