package node

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/omotenashi/omotenashi/node/auth"
	"github.com/omotenashi/omotenashi/vision/decide"
)

func (n *Node) handleIdentify(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, int64(n.cfg.Limits.MaxBytes+1<<20))
	data, err := n.readImage(r)
	if err != nil {
		n.fail(w, r, err)
		return
	}

	faces, err := n.Identify(r.Context(), data)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	for _, f := range faces {
		for _, c := range f.Candidates {
			n.record(r, "identify", c.ID, f.Decision)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"faces": faces})
}

func (n *Node) handleArrivals(w http.ResponseWriter, r *http.Request) {
	limit, err := queryLimit(r, 50, 200)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"arrivals": n.arrivals.recent(limit, time.Now())})
}

func (n *Node) handleConfirm(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CustomerID string `json:"customer_id"`
	}
	if err := decodeJSON(r.Body, &body); err != nil {
		n.fail(w, r, err)
		return
	}
	if body.CustomerID == "" {
		n.fail(w, r, badRequest("customer_id is required"))
		return
	}

	tok, _ := auth.FromContext(r.Context())
	a, err := n.Confirm(r.PathValue("id"), body.CustomerID, actor(r),
		tok.Role.Allows(auth.RoleManager))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "confirm", body.CustomerID, "arrival "+a.ID)
	writeJSON(w, http.StatusOK, a)
}

func (n *Node) handleReject(w http.ResponseWriter, r *http.Request) {
	a, err := n.Reject(r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// handleEvents streams arrivals as server-sent events ("event: arrival"), with a comment
// line every 15 seconds so proxies keep the connection open.
func (n *Node) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming not supported")
		return
	}
	events, cancel := n.hub.Subscribe()
	defer cancel()

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()

	tok, _ := auth.FromContext(r.Context())
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepalive.C:
			if !n.tokenActive(tok.ID) {
				return
			}
			fmt.Fprint(w, ": keepalive\n\n")
		case a, ok := <-events:
			if !ok || !n.tokenActive(tok.ID) {
				return
			}
			if a.Customer != nil {
				n.record(r, "alert", a.Customer.ID, "arrival "+a.ID)
			}
			data, _ := json.Marshal(a)
			fmt.Fprintf(w, "id: %s\nevent: arrival\ndata: %s\n\n", a.ID, data)
		}
		flusher.Flush()
	}
}

// Status is the node's report at /v1/status.
type Status struct {
	Store       string `json:"store"`
	Engine      string `json:"engine"`
	Customers   int    `json:"customers"`
	Descriptors int    `json:"descriptors"`
	// NeedPhotos counts clients with no descriptor of the recognition engine: enrolled
	// while the node ran another engine, they are not recognized until a photo is added.
	NeedPhotos  int               `json:"need_photos"`
	Workers     int               `json:"workers"`
	Camera      string            `json:"camera,omitempty"`
	CameraState string            `json:"camera_state,omitempty"`
	Thresholds  decide.Thresholds `json:"thresholds"`
	Subscribers int               `json:"subscribers"`
}

func (n *Node) handleStatus(w http.ResponseWriter, r *http.Request) {
	state, source := n.camera.get()
	g := n.engines.gallery()
	writeJSON(w, http.StatusOK, Status{
		Store:       n.cfg.StoreName,
		Engine:      n.cfg.Engine,
		Customers:   g.Clients(),
		Descriptors: g.Len(),
		NeedPhotos:  max(0, int(n.store.Stats().Customers)-g.Clients()),
		Workers:     n.rec.Workers(),
		Camera:      source,
		CameraState: state,
		Thresholds:  n.cfg.Thresholds,
		Subscribers: n.hub.Subscribers(),
	})
}

// tokenActive reports whether a token is still valid, so that an open event stream ends
// once its token is revoked.
func (n *Node) tokenActive(id string) bool {
	list, err := n.tokens.List()
	if err != nil {
		n.log.Error("list tokens failed", "error", err)
		return false
	}
	for _, t := range list {
		if t.ID == id {
			return true
		}
	}
	return false
}
