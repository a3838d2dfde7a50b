package profile

import (
	"errors"
	"math"
	"testing"
)

func TestValidate_Customer(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Customer)
		want   error
	}{
		{"valid", func(c *Customer) {}, nil},
		{"name of 200 runes", func(c *Customer) { c.Name = longString('田', 200) }, nil},
		{"name of 201 runes", func(c *Customer) { c.Name = longString('田', 201) }, ErrInvalid},
		{"empty name", func(c *Customer) { c.Name = "" }, ErrInvalid},
		{"blank name", func(c *Customer) { c.Name = " \t" }, ErrInvalid},
		{"name not UTF-8", func(c *Customer) { c.Name = "Tanaka \xff" }, ErrInvalid},
		{"address not UTF-8", func(c *Customer) { c.Address = "\xc3" }, ErrInvalid},
		{"name with a line break", func(c *Customer) { c.Name = "Aiko\nTanaka" }, ErrInvalid},
		{"name with NUL", func(c *Customer) { c.Name = "Aiko\x00" }, ErrInvalid},
		{"name with a right-to-left override", func(c *Customer) {
			c.Name = "Aiko \u202eakanaT"
		}, ErrInvalid},
		{"note with lines and a tab", func(c *Customer) {
			c.Notes = []Note{{Text: "Prefers mornings.\n\tAsk for Inès.", Author: "x"}}
		}, nil},
		{"name with a line separator", func(c *Customer) { c.Name = "Aiko\u2028Tanaka" },
			ErrInvalid},
		{"name with a right-to-left mark", func(c *Customer) { c.Name = "Aiko\u200f" },
			ErrInvalid},
		{"note with BEL", func(c *Customer) {
			c.Notes = []Note{{Text: "ring\a", Author: "x"}}
		}, ErrInvalid},
		{"empty id", func(c *Customer) { c.ID = "" }, ErrInvalid},
		{"id with slash", func(c *Customer) { c.ID = "a/b" }, ErrInvalid},
		{"id of 65 bytes", func(c *Customer) { c.ID = longString('a', 65) }, ErrInvalid},
		{"empty vector", func(c *Customer) { c.Descriptors[0].Vector = nil }, ErrInvalid},
		{"NaN component", func(c *Customer) {
			c.Descriptors[0].Vector[3] = float32(math.NaN())
		}, ErrInvalid},
		{"infinite component", func(c *Customer) {
			c.Descriptors[0].Vector[0] = float32(math.Inf(-1))
		}, ErrInvalid},
		{"lengths differ in one engine", func(c *Customer) {
			c.Descriptors = append(c.Descriptors, descriptor("dlib", 127, 0.2))
		}, ErrInvalid},
		{"lengths differ across engines", func(c *Customer) {
			c.Descriptors = append(c.Descriptors, descriptor("arcface", 512, 0.2))
		}, nil},
		{"empty engine", func(c *Customer) { c.Descriptors[0].Engine = "" }, ErrInvalid},
		{"unknown origin", func(c *Customer) { c.Descriptors[0].Origin = "camera" }, ErrInvalid},
		{"bad purchase", func(c *Customer) {
			c.Purchases = []Purchase{{SKU: "X", Price: 1, Currency: "eur"}}
		}, ErrInvalid},
		{"empty note", func(c *Customer) { c.Notes = []Note{{Author: "Linh"}} }, ErrInvalid},
		{"empty preference", func(c *Customer) { c.Preferences.Colors = []string{""} }, ErrInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCustomer("Tanaka Yuki", "Ms Tanaka")
			c.ID = "client-1"
			tc.change(c)

			if err := Validate(c); !errors.Is(err, tc.want) {
				t.Errorf("validate: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestValidate_Purchase(t *testing.T) {
	cases := []struct {
		name     string
		purchase Purchase
		valid    bool
	}{
		{"sku only", Purchase{SKU: "BAG-1", Price: 10, Currency: "JPY"}, true},
		{"item only", Purchase{Item: "Scarf", Price: 0, Currency: "VND"}, true},
		{"neither sku nor item", Purchase{Price: 10, Currency: "EUR"}, false},
		{"negative price", Purchase{SKU: "A", Price: -0.01, Currency: "EUR"}, false},
		{"NaN price", Purchase{SKU: "A", Price: math.NaN(), Currency: "EUR"}, false},
		{"infinite price", Purchase{SKU: "A", Price: math.Inf(1), Currency: "EUR"}, false},
		{"lower-case currency", Purchase{SKU: "A", Price: 1, Currency: "eur"}, false},
		{"missing currency", Purchase{SKU: "A", Price: 1}, false},
		{"long sku", Purchase{SKU: longString('x', 201), Price: 1, Currency: "EUR"}, false},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePurchase(tc.purchase)
			if tc.valid && err != nil {
				t.Errorf("validate: %v, want no error", err)
			}

			if !tc.valid && !errors.Is(err, ErrInvalid) {
				t.Errorf("validate: %v, want ErrInvalid", err)
			}
		})
	}
}

func TestValidate_Preferences(t *testing.T) {
	tooMany := make([]string, MaxListEntries+1)
	for i := range tooMany {
		tooMany[i] = "M"
	}

	if err := ValidatePreferences(Preferences{Sizes: tooMany}); !errors.Is(err, ErrInvalid) {
		t.Errorf("%d sizes: %v, want ErrInvalid", len(tooMany), err)
	}

	if err := ValidatePreferences(Preferences{Sizes: tooMany[1:]}); err != nil {
		t.Errorf("%d sizes: %v, want no error", MaxListEntries, err)
	}
}
