package catalog

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// scanItems reads every item description, keyed by SKU.
func (c *Catalog) scanItems() (map[string]*Item, error) {
	iter, err := c.db.NewIter(prefixBounds(itemPrefix))
	if err != nil {
		return nil, fmt.Errorf("scan catalogue: %w", err)
	}
	defer iter.Close()

	items := map[string]*Item{}
	for iter.First(); iter.Valid(); iter.Next() {
		it := &Item{}
		if err := json.Unmarshal(iter.Value(), it); err != nil {
			return nil, fmt.Errorf("decode catalogue item %s: %w", iter.Key(), err)
		}
		items[it.SKU] = it
	}
	if err := iter.Error(); err != nil {
		return nil, fmt.Errorf("scan catalogue: %w", err)
	}
	return items, nil
}

// scanStock fills the Stock and SizeStock of items from every stock key.
func (c *Catalog) scanStock(items map[string]*Item) error {
	iter, err := c.db.NewIter(prefixBounds(stockPrefix))
	if err != nil {
		return fmt.Errorf("scan stock: %w", err)
	}
	defer iter.Close()

	for iter.First(); iter.Valid(); iter.Next() {
		sku, boutique, n, sizes, err := decodeStock(iter.Key(), iter.Value())
		if err != nil {
			return err
		}
		it, ok := items[sku]
		if !ok {
			continue
		}
		if it.Stock == nil {
			it.Stock = map[string]int{}
		}
		it.Stock[boutique] = n
		if sizes = sizesOfItem(it.Sizes, sizes); sizes != nil {
			if it.SizeStock == nil {
				it.SizeStock = map[string]map[string]int{}
			}
			it.SizeStock[boutique] = sizes
		}
	}
	if err := iter.Error(); err != nil {
		return fmt.Errorf("scan stock: %w", err)
	}
	return nil
}

// stockOf reads the stock of one SKU in every boutique stored here: the totals, and the
// per-size counts of the boutiques that have them (nil when none has).
func (c *Catalog) stockOf(sku string) (map[string]int, map[string]map[string]int, error) {
	iter, err := c.db.NewIter(prefixBounds(stockPrefix + sku + "/"))
	if err != nil {
		return nil, nil, fmt.Errorf("read stock of %s: %w", sku, err)
	}
	defer iter.Close()

	stock := map[string]int{}
	var sizeStock map[string]map[string]int
	for iter.First(); iter.Valid(); iter.Next() {
		_, boutique, n, sizes, err := decodeStock(iter.Key(), iter.Value())
		if err != nil {
			return nil, nil, err
		}
		stock[boutique] = n
		if sizes != nil {
			if sizeStock == nil {
				sizeStock = map[string]map[string]int{}
			}
			sizeStock[boutique] = sizes
		}
	}
	if err := iter.Error(); err != nil {
		return nil, nil, fmt.Errorf("read stock of %s: %w", sku, err)
	}
	return stock, sizeStock, nil
}

// decodeStock splits a cat/stock/<sku>/<boutique> key and parses its total and per-size
// counts, which are nil for a bare decimal value. An SKU never contains '/', so the first
// '/' after the prefix ends it.
func decodeStock(key, value []byte) (sku, boutique string, n int, sizes map[string]int,
	err error) {

	rest := strings.TrimPrefix(string(key), stockPrefix)
	sku, boutique, ok := strings.Cut(rest, "/")
	if !ok {
		return "", "", 0, nil, fmt.Errorf("malformed stock key %q", key)
	}
	n, sizes, err = decodeStockValue(value)
	if err != nil {
		return "", "", 0, nil, fmt.Errorf("stock of %s at %s: %w", sku, boutique, err)
	}
	return sku, boutique, n, sizes, nil
}

// prefixBounds returns iterator options that visit exactly the keys starting with prefix.
func prefixBounds(prefix string) *pebble.IterOptions {
	upper := []byte(prefix)
	upper[len(upper)-1]++
	return &pebble.IterOptions{LowerBound: []byte(prefix), UpperBound: upper}
}
