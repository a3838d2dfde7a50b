package catalog

import (
	"slices"
	"strings"
	"time"
)

// Item is one product of the catalogue. Price is in units of Currency, an ISO 4217 code.
// Stock maps a boutique's name to the number of pieces it has; this node stores only its
// own boutique's count. SizeStock maps a boutique's name to its count per size, when known.
// A boutique's total in Stock is then the sum of its sizes, and a size of the item missing
// from the map has no pieces there.
type Item struct {
	SKU        string                    `json:"sku"`
	Name       string                    `json:"name"`
	Category   string                    `json:"category"`
	Materials  []string                  `json:"materials,omitempty"`
	Colors     []string                  `json:"colors,omitempty"`
	Collection string                    `json:"collection,omitempty"`
	Sizes      []string                  `json:"sizes,omitempty"`
	Price      float64                   `json:"price"`
	Currency   string                    `json:"currency"`
	Stock      map[string]int            `json:"stock,omitempty"`
	SizeStock  map[string]map[string]int `json:"size_stock,omitempty"`
	UpdatedAt  time.Time                 `json:"updated_at,omitzero"`
}

// StockAt returns the number of pieces that boutique has, zero when unknown.
func (it Item) StockAt(boutique string) int {
	return it.Stock[boutique]
}

// StockInSizes returns the number of pieces boutique has in any of sizes, compared
// case-insensitively. Without per-size counts for boutique, it returns the boutique's total
// when the item comes in one of sizes or has no sizes, because any of those pieces may be
// in one of sizes, and zero otherwise.
func (it Item) StockInSizes(boutique string, sizes []string) int {
	counts := it.SizeStock[boutique]
	if len(counts) == 0 {
		if !it.HasSize(sizes) {
			return 0
		}
		return it.Stock[boutique]
	}

	n := 0
	for size, count := range counts {
		if containsFold(sizes, size) {
			n += count
		}
	}
	return n
}

// HasSize reports whether the item comes in one of sizes, compared case-insensitively.
// An item without sizes fits everyone.
func (it Item) HasSize(sizes []string) bool {
	if len(it.Sizes) == 0 {
		return true
	}
	return slices.ContainsFunc(it.Sizes, func(s string) bool {
		return containsFold(sizes, s)
	})
}

// containsFold reports whether list contains s, compared case-insensitively.
func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(entry string) bool {
		return strings.EqualFold(entry, s)
	})
}

// matches reports whether the lowercase query q is part of the item's SKU, name or
// category.
func (it Item) matches(q string) bool {
	if q == "" {
		return true
	}
	return strings.Contains(strings.ToLower(it.SKU), q) ||
		strings.Contains(strings.ToLower(it.Name), q) ||
		strings.Contains(strings.ToLower(it.Category), q)
}
