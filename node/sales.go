package node

import (
	"maps"
	"strings"

	"github.com/omotenashi/omotenashi/node/profile"
)

// afterPurchase counts a purchase recorded for this boutique as a sale of its catalogue
// item and takes the piece from this boutique's stock. It runs where the purchase is
// applied: once per purchase in the local store, and on each replica for a brand or
// group client, where only the boutique the purchase names acts. So a purchase sent
// twice, or through two boutiques at once, is counted once.
func (n *Node) afterPurchase(p profile.Purchase) {
	if p.Store != n.cfg.StoreName || p.SKU == "" {
		return
	}
	n.stockMu.Lock()
	defer n.stockMu.Unlock()

	cat := n.catalog()
	it, ok := n.catalogItem(p.SKU)
	if !ok {
		return
	}
	if err := cat.RecordSale(p.SKU); err != nil {
		n.log.Error("count sale failed", "sku", p.SKU, "error", err)
	}

	here := cat.Boutique()
	counts := it.SizeStock[here]
	var err error
	switch {
	case len(counts) > 0:
		left := maps.Clone(counts)
		for size, c := range left {
			if strings.EqualFold(size, p.Size) && c > 0 {
				left[size] = c - 1
			}
		}
		_, err = cat.SetSizeStock(p.SKU, left)
	case it.StockAt(here) > 0:
		_, err = cat.SetStock(p.SKU, it.StockAt(here)-1)
	default:
		n.log.Info("sale of an item with no stock left here", "sku", p.SKU)
	}
	if err != nil {
		n.log.Error("lowering the stock after a sale failed", "sku", p.SKU, "error", err)
	}
}
