package mesh

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func frameBytes(kind byte, size uint32, body []byte) []byte {
	buf := []byte{kind, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(buf[1:], size)
	return append(buf, body...)
}

func TestReadFrame_Cases(t *testing.T) {
	const limit = 8
	cases := []struct {
		name     string
		input    []byte
		wantKind byte
		wantBody []byte
		wantErr  error
	}{
		{"request", frameBytes(frameRequest, 3, []byte("abc")), frameRequest,
			[]byte("abc"), nil},
		{"zero length", frameBytes(frameResponse, 0, nil), frameResponse, []byte{}, nil},
		{"at limit", frameBytes(frameError, limit, bytes.Repeat([]byte("x"), limit)),
			frameError, bytes.Repeat([]byte("x"), limit), nil},
		{"empty stream", nil, 0, nil, io.EOF},
		{"truncated header", []byte{frameRequest, 0, 0}, 0, nil, io.ErrUnexpectedEOF},
		{"truncated body", frameBytes(frameRequest, 5, []byte("ab")), 0, nil,
			io.ErrUnexpectedEOF},
		{"header only", frameBytes(frameRequest, 5, nil), 0, nil, io.ErrUnexpectedEOF},
		{"over limit", frameBytes(frameRequest, limit+1, nil), 0, nil, ErrFrameTooLarge},
		{"max uint32 length", frameBytes(frameRequest, 0xffffffff, nil), 0, nil,
			ErrFrameTooLarge},
		{"unknown kind", frameBytes(9, 1, []byte("a")), 0, nil, ErrInvalidFrame},
		{"kind zero", frameBytes(0, 0, nil), 0, nil, ErrInvalidFrame},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			kind, body, err := readFrame(bytes.NewReader(tc.input), limit)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, expected %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if kind != tc.wantKind {
				t.Errorf("kind %d, expected %d", kind, tc.wantKind)
			}
			if !bytes.Equal(body, tc.wantBody) {
				t.Errorf("body %q, expected %q", body, tc.wantBody)
			}
			if body == nil {
				t.Error("body is nil, expected an empty slice")
			}
		})
	}
}

func TestReadFrame_Sequence(t *testing.T) {
	var buf bytes.Buffer
	if err := writeFrame(&buf, frameRequest, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := writeFrame(&buf, frameResponse, nil); err != nil {
		t.Fatal(err)
	}

	_, first, err := readFrame(&buf, 16)
	if err != nil {
		t.Fatalf("read first frame: %v", err)
	}
	if string(first) != "first" {
		t.Errorf("first frame %q, expected %q", first, "first")
	}

	kind, second, err := readFrame(&buf, 16)
	if err != nil {
		t.Fatalf("read second frame: %v", err)
	}
	if kind != frameResponse {
		t.Errorf("second frame kind %d, expected %d", kind, frameResponse)
	}
	if len(second) != 0 {
		t.Errorf("second frame body %q, expected empty", second)
	}
	if _, _, err := readFrame(&buf, 16); !errors.Is(err, io.EOF) {
		t.Errorf("after last frame: error %v, expected io.EOF", err)
	}
}

func FuzzReadFrame(f *testing.F) {
	f.Add(frameBytes(frameRequest, 3, []byte("abc")))
	f.Add(frameBytes(frameResponse, 0, nil))
	f.Add(frameBytes(frameError, 200, []byte("short")))
	f.Add([]byte{frameRequest, 0xff})
	f.Add([]byte{})

	const limit = 64
	f.Fuzz(func(t *testing.T, input []byte) {
		kind, body, err := readFrame(bytes.NewReader(input), limit)
		if err != nil {
			return
		}
		if len(body) > limit {
			t.Fatalf("body of %d bytes passed the %d-byte limit", len(body), limit)
		}

		var out bytes.Buffer
		if err := writeFrame(&out, kind, body); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), input[:out.Len()]) {
			t.Fatalf("re-encoded frame %x differs from input prefix %x", out.Bytes(),
				input[:out.Len()])
		}
	})
}
