package catalog

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestImport_CSVRows(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		applied     int
		rejectLines []int
		reasons     []string
	}{
		{
			name: "good rows",
			body: csvHeader +
				"BAG-001,Pearl-embroidered evening bag,bags,silk|pearl,ivory,Riviera,,4200,EUR,2\n" +
				"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,36|37|38,890,EUR,0\n",
			applied: 2,
		},
		{
			name: "bad price, missing sku, unknown currency, negative stock, cells",
			body: csvHeader +
				"BAG-001,Evening bag,bags,silk,ivory,Riviera,,abc,EUR,1\n" +
				",Silk scarf,scarves,silk,red,Riviera,,300,EUR,1\n" +
				"SCA-002,Silk scarf,scarves,silk,red,Riviera,,300,EUX,1\n" +
				"SCA-003,Silk scarf,scarves,silk,red,Riviera,,300,EUR,-1\n" +
				"SCA-004,Silk scarf,scarves,silk,red\n" +
				"SCA-005,Cashmere stole,scarves,cashmere,grey,Hiver,,1200,JPY,4\n",
			applied:     1,
			rejectLines: []int{2, 3, 4, 5, 6},
			reasons: []string{"price \"abc\"", "sku is missing", "currency \"EUX\"",
				"stock -1", "has 5 cells"},
		},
		{
			name: "negative price, empty list entry, duplicate sku",
			body: csvHeader +
				"JEW-001,Pearl drop earrings,jewellery,pearl|gold,white,Riviera,,-5,EUR,1\n" +
				"JEW-002,Pearl ring,jewellery,pearl||gold,white,Riviera,,900,EUR,1\n" +
				"JEW-003,Gold cuff,jewellery,gold,yellow,Riviera,,2500,EUR,1\n" +
				"JEW-003,Gold cuff again,jewellery,gold,yellow,Riviera,,2600,EUR,1\n",
			applied:     1,
			rejectLines: []int{2, 3, 5},
			reasons:     []string{"price -5", "materials[1] is empty", "already on line 4"},
		},
		{
			name: "quoted cells with commas and a bad quote",
			body: csvHeader +
				"RTW-001,\"Coat, double-breasted\",ready-to-wear,cashmere,camel,Hiver,S|M|L,5200,EUR,1\n" +
				"RTW-002,Bad \"quote,ready-to-wear,wool,navy,Hiver,,900,EUR,1\n" +
				"RTW-003,Wool trousers,ready-to-wear,wool,navy,Hiver,36|38,900,EUR,1\n",
			applied:     2,
			rejectLines: []int{3},
			reasons:     []string{"malformed CSV"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOpen(t)
			res := mustImport(t, c, CSV, tt.body)

			if res.Applied != tt.applied {
				t.Errorf("applied = %d, want %d (rejected %+v)", res.Applied, tt.applied,
					res.Rejected)
			}
			if len(res.Rejected) != len(tt.rejectLines) {
				t.Fatalf("rejected = %+v, want lines %v", res.Rejected, tt.rejectLines)
			}
			for i, rej := range res.Rejected {
				if rej.Line != tt.rejectLines[i] {
					t.Errorf("rejection %d on line %d, want %d", i, rej.Line, tt.rejectLines[i])
				}
				if !strings.Contains(rej.Reason, tt.reasons[i]) {
					t.Errorf("rejection %d reads %q, want %q", i, rej.Reason, tt.reasons[i])
				}
			}
			all, err := c.All()
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != tt.applied {
				t.Errorf("catalogue holds %d items, want %d", len(all), tt.applied)
			}
		})
	}
}

func TestImport_CSVFieldsStored(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"SHO-010, Nude satin slippers ,shoes,satin|leather,nude|black,Atelier,36|37,890.5,EUR,3\n")

	it, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "Nude satin slippers" {
		t.Errorf("name = %q, want it trimmed", it.Name)
	}
	if fmt.Sprint(it.Materials) != "[satin leather]" {
		t.Errorf("materials = %v", it.Materials)
	}
	if fmt.Sprint(it.Colors) != "[nude black]" {
		t.Errorf("colors = %v", it.Colors)
	}
	if fmt.Sprint(it.Sizes) != "[36 37]" {
		t.Errorf("sizes = %v", it.Sizes)
	}
	if it.Price != 890.5 || it.Currency != "EUR" {
		t.Errorf("price = %v %s, want 890.5 EUR", it.Price, it.Currency)
	}
	if it.StockAt("Ginza") != 3 {
		t.Errorf("stock = %v, want 3 at Ginza", it.Stock)
	}
}

