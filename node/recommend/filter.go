package recommend

import (
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// filter decides which items may be suggested to one client at all.
type filter struct {
	boutique string
	owned    map[string]bool
	sizes    []string
	dislikes []string
}

func newFilter(c *profile.Customer, boutique string) filter {
	f := filter{boutique: boutique, owned: map[string]bool{}, sizes: c.Preferences.Sizes}
	for _, p := range c.Purchases {
		if p.SKU != "" {
			f.owned[p.SKU] = true
		}
	}
	for _, d := range c.Preferences.Dislikes {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			f.dislikes = append(f.dislikes, d)
		}
	}
	return f
}

// eligible reports whether it is in stock here in one of her sizes, not bought by her and
// free of her dislikes. An item with sizes is eligible only when her sizes are recorded
// and one of them has pieces here: an assistant should not offer shoes she cannot wear.
// Without per-size counts, the item's total here counts when it comes in one of her sizes.
func (f filter) eligible(it catalog.Item) bool {
	if f.owned[it.SKU] {
		return false
	}
	if it.StockInSizes(f.boutique, f.sizes) <= 0 {
		return false
	}
	return !f.disliked(it)
}

// disliked reports whether one of her dislikes names a material, colour, category or
// collection of it, or appears in its name, compared case-insensitively.
func (f filter) disliked(it catalog.Item) bool {
	if len(f.dislikes) == 0 {
		return false
	}
	words := append(append([]string{it.Category, it.Collection}, it.Materials...), it.Colors...)
	name := strings.ToLower(it.Name)
	for _, d := range f.dislikes {
		if strings.Contains(name, d) {
			return true
		}
		for _, w := range words {
			if strings.EqualFold(w, d) {
				return true
			}
		}
	}
	return false
}
