package catalog

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// maxQuotedBytes is the maximum number of bytes of a name from an import file that an
// error message quotes, so that a binary file does not fill the message.
const maxQuotedBytes = 40

// checkText checks that value, the text of field, is valid UTF-8 without control
// characters or invisible formatting characters. Staff read these fields on the page and
// aloud to clients, so a newline, a NUL or a right-to-left override would garble them. It
// wraps ErrInvalid.
func checkText(field, value string) error {
	if !utf8.ValidString(value) {
		return fmt.Errorf("%w: %s is not valid UTF-8 (save the file as UTF-8)", ErrInvalid,
			field)
	}
	for _, r := range value {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s contains the control character %U", ErrInvalid,
				field, r)
		}
		if isBidiControl(r) {
			return fmt.Errorf("%w: %s contains the invisible formatting character %U", ErrInvalid,
				field, r)
		}
	}
	return nil
}

// isBidiControl reports whether r is one of the explicit directional embeddings and
// overrides (U+202A to U+202E), isolates (U+2066 to U+2069) or marks (U+200E, U+200F,
// U+061C), or a line or paragraph separator (U+2028, U+2029). unicode.IsControl misses
// them, and they reorder or break how the text around them is shown.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200e' || r == '\u200f' || r == '\u061c' || r == '\u2028' || r == '\u2029'
}

// quoteShort returns s quoted as Go does, cut to maxQuotedBytes at a character boundary
// and followed by "…" when it was longer.
func quoteShort(s string) string {
	if len(s) <= maxQuotedBytes {
		return strconv.Quote(s)
	}
	cut := maxQuotedBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
