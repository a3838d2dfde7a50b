package gallery

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func TestAdd_RejectsInvalidInput(t *testing.T) {
	nan := make([]float32, 4)
	nan[2] = float32(math.NaN())
	inf := make([]float32, 4)
	inf[0] = float32(math.Inf(-1))

	tests := []struct {
		name string
		id   string
		vec  []float32
		want error
	}{
		{name: "short", id: "ana", vec: make([]float32, 3), want: ErrDimension},
		{name: "long", id: "ana", vec: make([]float32, 5), want: ErrDimension},
		{name: "nil", id: "ana", vec: nil, want: ErrDimension},
		{name: "nan", id: "ana", vec: nan, want: ErrInvalidValue},
		{name: "infinity", id: "ana", vec: inf, want: ErrInvalidValue},
		{name: "empty id", id: "", vec: make([]float32, 4), want: ErrEmptyID},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(4)

			err := g.Add(tt.id, tt.vec)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Add error = %v, want %v", err, tt.want)
			}

			if g.Len() != 0 {
				t.Errorf("Len = %d after a rejected Add, want 0", g.Len())
			}

			if g.Clients() != 0 {
				t.Errorf("Clients = %d after a rejected Add, want 0", g.Clients())
			}
		})
	}
}

func TestAdd_CopiesVector(t *testing.T) {
	g := New(2)
	vec := []float32{3, 4}
	mustAdd(t, g, "ana", vec)

	vec[0] = 100

	got := mustSearch(t, g, []float32{0, 0}, 1)
	if got[0].Distance != 5 {
		t.Errorf("distance = %v after changing the caller's slice, want 5", got[0].Distance)
	}
}

func TestGallery_CountsVectorsAndClients(t *testing.T) {
	g := New(3)
	mustAdd(t, g, "ana", []float32{1, 0, 0})
	mustAdd(t, g, "binh", []float32{0, 1, 0})
	mustAdd(t, g, "ana", []float32{0, 0, 1})

	if g.Dim() != 3 {
		t.Errorf("Dim = %d, want 3", g.Dim())
	}

	if g.Len() != 3 {
		t.Errorf("Len = %d, want 3", g.Len())
	}

	if g.Clients() != 2 {
		t.Errorf("Clients = %d, want 2", g.Clients())
	}
}

func TestNew_PanicsOnZeroDimension(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(0) did not panic")
		}
	}()

	New(0)
}

func TestRemove_DeletesEveryVectorOfClient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	g := New(16)

	var remaining []entry
	for i := range 30 {
		id := []string{"ana", "binh", "chi"}[i%3]
		vec := randomVector(rng, 16, nil, 1)
		mustAdd(t, g, id, vec)

		if id != "binh" {
			remaining = append(remaining, entry{id: id, vec: vec})
		}
	}

	if n := g.Remove("binh"); n != 10 {
		t.Errorf("Remove(binh) = %d, want 10", n)
	}

	if n := g.Remove("binh"); n != 0 {
		t.Errorf("second Remove(binh) = %d, want 0", n)
	}

	if g.Len() != 20 {
		t.Errorf("Len = %d, want 20", g.Len())
	}

	if g.Clients() != 2 {
		t.Errorf("Clients = %d, want 2", g.Clients())
	}

	// Every remaining row must still belong to its client after the swap-deletes.
	for _, e := range remaining {
		got := mustSearch(t, g, e.vec, 3)
		checkCandidates(t, got, referenceSearch(remaining, e.vec, 3))

		if got[0].Distance != 0 {
			t.Errorf("probe equal to a row of %s: best distance %v, want 0",
				e.id, got[0].Distance)
		}
	}
}

func TestRemove_ReusesSlotForNewClient(t *testing.T) {
	g := New(2)
	mustAdd(t, g, "ana", []float32{0, 0})
	mustAdd(t, g, "binh", []float32{10, 0})
	g.Remove("ana")
	mustAdd(t, g, "chi", []float32{0, 1})

	got := mustSearch(t, g, []float32{0, 0}, 5)

	want := []Candidate{{ID: "chi", Distance: 1}, {ID: "binh", Distance: 10}}
	if !slices.Equal(got, want) {
		t.Errorf("Search = %v, want %v", got, want)
	}
}

func TestGallery_ConcurrentSearchAndWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g := New(128)

	probes := make([][]float32, 8)
	for i := range probes {
		probes[i] = randomVector(rng, 128, nil, 1)
	}

	for i := range 200 {
		mustAdd(t, g, clientID(i%40), randomVector(rng, 128, nil, 1))
	}

	var wg sync.WaitGroup
	errs := make(chan error, 100)

	for _, probe := range probes {
		wg.Go(func() {
			for range 50 {
				got, err := g.Search(probe, 5)
				if err != nil {
					errs <- err
					return
				}

				if !slices.IsSortedFunc(got, compareDistance) {
					t.Errorf("Search returned unsorted candidates %v", got)
					return
				}
			}
		})
	}

	wg.Go(func() {
		writer := rand.New(rand.NewPCG(5, 6))
		for i := range 200 {
			if err := g.Add(clientID(40+i%10), randomVector(writer, 128, nil, 1)); err != nil {
				errs <- err
				return
			}

			g.Remove(clientID(i % 40))
		}
	})

	wg.Wait()
	close(errs)

	for err := range errs {
		t.Error(err)
	}
}

// compareDistance orders candidates by distance.
func compareDistance(a, b Candidate) int {
	return cmp.Compare(a.Distance, b.Distance)
}
