package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/omotenashi/omotenashi/internal/testassets"
	"github.com/omotenashi/omotenashi/node"
	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/recommend"
)

// TestDemo_CardHasSuggestions sets up the demo boutique as make run does and checks that
// her card would suggest the slippers she asked about first and name her birthday.
func TestDemo_CardHasSuggestions(t *testing.T) {
	cfg := node.DefaultConfig(t.TempDir())
	cfg.ModelDir = testassets.ModelDir(t)
	cfg.ONNXModelDir, cfg.ONNXLibrary = testassets.ONNXModelDir(t)
	cfg.StoreName = "Omotenashi Ginza (demo)"
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := node.Open(cfg)
	if err != nil {
		t.Fatalf("open node: %v", err)
	}
	defer n.Close()

	for range 2 { // a restarted demo imports nothing twice
		if err := importDemoCatalog(n, cfg.StoreName); err != nil {
			t.Fatalf("import demo catalogue: %v", err)
		}
	}
	samples := filepath.Dir(testassets.Sample(t, demoEnrollPic))
	if err := enrollDemoClient(context.Background(), n, samples); err != nil {
		t.Fatalf("enroll demo client: %v", err)
	}

	found, err := n.Store().List(demoName, 1)
	if err != nil || len(found) != 1 {
		t.Fatalf("demo client: %v, %v", found, err)
	}
	c, err := n.Store().Get(found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	items, err := catalog.New(n.Store().DB(), cfg.StoreName).All()
	if err != nil {
		t.Fatal(err)
	}
	got := recommend.Recommend(c, items, recommend.Options{Boutique: cfg.StoreName})
	if len(items) != 5 || len(got) == 0 || got[0].SKU != "SLIP-NUDE-38" {
		t.Errorf("%d items, suggestions %+v: want 5 items and the slippers first", len(items),
			got)
	}
	if len(c.ImportantDates) != 1 || c.ImportantDates[0].Label != "Birthday" {
		t.Errorf("important dates %+v, want her birthday", c.ImportantDates)
	}
}
