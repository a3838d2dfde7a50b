package gallery

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// buildClustered returns a gallery of clients, each with perClient vectors spread around
// a random center, and the same vectors as entries for referenceSearch.
func buildClustered(t *testing.T, seed uint64, dim, clients, perClient int) (*Gallery, []entry) {
	t.Helper()

	rng := rand.New(rand.NewPCG(seed, seed+1))
	g := New(dim)
	entries := make([]entry, 0, clients*perClient)

	centers := make([][]float32, clients)
	for c := range centers {
		centers[c] = randomVector(rng, dim, nil, 0.1)
	}

	// Add the vectors round-robin, so a client's rows are not next to each other.
	for range perClient {
		for c, center := range centers {
			e := entry{id: clientID(c), vec: randomVector(rng, dim, center, 0.03)}
			mustAdd(t, g, e.id, e.vec)
			entries = append(entries, e)
		}
	}

	return g, entries
}

func TestSearch_ExactDistance(t *testing.T) {
	g := New(128)
	vec := make([]float32, 128)
	vec[0], vec[127] = 3, -4
	mustAdd(t, g, "ana", vec)

	got := mustSearch(t, g, make([]float32, 128), 1)

	if len(got) != 1 || got[0].ID != "ana" || got[0].Distance != 5 {
		t.Errorf("Search = %v, want [{ana 5}]", got)
	}
}

func TestSearch_MatchesReference(t *testing.T) {
	tests := []struct {
		name      string
		dim       int
		clients   int
		perClient int
		k         int
	}{
		{name: "dlib top 5", dim: 128, clients: 200, perClient: 5, k: 5},
		{name: "onnx top 3", dim: 512, clients: 50, perClient: 3, k: 3},
		{name: "odd dimension", dim: 13, clients: 100, perClient: 4, k: 10},
		{name: "k above list limit", dim: 128, clients: 300, perClient: 2, k: maxListK + 30},
		{name: "k above clients", dim: 128, clients: 7, perClient: 3, k: 20},
		{name: "single row", dim: 128, clients: 1, perClient: 1, k: 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, entries := buildClustered(t, 7, tt.dim, tt.clients, tt.perClient)
			rng := rand.New(rand.NewPCG(8, 9))

			for range 5 {
				probe := randomVector(rng, tt.dim, entries[rng.IntN(len(entries))].vec, 0.02)
				got := mustSearch(t, g, probe, tt.k)
				checkCandidates(t, got, referenceSearch(entries, probe, tt.k))
			}
		})
	}
}

func TestSearch_ParallelMatchesReference(t *testing.T) {
	// Three workers split the rows unevenly, and the last share has a scalar tail.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))

	clients := (3*minRowsPerWorker + 13) / 2
	g, entries := buildClustered(t, 11, 8, clients, 2)
	rng := rand.New(rand.NewPCG(12, 13))

	for _, k := range []int{1, 5, maxListK + 1} {
		probe := randomVector(rng, 8, entries[rng.IntN(len(entries))].vec, 0.02)
		got := mustSearch(t, g, probe, k)
		checkCandidates(t, got, referenceSearch(entries, probe, k))
	}
}

func TestSearch_EmptyGallery(t *testing.T) {
	got := mustSearch(t, New(128), make([]float32, 128), 3)

	if len(got) != 0 {
		t.Errorf("Search on an empty gallery = %v, want none", got)
	}
}

func TestSearch_RejectsInvalidInput(t *testing.T) {
	g := New(4)
	mustAdd(t, g, "ana", []float32{1, 2, 3, 4})

	tests := []struct {
		name  string
		probe []float32
		k     int
		want  error
	}{
		{name: "short probe", probe: make([]float32, 3), k: 1, want: ErrDimension},
		{name: "nan probe", probe: []float32{0, float32(math.NaN()), 0, 0}, k: 1,
			want: ErrInvalidValue},
		{name: "zero k", probe: make([]float32, 4), k: 0},
		{name: "negative k", probe: make([]float32, 4), k: -1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := g.Search(tt.probe, tt.k)
			if err == nil {
				t.Fatalf("Search = %v, want an error", got)
			}

			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Search error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSearch_BestSamplePerClient(t *testing.T) {
	g := New(2)
	mustAdd(t, g, "ana", []float32{5, 0})
	mustAdd(t, g, "binh", []float32{2, 0})
	mustAdd(t, g, "ana", []float32{1, 0})
	mustAdd(t, g, "binh", []float32{0, 3})

	got := mustSearch(t, g, []float32{0, 0}, 2)

	want := []Candidate{{ID: "ana", Distance: 1}, {ID: "binh", Distance: 2}}
	checkCandidates(t, got, want)
}
