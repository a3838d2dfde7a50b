package recommend

import (
	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/node/profile"
)

// EvaluateNearby measures rule 3 alone. Clients buy from both brands. A client with two
// or more purchases whose last one is an item of the sister boutique has it hidden and is
// given group consent. Rule 3 then fills all k places from the sister's stock, and hits
// when the hidden item is among them. The baseline suggests the sister's k best sellers
// in stock in her sizes that she does not own. Rules counts rule 3 ranking by taste
// alone, RulesPopular with the sister's sales added, as a sister boutique sends them.
func EvaluateNearby(own, sister []catalog.Item, clients []*profile.Customer,
	boutique, sisterBoutique string, k int) Evaluation {

	ev := Evaluation{K: k}
	histories, hidden := holdOut(clients, false)
	sales := salesOf(histories)
	ranked := bestSellers(sister, sales, sisterBoutique)
	sisterSKU := make(map[string]catalog.Item, len(sister))
	for _, it := range sister {
		sisterSKU[it.SKU] = it
	}
	withSales, tasteOnly := sisterOffers(sister, sisterBoutique, sales)

	for i, h := range histories {
		if _, ok := sisterSKU[hidden[i]]; !ok {
			continue
		}
		ev.Clients++
		h.Consent.Scope = profile.ScopeGroup
		if hit(popularBaseline(h, ranked, sisterSKU, sisterBoutique, k), hidden[i]) {
			ev.Popularity++
		}
		opts := Options{Boutique: boutique, Max: k, NearbyMax: k, Nearby: tasteOnly}
		if hit(skus(Recommend(h, own, opts)), hidden[i]) {
			ev.Rules++
		}
		opts.Nearby = withSales
		if hit(skus(Recommend(h, own, opts)), hidden[i]) {
			ev.RulesPopular++
		}
	}
	return ev
}

// sisterOffers returns the sister's items in stock as offers 800 m away, with and without
// their sales.
func sisterOffers(sister []catalog.Item, boutique string,
	sales map[string]int) (withSales, tasteOnly []nearby.Offer) {

	for _, it := range sister {
		if it.StockAt(boutique) <= 0 {
			continue
		}
		o := nearby.Offer{Item: it, Boutique: boutique, Brand: "sister", Km: 0.8}
		tasteOnly = append(tasteOnly, o)
		o.Sales = sales[it.SKU]
		withSales = append(withSales, o)
	}
	return withSales, tasteOnly
}
