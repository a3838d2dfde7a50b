package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/replicate"
)

// ErrPending reports a write to a replicated client that no group leader could take: it
// waits in the node's outbox and is applied once the group is reachable.
var ErrPending = errors.New("write queued until the group's leader is reachable")

// groupOf returns the Raft group that replicates clients of a consent scope, or nil when
// the scope stays in this boutique or the node runs alone.
func (n *Node) groupOf(scope profile.Scope) *replicate.Group {
	if n.mesh == nil {
		return nil
	}
	switch scope {
	case profile.ScopeBrand:
		return n.mesh.groups[brandGroup(n.cfg.Brand)]
	case profile.ScopeGroup:
		return n.mesh.groups[groupGroup(n.cfg.Group)]
	}
	return nil
}

// submit sends one command to a group, with a new id. A queued command is ErrPending.
func (n *Node) submit(ctx context.Context, g *replicate.Group, op, id string, payload any) error {
	return n.submitAs(ctx, g, profile.NewID(), op, id, payload)
}

// submitAs sends one command with the given id to a group. A queued command is
// ErrPending.
func (n *Node) submitAs(ctx context.Context, g *replicate.Group, cmdID, op, id string,
	payload any) error {

	data, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s: %w", op, err)
	}
	cmd := replicate.Command{ID: cmdID, Op: op, CustomerID: id,
		Origin: n.cfg.Name, At: now(), Payload: data}

	err = g.Submit(ctx, cmd)
	if errors.Is(err, replicate.ErrQueued) {
		n.log.Info("write queued in the outbox", "group", g.Name(), "op", op, "customer", id)
		return fmt.Errorf("%w: %s of %s", ErrPending, op, id)
	}
	var rejected *replicate.RejectedError
	if errors.As(err, &rejected) {
		return fmt.Errorf("%w: %s", profile.ErrInvalid, rejected.Reason)
	}
	return err
}

// write applies a change to a client: in the local store for a store client, through her
// group for a replicated one.
func (n *Node) write(ctx context.Context, id, op string, payload any) error {
	c, err := n.store.Get(id)
	if err != nil {
		return err
	}
	if g := n.groupOf(c.Consent.Scope); g != nil {
		return n.submit(ctx, g, op, id, payload)
	}
	return n.writeLocal(id, op, payload)
}

// writeOnce is write for a request with a request key: a key already recorded for the
// client returns errReplayed and changes nothing. For a replicated client, the key makes
// the command's id, so the group applies a replay sent through another boutique once
// too. An empty key is a plain write.
func (n *Node) writeOnce(r *http.Request, id, op string, payload any, key requestKey) error {
	if key.key == "" {
		return n.write(r.Context(), id, op, payload)
	}
	c, err := n.store.Get(id)
	if err != nil {
		return err
	}
	if g := n.groupOf(c.Consent.Scope); g != nil {
		return n.submitAs(r.Context(), g, key.commandID(), op, id, payload)
	}

	data, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s: %w", op, err)
	}
	cmd := replicate.Command{ID: key.commandID(), Op: op, CustomerID: id, At: now(),
		Payload: data}
	_, err = n.store.Update(id, func(c *profile.Customer) error {
		if _, seen := c.RequestBody(key.key); seen {
			return errReplayed
		}
		return changeCustomer(c, cmd)
	})
	if p, ok := newPurchase(cmd); ok && err == nil {
		n.afterPurchase(p)
	}
	return err
}

// writeLocal applies a change to a store client.
func (n *Node) writeLocal(id, op string, payload any) error {
	switch p := payload.(type) {
	case profile.Visit:
		return n.store.RecordVisit(id, p)
	case profile.Purchase:
		if err := n.store.RecordPurchase(id, p); err != nil {
			return err
		}
		n.afterPurchase(p)
		return nil
	case profile.Inquiry:
		return n.store.RecordInquiry(id, p)
	case profile.Preferences:
		return n.store.SetPreferences(id, p)
	case profile.Note:
		return n.store.AddNote(id, p)
	case profile.Details:
		return n.store.SetDetails(id, p)
	case profile.Descriptor:
		return n.store.AddDescriptor(id, p)
	}
	return fmt.Errorf("%w: %s is not a local write", profile.ErrInvalid, op)
}

// enrollReplicated submits a new client to her group and waits until this node's replica
// holds her, so that the caller can read her at once.
func (n *Node) enrollReplicated(ctx context.Context, g *replicate.Group,
	c *profile.Customer) error {

	c.Origin = n.cfg.Name
	c.CreatedAt, c.UpdatedAt = now(), now()
	if err := profile.Validate(c); err != nil {
		return err
	}
	if err := n.submit(ctx, g, OpEnroll, c.ID, c); err != nil {
		return err
	}
	return n.waitLocal(ctx, c.ID)
}

// waitLocal waits up to five seconds for a replicated client to reach this node's store.
func (n *Node) waitLocal(ctx context.Context, id string) error {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := n.store.Get(id); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("%w: enrollment of %s applied by the leader, not yet here", ErrPending, id)
}

// ChangeConsent moves a client to another consent scope. Her profile leaves the replicas
// her new scope does not reach, and reaches those it newly does: a move to store keeps her
// in this boutique only; a move from store to brand or group replicates her whole profile.
func (n *Node) ChangeConsent(ctx context.Context, id string, scope profile.Scope,
	textVersion, by string) error {

	c, err := n.store.Get(id)
	if err != nil {
		return err
	}
	if c.Consent.Scope == scope {
		return nil
	}
	consent := profile.Consent{Scope: scope, GivenAt: now(), TextVersion: textVersion,
		TakenBy: by}
	oldGroup, newGroup := n.groupOf(c.Consent.Scope), n.groupOf(scope)

	// Leave the old scope's group: its replicas delete her, and a narrowing to store keeps
	// her here, at the boutique that recorded it.
	if oldGroup != nil {
		if err := n.submit(ctx, oldGroup, OpUpdateConsent, id, consent); err != nil {
			return err
		}
	}

	// Enter the new scope's group with her whole profile.
	if newGroup != nil {
		c.Consent, c.UpdatedAt = consent, now()
		return n.submit(ctx, newGroup, OpEnroll, id, c)
	}
	if oldGroup == nil {
		_, err := n.store.Update(id, func(stored *profile.Customer) error {
			stored.Consent = consent
			return nil
		})
		return err
	}
	return nil
}

// PendingWrite is a write waiting in the outbox for its group's leader.
type PendingWrite struct {
	Group      string    `json:"group"`
	ID         string    `json:"id"`
	Op         string    `json:"op"`
	CustomerID string    `json:"customer_id"`
	At         time.Time `json:"at"`
}

// Pending lists the writes of this node still waiting in its outboxes, oldest first per
// group.
func (n *Node) Pending() ([]PendingWrite, error) {
	out := []PendingWrite{}
	if n.mesh == nil {
		return out, nil
	}
	for name, g := range n.mesh.groups {
		cmds, err := g.Pending()
		if err != nil {
			return nil, fmt.Errorf("list pending writes of %s: %w", name, err)
		}
		for _, c := range cmds {
			out = append(out, PendingWrite{Group: name, ID: c.ID, Op: c.Op,
				CustomerID: c.CustomerID, At: c.At})
		}
	}
	return out, nil
}
