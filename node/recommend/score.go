package recommend

import (
	"math"
	"slices"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// Weights of what a candidate shares with her purchases and preferences. They are
// log-odds: sharing a collection with every item she bought adds 1.4, about a factor of
// four. They were set by hand and checked with the held-out evaluation on synthetic data.
const (
	weightCollection = 1.4
	weightMaterial   = 1.4
	weightColor      = 0.7
	weightPreference = 0.7
)

// link is the collection, material and colour that a candidate shares with one item she
// bought, and their score.
type link struct {
	bought     string // the name of the item she bought
	collection string
	material   string
	color      string
	score      float64
}

// maxLinked is how many of her latest purchases a reason may name. Linking every item to
// every purchase took a second for a client with a thousand purchases and 20,000 items,
// so only these are linked. The shares still count every purchase. It is a variable so
// that BenchmarkRecommend can measure linking them all, side by side.
var maxLinked = 20

// taste is how often each collection, material and colour appears in her purchases that
// are in the catalogue, as a share of those purchases. recent holds the latest maxLinked
// of them, which the reason may name.
type taste struct {
	bought      []catalog.Item
	recent      []catalog.Item
	collections map[string]float64
	materials   map[string]float64
	colors      map[string]float64
}

func tasteOf(c *profile.Customer, bySKU map[string]catalog.Item) taste {
	t := taste{collections: map[string]float64{}, materials: map[string]float64{},
		colors: map[string]float64{}}
	for _, p := range c.Purchases {
		if it, ok := bySKU[p.SKU]; ok {
			t.bought = append(t.bought, it)
		}
	}
	if len(t.bought) == 0 {
		return t
	}

	t.recent = t.bought[max(0, len(t.bought)-maxLinked):]
	share := 1 / float64(len(t.bought))
	for _, it := range t.bought {
		t.collections[strings.ToLower(it.Collection)] += share
		for _, m := range it.Materials {
			t.materials[strings.ToLower(m)] += share
		}
		for _, col := range it.Colors {
			t.colors[strings.ToLower(col)] += share
		}
	}
	return t
}

// score rates it for her: the shares of its collection, materials and colours in her
// purchases, plus her recorded preferences, plus log(1+sales) when popularity is known. It
// keeps the strongest link to one purchase for the reason; an item with no link and no
// preference scores zero.
func score(c *profile.Customer, it catalog.Item, t taste, popularity map[string]int) scored {
	s := scored{item: it}
	for _, bought := range t.recent {
		if l := linkOf(it, bought); l.score > s.link.score {
			s.link = l
		}
	}

	s.score = weightCollection * t.collections[strings.ToLower(it.Collection)]
	for _, m := range it.Materials {
		s.score += weightMaterial * t.materials[strings.ToLower(m)]
		if containsFold(c.Preferences.Materials, m) {
			s.score += weightPreference
		}
	}
	for _, col := range it.Colors {
		s.score += weightColor * t.colors[strings.ToLower(col)]
		if containsFold(c.Preferences.Colors, col) {
			s.score += weightPreference
		}
	}
	if s.score > 0 && popularity != nil {
		s.score += math.Log1p(float64(popularity[it.SKU]))
	}
	return s
}

// linked reports whether the link shares a collection, material or colour.
func (l link) linked() bool {
	return l.collection != "" || l.material != "" || l.color != ""
}

// linkOf returns what candidate shares with bought, scored with the same weights.
func linkOf(candidate, bought catalog.Item) link {
	l := link{bought: bought.Name}
	if candidate.Collection != "" && strings.EqualFold(candidate.Collection, bought.Collection) {
		l.collection = candidate.Collection
		l.score += weightCollection
	}
	for _, m := range candidate.Materials {
		if containsFold(bought.Materials, m) && l.material == "" {
			l.material = m
			l.score += weightMaterial
		}
	}
	for _, col := range candidate.Colors {
		if containsFold(bought.Colors, col) && l.color == "" {
			l.color = col
			l.score += weightColor
		}
	}
	return l
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(e string) bool { return strings.EqualFold(e, s) })
}
