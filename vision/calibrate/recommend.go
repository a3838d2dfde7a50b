package calibrate

import (
	"math"

	"github.com/omotenashi/omotenashi/vision/decide"
)

// The rule for the recommended thresholds, applied by recommend.
const (
	// impostorAllowance is the largest share of impostor pairs that the match threshold
	// may accept. With fewer than 1,000 impostor pairs, it allows none.
	impostorAllowance = 0.001

	// candidateQuantile is the share of genuine pairs that the candidate threshold
	// accepts at least.
	candidateQuantile = 0.95

	// minMargin is the smallest recommended margin. It keeps near ties from matching
	// when the calibration set shows no wrong lead. It is a judgment, not a measurement.
	minMargin = 0.02

	// gridSteps is the number of threshold steps per unit of distance. Thresholds are
	// rounded to 0.01, each in the direction that makes it stricter.
	gridSteps = 100
)

// recommendation is the recommended thresholds and the figures they come from.
type recommendation struct {
	thresholds decide.Thresholds

	// matchLimit is the impostor distance that the match threshold stays below.
	matchLimit float32

	// wrongLead is the largest lead of a wrong person over the runner-up among
	// leave-one-out probes that the match threshold would accept, or 0 for none.
	wrongLead float32

	// unblockable counts leave-one-out probes whose wrong best person is within the
	// match threshold with no runner-up, so no margin can stop the match.
	unblockable int
}

// recommend returns the thresholds chosen by the rule described at Calibrate, with the
// figures they come from.
func recommend(genuine, impostor []float32, eerThreshold float32, probes []probe) recommendation {
	var r recommendation

	allowed := int(impostorAllowance * float64(len(impostor)))
	r.matchLimit = impostor[allowed]
	match := stepBelow(r.matchLimit)

	candidate := stepAtOrAbove(max(eerThreshold, quantile(genuine, candidateQuantile)))
	candidate = max(candidate, match)

	margin := float32(minMargin)
	r.wrongLead, r.unblockable = wrongLead(probes, match)
	if r.wrongLead > 0 {
		margin = max(margin, stepAbove(r.wrongLead))
	}

	r.thresholds = decide.Thresholds{Match: match, Candidate: candidate, Margin: margin}

	return r
}

// wrongLead returns the largest gap between the best and the runner-up person among
// probes whose best person is wrong and within match, and how many such probes have no
// runner-up. The gap is computed in float32, as decide.Decide computes it.
func wrongLead(probes []probe, match float32) (lead float32, unblockable int) {
	for _, p := range probes {
		if len(p.cands) == 0 {
			continue
		}

		best := p.cands[0]
		if best.ID == p.person || best.Distance > match {
			continue
		}

		if len(p.cands) < 2 {
			unblockable++
			continue
		}

		lead = max(lead, p.cands[1].Distance-best.Distance)
	}

	return lead, unblockable
}

// step returns the threshold of n steps, as float32 like the thresholds themselves.
func step(n float64) float32 {
	return float32(n / gridSteps)
}

// nearestStep returns the number of the step nearest to x. The callers compare the steps
// with x in float32, because 0.55 as a float32 is slightly above 55 steps in float64.
func nearestStep(x float32) float64 {
	return math.Round(float64(x) * gridSteps)
}

// stepBelow returns the largest 0.01 step strictly below x, or 0 when there is none.
func stepBelow(x float32) float32 {
	n := nearestStep(x)
	for n > 0 && step(n) >= x {
		n--
	}

	return step(n)
}

// stepAbove returns the smallest 0.01 step strictly above x.
func stepAbove(x float32) float32 {
	n := nearestStep(x)
	for step(n) <= x {
		n++
	}

	return step(n)
}

// stepAtOrAbove returns the smallest 0.01 step at or above x.
func stepAtOrAbove(x float32) float32 {
	n := nearestStep(x)
	for step(n) < x {
		n++
	}

	return step(n)
}
