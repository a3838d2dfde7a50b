package catalog

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// sizeCountSeparator separates a size from its count in the stock cell of a CSV import,
// as in 37:2. Pairs are separated by listSeparator.
const sizeCountSeparator = ":"

// checkSizeStock checks one boutique's per-size counts against the sizes the item comes
// in: at least one size, each one of sizes (compared case-insensitively) and given once,
// each count from zero to MaxStock. Every error wraps ErrInvalid.
func checkSizeStock(sizes []string, counts map[string]int) error {
	if len(sizes) == 0 {
		return fmt.Errorf("%w: stock per size is given but the item has no sizes", ErrInvalid)
	}
	if len(counts) == 0 {
		return fmt.Errorf("%w: stock per size lists no sizes", ErrInvalid)
	}

	seen := map[string]string{}
	for _, size := range slices.Sorted(maps.Keys(counts)) {
		canonical, ok := canonicalSize(sizes, size)
		if !ok {
			return fmt.Errorf("%w: size %q is not one of the item's sizes %s", ErrInvalid,
				size, strings.Join(sizes, listSeparator))
		}
		if other, dup := seen[canonical]; dup {
			return fmt.Errorf("%w: sizes %q and %q are the same size", ErrInvalid, other,
				size)
		}
		seen[canonical] = size
		if err := ValidateStock(counts[size]); err != nil {
			return fmt.Errorf("size %s: %w", size, err)
		}
	}
	return nil
}

// checkSizeTotal checks that a boutique's total equals the sum of its per-size counts.
// It wraps ErrInvalid.
func checkSizeTotal(total int, hasTotal bool, counts map[string]int) error {
	sum := sumCounts(counts)
	if !hasTotal {
		return fmt.Errorf("%w: stock per size is given without a total, which must be %d, "+
			"the sum of the sizes", ErrInvalid, sum)
	}
	if total != sum {
		return fmt.Errorf("%w: total stock %d differs from %d, the sum of the sizes",
			ErrInvalid, total, sum)
	}
	return nil
}

// canonicalSize returns the entry of sizes equal to size, compared case-insensitively.
func canonicalSize(sizes []string, size string) (string, bool) {
	i := slices.IndexFunc(sizes, func(s string) bool { return strings.EqualFold(s, size) })
	if i < 0 {
		return "", false
	}
	return sizes[i], true
}

// canonicalSizes returns counts keyed by the item's own spelling of each size, so that a
// count given for "s" is stored under "S". It expects counts that checkSizeStock accepted.
func canonicalSizes(sizes []string, counts map[string]int) map[string]int {
	if len(counts) == 0 {
		return nil
	}
	out := make(map[string]int, len(counts))
	for size, n := range counts {
		if canonical, ok := canonicalSize(sizes, size); ok {
			size = canonical
		}
		out[size] = n
	}
	return out
}

// sumCounts returns the total of per-size counts.
func sumCounts(counts map[string]int) int {
	total := 0
	for _, n := range counts {
		total += n
	}
	return total
}

// FormatSizeStock formats per-size counts as the stock cell of a CSV import, such as
// 36:0|37:2|38:1, with sizes in lexical order.
func FormatSizeStock(counts map[string]int) string {
	pairs := make([]string, 0, len(counts))
	for _, size := range slices.Sorted(maps.Keys(counts)) {
		pairs = append(pairs, size+sizeCountSeparator+strconv.Itoa(counts[size]))
	}
	return strings.Join(pairs, listSeparator)
}

// sizesOfItem returns a boutique's stored per-size counts when they still fit the item's
// sizes, and nil otherwise. A later import, here or at another boutique of the brand, may
// change or drop the sizes of an item. The stored total then counts alone until the
// boutique sets its counts per size again.
func sizesOfItem(sizes []string, counts map[string]int) map[string]int {
	if len(counts) == 0 || len(sizes) == 0 {
		return nil
	}
	for size := range counts {
		if _, ok := canonicalSize(sizes, size); !ok {
			return nil
		}
	}
	return counts
}
