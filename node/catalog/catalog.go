package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// Key prefixes owned by this package.
const (
	itemPrefix  = "cat/item/"
	stockPrefix = "cat/stock/"
)

// Catalog is one boutique's view of the catalogue in a Pebble database that it shares
// with other packages. It keeps no state of its own, so any number of Catalogs on the same
// database are safe to use at once. Every write is synced.
type Catalog struct {
	db       *pebble.DB
	boutique string
	now      func() time.Time
}

// New returns the catalogue stored in db, with boutique as the name under which this
// node's stock is kept.
func New(db *pebble.DB, boutique string) *Catalog {
	return &Catalog{db: db, boutique: boutique, now: time.Now}
}

// Boutique returns the name under which this node's stock is kept.
func (c *Catalog) Boutique() string {
	return c.boutique
}

// Get returns the item with sku and its stock in every boutique stored here, or an error
// wrapping ErrNotFound.
func (c *Catalog) Get(sku string) (Item, error) {
	raw, closer, err := c.db.Get([]byte(itemPrefix + sku))
	if errors.Is(err, pebble.ErrNotFound) {
		return Item{}, fmt.Errorf("%w: %s", ErrNotFound, sku)
	}
	if err != nil {
		return Item{}, fmt.Errorf("read catalogue item %s: %w", sku, err)
	}
	var it Item
	err = json.Unmarshal(raw, &it)
	closer.Close()
	if err != nil {
		return Item{}, fmt.Errorf("decode catalogue item %s: %w", sku, err)
	}

	stock, sizeStock, err := c.stockOf(sku)
	if err != nil {
		return Item{}, err
	}
	for boutique, sizes := range sizeStock {
		if sizeStock[boutique] = sizesOfItem(it.Sizes, sizes); sizeStock[boutique] == nil {
			delete(sizeStock, boutique)
		}
	}
	if len(sizeStock) == 0 {
		sizeStock = nil
	}
	it.Stock, it.SizeStock = stock, sizeStock
	return it, nil
}

// Search returns up to limit items whose SKU, name or category contains q, compared
// case-insensitively, ordered by SKU. An empty q matches every item, and a limit of zero
// or less means no limit.
//
// NOTE: Search reads the whole catalogue, which is fine for a boutique's few thousand
// items; a catalogue of hundreds of thousands would want an index.
func (c *Catalog) Search(q string, limit int) ([]Item, error) {
	all, err := c.All()
	if err != nil {
		return nil, err
	}

	q = strings.ToLower(strings.TrimSpace(q))
	out := []Item{}
	for _, it := range all {
		if limit > 0 && len(out) >= limit {
			break
		}
		if it.matches(q) {
			out = append(out, it)
		}
	}
	return out, nil
}

// All returns every item with its stock, ordered by SKU.
func (c *Catalog) All() ([]Item, error) {
	items, err := c.scanItems()
	if err != nil {
		return nil, err
	}
	if err := c.scanStock(items); err != nil {
		return nil, err
	}

	out := make([]Item, 0, len(items))
	for _, it := range items {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b Item) int { return strings.Compare(a.SKU, b.SKU) })
	return out, nil
}

// Put validates items and stores them in one synced batch, replacing the description of
// an SKU already stored. Each item's Stock entries are written for their boutiques, and
// stock of other boutiques is kept. Nothing is written when one item is invalid.
func (c *Catalog) Put(items []Item) error {
	for _, it := range items {
		if err := Validate(it); err != nil {
			return fmt.Errorf("item %s: %w", it.SKU, err)
		}
	}

	b := c.db.NewBatch()
	defer b.Close()
	for _, it := range items {
		if err := c.putItem(b, it); err != nil {
			return err
		}
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit %d catalogue items: %w", len(items), err)
	}
	return nil
}

// SetStock sets this boutique's stock of sku to n, for a delivery or a count, and clears
// its per-size counts. It returns an error wrapping ErrNotFound when the catalogue has no
// such item.
func (c *Catalog) SetStock(sku string, n int) (Item, error) {
	if err := ValidateStock(n); err != nil {
		return Item{}, err
	}
	if _, err := c.Get(sku); err != nil {
		return Item{}, err
	}

	key := []byte(stockPrefix + sku + "/" + c.boutique)
	if err := c.db.Set(key, []byte(strconv.Itoa(n)), pebble.Sync); err != nil {
		return Item{}, fmt.Errorf("write stock of %s: %w", sku, err)
	}
	return c.Get(sku)
}

// putItem adds an item's description and its stock in each boutique to b. A boutique
// without per-size counts gets a bare total, which clears counts stored earlier.
func (c *Catalog) putItem(b *pebble.Batch, it Item) error {
	d := Description(it)
	d.UpdatedAt = c.now().UTC()
	if err := c.putDescription(b, d); err != nil {
		return err
	}
	return c.putStockOf(b, it)
}

// putDescription adds an item's description, without stock, to b.
func (c *Catalog) putDescription(b *pebble.Batch, d Item) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode catalogue item %s: %w", d.SKU, err)
	}
	if err := b.Set([]byte(itemPrefix+d.SKU), raw, nil); err != nil {
		return fmt.Errorf("batch catalogue item %s: %w", d.SKU, err)
	}
	return nil
}

// putStockOf adds the stock an item carries, per boutique, to b.
func (c *Catalog) putStockOf(b *pebble.Batch, it Item) error {
	for boutique, n := range it.Stock {
		value, err := encodeStock(n, canonicalSizes(it.Sizes, it.SizeStock[boutique]))
		if err != nil {
			return fmt.Errorf("encode stock of %s: %w", it.SKU, err)
		}
		key := []byte(stockPrefix + it.SKU + "/" + boutique)
		if err := b.Set(key, value, nil); err != nil {
			return fmt.Errorf("batch stock of %s: %w", it.SKU, err)
		}
	}
	return nil
}
