// Package calibrate measures how well face descriptors separate labelled people, and
// recommends the thresholds of package decide from the measurements.
//
// Every two labelled descriptors from different photos form a pair: genuine when both
// show one person, impostor otherwise. The package reports both distance distributions,
// their AUC and equal error rate, and a leave-one-out identification test in which each
// descriptor is searched against all the others, as a camera's face would be.
package calibrate

import (
	"github.com/omotenashi/omotenashi/vision/decide"
)

// genuineAccepted is the share of genuine pairs at which the report gives the
// false-match rate.
const genuineAccepted = 0.9

// Sample is one face descriptor with the photo it comes from and the person on it. A
// person of "" or Unlabelled leaves the sample out of the calibration.
type Sample struct {
	File   string
	Person string
	Vector []float32
}

// Report is the result of a calibration.
type Report struct {
	// Samples is the number of labelled samples compared, and Unlabelled the number
	// left out because they name no person.
	Samples, Unlabelled int

	// Persons is the number of different persons among the labelled samples.
	Persons int

	// Dim is the number of values in each descriptor.
	Dim int

	// Genuine and Impostor hold the sorted Euclidean distances of all genuine pairs
	// (one person) and impostor pairs (two persons). Pairs from one file are left out.
	Genuine, Impostor []float32

	// AUC is the probability that a random genuine pair is closer than a random
	// impostor pair, with ties counted as one half.
	AUC float64

	// EER is the equal error rate, where false matches and false non-matches are as
	// frequent, and EERThreshold the distance at which it is reached.
	EER          float64
	EERThreshold float32

	// Accept90Threshold is the smallest distance that accepts 90% of genuine pairs, and
	// Accept90FMR the share of impostor pairs it accepts too.
	Accept90Threshold float32
	Accept90FMR       float64

	// Rank1Correct counts the leave-one-out probes of known persons whose closest person
	// is their own, out of Rank1Probes.
	Rank1Correct, Rank1Probes int

	// Recommended holds the thresholds chosen by the rule described at Calibrate.
	Recommended decide.Thresholds

	// MatchLimit is the impostor distance that Recommended.Match stays below.
	MatchLimit float32

	// WrongLead is the largest lead of a wrong person over the runner-up among
	// leave-one-out probes within Recommended.Match, which Recommended.Margin exceeds.
	WrongLead float32

	// Unblockable counts leave-one-out probes matched to a wrong person who has no
	// runner-up, so that no margin can stop the match.
	Unblockable int

	// AtRecommended and AtDefault are the leave-one-out decisions with the recommended
	// thresholds and with the defaults Calibrate was given (decide.DefaultThresholds for
	// Calibrate, the engine's own for CalibrateWith).
	AtRecommended, AtDefault Evaluation

	// Warnings lists the reasons not to trust automatic matching, or the thresholds.
	Warnings []string
}

// Calibrate compares every two labelled samples and returns the report. It returns
// ErrNoGenuinePairs or ErrNoImpostorPairs when either kind of pair is missing, and an
// error wrapping ErrInvalidSample for an empty, non-finite or mis-sized descriptor.
//
// The recommended thresholds follow this rule:
//   - Match is the largest 0.01 step strictly below the impostor distance that leaves at
//     most 0.1% of impostor pairs under it (none with fewer than 1,000 pairs), so that on
//     the data automatic matching never picks a stranger;
//   - Candidate is the EER threshold or the 95th percentile of genuine distances,
//     whichever is larger, rounded up to 0.01 and at least Match;
//   - Margin is the smallest 0.01 step above every lead that a wrong person has over the
//     runner-up among leave-one-out probes within Match, and at least 0.02, so that no
//     leave-one-out probe is matched automatically to the wrong person.
func Calibrate(samples []Sample) (Report, error) {
	return CalibrateWith(samples, decide.DefaultThresholds())
}

// CalibrateWith is Calibrate for an engine whose default thresholds are defaults, so the
// report compares the recommendation with the thresholds that engine really runs with.
func CalibrateWith(samples []Sample, defaults decide.Thresholds) (Report, error) {
	labelled, err := labelledSamples(samples)
	if err != nil {
		return Report{}, err
	}

	m := distances(labelled)
	genuine, impostor := splitPairs(labelled, m)

	if len(genuine) == 0 {
		return Report{}, ErrNoGenuinePairs
	}

	if len(impostor) == 0 {
		return Report{}, ErrNoImpostorPairs
	}

	r := Report{
		Samples:    len(labelled),
		Unlabelled: len(samples) - len(labelled),
		Persons:    countPersons(labelled),
		Dim:        len(labelled[0].Vector),
		Genuine:    genuine,
		Impostor:   impostor,
		AUC:        auc(genuine, impostor),
	}

	r.EER, r.EERThreshold = eer(genuine, impostor)
	r.Accept90Threshold = quantile(genuine, genuineAccepted)
	r.Accept90FMR = rateAtOrBelow(impostor, r.Accept90Threshold)

	probes := leaveOneOut(labelled, m)
	r.Rank1Correct, r.Rank1Probes = rank1(probes)

	rec := recommend(genuine, impostor, r.EERThreshold, probes)
	r.Recommended = rec.thresholds
	r.MatchLimit = rec.matchLimit
	r.WrongLead = rec.wrongLead
	r.Unblockable = rec.unblockable

	r.AtRecommended = evaluate(probes, r.Recommended)
	r.AtDefault = evaluate(probes, defaults)
	r.Warnings = warnings(r)

	return r, nil
}

// countPersons returns the number of different persons among samples.
func countPersons(samples []Sample) int {
	persons := map[string]bool{}
	for _, s := range samples {
		persons[s.Person] = true
	}

	return len(persons)
}
