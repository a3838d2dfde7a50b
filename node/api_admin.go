package node

import (
	"net/http"
	"strconv"
	"time"

	"github.com/omotenashi/omotenashi/node/auth"
)

func (n *Node) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
		Role string `json:"role"`
	}
	if err := decodeJSON(r.Body, &body); err != nil {
		n.fail(w, r, err)
		return
	}
	role, err := auth.ParseRole(body.Role)
	if err != nil || body.Name == "" {
		n.fail(w, r, badRequest("want a name and a role of assistant or manager"))
		return
	}

	secret, tok, err := n.tokens.Create(body.Name, role)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "create-token", "", tok.ID)
	writeJSON(w, http.StatusCreated, map[string]any{"token": secret, "info": tok})
}

func (n *Node) handleListTokens(w http.ResponseWriter, r *http.Request) {
	list, err := n.tokens.List()
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": list})
}

func (n *Node) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := n.tokens.Revoke(id); err != nil {
		n.fail(w, r, err)
		return
	}
	n.record(r, "revoke-token", "", id)
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "revoked"})
}

// handleAudit lists audit entries, newest last, optionally for one client (customer=) and
// since a time (since=, RFC 3339).
func (n *Node) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var since time.Time
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			n.fail(w, r, badRequest("since %q: want an RFC 3339 time", s))
			return
		}
		since = t
	}
	limit := 200
	if s := q.Get("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 || v > 10000 {
			n.fail(w, r, badRequest("limit %q: want a number from 1 to 10000", s))
			return
		}
		limit = v
	}

	entries, err := n.audit.List(q.Get("customer"), since, limit)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
