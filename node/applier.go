package node

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/replicate"
)

// Replicated commands, the Op of a replicate.Command. Each payload is the JSON of the
// profile value named beside it.
const (
	OpEnroll         = "enroll"          // profile.Customer, with descriptors
	OpAddDescriptor  = "add_descriptor"  // profile.Descriptor
	OpRecordVisit    = "record_visit"    // profile.Visit
	OpRecordPurchase = "record_purchase" // profile.Purchase
	OpRecordInquiry  = "record_inquiry"  // profile.Inquiry
	OpSetPreferences = "set_preferences" // profile.Preferences
	OpAddNote        = "add_note"        // profile.Note
	OpSetDetails     = "set_details"     // profile.Details
	OpUpdateConsent  = "update_consent"  // profile.Consent
	OpForget         = replicate.OpForget
)

// forgetPayload is the payload of OpForget: who recorded the withdrawal.
type forgetPayload struct {
	By string `json:"by"`
}

// applier applies replicated commands to the node's profile store and galleries. It is
// the replicate.Applier of every group the node belongs to.
type applier struct {
	n *Node
}

// groupScope returns the consent scope whose clients a group replicates.
func groupScope(group string) profile.Scope {
	if len(group) > 6 && group[:6] == "group:" {
		return profile.ScopeGroup
	}
	return profile.ScopeBrand
}

// Apply adds cmd's effect to batch. It is deterministic: it reads only the store and the
// command, never the clock. It reads the database, not the batch: replicate commits each
// command in a batch of its own, so every earlier command is already there.
func (a applier) Apply(group string, batch *pebble.Batch, cmd replicate.Command) error {
	store := a.n.store
	if cmd.Op == OpForget {
		var p forgetPayload
		if err := json.Unmarshal(cmd.Payload, &p); err != nil {
			return fmt.Errorf("decode forget payload: %w", err)
		}
		if err := store.ForgetIn(batch, cmd.CustomerID, p.By, cmd.At); err != nil {
			return err
		}
		a.n.afterForget(cmd.CustomerID)
		return nil
	}

	if cmd.Op == OpEnroll {
		return a.enroll(group, batch, cmd)
	}
	if cmd.Op == OpCatalogPut {
		return a.putCatalog(group, batch, cmd)
	}

	c, err := store.ReadIn(store.DB(), cmd.CustomerID)
	if err != nil {
		return err
	}
	if err := changeCustomer(c, cmd); err != nil {
		return err
	}
	c.UpdatedAt = cmd.At
	if c.Consent.Scope != groupScope(group) {
		// Her consent no longer reaches this group: she leaves every replica of it.
		return a.leave(batch, c, cmd.Origin)
	}
	if err := store.PutIn(batch, c); err != nil {
		return err
	}
	if p, ok := newPurchase(cmd); ok {
		a.n.afterPurchase(p)
	}
	return a.n.engines.add(c.ID, newDescriptors(cmd))
}

// newPurchase returns the purchase an OpRecordPurchase command records.
func newPurchase(cmd replicate.Command) (profile.Purchase, bool) {
	var p profile.Purchase
	if cmd.Op != OpRecordPurchase || json.Unmarshal(cmd.Payload, &p) != nil {
		return p, false
	}
	return p, true
}

// enroll creates a client from an OpEnroll command.
func (a applier) enroll(group string, batch *pebble.Batch, cmd replicate.Command) error {
	var c profile.Customer
	if err := json.Unmarshal(cmd.Payload, &c); err != nil {
		return fmt.Errorf("decode enrollment: %w", err)
	}
	if c.ID != cmd.CustomerID || c.Consent.Scope != groupScope(group) {
		return fmt.Errorf("%w: enrollment of %s does not belong to group %s",
			profile.ErrInvalid, cmd.CustomerID, group)
	}
	// A copy of her under another scope is the one her widened consent replaces: a store
	// client at the boutique that widened it, or a brand client moving to the group.
	existing, err := a.n.store.ReadIn(a.n.store.DB(), c.ID)
	if err == nil && existing.Consent.Scope == c.Consent.Scope {
		return fmt.Errorf("%w: %s", profile.ErrExists, c.ID)
	}
	if err := a.n.store.PutIn(batch, &c); err != nil {
		return err
	}
	a.n.engines.remove(c.ID)
	return a.n.engines.add(c.ID, c.Descriptors)
}

