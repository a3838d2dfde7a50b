package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/omotenashi/omotenashi/mesh"
	"github.com/omotenashi/omotenashi/node/nearby"
)

// stockProtocol carries a boutique's in-stock items to the sister boutiques of its group.
const stockProtocol = protocol.ID("/omotenashi/stock/1.0.0")

// errNotInGroup is the error returned to a stock request from a member of another group.
var errNotInGroup = errors.New("stock is shared only within the boutique's group")

// startSisters serves this boutique's stock to its group and, when the boutique has a
// location, fetches the stock of sister boutiques nearby every NearbyRefresh.
func (n *Node) startSisters() {
	m := n.mesh
	m.sisters = nearby.NewCache(3 * n.cfg.NearbyRefresh)
	m.host.Handle(stockProtocol, n.handleStockRequest)
	if n.cfg.Location == "" {
		n.log.Info("no location set: sister boutiques' stock is not suggested")
		return
	}

	m.wg.Add(1)
	go n.sisterLoop()
}

// handleStockRequest returns to a member of this boutique's group the items in stock
// here.
func (n *Node) handleStockRequest(_ context.Context, from peer.ID, _ []byte) ([]byte, error) {
	member, ok := n.mesh.member(from)
	if !ok || member.Meta.Group != n.cfg.Group {
		return nil, errNotInGroup
	}
	cat := n.catalog()
	items, err := cat.All()
	if err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	sales, err := cat.Sales()
	if err != nil {
		return nil, fmt.Errorf("read sales: %w", err)
	}
	stock := nearby.InStock(n.cfg.Name, n.cfg.Brand, cat.Boutique(), items, sales)
	if stock.InStock > len(stock.Items) && !n.mesh.stockCut.Swap(true) {
		n.log.Warn("stock list for sister boutiques cut to the best sellers",
			"in_stock", stock.InStock, "sent", len(stock.Items))
	}
	return json.Marshal(stock)
}

// sisterLoop fetches the stock of the sister boutiques nearby now, then every
// NearbyRefresh, and at once when a member joins.
func (n *Node) sisterLoop() {
	m := n.mesh
	defer m.wg.Done()
	tick := time.NewTicker(n.cfg.NearbyRefresh)
	defer tick.Stop()
	for {
		n.fetchSisters()
		select {
		case <-m.done:
			return
		case <-tick.C:
		case <-m.joined:
		}
	}
}

// fetchSisters fetches the stock of every live sister boutique within NearbyKm and drops
// the lists of those no longer near or alive. A sister nearby that gossip reports dead or
// gone counts as a failed fetch.
func (n *Node) fetchSisters() {
	m := n.mesh
	here, err := nearby.ParsePoint(n.cfg.Location)
	if err != nil {
		return // Config.Validate checked it
	}
	for id, member := range m.snapshot() {
		km, near := n.sisterDistance(here, member)
		if !near || id == m.host.ID() {
			m.sisters.Drop(member.Meta.Name)
			continue
		}
		if member.Health != mesh.HealthAlive {
			// Its items go at once; mesh status still lists it, with the reason.
			m.sisters.Drop(member.Meta.Name)
			n.sisterFailed(member, km, fmt.Errorf("gossip reports the boutique %s",
				member.Health))
			continue
		}
		if err := n.fetchSister(id, member, km); err != nil {
			n.sisterFailed(member, km, err)
		}
	}
}

// failuresBeforeWarning is how many fetches from one sister boutique fail in a row before
// a warning, because a boutique that has just started serves no stock request yet.
const failuresBeforeWarning = 3

// sisterFailed records a failed fetch. It logs at debug level until the boutique has
// failed failuresBeforeWarning times in a row, then warns once.
func (n *Node) sisterFailed(member mesh.Member, km float64, err error) {
	count := n.mesh.sisters.Fail(member.Meta.Name, member.Meta.Brand, km, err)
	if count == failuresBeforeWarning {
		n.log.Warn("fetch of a sister boutique's stock failed; its items are dropped from "+
			"suggestions once its list is older than three fetch intervals",
			"boutique", member.Name, "failures", count, "error", err)
		return
	}
	n.log.Debug("fetch of a sister boutique's stock failed", "boutique", member.Name,
		"failures", count, "error", err)
}

// sisterDistance returns how far a member is and whether it is a sister boutique nearby:
// same group, another brand, a location within NearbyKm.
func (n *Node) sisterDistance(here nearby.Point, member mesh.Member) (float64, bool) {
	meta := member.Meta
	if meta.Group != n.cfg.Group || meta.Brand == n.cfg.Brand || meta.Location == "" {
		return 0, false
	}
	there, err := nearby.ParsePoint(meta.Location)
	if err != nil {
		return 0, false
	}
	km := nearby.Distance(here, there)
	return km, km <= n.cfg.NearbyKm
}

// fetchSister requests the stock of one sister boutique and keeps it.
func (n *Node) fetchSister(id peer.ID, member mesh.Member, km float64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := n.mesh.host.Call(ctx, id, stockProtocol, nil)
	if err != nil {
		return err
	}
	stock, err := nearby.DecodeStock(raw)
	if err != nil {
		return err
	}
	if stock.Boutique != member.Meta.Name || stock.Brand != member.Meta.Brand {
		return fmt.Errorf("%w: the response names %s of %s, gossip has %s of %s", nearby.ErrInvalid,
			stock.Boutique, stock.Brand, member.Meta.Name, member.Meta.Brand)
	}
	n.mesh.sisters.Put(stock, km)
	n.log.Debug("fetched a sister boutique's stock", "boutique", stock.Boutique,
		"items", len(stock.Items), "km", km)
	return nil
}

// sisterOffers returns the items in stock at sister boutiques nearby, nearest first, or
// none when the node runs alone.
func (n *Node) sisterOffers() []nearby.Offer {
	if n.mesh == nil || n.mesh.sisters == nil {
		return nil
	}
	return n.mesh.sisters.Offers()
}
