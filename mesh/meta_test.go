package mesh

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/memberlist"
)

func sampleMeta() Meta {
	return Meta{
		Name:     "Dong Khoi",
		Brand:    "maison",
		Group:    "lvx",
		Region:   "apac",
		Scopes:   []string{"brand:maison", "group:lvx"},
		PeerID:   "12D3KooWPjceQrSwdWXPyLLeABRXmuqt69Rg3sBYbU1Nft9HyQ6X",
		P2PAddrs: []string{"/ip4/10.1.2.3/tcp/4001", "/ip6/fd00::3/tcp/4001"},
		HTTPAddr: "10.1.2.3:8080",
		Location: "10.7769,106.7009",
	}
}

func TestMeta_RoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		meta    Meta
		leaving bool
	}{
		{"full", sampleMeta(), false},
		{"full leaving", sampleMeta(), true},
		{"empty", Meta{}, false},
		{"unicode name", Meta{Name: "銀座本店", Scopes: []string{"store"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			encoded, err := encodeMeta(tc.meta, tc.leaving)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			decoded, leaving, err := decodeMeta(encoded)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(decoded, tc.meta) {
				t.Errorf("decoded %+v, expected %+v", decoded, tc.meta)
			}
			if leaving != tc.leaving {
				t.Errorf("leaving %v, expected %v", leaving, tc.leaving)
			}
		})
	}
}

// A member that runs the version before Location still decodes, without a location.
func TestDecodeMeta_Version1(t *testing.T) {
	meta := sampleMeta()
	meta.Location = ""
	v2, err := encodeMeta(meta, true)
	if err != nil {
		t.Fatal(err)
	}
	v1 := append([]byte{metaVersionV1}, v2[1:len(v2)-1]...) // without the empty location

	decoded, leaving, err := decodeMeta(v1)
	if err != nil {
		t.Fatalf("decode version 1: %v", err)
	}
	if !reflect.DeepEqual(decoded, meta) || !leaving {
		t.Errorf("decoded %+v (leaving %v), expected %+v (leaving)", decoded, leaving, meta)
	}
	if _, _, err := decodeMeta(append(v1, 0)); !errors.Is(err, ErrInvalidMeta) {
		t.Errorf("version 1 with a trailing byte: error %v, expected ErrInvalidMeta", err)
	}
}

func TestMeta_FullFitsLimit(t *testing.T) {
	encoded, err := encodeMeta(sampleMeta(), false)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	t.Logf("sample metadata encodes to %d of %d bytes", len(encoded), memberlist.MetaMaxSize)
}

func TestMeta_TooLarge(t *testing.T) {
	meta := sampleMeta()
	meta.P2PAddrs = append(meta.P2PAddrs, strings.Repeat("/dns4/x", 70))

	_, err := encodeMeta(meta, false)
	if !errors.Is(err, ErrMetaTooLarge) {
		t.Errorf("error %v, expected ErrMetaTooLarge", err)
	}
}

func TestDecodeMeta_Invalid(t *testing.T) {
	valid, err := encodeMeta(sampleMeta(), false)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		input []byte
	}{
		{"nil", nil},
		{"one byte", []byte{metaVersion}},
		{"unknown version", append([]byte{9}, valid[1:]...)},
		{"truncated", valid[:len(valid)-3]},
		{"trailing byte", append(append([]byte{}, valid...), 0)},
		{"huge string length", []byte{metaVersion, 0, 0xff, 0xff, 0xff, 0x0f}},
		{"huge list count", []byte{metaVersion, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0x03}},
		{"overlong uvarint", []byte{metaVersion, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xff, 0x01}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeMeta(tc.input)
			if !errors.Is(err, ErrInvalidMeta) {
				t.Errorf("error %v, expected ErrInvalidMeta", err)
			}
		})
	}
}

func FuzzDecodeMeta(f *testing.F) {
	valid, _ := encodeMeta(sampleMeta(), true)
	f.Add(valid)
	f.Add([]byte{metaVersion, 0})
	f.Add([]byte{metaVersion, 0, 0xff, 0xff, 0x03})

	f.Fuzz(func(t *testing.T, input []byte) {
		meta, leaving, err := decodeMeta(input)
		if err != nil {
			return
		}
		encoded, err := encodeMeta(meta, leaving)
		if err != nil {
			// Decoding accepts inputs longer than the send limit; that is harmless.
			return
		}
		again, againLeaving, err := decodeMeta(encoded)
		if err != nil || !reflect.DeepEqual(again, meta) || againLeaving != leaving {
			t.Fatalf("re-encoded metadata does not round-trip: %+v vs %+v (%v)",
				again, meta, err)
		}
	})
}
