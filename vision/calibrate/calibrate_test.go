package calibrate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// clusters returns perPerson samples for each of persons, one file each, drawn around a
// random unit center per person with the given spread per value.
func clusters(seed uint64, persons, perPerson, dim int, spread float64) []Sample {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var samples []Sample

	for p := range persons {
		center := make([]float64, dim)
		norm := 0.0
		for i := range center {
			center[i] = rng.NormFloat64()
			norm += center[i] * center[i]
		}

		for s := range perPerson {
			vec := make([]float32, dim)
			for i := range vec {
				vec[i] = float32(center[i]/math.Sqrt(norm) + rng.NormFloat64()*spread)
			}

			samples = append(samples, Sample{
				File:   fmt.Sprintf("p%02d-%d.jpg", p, s),
				Person: fmt.Sprintf("person-%02d", p),
				Vector: vec,
			})
		}
	}

	return samples
}

// mustCalibrate calibrates samples and fails the test on error.
func mustCalibrate(t *testing.T, samples []Sample) Report {
	t.Helper()

	r, err := Calibrate(samples)
	if err != nil {
		t.Fatalf("Calibrate: %v", err)
	}

	return r
}

func TestCalibrate_SeparatedClusters(t *testing.T) {
	// Samples of one person are about 0.16 apart, and different persons about 1.4. With
	// fewer than 1,000 impostor pairs, the match threshold must stay below all of them.
	r := mustCalibrate(t, clusters(1, 10, 4, 128, 0.01))

	if r.Samples != 40 || r.Persons != 10 || r.Dim != 128 {
		t.Errorf("samples, persons, dim = %d, %d, %d, want 40, 10, 128",
			r.Samples, r.Persons, r.Dim)
	}

	if len(r.Genuine) != 10*6 || len(r.Impostor) != 40*39/2-10*6 {
		t.Errorf("pairs = %d genuine, %d impostor, want 60, 720",
			len(r.Genuine), len(r.Impostor))
	}

	if r.AUC != 1 || r.EER != 0 || r.Accept90FMR != 0 {
		t.Errorf("AUC, EER, FMR at 90%% = %v, %v, %v, want 1, 0, 0",
			r.AUC, r.EER, r.Accept90FMR)
	}

	if r.Rank1Correct != 40 || r.Rank1Probes != 40 {
		t.Errorf("rank-1 = %d of %d, want 40 of 40", r.Rank1Correct, r.Rank1Probes)
	}

	maxGenuine := r.Genuine[len(r.Genuine)-1]
	if m := r.Recommended.Match; m >= r.Impostor[0] || m < maxGenuine {
		t.Errorf("Match = %v, want in [%v, %v)", m, maxGenuine, r.Impostor[0])
	}

	if c := r.Recommended.Candidate; c < r.Recommended.Match {
		t.Errorf("Candidate = %v, below Match %v", c, r.Recommended.Match)
	}

	if r.Recommended.Margin != minMargin {
		t.Errorf("Margin = %v with no wrong lead, want the minimum %v",
			r.Recommended.Margin, minMargin)
	}

	if err := r.Recommended.Validate(); err != nil {
		t.Errorf("recommended thresholds: %v", err)
	}

	if r.AtRecommended.Known.Correct != 40 || r.AtRecommended.Known.Wrong != 0 {
		t.Errorf("leave-one-out at recommended = %+v, want 40 right matches",
			r.AtRecommended.Known)
	}

	if len(r.Warnings) != 0 {
		t.Errorf("warnings = %q, want none", r.Warnings)
	}
}

