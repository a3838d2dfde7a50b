package catalog

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

// shoes returns pumps in sizes 36 to 39 with total pieces at Ginza and, unless sizes is
// nil, the count per size there.
func shoes(total int, sizes map[string]int) Item {
	it := Item{SKU: "SHO-020", Name: "Black leather pumps", Category: "shoes",
		Sizes: []string{"36", "37", "38", "39"}, Price: 950, Currency: "EUR",
		Stock: map[string]int{"Ginza": total}}
	if sizes != nil {
		it.SizeStock = map[string]map[string]int{"Ginza": sizes}
	}
	return it
}

func TestItem_StockInSizes(t *testing.T) {
	coat := Item{SKU: "RTW-001", Sizes: []string{"S", "M", "L"},
		Stock:     map[string]int{"Ginza": 3},
		SizeStock: map[string]map[string]int{"Ginza": {"S": 1, "M": 2, "L": 0}}}
	bag := Item{SKU: "BAG-001", Stock: map[string]int{"Ginza": 2}}

	tests := []struct {
		name     string
		item     Item
		boutique string
		sizes    []string
		want     int
	}{
		{"all pairs in 39, she wears 37", shoes(3, map[string]int{"39": 3}), "Ginza",
			[]string{"37"}, 0},
		{"all pairs in 39, she wears 39", shoes(3, map[string]int{"39": 3}), "Ginza",
			[]string{"39"}, 3},
		{"two of her sizes", shoes(6, map[string]int{"37": 2, "38": 1, "39": 3}), "Ginza",
			[]string{"37", "38"}, 3},
		{"her size listed twice", shoes(2, map[string]int{"37": 2}), "Ginza",
			[]string{"37", "37"}, 2},
		{"size listed with zero", shoes(3, map[string]int{"37": 0, "39": 3}), "Ginza",
			[]string{"37"}, 0},
		{"case-insensitive", coat, "Ginza", []string{"m"}, 2},
		{"no sizes given", coat, "Ginza", nil, 0},
		{"other boutique", coat, "Paris", []string{"M"}, 0},
		{"no per-size counts, her size", shoes(3, nil), "Ginza", []string{"37"}, 3},
		{"no per-size counts, not her size", shoes(3, nil), "Ginza", []string{"41"}, 0},
		{"no per-size counts, no sizes given", shoes(3, nil), "Ginza", nil, 0},
		{"item without sizes", bag, "Ginza", []string{"37"}, 2},
		{"item without sizes, no sizes given", bag, "Ginza", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.item.StockInSizes(tt.boutique, tt.sizes)
			if got != tt.want {
				t.Errorf("StockInSizes(%q, %v) = %d, want %d", tt.boutique, tt.sizes, got,
					tt.want)
			}
		})
	}
}

func TestValidate_SizeStock(t *testing.T) {
	tests := []struct {
		name   string
		item   Item
		reason string
	}{
		{"counts per size", shoes(3, map[string]int{"36": 0, "37": 2, "38": 1}), ""},
		{"one size only", shoes(2, map[string]int{"37": 2}), ""},
		{"size in another case", Item{SKU: "RTW-1", Name: "Coat", Category: "coats",
			Sizes: []string{"S", "M"}, Currency: "EUR", Stock: map[string]int{"Ginza": 1},
			SizeStock: map[string]map[string]int{"Ginza": {"s": 1}}}, ""},
		{"size not of the item", shoes(1, map[string]int{"41": 1}),
			`size "41" is not one of the item's sizes 36|37|38|39`},
		{"same size twice", Item{SKU: "RTW-1", Name: "Coat", Category: "coats",
			Sizes: []string{"S", "M"}, Currency: "EUR", Stock: map[string]int{"Ginza": 2},
			SizeStock: map[string]map[string]int{"Ginza": {"s": 1, "S": 1}}},
			"are the same size"},
		{"negative count", shoes(0, map[string]int{"37": -1, "38": 1}),
			"size 37: invalid catalogue data: stock -1 is not from 0 to 1000000"},
		{"count over the limit", shoes(MaxStock+1, map[string]int{"37": MaxStock + 1}),
			"size 37: invalid catalogue data: stock 1000001"},
		{"total over the limit", shoes(2*MaxStock, map[string]int{"37": MaxStock,
			"38": MaxStock}), "stock 2000000 is not from 0"},
		{"total differs from the sum", shoes(5, map[string]int{"37": 2, "38": 1}),
			"total stock 5 differs from 3, the sum of the sizes"},
		{"total missing", func() Item {
			it := shoes(0, map[string]int{"37": 2})
			it.Stock = nil
			return it
		}(), "without a total"},
		{"no sizes listed", shoes(0, map[string]int{}), "lists no sizes"},
		{"item without sizes", func() Item {
			it := shoes(1, map[string]int{"37": 1})
			it.Sizes = nil
			return it
		}(), "the item has no sizes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.item)
			if tt.reason == "" {
				if err != nil {
					t.Errorf("Validate = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("Validate = %q, want it to contain %q", err, tt.reason)
			}
		})
	}
}

func TestCatalog_SetSizeStock(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,3\n"+
		"RTW-001,Camel coat,ready-to-wear,cashmere,camel,Hiver,S|M|L,5200,EUR,1\n"+
		"BAG-001,Evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n")

	it, err := c.SetSizeStock("SHO-010", map[string]int{"37": 2, "38": 1})
	if err != nil {
		t.Fatal(err)
	}
	if it.StockAt("Ginza") != 3 {
		t.Errorf("total = %d, want 3", it.StockAt("Ginza"))
	}
	if got := it.StockInSizes("Ginza", []string{"36"}); got != 0 {
		t.Errorf("stock in 36 = %d, want 0 since 36 is not listed", got)
	}
	if got := it.StockInSizes("Ginza", []string{"37"}); got != 2 {
		t.Errorf("stock in 37 = %d, want 2", got)
	}

	coat, err := c.SetSizeStock("RTW-001", map[string]int{"m": 1, "l": 0})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"M": 1, "L": 0}
	if !maps.Equal(coat.SizeStock["Ginza"], want) {
		t.Errorf("coat sizes = %v, want %v in the item's spelling", coat.SizeStock["Ginza"],
			want)
	}

	stored, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(stored.SizeStock["Ginza"], map[string]int{"37": 2, "38": 1}) {
		t.Errorf("stored sizes = %v, want 37:2 and 38:1", stored.SizeStock)
	}
}

