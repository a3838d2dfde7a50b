package calibrate

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrNoGenuinePairs is returned when no person has descriptors from two different files.
var ErrNoGenuinePairs = errors.New("no genuine pairs: no person has faces in two files")

// ErrNoImpostorPairs is returned when the labelled descriptors name fewer than two persons.
var ErrNoImpostorPairs = errors.New("no impostor pairs: fewer than two persons labelled")

// ErrInvalidSample is returned for a sample whose descriptor cannot be compared.
var ErrInvalidSample = errors.New("invalid sample")

// distanceMatrix holds the Euclidean distance between every two samples.
type distanceMatrix struct {
	n     int
	cells []float32
}

// at returns the distance between samples i and j.
func (m distanceMatrix) at(i, j int) float32 {
	return m.cells[i*m.n+j]
}

// labelledSamples returns the samples that name a person, and an error if their
// descriptors are empty, of different lengths, or not finite.
func labelledSamples(samples []Sample) ([]Sample, error) {
	var labelled []Sample

	for i, s := range samples {
		if s.Person == "" || s.Person == Unlabelled {
			continue
		}

		if err := checkVector(s.Vector); err != nil {
			return nil, fmt.Errorf("%w: sample %d (%s): %w", ErrInvalidSample, i, s.File, err)
		}

		if len(labelled) > 0 && len(s.Vector) != len(labelled[0].Vector) {
			return nil, fmt.Errorf("%w: sample %d (%s) has %d values, sample of %s has %d",
				ErrInvalidSample, i, s.File, len(s.Vector), labelled[0].File,
				len(labelled[0].Vector))
		}

		labelled = append(labelled, s)
	}

	return labelled, nil
}

// checkVector returns an error unless vec is non-empty and finite.
func checkVector(vec []float32) error {
	if len(vec) == 0 {
		return errors.New("descriptor is empty")
	}

	for i, v := range vec {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("value %d is %v", i, v)
		}
	}

	return nil
}

// distances returns the matrix of Euclidean distances between samples, computed in
// float64 and stored as float32.
//
// NOTE: the matrix takes 4·n² bytes, 400 MB for 10,000 samples, which bounds the size of
// a calibration set.
func distances(samples []Sample) distanceMatrix {
	n := len(samples)
	m := distanceMatrix{n: n, cells: make([]float32, n*n)}

	for i := range n {
		for j := i + 1; j < n; j++ {
			d := float32(euclidean(samples[i].Vector, samples[j].Vector))
			m.cells[i*n+j] = d
			m.cells[j*n+i] = d
		}
	}

	return m
}

// euclidean returns the Euclidean distance between a and b, which have the same length.
func euclidean(a, b []float32) float64 {
	sum := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		sum += d * d
	}

	return math.Sqrt(sum)
}

// comparable reports whether samples i and j form a pair: two faces from one photo are
// not independent, so pairs within one file are left out. A sample without a file name
// is its own photo.
func comparable(samples []Sample, i, j int) bool {
	return i != j && (samples[i].File == "" || samples[i].File != samples[j].File)
}

// splitPairs returns the sorted distances of genuine pairs (one person) and impostor pairs
// (two persons).
func splitPairs(samples []Sample, m distanceMatrix) (genuine, impostor []float32) {
	for i := range samples {
		for j := i + 1; j < len(samples); j++ {
			if !comparable(samples, i, j) {
				continue
			}

			if samples[i].Person == samples[j].Person {
				genuine = append(genuine, m.at(i, j))
			} else {
				impostor = append(impostor, m.at(i, j))
			}
		}
	}

	slices.Sort(genuine)
	slices.Sort(impostor)

	return genuine, impostor
}
