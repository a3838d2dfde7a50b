package recommend

import (
	"strings"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

const here = "Ginza"

// item returns an in-stock item of the Riviera collection unless changed.
func item(sku, name string, change func(*catalog.Item)) catalog.Item {
	it := catalog.Item{SKU: sku, Name: name, Category: "bags", Materials: []string{"silk"},
		Colors: []string{"ivory"}, Collection: "Riviera", Price: 1000, Currency: "EUR",
		Stock: map[string]int{here: 2}}
	if change != nil {
		change(&it)
	}
	return it
}

var may3 = time.Date(2026, 5, 3, 15, 0, 0, 0, time.UTC)

func bought(sku string) profile.Purchase {
	return profile.Purchase{At: may3.AddDate(0, -2, 0), SKU: sku, Price: 1, Currency: "EUR"}
}

func asked(sku string, at time.Time) profile.Inquiry {
	return profile.Inquiry{At: at, SKU: sku}
}

func TestRecommend_Rules(t *testing.T) {
	pearlEarrings := item("JEW-1", "Riviera pearl drop earrings", func(it *catalog.Item) {
		it.Category, it.Materials = "jewellery", []string{"pearl", "gold"}
	})
	slippers := item("SHO-1", "Nude satin slippers", func(it *catalog.Item) {
		it.Category, it.Collection = "shoes", "Atelier"
		it.Materials, it.Colors, it.Sizes = []string{"satin"}, []string{"nude"},
			[]string{"37", "38"}
	})
	pearlBag := item("BAG-1", "Pearl-embroidered bag", func(it *catalog.Item) {
		it.Materials = []string{"silk", "pearl"}
	})
	otherCollection := item("BAG-2", "Atelier pearl clutch", func(it *catalog.Item) {
		it.Collection, it.Materials = "Atelier", []string{"pearl"}
	})
	unrelated := item("SCA-1", "Hiver wool stole", func(it *catalog.Item) {
		it.Collection, it.Materials, it.Colors = "Hiver", []string{"wool"}, []string{"grey"}
	})
	outOfStock := item("BAG-3", "Riviera pearl minaudière", func(it *catalog.Item) {
		it.Materials, it.Stock = []string{"pearl"}, map[string]int{here: 0, "Paris": 3}
	})
	leatherBag := item("BAG-4", "Riviera leather tote", func(it *catalog.Item) {
		it.Materials = []string{"leather", "pearl"}
	})
	catalogue := []catalog.Item{pearlEarrings, slippers, pearlBag, otherCollection,
		unrelated, outOfStock, leatherBag}

	tests := []struct {
		name   string
		client profile.Customer
		want   []string
		rules  []Rule
	}{
		{
			name: "inquiry in stock comes first",
			client: profile.Customer{
				Purchases:   []profile.Purchase{bought("JEW-1")},
				Inquiries:   []profile.Inquiry{asked("SHO-1", may3)},
				Preferences: profile.Preferences{Sizes: []string{"38"}},
			},
			want:  []string{"SHO-1", "BAG-1", "BAG-4", "BAG-2"},
			rules: []Rule{RuleInquiry, RuleGoesWith, RuleGoesWith, RuleGoesWith},
		},
		{
			name: "inquiry out of her size is skipped",
			client: profile.Customer{
				Inquiries:   []profile.Inquiry{asked("SHO-1", may3)},
				Preferences: profile.Preferences{Sizes: []string{"40"}},
			},
			want: nil,
		},
		{
			name: "sized item needs her sizes recorded",
			client: profile.Customer{
				Inquiries: []profile.Inquiry{asked("SHO-1", may3)},
			},
			want: nil,
		},
		{
			name: "inquiry out of stock here is skipped",
			client: profile.Customer{
				Inquiries: []profile.Inquiry{asked("BAG-3", may3)},
			},
			want: nil,
		},
		{
			name: "never what she owns",
			client: profile.Customer{
				Purchases: []profile.Purchase{bought("JEW-1"), bought("BAG-1")},
				Inquiries: []profile.Inquiry{asked("BAG-1", may3)},
			},
			want:  []string{"BAG-4", "BAG-2"},
			rules: []Rule{RuleGoesWith, RuleGoesWith},
		},
		{
			name: "never her dislikes",
			client: profile.Customer{
				Purchases:   []profile.Purchase{bought("JEW-1")},
				Preferences: profile.Preferences{Dislikes: []string{"Leather", "clutch"}},
			},
			want:  []string{"BAG-1"},
			rules: []Rule{RuleGoesWith},
		},
		{
			name: "newest inquiry first, each SKU once",
			client: profile.Customer{
				Inquiries: []profile.Inquiry{asked("BAG-1", may3.AddDate(0, -1, 0)),
					asked("SCA-1", may3), asked("BAG-1", may3.AddDate(0, 0, -1))},
			},
			want:  []string{"BAG-1", "SCA-1"},
			rules: []Rule{RuleInquiry, RuleInquiry},
		},
		{
			name:   "no history, nothing to say",
			client: profile.Customer{},
			want:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Recommend(&tt.client, catalogue, Options{Boutique: here})

			var skus []string
			for _, s := range got {
				skus = append(skus, s.SKU)
			}
			if strings.Join(skus, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("suggestions = %v, want %v", skus, tt.want)
			}
			for i, s := range got {
				if s.Rule != tt.rules[i] {
					t.Errorf("suggestion %s by rule %s, want %s", s.SKU, s.Rule, tt.rules[i])
				}
				if s.Reason == "" {
					t.Errorf("suggestion %s has no reason", s.SKU)
				}
			}
		})
	}
}

