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

// Source describes a sister boutique nearby for the status page: the stock the cache
// holds of it, and the last failure to fetch it.
type Source struct {
	Boutique string  `json:"boutique"`
	Brand    string  `json:"brand"`
	Km       float64 `json:"km"`
	// Items is the number of items held, InStock the number the boutique has in stock.
	Items   int `json:"items"`
	InStock int `json:"in_stock"`
	// FetchedAt is when the list held was fetched, zero when none is held.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// Error is the reason the last fetch failed, empty when it succeeded.
	Error string `json:"error,omitempty"`
}

// Cache holds the latest stock list of each sister boutique nearby and drops a list
// older than its maximum age, so a boutique that went away stops being suggested. It is
// safe for concurrent use.
type Cache struct {
	maxAge time.Duration
	now    func() time.Time

	mu       sync.Mutex
	entries  map[string]entry   // by boutique
	failures map[string]failure // by boutique, cleared by the next success
}

// failure is the last failed fetch from a boutique.
type failure struct {
	brand string
	km    float64
	err   string
	count int // failures in a row
}

type entry struct {
	stock     Stock
	km        float64
	fetchedAt time.Time
}

// NewCache returns an empty cache whose lists expire after maxAge.
func NewCache(maxAge time.Duration) *Cache {
	return &Cache{maxAge: maxAge, now: time.Now, entries: map[string]entry{},
		failures: map[string]failure{}}
}

// Put stores the stock list of a sister boutique km away, replacing its earlier list.
func (c *Cache) Put(s Stock, km float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[s.Boutique] = entry{stock: s, km: km, fetchedAt: c.now()}
	delete(c.failures, s.Boutique)
}

// Fail records a failed fetch from a sister boutique km away and returns how many fetches
// in a row have failed. The list held, if any, stays until it expires.
func (c *Cache) Fail(boutique, brand string, km float64, err error) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.failures[boutique]
	f.brand, f.km, f.err = brand, km, err.Error()
	f.count++
	c.failures[boutique] = f
	return f.count
}

// Drop removes the list of a boutique, such as one that is no longer nearby.
func (c *Cache) Drop(boutique string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, boutique)
	delete(c.failures, boutique)
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

// Sources describes the fresh lists and the boutiques whose last fetch failed, nearest
// boutique first.
func (c *Cache) Sources() []Source {
	fresh := c.fresh()
	c.mu.Lock()
	defer c.mu.Unlock()

	out := []Source{}
	held := map[string]bool{}
	for _, e := range fresh {
		held[e.stock.Boutique] = true
		out = append(out, Source{Boutique: e.stock.Boutique, Brand: e.stock.Brand,
			Km: e.km, Items: len(e.stock.Items), InStock: e.stock.InStock,
			FetchedAt: e.fetchedAt, Error: c.failures[e.stock.Boutique].err})
	}
	for name, f := range c.failures {
		if !held[name] {
			out = append(out, Source{Boutique: name, Brand: f.brand, Km: f.km, Error: f.err})
		}
	}
	slices.SortFunc(out, func(a, b Source) int {
		return cmp.Or(cmp.Compare(a.Km, b.Km), strings.Compare(a.Boutique, b.Boutique))
	})
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
