package nearby

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
)

// Offer is an item in stock at a sister boutique nearby.
type Offer struct {
	Item     catalog.Item
	Boutique string
	Brand    string
	// Km is the distance from this boutique to the sister boutique.
	Km float64
	// Sales is the pieces of the item sold at the sister boutique.
	Sales int
}

// Source describes a sister boutique whose stock the cache holds, for the status page.
type Source struct {
	Boutique  string    `json:"boutique"`
	Brand     string    `json:"brand"`
	Km        float64   `json:"km"`
	Items     int       `json:"items"`
	FetchedAt time.Time `json:"fetched_at"`
}

// Cache holds the latest stock list of each sister boutique nearby and drops a list
// older than its maximum age, so a boutique that went away stops being suggested. It is
// safe for concurrent use.
type Cache struct {
	maxAge time.Duration
	now    func() time.Time

	mu      sync.Mutex
	entries map[string]entry // by boutique
}

type entry struct {
	stock     Stock
	km        float64
	fetchedAt time.Time
}

// NewCache returns an empty cache whose lists expire after maxAge.
func NewCache(maxAge time.Duration) *Cache {
	return &Cache{maxAge: maxAge, now: time.Now, entries: map[string]entry{}}
}

// Put stores the stock list of a sister boutique km away, replacing its earlier list.
func (c *Cache) Put(s Stock, km float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[s.Boutique] = entry{stock: s, km: km, fetchedAt: c.now()}
}

// Drop removes the list of a boutique, such as one that is no longer nearby.
func (c *Cache) Drop(boutique string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, boutique)
}

// Offers returns every item of the fresh lists, nearest boutique first, then by
// boutique name and catalogue order.
func (c *Cache) Offers() []Offer {
	fresh := c.fresh()
	var out []Offer
	for _, e := range fresh {
		for _, it := range e.stock.Items {
			out = append(out, Offer{Item: it, Boutique: e.stock.Boutique,
				Brand: e.stock.Brand, Km: e.km, Sales: e.stock.Sales[it.SKU]})
		}
	}
	return out
}

// Sources describes the fresh lists, nearest boutique first.
func (c *Cache) Sources() []Source {
	out := []Source{}
	for _, e := range c.fresh() {
		out = append(out, Source{Boutique: e.stock.Boutique, Brand: e.stock.Brand,
			Km: e.km, Items: len(e.stock.Items), FetchedAt: e.fetchedAt})
	}
	return out
}

// fresh drops expired lists and returns the others, nearest first.
func (c *Cache) fresh() []entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	out := make([]entry, 0, len(c.entries))
	for name, e := range c.entries {
		if now.Sub(e.fetchedAt) > c.maxAge {
			delete(c.entries, name)
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.km, b.km), strings.Compare(a.stock.Boutique, b.stock.Boutique))
	})
	return out
}
