package gallery

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomVector returns a vector of dim values drawn around center with the given spread;
// a nil center means the origin.
func randomVector(rng *rand.Rand, dim int, center []float32, spread float64) []float32 {
	vec := make([]float32, dim)

	for i := range vec {
		v := rng.NormFloat64() * spread
		if center != nil {
			v += float64(center[i])
		}

		vec[i] = float32(v)
	}

	return vec
}

// clientID returns the id of the i-th synthetic client.
func clientID(i int) string {
	return fmt.Sprintf("client-%06d", i)
}

// mustAdd adds vec for id and fails the test on error.
func mustAdd(t *testing.T, g *Gallery, id string, vec []float32) {
	t.Helper()

	if err := g.Add(id, vec); err != nil {
		t.Fatalf("add %s: %v", id, err)
	}
}

// mustSearch searches g and fails the test on error.
func mustSearch(t *testing.T, g *Gallery, probe []float32, k int) []Candidate {
	t.Helper()

	got, err := g.Search(probe, k)
	if err != nil {
		t.Fatalf("search k=%d: %v", k, err)
	}

	return got
}

// entry is one descriptor of a reference gallery.
type entry struct {
	id  string
	vec []float32
}

// referenceSearch is a plain float64 search over entries, the oracle for Search.
func referenceSearch(entries []entry, probe []float32, k int) []Candidate {
	best := map[string]float64{}

	for _, e := range entries {
		sum := 0.0
		for i := range probe {
			d := float64(e.vec[i]) - float64(probe[i])
			sum += d * d
		}

		if old, ok := best[e.id]; !ok || sum < old {
			best[e.id] = sum
		}
	}

	out := make([]Candidate, 0, len(best))
	for id, sq := range best {
		out = append(out, Candidate{ID: id, Distance: float32(math.Sqrt(sq))})
	}

	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
	})

	return out[:min(k, len(out))]
}

// checkCandidates fails the test unless got has the ids of want in order and distances
// within a relative 1e-5 of want.
func checkCandidates(t *testing.T, got, want []Candidate) {
	t.Helper()

	if len(got) != len(want) {
		t.Fatalf("got %d candidates, want %d", len(got), len(want))
	}

	for i := range want {
		if got[i].ID != want[i].ID {
			t.Errorf("candidate %d: id %s, want %s", i, got[i].ID, want[i].ID)
		}

		diff := math.Abs(float64(got[i].Distance - want[i].Distance))
		if diff > 1e-5*float64(want[i].Distance)+1e-7 {
			t.Errorf("candidate %d (%s): distance %v, want %v",
				i, want[i].ID, got[i].Distance, want[i].Distance)
		}
	}
}
