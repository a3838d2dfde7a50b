package catalog

import (
	"slices"
	"strings"
	"time"
)

// Item is one product of the catalogue. Price is in units of Currency, an ISO 4217 code.
// Stock maps a boutique's name to the number of pieces it has; this node stores only its
// own boutique's count.
type Item struct {
	SKU        string         `json:"sku"`
	Name       string         `json:"name"`
	Category   string         `json:"category"`
	Materials  []string       `json:"materials,omitempty"`
	Colors     []string       `json:"colors,omitempty"`
	Collection string         `json:"collection,omitempty"`
	Sizes      []string       `json:"sizes,omitempty"`
	Price      float64        `json:"price"`
	Currency   string         `json:"currency"`
	Stock      map[string]int `json:"stock,omitempty"`
	UpdatedAt  time.Time      `json:"updated_at,omitzero"`
}

// StockAt returns the number of pieces that boutique has, zero when unknown.
func (it Item) StockAt(boutique string) int {
	return it.Stock[boutique]
}

// HasSize reports whether the item comes in one of sizes, compared case-insensitively.
// An item without sizes fits everyone.
func (it Item) HasSize(sizes []string) bool {
	if len(it.Sizes) == 0 {
		return true
	}
	return slices.ContainsFunc(it.Sizes, func(s string) bool {
		return slices.ContainsFunc(sizes, func(want string) bool {
			return strings.EqualFold(s, want)
		})
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
