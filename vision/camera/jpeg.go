package camera

import (
	"bufio"
	"bytes"
	"io"
)

// JPEG markers used by the splitter (ITU T.81, table B.1).
const (
	markerPrefix = 0xFF
	markerSOI    = 0xD8 // start of image
	markerEOI    = 0xD9 // end of image
	markerSOS    = 0xDA // start of scan, followed by entropy-coded data
	markerTEM    = 0x01 // standalone, no length
	markerRST0   = 0xD0 // RST0..RST7 are standalone restart markers
	markerRST7   = 0xD7
)

// jpegStart is an SOI marker followed by the prefix of the next marker. Requiring the third
// byte rejects most stray 0xFFD8 pairs in garbage.
var jpegStart = []byte{markerPrefix, markerSOI, markerPrefix}

// parseResult is the state of a JPEG whose first bytes have been parsed.
type parseResult int

const (
	jpegIncomplete parseResult = iota // more bytes are needed
	jpegComplete                      // the image ends with EOI
	jpegInvalid                       // the bytes break JPEG marker syntax
	jpegMarkerRead                    // a marker was read and the image goes on
)

// SplitJPEG returns a bufio.SplitFunc that splits a byte stream into whole JPEG images, such
// as ffmpeg's MJPEG output on a pipe. Each token runs from an SOI marker to its EOI marker.
//
// The function walks the marker segments by their lengths, so an EXIF thumbnail inside an
// APP1 segment does not end the image early, and it scans entropy-coded data for the next
// marker. Bytes between images are discarded. An image that breaks marker syntax is dropped,
// and the search resumes after its SOI marker. An image that grows beyond maxSize bytes is
// dropped too, and the search resumes after the part already parsed, so that a thumbnail
// inside it is not taken for an image.
//
// The function remembers how far it parsed the current image, so that each byte is examined
// about once however the stream is chunked. It therefore serves one bufio.Scanner only, and
// that scanner's buffer must allow tokens of maxSize+1 bytes; newJPEGScanner sets it up.
func SplitJPEG(maxSize int) bufio.SplitFunc {
	var parser jpegParser

	return func(data []byte, atEOF bool) (int, []byte, error) {
		start := bytes.Index(data, jpegStart)
		if start < 0 {
			parser = jpegParser{}
			return discardGarbage(data, atEOF)
		}

		n, result := parser.parse(data[start:])
		if result == jpegIncomplete && len(data)-start <= maxSize && !atEOF {
			// The parser's position is relative to the SOI, which stays in place when the
			// scanner drops the bytes before it.
			return start, nil, nil
		}

		parser = jpegParser{}
		switch {
		case result == jpegComplete && n <= maxSize:
			return start + n, data[start : start+n], nil
		case result == jpegComplete:
			return start + n, nil, nil
		case result == jpegInvalid:
			return start + 2, nil, nil
		case atEOF && len(data)-start <= maxSize:
			return len(data), nil, nil
		default:
			return start + n, nil, nil
		}
	}
}

// discardGarbage consumes bytes that contain no SOI. It keeps the last two bytes, which may
// be the beginning of an SOI split across reads.
func discardGarbage(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF {
		return len(data), nil, nil
	}

	return max(0, len(data)-len(jpegStart)+1), nil, nil
}

// jpegParser walks the markers of one image. Its position is relative to the image's SOI,
// so that parsing can resume there when more bytes arrive.
type jpegParser struct {
	pos       int  // next byte to examine; 0 before the first call
	inEntropy bool // pos is inside entropy-coded data that follows an SOS segment
}

// parse continues parsing the image that starts with SOI at data[0]. It returns the image's
// length when the result is jpegComplete, and the position reached, at least 2, when it is
// jpegIncomplete.
func (p *jpegParser) parse(data []byte) (int, parseResult) {
	p.pos = max(p.pos, 2)
	for {
		if p.inEntropy {
			next, result := skipEntropyData(data, p.pos)
			p.pos = next
			if result == jpegIncomplete {
				return p.pos, result
			}
			p.inEntropy = false
		}

		if result := p.parseMarker(data); result != jpegMarkerRead {
			return p.pos, result
		}
	}
}

// parseMarker parses the marker at data[p.pos] and its segment, and moves p past them
// unless the result is jpegIncomplete or jpegInvalid. After EOI, p.pos is the image length.
func (p *jpegParser) parseMarker(data []byte) parseResult {
	i := p.pos
	if i >= len(data) {
		return jpegIncomplete
	}
	if data[i] != markerPrefix {
		return jpegInvalid
	}

	// A marker may be preceded by any number of 0xFF fill bytes.
	for i < len(data) && data[i] == markerPrefix {
		i++
	}
	if i >= len(data) {
		return jpegIncomplete
	}

	marker := data[i]
	i++

	switch {
	case marker == markerEOI:
		p.pos = i
		return jpegComplete
	case marker == markerSOI || marker == 0x00:
		return jpegInvalid
	case marker == markerTEM || (marker >= markerRST0 && marker <= markerRST7):
		p.pos = i
		return jpegMarkerRead
	}

	if i+2 > len(data) {
		return jpegIncomplete
	}
	length := int(data[i])<<8 | int(data[i+1])
	if length < 2 {
		return jpegInvalid
	}
	if i+length > len(data) {
		return jpegIncomplete
	}

	p.pos = i + length
	p.inEntropy = marker == markerSOS

	return jpegMarkerRead
}

// skipEntropyData returns the index of the first marker at or after data[i] that ends
// entropy-coded data. Stuffed bytes (0xFF00), restart markers and fill bytes do not end it.
// When the data ends first, it returns where to resume with jpegIncomplete.
func skipEntropyData(data []byte, i int) (int, parseResult) {
	for {
		k := bytes.IndexByte(data[i:], markerPrefix)
		if k < 0 {
			return len(data), jpegIncomplete
		}
		i += k
		if i+1 >= len(data) {
			return i, jpegIncomplete
		}

		next := data[i+1]
		switch {
		case next == 0x00 || (next >= markerRST0 && next <= markerRST7):
			i += 2
		case next == markerPrefix:
			i++
		default:
			return i, jpegComplete
		}
	}
}

// newJPEGScanner returns a scanner that yields the JPEG images in r, each at most maxSize
// bytes long.
func newJPEGScanner(r io.Reader, maxSize int) *bufio.Scanner {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, min(maxSize+1, 256<<10)), maxSize+1)
	scanner.Split(SplitJPEG(maxSize))

	return scanner
}
