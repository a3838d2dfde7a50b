package gallery

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// BenchmarkSearch512 measures Search over 1M descriptors of 512 float32 (the ONNX engine's,
// 2 GiB) beside a plain sum over the same memory, the bandwidth bound of a brute-force
// search, in one run.
func BenchmarkSearch512(b *testing.B) {
	const n, dim, perClient = 1_000_000, 512, 5
	rng := rand.New(rand.NewPCG(512, 42))
	g := New(dim)
	g.Grow(n)
	centers := make([][]float32, n/perClient)
	for c := range centers {
		centers[c] = randomVector(rng, dim, nil, 0.05)
	}
	for i := range n {
		if err := g.Add(clientID(i%len(centers)), randomVector(rng, dim, centers[i%len(centers)],
			0.01)); err != nil {
			b.Fatal(err)
		}
	}
	probe := randomVector(rng, dim, centers[rng.IntN(len(centers))], 0.01)

	b.Run("search", func(b *testing.B) {
		b.SetBytes(int64(n) * dim * 4)
		for b.Loop() {
			if _, err := g.Search(probe, 5); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("memory-bound", func(b *testing.B) {
		vecs := g.vecs
		workers := runtime.GOMAXPROCS(0)
		sums := make([]float32, workers)
		b.SetBytes(int64(n) * dim * 4)
		for b.Loop() {
			var wg sync.WaitGroup
			for w := range workers {
				lo, hi := len(vecs)*w/workers, len(vecs)*(w+1)/workers
				wg.Go(func() { sums[w] = sumFloats(vecs[lo:hi]) })
			}
			wg.Wait()
		}
	})
}
