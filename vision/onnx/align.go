package onnx

import "math"

// Point is a position in image coordinates, in pixels, where integer values are pixel
// centres (the convention of OpenCV's warpAffine, with which the template was made).
type Point struct{ X, Y float64 }

// alignSide is the side of the aligned face that the embedding network reads.
const alignSide = 112

// Template is the standard ArcFace position, in a 112×112 crop, of the five points
// FivePoints returns: the eye on the image's left, the other eye, the nose tip, and the
// mouth corners on the image's left and right.
var Template = [5]Point{
	{38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366},
	{41.5493, 92.3655}, {70.7299, 92.2041},
}

// Similarity maps a point p to (A·x − B·y + TX, B·x + A·y + TY): a rotation, a uniform
// scale of sqrt(A²+B²) and a translation. Its determinant A²+B² is never negative, so it
// cannot reflect.
type Similarity struct{ A, B, TX, TY float64 }

// Apply returns p mapped by s.
func (s Similarity) Apply(p Point) Point {
	return Point{s.A*p.X - s.B*p.Y + s.TX, s.B*p.X + s.A*p.Y + s.TY}
}

// Scale returns the uniform scale factor of s.
func (s Similarity) Scale() float64 { return math.Hypot(s.A, s.B) }

// Invert returns the similarity that undoes s. s must not be degenerate (Scale > 0).
func (s Similarity) Invert() Similarity {
	d := s.A*s.A + s.B*s.B
	a, b := s.A/d, -s.B/d
	return Similarity{A: a, B: b, TX: -(a*s.TX - b*s.TY), TY: -(b*s.TX + a*s.TY)}
}

// FitSimilarity returns the similarity that maps src onto dst with the least sum of
// squared distances (Umeyama's estimate restricted to rotations, which in two dimensions
// has this closed form). With two points the fit is exact. It returns false when src has
// fewer than two points, a different length from dst, or all its points coincide.
func FitSimilarity(src, dst []Point) (Similarity, bool) {
	if len(src) < 2 || len(src) != len(dst) {
		return Similarity{}, false
	}
	srcMean, dstMean := mean(src), mean(dst)

	var dot, cross, norm float64
	for i := range src {
		p := Point{src[i].X - srcMean.X, src[i].Y - srcMean.Y}
		q := Point{dst[i].X - dstMean.X, dst[i].Y - dstMean.Y}
		dot += p.X*q.X + p.Y*q.Y
		cross += p.X*q.Y - p.Y*q.X
		norm += p.X*p.X + p.Y*p.Y
	}
	if norm < 1e-9 {
		return Similarity{}, false
	}

	a, b := dot/norm, cross/norm
	return Similarity{
		A: a, B: b,
		TX: dstMean.X - (a*srcMean.X - b*srcMean.Y),
		TY: dstMean.Y - (b*srcMean.X + a*srcMean.Y),
	}, true
}

// mean returns the centroid of points.
func mean(points []Point) Point {
	var m Point
	for _, p := range points {
		m.X += p.X
		m.Y += p.Y
	}
	n := float64(len(points))
	return Point{m.X / n, m.Y / n}
}

// FivePoints returns the five template points from 68 iBUG landmarks, numbered from 0.
// Each eye centre is the mean of its two upper and two lower lid points (37, 38, 40, 41 and
// 43, 44, 46, 47). The nose tip is point 30. Each mouth corner is the mean of the outer and
// inner lip corners (48 with 60, 54 with 64).
func FivePoints(landmarks [68]Point) [5]Point {
	avg := func(idx ...int) Point {
		var pts []Point
		for _, i := range idx {
			pts = append(pts, landmarks[i])
		}
		return mean(pts)
	}
	return [5]Point{
		avg(37, 38, 40, 41), avg(43, 44, 46, 47), landmarks[30],
		avg(48, 60), avg(54, 64),
	}
}

// EyeCentres returns the eye centres from dlib's five landmarks (two corners of each eye,
// then the base of the nose), the one on the image's left first. It returns false unless
// there are five points.
func EyeCentres(dlib []Point) (left, right Point, ok bool) {
	if len(dlib) != 5 {
		return Point{}, Point{}, false
	}
	a := mean(dlib[0:2])
	b := mean(dlib[2:4])
	if a.X > b.X {
		a, b = b, a
	}
	return a, b, true
}
