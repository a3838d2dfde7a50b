package camera

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"testing"
)

// chunkReader returns at most size bytes per Read, like a pipe that delivers small writes.
type chunkReader struct {
	data []byte
	size int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}

	n := copy(p[:min(len(p), r.size)], r.data)
	r.data = r.data[n:]

	return n, nil
}

// splitAll returns the images SplitJPEG finds in stream when it is read in chunks of size.
func splitAll(t testing.TB, stream []byte, size, maxSize int) [][]byte {
	t.Helper()

	scanner := newJPEGScanner(&chunkReader{data: stream, size: size}, maxSize)
	var images [][]byte
	for scanner.Scan() {
		images = append(images, bytes.Clone(scanner.Bytes()))
	}
	if err := scanner.Err(); err != nil {
		t.Fatalf("scan with chunks of %d bytes: %v", size, err)
	}

	return images
}

// mustEncodeJPEG encodes a w×h gradient as a baseline JPEG.
func mustEncodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x ^ y), 255})
		}
	}

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("encode %dx%d JPEG: %v", w, h, err)
	}

	return buf.Bytes()
}

// withThumbnail returns image with an APP1 segment after its SOI that contains thumbnail,
// the way cameras embed an EXIF preview.
func withThumbnail(image, thumbnail []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), thumbnail...)
	length := len(payload) + 2

	out := []byte{markerPrefix, markerSOI, markerPrefix, 0xE1, byte(length >> 8), byte(length)}
	out = append(out, payload...)

	return append(out, image[2:]...)
}

func concat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

func TestSplitJPEG_Streams(t *testing.T) {
	small := mustEncodeJPEG(t, 64, 48)
	other := mustEncodeJPEG(t, 40, 40)
	photo := mustReadSample(t, 1)
	thumbed := withThumbnail(mustReadSample(t, 2), small)
	garbage := []byte("HTTP/1.1 200 OK\r\n\x00\xff\x00\xd9\xff\xd8junk")
	fakeStart := []byte{0xFF, 0xD8, 0xFF, 0x00, 0x12, 0x34} // SOI, then an invalid marker

	tests := []struct {
		name    string
		stream  []byte
		maxSize int
		want    [][]byte
	}{
		{"OneImage", small, 1 << 20, [][]byte{small}},
		{"BackToBack", concat(small, photo, other), 1 << 20, [][]byte{small, photo, other}},
		{"GarbageAround", concat(garbage, small, garbage, other, garbage), 1 << 20,
			[][]byte{small, other}},
		{"FalseStart", concat(fakeStart, small), 1 << 20, [][]byte{small}},
		{"TruncatedInScan", concat(photo[:len(photo)/2], other), 1 << 20, [][]byte{other}},
		{"TruncatedAtEnd", concat(small, other[:len(other)-1]), 1 << 20, [][]byte{small}},
		{"ThumbnailInside", concat(thumbed, small), 1 << 20, [][]byte{thumbed, small}},
		{"OversizeDropped", concat(small, thumbed, other), len(photo) / 2,
			[][]byte{small, other}},
		{"OnlyGarbage", bytes.Repeat(garbage, 50), 1 << 20, nil},
		{"Empty", nil, 1 << 20, nil},
	}

	for _, tt := range tests {
		for _, size := range []int{1, 3, 4096, len(tt.stream) + 1} {
			t.Run(fmt.Sprintf("%s/chunk%d", tt.name, size), func(t *testing.T) {
				got := splitAll(t, tt.stream, size, tt.maxSize)
				if len(got) != len(tt.want) {
					t.Fatalf("got %d images, want %d", len(got), len(tt.want))
				}
				for i := range got {
					if !bytes.Equal(got[i], tt.want[i]) {
						t.Errorf("image %d: got %d bytes, want %d", i, len(got[i]), len(tt.want[i]))
					}
				}
			})
		}
	}
}

func TestSplitJPEG_ImagesDecode(t *testing.T) {
	stream := concat(mustReadSample(t, 3), []byte("\r\n--boundary\r\n"), mustReadSample(t, 4))

	images := splitAll(t, stream, 1500, DefaultMaxFrameSize)
	if len(images) != 2 {
		t.Fatalf("got %d images, want 2", len(images))
	}
	for _, img := range images {
		mustDecodeJPEG(t, img)
	}
}

// FuzzSplitJPEG checks that any stream splits without a panic into tokens that start with
// SOI, end with EOI and respect the size limit, and that chunking does not change the result.
func FuzzSplitJPEG(f *testing.F) {
	small := mustEncodeJPEG(f, 16, 16)
	f.Add(small, uint8(1), uint16(1<<15))
	f.Add(concat([]byte("xx\xff\xd8\xff"), small, small[:30]), uint8(7), uint16(200))
	f.Add(withThumbnail(small, small), uint8(3), uint16(len(small)+10))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xFF, 0xD9}, uint8(2), uint16(64))

	f.Fuzz(func(t *testing.T, stream []byte, chunk uint8, maxSize uint16) {
		size := int(chunk)%64 + 1
		limit := int(maxSize)%4096 + 4

		whole := splitAll(t, stream, len(stream)+1, limit)
		chunked := splitAll(t, stream, size, limit)
		if len(whole) != len(chunked) {
			t.Fatalf("read whole: %d images, in chunks of %d: %d", len(whole), size, len(chunked))
		}

		for i, img := range chunked {
			if !bytes.Equal(img, whole[i]) {
				t.Fatalf("image %d differs between whole and chunked reads", i)
			}
			if !bytes.HasPrefix(img, jpegStart) || !bytes.HasSuffix(img, []byte{0xFF, 0xD9}) {
				t.Fatalf("image %d does not run from SOI to EOI: % x", i, img)
			}
			if len(img) > limit {
				t.Fatalf("image %d has %d bytes, limit %d", i, len(img), limit)
			}
		}
	})
}

// BenchmarkSplitJPEG measures the splitter alone on the six sample photos back to back,
// read in 64 KiB chunks as from a pipe.
func BenchmarkSplitJPEG(b *testing.B) {
	var stream []byte
	for n := 1; n <= 6; n++ {
		stream = append(stream, mustReadSample(b, n)...)
	}
	b.SetBytes(int64(len(stream)))

	for b.Loop() {
		if got := len(splitAll(b, stream, 64<<10, DefaultMaxFrameSize)); got != 6 {
			b.Fatalf("got %d images, want 6", got)
		}
	}
}
