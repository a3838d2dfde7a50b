// Package recommend suggests catalogue items to show a client, best first, each with one
// short reason an assistant can read out to the client. Its functions are pure: they take
// a catalogue and a client profile, and read or write no storage.
//
// Three rules:
//  1. items she asked about or put on her wishlist (an inquiry with an SKU) that are in
//     stock here now, newest first;
//  2. items that go with what she bought: a shared material, the same collection or a
//     shared colour, scored over all her purchases and her recorded preferences;
//  3. for a client with group consent only, items of sister brands' boutiques nearby that
//     she asked about or wished for, or that go with what she bought. Rule 3 keeps Options.NearbyMax
//     places after rule 1 and fills any place rule 2 leaves; its suggestions come last.
//
// Every suggestion is in stock at the boutique that would show it, not already bought by
// her, in one of her sizes when the item comes in sizes, and free of anything she dislikes.
package recommend

import (
	"cmp"
	"slices"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/node/profile"
)

// DefaultMax is the number of suggestions returned when Options.Max is zero.
const DefaultMax = 5

// Rule names the rule that produced a suggestion.
type Rule string

// Rules of Recommend.
const (
	// RuleInquiry suggests an item she asked about that is in stock here.
	RuleInquiry Rule = "inquiry"
	// RuleGoesWith suggests an item that goes with what she bought or prefers.
	RuleGoesWith Rule = "goes-with"
	// RuleNearby suggests an item in stock at a sister brand's boutique nearby.
	RuleNearby Rule = "nearby"
)

// Suggestion is one item to show her, with the reason to give.
type Suggestion struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Rule   Rule   `json:"rule"`
	// Boutique, Brand and Km locate a suggestion of RuleNearby: the boutique and its distance.
	Boutique string  `json:"boutique,omitempty"`
	Brand    string  `json:"brand,omitempty"`
	Km       float64 `json:"km,omitempty"`
}

// Options configures Recommend.
type Options struct {
	// Boutique is the boutique whose stock counts; an item out of stock there is never
	// suggested.
	Boutique string
	// Max is the maximum number of suggestions; zero means DefaultMax.
	Max int
	// Popularity counts sales per SKU. When set, log(1+sales) is added to the score of
	// every item that goes with her purchases or preferences.
	Popularity map[string]int
	// Nearby are the items in stock at sister brands' boutiques nearby, nearest first.
	// They are suggested to clients with group consent only.
	Nearby []nearby.Offer
	// NearbyMax is the number of places kept for rule 3 when it has candidates; zero means
	// DefaultNearbyMax.
	NearbyMax int
}

// Recommend returns up to opts.Max suggestions for c from items, inquiries first, then
// the items that go best with her purchases, then for a group client the items of sister
// boutiques nearby.
func Recommend(c *profile.Customer, items []catalog.Item, opts Options) []Suggestion {
	limit := cmp.Or(max(opts.Max, 0), DefaultMax)
	keep := cmp.Or(max(opts.NearbyMax, 0), DefaultNearbyMax)
	bySKU := make(map[string]catalog.Item, len(items))
	for _, it := range items {
		bySKU[it.SKU] = it
	}
	f := newFilter(c, opts.Boutique)

	out := fromInquiries(c, bySKU, f, limit)
	if len(out) >= limit {
		return out
	}
	taken := map[string]bool{}
	for _, s := range out {
		taken[s.SKU] = true
	}
	near := fromNearby(c, opts.Nearby, bySKU, f, taken, limit-len(out))
	room := limit - len(out) - min(keep, len(near))
	out = append(out, goesWith(c, items, bySKU, f, taken, opts.Popularity, room)...)
	for _, s := range out {
		taken[s.SKU] = true
	}
	for _, s := range near {
		if len(out) < limit && !taken[s.SKU] {
			out = append(out, s)
		}
	}
	return out
}

// fromInquiries applies rule 1: her inquiries with an SKU, newest first, whose item is
// eligible now.
func fromInquiries(c *profile.Customer, bySKU map[string]catalog.Item, f filter,
	limit int) []Suggestion {

	var out []Suggestion
	seen := map[string]bool{}
	for i := len(c.Inquiries) - 1; i >= 0 && len(out) < limit; i-- {
		q := c.Inquiries[i]
		it, ok := bySKU[q.SKU]
		if !ok || seen[q.SKU] || !f.eligible(it) {
			continue
		}
		seen[q.SKU] = true
		out = append(out, Suggestion{SKU: it.SKU, Name: it.Name, Rule: RuleInquiry,
			Reason: inquiryReason(it, q)})
	}
	return out
}

// scored is a candidate of rule 2 with its score and the purchase that links it best.
type scored struct {
	item  catalog.Item
	score float64
	link  link
}

// goesWith applies rule 2: every eligible item not yet taken, scored against her
// purchases, preferences and popularity, best first. Items with no link at all are left
// out.
func goesWith(c *profile.Customer, items []catalog.Item, bySKU map[string]catalog.Item,
	f filter, taken map[string]bool, popularity map[string]int, limit int) []Suggestion {

	t := tasteOf(c, bySKU)
	var candidates []scored
	for _, it := range items {
		if taken[it.SKU] || !f.eligible(it) {
			continue
		}
		s := score(c, it, t, popularity)
		if s.score > 0 {
			candidates = append(candidates, s)
		}
	}

	slices.SortFunc(candidates, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score),
			cmp.Compare(popularity[b.item.SKU], popularity[a.item.SKU]),
			strings.Compare(a.item.SKU, b.item.SKU))
	})

	out := make([]Suggestion, 0, min(limit, len(candidates)))
	for _, s := range candidates[:min(limit, len(candidates))] {
		out = append(out, Suggestion{SKU: s.item.SKU, Name: s.item.Name, Rule: RuleGoesWith,
			Reason: goesWithReason(s)})
	}
	return out
}
