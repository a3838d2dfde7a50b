package profile

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits that Validate enforces.
const (
	// MaxIDLength is the maximum length of a customer id, in bytes.
	MaxIDLength = 64
	// MaxNameRunes is the maximum length of a name and of other short text fields.
	MaxNameRunes = 200
	// MaxTextRunes is the maximum length of a note or an inquiry note.
	MaxTextRunes = 4000
	// MaxListEntries is the maximum number of entries in each preference list.
	MaxListEntries = 50
	// MaxVectorLength is the maximum number of components of a descriptor vector.
	MaxVectorLength = 4096
)

// Validate checks c and returns an error wrapping ErrInvalid that names the first bad
// field, or an error wrapping ErrNoConsent when c has descriptors but no recorded
// consent.
func Validate(c *Customer) error {
	if err := validateIdentity(c); err != nil {
		return err
	}

	if err := validateConsent(c.Consent); err != nil {
		return err
	}

	if err := validateDescriptors(c.Descriptors); err != nil {
		return err
	}

	if len(c.Descriptors) > 0 && !c.Consent.Given() {
		return fmt.Errorf("%w: customer %s has %d descriptors but no consent scope and time",
			ErrNoConsent, c.ID, len(c.Descriptors))
	}

	return validateHistory(c)
}

func validateIdentity(c *Customer) error {
	if err := ValidateID(c.ID); err != nil {
		return err
	}

	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("%w: name is empty", ErrInvalid)
	}

	fields := []struct{ name, value string }{
		{"name", c.Name},
		{"address", c.Address},
		{"language", c.Language},
		{"favorite_assistant", c.FavoriteAssistant},
	}

	return checkFields(fields, MaxNameRunes)
}

// ValidateID checks that id is 1 to MaxIDLength letters, digits, '-' or '_', so that it
// is safe in a key and in a URL path.
func ValidateID(id string) error {
	if id == "" || len(id) > MaxIDLength {
		return fmt.Errorf("%w: id must be 1 to %d characters, got %d",
			ErrInvalid, MaxIDLength, len(id))
	}

	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_'
		if !ok {
			return fmt.Errorf("%w: id %q contains %q; use letters, digits, '-' or '_'",
				ErrInvalid, id, r)
		}
	}

	return nil
}

func validateConsent(c Consent) error {
	if c.Scope == "" {
		if !c.GivenAt.IsZero() {
			return fmt.Errorf("%w: consent has a time but no scope", ErrInvalid)
		}

		return nil
	}

	if _, err := ParseScope(string(c.Scope)); err != nil {
		return err
	}

	if err := checkText("consent.text_version", c.TextVersion, MaxNameRunes); err != nil {
		return err
	}

	return checkText("consent.taken_by", c.TakenBy, MaxNameRunes)
}

func validateDescriptors(descriptors []Descriptor) error {
	lengths := make(map[string]int)
	for i, d := range descriptors {
		if err := validateDescriptor(d); err != nil {
			return fmt.Errorf("descriptors[%d]: %w", i, err)
		}

		want, seen := lengths[d.Engine]
		if seen && len(d.Vector) != want {
			return fmt.Errorf("%w: descriptors[%d] of engine %q has %d components, earlier ones %d",
				ErrInvalid, i, d.Engine, len(d.Vector), want)
		}

		lengths[d.Engine] = len(d.Vector)
	}

	return nil
}

func validateDescriptor(d Descriptor) error {
	if d.Engine == "" {
		return fmt.Errorf("%w: engine is empty", ErrInvalid)
	}

	if err := checkText("engine", d.Engine, MaxNameRunes); err != nil {
		return err
	}

	if err := checkText("engine_version", d.EngineVersion, MaxNameRunes); err != nil {
		return err
	}

	if d.Origin != OriginEnrollment && d.Origin != OriginConfirmation {
		return fmt.Errorf("%w: origin %q is not %q or %q",
			ErrInvalid, d.Origin, OriginEnrollment, OriginConfirmation)
	}

	if len(d.Vector) == 0 || len(d.Vector) > MaxVectorLength {
		return fmt.Errorf("%w: vector must have 1 to %d components, got %d",
			ErrInvalid, MaxVectorLength, len(d.Vector))
	}

	for i, v := range d.Vector {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: vector[%d] is %v, not a finite number", ErrInvalid, i, v)
		}
	}

	return nil
}

func validateHistory(c *Customer) error {
	for i, v := range c.Visits {
		if err := validateVisit(v); err != nil {
			return fmt.Errorf("visits[%d]: %w", i, err)
		}
	}

	for i, p := range c.Purchases {
		if err := ValidatePurchase(p); err != nil {
			return fmt.Errorf("purchases[%d]: %w", i, err)
		}
	}

	for i, q := range c.Inquiries {
		if err := ValidateInquiry(q); err != nil {
			return fmt.Errorf("inquiries[%d]: %w", i, err)
		}
	}

	for i, n := range c.Notes {
		if err := ValidateNote(n); err != nil {
			return fmt.Errorf("notes[%d]: %w", i, err)
		}
	}

	if err := validateImportantDates(c.ImportantDates); err != nil {
		return err
	}

	if err := validateRequestKeys(c.RequestKeys); err != nil {
		return err
	}

	return ValidatePreferences(c.Preferences)
}

func validateVisit(v Visit) error {
	fields := []struct{ name, value string }{
		{"store", v.Store}, {"decision", v.Decision}, {"assistant", v.Assistant},
	}

	return checkFields(fields, MaxNameRunes)
}

// checkText returns an error wrapping ErrInvalid when value is not valid UTF-8, is
// longer than maxRunes, or contains a control character. Text as long as a note
// (MaxTextRunes or more) may contain line breaks and tabs, and shorter fields may not.
func checkText(field, value string, maxRunes int) error {
	if !utf8.ValidString(value) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)
	}
	if err := checkControls(field, value, maxRunes >= MaxTextRunes); err != nil {
		return err
	}

	if n := utf8.RuneCountInString(value); n > maxRunes {
		return fmt.Errorf("%w: %s has %d characters, the maximum is %d",
			ErrInvalid, field, n, maxRunes)
	}

	return nil
}

// checkControls rejects control characters, the bidirectional controls that can make text
// read backwards on the staff page (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F,
// U+061C) and the line and paragraph separators U+2028 and U+2029. Line breaks and tabs
// are allowed when lines is set.
func checkControls(field, value string, lines bool) error {
	for _, r := range value {
		if lines && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		bidi := r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
			r == 0x200e || r == 0x200f || r == 0x061c || r == 0x2028 || r == 0x2029
		if unicode.IsControl(r) || bidi {
			return fmt.Errorf("%w: %s contains the control character %U", ErrInvalid,
				field, r)
		}
	}
	return nil
}
