package catalog

import (
	"strconv"
	"strings"
)

// parsePrice parses a price written as ASCII digits with at most one '.' between digits,
// such as 4200 or 890.50. It rejects what strconv.ParseFloat would also take: a '+',
// underscores, an exponent, hexadecimal, Inf and NaN. A leading '-' is accepted so that
// Validate rejects a negative price with its own reason.
func parsePrice(text string) (float64, bool) {
	whole, fraction, hasPoint := strings.Cut(strings.TrimPrefix(text, "-"), ".")
	if !isDigits(whole) || hasPoint && !isDigits(fraction) {
		return 0, false
	}

	// Only a value beyond the float64 range fails here, as ±Inf, which Validate rejects.
	price, _ := strconv.ParseFloat(text, 64)
	if price == 0 {
		price = 0 // "-0" reads as negative zero
	}
	return price, true
}

// parseCount parses a stock count written as ASCII digits. It rejects a '+', which
// strconv.Atoi accepts, and a count too large for an int. A leading '-' is accepted so
// that Validate rejects a negative count with its own reason.
func parseCount(text string) (int, bool) {
	if !isDigits(strings.TrimPrefix(text, "-")) {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
