package synth

import (
	"reflect"
	"slices"
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
)

func TestCatalog_SameSeedSameData(t *testing.T) {
	a, b := Catalog(3, 300, "Ginza"), Catalog(3, 300, "Ginza")
	if !reflect.DeepEqual(a, b) {
		t.Error("two catalogues of seed 3 differ")
	}
	if reflect.DeepEqual(a, Catalog(4, 300, "Ginza")) {
		t.Error("catalogues of seeds 3 and 4 are equal")
	}
	if !reflect.DeepEqual(Clients(3, 50, a, "Ginza"), Clients(3, 50, b, "Ginza")) {
		t.Error("two client sets of seed 3 differ")
	}
}

func TestCatalog_ValidItems(t *testing.T) {
	items := Catalog(1, 300, "Ginza")
	outOfStock := 0
	skus := map[string]bool{}
	for _, it := range items {
		if err := catalog.Validate(it); err != nil {
			t.Errorf("item %s: %v", it.SKU, err)
		}
		if skus[it.SKU] {
			t.Errorf("sku %s appears twice", it.SKU)
		}
		skus[it.SKU] = true
		if it.StockAt("Ginza") == 0 {
			outOfStock++
		}
	}
	if outOfStock == 0 || outOfStock > len(items)/4 {
		t.Errorf("%d of %d items out of stock, want some but under a quarter", outOfStock,
			len(items))
	}
}

func TestCatalog_StockPerSize(t *testing.T) {
	items := Catalog(1, 300, "Ginza")
	sized, noneInSomeSize := 0, 0
	for _, it := range items {
		counts := it.SizeStock["Ginza"]
		if len(it.Sizes) == 0 {
			if it.SizeStock != nil {
				t.Errorf("%s has no sizes but per-size stock %v", it.SKU, it.SizeStock)
			}
			continue
		}

		sized++
		if len(counts) != len(it.Sizes) {
			t.Errorf("%s lists %d sizes in its stock, want all %d", it.SKU, len(counts),
				len(it.Sizes))
		}
		sum := 0
		for _, size := range it.Sizes {
			sum += counts[size]
			if counts[size] == 0 && it.StockAt("Ginza") > 0 {
				noneInSomeSize++
			}
		}
		if sum != it.StockAt("Ginza") {
			t.Errorf("%s: sizes add up to %d, total is %d", it.SKU, sum, it.StockAt("Ginza"))
		}
	}
	if sized == 0 {
		t.Fatal("no item with sizes")
	}
	if noneInSomeSize == 0 {
		t.Error("every size of every item in stock has pieces, want some sizes without")
	}
}

func TestClients_BuyByTaste(t *testing.T) {
	items := Catalog(1, 300, "Ginza")
	bySKU := map[string]catalog.Item{}
	for _, it := range items {
		bySKU[it.SKU] = it
	}

	for _, c := range Clients(1, 500, items, "Ginza") {
		if len(c.Purchases) < 2 || len(c.Purchases) > 8 {
			t.Errorf("%s has %d purchases, want 2 to 8", c.ID, len(c.Purchases))
		}
		for i, p := range c.Purchases {
			it := bySKU[p.SKU]
			if i > 0 && !p.At.After(c.Purchases[i-1].At) {
				t.Errorf("%s: purchases not in time order", c.ID)
			}
			for _, d := range c.Preferences.Dislikes {
				if slices.Contains(it.Materials, d) {
					t.Errorf("%s bought %s of %s, which she dislikes", c.ID, it.SKU, d)
				}
			}
			if len(c.Preferences.Sizes) > 0 && !it.HasSize(c.Preferences.Sizes) {
				t.Errorf("%s bought %s not in her sizes %v", c.ID, it.SKU, c.Preferences.Sizes)
			}
		}
	}
}

func TestSisterCatalog_SharesNoSKUOrCollection(t *testing.T) {
	own := Catalog(1, 300, "Ginza")
	sister := SisterCatalog(2, 300, "Ginza Lune", "Lune")
	skus, collections := map[string]bool{}, map[string]bool{}
	for _, it := range own {
		skus[it.SKU], collections[it.Collection] = true, true
	}
	for _, it := range sister {
		if err := catalog.Validate(it); err != nil {
			t.Errorf("sister item %s: %v", it.SKU, err)
		}
		if skus[it.SKU] || collections[it.Collection] {
			t.Errorf("sister item %s of %s shares its SKU or collection", it.SKU,
				it.Collection)
		}
		if it.StockAt("Ginza Lune") < 0 || it.StockAt("Ginza") != 0 {
			t.Errorf("sister item %s stock %v, want it kept at Ginza Lune", it.SKU, it.Stock)
		}
	}
}
