package node

import (
	"net/http"
	"strconv"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/node/recommend"
)

// handleRecommendations returns up to five suggestions for a client, best first, each
// with a reason to say out loud.
func (n *Node) handleRecommendations(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := n.store.Get(id)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	items, err := n.suggest(c)
	if err != nil {
		n.failCatalog(w, r, err)
		return
	}
	n.record(r, "recommend", id, strconv.Itoa(len(items))+" suggestions")
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// suggest recommends items of this boutique's catalogue to c, with the boutique's sales
// breaking ties, and for a client with group consent items of sister boutiques nearby.
// It returns an empty list when there is nothing to suggest.
func (n *Node) suggest(c *profile.Customer) ([]recommend.Suggestion, error) {
	cat := n.catalog()
	items, err := cat.All()
	if err != nil {
		return nil, err
	}
	sales, err := cat.Sales()
	if err != nil {
		return nil, err
	}
	out := recommend.Recommend(c, items, recommend.Options{Boutique: cat.Boutique(),
		Popularity: sales, Nearby: n.sisterOffers()})
	if out == nil {
		out = []recommend.Suggestion{}
	}
	return out, nil
}

// card returns the arrival card of c with her suggestions. A failure to read the
// catalogue is logged and leaves the card without suggestions, because the greeting
// matters more.
func (n *Node) card(c *profile.Customer) *ArrivalCustomer {
	s := summarize(c)
	suggestions, err := n.suggest(c)
	if err != nil {
		n.log.Error("suggestions for an arrival failed", "customer", c.ID, "error", err)
		return s
	}
	s.Suggestions = suggestions
	return s
}
