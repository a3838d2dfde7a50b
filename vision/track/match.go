package track

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// candidate is a possible continuation of a track by a detection.
type candidate struct {
	track, det int
	byOverlap  bool    // matched by IoU; otherwise by centre distance
	score      float64 // IoU, or minus the centre distance in box sizes; higher is better
}

// assign matches the detections of a frame to live tracks greedily: overlap matches first,
// by descending IoU, then centre-distance matches, by ascending distance. It returns a map
// from track index to detection index, and the indices of unmatched detections.
func assign(tracks []*track, dets []Detection, cfg Config) (map[int]int, []int) {
	candidates := candidates(tracks, dets, cfg)
	slices.SortFunc(candidates, compareCandidates)

	matches := make(map[int]int, len(tracks))
	used := make([]bool, len(dets))
	for _, c := range candidates {
		if _, assigned := matches[c.track]; assigned || used[c.det] {
			continue
		}
		matches[c.track] = c.det
		used[c.det] = true
	}

	var unmatched []int
	for j, u := range used {
		if !u {
			unmatched = append(unmatched, j)
		}
	}

	return matches, unmatched
}

// candidates returns every track and detection pair close enough to match.
func candidates(tracks []*track, dets []Detection, cfg Config) []candidate {
	var out []candidate
	for i, tr := range tracks {
		predicted := tr.predicted()
		for j, det := range dets {
			if cfg.Same != nil && !cfg.Same(tr.last, det) {
				continue
			}
			if iou := IoU(predicted, det.Box); iou >= cfg.MinIoU {
				out = append(out, candidate{track: i, det: j, byOverlap: true, score: iou})
				continue
			}

			if cfg.MaxCentreShift < 0 || !similarSize(predicted, det.Box) {
				continue
			}
			if shift := centreShift(predicted, det.Box); shift <= cfg.MaxCentreShift {
				out = append(out, candidate{track: i, det: j, score: -shift})
			}
		}
	}

	return out
}

// compareCandidates orders overlap matches before distance matches, better scores first,
// and breaks ties by index so that the result does not depend on sort stability.
func compareCandidates(a, b candidate) int {
	if a.byOverlap != b.byOverlap {
		if a.byOverlap {
			return -1
		}
		return 1
	}

	return cmp.Or(
		cmp.Compare(b.score, a.score),
		cmp.Compare(a.track, b.track),
		cmp.Compare(a.det, b.det),
	)
}

// IoU returns the intersection over union of two boxes, from 0 (disjoint) to 1 (equal).
func IoU(a, b image.Rectangle) float64 {
	inter := area(a.Intersect(b))
	if inter == 0 {
		return 0
	}

	return float64(inter) / float64(area(a)+area(b)-inter)
}

// centreShift returns the distance between the centres of a and b, in units of a's size,
// the mean of its width and height.
func centreShift(a, b image.Rectangle) float64 {
	size := float64(a.Dx()+a.Dy()) / 2
	if size <= 0 {
		return math.Inf(1)
	}

	d := centre(b).Sub(centre(a))

	return math.Hypot(float64(d.X), float64(d.Y)) / size
}

// similarSize reports whether the areas of a and b are within a factor of 2.
func similarSize(a, b image.Rectangle) bool {
	areaA, areaB := area(a), area(b)

	return areaA > 0 && areaB > 0 && areaA <= 2*areaB && areaB <= 2*areaA
}

func centre(r image.Rectangle) image.Point {
	return image.Pt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

func area(r image.Rectangle) int {
	if r.Empty() {
		return 0
	}

	return r.Dx() * r.Dy()
}