func TestImport_Upsert(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"BAG-001,Evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n"+
		"BAG-002,Tote,bags,leather,black,Riviera,,2100,EUR,5\n")
	if err := c.db.Set([]byte(stockPrefix+"BAG-001/Paris"), []byte("7"), nil); err != nil {
		t.Fatal(err)
	}

	res := mustImport(t, c, CSV, csvHeader+
		"BAG-001,Pearl evening bag,bags,silk|pearl,ivory,Riviera,,4500,EUR,0\n"+
		"BAG-003,Clutch,bags,leather,red,Atelier,,1500,EUR,1\n")
	if res.Applied != 2 {
		t.Fatalf("applied = %d, want 2", res.Applied)
	}

	it, err := c.Get("BAG-001")
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "Pearl evening bag" || it.Price != 4500 {
		t.Errorf("BAG-001 = %q %v, want the new name and price", it.Name, it.Price)
	}
	if it.StockAt("Ginza") != 0 {
		t.Errorf("Ginza stock = %d, want 0 from the second import", it.StockAt("Ginza"))
	}
	if it.StockAt("Paris") != 7 {
		t.Errorf("Paris stock = %d, want 7 kept", it.StockAt("Paris"))
	}
	all, err := c.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Errorf("catalogue holds %d items, want 3", len(all))
	}
}

func TestImport_NothingHalfApplied(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+"BAG-001,Evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n")

	// The second row changes BAG-001 with a bad currency: it is skipped whole, so neither
	// its name nor its stock reaches the stored item.
	res := mustImport(t, c, CSV, csvHeader+
		"BAG-002,Tote,bags,leather,black,Riviera,,2100,EUR,5\n"+
		"BAG-001,Renamed bag,bags,silk,ivory,Riviera,,4200,eur,9\n")
	if res.Applied != 1 || len(res.Rejected) != 1 {
		t.Fatalf("result = %+v, want 1 applied and 1 rejected", res)
	}
	it, err := c.Get("BAG-001")
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "Evening bag" {
		t.Errorf("name = %q, want the first import's", it.Name)
	}
	if it.StockAt("Ginza") != 2 {
		t.Errorf("stock = %d, want 2 unchanged", it.StockAt("Ginza"))
	}
}

func TestImport_JSONRows(t *testing.T) {
	body := `[
  {"sku": "BAG-001", "name": "Evening bag", "category": "bags", "materials": ["silk"],
   "colors": ["ivory"], "collection": "Riviera", "price": 4200, "currency": "EUR",
   "stock": 2},
  {"sku": "BAG-002", "name": "Tote", "category": "bags", "price": "cheap",
   "currency": "EUR", "stock": 1},
  {"sku": "BAG-003", "name": "Clutch", "category": "bags", "currency": "EUR", "stock": 1},
  {"sku": "BAG-004", "name": "Clutch", "category": "bags", "price": 10, "currency": "EUR"},
  {"sku": "BAG-005", "name": "Clutch", "category": "bags", "price": 10, "currency": "EUR",
   "stock": 1, "colour": "red"},
  {"sku": "BAG-006", "name": "Clutch", "category": "bags", "price": 10, "currency": "XYZ",
   "stock": 1},
  {"sku": "BAG-007", "name": "Mini bag", "category": "bags", "sizes": ["mini"],
   "price": 1800, "currency": "JPY", "stock": 0}
]`
	c := mustOpen(t)
	res := mustImport(t, c, JSON, body)

	if res.Applied != 2 {
		t.Errorf("applied = %d, want 2", res.Applied)
	}
	wantLines := []int{5, 7, 8, 9, 11}
	wantReasons := []string{"price: want a number, got string", "price is missing",
		"stock is missing", "unknown field", "currency \"XYZ\""}
	if len(res.Rejected) != len(wantLines) {
		t.Fatalf("rejected = %+v, want lines %v", res.Rejected, wantLines)
	}
	for i, rej := range res.Rejected {
		if rej.Line != wantLines[i] {
			t.Errorf("rejection %d on line %d, want %d", i, rej.Line, wantLines[i])
		}
		if !strings.Contains(rej.Reason, wantReasons[i]) {
			t.Errorf("rejection %d reads %q, want %q", i, rej.Reason, wantReasons[i])
		}
	}
	it, err := c.Get("BAG-007")
	if err != nil {
		t.Fatal(err)
	}
	if it.Currency != "JPY" || it.StockAt("Ginza") != 0 {
		t.Errorf("BAG-007 = %+v", it)
	}
}

func TestImport_WholeFileErrors(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		body   string
		want   error
	}{
		{"missing column", CSV, "sku,name,category,price,currency,stock\n", ErrInvalid},
		{"unknown column", CSV, strings.TrimSuffix(csvHeader, "\n") + ",colour\n", ErrInvalid},
		{"empty file", CSV, "", ErrInvalid},
		{"not an array", JSON, `{"sku": "BAG-001"}`, ErrInvalid},
		{"truncated array", JSON, `[{"sku": "BAG-001"}`, ErrInvalid},
		{"data after array", JSON, `[] []`, ErrInvalid},
		{"too many rows", CSV, csvHeader + strings.Repeat(
			"BAG-001,Bag,bags,silk,ivory,Riviera,,1,EUR,1\n", MaxImportRows+1), ErrTooLarge},
		{"too many bytes", CSV, csvHeader + strings.Repeat("x", MaxImportBytes), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOpen(t)
			_, err := c.Import(strings.NewReader(tt.body), tt.format)
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			all, err := c.All()
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 0 {
				t.Errorf("catalogue holds %d items after a failed import, want 0", len(all))
			}
		})
	}
}