// leave removes a client whose consent scope no longer covers this group, with no
// tombstone: she did not withdraw. When her consent narrowed to store, the boutique that
// recorded the change (origin) keeps her, in the same batch.
func (a applier) leave(batch *pebble.Batch, c *profile.Customer, origin string) error {
	if err := a.n.store.DeleteIn(batch, c.ID); err != nil {
		return err
	}
	a.n.engines.remove(c.ID)
	if c.Consent.Scope == profile.ScopeStore && origin == a.n.cfg.Name {
		c.Origin = origin
		if err := a.n.store.PutIn(batch, c); err != nil {
			return err
		}
		return a.n.engines.add(c.ID, c.Descriptors)
	}
	return nil
}

// changeCustomer applies a change command to c.
func changeCustomer(c *profile.Customer, cmd replicate.Command) error {
	var err error
	switch cmd.Op {
	case OpAddDescriptor:
		var d profile.Descriptor
		if err = json.Unmarshal(cmd.Payload, &d); err == nil {
			c.Descriptors = append(c.Descriptors, d)
		}
	case OpRecordVisit:
		var v profile.Visit
		if err = json.Unmarshal(cmd.Payload, &v); err == nil {
			c.Visits = append(c.Visits, v)
		}
	case OpRecordPurchase:
		var p profile.Purchase
		if err = json.Unmarshal(cmd.Payload, &p); err == nil {
			c.Purchases = append(c.Purchases, p)
		}
	case OpRecordInquiry:
		var q profile.Inquiry
		if err = json.Unmarshal(cmd.Payload, &q); err == nil {
			c.Inquiries = append(c.Inquiries, q)
		}
	case OpSetPreferences:
		err = json.Unmarshal(cmd.Payload, &c.Preferences)
	case OpAddNote:
		var note profile.Note
		if err = json.Unmarshal(cmd.Payload, &note); err == nil {
			c.Notes = append(c.Notes, note)
		}
	case OpSetDetails:
		var d profile.Details
		if err = json.Unmarshal(cmd.Payload, &d); err == nil {
			c.SetDetails(d)
		}
	case OpUpdateConsent:
		err = json.Unmarshal(cmd.Payload, &c.Consent)
	default:
		return fmt.Errorf("%w: unknown command %q", profile.ErrInvalid, cmd.Op)
	}
	if err != nil {
		return fmt.Errorf("decode %s payload: %w", cmd.Op, err)
	}
	if entry, ok := keyFromCommandID(cmd.ID); ok {
		c.AddRequest(entry)
	}
	return nil
}

// newDescriptors returns the descriptor an OpAddDescriptor command adds, for the gallery.
func newDescriptors(cmd replicate.Command) []profile.Descriptor {
	if cmd.Op != OpAddDescriptor {
		return nil
	}
	var d profile.Descriptor
	if json.Unmarshal(cmd.Payload, &d) != nil {
		return nil
	}
	return []profile.Descriptor{d}
}

// snapshotLine is one line of a group snapshot: a client of the group, a tombstone, or
// for a brand's group an item description of its catalogue.
type snapshotLine struct {
	Customer  *profile.Customer  `json:"customer,omitempty"`
	Tombstone *profile.Tombstone `json:"tombstone,omitempty"`
	Item      *catalog.Item      `json:"item,omitempty"`
}

