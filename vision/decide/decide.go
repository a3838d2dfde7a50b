// Package decide turns the clients found by a gallery search into one of three outcomes:
// an automatic match, an ambiguous face for staff to confirm, or an unknown face.
//
// Greeting a client by the wrong name is the worst failure of the product, and on East
// Asian faces dlib's distances between different people are often as small as between
// two photos of one person. So a match needs both a small distance and a clear lead over
// the runner-up client.
package decide

import (
	"cmp"
	"slices"

	"github.com/omotenashi/omotenashi/vision/gallery"
)

// MaxCandidates is the maximum number of clients a Decision lists for staff.
const MaxCandidates = 3

// Outcome is the result of a decision.
type Outcome string

const (
	// OutcomeMatch means the face is the best client's, and she may be greeted by name.
	OutcomeMatch Outcome = "match"

	// OutcomeAmbiguous means the face may be one of the candidates, and staff must confirm.
	OutcomeAmbiguous Outcome = "ambiguous"

	// OutcomeUnknown means the face is no enrolled client's.
	OutcomeUnknown Outcome = "unknown"
)

// Decision is the outcome for one face and the clients behind it.
type Decision struct {
	Outcome Outcome

	// Best is the closest client for a match or an ambiguous face, and nil for an unknown
	// one. Only OutcomeMatch means that Best is identified.
	Best *gallery.Candidate

	// Candidates lists the clients within Thresholds.Candidate, closest first, at most
	// MaxCandidates of them. It is empty for an unknown face.
	Candidates []gallery.Candidate
}

// Decide returns the decision for the clients found for one face, normally the result of
// Gallery.Search with k of at least MaxCandidates. The input need not be sorted, and a
// client listed twice counts with her smaller distance; cands is not modified.
//
// The face is unknown when there are no candidates or the best distance is above
// t.Candidate. It is a match when the best distance is at most t.Match and the runner-up
// client, if any, is at least t.Margin farther. Otherwise it is ambiguous.
func Decide(cands []gallery.Candidate, t Thresholds) Decision {
	clients := bestPerClient(cands)
	if len(clients) == 0 || clients[0].Distance > t.Candidate {
		return Decision{Outcome: OutcomeUnknown}
	}

	best := clients[0]
	decision := Decision{
		Outcome:    OutcomeAmbiguous,
		Best:       &best,
		Candidates: withinDistance(clients, t.Candidate),
	}

	clearLead := len(clients) == 1 || clients[1].Distance-best.Distance >= t.Margin
	if best.Distance <= t.Match && clearLead {
		decision.Outcome = OutcomeMatch
	}

	return decision
}

// bestPerClient returns a copy of cands sorted by distance, with one entry per client.
func bestPerClient(cands []gallery.Candidate) []gallery.Candidate {
	sorted := slices.Clone(cands)
	slices.SortStableFunc(sorted, func(a, b gallery.Candidate) int {
		return cmp.Compare(a.Distance, b.Distance)
	})

	seen := make(map[string]bool, len(sorted))

	return slices.DeleteFunc(sorted, func(c gallery.Candidate) bool {
		duplicate := seen[c.ID]
		seen[c.ID] = true

		return duplicate
	})
}

// withinDistance returns the first clients of sorted, at most MaxCandidates, whose
// distance is at most limit.
func withinDistance(sorted []gallery.Candidate, limit float32) []gallery.Candidate {
	n := 0
	for n < len(sorted) && n < MaxCandidates && sorted[n].Distance <= limit {
		n++
	}

	return slices.Clone(sorted[:n])
}
