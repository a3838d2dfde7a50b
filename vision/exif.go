package vision

import (
	"encoding/binary"
	"image"
)

// jpegOrientation returns the EXIF orientation (1 to 8) of a JPEG, or 1 when the file has no
// EXIF block or the block is malformed. It walks the markers before the image data only.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}

	pos := 2
	for pos+4 <= len(data) {
		if data[pos] != 0xFF {
			return 1
		}
		marker := data[pos+1]
		if marker == 0xDA || marker == 0xD9 { // start of scan or end of image: no EXIF ahead
			return 1
		}
		length := int(binary.BigEndian.Uint16(data[pos+2:]))
		if length < 2 || pos+2+length > len(data) {
			return 1
		}

		segment := data[pos+4 : pos+2+length]
		if marker == 0xE1 && len(segment) > 6 && string(segment[:6]) == "Exif\x00\x00" {
			return tiffOrientation(segment[6:])
		}
		pos += 2 + length
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block, as EXIF stores it.
func tiffOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}

	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}

	ifd := int(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 1
	}
	count := int(order.Uint16(tiff[ifd:]))
	for i := 0; i < count; i++ {
		entry := ifd + 2 + i*12
		if entry+12 > len(tiff) {
			return 1
		}
		if order.Uint16(tiff[entry:]) != 0x0112 {
			continue
		}
		value := int(order.Uint16(tiff[entry+8:]))
		if value < 1 || value > 8 {
			return 1
		}
		return value
	}
	return 1
}

// orient returns img turned upright for an EXIF orientation: 2 to 8 mirror and rotate as the
// EXIF 2.3 standard defines; 1 and anything else return img unchanged.
func orient(img *image.RGBA, orientation int) *image.RGBA {
	if orientation < 2 || orientation > 8 {
		return img
	}

	w, h := img.Rect.Dx(), img.Rect.Dy()
	outW, outH := w, h
	if orientation >= 5 { // 5 to 8 swap the axes
		outW, outH = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, outW, outH))

	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := orientedPoint(x, y, w, h, orientation)
			src := img.PixOffset(x, y)
			dst := out.PixOffset(dx, dy)
			copy(out.Pix[dst:dst+4], img.Pix[src:src+4])
		}
	}
	return out
}

// orientedPoint maps a stored pixel (x, y) of a w×h image to its upright position.
func orientedPoint(x, y, w, h, orientation int) (int, int) {
	switch orientation {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // rotated 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // mirrored along the main diagonal
		return y, x
	case 6: // stored rotated 90° counter-clockwise: turn clockwise
		return h - 1 - y, x
	case 7: // mirrored along the anti-diagonal
		return h - 1 - y, w - 1 - x
	case 8: // stored rotated 90° clockwise: turn counter-clockwise
		return y, w - 1 - x
	}
	return x, y
}
