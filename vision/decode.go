package vision

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"

	// Registered decoders: image.Decode recognizes these formats by their magic bytes.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// Errors that callers branch on; each is wrapped with the detail of what was wrong.
var (
	// ErrEmptyImage reports an image of zero bytes.
	ErrEmptyImage = errors.New("empty image")
	// ErrImageTooLarge reports an image over the byte or pixel budget of Limits.
	ErrImageTooLarge = errors.New("image too large")
	// ErrUnsupportedImage reports data that is not JPEG, PNG, GIF or WebP.
	ErrUnsupportedImage = errors.New("unsupported image format")
	// ErrCorruptImage reports an image whose header parsed but whose data did not decode.
	ErrCorruptImage = errors.New("corrupt image")
)

// Limits bounds the work and memory one image may cost before it is decoded.
type Limits struct {
	// MaxBytes is the largest encoded image accepted. Default 32 MiB.
	MaxBytes int
	// MaxPixels is the largest width×height accepted, checked against the header before any
	// pixel is decoded, so a decompression bomb costs nothing. Default 50 megapixels, which
	// admits every phone and DSLR photo; the decoded RGBA copy of such an image is 200 MiB.
	MaxPixels int
}

// DefaultLimits returns the limits a node uses unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 32 << 20, MaxPixels: 50_000_000}
}

// Decoded is an image ready for detection: upright, in RGBA, with what was learnt about it.
type Decoded struct {
	// Image is the upright picture, with EXIF orientation applied.
	Image *image.RGBA
	// Format is the name of the decoder that read it: "jpeg", "png", "gif" or "webp".
	Format string
	// Orientation is the EXIF orientation tag that was applied, 1 when none.
	Orientation int
}

// Decode reads an encoded image within lim: it checks size and declared dimensions first,
// then decodes, turns it upright by its EXIF orientation and converts it to RGBA.
func Decode(data []byte, lim Limits) (*Decoded, error) {
	if err := checkHeader(data, lim); err != nil {
		return nil, err
	}

	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptImage, err)
	}

	orientation := 1
	if format == "jpeg" {
		orientation = jpegOrientation(data)
	}

	rgba := toRGBA(img)
	return &Decoded{Image: orient(rgba, orientation), Format: format, Orientation: orientation}, nil
}

// checkHeader rejects data that is empty, too many bytes, of an unknown format or declares
// more pixels than lim allows, reading only the header.
func checkHeader(data []byte, lim Limits) error {
	if len(data) == 0 {
		return ErrEmptyImage
	}
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrImageTooLarge, len(data), lim.MaxBytes)
	}

	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return fmt.Errorf("%w: expected JPEG, PNG, GIF or WebP", ErrUnsupportedImage)
	}
	if err != nil {
		return fmt.Errorf("%w: header: %v", ErrCorruptImage, err)
	}

	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: header declares %dx%d", ErrCorruptImage, cfg.Width, cfg.Height)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if lim.MaxPixels > 0 && pixels > int64(lim.MaxPixels) {
		return fmt.Errorf("%w: header declares %dx%d, limit %d pixels",
			ErrImageTooLarge, cfg.Width, cfg.Height, lim.MaxPixels)
	}
	return nil
}

// toRGBA converts any decoded image (YCbCr, CMYK, 16-bit, paletted) to 8-bit RGBA at origin 0,0.
func toRGBA(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba
	}

	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	return rgba
}
