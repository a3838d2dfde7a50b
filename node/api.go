package node

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/omotenashi/omotenashi/node/auth"
)

// Handler returns the node's HTTP routes: the JSON API under /v1, the staff page at /,
// Prometheus metrics at /metrics and a liveness probe at /healthz.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	assistant := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, n.counted(pattern, auth.Require(n.tokens, auth.RoleAssistant, h)))
	}
	manager := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, n.counted(pattern, auth.Require(n.tokens, auth.RoleManager, h)))
	}

	assistant("POST /v1/customers", n.handleEnroll)
	assistant("GET /v1/customers", n.handleListCustomers)
	assistant("GET /v1/customers/{id}", n.handleGetCustomer)
	manager("DELETE /v1/customers/{id}", n.handleForget)
	manager("GET /v1/customers/{id}/export", n.handleExport)
	assistant("POST /v1/customers/{id}/photos", n.handleAddPhotos)
	assistant("POST /v1/customers/{id}/visits", n.handleRecordVisit)
	assistant("POST /v1/customers/{id}/purchases", n.handleRecordPurchase)
	assistant("POST /v1/customers/{id}/inquiries", n.handleRecordInquiry)
	assistant("POST /v1/customers/{id}/wishlist", n.handleAddWish)
	assistant("POST /v1/customers/{id}/notes", n.handleAddNote)
	assistant("PUT /v1/customers/{id}/preferences", n.handleSetPreferences)
	assistant("PUT /v1/customers/{id}/details", n.handleSetDetails)
	manager("PUT /v1/customers/{id}/consent", n.handleChangeConsent)
	assistant("GET /v1/pending", n.handlePending)
	assistant("GET /v1/customers/{id}/recommendations", n.handleRecommendations)

	manager("POST /v1/catalog", n.handleImportCatalog)
	assistant("GET /v1/catalog", n.handleSearchCatalog)
	assistant("GET /v1/catalog/{sku}", n.handleGetItem)
	assistant("PUT /v1/catalog/{sku}/stock", n.handleSetStock)

	assistant("POST /v1/identify", n.handleIdentify)
	assistant("GET /v1/arrivals", n.handleArrivals)
	assistant("POST /v1/arrivals/{id}/confirm", n.handleConfirm)
	assistant("POST /v1/arrivals/{id}/reject", n.handleReject)
	maxStreams := n.cfg.MaxEventStreams
	if maxStreams <= 0 {
		maxStreams = defaultMaxEventStreams
	}
	mux.Handle("GET /v1/events", n.counted("GET /v1/events",
		auth.RequireForStream(n.tokens, auth.RoleAssistant,
			n.limitEventStreams(http.HandlerFunc(n.handleEvents), maxStreams))))
	assistant("GET /v1/status", n.handleStatus)
	assistant("GET /v1/mesh", n.handleMesh)

	manager("POST /v1/tokens", n.handleCreateToken)
	manager("GET /v1/tokens", n.handleListTokens)
	manager("DELETE /v1/tokens/{id}", n.handleRevokeToken)
	manager("GET /v1/audit", n.handleAudit)

	mux.Handle("GET /metrics", promhttp.HandlerFor(n.metrics.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /{$}", n.handlePage)
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such route: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// counted counts requests of one route by status code.
func (n *Node) counted(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		n.metrics.requests.WithLabelValues(route, http.StatusText(rec.code)).Inc()
	})
}

// statusRecorder remembers the status code a handler wrote. It passes Flush through, which
// the event stream needs.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// record writes an audit entry for the request's token; a failure to audit is logged.
func (n *Node) record(r *http.Request, action, customerID, detail string) {
	tok, _ := auth.FromContext(r.Context())
	err := n.audit.Record(auth.Entry{
		At: time.Now().UTC(), Actor: tok.Name, TokenID: tok.ID, Action: action,
		CustomerID: customerID, Detail: detail,
	})
	if err != nil {
		n.log.Error("audit record failed", "action", action, "customer", customerID, "error", err)
	}
}

// actor returns the name of the request's token, recorded as who did something.
func actor(r *http.Request) string {
	tok, _ := auth.FromContext(r.Context())
	return tok.Name
}