func TestCatalog_SetSizeStockErrors(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,3\n"+
		"BAG-001,Evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n")
	if _, err := c.SetSizeStock("SHO-010", map[string]int{"37": 1, "38": 1}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		sku   string
		sizes map[string]int
		want  error
	}{
		{"unknown item", "SHO-999", map[string]int{"37": 1}, ErrNotFound},
		{"no sizes", "SHO-010", map[string]int{}, ErrInvalid},
		{"nil sizes", "SHO-010", nil, ErrInvalid},
		{"size not of the item", "SHO-010", map[string]int{"41": 1}, ErrInvalid},
		{"negative count", "SHO-010", map[string]int{"37": -1}, ErrInvalid},
		{"count over the limit", "SHO-010", map[string]int{"37": MaxStock + 1}, ErrInvalid},
		{"sum over the limit", "SHO-010", map[string]int{"37": MaxStock, "38": 1},
			ErrInvalid},
		{"item without sizes", "BAG-001", map[string]int{"37": 1}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.SetSizeStock(tt.sku, tt.sizes)
			if !errors.Is(err, tt.want) {
				t.Errorf("SetSizeStock = %v, want %v", err, tt.want)
			}
		})
	}

	it, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(it.SizeStock["Ginza"], map[string]int{"37": 1, "38": 1}) {
		t.Errorf("sizes after rejected calls = %v, want 37:1 and 38:1", it.SizeStock)
	}
	if it.StockAt("Ginza") != 2 {
		t.Errorf("total after rejected calls = %d, want 2", it.StockAt("Ginza"))
	}
}

func TestCatalog_SetStockClearsSizes(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,36:1|37:2\n")

	it, err := c.SetStock("SHO-010", 5)
	if err != nil {
		t.Fatal(err)
	}
	if it.SizeStock != nil {
		t.Errorf("sizes = %v, want none after SetStock", it.SizeStock)
	}
	if it.StockAt("Ginza") != 5 {
		t.Errorf("total = %d, want 5", it.StockAt("Ginza"))
	}
	if got := it.StockInSizes("Ginza", []string{"38"}); got != 5 {
		t.Errorf("stock in 38 = %d, want the total 5 without per-size counts", got)
	}
}

func TestCatalog_ReadsStockValues(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,0\n")

	// A bare decimal is the value written before per-size counts existed.
	values := map[string]string{
		"Ginza":  `{"sizes":{"37":2,"38":1}}`,
		"Paris":  "7",
		"Kyoto":  "0",
		"London": `{"sizes":{"36":0}}`,
	}
	for boutique, value := range values {
		key := []byte(stockPrefix + "SHO-010/" + boutique)
		if err := c.db.Set(key, []byte(value), nil); err != nil {
			t.Fatal(err)
		}
	}

	got, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("All returned %d items, want 1", len(all))
	}

	wantStock := map[string]int{"Ginza": 3, "Paris": 7, "Kyoto": 0, "London": 0}
	wantSizes := map[string]map[string]int{"Ginza": {"37": 2, "38": 1}, "London": {"36": 0}}
	for name, it := range map[string]Item{"Get": got, "All": all[0]} {
		if !maps.Equal(it.Stock, wantStock) {
			t.Errorf("%s: stock = %v, want %v", name, it.Stock, wantStock)
		}
		if !maps.EqualFunc(it.SizeStock, wantSizes, maps.Equal) {
			t.Errorf("%s: sizes = %v, want %v", name, it.SizeStock, wantSizes)
		}
	}
}

func TestCatalog_ReadsMalformedStockValue(t *testing.T) {
	values := []string{`{"sizes":{}}`, `{"sizes":{"37":"x"}}`, `{bad`, "three"}
	for _, value := range values {
		t.Run(value, func(t *testing.T) {
			c := mustOpen(t)
			mustImport(t, c, CSV, csvHeader+
				"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,37,890,EUR,0\n")
			key := []byte(stockPrefix + "SHO-010/Ginza")
			if err := c.db.Set(key, []byte(value), nil); err != nil {
				t.Fatal(err)
			}

			_, err := c.Get("SHO-010")
			if err == nil || !strings.Contains(err.Error(), "stock of SHO-010 at Ginza") {
				t.Errorf("Get = %v, want an error naming the SKU and boutique", err)
			}
			if _, err := c.All(); err == nil {
				t.Error("All returned no error")
			}
		})
	}
}
