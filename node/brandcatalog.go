package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/replicate"
)

// OpCatalogPut replicates item descriptions, without stock, to the boutiques of a brand.
// Its payload is a JSON array of catalog.Item.
const OpCatalogPut = "catalog_put"

// catalogChunk is the number of items one replicated command carries, about 100 KiB.
const catalogChunk = 250

// brandGroupOf returns the Raft group of this boutique's brand, or nil when the node runs
// alone.
func (n *Node) brandGroupOf() *replicate.Group {
	if n.mesh == nil {
		return nil
	}
	return n.mesh.groups[brandGroup(n.cfg.Brand)]
}

// importToBrand stores imported items for a node in a mesh: this boutique's stock at
// once, and the descriptions through the brand's group, so every boutique of the brand
// shares them. It reports whether some descriptions wait in the outbox.
func (n *Node) importToBrand(ctx context.Context, g *replicate.Group,
	items []catalog.Item) (bool, error) {

	cat := n.catalog()
	if err := cat.PutStock(items); err != nil {
		return false, err
	}

	pending := false
	started := now()
	for start := 0; start < len(items); start += catalogChunk {
		chunk := make([]catalog.Item, 0, catalogChunk)
		for _, it := range items[start:min(start+catalogChunk, len(items))] {
			chunk = append(chunk, catalog.Description(it))
		}
		err := n.submit(ctx, g, OpCatalogPut, "", chunk)
		if errors.Is(err, ErrPending) {
			pending = true
			continue
		}
		if err != nil {
			return pending, err
		}
	}
	if !pending && !n.waitCatalog(ctx, items[len(items)-1].SKU, started) {
		pending = true
	}
	if pending {
		// This boutique uses its import at once; the group's copy, the same descriptions,
		// replaces it when the leader applies the queued commands.
		return true, n.putDescriptionsHere(items, started)
	}
	return false, nil
}

// putDescriptionsHere writes the descriptions of items into this boutique's catalogue
// only, dated at.
func (n *Node) putDescriptionsHere(items []catalog.Item, at time.Time) error {
	batch := n.store.DB().NewBatch()
	defer batch.Close()
	if err := n.catalog().PutDescriptionsIn(batch, items, at); err != nil {
		return err
	}
	if err := batch.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit %d catalogue descriptions: %w", len(items), err)
	}
	return nil
}

// waitCatalog waits up to five seconds until this replica holds the description of sku
// written at or after since, and reports whether it does.
func (n *Node) waitCatalog(ctx context.Context, sku string, since time.Time) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if it, err := n.catalog().Get(sku); err == nil && !it.UpdatedAt.Before(since) {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
	return false
}

// putCatalog applies an OpCatalogPut command: the descriptions it carries, dated by the
// command. Only a brand's group carries the brand's catalogue.
func (a applier) putCatalog(group string, batch *pebble.Batch, cmd replicate.Command) error {
	if !strings.HasPrefix(group, "brand:") {
		return fmt.Errorf("catalogue descriptions replicate in a brand's group, not %s", group)
	}
	var items []catalog.Item
	if err := json.Unmarshal(cmd.Payload, &items); err != nil {
		return fmt.Errorf("decode %s payload: %w", cmd.Op, err)
	}
	if len(items) > catalogChunk {
		return fmt.Errorf("%s of %d items, the maximum is %d", cmd.Op, len(items), catalogChunk)
	}
	return a.n.catalog().PutDescriptionsIn(batch, items, cmd.At)
}
