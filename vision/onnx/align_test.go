package onnx

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// transform returns points mapped by s.
func transform(s Similarity, points []Point) []Point {
	out := make([]Point, len(points))
	for i, p := range points {
		out[i] = s.Apply(p)
	}
	return out
}

// similarityOf returns the similarity of rotation angle (radians), scale and translation.
func similarityOf(angle, scale, tx, ty float64) Similarity {
	return Similarity{A: scale * math.Cos(angle), B: scale * math.Sin(angle), TX: tx, TY: ty}
}

func TestFitSimilarity_KnownPointsOnTemplate(t *testing.T) {
	cases := []struct {
		name string
		face Similarity
	}{
		{"identity", similarityOf(0, 1, 0, 0)},
		{"large and shifted", similarityOf(0, 4.2, 900, 310)},
		{"tilted 25 degrees", similarityOf(25*math.Pi/180, 2.5, 400, 120)},
		{"tilted -40 degrees, small", similarityOf(-40*math.Pi/180, 0.4, 30, 60)},
		{"upside down", similarityOf(math.Pi, 3, 800, 800)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			face := transform(c.face, Template[:])
			s, ok := FitSimilarity(face, Template[:])
			if !ok {
				t.Fatal("fit failed on five distinct points")
			}
			for i, p := range face {
				got := s.Apply(p)
				if d := math.Hypot(got.X-Template[i].X, got.Y-Template[i].Y); d > 1 {
					t.Errorf("point %d lands %.3f px from the template", i, d)
				}
			}
		})
	}
}

func TestFitSimilarity_NeverReflects(t *testing.T) {
	mirrored := make([]Point, len(Template))
	for i, p := range Template {
		mirrored[i] = Point{X: 500 - 3*p.X, Y: 40 + 3*p.Y}
	}
	// Swapping left and right as a mirror would keeps the points in template order.
	mirrored[0], mirrored[1] = mirrored[1], mirrored[0]
	mirrored[3], mirrored[4] = mirrored[4], mirrored[3]

	for _, src := range [][]Point{mirrored, transform(similarityOf(0.3, 2, 5, 5), Template[:])} {
		s, ok := FitSimilarity(src, Template[:])
		if !ok {
			t.Fatal("fit failed on five distinct points")
		}
		// A similarity's Jacobian is [[A, -B], [B, A]], whose determinant A²+B² is
		// negative for a reflection.
		if det := s.A*s.A + s.B*s.B; det <= 0 {
			t.Errorf("determinant %.4f: the fit reflects", det)
		}
		// A reflected fit of the mirrored points would map the outer corners of the eyes
		// inwards: the first template point must stay left of the second.
		p0, p1 := s.Apply(src[0]), s.Apply(src[1])
		if p0.X >= p1.X {
			t.Errorf("left eye mapped to x=%.1f, right of the right eye at %.1f", p0.X, p1.X)
		}
	}
}

func TestFitSimilarity_Degenerate(t *testing.T) {
	cases := []struct {
		name     string
		src, dst []Point
	}{
		{"one point", []Point{{1, 1}}, []Point{{2, 2}}},
		{"lengths differ", Template[:2], Template[:3]},
		{"all at one spot", []Point{{5, 5}, {5, 5}, {5, 5}}, Template[:3]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := FitSimilarity(c.src, c.dst); ok {
				t.Error("fit succeeded, want failure")
			}
		})
	}
}

func TestFitSimilarity_InvertRoundTrip(t *testing.T) {
	s := similarityOf(0.7, 3.3, -12, 45)
	p := Point{17, -4}
	got := s.Invert().Apply(s.Apply(p))
	if d := math.Hypot(got.X-p.X, got.Y-p.Y); d > 1e-9 {
		t.Errorf("round trip moved the point by %g", d)
	}
}

// centroid returns the brightness-weighted centre of the aligned face within radius of p.
func centroid(aligned planes, p Point, radius int) Point {
	var c Point
	var total float64
	for y := int(p.Y) - radius; y <= int(p.Y)+radius; y++ {
		for x := int(p.X) - radius; x <= int(p.X)+radius; x++ {
			v := float64(aligned.grey(x, y))
			c.X += v * float64(x)
			c.Y += v * float64(y)
			total += v
		}
	}
	if total == 0 {
		return Point{-1, -1}
	}
	return Point{c.X / total, c.Y / total}
}

// drawMark paints a white 7×7 square centred on p.
func drawMark(img *image.RGBA, p Point) {
	cx, cy := int(math.Round(p.X)), int(math.Round(p.Y))
	for y := cy - 3; y <= cy+3; y++ {
		for x := cx - 3; x <= cx+3; x++ {
			img.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
}

func TestWarpSimilarity_MarksLandOnTemplate(t *testing.T) {
	face := similarityOf(-20*math.Pi/180, 3, 150, 90)
	img := image.NewRGBA(image.Rect(0, 0, 700, 700))
	marks := transform(face, Template[:])
	for i, m := range marks {
		// Centre each mark on a pixel, so the square is symmetric about the point fitted.
		marks[i] = Point{math.Round(m.X), math.Round(m.Y)}
		drawMark(img, marks[i])
	}

	s, ok := FitSimilarity(marks, Template[:])
	if !ok {
		t.Fatal("fit failed")
	}
	aligned := newPlanes(alignSide, alignSide)
	warpSimilarity(img, s, aligned)

	for i, want := range Template {
		got := centroid(aligned, want, 5)
		if d := math.Hypot(got.X-want.X, got.Y-want.Y); d > 1 {
			t.Errorf("mark %d appears at (%.1f, %.1f), %.2f px from the template (%.1f, %.1f)",
				i, got.X, got.Y, d, want.X, want.Y)
		}
	}
}

func TestEyeCentres_OrdersLeftFirst(t *testing.T) {
	// dlib's five-point model lists the eye on the image's right first.
	dlib := []Point{{300, 100}, {260, 102}, {100, 104}, {140, 102}, {200, 160}}
	left, right, ok := EyeCentres(dlib)
	if !ok {
		t.Fatal("five points rejected")
	}
	if left != (Point{120, 103}) {
		t.Errorf("left eye %v, want (120, 103)", left)
	}
	if right != (Point{280, 101}) {
		t.Errorf("right eye %v, want (280, 101)", right)
	}
	if _, _, ok := EyeCentres(dlib[:4]); ok {
		t.Error("four points accepted")
	}
}