// WriteSnapshot writes the group's clients and every tombstone as JSON lines.
func (a applier) WriteSnapshot(group string, snap *pebble.Snapshot, w io.Writer) error {
	enc := json.NewEncoder(w)
	scope := groupScope(group)
	err := a.n.store.EachIn(snap, func(c *profile.Customer) error {
		if c.Consent.Scope != scope {
			return nil
		}
		return enc.Encode(snapshotLine{Customer: c})
	})
	if err != nil {
		return err
	}
	err = a.n.store.TombstonesIn(snap, func(t profile.Tombstone) error {
		return enc.Encode(snapshotLine{Tombstone: &t})
	})
	if err != nil || !strings.HasPrefix(group, "brand:") {
		return err
	}
	return catalog.EachDescription(snap, func(it catalog.Item) error {
		return enc.Encode(snapshotLine{Item: &it})
	})
}

// Restore replaces the group's clients with a snapshot's. It commits the deletion of the
// scope's old clients before writing the snapshot's, because PutIn counts a client as new
// only when it reads no record of her from the database.
func (a applier) Restore(group string, batch *replicate.RestoreBatch, r io.Reader) error {
	scope := groupScope(group)
	var stale []string
	err := a.n.store.EachIn(a.n.store.DB(), func(c *profile.Customer) error {
		if c.Consent.Scope == scope {
			stale = append(stale, c.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range stale {
		if err := a.n.store.DeleteIn(batch.Batch(), id); err != nil {
			return err
		}
		a.n.engines.remove(id)
		if err := batch.Flush(); err != nil {
			return err
		}
	}
	if err := batch.Commit(); err != nil {
		return err
	}
	if err := a.restoreLines(batch, r); err != nil {
		return err
	}

	// A snapshot installed after the leader purged its log may carry a forget this node
	// never applied as a command: overwrite the write-ahead log as a forget does. Wait for
	// replicate to commit the last restored batch first, since a large batch holds the WAL
	// it was written to until it is flushed.
	time.AfterFunc(2*time.Second, func() { a.n.scrubWAL("snapshot installed") })
	return nil
}

func (a applier) restoreLines(batch *replicate.RestoreBatch, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var line snapshotLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return fmt.Errorf("decode snapshot line: %w", err)
		}
		switch {
		case line.Item != nil:
			err := a.n.catalog().PutDescriptionsIn(batch.Batch(),
				[]catalog.Item{*line.Item}, line.Item.UpdatedAt)
			if err != nil {
				return err
			}
		case line.Tombstone != nil:
			if err := a.n.store.PutTombstoneIn(batch.Batch(), *line.Tombstone); err != nil {
				return err
			}
		case line.Customer != nil:
			err := a.n.store.PutIn(batch.Batch(), line.Customer)
			if errors.Is(err, profile.ErrForgotten) {
				continue
			}
			if err != nil {
				return err
			}
			if err := a.n.engines.add(line.Customer.ID, line.Customer.Descriptors); err != nil {
				return err
			}
		}
		if err := batch.Flush(); err != nil {
			return err
		}
	}
	return sc.Err()
}

// afterForget drops a forgotten client from the galleries and the arrivals in memory, and
// then, off the state machine's goroutine, overwrites the write-ahead log files that may
// still hold her enrollment. Her raft log entries and sstables are left to the group's
// purge.
func (n *Node) afterForget(id string) {
	n.engines.remove(id)
	n.arrivals.forgetCustomer(id)
	n.metrics.galleryDescriptors.Set(float64(n.engines.gallery().Len()))
	n.log.Info("forgot client", "customer", id)
	// The forget's own batch commits after this returns; scrub once it has.
	time.AfterFunc(time.Second, func() { n.scrubWAL("forget") })
}

// scrubWAL overwrites the store's write-ahead log files, logging the outcome.
func (n *Node) scrubWAL(reason string) {
	if err := n.store.ScrubWAL(); err != nil {
		n.log.Error("overwriting the write-ahead log failed", "reason", reason, "error", err)
		return
	}
	n.log.Info("overwrote the write-ahead log", "reason", reason)
}

// now is the clock of commands: the time a command is submitted, carried in it, so that
// applying it reads no clock.
func now() time.Time { return time.Now().UTC() }
