package nearby

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/omotenashi/omotenashi/node/catalog"
)

// MaxItems is the most items one boutique sends to its sister boutiques, its best
// sellers first. A list longer than this is rejected when it arrives.
const MaxItems = 5000

// Stock is the list a boutique sends to the sister boutiques of its group: its name, brand
// and items in stock, each with this boutique's stock only.
type Stock struct {
	Boutique string         `json:"boutique"`
	Brand    string         `json:"brand"`
	Items    []catalog.Item `json:"items"`
	// InStock is the number of items the boutique has in stock, more than len(Items)
	// when the list was cut to MaxItems.
	InStock int `json:"in_stock"`
	// Sales counts the pieces of each item sold at the boutique, for ranking. It contains
	// nothing about who bought them.
	Sales map[string]int `json:"sales,omitempty"`
}

// InStock returns the Stock that boutique sends from its catalogue: the items with at
// least one piece under stockKey (the name its catalogue keeps its stock under), with
// their sales. Past MaxItems, the best sellers are kept. Each item carries its stock, and
// its count per size when known, under the boutique's name, and no other boutique's.
func InStock(boutique, brand, stockKey string, items []catalog.Item,
	sales map[string]int) Stock {

	out := Stock{Boutique: boutique, Brand: brand, Items: []catalog.Item{},
		Sales: map[string]int{}}
	var inStock []catalog.Item
	for _, it := range items {
		if it.StockAt(stockKey) > 0 {
			inStock = append(inStock, it)
		}
	}
	out.InStock = len(inStock)
	if len(inStock) > MaxItems {
		slices.SortStableFunc(inStock, func(a, b catalog.Item) int {
			return cmp.Compare(sales[b.SKU], sales[a.SKU])
		})
		inStock = inStock[:MaxItems]
	}

	for _, it := range inStock {
		n := it.StockAt(stockKey)
		it.Stock = map[string]int{boutique: n}
		it.SizeStock = onlyOwnSizes(it.SizeStock[stockKey], boutique)
		out.Items = append(out.Items, it)
		if sales[it.SKU] > 0 {
			out.Sales[it.SKU] = sales[it.SKU]
		}
	}
	return out
}

// DecodeStock decodes a Stock that a sister boutique sent and checks it: a boutique and a
// brand, at most MaxItems items, each valid and in stock at that boutique, and sales of
// zero or more. Stock and counts per size of any other boutique are dropped, so a
// boutique speaks only for itself, and so are sales of items not in the list.
func DecodeStock(data []byte) (Stock, error) {
	var s Stock
	if err := json.Unmarshal(data, &s); err != nil {
		return Stock{}, fmt.Errorf("%w: decode stock list: %w", ErrInvalid, err)
	}
	if s.Boutique == "" || s.Brand == "" {
		return Stock{}, fmt.Errorf("%w: stock list without a boutique or a brand", ErrInvalid)
	}
	if len(s.Items) > MaxItems {
		return Stock{}, fmt.Errorf("%w: stock list of %s has %d items, the maximum is %d",
			ErrInvalid, s.Boutique, len(s.Items), MaxItems)
	}

	for i := range s.Items {
		it := &s.Items[i]
		it.SizeStock = onlyOwnSizes(it.SizeStock[s.Boutique], s.Boutique)
		if err := catalog.Validate(*it); err != nil {
			return Stock{}, fmt.Errorf("%w: stock list of %s, item %d: %w",
				ErrInvalid, s.Boutique, i, err)
		}
		n := it.StockAt(s.Boutique)
		if n <= 0 {
			return Stock{}, fmt.Errorf("%w: stock list of %s, item %s: not in stock there",
				ErrInvalid, s.Boutique, it.SKU)
		}
		it.Stock = map[string]int{s.Boutique: n}
	}
	return s, checkSales(&s)
}

// checkSales drops sales of items not in the list and rejects a negative count.
func checkSales(s *Stock) error {
	listed := make(map[string]bool, len(s.Items))
	for _, it := range s.Items {
		listed[it.SKU] = true
	}
	for sku, n := range s.Sales {
		if !listed[sku] {
			delete(s.Sales, sku)
			continue
		}
		if n < 0 {
			return fmt.Errorf("%w: stock list of %s: %d sales of %s", ErrInvalid, s.Boutique,
				n, sku)
		}
	}
	return nil
}

// onlyOwnSizes returns the per-size counts of one boutique under its name, or nil when
// it has none.
func onlyOwnSizes(counts map[string]int, boutique string) map[string]map[string]int {
	if len(counts) == 0 {
		return nil
	}
	return map[string]map[string]int{boutique: counts}
}
