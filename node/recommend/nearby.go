package recommend

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/node/profile"
)

// DefaultNearbyMax is the number of places kept for rule 3 when Options.NearbyMax is zero.
const DefaultNearbyMax = 1

// fromNearby applies rule 3 for a client with group consent: items of sister boutiques
// nearby that she asked about, then those that go with what she bought, each eligible at
// the boutique that has it. An SKU offered by two boutiques is suggested at the nearer.
// Items taken by the other rules, and items eligible here, which rules 1 and 2 cover, are
// skipped; taken itself is left as it is.
func fromNearby(c *profile.Customer, offers []nearby.Offer, bySKU map[string]catalog.Item,
	f filter, taken map[string]bool, limit int) []Suggestion {

	if c.Consent.Scope != profile.ScopeGroup || len(offers) == 0 || limit <= 0 {
		return nil
	}
	skip := maps.Clone(taken)
	for sku, it := range bySKU {
		if f.eligible(it) {
			skip[sku] = true
		}
	}
	nearest := nearestOffers(offers, f, skip)
	out := nearbyInquiries(c, nearest, limit)
	inquired := make(map[string]bool, len(out))
	for _, s := range out {
		inquired[s.SKU] = true
	}
	return append(out, nearbyGoesWith(c, nearest, bySKU, inquired, limit-len(out))...)
}

// nearestOffers keeps, per SKU not taken, the nearest offer that is eligible for her at
// its boutique. offers come nearest first.
func nearestOffers(offers []nearby.Offer, f filter, taken map[string]bool) []nearby.Offer {
	seen := map[string]bool{}
	var out []nearby.Offer
	for _, o := range offers {
		if taken[o.Item.SKU] || seen[o.Item.SKU] {
			continue
		}
		at := f
		at.boutique = o.Boutique
		if !at.eligible(o.Item) {
			continue
		}
		seen[o.Item.SKU] = true
		out = append(out, o)
	}
	return out
}

// nearbyInquiries returns the offers she asked about, newest inquiry first.
func nearbyInquiries(c *profile.Customer, offers []nearby.Offer, limit int) []Suggestion {
	bySKU := make(map[string]nearby.Offer, len(offers))
	for _, o := range offers {
		bySKU[o.Item.SKU] = o
	}
	var out []Suggestion
	seen := map[string]bool{}
	for i := len(c.Inquiries) - 1; i >= 0 && len(out) < limit; i-- {
		q := c.Inquiries[i]
		o, ok := bySKU[q.SKU]
		if !ok || seen[q.SKU] {
			continue
		}
		seen[q.SKU] = true
		out = append(out, nearbySuggestion(o, inquiryPhrase(o.Item, q)+"; in stock at "+
			sisterPlace(o)+"."))
	}
	return out
}

// nearbyGoesWith scores the offers against her purchases here and at the sister
// boutiques, with the sister boutiques' sales as popularity, best first, then nearest.
func nearbyGoesWith(c *profile.Customer, offers []nearby.Offer, bySKU map[string]catalog.Item,
	skip map[string]bool, limit int) []Suggestion {

	if limit <= 0 {
		return nil
	}
	t := tasteOf(c, withOffers(bySKU, offers))
	popularity := salesOfOffers(offers)
	type candidate struct {
		offer nearby.Offer
		s     scored
	}
	var candidates []candidate
	for _, o := range offers {
		if skip[o.Item.SKU] {
			continue
		}
		if s := score(c, o.Item, t, popularity); s.score > 0 {
			candidates = append(candidates, candidate{o, s})
		}
	}
	slices.SortFunc(candidates, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.s.score, a.s.score), cmp.Compare(a.offer.Km, b.offer.Km),
			strings.Compare(a.offer.Item.SKU, b.offer.Item.SKU))
	})

	out := make([]Suggestion, 0, min(limit, len(candidates)))
	for _, cand := range candidates[:min(limit, len(candidates))] {
		out = append(out, nearbySuggestion(cand.offer, nearbyGoesWithReason(cand.s,
			cand.offer)))
	}
	return out
}

// salesOfOffers returns the sales of each offered SKU, or nil when no boutique reported
// any, so that the score is taste alone.
func salesOfOffers(offers []nearby.Offer) map[string]int {
	var out map[string]int
	for _, o := range offers {
		if o.Sales > 0 {
			if out == nil {
				out = map[string]int{}
			}
			out[o.Item.SKU] = o.Sales
		}
	}
	return out
}

// withOffers returns the items of this boutique and of the offers by SKU, so that her
// purchases at a sister boutique count in her taste. This boutique's item wins.
func withOffers(bySKU map[string]catalog.Item, offers []nearby.Offer) map[string]catalog.Item {
	out := make(map[string]catalog.Item, len(bySKU)+len(offers))
	for _, o := range offers {
		out[o.Item.SKU] = o.Item
	}
	for sku, it := range bySKU {
		out[sku] = it
	}
	return out
}

// nearbySuggestion is a suggestion of rule 3 with its reason.
func nearbySuggestion(o nearby.Offer, reason string) Suggestion {
	return Suggestion{SKU: o.Item.SKU, Name: o.Item.Name, Rule: RuleNearby,
		Boutique: o.Boutique, Brand: o.Brand, Km: o.Km, Reason: reason}
}

// nearbyGoesWithReason is the reason of rule 3 for an item that goes with her purchases:
// "She bought the Riviera pearl drop earrings; suggest the Lune pearl clutch, also in
// pearl, in stock at our sister house lune (lune-honore, 850 m away)."
func nearbyGoesWithReason(s scored, o nearby.Offer) string {
	if !s.link.linked() {
		return fmt.Sprintf("Suggest the %s, %s, in stock at %s.", o.Item.Name,
			linkPhrase(s.link), sisterPlace(o))
	}
	return fmt.Sprintf("She bought the %s; suggest the %s, %s, in stock at %s.",
		s.link.bought, o.Item.Name, linkPhrase(s.link), sisterPlace(o))
}

// sisterPlace names where an offer is: "our sister house lune (lune-honore, 850 m away)".
func sisterPlace(o nearby.Offer) string {
	return fmt.Sprintf("our sister house %s (%s, %s away)", o.Brand, o.Boutique,
		distanceText(o.Km))
}

// distanceText formats a distance as an assistant reads it aloud: "350 m", "1.2 km", "12 km".
func distanceText(km float64) string {
	switch {
	case km < 1:
		return fmt.Sprintf("%d m", max(50, int(km*20+0.5)*50))
	case km < 10:
		return fmt.Sprintf("%.1f km", km)
	}
	return fmt.Sprintf("%.0f km", km)
}
