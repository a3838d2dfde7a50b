package node

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/omotenashi/omotenashi/node/catalog"
)

// catalog returns this boutique's catalogue. It keeps no state, so a new value per call
// is cheap and safe.
func (n *Node) catalog() *catalog.Catalog {
	return catalog.New(n.store.DB(), n.cfg.StoreName)
}

// ImportResponse is the response of POST /v1/catalog: the rows applied and rejected, and
// whether the descriptions still wait in the outbox for the brand's leader.
type ImportResponse struct {
	catalog.Result
	Pending bool `json:"pending,omitempty"`
}

// handleImportCatalog upserts catalogue items from a CSV (text/csv) or JSON
// (application/json) body and returns {"applied": N, "rejected": [{"line", "reason"}]}.
// In a mesh the descriptions go to every boutique of the brand, and the response is 202
// when they wait in the outbox.
func (n *Node) handleImportCatalog(w http.ResponseWriter, r *http.Request) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var format catalog.Format
	switch mediaType {
	case "text/csv":
		format = catalog.CSV
	case "application/json":
		format = catalog.JSON
	default:
		writeError(w, http.StatusUnsupportedMediaType,
			"Content-Type "+strconv.Quote(mediaType)+": send text/csv or application/json")
		return
	}

	cat := n.catalog()
	store, pending := cat.Put, false
	if g := n.brandGroupOf(); g != nil {
		store = func(items []catalog.Item) error {
			var err error
			pending, err = n.importToBrand(r.Context(), g, items)
			return err
		}
	}
	res, err := cat.ImportWith(r.Body, format, store)
	if err != nil {
		n.failCatalog(w, r, err)
		return
	}
	n.log.Info("catalogue imported", "applied", res.Applied, "rejected", len(res.Rejected),
		"pending", pending)
	n.record(r, "catalog-import", "", strconv.Itoa(res.Applied)+" applied, "+
		strconv.Itoa(len(res.Rejected))+" rejected")
	if pending {
		writeJSON(w, http.StatusAccepted, ImportResponse{Result: res, Pending: true})
		return
	}
	writeJSON(w, http.StatusOK, ImportResponse{Result: res})
}

// handleSearchCatalog lists items whose SKU, name or category contains ?q=, at most
// ?limit= (default 50, up to 1000).
func (n *Node) handleSearchCatalog(w http.ResponseWriter, r *http.Request) {
	limit, err := queryLimit(r, 50, 1000)
	if err != nil {
		n.fail(w, r, err)
		return
	}

	items, err := n.catalog().Search(r.URL.Query().Get("q"), limit)
	if err != nil {
		n.failCatalog(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (n *Node) handleGetItem(w http.ResponseWriter, r *http.Request) {
	it, err := n.catalog().Get(r.PathValue("sku"))
	if err != nil {
		n.failCatalog(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, it)
}

// handleSetStock sets this boutique's stock of an item from exactly one of two bodies:
// {"stock": N} sets a total without sizes, and {"sizes": {"37": 2, "38": 1}} replaces the
// count per size, which sets the total to their sum.
func (n *Node) handleSetStock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Stock *int           `json:"stock"`
		Sizes map[string]int `json:"sizes"`
	}
	if err := decodeJSON(r.Body, &body); err != nil {
		n.fail(w, r, err)
		return
	}
	if body.Stock == nil && body.Sizes == nil {
		n.fail(w, r, badRequest(`field stock or sizes is required: send {"stock": N} or `+
			`{"sizes": {"<size>": N}}`))
		return
	}
	if body.Stock != nil && body.Sizes != nil {
		n.fail(w, r, badRequest("send either stock, a total without sizes, or sizes, the "+
			"count per size, not both"))
		return
	}

	sku := r.PathValue("sku")
	var it catalog.Item
	var err error
	var detail string
	if body.Sizes != nil {
		it, err = n.catalog().SetSizeStock(sku, body.Sizes)
		detail = catalog.FormatSizeStock(body.Sizes)
	} else {
		it, err = n.catalog().SetStock(sku, *body.Stock)
		detail = strconv.Itoa(*body.Stock)
	}
	if err != nil {
		n.failCatalog(w, r, err)
		return
	}
	n.record(r, "set-stock", "", sku+" = "+detail)
	writeJSON(w, http.StatusOK, it)
}

// failCatalog writes a catalogue error with its HTTP status (400, 404 or 413) and passes
// any other error to fail.
func (n *Node) failCatalog(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, catalog.ErrInvalid):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, catalog.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, catalog.ErrTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, err.Error())
	default:
		n.fail(w, r, err)
	}
}
