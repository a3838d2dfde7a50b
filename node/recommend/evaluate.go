package recommend

import (
	"cmp"
	"slices"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// Evaluation is the outcome of a held-out test: each client's last purchase is hidden,
// and a strategy hits when the hidden item is among its first K suggestions.
type Evaluation struct {
	K       int `json:"k"`
	Clients int `json:"clients"`
	// Popularity is the hits of the baseline: the K best sellers she does not own, in stock
	// here.
	Popularity int `json:"popularity_hits"`
	// Rules is the hits of Recommend without popularity.
	Rules int `json:"rules_hits"`
	// RulesPopular is the hits of Recommend with popularity breaking ties.
	RulesPopular int `json:"rules_popular_hits"`
}

// Rate returns hits as a share of the clients evaluated.
func (e Evaluation) Rate(hits int) float64 {
	if e.Clients == 0 {
		return 0
	}
	return float64(hits) / float64(e.Clients)
}

// Evaluate hides the last purchase of every client with two or more, recommends from the
// rest of her history, and counts hits at k for the popularity baseline and for Recommend.
// Inquiries made before the hidden purchase stay in her history when withInquiries is
// set; later ones are always dropped. Sales counted for popularity exclude hidden
// purchases.
func Evaluate(items []catalog.Item, clients []*profile.Customer, boutique string, k int,
	withInquiries bool) Evaluation {

	ev := Evaluation{K: k}
	histories, hidden := holdOut(clients, withInquiries)
	popularity := salesOf(histories)
	ranked := bestSellers(items, popularity, boutique)
	bySKU := make(map[string]catalog.Item, len(items))
	for _, it := range items {
		bySKU[it.SKU] = it
	}

	for i, h := range histories {
		if hidden[i] == "" {
			continue
		}
		ev.Clients++
		if hit(popularBaseline(h, ranked, bySKU, boutique, k), hidden[i]) {
			ev.Popularity++
		}
		opts := Options{Boutique: boutique, Max: k}
		if hit(skus(Recommend(h, items, opts)), hidden[i]) {
			ev.Rules++
		}
		opts.Popularity = popularity
		if hit(skus(Recommend(h, items, opts)), hidden[i]) {
			ev.RulesPopular++
		}
	}
	return ev
}

// holdOut returns each client's history without her last purchase, and that purchase's
// SKU, or "" for a client with fewer than two purchases.
func holdOut(clients []*profile.Customer, withInquiries bool) ([]*profile.Customer,
	[]string) {

	histories := make([]*profile.Customer, len(clients))
	hidden := make([]string, len(clients))
	for i, c := range clients {
		h := *c
		purchases := slices.Clone(c.Purchases)
		slices.SortStableFunc(purchases, func(a, b profile.Purchase) int {
			return a.At.Compare(b.At)
		})
		h.Purchases, h.Inquiries = purchases, nil
		histories[i] = &h
		if len(purchases) < 2 {
			continue
		}

		last := purchases[len(purchases)-1]
		hidden[i] = last.SKU
		h.Purchases = purchases[:len(purchases)-1]
		if withInquiries {
			for _, q := range c.Inquiries {
				if q.At.Before(last.At) {
					h.Inquiries = append(h.Inquiries, q)
				}
			}
		}
	}
	return histories, hidden
}

func salesOf(clients []*profile.Customer) map[string]int {
	sales := map[string]int{}
	for _, c := range clients {
		for _, p := range c.Purchases {
			sales[p.SKU]++
		}
	}
	return sales
}

// bestSellers returns the SKUs in stock at boutique, best-selling first.
func bestSellers(items []catalog.Item, sales map[string]int, boutique string) []string {
	var inStock []string
	for _, it := range items {
		if it.StockAt(boutique) > 0 {
			inStock = append(inStock, it.SKU)
		}
	}
	slices.SortFunc(inStock, func(a, b string) int {
		return cmp.Or(cmp.Compare(sales[b], sales[a]), strings.Compare(a, b))
	})
	return inStock
}

// popularBaseline returns the first k of ranked that c does not own.
func popularBaseline(c *profile.Customer, ranked []string, bySKU map[string]catalog.Item,
	boutique string, k int) []string {
	owned := map[string]bool{}
	for _, p := range c.Purchases {
		owned[p.SKU] = true
	}
	out := make([]string, 0, k)
	for _, sku := range ranked {
		if len(out) == k {
			break
		}
		if !owned[sku] && bySKU[sku].StockInSizes(boutique, c.Preferences.Sizes) > 0 {
			out = append(out, sku)
		}
	}
	return out
}

func skus(list []Suggestion) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.SKU
	}
	return out
}

func hit(suggested []string, want string) bool {
	return slices.Contains(suggested, want)
}
