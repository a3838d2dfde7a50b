package calibrate

import (
	"testing"

	"github.com/omotenashi/omotenashi/vision/gallery"
)

func TestSteps_RoundTowardStrict(t *testing.T) {
	tests := []struct {
		name string
		step func(float32) float32
		x    float32
		want float32
	}{
		{name: "below between steps", step: stepBelow, x: 0.3217, want: 0.32},
		{name: "below on a step", step: stepBelow, x: 0.32, want: 0.31},
		{name: "below smallest step", step: stepBelow, x: 0.005, want: 0},
		{name: "above between steps", step: stepAbove, x: 0.034, want: 0.04},
		{name: "above on a step", step: stepAbove, x: 0.05, want: 0.06},
		{name: "at or above on a step", step: stepAtOrAbove, x: 0.55, want: 0.55},
		{name: "at or above between steps", step: stepAtOrAbove, x: 0.551, want: 0.56},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.step(tt.x); got != tt.want {
				t.Errorf("step(%v) = %v, want %v", tt.x, got, tt.want)
			}
		})
	}
}

// candidate returns a gallery candidate.
func candidate(id string, distance float32) gallery.Candidate {
	return gallery.Candidate{ID: id, Distance: distance}
}

func TestRecommend_MarginBlocksWrongLead(t *testing.T) {
	// The first two probes are closest to the wrong person: at 0.30 with a lead of 0.034
	// over the runner-up, and at 0.28 with a lead of 0.025. The third probe is right.
	probes := []probe{
		{person: "ana", known: true, cands: []gallery.Candidate{
			candidate("binh", 0.30), candidate("ana", 0.334),
		}},
		{person: "chi", known: true, cands: []gallery.Candidate{
			candidate("dung", 0.28), candidate("chi", 0.305),
		}},
		{person: "ana", known: true, cands: []gallery.Candidate{
			candidate("ana", 0.20), candidate("binh", 0.50),
		}},
	}
	genuine := []float32{0.20, 0.305, 0.334}
	impostor := make([]float32, 2000)
	for i := range impostor {
		impostor[i] = 0.28 + float32(i)*0.0005
	}

	r := recommend(genuine, impostor, 0.33, probes)

	// 0.1% of 2,000 impostor pairs lets two fall below the match threshold.
	if r.matchLimit != impostor[2] {
		t.Errorf("match limit = %v, want %v", r.matchLimit, impostor[2])
	}

	if r.thresholds.Match != 0.28 {
		t.Errorf("Match = %v, want 0.28", r.thresholds.Match)
	}

	// Only the lead at 0.28 is within the match threshold.
	if want := float32(0.305) - float32(0.28); r.wrongLead != want {
		t.Errorf("wrong lead = %v, want %v", r.wrongLead, want)
	}

	if r.thresholds.Margin != 0.03 {
		t.Errorf("Margin = %v, want 0.03", r.thresholds.Margin)
	}

	if e := evaluate(probes, r.thresholds); e.Known.Wrong != 0 || e.Known.Correct != 1 {
		t.Errorf("with recommended %+v: %+v, want no wrong and one right match",
			r.thresholds, e.Known)
	}

	loose := r.thresholds
	loose.Margin = 0.02
	if e := evaluate(probes, loose); e.Known.Wrong != 1 {
		t.Errorf("with margin 0.02: %d wrong matches, want 1", e.Known.Wrong)
	}
}

func TestWrongLead_WiderMatch(t *testing.T) {
	probes := []probe{
		{person: "ana", cands: []gallery.Candidate{
			candidate("binh", 0.30), candidate("ana", 0.334),
		}},
		{person: "chi", cands: []gallery.Candidate{
			candidate("dung", 0.28), candidate("chi", 0.305),
		}},
	}

	lead, unblockable := wrongLead(probes, 0.31)

	if want := float32(0.334) - float32(0.30); lead != want {
		t.Errorf("lead = %v, want %v", lead, want)
	}

	if unblockable != 0 {
		t.Errorf("unblockable = %d, want 0", unblockable)
	}
}

func TestWrongLead_CountsUnblockable(t *testing.T) {
	probes := []probe{
		{person: "ana", cands: []gallery.Candidate{candidate("binh", 0.25)}},
		{person: "chi", cands: []gallery.Candidate{candidate("binh", 0.45)}},
		{person: "dung"},
	}

	lead, unblockable := wrongLead(probes, 0.30)

	if lead != 0 {
		t.Errorf("lead = %v, want 0", lead)
	}

	if unblockable != 1 {
		t.Errorf("unblockable = %d, want 1", unblockable)
	}
}
