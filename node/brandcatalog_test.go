package node

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/replicate"
)

// A catalogue command applies in a brand's group only, and a brand's snapshot carries the
// descriptions while a group's does not.
func TestApplier_CatalogInBrandGroupsOnly(t *testing.T) {
	tn := mustStartNode(t, nil)
	a := applier{n: tn.Node}
	item := catalog.Item{SKU: "BAG-9", Name: "Nocturne clutch", Category: "bags",
		Price: 5200, Currency: "EUR"}
	payload, err := json.Marshal([]catalog.Item{item})
	if err != nil {
		t.Fatal(err)
	}
	cmd := replicate.Command{ID: "c1", Op: OpCatalogPut, At: time.Now().UTC(),
		Payload: payload}

	batch := tn.store.DB().NewBatch()
	defer batch.Close()
	if err := a.Apply("group:atelier", batch, cmd); err == nil {
		t.Errorf("catalogue command applied in a group's Raft group, want an error")
	}
	if err := a.Apply("brand:maison", batch, cmd); err != nil {
		t.Fatalf("apply in the brand's group: %v", err)
	}
	if err := batch.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if got, err := tn.catalog().Get("BAG-9"); err != nil || got.Name != item.Name {
		t.Fatalf("item after the command: %+v, %v", got, err)
	}

	for _, tc := range []struct {
		group string
		want  bool
	}{{"brand:maison", true}, {"group:atelier", false}} {
		snap := tn.store.DB().NewSnapshot()
		var buf bytes.Buffer
		err := a.WriteSnapshot(tc.group, snap, &buf)
		snap.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(buf.String(), `"BAG-9"`); got != tc.want {
			t.Errorf("snapshot of %s holds the item: %v, want %v", tc.group, got, tc.want)
		}
	}
}

// A brand's snapshot written by one node and restored into another brings her profile,
// the catalogue descriptions and the tombstones, in several chunks.
func TestApplier_SnapshotRoundTrip(t *testing.T) {
	from := mustStartNode(t, nil)
	to := mustStartNode(t, nil)
	from.mustImportCatalog(t, "text/csv", boutiqueCSV)
	id := from.mustEnroll(t, "Aiko Tanaka", map[string][]byte{
		"a.jpg": testassets.ReadFile(t, "../vision/testdata/face.jpg"),
	})

	snap := from.store.DB().NewSnapshot()
	var buf bytes.Buffer
	err := applier{n: from.Node}.WriteSnapshot("brand:maison", snap, &buf)
	snap.Close()
	if err != nil {
		t.Fatal(err)
	}

	rb := replicate.NewRestoreBatch(to.store.DB(), 512)
	if err := (applier{n: to.Node}).Restore("brand:maison", rb, &buf); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := rb.Finish(); err != nil {
		t.Fatal(err)
	}

	c, err := to.store.Get(id)
	if err != nil || c.Name != "Aiko Tanaka" || len(c.Descriptors) == 0 {
		t.Fatalf("restored client: %+v, %v", c, err)
	}
	it, err := to.catalog().Get("BAG-001")
	if err != nil || it.Name != "Pearl-embroidered evening bag" || len(it.Stock) != 0 {
		t.Errorf("restored item: %+v, %v; want the description without stock", it, err)
	}
	if got := to.engines.gallery().Clients(); got != 1 {
		t.Errorf("gallery of the restored node holds %d clients, want 1", got)
	}
}
