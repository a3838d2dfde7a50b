package gallery

import (
	"math"
	"slices"
)

// maxListK is the largest k for which a collector keeps its top clients in a sorted list.
// Above it, the collector keeps every client's best distance in an array instead, because
// inserting into a long list for each row would cost more than the scan.
const maxListK = 64

// hit is a client slot and a squared distance from the probe to one of her rows.
type hit struct {
	slot int32
	sq   float32
}

// before orders hits by squared distance, then by slot, so that ties resolve the same way
// whatever order the rows were scanned in.
func (h hit) before(other hit) bool {
	if h.sq != other.sq {
		return h.sq < other.sq
	}

	return h.slot < other.slot
}

// collector keeps, while rows are scanned, the k clients closest to the probe, each with
// the squared distance of her closest row.
type collector struct {
	k int

	// top holds the best hit per client, sorted by before, at most k of them (list mode).
	top []hit

	// best holds each slot's smallest squared distance, or -1 before any (array mode).
	best []float32

	// bound is the largest squared distance that can still change the result: a row
	// farther than bound is skipped without calling offer.
	bound float32
}

// newCollector returns a collector of the k best clients among slots client slots.
func newCollector(k, slots int) *collector {
	c := &collector{k: k, bound: float32(math.Inf(1))}

	if k <= maxListK {
		c.top = make([]hit, 0, k+1)
		return c
	}

	c.best = make([]float32, slots)
	for i := range c.best {
		c.best[i] = -1
	}

	return c
}

// offer records that slot has a row at squared distance sq from the probe.
func (c *collector) offer(slot int32, sq float32) {
	if c.best != nil {
		if b := c.best[slot]; b < 0 || sq < b {
			c.best[slot] = sq
		}

		return
	}

	c.offerList(hit{slot: slot, sq: sq})
}

// offerList inserts h into the sorted top list, replacing the client's earlier hit if h is
// better, and tightens bound once the list holds k clients.
func (c *collector) offerList(h hit) {
	for i, old := range c.top {
		if old.slot != h.slot {
			continue
		}

		if !h.before(old) {
			return
		}

		c.top = slices.Delete(c.top, i, i+1)

		break
	}

	at, _ := slices.BinarySearchFunc(c.top, h, func(e, target hit) int {
		if e.before(target) {
			return -1
		}

		return 1
	})
	c.top = slices.Insert(c.top, at, h)

	if len(c.top) > c.k {
		c.top = c.top[:c.k]
	}

	if len(c.top) == c.k {
		c.bound = c.top[c.k-1].sq
	}
}

// merge adds the clients found by other, which scanned a different part of the rows.
func (c *collector) merge(other *collector) {
	if c.best != nil {
		for slot, sq := range other.best {
			if sq >= 0 {
				c.offer(int32(slot), sq)
			}
		}

		return
	}

	for _, h := range other.top {
		if h.sq <= c.bound {
			c.offerList(h)
		}
	}
}

// hits returns the k best clients, closest first.
func (c *collector) hits() []hit {
	if c.best == nil {
		return c.top
	}

	var all []hit
	for slot, sq := range c.best {
		if sq >= 0 {
			all = append(all, hit{slot: int32(slot), sq: sq})
		}
	}

	slices.SortFunc(all, func(a, b hit) int {
		if a.before(b) {
			return -1
		}

		return 1
	})

	return all[:min(len(all), c.k)]
}
