package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on one item.
const (
	// MaxSKUBytes is the maximum length of an SKU.
	MaxSKUBytes = 64
	// MaxTextRunes is the maximum length of a name, category, collection or list entry.
	MaxTextRunes = 200
	// MaxListEntries is the maximum number of materials, colors or sizes of one item.
	MaxListEntries = 32
	// MaxStock is the largest stock count accepted, to catch a price typed in the stock
	// column.
	MaxStock = 1_000_000
)

// Validate checks an item: an SKU of letters, digits, '-', '_' or '.', a name, a category,
// a price from zero to MaxPrice, a known ISO 4217 currency and no more decimals in the
// price than the currency has, bounded lists, and stock counts from zero to MaxStock.
// Text fields must be valid UTF-8 of bounded length without control characters or
// bidirectional controls. Per-size counts must name sizes of the item and add up to the
// boutique's total. Every error wraps ErrInvalid.
func Validate(it Item) error {
	if err := ValidateSKU(it.SKU); err != nil {
		return err
	}
	if err := checkRequired(it); err != nil {
		return err
	}
	if err := checkPrice(it.Price); err != nil {
		return err
	}
	if !IsCurrency(it.Currency) {
		return fmt.Errorf("%w: currency %q is not an ISO 4217 code such as EUR or JPY",
			ErrInvalid, it.Currency)
	}
	if err := checkDecimals(it.Price, it.Currency); err != nil {
		return err
	}
	if err := checkLists(it); err != nil {
		return err
	}
	return checkStock(it)
}

// ValidateSKU checks that sku is 1 to MaxSKUBytes of ASCII letters, digits, '-', '_' or
// '.', so that it is safe in a URL path and a key.
func ValidateSKU(sku string) error {
	if sku == "" {
		return fmt.Errorf("%w: sku is missing", ErrInvalid)
	}
	if len(sku) > MaxSKUBytes {
		return fmt.Errorf("%w: sku %.20q… is longer than %d bytes", ErrInvalid, sku,
			MaxSKUBytes)
	}
	if strings.Trim(sku, ".") == "" {
		return fmt.Errorf("%w: sku %q is only dots, which a URL path cannot carry",
			ErrInvalid, sku)
	}
	for _, r := range sku {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.'
		if !ok {
			return fmt.Errorf("%w: sku %q may contain only letters, digits, '-', '_' "+
				"and '.'", ErrInvalid, sku)
		}
	}
	return nil
}

// ValidateStock checks that a stock count is from zero to MaxStock.
func ValidateStock(n int) error {
	if n < 0 || n > MaxStock {
		return fmt.Errorf("%w: stock %d is not from 0 to %d", ErrInvalid, n, MaxStock)
	}
	return nil
}

// checkStock checks every boutique's per-size counts, then every total. The counts come
// first so that a count over MaxStock is reported as such, not as a wrong total.
func checkStock(it Item) error {
	for _, boutique := range slices.Sorted(maps.Keys(it.SizeStock)) {
		counts := it.SizeStock[boutique]
		if err := checkSizeStock(it.Sizes, counts); err != nil {
			return fmt.Errorf("stock at %s: %w", boutique, err)
		}
		total, ok := it.Stock[boutique]
		if err := checkSizeTotal(total, ok, counts); err != nil {
			return fmt.Errorf("stock at %s: %w", boutique, err)
		}
	}

	for boutique, n := range it.Stock {
		if err := ValidateStock(n); err != nil {
			return fmt.Errorf("stock at %s: %w", boutique, err)
		}
	}
	return nil
}

func checkRequired(it Item) error {
	if strings.TrimSpace(it.Name) == "" {
		return fmt.Errorf("%w: name is missing", ErrInvalid)
	}
	if strings.TrimSpace(it.Category) == "" {
		return fmt.Errorf("%w: category is missing", ErrInvalid)
	}

	fields := []struct{ name, value string }{
		{"name", it.Name}, {"category", it.Category}, {"collection", it.Collection},
	}
	for _, f := range fields {
		if err := checkText(f.name, f.value); err != nil {
			return err
		}
		if utf8.RuneCountInString(f.value) > MaxTextRunes {
			return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalid, f.name,
				MaxTextRunes)
		}
	}
	return nil
}

func checkLists(it Item) error {
	lists := []struct {
		name    string
		entries []string
	}{
		{"materials", it.Materials}, {"colors", it.Colors}, {"sizes", it.Sizes},
	}
	for _, list := range lists {
		if len(list.entries) > MaxListEntries {
			return fmt.Errorf("%w: %s has %d entries, the maximum is %d", ErrInvalid,
				list.name, len(list.entries), MaxListEntries)
		}
		for i, entry := range list.entries {
			if strings.TrimSpace(entry) == "" {
				return fmt.Errorf("%w: %s[%d] is empty", ErrInvalid, list.name, i)
			}
			if err := checkText(fmt.Sprintf("%s[%d]", list.name, i), entry); err != nil {
				return err
			}
			if utf8.RuneCountInString(entry) > MaxTextRunes {
				return fmt.Errorf("%w: %s[%d] is longer than %d characters", ErrInvalid,
					list.name, i, MaxTextRunes)
			}
		}
	}
	return nil
}
