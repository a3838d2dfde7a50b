package recommend

import (
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// pumps returns black leather pumps in sizes 36 to 39 with total pieces here and, unless
// sizes is nil, the count per size here.
func pumps(total int, sizes map[string]int) catalog.Item {
	it := catalog.Item{SKU: "SHO-20", Name: "Black leather pumps", Category: "shoes",
		Materials: []string{"leather"}, Colors: []string{"black"}, Collection: "Atelier",
		Sizes: []string{"36", "37", "38", "39"}, Price: 950, Currency: "EUR",
		Stock: map[string]int{here: total}}
	if sizes != nil {
		it.SizeStock = map[string]map[string]int{here: sizes}
	}
	return it
}

func TestFilter_Eligible(t *testing.T) {
	coat := catalog.Item{SKU: "RTW-1", Name: "Camel coat", Category: "ready-to-wear",
		Materials: []string{"cashmere"}, Sizes: []string{"S", "M", "L"},
		Stock:     map[string]int{here: 2},
		SizeStock: map[string]map[string]int{here: {"S": 0, "M": 2, "L": 0}}}
	bag := catalog.Item{SKU: "BAG-1", Name: "Evening bag", Category: "bags",
		Materials: []string{"silk"}, Stock: map[string]int{here: 1}}
	emptyBag := bag
	emptyBag.Stock = map[string]int{here: 0}
	parisOnly := pumps(1, map[string]int{"39": 1})
	parisOnly.Stock["Paris"] = 2
	parisOnly.SizeStock["Paris"] = map[string]int{"37": 2}

	tests := []struct {
		name      string
		item      catalog.Item
		sizes     []string
		purchases []profile.Purchase
		dislikes  []string
		want      bool
	}{
		{"all pairs in 39, she wears 37", pumps(3, map[string]int{"39": 3}),
			[]string{"37", "M"}, nil, nil, false},
		{"all pairs in 39, she wears 39", pumps(3, map[string]int{"39": 3}),
			[]string{"39", "M"}, nil, nil, true},
		{"her size listed with none", pumps(3, map[string]int{"37": 0, "39": 3}),
			[]string{"37"}, nil, nil, false},
		{"one pair in her size", pumps(4, map[string]int{"37": 1, "39": 3}),
			[]string{"37"}, nil, nil, true},
		{"per-size unknown, total decides", pumps(3, nil), []string{"37"}, nil, nil, true},
		{"per-size unknown, none here", pumps(0, nil), []string{"37"}, nil, nil, false},
		{"per-size unknown, not her size", pumps(3, nil), []string{"41"}, nil, nil, false},
		{"her sizes not recorded", pumps(3, map[string]int{"37": 3}), nil, nil, nil, false},
		{"her sizes not recorded, per-size unknown", pumps(3, nil), nil, nil, nil, false},
		{"her size in another case", coat, []string{"38", "m"}, nil, nil, true},
		{"coat only in sizes she does not wear", coat, []string{"S", "L"}, nil, nil, false},
		{"her size only in Paris", parisOnly, []string{"37"}, nil, nil, false},
		{"item without sizes", bag, []string{"37"}, nil, nil, true},
		{"item without sizes, her sizes not recorded", bag, nil, nil, nil, true},
		{"item without sizes, none here", emptyBag, nil, nil, nil, false},
		{"in her size but bought", pumps(1, map[string]int{"37": 1}), []string{"37"},
			[]profile.Purchase{bought("SHO-20")}, nil, false},
		{"in her size but disliked", pumps(1, map[string]int{"37": 1}), []string{"37"},
			nil, []string{"Leather"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &profile.Customer{ID: "c1", Purchases: tt.purchases,
				Preferences: profile.Preferences{Sizes: tt.sizes, Dislikes: tt.dislikes}}
			got := newFilter(c, here).eligible(tt.item)
			if got != tt.want {
				t.Errorf("eligible = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilter_InquiryOnlyInHerSize(t *testing.T) {
	c := &profile.Customer{ID: "c1",
		Preferences: profile.Preferences{Sizes: []string{"37"}},
		Inquiries:   []profile.Inquiry{asked("SHO-20", may3)}}

	tests := []struct {
		name string
		item catalog.Item
		want bool
	}{
		{"all pairs in 39", pumps(3, map[string]int{"36": 0, "37": 0, "39": 3}), false},
		{"one pair in 37", pumps(4, map[string]int{"37": 1, "39": 3}), true},
		{"per-size unknown", pumps(3, nil), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Recommend(c, []catalog.Item{tt.item}, Options{Boutique: here})
			suggested := len(got) == 1 && got[0].SKU == "SHO-20" && got[0].Rule == RuleInquiry
			if suggested != tt.want {
				t.Errorf("suggestions = %+v, want the pumps suggested: %v", got, tt.want)
			}
			if !tt.want && len(got) != 0 {
				t.Errorf("suggestions = %+v, want none", got)
			}
		})
	}
}