func TestRecommend_Reasons(t *testing.T) {
	earrings := item("JEW-1", "Riviera pearl drop earrings", func(it *catalog.Item) {
		it.Materials = []string{"pearl"}
	})
	bag := item("BAG-1", "pearl-embroidered bag", func(it *catalog.Item) {
		it.Materials = []string{"silk", "Pearl"}
	})
	slippers := item("SHO-1", "nude slippers", func(it *catalog.Item) {
		it.Collection, it.Materials = "Atelier", []string{"satin"}
	})
	c := &profile.Customer{
		Purchases: []profile.Purchase{bought("JEW-1")},
		Inquiries: []profile.Inquiry{asked("SHO-1", may3)},
	}

	got := Recommend(c, []catalog.Item{earrings, bag, slippers}, Options{Boutique: here})
	if len(got) != 2 {
		t.Fatalf("suggestions = %+v, want 2", got)
	}
	want := []string{
		"She asked about the nude slippers on 3 May 2026; in stock here now.",
		"She bought the Riviera pearl drop earrings; show her the pearl-embroidered bag, " +
			"also in pearl and from the same Riviera collection.",
	}
	for i := range want {
		if got[i].Reason != want[i] {
			t.Errorf("reason %d = %q, want %q", i, got[i].Reason, want[i])
		}
	}
}

func TestRecommend_Max(t *testing.T) {
	var catalogue []catalog.Item
	var inquiries []profile.Inquiry
	for _, sku := range []string{"A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "A-7"} {
		catalogue = append(catalogue, item(sku, "bag "+sku, nil))
		inquiries = append(inquiries, asked(sku, may3))
	}
	c := &profile.Customer{Inquiries: inquiries}

	if got := Recommend(c, catalogue, Options{Boutique: here}); len(got) != DefaultMax {
		t.Errorf("default: %d suggestions, want %d", len(got), DefaultMax)
	}
	if got := Recommend(c, catalogue, Options{Boutique: here, Max: 2}); len(got) != 2 {
		t.Errorf("max 2: %d suggestions, want 2", len(got))
	}
}

func TestRecommend_PopularityBreaksTies(t *testing.T) {
	earrings := item("JEW-1", "earrings", nil)
	a := item("BAG-A", "bag A", nil)
	b := item("BAG-B", "bag B", nil)
	c := &profile.Customer{Purchases: []profile.Purchase{bought("JEW-1")}}

	got := Recommend(c, []catalog.Item{earrings, a, b}, Options{Boutique: here,
		Popularity: map[string]int{"BAG-B": 5}})
	if len(got) != 2 || got[0].SKU != "BAG-B" {
		t.Errorf("suggestions = %+v, want BAG-B first", got)
	}
}
