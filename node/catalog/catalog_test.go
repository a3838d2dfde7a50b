package catalog

import (
	"errors"
	"testing"
)

func TestCatalog_SetStock(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,,890,EUR,0\n")

	it, err := c.SetStock("SHO-010", 4)
	if err != nil {
		t.Fatal(err)
	}
	if it.StockAt("Ginza") != 4 {
		t.Errorf("stock = %d, want 4", it.StockAt("Ginza"))
	}
	if _, err := c.SetStock("SHO-999", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("restock of an unknown SKU: %v, want ErrNotFound", err)
	}
	if _, err := c.SetStock("SHO-010", -2); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative stock: %v, want ErrInvalid", err)
	}
	again, err := c.Get("SHO-010")
	if err != nil {
		t.Fatal(err)
	}
	if again.StockAt("Ginza") != 4 {
		t.Errorf("stock after a rejected restock = %d, want 4", again.StockAt("Ginza"))
	}
}

func TestCatalog_Search(t *testing.T) {
	c := mustOpen(t)
	mustImport(t, c, CSV, csvHeader+
		"BAG-001,Pearl evening bag,bags,silk,ivory,Riviera,,4200,EUR,2\n"+
		"JEW-001,Pearl drop earrings,jewellery,pearl,white,Riviera,,900,EUR,1\n"+
		"SHO-010,Nude satin slippers,shoes,satin,nude,Atelier,,890,EUR,0\n")

	tests := []struct {
		q     string
		limit int
		want  []string
	}{
		{"pearl", 0, []string{"BAG-001", "JEW-001"}},
		{"PEARL", 1, []string{"BAG-001"}},
		{"sho-", 0, []string{"SHO-010"}},
		{"jewellery", 0, []string{"JEW-001"}},
		{"", 0, []string{"BAG-001", "JEW-001", "SHO-010"}},
		{"cashmere", 0, nil},
	}
	for _, tt := range tests {
		got, err := c.Search(tt.q, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, it := range got {
			skus = append(skus, it.SKU)
		}
		if len(skus) != len(tt.want) {
			t.Errorf("search %q = %v, want %v", tt.q, skus, tt.want)
			continue
		}
		for i := range skus {
			if skus[i] != tt.want[i] {
				t.Errorf("search %q = %v, want %v", tt.q, skus, tt.want)
			}
		}
	}
}

func TestCatalog_GetNotFound(t *testing.T) {
	c := mustOpen(t)
	if _, err := c.Get("NOPE-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get = %v, want ErrNotFound", err)
	}
}

func TestValidate_SKU(t *testing.T) {
	tests := []struct {
		sku string
		ok  bool
	}{
		{"BAG-001", true},
		{"a.b_c-9", true},
		{"", false},
		{"BAG/001", false},
		{"BAG 001", false},
		{"sac-é", false},
		{"..", false},
		{".", false},
		{"v1.2", true},
		{string(make([]byte, MaxSKUBytes+1)), false},
	}
	for _, tt := range tests {
		err := ValidateSKU(tt.sku)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateSKU(%q) = %v, want ok %v", tt.sku, err, tt.ok)
		}
	}
}

func TestCatalog_RecordSale(t *testing.T) {
	c := mustOpen(t)
	for _, sku := range []string{"BAG-001", "BAG-001", "SHO-010"} {
		if err := c.RecordSale(sku); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RecordSale("bad sku"); !errors.Is(err, ErrInvalid) {
		t.Errorf("sale of an invalid SKU: %v, want ErrInvalid", err)
	}

	sales, err := c.Sales()
	if err != nil {
		t.Fatal(err)
	}
	if sales["BAG-001"] != 2 {
		t.Errorf("BAG-001 sold %d, want 2", sales["BAG-001"])
	}
	if sales["SHO-010"] != 1 {
		t.Errorf("SHO-010 sold %d, want 1", sales["SHO-010"])
	}
	if len(sales) != 2 {
		t.Errorf("sales = %v, want 2 SKUs", sales)
	}
}
