package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxBodyBytes is the maximum size of a request body that the Decode functions accept.
// A note of MaxTextRunes characters, each escaped as \uXXXX, takes 24,000 bytes.
const MaxBodyBytes = 64 << 10

// DecodePurchase decodes one purchase from an untrusted JSON request body and validates
// it. The caller should set Store and Assistant itself rather than trust the body.
func DecodePurchase(r io.Reader) (Purchase, error) {
	var p Purchase
	if err := decodeBody(r, &p); err != nil {
		return Purchase{}, fmt.Errorf("decode purchase: %w", err)
	}

	if err := ValidatePurchase(p); err != nil {
		return Purchase{}, fmt.Errorf("decode purchase: %w", err)
	}

	return p, nil
}

// DecodeInquiry decodes one inquiry from an untrusted JSON request body and validates
// it. The caller should set Store and Assistant itself rather than trust the body.
func DecodeInquiry(r io.Reader) (Inquiry, error) {
	var q Inquiry
	if err := decodeBody(r, &q); err != nil {
		return Inquiry{}, fmt.Errorf("decode inquiry: %w", err)
	}

	if err := ValidateInquiry(q); err != nil {
		return Inquiry{}, fmt.Errorf("decode inquiry: %w", err)
	}

	return q, nil
}

// DecodePreferences decodes preferences from an untrusted JSON request body and
// validates them. Entries are trimmed of spaces, so " 38 " is size 38, and an empty list
// decodes as nil, as it does after a round trip through storage.
func DecodePreferences(r io.Reader) (Preferences, error) {
	var p Preferences
	if err := decodeBody(r, &p); err != nil {
		return Preferences{}, fmt.Errorf("decode preferences: %w", err)
	}

	for _, list := range []*[]string{&p.Sizes, &p.Colors, &p.Materials, &p.Dislikes} {
		for i := range *list {
			(*list)[i] = strings.TrimSpace((*list)[i])
		}
		if len(*list) == 0 {
			*list = nil
		}
	}

	if err := ValidatePreferences(p); err != nil {
		return Preferences{}, fmt.Errorf("decode preferences: %w", err)
	}

	return p, nil
}

// DecodeNote decodes one note from an untrusted JSON request body and validates it. The
// caller should set Author itself rather than trust the body.
func DecodeNote(r io.Reader) (Note, error) {
	var n Note
	if err := decodeBody(r, &n); err != nil {
		return Note{}, fmt.Errorf("decode note: %w", err)
	}

	if err := ValidateNote(n); err != nil {
		return Note{}, fmt.Errorf("decode note: %w", err)
	}

	return n, nil
}

// decodeBody decodes exactly one JSON value of at most MaxBodyBytes into v, rejecting
// unknown fields and trailing data. Every failure wraps ErrInvalid, except a failure
// to read r.
func decodeBody(r io.Reader, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}

	if len(body) > MaxBodyBytes {
		return fmt.Errorf("%w: body is larger than %d bytes", ErrInvalid, MaxBodyBytes)
	}

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}

	if err := dec.Decode(&json.RawMessage{}); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: body has data after the JSON value", ErrInvalid)
	}

	return nil
}
