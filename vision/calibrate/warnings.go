package calibrate

import "fmt"

// Limits beyond which the report warns. They are judgments, not measurements.
const (
	// maxSafeEER is the largest equal error rate at which automatic matching is
	// considered safe: above it, the two distributions overlap too much.
	maxSafeEER = 0.05

	// minMatchRecall is the smallest share of genuine pairs that the match threshold
	// should accept for automatic matching to be worth having.
	minMatchRecall = 0.2

	// minGenuinePairs and minImpostorPairs are the numbers of pairs below which the
	// thresholds rest on too few photos.
	minGenuinePairs  = 30
	minImpostorPairs = 300
)

// warnings returns the reasons not to trust automatic matching, or the thresholds, of r.
func warnings(r Report) []string {
	var out []string

	if r.EER > maxSafeEER {
		out = append(out, fmt.Sprintf("genuine and impostor distances overlap "+
			"(EER %.1f%%, AUC %.3f): automatic matching is unsafe with these descriptors, "+
			"so leave every face to staff or use a better engine", 100*r.EER, r.AUC))
	}

	if r.Recommended.Match <= 0 {
		out = append(out, fmt.Sprintf("an impostor pair is at distance %.3f: no match "+
			"threshold avoids strangers, so automatic matching must stay off", r.MatchLimit))
	} else if recall := rateAtOrBelow(r.Genuine, r.Recommended.Match); recall < minMatchRecall {
		out = append(out, fmt.Sprintf("the match threshold %.2f accepts only %.1f%% of "+
			"genuine pairs: most returning clients will need staff to confirm them",
			r.Recommended.Match, 100*recall))
	}

	if len(r.Genuine) < minGenuinePairs || len(r.Impostor) < minImpostorPairs {
		out = append(out, fmt.Sprintf("only %d genuine and %d impostor pairs: the "+
			"thresholds are rough, so label more photos (at least %d genuine and %d "+
			"impostor pairs)", len(r.Genuine), len(r.Impostor), minGenuinePairs,
			minImpostorPairs))
	}

	if r.Unblockable > 0 {
		out = append(out, fmt.Sprintf("%d leave-one-out probes match a wrong person who "+
			"has no runner-up, which no margin can stop", r.Unblockable))
	}

	if wrong := r.AtRecommended.Known.Wrong + r.AtRecommended.Strangers.Wrong; wrong > 0 {
		out = append(out, fmt.Sprintf("%d leave-one-out probes still match the wrong "+
			"person with the recommended thresholds", wrong))
	}

	return out
}
