package gallery

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSquaredDistance_KnownValues(t *testing.T) {
	tests := []struct {
		name string
		a, b []float32
		want float32
	}{
		{name: "empty", a: nil, b: nil, want: 0},
		{name: "tail only", a: []float32{1, 2, 3}, b: []float32{1, 0, 0}, want: 13},
		{name: "one block", a: []float32{1, 1, 1, 1, 1, 1, 1, 1}, b: make([]float32, 8),
			want: 8},
		{name: "block and tail", a: []float32{0, 0, 0, 0, 0, 0, 0, 3, 4},
			b: make([]float32, 9), want: 25},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := squaredDistance(tt.a, tt.b)
			if got != tt.want {
				t.Errorf("squaredDistance = %v, want %v", got, tt.want)
			}
		})
	}
}

// scanBest runs scan over rows that each belong to their own slot, with a collector in
// array mode, and returns the squared distance of every row.
func scanBest(
	scan func([]float32, []int32, []float32, *collector), vecs []float32, probe []float32,
) []float32 {
	rows := len(vecs) / len(probe)

	owner := make([]int32, rows)
	for i := range owner {
		owner[i] = int32(i)
	}

	c := newCollector(maxListK+1, rows)
	scan(vecs, owner, probe, c)

	return c.best
}

// closeEnough reports whether two squared distances agree to a relative 1e-5, the rounding
// difference that FMA in the SIMD kernels may cause.
func closeEnough(a, b float32) bool {
	return math.Abs(float64(a)-float64(b)) <= 1e-5*math.Max(float64(a), float64(b))+1e-7
}

// TestScanRows_AgreesWithScalar checks that the kernel used by Search (SIMD under
// GOEXPERIMENT=simd on amd64 with AVX and FMA) returns the distances of the scalar kernel.
func TestScanRows_AgreesWithScalar(t *testing.T) {
	t.Logf("SIMD kernels enabled: %v", simdEnabled)

	rng := rand.New(rand.NewPCG(21, 22))

	for _, dim := range []int{8, 16, 12, 128, 512} {
		for _, rows := range []int{0, 1, 7, 8, 9, 17, 1003} {
			vecs := randomVector(rng, rows*dim, nil, 1)
			probe := randomVector(rng, dim, nil, 1)

			got := scanBest(scanRows, vecs, probe)
			want := scanBest(scanScalar, vecs, probe)

			if len(got) != rows || len(want) != rows {
				t.Fatalf("dim %d: %d and %d distances for %d rows",
					dim, len(got), len(want), rows)
			}

			for row := range want {
				if !closeEnough(got[row], want[row]) {
					t.Errorf("dim %d row %d of %d: scanRows %v, scanScalar %v",
						dim, row, rows, got[row], want[row])
				}

				ref := squaredDistance(vecs[row*dim:(row+1)*dim], probe)
				if want[row] != ref {
					t.Errorf("dim %d row %d: scanScalar %v, squaredDistance %v",
						dim, row, want[row], ref)
				}
			}
		}
	}
}

// TestScanRows_PrunedTopMatchesScalar checks the kernels with a small k, where most rows
// are skipped by the collector's bound.
func TestScanRows_PrunedTopMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))

	for _, dim := range []int{128, 512} {
		rows := 4096
		vecs := randomVector(rng, rows*dim, nil, 1)
		owner := make([]int32, rows)
		for i := range owner {
			owner[i] = int32(rng.IntN(300))
		}

		for range 10 {
			probe := randomVector(rng, dim, nil, 1)

			fast := newCollector(5, 300)
			scanRows(vecs, owner, probe, fast)

			slow := newCollector(5, 300)
			scanScalar(vecs, owner, probe, slow)

			got, want := fast.hits(), slow.hits()
			if len(got) != len(want) {
				t.Fatalf("dim %d: %d hits, want %d", dim, len(got), len(want))
			}

			for i := range want {
				if got[i].slot != want[i].slot || !closeEnough(got[i].sq, want[i].sq) {
					t.Errorf("dim %d hit %d: scanRows %v, scanScalar %v",
						dim, i, got[i], want[i])
				}
			}
		}
	}
}

func TestCollector_KeepsBestPerClient(t *testing.T) {
	c := newCollector(2, 4)
	c.offer(0, 9)
	c.offer(1, 4)
	c.offer(0, 1)
	c.offer(1, 16)
	c.offer(2, 2)
	c.offer(3, 25)

	want := []hit{{slot: 0, sq: 1}, {slot: 2, sq: 2}}
	if got := c.hits(); !slices.Equal(got, want) {
		t.Errorf("hits = %v, want %v", got, want)
	}

	if c.bound != 2 {
		t.Errorf("bound = %v, want 2", c.bound)
	}
}

func TestCollector_BoundOpenUntilFull(t *testing.T) {
	c := newCollector(3, 4)
	c.offer(0, 1)
	c.offer(0, 0.5)
	c.offer(1, 2)

	if !math.IsInf(float64(c.bound), 1) {
		t.Errorf("bound = %v with 2 of 3 clients, want +Inf", c.bound)
	}
}

func TestCollector_TiesOrderedBySlot(t *testing.T) {
	c := newCollector(2, 4)
	c.offer(3, 1)
	c.offer(1, 1)
	c.offer(2, 1)

	want := []hit{{slot: 1, sq: 1}, {slot: 2, sq: 1}}
	if got := c.hits(); !slices.Equal(got, want) {
		t.Errorf("hits = %v, want %v", got, want)
	}
}
