package decide

import (
	"slices"
	"testing"

	"github.com/omotenashi/omotenashi/vision/gallery"
)

func TestDecide_Outcomes(t *testing.T) {
	tests := []struct {
		name           string
		cands          []gallery.Candidate
		want           Outcome
		wantBest       string
		wantCandidates []string
	}{
		{
			name: "no candidates",
			want: OutcomeUnknown,
		},
		{
			name: "stranger beyond candidate distance",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.62}, {ID: "jimin", Distance: 0.67},
			},
			want: OutcomeUnknown,
		},
		{
			name: "clear match",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.33}, {ID: "jimin", Distance: 0.58},
			},
			want:           OutcomeMatch,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
		{
			name:           "only client in gallery",
			cands:          []gallery.Candidate{{ID: "bona", Distance: 0.36}},
			want:           OutcomeMatch,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
		{
			name: "best at match threshold",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.38}, {ID: "jimin", Distance: 0.60},
			},
			want:           OutcomeMatch,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
		{
			name: "wrong-name hazard",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.40}, {ID: "jimin", Distance: 0.42},
			},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona", "jimin"},
		},
		{
			name: "close pair below match threshold",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.30}, {ID: "jimin", Distance: 0.35},
			},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona", "jimin"},
		},
		{
			name: "best above match threshold",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.48}, {ID: "jimin", Distance: 0.70},
			},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
		{
			name:           "best at candidate threshold",
			cands:          []gallery.Candidate{{ID: "bona", Distance: 0.55}},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
		{
			name: "candidates capped",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.44}, {ID: "jimin", Distance: 0.45},
				{ID: "eunseo", Distance: 0.47}, {ID: "luda", Distance: 0.50},
				{ID: "nana", Distance: 0.52},
			},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona", "jimin", "eunseo"},
		},
		{
			name: "unsorted input",
			cands: []gallery.Candidate{
				{ID: "jimin", Distance: 0.42}, {ID: "luda", Distance: 0.61},
				{ID: "bona", Distance: 0.40},
			},
			want:           OutcomeAmbiguous,
			wantBest:       "bona",
			wantCandidates: []string{"bona", "jimin"},
		},
		{
			name: "client listed twice",
			cands: []gallery.Candidate{
				{ID: "bona", Distance: 0.36}, {ID: "bona", Distance: 0.39},
				{ID: "jimin", Distance: 0.57},
			},
			want:           OutcomeMatch,
			wantBest:       "bona",
			wantCandidates: []string{"bona"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decide(tt.cands, DefaultThresholds())

			if got.Outcome != tt.want {
				t.Errorf("Outcome = %s, want %s", got.Outcome, tt.want)
			}

			if tt.wantBest == "" && got.Best != nil {
				t.Errorf("Best = %v, want nil", *got.Best)
			}

			if tt.wantBest != "" && (got.Best == nil || got.Best.ID != tt.wantBest) {
				t.Errorf("Best = %v, want %s", got.Best, tt.wantBest)
			}

			if ids := candidateIDs(got.Candidates); !slices.Equal(ids, tt.wantCandidates) {
				t.Errorf("Candidates = %v, want %v", ids, tt.wantCandidates)
			}
		})
	}
}

func TestDecide_MarginBlocksCloseRunnerUp(t *testing.T) {
	// Both distances are within the match threshold, so only the margin keeps the face
	// from being greeted as bona when it may be jimin.
	cands := []gallery.Candidate{{ID: "bona", Distance: 0.40}, {ID: "jimin", Distance: 0.42}}
	thresholds := Thresholds{Match: 0.45, Candidate: 0.55, Margin: 0.06}

	got := Decide(cands, thresholds)

	if got.Outcome != OutcomeAmbiguous {
		t.Errorf("Outcome = %s, want %s", got.Outcome, OutcomeAmbiguous)
	}

	if ids := candidateIDs(got.Candidates); !slices.Equal(ids, []string{"bona", "jimin"}) {
		t.Errorf("Candidates = %v, want [bona jimin]", ids)
	}
}

func TestDecide_KeepsInputUnchanged(t *testing.T) {
	cands := []gallery.Candidate{
		{ID: "jimin", Distance: 0.42}, {ID: "bona", Distance: 0.40}, {ID: "bona", Distance: 0.45},
	}
	before := slices.Clone(cands)

	Decide(cands, DefaultThresholds())

	if !slices.Equal(cands, before) {
		t.Errorf("Decide changed its input to %v, was %v", cands, before)
	}
}

func TestDecide_BestIsCopy(t *testing.T) {
	cands := []gallery.Candidate{{ID: "bona", Distance: 0.30}}

	got := Decide(cands, DefaultThresholds())
	got.Best.ID = "changed"

	if cands[0].ID != "bona" || got.Candidates[0].ID != "bona" {
		t.Errorf("changing Best changed the input %v or Candidates %v", cands, got.Candidates)
	}
}

func TestDecide_ZeroMarginMatchesTies(t *testing.T) {
	cands := []gallery.Candidate{{ID: "bona", Distance: 0.40}, {ID: "jimin", Distance: 0.40}}
	thresholds := Thresholds{Match: 0.45, Candidate: 0.55, Margin: 0}

	got := Decide(cands, thresholds)

	if got.Outcome != OutcomeMatch {
		t.Errorf("Outcome = %s with margin 0, want %s", got.Outcome, OutcomeMatch)
	}
}

// candidateIDs returns the ids of cands in order, or nil for none.
func candidateIDs(cands []gallery.Candidate) []string {
	var ids []string
	for _, c := range cands {
		ids = append(ids, c.ID)
	}

	return ids
}
