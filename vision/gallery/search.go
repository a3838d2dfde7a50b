package gallery

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// minRowsPerWorker is the smallest share of rows worth a goroutine of its own. Scanning
// 64k rows of 128 values (32 MiB) takes about 1 ms with SIMD and 3.5 ms without, against
// microseconds to start and merge a worker.
//
// NOTE: the limit is an estimate from those two costs, not a measured optimum.
const minRowsPerWorker = 1 << 16

// Search returns up to k clients, closest first, each with the Euclidean distance from
// probe to her closest descriptor. Ties are ordered by an internal slot number, so equal
// distances come back in a stable but unspecified order. It returns ErrDimension or
// ErrInvalidValue, wrapped, for an invalid probe, and an error when k < 1.
func (g *Gallery) Search(probe []float32, k int) ([]Candidate, error) {
	if k < 1 {
		return nil, fmt.Errorf("search gallery: k must be at least 1, got %d", k)
	}

	err := g.checkVector(probe)
	if err != nil {
		return nil, fmt.Errorf("search gallery: probe: %w", err)
	}

	g.mu.RLock()
	defer g.mu.RUnlock()

	c := g.scan(probe, k)

	return g.candidates(c.hits()), nil
}

// scan runs the search over all rows, split across goroutines for large galleries, and
// returns the merged collector. The caller holds the read lock.
func (g *Gallery) scan(probe []float32, k int) *collector {
	rows := len(g.owner)
	workers := min(runtime.GOMAXPROCS(0), rows/minRowsPerWorker)

	if workers <= 1 {
		c := newCollector(k, len(g.ids))
		scanRows(g.vecs, g.owner, probe, c)

		return c
	}

	collectors := make([]*collector, workers)

	var wg sync.WaitGroup
	for w := range workers {
		// Shares start at multiples of 8 rows, so only the last one has a scalar tail.
		lo := rows * w / workers / 8 * 8
		hi := rows * (w + 1) / workers / 8 * 8
		if w == workers-1 {
			hi = rows
		}

		collectors[w] = newCollector(k, len(g.ids))
		wg.Go(func() {
			scanRows(g.vecs[lo*g.dim:hi*g.dim], g.owner[lo:hi], probe, collectors[w])
		})
	}
	wg.Wait()

	for _, other := range collectors[1:] {
		collectors[0].merge(other)
	}

	return collectors[0]
}

// candidates turns hits into candidates with client ids and Euclidean distances. The
// caller holds the read lock.
func (g *Gallery) candidates(hits []hit) []Candidate {
	out := make([]Candidate, len(hits))

	for i, h := range hits {
		out[i] = Candidate{
			ID:       g.ids[h.slot],
			Distance: float32(math.Sqrt(float64(h.sq))),
		}
	}

	return out
}
