package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"text/tabwriter"
)

// reportQuantiles are the quantiles of each distance distribution that the report lists.
var reportQuantiles = []struct {
	name string
	q    float64
}{
	{"min", 0}, {"p5", 0.05}, {"p25", 0.25}, {"median", 0.5},
	{"p75", 0.75}, {"p95", 0.95}, {"max", 1},
}

// WriteText writes the report as human-readable text: counts, quantiles of both distance
// distributions, AUC, EER, the false-match rate at 90% of genuine pairs accepted, the
// leave-one-out results, the recommended thresholds and the warnings.
func (r Report) WriteText(w io.Writer) error {
	var b bytes.Buffer

	fmt.Fprintf(&b, "samples: %d labelled of %d persons, %d unlabelled left out, "+
		"dimension %d\n", r.Samples, r.Persons, r.Unlabelled, r.Dim)
	fmt.Fprintf(&b, "pairs: %d genuine, %d impostor (pairs within one file left out)\n\n",
		len(r.Genuine), len(r.Impostor))

	writeQuantiles(&b, r)

	fmt.Fprintf(&b, "\nAUC: %.3f\n", r.AUC)
	fmt.Fprintf(&b, "EER: %.1f%% at distance %.3f\n", 100*r.EER, r.EERThreshold)
	fmt.Fprintf(&b, "false-match rate at 90%% of genuine pairs accepted (distance %.3f): "+
		"%.1f%%\n", r.Accept90Threshold, 100*r.Accept90FMR)
	fmt.Fprintf(&b, "leave-one-out rank-1 identification: %d of %d probes (%s)\n\n",
		r.Rank1Correct, r.Rank1Probes, percent(r.Rank1Correct, r.Rank1Probes))

	writeRecommended(&b, r)
	writeEvaluation(&b, "recommended", r.AtRecommended)
	writeEvaluation(&b, "default", r.AtDefault)

	if len(r.Warnings) > 0 {
		fmt.Fprintf(&b, "\nwarnings:\n")
		for _, warning := range r.Warnings {
			fmt.Fprintf(&b, "  - %s\n", warning)
		}
	}

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write calibration report: %w", err)
	}

	return nil
}

// writeQuantiles writes a table of the quantiles of both distance distributions.
func writeQuantiles(b *bytes.Buffer, r Report) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)

	fmt.Fprint(tw, "distance\t")
	for _, q := range reportQuantiles {
		fmt.Fprintf(tw, "%s\t", q.name)
	}
	fmt.Fprintln(tw)

	for _, row := range []struct {
		name   string
		sorted []float32
	}{{"genuine", r.Genuine}, {"impostor", r.Impostor}} {
		fmt.Fprintf(tw, "%s\t", row.name)
		for _, q := range reportQuantiles {
			fmt.Fprintf(tw, "%.3f\t", quantile(row.sorted, q.q))
		}
		fmt.Fprintln(tw)
	}

	tw.Flush()
}

// writeRecommended writes the recommended thresholds and where each comes from.
func writeRecommended(b *bytes.Buffer, r Report) {
	t := r.Recommended
	genuine95 := quantile(r.Genuine, candidateQuantile)

	fmt.Fprintf(b, "recommended thresholds:\n")
	fmt.Fprintf(b, "  match      %.2f  below the impostor pair at %.3f; accepts %.1f%% of "+
		"genuine pairs\n", t.Match, r.MatchLimit, 100*rateAtOrBelow(r.Genuine, t.Match))
	fmt.Fprintf(b, "  candidate  %.2f  larger of the EER threshold %.3f and the genuine p95 "+
		"%.3f, at least match\n", t.Candidate, r.EERThreshold, genuine95)
	fmt.Fprintf(b, "  margin     %.2f  above the largest wrong lead %.3f (minimum %.2f)\n",
		t.Margin, r.WrongLead, minMargin)
}

// writeEvaluation writes the leave-one-out decisions with one set of thresholds.
func writeEvaluation(b *bytes.Buffer, name string, e Evaluation) {
	t := e.Thresholds

	fmt.Fprintf(b, "\nleave-one-out with %s thresholds (match %.2f, candidate %.2f, "+
		"margin %.2f):\n", name, t.Match, t.Candidate, t.Margin)
	fmt.Fprintf(b, "  known persons: %d right match, %d WRONG match, %d ambiguous, "+
		"%d unknown\n", e.Known.Correct, e.Known.Wrong, e.Known.Ambiguous, e.Known.Unknown)
	fmt.Fprintf(b, "  strangers:     %d WRONG match, %d ambiguous, %d unknown\n",
		e.Strangers.Wrong, e.Strangers.Ambiguous, e.Strangers.Unknown)
}

// percent formats part/total as a percentage, or "n/a" when total is 0.
func percent(part, total int) string {
	if total == 0 {
		return "n/a"
	}

	return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(total))
}
