package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// checkDecoded checks the properties every Decode function must have on any input: a
// failure wraps ErrInvalid, and a decoded value passes validation and survives a JSON
// round trip through the same decoder unchanged.
func checkDecoded[T any](t *testing.T, decode func(*bytes.Reader) (T, error),
	validate func(T) error, body []byte) {
	t.Helper()

	got, err := decode(bytes.NewReader(body))
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("decode %q: %v does not wrap ErrInvalid", body, err)
		}

		return
	}

	if err := validate(got); err != nil {
		t.Fatalf("decoded %+v fails validation: %v", got, err)
	}

	encoded, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("encode %+v: %v", got, err)
	}

	again, err := decode(bytes.NewReader(encoded))
	if err != nil {
		t.Fatalf("decode re-encoded %s: %v", encoded, err)
	}

	if !reflect.DeepEqual(got, again) {
		t.Fatalf("round trip changed %+v into %+v", got, again)
	}
}

func FuzzDecodePurchase(f *testing.F) {
	f.Add([]byte(`{"at":"2025-03-01T09:00:00+07:00","sku":"BAG-1","price":3200.5,"currency":"EUR"}`))
	f.Add([]byte(`{"item":"Scarf","price":0,"currency":"VND","store":"hcmc"}`))
	f.Add([]byte(`{"sku":"A","price":1e308,"currency":"JPY"} `))

	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(r *bytes.Reader) (Purchase, error) { return DecodePurchase(r) }
		checkDecoded(t, decode, ValidatePurchase, body)
	})
}

func FuzzDecodeInquiry(f *testing.F) {
	f.Add([]byte(`{"item":"Loafers","note":"size 38, in \u00e9cru"}`))
	f.Add([]byte(`{"sku":"SH-38","at":"2025-03-01T09:00:00Z"}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(r *bytes.Reader) (Inquiry, error) { return DecodeInquiry(r) }
		checkDecoded(t, decode, ValidateInquiry, body)
	})
}

func FuzzDecodePreferences(f *testing.F) {
	f.Add([]byte(`{"sizes":["S","36"],"colors":["navy"],"materials":["silk"],"dislikes":["fur"]}`))
	f.Add([]byte(`{}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(r *bytes.Reader) (Preferences, error) { return DecodePreferences(r) }
		checkDecoded(t, decode, ValidatePreferences, body)
	})
}

func FuzzDecodeNote(f *testing.F) {
	f.Add([]byte(`{"text":"Prefers tea","author":"Linh"}`))
	f.Add([]byte(`{"text":"\ud800 lone surrogate"}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		decode := func(r *bytes.Reader) (Note, error) { return DecodeNote(r) }
		checkDecoded(t, decode, ValidateNote, body)
	})
}