func TestCalibrate_OverlappingClusters(t *testing.T) {
	// In 16 dimensions, this spread puts samples of one person about as far apart as
	// different persons, like dlib's descriptors of East Asian faces (AUC about 0.7).
	r := mustCalibrate(t, clusters(2, 12, 4, 16, 0.4))

	if r.AUC > 0.9 {
		t.Errorf("AUC = %v, want below 0.9 for overlapping clusters", r.AUC)
	}

	if r.EER < maxSafeEER {
		t.Errorf("EER = %v, want above %v", r.EER, maxSafeEER)
	}

	if !hasWarning(r, "overlap") {
		t.Errorf("warnings = %q, want one about overlap", r.Warnings)
	}

	// 1,056 impostor pairs: 0.1% lets the closest one fall below the match threshold.
	if r.Recommended.Match >= r.Impostor[1] {
		t.Errorf("Match = %v, not below the second closest impostor pair %v",
			r.Recommended.Match, r.Impostor[1])
	}

	if r.WrongLead == 0 || r.Recommended.Margin <= r.WrongLead {
		t.Errorf("Margin = %v, want above a wrong lead, got %v",
			r.Recommended.Margin, r.WrongLead)
	}

	wrong := r.AtRecommended.Known.Wrong + r.AtRecommended.Strangers.Wrong
	if wrong != 0 {
		t.Errorf("%d wrong leave-one-out matches at recommended thresholds, want 0", wrong)
	}
}

func TestCalibrate_StrangersAndUnlabelled(t *testing.T) {
	samples := clusters(3, 6, 3, 16, 0.01)
	samples = append(samples,
		Sample{File: "lone.jpg", Person: "stranger", Vector: clusters(4, 1, 1, 16, 0)[0].Vector},
		Sample{File: "group.jpg", Person: Unlabelled, Vector: make([]float32, 16)},
		Sample{File: "group.jpg", Person: "", Vector: make([]float32, 3)},
	)

	r := mustCalibrate(t, samples)

	if r.Samples != 19 || r.Unlabelled != 2 {
		t.Errorf("samples, unlabelled = %d, %d, want 19, 2", r.Samples, r.Unlabelled)
	}

	if r.Rank1Probes != 18 {
		t.Errorf("rank-1 probes = %d, want 18 (the stranger has no other photo)",
			r.Rank1Probes)
	}

	if got := r.AtRecommended.Strangers.Total(); got != 1 {
		t.Errorf("stranger probes = %d, want 1", got)
	}

	if r.AtRecommended.Strangers.Wrong != 0 {
		t.Errorf("stranger matched automatically: %+v", r.AtRecommended.Strangers)
	}
}

func TestCalibrate_SameFilePairsLeftOut(t *testing.T) {
	samples := clusters(5, 3, 2, 8, 0.01)
	for i := range samples {
		samples[i].File = fmt.Sprintf("%s.jpg", samples[i].Person)
	}

	_, err := Calibrate(samples)

	if !errors.Is(err, ErrNoGenuinePairs) {
		t.Errorf("Calibrate = %v, want ErrNoGenuinePairs: one file per person", err)
	}
}

func TestCalibrate_Errors(t *testing.T) {
	tests := []struct {
		name    string
		samples []Sample
		want    error
	}{
		{name: "no samples", want: ErrNoGenuinePairs},
		{name: "one photo per person", samples: clusters(6, 5, 1, 8, 0.01),
			want: ErrNoGenuinePairs},
		{name: "one person", samples: clusters(7, 1, 4, 8, 0.01), want: ErrNoImpostorPairs},
		{name: "all unlabelled", samples: []Sample{
			{File: "a.jpg", Person: Unlabelled, Vector: []float32{1}},
			{File: "b.jpg", Person: Unlabelled, Vector: []float32{2}},
		}, want: ErrNoGenuinePairs},
		{name: "dimension mismatch", samples: []Sample{
			{File: "a.jpg", Person: "ana", Vector: []float32{1, 2}},
			{File: "b.jpg", Person: "ana", Vector: []float32{1, 2, 3}},
		}, want: ErrInvalidSample},
		{name: "nan", samples: []Sample{
			{File: "a.jpg", Person: "ana", Vector: []float32{float32(math.NaN())}},
		}, want: ErrInvalidSample},
		{name: "empty vector", samples: []Sample{{File: "a.jpg", Person: "ana"}},
			want: ErrInvalidSample},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Calibrate(tt.samples)
			if !errors.Is(err, tt.want) {
				t.Errorf("Calibrate = %v, want %v", err, tt.want)
			}
		})
	}
}

// hasWarning reports whether a warning of r contains word.
func hasWarning(r Report, word string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, word) {
			return true
		}
	}

	return false
}
