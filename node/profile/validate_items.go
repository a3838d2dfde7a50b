package profile

import (
	"fmt"
	"math"
	"strings"
)

// ValidatePurchase checks a purchase: an SKU or an item name, a finite price of zero or
// more, and a currency of three upper-case letters (ISO 4217).
func ValidatePurchase(p Purchase) error {
	if strings.TrimSpace(p.SKU) == "" && strings.TrimSpace(p.Item) == "" {
		return fmt.Errorf("%w: purchase needs an sku or an item", ErrInvalid)
	}

	if math.IsNaN(p.Price) || math.IsInf(p.Price, 0) || p.Price < 0 {
		return fmt.Errorf("%w: price %v is not a finite number of zero or more",
			ErrInvalid, p.Price)
	}

	if !isCurrencyCode(p.Currency) {
		return fmt.Errorf("%w: currency %q is not a three-letter ISO 4217 code such as EUR",
			ErrInvalid, p.Currency)
	}

	fields := []struct{ name, value string }{
		{"sku", p.SKU}, {"item", p.Item}, {"store", p.Store}, {"assistant", p.Assistant},
		{"size", p.Size},
	}

	return checkFields(fields, MaxNameRunes)
}

// ValidateInquiry checks an inquiry: an SKU, an item name or a note, and text lengths.
func ValidateInquiry(q Inquiry) error {
	empty := strings.TrimSpace(q.SKU) == "" && strings.TrimSpace(q.Item) == "" &&
		strings.TrimSpace(q.Note) == ""
	if empty {
		return fmt.Errorf("%w: inquiry needs an sku, an item or a note", ErrInvalid)
	}

	fields := []struct{ name, value string }{
		{"sku", q.SKU}, {"item", q.Item}, {"store", q.Store}, {"assistant", q.Assistant},
	}
	if err := checkFields(fields, MaxNameRunes); err != nil {
		return err
	}

	return checkText("note", q.Note, MaxTextRunes)
}

// ValidateNote checks that a note has non-empty text of at most MaxTextRunes characters.
func ValidateNote(n Note) error {
	if strings.TrimSpace(n.Text) == "" {
		return fmt.Errorf("%w: note text is empty", ErrInvalid)
	}

	if err := checkText("author", n.Author, MaxNameRunes); err != nil {
		return err
	}

	return checkText("text", n.Text, MaxTextRunes)
}

// ValidatePreferences checks that each list has at most MaxListEntries non-empty entries
// of at most MaxNameRunes characters.
func ValidatePreferences(p Preferences) error {
	lists := []struct {
		name    string
		entries []string
	}{
		{"sizes", p.Sizes}, {"colors", p.Colors},
		{"materials", p.Materials}, {"dislikes", p.Dislikes},
	}

	for _, list := range lists {
		if len(list.entries) > MaxListEntries {
			return fmt.Errorf("%w: %s has %d entries, the maximum is %d",
				ErrInvalid, list.name, len(list.entries), MaxListEntries)
		}

		for i, entry := range list.entries {
			field := fmt.Sprintf("%s[%d]", list.name, i)
			if strings.TrimSpace(entry) == "" {
				return fmt.Errorf("%w: %s is empty", ErrInvalid, field)
			}

			if err := checkText(field, entry, MaxNameRunes); err != nil {
				return err
			}
		}
	}

	return nil
}

func checkFields(fields []struct{ name, value string }, maxRunes int) error {
	for _, f := range fields {
		if err := checkText(f.name, f.value, maxRunes); err != nil {
			return err
		}
	}

	return nil
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}

	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}

	return true
}
