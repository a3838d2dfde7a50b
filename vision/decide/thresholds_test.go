package decide

import (
	"errors"
	"math"
	"testing"
)

func TestThresholds_Validate(t *testing.T) {
	nan := float32(math.NaN())

	tests := []struct {
		name      string
		threshold Thresholds
		wantErr   bool
	}{
		{name: "default", threshold: DefaultThresholds()},
		{name: "match equals candidate", threshold: Thresholds{Match: 0.5, Candidate: 0.5}},
		{name: "zero match", threshold: Thresholds{Match: 0, Candidate: 0.55}, wantErr: true},
		{name: "negative match", threshold: Thresholds{Match: -0.1, Candidate: 0.55},
			wantErr: true},
		{name: "candidate below match", threshold: Thresholds{Match: 0.5, Candidate: 0.4},
			wantErr: true},
		{name: "negative margin",
			threshold: Thresholds{Match: 0.42, Candidate: 0.55, Margin: -0.01}, wantErr: true},
		{name: "nan match", threshold: Thresholds{Match: nan, Candidate: 0.55}, wantErr: true},
		{name: "nan candidate", threshold: Thresholds{Match: 0.42, Candidate: nan},
			wantErr: true},
		{name: "nan margin", threshold: Thresholds{Match: 0.42, Candidate: 0.55, Margin: nan},
			wantErr: true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.threshold.Validate()

			if tt.wantErr && !errors.Is(err, ErrInvalidThresholds) {
				t.Errorf("Validate = %v, want ErrInvalidThresholds", err)
			}

			if !tt.wantErr && err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

func TestDefaultThresholds_Ordered(t *testing.T) {
	d := DefaultThresholds()

	if d.Match >= d.Candidate {
		t.Errorf("Match %v is not below Candidate %v", d.Match, d.Candidate)
	}

	// The default margin must keep a wrong-name pair like 0.40 against 0.42 from
	// matching automatically, whatever the match threshold.
	if d.Margin <= 0.42-0.40 {
		t.Errorf("Margin %v would auto-match 0.40 against a runner-up at 0.42", d.Margin)
	}
}
