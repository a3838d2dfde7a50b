package node

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/replicate"
)

// A queued write that its group rejects is listed under rejected in GET /v1/pending, the
// latest maxRejectedWrites of them; one applied is not.
func TestPending_ListsRejectedQueuedWrites(t *testing.T) {
	tn := mustStartNode(t, nil)
	deliver := tn.onDelivered("brand:maison")

	deliver(replicate.Command{ID: "ok", Op: OpRecordPurchase, CustomerID: "c1",
		At: time.Now()}, nil)
	for i := range maxRejectedWrites + 5 {
		deliver(replicate.Command{ID: fmt.Sprint("w", i), Op: OpRecordPurchase,
			CustomerID: "c1", At: time.Now()},
			&replicate.RejectedError{CommandID: "w", Reason: "stale command: written long ago"})
	}

	var out struct {
		Pending  []PendingWrite  `json:"pending"`
		Rejected []RejectedWrite `json:"rejected"`
	}
	mustUnmarshal(t, tn.mustCall(t, http.StatusOK, "GET", "/v1/pending", ""), &out)
	if len(out.Rejected) != maxRejectedWrites {
		t.Fatalf("%d rejected writes listed, want %d", len(out.Rejected), maxRejectedWrites)
	}
	first := out.Rejected[0]
	if first.ID != "w5" || first.Group != "brand:maison" || first.Reason == "" {
		t.Errorf("oldest listed = %+v, want w5 of brand:maison with its reason", first)
	}
}
