// Package gallery keeps the face descriptors of consented clients in memory and finds the
// clients nearest to a probe descriptor by brute-force Euclidean search.
//
// A gallery serves one engine, so all of its descriptors have one dimension (128 for
// dlib's ResNet, 512 for the ONNX engine). A client may have several descriptors, and a
// search ranks clients by the distance of their closest descriptor.
package gallery

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// ErrDimension is returned when a descriptor or probe does not have the gallery's dimension.
var ErrDimension = errors.New("descriptor has the wrong dimension")

// ErrInvalidValue is returned when a descriptor or probe contains NaN or an infinity.
var ErrInvalidValue = errors.New("descriptor contains NaN or infinity")

// ErrEmptyID is returned when a descriptor is added without a client id.
var ErrEmptyID = errors.New("client id is empty")

// Candidate is one client and the Euclidean distance from a probe to her closest descriptor.
type Candidate struct {
	ID       string
	Distance float32
}

// Gallery is an in-memory set of client descriptors. It is safe for concurrent use: many
// searches run in parallel, and Add and Remove take an exclusive lock.
type Gallery struct {
	mu  sync.RWMutex
	dim int

	// vecs holds the descriptors row-major, dim values per row, so a search streams memory.
	vecs []float32

	// owner holds the client slot of each row.
	owner []int32

	// ids maps a slot to its client id. A free slot has the empty id.
	ids []string

	// slots maps a client id to its slot.
	slots map[string]int32

	// freeSlots lists the slots of removed clients, reused by Add.
	freeSlots []int32
}

// New returns an empty gallery for descriptors of dim values. It panics if dim < 1,
// because a gallery without a dimension is a programming error.
func New(dim int) *Gallery {
	if dim < 1 {
		panic(fmt.Sprintf("gallery: dimension must be at least 1, got %d", dim))
	}

	return &Gallery{dim: dim, slots: make(map[string]int32)}
}

// Dim returns the number of values in each descriptor of the gallery.
func (g *Gallery) Dim() int {
	return g.dim
}

// Grow reserves space for n more descriptors, so that adding many of them does not
// reallocate and copy the whole gallery several times.
func (g *Gallery) Grow(n int) {
	if n < 1 {
		return
	}

	g.mu.Lock()
	defer g.mu.Unlock()

	g.vecs = slices.Grow(g.vecs, n*g.dim)
	g.owner = slices.Grow(g.owner, n)
}

// Add copies vec into the gallery as one more descriptor of the client id. It returns
// ErrEmptyID, ErrDimension or ErrInvalidValue, wrapped, when the input is invalid.
func (g *Gallery) Add(id string, vec []float32) error {
	if id == "" {
		return fmt.Errorf("add descriptor: %w", ErrEmptyID)
	}

	err := g.checkVector(vec)
	if err != nil {
		return fmt.Errorf("add descriptor of client %q: %w", id, err)
	}

	g.mu.Lock()
	defer g.mu.Unlock()

	slot := g.slotFor(id)
	g.vecs = append(g.vecs, vec...)
	g.owner = append(g.owner, slot)

	return nil
}

// Remove deletes every descriptor of the client id and returns how many it deleted.
// Removing an unknown client deletes nothing and returns 0.
func (g *Gallery) Remove(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()

	slot, ok := g.slots[id]
	if !ok {
		return 0
	}

	removed := g.deleteRows(slot)

	delete(g.slots, id)
	g.ids[slot] = ""
	g.freeSlots = append(g.freeSlots, slot)

	return removed
}

// Len returns the number of descriptors in the gallery.
func (g *Gallery) Len() int {
	g.mu.RLock()
	defer g.mu.RUnlock()

	return len(g.owner)
}

// Clients returns the number of clients with at least one descriptor in the gallery.
func (g *Gallery) Clients() int {
	g.mu.RLock()
	defer g.mu.RUnlock()

	return len(g.slots)
}

// checkVector returns an error unless vec has the gallery's dimension and only finite values.
func (g *Gallery) checkVector(vec []float32) error {
	if len(vec) != g.dim {
		return fmt.Errorf("%w: got %d values, want %d", ErrDimension, len(vec), g.dim)
	}

	for i, v := range vec {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: value %d is %v", ErrInvalidValue, i, v)
		}
	}

	return nil
}

// slotFor returns the slot of the client id, assigning one if she is new. The caller
// holds the write lock.
func (g *Gallery) slotFor(id string) int32 {
	slot, ok := g.slots[id]
	if ok {
		return slot
	}

	if n := len(g.freeSlots); n > 0 {
		slot = g.freeSlots[n-1]
		g.freeSlots = g.freeSlots[:n-1]
		g.ids[slot] = id
	} else {
		slot = int32(len(g.ids))
		g.ids = append(g.ids, id)
	}

	g.slots[id] = slot

	return slot
}

// deleteRows removes the rows of slot by moving the last row into each hole, and returns
// how many it removed. The caller holds the write lock.
func (g *Gallery) deleteRows(slot int32) int {
	removed := 0
	row := 0

	for row < len(g.owner) {
		if g.owner[row] != slot {
			row++
			continue
		}

		last := len(g.owner) - 1
		copy(g.vecs[row*g.dim:(row+1)*g.dim], g.vecs[last*g.dim:])
		g.owner[row] = g.owner[last]
		g.vecs = g.vecs[:last*g.dim]
		g.owner = g.owner[:last]
		removed++
	}

	return removed
}
