package mesh

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame kinds. A Call stream carries one request frame, then one response or error frame.
const (
	frameRequest  byte = 1
	frameResponse byte = 2
	frameError    byte = 3
)

// frameHeaderSize is one kind byte followed by a big-endian uint32 body length.
const frameHeaderSize = 5

// writeFrame writes one frame. The caller checks the body size against its limit.
func writeFrame(w io.Writer, kind byte, body []byte) error {
	var header [frameHeaderSize]byte
	header[0] = kind
	binary.BigEndian.PutUint32(header[1:], uint32(len(body)))

	if _, err := w.Write(header[:]); err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// readFrame reads one frame whose body is at most maxSize bytes. A zero-length body is
// valid and returned as an empty slice. It returns io.EOF if the stream ends before the
// first byte, and io.ErrUnexpectedEOF if it ends inside the frame.
func readFrame(r io.Reader, maxSize int) (byte, []byte, error) {
	var header [frameHeaderSize]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return 0, nil, err
	}

	kind := header[0]
	if kind != frameRequest && kind != frameResponse && kind != frameError {
		return 0, nil, fmt.Errorf("%w: unknown kind %d", ErrInvalidFrame, kind)
	}
	size := binary.BigEndian.Uint32(header[1:])
	if uint64(size) > uint64(maxSize) {
		return 0, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, size, maxSize)
	}

	body := make([]byte, size)
	if _, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, fmt.Errorf("read %d-byte frame body: %w", size, err)
	}
	return kind, body, nil
}
