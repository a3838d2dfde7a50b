package track

import (
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"testing"
)

// mustDecodeSample decodes assets/samples/sample1.jpg, a 1920×1280 group photo.
func mustDecodeSample(t testing.TB) image.Image {
	t.Helper()

	file, err := os.Open("../../assets/samples/sample1.jpg")
	if err != nil {
		t.Fatalf("open sample photo: %v", err)
	}
	defer file.Close()

	img, err := jpeg.Decode(file)
	if err != nil {
		t.Fatalf("decode sample photo: %v", err)
	}

	return img
}

// toRGBA copies img into an RGBA image, which Sharpness reads through its generic path.
func toRGBA(img image.Image) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)

	return out
}

// boxBlur returns img blurred by a (2r+1)×(2r+1) mean filter, like an out-of-focus lens.
func boxBlur(img *image.RGBA, r int) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var sum [3]int
			n := 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					p := image.Pt(x+dx, y+dy)
					if !p.In(b) {
						continue
					}
					c := img.RGBAAt(p.X, p.Y)
					sum[0] += int(c.R)
					sum[1] += int(c.G)
					sum[2] += int(c.B)
					n++
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(sum[0] / n), uint8(sum[1] / n),
				uint8(sum[2] / n), 255})
		}
	}

	return out
}

func TestSharpness_BlurLowersScore(t *testing.T) {
	photo := mustDecodeSample(t)
	box := image.Rect(760, 340, 1060, 640)
	crop := toRGBA(photo).SubImage(box).(*image.RGBA)

	sharp := Sharpness(photo, box)
	blurred := Sharpness(boxBlur(crop, 2), box)

	if sharp <= 0 {
		t.Fatalf("Sharpness of the photo = %v, want > 0", sharp)
	}
	if blurred >= sharp/2 {
		t.Errorf("Sharpness blurred = %v, sharp = %v; want blurred below half", blurred, sharp)
	}
}

func TestSharpness_GenericPathMatchesYCbCr(t *testing.T) {
	photo := mustDecodeSample(t)
	if _, ok := photo.(*image.YCbCr); !ok {
		t.Fatalf("sample decodes to %T, want *image.YCbCr for the fast path", photo)
	}
	box := image.Rect(200, 100, 1800, 1200) // larger than 128 px, so subsampled

	fast := Sharpness(photo, box)
	generic := Sharpness(toRGBA(photo), box)

	// Y and the grey of the RGB round trip differ by rounding only.
	if math.Abs(fast-generic) > 0.1*fast {
		t.Errorf("Sharpness YCbCr = %v, RGBA = %v, want within 10%%", fast, generic)
	}
}

func TestSharpness_Degenerate(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 100, 100))
	draw.Draw(flat, flat.Bounds(), image.NewUniform(color.Gray{Y: 128}), image.Point{},
		draw.Src)

	tests := []struct {
		name string
		img  image.Image
		box  image.Rectangle
	}{
		{"FlatGrey", flat, image.Rect(10, 10, 90, 90)},
		{"OutsideImage", flat, image.Rect(200, 200, 300, 300)},
		{"TooSmall", flat, image.Rect(0, 0, 2, 50)},
		{"EmptyBox", flat, image.Rectangle{}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sharpness(tt.img, tt.box); got != 0 {
				t.Errorf("Sharpness = %v, want 0", got)
			}
		})
	}
}

func TestQuality_Ordering(t *testing.T) {
	small := image.Rect(0, 0, 60, 60)
	large := image.Rect(0, 0, 120, 120)

	tests := []struct {
		name          string
		better, worse float64
	}{
		{"BiggerWins", Quality(large, 200), Quality(small, 200)},
		{"SharperWins", Quality(small, 400), Quality(small, 50)},
		{"SharpSmallBeatsBlurredLarge", Quality(small, 500), Quality(large, 5)},
		{"AnyBeatsFlat", Quality(small, 1), Quality(large, 0)},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.better <= tt.worse {
				t.Errorf("Quality %v is not above %v", tt.better, tt.worse)
			}
		})
	}
}

func TestQuality_Degenerate(t *testing.T) {
	tests := []struct {
		name      string
		box       image.Rectangle
		sharpness float64
	}{
		{"EmptyBox", image.Rectangle{}, 300},
		{"ZeroSharpness", image.Rect(0, 0, 80, 80), 0},
		{"NaNSharpness", image.Rect(0, 0, 80, 80), math.NaN()},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quality(tt.box, tt.sharpness); got != 0 {
				t.Errorf("Quality = %v, want 0", got)
			}
		})
	}
}

// BenchmarkSharpness measures Sharpness on a 400×400 face box of a decoded JPEG.
func BenchmarkSharpness(b *testing.B) {
	photo := mustDecodeSample(b)
	box := image.Rect(700, 300, 1100, 700)

	for b.Loop() {
		Sharpness(photo, box)
	}
}
