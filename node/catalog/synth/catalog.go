// Package synth generates a synthetic catalogue and client histories, seeded, for tests
// and for evaluating recommendations. The same seed gives the same data.
//
// Clients have a taste (a few materials, colours and collections, and a material they
// dislike) and buy by it, weighted by how popular each item is, so that both a
// taste-based recommender and a popularity baseline have something to find.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/omotenashi/omotenashi/node/catalog"
)

// Collections are the six collections of the synthetic catalogue.
var Collections = []string{"Riviera", "Atelier", "Hiver", "Jardin", "Nocturne", "Sakura"}

// Colors are the colours of the synthetic catalogue.
var Colors = []string{"ivory", "black", "nude", "red", "navy", "camel", "gold", "green"}

// category describes one category: its nouns, materials, sizes and price range in EUR.
type category struct {
	name      string
	nouns     []string
	materials []string
	sizes     []string
	minPrice  float64
	maxPrice  float64
}

var categories = []category{
	{"bags", []string{"evening bag", "tote", "clutch", "shoulder bag", "mini bag"},
		[]string{"leather", "silk", "pearl", "canvas", "suede"}, nil, 1500, 6500},
	{"shoes", []string{"slippers", "pumps", "loafers", "sandals", "ankle boots"},
		[]string{"leather", "satin", "suede", "silk"},
		[]string{"35", "36", "37", "38", "39", "40", "41"}, 600, 1400},
	{"jewellery", []string{"drop earrings", "necklace", "ring", "cuff", "brooch"},
		[]string{"pearl", "gold", "silver", "diamond"}, nil, 800, 12000},
	{"scarves", []string{"carré", "stole", "twilly", "shawl"},
		[]string{"silk", "cashmere", "wool"}, nil, 250, 1500},
	{"ready-to-wear", []string{"coat", "dress", "blouse", "trousers", "cardigan"},
		[]string{"cashmere", "silk", "wool", "leather"},
		[]string{"XS", "S", "M", "L", "XL"}, 700, 5500},
}

// Materials returns every material of the synthetic catalogue, in a fixed order.
func Materials() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range categories {
		for _, m := range c.materials {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// Catalog returns n items spread over the categories, with this boutique's stock: about
// one item in seven is out of stock. An item with sizes has its pieces spread over its
// sizes at random, with every size listed, so that many sizes have none.
func Catalog(seed uint64, n int, boutique string) []catalog.Item {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	// Per-size counts draw from their own generator, so that every other field of an item
	// is the same as before per-size counts were generated.
	sizeRNG := rand.New(rand.NewPCG(seed, seed^0x512e))
	items := make([]catalog.Item, 0, n)
	for i := range n {
		cat := categories[i%len(categories)]
		it := newItem(rng, i, cat, boutique)
		it.SizeStock = sizeStock(sizeRNG, it.Sizes, it.StockAt(boutique), boutique)
		items = append(items, it)
	}
	return items
}

// sizeStock spreads total pieces over sizes, each piece in a size drawn uniformly, and
// returns them as boutique's per-size counts. It returns nil for an item without sizes.
func sizeStock(rng *rand.Rand, sizes []string, total int,
	boutique string) map[string]map[string]int {

	if len(sizes) == 0 {
		return nil
	}
	counts := make(map[string]int, len(sizes))
	for _, size := range sizes {
		counts[size] = 0
	}
	for range total {
		counts[sizes[rng.IntN(len(sizes))]]++
	}
	return map[string]map[string]int{boutique: counts}
}

func newItem(rng *rand.Rand, i int, cat category, boutique string) catalog.Item {
	collection := Collections[rng.IntN(len(Collections))]
	materials := pick(rng, cat.materials, 1+rng.IntN(2))
	colors := pick(rng, Colors, 1+rng.IntN(2))
	noun := cat.nouns[rng.IntN(len(cat.nouns))]

	stock := 1 + rng.IntN(6)
	if rng.Float64() < 0.15 {
		stock = 0
	}
	price := cat.minPrice + rng.Float64()*(cat.maxPrice-cat.minPrice)
	return catalog.Item{
		SKU:        fmt.Sprintf("%s-%04d", skuPrefix(cat.name), i+1),
		Name:       fmt.Sprintf("%s %s %s %s", collection, colors[0], materials[0], noun),
		Category:   cat.name,
		Materials:  materials,
		Colors:     colors,
		Collection: collection,
		Sizes:      cat.sizes,
		Price:      math.Round(price/10) * 10,
		Currency:   "EUR",
		Stock:      map[string]int{boutique: stock},
	}
}

func skuPrefix(category string) string {
	switch category {
	case "ready-to-wear":
		return "RTW"
	case "jewellery":
		return "JEW"
	}
	return fmt.Sprintf("%.3s", category)
}

// pick returns k distinct entries of from, in a random order.
func pick(rng *rand.Rand, from []string, k int) []string {
	k = min(k, len(from))
	perm := rng.Perm(len(from))
	out := make([]string, k)
	for i := range k {
		out[i] = from[perm[i]]
	}
	return out
}
