package vision

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return data
}

// pngHeader returns the signature and IHDR chunk of a PNG declaring w×h pixels, with no data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB

	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&buf, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	buf.Write(chunk)
	binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return buf.Bytes()
}

// jpegHeader returns the start of a baseline JPEG whose frame header declares w×h pixels,
// up to its start-of-scan marker and without any image data.
func jpegHeader(w, h uint16) []byte {
	sof := []byte{0xFF, 0xC0, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	sos := []byte{0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0}
	return append(append([]byte{0xFF, 0xD8}, sof...), sos...)
}

func TestDecode_Formats(t *testing.T) {
	tests := []struct {
		file        string
		format      string
		size        image.Point
		orientation int
	}{
		{"face.jpg", "jpeg", image.Pt(400, 400), 1},
		{"cmyk.jpg", "jpeg", image.Pt(400, 400), 1},
		{"rgb16.png", "png", image.Pt(240, 240), 1},
		{"face.gif", "gif", image.Pt(400, 400), 1},
		{"face.webp", "webp", image.Pt(400, 400), 1},
		{"rotated.jpg", "jpeg", image.Pt(400, 400), 6},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := Decode(mustRead(t, tt.file), DefaultLimits())
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d.Format != tt.format {
				t.Errorf("format = %q, want %q", d.Format, tt.format)
			}
			if got := d.Image.Rect.Size(); got != tt.size {
				t.Errorf("size = %v, want %v", got, tt.size)
			}
			if d.Orientation != tt.orientation {
				t.Errorf("orientation = %d, want %d", d.Orientation, tt.orientation)
			}
		})
	}
}

func TestDecode_OrientationMatchesUpright(t *testing.T) {
	upright, err := Decode(mustRead(t, "face.jpg"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := Decode(mustRead(t, "rotated.jpg"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}

	// Both are lossy re-encodings of one crop, so compare mean absolute difference, which is
	// small when the rotation is undone and large (tens of levels) when it is not.
	diff := meanAbsDiff(upright.Image, rotated.Image)
	if diff > 6 {
		t.Errorf("rotated image differs from upright by %.1f levels on average, want under 6", diff)
	}
}

func meanAbsDiff(a, b *image.RGBA) float64 {
	var sum, n float64
	for i := 0; i < len(a.Pix) && i < len(b.Pix); i++ {
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		if d < 0 {
			d = -d
		}
		sum += d
		n++
	}
	return sum / n
}

func TestDecode_BadInput(t *testing.T) {
	good := mustRead(t, "face.jpg")
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, DefaultLimits(), ErrEmptyImage},
		{"text", []byte("hello, this is not an image"), DefaultLimits(), ErrUnsupportedImage},
		{"truncated jpeg", good[:len(good)/2], DefaultLimits(), ErrCorruptImage},
		{"header only jpeg", good[:20], DefaultLimits(), ErrCorruptImage},
		{"png bomb 50000x50000", pngHeader(50000, 50000), DefaultLimits(), ErrImageTooLarge},
		{"jpeg bomb 50000x50000", jpegHeader(50000, 50000), DefaultLimits(), ErrImageTooLarge},
		{"png zero width", pngHeader(0, 10), DefaultLimits(), ErrCorruptImage},
		{"over byte limit", good, Limits{MaxBytes: 100, MaxPixels: 1 << 30}, ErrImageTooLarge},
		{"over pixel limit", good, Limits{MaxBytes: 1 << 30, MaxPixels: 1000}, ErrImageTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecode_CorruptMiddle(t *testing.T) {
	data := append([]byte(nil), mustRead(t, "face.jpg")...)
	for i := len(data) / 3; i < len(data)/3+400; i++ {
		data[i] = 0xFF
	}

	// A corrupt scan may still decode into a damaged picture; what matters is that it
	// returns, without a panic, either an image or ErrCorruptImage.
	d, err := Decode(data, DefaultLimits())
	if err != nil && !errors.Is(err, ErrCorruptImage) {
		t.Fatalf("Decode error = %v, want nil or ErrCorruptImage", err)
	}
	if err == nil && d.Image.Rect.Dx() != 400 {
		t.Fatalf("decoded width = %d, want 400", d.Image.Rect.Dx())
	}
}

func TestOrient_AllEight(t *testing.T) {
	// A 3×2 image with distinct pixels, stored in each EXIF orientation's layout of the same
	// upright picture, must come back as the upright picture.
	upright := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		upright.Set(i%3, i/3, color.RGBA{uint8(i * 40), 0, 0, 255})
	}
	for o := 1; o <= 8; o++ {
		stored := storeAs(upright, o)
		got := orient(stored, o)
		if !bytes.Equal(got.Pix, upright.Pix) || got.Rect != upright.Rect {
			t.Errorf("orientation %d: upright picture not recovered", o)
		}
	}
}

// storeAs returns how a camera stores the upright picture with EXIF orientation o: the
// inverse of orient, built by searching for the stored pixel that orient maps to each place.
func storeAs(upright *image.RGBA, o int) *image.RGBA {
	w, h := upright.Rect.Dx(), upright.Rect.Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	stored := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			ux, uy := orientedPoint(x, y, sw, sh, o)
			stored.Set(x, y, upright.At(ux, uy))
		}
	}
	return stored
}

func TestJPEGOrientation_Malformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"not jpeg", []byte("GIF89a")},
		{"segment length past end", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E'}},
		{"exif without tiff", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 8}, "Exif\x00\x00"...)},
		{"bad byte order", append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 16},
			"Exif\x00\x00XX\x00\x2a\x00\x00\x00\x08"...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != 1 {
				t.Errorf("orientation = %d, want 1", got)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"face.jpg", "face.gif", "rotated.jpg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(pngHeader(50000, 50000))
	f.Add(jpegHeader(50000, 50000))

	var small bytes.Buffer
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 4, 4)))
	f.Add(small.Bytes())

	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data, Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20})
		if err == nil && d.Image.Rect.Dx()*d.Image.Rect.Dy() > 1<<20 {
			t.Fatalf("decoded %v past the pixel limit", d.Image.Rect)
		}
	})
}
