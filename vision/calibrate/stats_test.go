package calibrate

import (
	"math"
	"testing"
)

func TestQuantile_NearestRank(t *testing.T) {
	sorted := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

	tests := []struct {
		q    float64
		want float32
	}{
		{q: 0, want: 1}, {q: 0.05, want: 1}, {q: 0.11, want: 2}, {q: 0.5, want: 5},
		{q: 0.9, want: 9}, {q: 0.95, want: 10}, {q: 1, want: 10},
	}

	for _, tt := range tests {
		if got := quantile(sorted, tt.q); got != tt.want {
			t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestRateAtOrBelow_CountsTies(t *testing.T) {
	sorted := []float32{0.1, 0.2, 0.2, 0.4}

	if got := rateAtOrBelow(sorted, 0.2); got != 0.75 {
		t.Errorf("rateAtOrBelow(0.2) = %v, want 0.75", got)
	}

	if got := rateAtOrBelow(sorted, 0.05); got != 0 {
		t.Errorf("rateAtOrBelow(0.05) = %v, want 0", got)
	}

	if got := rateAtOrBelow(nil, 1); got != 0 {
		t.Errorf("rateAtOrBelow of no values = %v, want 0", got)
	}
}

func TestAUC_KnownValues(t *testing.T) {
	tests := []struct {
		name              string
		genuine, impostor []float32
		want              float64
	}{
		{name: "separated", genuine: []float32{0.1, 0.2}, impostor: []float32{0.5, 0.6},
			want: 1},
		{name: "reversed", genuine: []float32{0.5, 0.6}, impostor: []float32{0.1, 0.2},
			want: 0},
		{name: "overlap with tie", genuine: []float32{0.1, 0.3},
			impostor: []float32{0.2, 0.3, 0.5}, want: 0.75},
		{name: "all equal", genuine: []float32{0.4, 0.4}, impostor: []float32{0.4},
			want: 0.5},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := auc(tt.genuine, tt.impostor)
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("auc = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEER_KnownValues(t *testing.T) {
	tests := []struct {
		name              string
		genuine, impostor []float32
		wantRate          float64
		wantThreshold     float32
	}{
		{name: "separated", genuine: []float32{0.1, 0.2}, impostor: []float32{0.5, 0.6},
			wantRate: 0, wantThreshold: 0.2},
		{name: "one error each side", genuine: []float32{0.1, 0.2, 0.3, 0.4},
			impostor: []float32{0.35, 0.5, 0.6, 0.7}, wantRate: 0.25, wantThreshold: 0.35},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rate, threshold := eer(tt.genuine, tt.impostor)

			if math.Abs(rate-tt.wantRate) > 1e-12 {
				t.Errorf("EER = %v, want %v", rate, tt.wantRate)
			}

			if threshold != tt.wantThreshold {
				t.Errorf("EER threshold = %v, want %v", threshold, tt.wantThreshold)
			}
		})
	}
}
