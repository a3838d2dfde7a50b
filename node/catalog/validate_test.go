package catalog

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// validItem returns an item that Validate accepts, for cases to change one field of.
func validItem() Item {
	return Item{
		SKU: "SHO-010", Name: "Nude satin slippers", Category: "shoes",
		Materials: []string{"satin"}, Colors: []string{"nude"}, Collection: "Atelier",
		Sizes: []string{"36", "37"}, Price: 890, Currency: "EUR",
		Stock: map[string]int{"Ginza": 3},
	}
}

func TestValidate_TextAndPrice(t *testing.T) {
	tests := []struct {
		name   string
		change func(it *Item)
		want   string
	}{
		{"valid", func(it *Item) {}, ""},
		{"name with accents and kanji", func(it *Item) { it.Name = "Ballerines été 銀座" }, ""},
		{"name in Arabic", func(it *Item) { it.Name = "حقيبة سهرة" }, ""},
		{"price in cents", func(it *Item) { it.Price = 890.99 }, ""},
		{"price 0.29", func(it *Item) { it.Price = 0.29 }, ""},
		{"price at the maximum", func(it *Item) { it.Price = MaxPrice }, ""},
		{"KWD with three decimals", func(it *Item) { it.Price, it.Currency = 1.125, "KWD" }, ""},

		{"name with a newline", func(it *Item) { it.Name = "Nude\nslippers" },
			"name contains the control character U+000A"},
		{"name with a pop directional formatting", func(it *Item) { it.Name += "\u202c" },
			"name contains the invisible formatting character U+202C"},
		{"category with ESC", func(it *Item) { it.Category = "sho\x1bes" },
			"category contains the control character U+001B"},
		{"collection with a right-to-left isolate", func(it *Item) { it.Collection += "\u2067" },
			"collection contains the invisible formatting character U+2067"},
		{"color with NUL", func(it *Item) { it.Colors = []string{"nude", "bl\x00ack"} },
			"colors[1] contains the control character U+0000"},
		{"material not UTF-8", func(it *Item) { it.Materials = []string{"cuir \xe9"} },
			"materials[0] is not valid UTF-8"},
		{"size with a right-to-left embedding", func(it *Item) { it.Sizes[1] = "\u202b37" },
			"sizes[1] contains the invisible formatting character U+202B"},
		{"name with a right-to-left mark", func(it *Item) { it.Name += "\u200f" },
			"name contains the invisible formatting character U+200F"},
		{"name with a line separator", func(it *Item) { it.Name += "\u2028x" },
			"name contains the invisible formatting character U+2028"},

		{"EUR with three decimals", func(it *Item) { it.Price = 12.345 },
			"price 12.345 has more decimals than EUR allows, which is 2"},
		{"JPY with a decimal", func(it *Item) { it.Price, it.Currency = 1.5, "JPY" },
			"than JPY allows, which is 0"},
		{"VND with a decimal", func(it *Item) { it.Price, it.Currency = 0.5, "VND" },
			"than VND allows, which is 0"},
		{"a sum of floats", func(it *Item) { a, b := 0.1, 0.2; it.Price = a + b },
			"price 0.30000000000000004 has more decimals"},
		{"price over the maximum", func(it *Item) { it.Price = 1e300 },
			"is more than the maximum 1000000000000"},
		{"price infinite", func(it *Item) { it.Price = math.Inf(1) },
			"price +Inf is not a finite number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := validItem()
			tt.change(&it)
			err := Validate(it)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate: %v, want %v", err, ErrInvalid)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate: %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMinorUnits_Table(t *testing.T) {
	tests := map[string]int{
		"EUR": 2, "USD": 2, "IDR": 2, "VND": 0, "JPY": 0, "KRW": 0, "CLP": 0, "XOF": 0,
		"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
	}
	for code, want := range tests {
		if got := minorUnits(code); got != want {
			t.Errorf("minorUnits(%s) = %d, want %d", code, got, want)
		}
	}
	for code := range minorUnitExceptions {
		if !IsCurrency(code) {
			t.Errorf("minor units are listed for %s, which is not a known currency", code)
		}
	}
}
