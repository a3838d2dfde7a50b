package catalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxPrice is the largest price accepted, in units of the item's currency. It rejects a
// value such as 1e300 while leaving room for a high-jewellery piece priced in a currency
// of many units to the euro, such as VND or IDR. Up to MaxPrice, a price with three
// decimals has at most 15 significant digits, so its float64 value reads back as the
// digits it was written with, which the check of decimals relies on.
//
// NOTE: one maximum serves every currency, so it catches no slip of a few digits in a
// currency of few units to the euro, such as a price typed 100 times too high in EUR.
const MaxPrice = 1_000_000_000_000

// ValidatePrice checks a price in a currency as an import does: a finite number from zero
// to MaxPrice, an ISO 4217 currency, and no more decimals than the currency has. It wraps
// ErrInvalid.
func ValidatePrice(price float64, currency string) error {
	if err := checkPrice(price); err != nil {
		return err
	}
	if !IsCurrency(currency) {
		return fmt.Errorf("%w: currency %q is not an ISO 4217 code such as EUR or JPY",
			ErrInvalid, currency)
	}
	return checkDecimals(price, currency)
}

// checkPrice checks that price is a finite number from zero to MaxPrice. It wraps
// ErrInvalid.
func checkPrice(price float64) error {
	if math.IsNaN(price) || math.IsInf(price, 0) || price < 0 {
		return fmt.Errorf("%w: price %v is not a finite number of zero or more",
			ErrInvalid, price)
	}
	if price > MaxPrice {
		return fmt.Errorf("%w: price %s is more than the maximum %d", ErrInvalid,
			formatPrice(price), MaxPrice)
	}
	return nil
}

// checkDecimals checks that price has no more decimals than currency has minor units, so
// 12.345 EUR and 1.5 JPY are rejected. It counts the decimals of the shortest text that
// reads back as price, so 12.340 passes as 12.34. It wraps ErrInvalid.
func checkDecimals(price float64, currency string) error {
	text := formatPrice(price)
	decimals := 0
	if i := strings.IndexByte(text, '.'); i >= 0 {
		decimals = len(text) - i - 1
	}

	if allowed := minorUnits(currency); decimals > allowed {
		return fmt.Errorf("%w: price %s has more decimals than %s allows, which is %d",
			ErrInvalid, text, currency, allowed)
	}
	return nil
}

// formatPrice formats price as plain decimals, with as few digits as read back the same.
func formatPrice(price float64) string {
	return strconv.FormatFloat(price, 'f', -1, 64)
}
