package catalog

import (
	"maps"
	"strings"
	"testing"
)

func TestImport_CSVStockPerSize(t *testing.T) {
	const slippers = "SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,"
	tests := []struct {
		name   string
		cell   string
		total  int
		sizes  map[string]int
		reason string
	}{
		{"whole number", "3", 3, nil, ""},
		{"pairs", "36:0|37:2|38:1", 3, map[string]int{"36": 0, "37": 2, "38": 1}, ""},
		{"one pair", "37:2", 2, map[string]int{"37": 2}, ""},
		{"spaces around", "\" 37 : 2 | 38:1 \"", 3, map[string]int{"37": 2, "38": 1}, ""},
		{"count not a number", "37:x", 0, nil,
			`stock "37:x": count "x" is not a whole number`},
		{"count missing", "37:", 0, nil, `stock "37:": count "" is not a whole number`},
		{"pair without count", "37:2|38", 0, nil,
			`stock "37:2|38": "38" is not a size:count pair such as 37:2`},
		{"size missing", ":2", 0, nil, `stock ":2": the size is missing before ":2"`},
		{"empty pair", "37:2||38:1", 0, nil, `"" is not a size:count pair`},
		{"size twice", "37:1|37:2", 0, nil, `stock "37:1|37:2": size "37" is given twice`},
		{"size not of the item", "37:1|41:2", 0, nil,
			`size "41" is not one of the item's sizes 36|37|38`},
		{"negative count", "37:-1|38:2", 0, nil, "size 37: invalid catalogue data: stock -1"},
		{"count over the limit", "37:2000000", 0, nil, "stock 2000000 is not from 0"},
		{"whole number not a number", "three", 0, nil, `stock "three" is not a whole number`},
		{"empty cell", "", 0, nil, `stock "" is not a whole number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOpen(t)
			res := mustImport(t, c, CSV, csvHeader+slippers+tt.cell+"\n")
			if tt.reason != "" {
				mustRejectLine(t, res, 2, tt.reason)
				return
			}

			mustStoreSlippers(t, c, res, 1, tt.total, tt.sizes)
		})
	}
}

func TestImport_CSVStockPerSizeNeedsSizes(t *testing.T) {
	c := mustOpen(t)
	res := mustImport(t, c, CSV, csvHeader+
		"BAG-001,Evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n"+
		"BAG-002,Tote,bags,leather,black,Riviera,,2100,EUR,mini:1\n")
	mustRejectLine(t, res, 3, "stock per size is given but the item has no sizes")
	if res.Applied != 1 {
		t.Errorf("applied = %d, want 1", res.Applied)
	}
}

func TestImport_JSONStockPerSize(t *testing.T) {
	const slippers = `{"sku": "SHO-010", "name": "Nude satin slippers", "category": "shoes",
  "sizes": ["36", "37", "38"], "price": 890, "currency": "EUR", "stock": `
	tests := []struct {
		name   string
		stock  string
		total  int
		sizes  map[string]int
		reason string
	}{
		{"number", "3", 3, nil, ""},
		{"object", `{"36": 0, "37": 2, "38": 1}`, 3,
			map[string]int{"36": 0, "37": 2, "38": 1}, ""},
		{"object with one size", `{"37": 2}`, 2, map[string]int{"37": 2}, ""},
		{"null", "null", 0, nil, "stock is missing"},
		{"string", `"3"`, 0, nil, `stock "3" is not a whole number or an object`},
		{"fraction", "2.5", 0, nil, "stock 2.5 is not a whole number"},
		{"array", "[2]", 0, nil, "stock [2] is not a whole number"},
		{"count a string", `{"37": "x"}`, 0, nil,
			`stock of size "37": count "x" is not a whole number`},
		{"count a fraction", `{"37": 1.5}`, 0, nil,
			`stock of size "37": count 1.5 is not a whole number`},
		{"size twice", `{"37": 1, "37": 2}`, 0, nil, `stock: size "37" is given twice`},
		{"empty object", `{}`, 0, nil, "stock per size lists no sizes"},
		{"size not of the item", `{"41": 1}`, 0, nil,
			`size "41" is not one of the item's sizes 36|37|38`},
		{"negative count", `{"37": -1}`, 0, nil, "size 37: invalid catalogue data: stock -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOpen(t)
			res := mustImport(t, c, JSON, "[\n  {\"sku\": \"BAG-001\", \"name\": \"Bag\", "+
				"\"category\": \"bags\", \"price\": 10, \"currency\": \"EUR\", \"stock\": 1},\n  "+
				slippers+tt.stock+"}\n]")
			if tt.reason != "" {
				mustRejectLine(t, res, 3, tt.reason)
				return
			}

			mustStoreSlippers(t, c, res, 2, tt.total, tt.sizes)
		})
	}
}

func TestImport_StockPerSizeReplaced(t *testing.T) {
	c := mustOpen(t)
	const row = "SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,"
	mustImport(t, c, CSV, csvHeader+row+"36:1|37:2\n")

	// A bad row is skipped whole: its per-size counts do not reach the stored item.
	res := mustImport(t, c, CSV, csvHeader+row+"37:5|39:1\n")
	mustRejectLine(t, res, 2, `size "39"`)
	it, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(it.SizeStock["Ginza"], map[string]int{"36": 1, "37": 2}) {
		t.Errorf("sizes after a rejected row = %v, want 36:1 and 37:2", it.SizeStock)
	}

	// A whole number replaces the per-size counts with a total.
	mustImport(t, c, CSV, csvHeader+row+"4\n")
	it, err = c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if it.SizeStock != nil || it.StockAt("Ginza") != 4 {
		t.Errorf("after a whole number: total %d, sizes %v; want 4 and none",
			it.StockAt("Ginza"), it.SizeStock)
	}
}

func TestFormatSizeStock_ParsesBack(t *testing.T) {
	tests := []map[string]int{
		{"37": 2},
		{"36": 0, "37": 2, "38": 1},
		{"XS": 1, "S": 0, "EU:40": 3},
	}
	for _, counts := range tests {
		cell := FormatSizeStock(counts)
		total, got, err := parseStockCell(cell)
		if err != nil {
			t.Errorf("parse %q: %v", cell, err)
			continue
		}
		if !maps.Equal(got, counts) {
			t.Errorf("parse %q = %v, want %v", cell, got, counts)
		}
		if total != sumCounts(counts) {
			t.Errorf("parse %q total = %d, want %d", cell, total, sumCounts(counts))
		}
	}
	if got := FormatSizeStock(map[string]int{"38": 1, "36": 0, "37": 2}); got !=
		"36:0|37:2|38:1" {
		t.Errorf("FormatSizeStock = %q, want sizes in lexical order", got)
	}
}

// mustRejectLine fails the test unless res rejects exactly one row, on line, with a reason
// containing reason.
func mustRejectLine(t *testing.T, res Result, line int, reason string) {
	t.Helper()
	if len(res.Rejected) != 1 {
		t.Fatalf("rejected = %+v, want one row on line %d", res.Rejected, line)
	}
	if res.Rejected[0].Line != line {
		t.Errorf("rejected line %d, want %d", res.Rejected[0].Line, line)
	}
	if !strings.Contains(res.Rejected[0].Reason, reason) {
		t.Errorf("reason = %q, want it to contain %q", res.Rejected[0].Reason, reason)
	}
}

// mustStoreSlippers checks that an import applied rows and stored the slippers SHO-010
// with Ginza's total and counts per size.
func mustStoreSlippers(t *testing.T, c *Catalog, res Result, rows, total int,
	sizes map[string]int) {
	t.Helper()
	if res.Applied != rows {
		t.Fatalf("result = %+v, want %d applied", res, rows)
	}
	it, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if it.StockAt("Ginza") != total {
		t.Errorf("total = %d, want %d", it.StockAt("Ginza"), total)
	}
	if !maps.Equal(it.SizeStock["Ginza"], sizes) {
		t.Errorf("sizes = %v, want %v", it.SizeStock["Ginza"], sizes)
	}
}
