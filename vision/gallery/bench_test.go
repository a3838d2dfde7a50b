package gallery

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// benchSizes are the gallery sizes of the benchmarks, in descriptors.
var benchSizes = []int{1_000, 100_000, 1_000_000}

// benchData is one benchmark gallery and the same descriptors as go-face holds them.
type benchData struct {
	gallery *Gallery
	nested  [][128]float32
	probe   []float32
}

// benchCache keeps the data of each size, because building 1M descriptors takes seconds
// and 1 GiB, and every benchmark of that size reuses it.
var benchCache = map[int]*benchData{}

// benchDataFor returns the data of n descriptors: 5 per client around random centers, in
// round-robin order, and a probe near one of the clients.
func benchDataFor(b *testing.B, n int) *benchData {
	b.Helper()

	if d, ok := benchCache[n]; ok {
		return d
	}

	const dim, perClient = 128, 5
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	clients := n / perClient

	centers := make([][]float32, clients)
	for c := range centers {
		centers[c] = randomVector(rng, dim, nil, 0.09)
	}

	d := &benchData{gallery: New(dim), nested: make([][128]float32, n)}
	d.gallery.Grow(n)

	for i := range d.nested {
		vec := randomVector(rng, dim, centers[i%clients], 0.03)
		copy(d.nested[i][:], vec)

		if err := d.gallery.Add(clientID(i%clients), vec); err != nil {
			b.Fatal(err)
		}
	}

	d.probe = randomVector(rng, dim, centers[rng.IntN(clients)], 0.03)
	benchCache[n] = d

	return d
}

// BenchmarkSearch measures Search for the 5 best clients.
func BenchmarkSearch(b *testing.B) {
	b.Logf("SIMD kernel enabled: %v, GOMAXPROCS %d", simdEnabled, runtime.GOMAXPROCS(0))

	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := benchDataFor(b, n)
			b.SetBytes(int64(n) * 128 * 4)

			for b.Loop() {
				if _, err := d.gallery.Search(d.probe, 5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNestedLoop measures the plain search that code using go-face writes: a loop
// over []face.Descriptor ([128]float32) with a scalar inner loop, keeping only the best
// row, on one goroutine.
func BenchmarkNestedLoop(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := benchDataFor(b, n)
			probe := [128]float32(d.probe)
			b.SetBytes(int64(n) * 128 * 4)

			for b.Loop() {
				best, bestRow := float32(1e30), -1
				for row := range d.nested {
					var sum float32
					for j := range probe {
						diff := d.nested[row][j] - probe[j]
						sum += diff * diff
					}

					if sum < best {
						best, bestRow = sum, row
					}
				}

				if bestRow < 0 {
					b.Fatal("no best row")
				}
			}
		})
	}
}

// BenchmarkMemoryBound measures summing the gallery's floats, split across the same
// number of goroutines as Search: the memory-bandwidth bound of a brute-force search.
// Without GOEXPERIMENT=simd the sum is scalar, and on galleries that fit in the caches it
// measures the CPU rather than memory.
func BenchmarkMemoryBound(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := benchDataFor(b, n)
			vecs := d.gallery.vecs
			workers := max(1, min(runtime.GOMAXPROCS(0), n/minRowsPerWorker))
			sums := make([]float32, workers)
			b.SetBytes(int64(n) * 128 * 4)

			for b.Loop() {
				if workers == 1 {
					sums[0] = sumFloats(vecs)
					continue
				}

				var wg sync.WaitGroup
				for w := range workers {
					lo := len(vecs) * w / workers
					hi := len(vecs) * (w + 1) / workers
					wg.Go(func() { sums[w] = sumFloats(vecs[lo:hi]) })
				}
				wg.Wait()
			}
		})
	}
}
