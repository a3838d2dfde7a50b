package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// A replicated description replaces the stored one and keeps every boutique's stock, and
// the import that sends descriptions elsewhere stores only this boutique's stock itself.
func TestBrandCatalog_DescriptionsAndStockApart(t *testing.T) {
	ginza := mustOpen(t)
	mustImport(t, ginza, CSV, csvHeader+"BAG-1,Pearl bag,bags,pearl,ivory,Riviera,,2400,EUR,3\n")
	paris := New(ginza.db, "Paris")

	var sent []Item
	res, err := paris.ImportWith(strings.NewReader(csvHeader+
		"BAG-1,Pearl evening bag,bags,pearl|silk,ivory,Riviera,,2500,EUR,1\n"+
		"BAD,,bags,,,,,1,EUR,1\n"), CSV,
		func(items []Item) error { sent = items; return paris.PutStock(items) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Applied != 1 || len(res.Rejected) != 1 || len(sent) != 1 {
		t.Fatalf("result %+v, %d sent: want 1 applied, 1 rejected, 1 sent", res, len(sent))
	}
	it, err := ginza.Get("BAG-1")
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "Pearl bag" || it.StockAt("Paris") != 1 || it.StockAt("Ginza") != 3 {
		t.Errorf("before the description arrives: %+v, want the old name and both stocks", it)
	}

	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	b := ginza.db.NewBatch()
	if err := ginza.PutDescriptionsIn(b, sent, at); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
	it, err = ginza.Get("BAG-1")
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "Pearl evening bag" || it.Price != 2500 || !it.UpdatedAt.Equal(at) ||
		it.StockAt("Ginza") != 3 || it.StockAt("Paris") != 1 {
		t.Errorf("after: %+v, want the new description, dated by the command, and both stocks",
			it)
	}

	var names []string
	err = EachDescription(ginza.db, func(d Item) error {
		if len(d.Stock) != 0 {
			t.Errorf("description of %s carries stock %v", d.SKU, d.Stock)
		}
		names = append(names, d.Name)
		return nil
	})
	if err != nil || len(names) != 1 || names[0] != "Pearl evening bag" {
		t.Errorf("descriptions %v, %v", names, err)
	}
}

func TestPutDescriptionsIn_RejectsInvalid(t *testing.T) {
	c := mustOpen(t)
	b := c.db.NewBatch()
	bad := Item{SKU: "X-1", Name: "No price", Category: "bags", Price: 1, Currency: "EURO"}
	if err := c.PutDescriptionsIn(b, []Item{bad}, time.Now()); !errors.Is(err, ErrInvalid) {
		t.Fatalf("error %v, want ErrInvalid", err)
	}
	if b.Count() != 0 {
		t.Errorf("%d writes in the batch after a rejected item, want none", b.Count())
	}
}

// A description from another boutique of the brand that drops an item's sizes leaves the
// counts per size stored here aside: the total counts alone and can be set again.
func TestCatalog_SizesDroppedByBrandImport(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+"SHO-1,Pumps,shoes,satin,nude,Atelier,37|38,890,EUR,37:1|38:2\n")

	b := c.db.NewBatch()
	noSizes := Item{SKU: "SHO-1", Name: "Pumps", Category: "shoes", Price: 890,
		Currency: "EUR"}
	if err := c.PutDescriptionsIn(b, []Item{noSizes}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}

	it, err := c.Get("SHO-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Sizes) != 0 || it.SizeStock != nil || it.StockAt("Ginza") != 3 {
		t.Fatalf("Get after the sizes left: %+v, want a total of 3 and no sizes", it)
	}
	all, err := c.All()
	if err != nil || len(all) != 1 || all[0].SizeStock != nil || all[0].StockAt("Ginza") != 3 {
		t.Fatalf("All after the sizes left: %+v, %v", all, err)
	}
	if _, err := c.SetStock("SHO-1", 2); err != nil {
		t.Errorf("set the total after the sizes left: %v", err)
	}
}
