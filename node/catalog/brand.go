package catalog

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// ImportWith is Import with store in place of Put for the rows that pass: a node of a
// mesh stores the descriptions through its brand's replication group and only the stock
// here itself. The Result is the same; a store error is returned as is.
func (c *Catalog) ImportWith(r io.Reader, format Format,
	store func([]Item) error) (Result, error) {

	return c.importWith(r, format, store)
}

// Description returns it without any boutique's stock, as the brand's boutiques share it.
func Description(it Item) Item {
	it.Stock, it.SizeStock = nil, nil
	return it
}

// PutDescriptionsIn adds the descriptions of items to b, replacing those stored, with
// at as their update time, and leaves every boutique's stock as it is. It is for a
// replicated import, which must not read the local clock. It returns an error wrapping
// ErrInvalid, and adds nothing, when an item is invalid.
func (c *Catalog) PutDescriptionsIn(b *pebble.Batch, items []Item, at time.Time) error {
	for _, it := range items {
		if err := Validate(Description(it)); err != nil {
			return fmt.Errorf("item %s: %w", it.SKU, err)
		}
	}
	for _, it := range items {
		d := Description(it)
		d.UpdatedAt = at.UTC()
		if err := c.putDescription(b, d); err != nil {
			return err
		}
	}
	return nil
}

// PutStock stores, in one synced batch, this boutique's stock of each item as the item
// carries it, and nothing else. The items must be valid.
func (c *Catalog) PutStock(items []Item) error {
	b := c.db.NewBatch()
	defer b.Close()
	for _, it := range items {
		if err := c.putStockOf(b, it); err != nil {
			return err
		}
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit stock of %d items: %w", len(items), err)
	}
	return nil
}

// EachDescription calls fn with each item description stored in r, such as a Pebble
// snapshot, in SKU order, without stock. It stops at the first error fn returns.
func EachDescription(r pebble.Reader, fn func(Item) error) error {
	iter, err := r.NewIter(prefixBounds(itemPrefix))
	if err != nil {
		return fmt.Errorf("scan catalogue: %w", err)
	}
	defer iter.Close()

	for iter.First(); iter.Valid(); iter.Next() {
		var it Item
		if err := json.Unmarshal(iter.Value(), &it); err != nil {
			return fmt.Errorf("decode catalogue item %s: %w", iter.Key(), err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return iter.Error()
}
