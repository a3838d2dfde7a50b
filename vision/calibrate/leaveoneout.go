package calibrate

import (
	"cmp"
	"slices"

	"github.com/omotenashi/omotenashi/vision/decide"
	"github.com/omotenashi/omotenashi/vision/gallery"
)

// probe is one labelled sample searched, as a face seen by a camera would be, against a
// gallery of all the other samples except those from its own file.
type probe struct {
	person string

	// known reports whether the gallery holds the probe's person.
	known bool

	// cands holds every person of the gallery with her closest distance, closest first.
	cands []gallery.Candidate
}

// Outcomes counts the leave-one-out decisions for a group of probes.
type Outcomes struct {
	// Correct counts automatic matches to the probe's own person.
	Correct int

	// Wrong counts automatic matches to another person: the failure to avoid.
	Wrong int

	// Ambiguous counts faces shown to staff for confirmation.
	Ambiguous int

	// Unknown counts faces left unrecognized.
	Unknown int
}

// Total returns the number of probes counted.
func (o Outcomes) Total() int {
	return o.Correct + o.Wrong + o.Ambiguous + o.Unknown
}

// Evaluation is the result of deciding every leave-one-out probe with one set of thresholds.
type Evaluation struct {
	Thresholds decide.Thresholds

	// Known counts the probes whose person has samples in other files.
	Known Outcomes

	// Strangers counts the probes whose person has no sample in another file, so that
	// any automatic match of them is wrong.
	Strangers Outcomes
}

// leaveOneOut returns a probe for each sample.
func leaveOneOut(samples []Sample, m distanceMatrix) []probe {
	probes := make([]probe, len(samples))

	for i, s := range samples {
		best := map[string]float32{}

		for j, other := range samples {
			if !comparable(samples, i, j) {
				continue
			}

			if d, ok := best[other.Person]; !ok || m.at(i, j) < d {
				best[other.Person] = m.at(i, j)
			}
		}

		p := probe{person: s.Person}
		_, p.known = best[s.Person]

		for person, d := range best {
			p.cands = append(p.cands, gallery.Candidate{ID: person, Distance: d})
		}

		slices.SortFunc(p.cands, func(a, b gallery.Candidate) int {
			return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
		})

		probes[i] = p
	}

	return probes
}

// rank1 returns how many known probes have their own person closest, and how many known
// probes there are.
func rank1(probes []probe) (correct, known int) {
	for _, p := range probes {
		if !p.known {
			continue
		}

		known++

		if p.cands[0].ID == p.person {
			correct++
		}
	}

	return correct, known
}

// evaluate decides every probe with thresholds t.
func evaluate(probes []probe, t decide.Thresholds) Evaluation {
	e := Evaluation{Thresholds: t}

	for _, p := range probes {
		outcomes := &e.Strangers
		if p.known {
			outcomes = &e.Known
		}

		d := decide.Decide(p.cands, t)

		switch {
		case d.Outcome == decide.OutcomeMatch && d.Best.ID == p.person:
			outcomes.Correct++
		case d.Outcome == decide.OutcomeMatch:
			outcomes.Wrong++
		case d.Outcome == decide.OutcomeAmbiguous:
			outcomes.Ambiguous++
		default:
			outcomes.Unknown++
		}
	}

	return e
}
