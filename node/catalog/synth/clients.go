package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// Start is the date of the first synthetic purchase.
var Start = time.Date(2024, 1, 8, 11, 0, 0, 0, time.UTC)

// taste is the materials, colours and collections a synthetic client likes, the material
// she dislikes and her sizes.
type taste struct {
	materials   []string
	colors      []string
	collections []string
	dislike     string
	shoeSize    string
	dressSize   string
}

// Clients returns n clients of boutique who bought from items by their taste: 2 to 8
// purchases each, oldest first, and 0 to 2 inquiries. Items bought are in the client's
// sizes and never of her disliked material. Most clients have their sizes recorded in
// Preferences, and about half their favourite materials, colours and dislike.
func Clients(seed uint64, n int, items []catalog.Item, boutique string) []*profile.Customer {
	rng := rand.New(rand.NewPCG(seed, seed^0xc11e))
	appeal := popularity(rng, len(items))

	out := make([]*profile.Customer, 0, n)
	for i := range n {
		tt := newTaste(rng)
		c := &profile.Customer{
			ID:      fmt.Sprintf("synth-%05d", i+1),
			Name:    fmt.Sprintf("Client %05d", i+1),
			Consent: profile.Consent{Scope: profile.ScopeStore, GivenAt: Start},
		}
		c.Preferences = preferences(rng, tt)
		c.Purchases = purchases(rng, tt, items, appeal, boutique)
		c.Inquiries = inquiries(rng, tt, items, appeal, boutique)
		out = append(out, c)
	}
	return out
}

func newTaste(rng *rand.Rand) taste {
	materials := Materials()
	liked := pick(rng, materials, 2)
	var others []string
	for _, m := range materials {
		if !slices.Contains(liked, m) {
			others = append(others, m)
		}
	}
	shoes, dresses := categories[1].sizes, categories[4].sizes
	return taste{
		materials:   liked,
		colors:      pick(rng, Colors, 2),
		collections: pick(rng, Collections, 1+rng.IntN(2)),
		dislike:     others[rng.IntN(len(others))],
		shoeSize:    shoes[rng.IntN(len(shoes))],
		dressSize:   dresses[rng.IntN(len(dresses))],
	}
}

// preferences returns what the boutique recorded of a taste: sizes for 80% of clients,
// materials, colours and the dislike for half of them.
func preferences(rng *rand.Rand, tt taste) profile.Preferences {
	var p profile.Preferences
	if rng.Float64() < 0.8 {
		p.Sizes = []string{tt.shoeSize, tt.dressSize}
	}
	if rng.Float64() < 0.5 {
		p.Materials = slices.Clone(tt.materials)
		p.Colors = slices.Clone(tt.colors)
		p.Dislikes = []string{tt.dislike}
	}
	return p
}

// popularity gives each item an appeal that falls with a Zipf-like law over a random
// ranking, so that a few items sell far more than most.
func popularity(rng *rand.Rand, n int) []float64 {
	appeal := make([]float64, n)
	for rank, i := range rng.Perm(n) {
		appeal[i] = 1 / math.Pow(float64(rank+1), 0.7)
	}
	return appeal
}

// weight returns the relative chance that a client of taste tt chooses item it: zero for a
// disliked material or a size she does not wear.
func weight(tt taste, it catalog.Item, appeal float64) float64 {
	if slices.Contains(it.Materials, tt.dislike) {
		return 0
	}
	if !it.HasSize([]string{tt.shoeSize, tt.dressSize}) {
		return 0
	}
	w := appeal
	for _, m := range it.Materials {
		if slices.Contains(tt.materials, m) {
			w *= 4
		}
	}
	if slices.Contains(tt.collections, it.Collection) {
		w *= 4
	}
	for _, c := range it.Colors {
		if slices.Contains(tt.colors, c) {
			w *= 2
		}
	}
	return w
}

func purchases(rng *rand.Rand, tt taste, items []catalog.Item, appeal []float64,
	boutique string) []profile.Purchase {

	count := 2 + rng.IntN(7)
	owned := map[int]bool{}
	at := Start.AddDate(0, 0, rng.IntN(120))
	var out []profile.Purchase
	for range count {
		i := choose(rng, tt, items, appeal, owned)
		if i < 0 {
			break
		}
		owned[i] = true
		it := items[i]
		out = append(out, profile.Purchase{At: at, SKU: it.SKU, Item: it.Name,
			Price: it.Price, Currency: it.Currency, Store: boutique})
		at = at.AddDate(0, 0, 7+rng.IntN(90))
	}
	return out
}

func inquiries(rng *rand.Rand, tt taste, items []catalog.Item, appeal []float64,
	boutique string) []profile.Inquiry {

	var out []profile.Inquiry
	asked := map[int]bool{}
	for range rng.IntN(3) {
		i := choose(rng, tt, items, appeal, asked)
		if i < 0 {
			break
		}
		asked[i] = true
		out = append(out, profile.Inquiry{At: Start.AddDate(0, 0, rng.IntN(700)),
			SKU: items[i].SKU, Item: items[i].Name, Store: boutique})
	}
	slices.SortFunc(out, func(a, b profile.Inquiry) int { return a.At.Compare(b.At) })
	return out
}

// choose draws one item index by weight, skipping those in skip, or -1 when no item has
// weight.
func choose(rng *rand.Rand, tt taste, items []catalog.Item, appeal []float64,
	skip map[int]bool) int {

	weights := make([]float64, len(items))
	total := 0.0
	for i, it := range items {
		if skip[i] {
			continue
		}
		weights[i] = weight(tt, it, appeal[i])
		total += weights[i]
	}
	if total == 0 {
		return -1
	}

	r := rng.Float64() * total
	for i, w := range weights {
		r -= w
		if r < 0 && w > 0 {
			return i
		}
	}
	return slices.IndexFunc(weights, func(w float64) bool { return w > 0 })
}
