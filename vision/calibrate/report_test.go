package calibrate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestWriteText_SeparatedClusters(t *testing.T) {
	r := mustCalibrate(t, clusters(1, 10, 4, 128, 0.01))

	var out bytes.Buffer
	if err := r.WriteText(&out); err != nil {
		t.Fatalf("WriteText: %v", err)
	}

	text := out.String()
	wantLines := []string{
		"samples: 40 labelled of 10 persons, 0 unlabelled left out, dimension 128",
		"pairs: 60 genuine, 720 impostor",
		"AUC: 1.000",
		"EER: 0.0% at distance",
		"leave-one-out rank-1 identification: 40 of 40 probes (100.0%)",
		fmt.Sprintf("  match      %.2f", r.Recommended.Match),
		fmt.Sprintf("  candidate  %.2f", r.Recommended.Candidate),
		"  margin     0.02",
		"  known persons: 40 right match, 0 WRONG match",
	}

	for _, want := range wantLines {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}

	if strings.Contains(text, "warnings:") {
		t.Errorf("report of separated clusters has warnings:\n%s", text)
	}

	if quantiles := fmt.Sprintf("%.3f", r.Genuine[len(r.Genuine)/2]); !strings.Contains(
		text, quantiles) {
		t.Errorf("report lacks the genuine median %s:\n%s", quantiles, text)
	}
}

func TestWriteText_Warnings(t *testing.T) {
	r := mustCalibrate(t, clusters(2, 12, 4, 16, 0.4))

	var out bytes.Buffer
	if err := r.WriteText(&out); err != nil {
		t.Fatalf("WriteText: %v", err)
	}

	text := out.String()
	if !strings.Contains(text, "warnings:\n  - genuine and impostor distances overlap") {
		t.Errorf("report lacks the overlap warning:\n%s", text)
	}
}

// failingWriter returns an error on every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) {
	return 0, errors.New("disk full")
}

func TestWriteText_WriteError(t *testing.T) {
	r := mustCalibrate(t, clusters(1, 3, 2, 8, 0.01))

	if err := r.WriteText(failingWriter{}); err == nil {
		t.Error("WriteText to a failing writer returned nil")
	}
}
