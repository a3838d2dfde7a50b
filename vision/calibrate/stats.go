package calibrate

import (
	"math"
	"sort"
)

// countAtOrBelow returns how many values of sorted are at most t.
func countAtOrBelow(sorted []float32, t float32) int {
	return sort.Search(len(sorted), func(i int) bool { return sorted[i] > t })
}

// rateAtOrBelow returns the share of sorted that is at most t, or 0 for no values.
func rateAtOrBelow(sorted []float32, t float32) float64 {
	if len(sorted) == 0 {
		return 0
	}

	return float64(countAtOrBelow(sorted, t)) / float64(len(sorted))
}

// quantile returns the nearest-rank q-quantile of sorted, which must not be empty: the
// smallest value with at least a share q of the values at or below it.
func quantile(sorted []float32, q float64) float32 {
	rank := int(math.Ceil(q * float64(len(sorted))))

	return sorted[min(max(rank-1, 0), len(sorted)-1)]
}

// auc returns the area under the ROC curve: the probability that a random genuine pair is
// closer than a random impostor pair, with ties counted as one half.
func auc(genuine, impostor []float32) float64 {
	sum := 0.0
	below, atOrBelow := 0, 0

	for _, g := range genuine {
		for below < len(impostor) && impostor[below] < g {
			below++
		}

		atOrBelow = max(atOrBelow, below)
		for atOrBelow < len(impostor) && impostor[atOrBelow] <= g {
			atOrBelow++
		}

		ties := atOrBelow - below
		farther := len(impostor) - atOrBelow
		sum += float64(farther) + 0.5*float64(ties)
	}

	return sum / (float64(len(genuine)) * float64(len(impostor)))
}

// eer returns the equal error rate and its threshold. A threshold t accepts the pairs at
// distance t or less, so its false non-match rate is the share of genuine pairs above t
// and its false-match rate the share of impostor pairs at or below t. Among the observed
// distances, the threshold where the two rates are closest is chosen (the smallest one on
// a tie), and the equal error rate is the mean of its two rates.
func eer(genuine, impostor []float32) (rate float64, threshold float32) {
	candidates := make([]float32, 0, len(genuine)+len(impostor))
	candidates = append(candidates, genuine...)
	candidates = append(candidates, impostor...)

	bestGap := math.Inf(1)

	for _, t := range candidates {
		fnmr := 1 - rateAtOrBelow(genuine, t)
		fmr := rateAtOrBelow(impostor, t)
		gap := math.Abs(fnmr - fmr)

		if gap < bestGap || (gap == bestGap && t < threshold) {
			bestGap = gap
			rate = (fnmr + fmr) / 2
			threshold = t
		}
	}

	return rate, threshold
}
