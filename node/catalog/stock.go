package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/cockroachdb/pebble/v2"
)

// storedSizes is the stored value of a stock key with per-size counts, such as
// {"sizes":{"37":2,"38":1}}. The total is the sum of the sizes, so it is not stored.
type storedSizes struct {
	Sizes map[string]int `json:"sizes"`
}

// SetSizeStock replaces this boutique's per-size counts of sku with sizes, for a delivery
// or a count, and sets its total to their sum. A size of the item missing from sizes has
// no pieces afterwards. Sizes are compared case-insensitively and stored in the item's
// own spelling. It returns an error wrapping ErrNotFound when the catalogue has no such
// item, and ErrInvalid when sizes is empty, names a size the item does not come in, or
// has a count outside 0 to MaxStock.
func (c *Catalog) SetSizeStock(sku string, sizes map[string]int) (Item, error) {
	it, err := c.Get(sku)
	if err != nil {
		return Item{}, err
	}
	if err := checkSizeStock(it.Sizes, sizes); err != nil {
		return Item{}, err
	}
	total := sumCounts(sizes)
	if err := ValidateStock(total); err != nil {
		return Item{}, fmt.Errorf("sum of the sizes: %w", err)
	}

	value, err := encodeStock(total, canonicalSizes(it.Sizes, sizes))
	if err != nil {
		return Item{}, fmt.Errorf("encode stock of %s: %w", sku, err)
	}
	key := []byte(stockPrefix + sku + "/" + c.boutique)
	if err := c.db.Set(key, value, pebble.Sync); err != nil {
		return Item{}, fmt.Errorf("write stock of %s: %w", sku, err)
	}
	return c.Get(sku)
}

// encodeStock returns the stored value of a boutique's stock: a bare decimal total when
// sizes is empty, as written before per-size counts existed, and storedSizes otherwise.
func encodeStock(total int, sizes map[string]int) ([]byte, error) {
	if len(sizes) == 0 {
		return []byte(strconv.Itoa(total)), nil
	}
	return json.Marshal(storedSizes{Sizes: sizes})
}

// decodeStockValue parses a value written by encodeStock: a bare decimal is a total
// without per-size counts, and a JSON object holds the counts whose sum is the total.
func decodeStockValue(value []byte) (total int, sizes map[string]int, err error) {
	if !bytes.HasPrefix(value, []byte("{")) {
		total, err = strconv.Atoi(string(value))
		return total, nil, err
	}

	var stored storedSizes
	if err := json.Unmarshal(value, &stored); err != nil {
		return 0, nil, err
	}
	if len(stored.Sizes) == 0 {
		return 0, nil, fmt.Errorf("stock value %s lists no sizes", value)
	}
	return sumCounts(stored.Sizes), stored.Sizes, nil
}
