package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/cockroachdb/pebble/v2"
)

// salesPrefix keys the number of pieces of each SKU sold in this boutique:
// cat/sales/<sku> holds a decimal count.
const salesPrefix = "cat/sales/"

// salesMu serializes the read-modify-write of sales counters. Catalogs keep no state, so
// the lock is shared by every Catalog in the process.
var salesMu sync.Mutex

// RecordSale adds one sale of sku to this boutique's sales count. The SKU need not be in
// the catalogue.
func (c *Catalog) RecordSale(sku string) error {
	if err := ValidateSKU(sku); err != nil {
		return err
	}
	salesMu.Lock()
	defer salesMu.Unlock()

	key := []byte(salesPrefix + sku)
	n := 0
	raw, closer, err := c.db.Get(key)
	switch {
	case err == nil:
		n, err = strconv.Atoi(string(raw))
		closer.Close()
		if err != nil {
			return fmt.Errorf("sales count of %s: %w", sku, err)
		}
	case !errors.Is(err, pebble.ErrNotFound):
		return fmt.Errorf("read sales count of %s: %w", sku, err)
	}

	if err := c.db.Set(key, []byte(strconv.Itoa(n+1)), pebble.Sync); err != nil {
		return fmt.Errorf("write sales count of %s: %w", sku, err)
	}
	return nil
}

// Sales returns the number of pieces sold per SKU, as counted by RecordSale.
func (c *Catalog) Sales() (map[string]int, error) {
	iter, err := c.db.NewIter(prefixBounds(salesPrefix))
	if err != nil {
		return nil, fmt.Errorf("scan sales: %w", err)
	}
	defer iter.Close()

	sales := map[string]int{}
	for iter.First(); iter.Valid(); iter.Next() {
		sku := strings.TrimPrefix(string(iter.Key()), salesPrefix)
		n, err := strconv.Atoi(string(iter.Value()))
		if err != nil {
			return nil, fmt.Errorf("sales count of %s: %w", sku, err)
		}
		sales[sku] = n
	}
	if err := iter.Error(); err != nil {
		return nil, fmt.Errorf("scan sales: %w", err)
	}
	return sales, nil
}
