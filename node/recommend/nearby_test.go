package recommend

import (
	"strings"
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/node/profile"
)

// offer returns an item of the sister brand Lune in stock at boutique, km away.
func offer(sku, name, boutique string, km float64, change func(*catalog.Item)) nearby.Offer {
	it := catalog.Item{SKU: sku, Name: name, Category: "bags", Materials: []string{"pearl"},
		Colors: []string{"black"}, Collection: "Nuit", Price: 2900, Currency: "EUR",
		Stock: map[string]int{boutique: 1}}
	if change != nil {
		change(&it)
	}
	return nearby.Offer{Item: it, Boutique: boutique, Brand: "Lune", Km: km}
}

func TestRecommend_Nearby(t *testing.T) {
	earrings := item("JEW-1", "Riviera pearl drop earrings", func(it *catalog.Item) {
		it.Category, it.Materials = "jewellery", []string{"pearl", "gold"}
	})
	pearlBag := item("BAG-1", "Pearl-embroidered bag", func(it *catalog.Item) {
		it.Materials = []string{"silk", "pearl"}
	})
	catalogue := []catalog.Item{earrings, pearlBag}

	clutch := offer("LUN-1", "Lune pearl clutch", "lune-honore", 0.9, nil)
	clutchFar := offer("LUN-1", "Lune pearl clutch", "lune-opera", 2.4, nil)
	pumps := offer("LUN-2", "Lune pearl pumps", "lune-honore", 0.9, func(it *catalog.Item) {
		it.Category, it.Sizes = "shoes", []string{"39", "40"}
	})
	wool := offer("LUN-3", "Lune wool cape", "lune-honore", 0.9, func(it *catalog.Item) {
		it.Materials, it.Colors = []string{"wool"}, []string{"camel"}
	})
	mink := offer("LUN-4", "Lune pearl mink stole", "lune-honore", 0.9, func(it *catalog.Item) {
		it.Materials = []string{"pearl", "mink"}
	})
	soldOut := offer("LUN-5", "Lune pearl choker", "lune-honore", 0.9, func(it *catalog.Item) {
		it.Stock = map[string]int{"lune-honore": 0}
	})
	offers := []nearby.Offer{clutch, pumps, wool, mink, soldOut, clutchFar}

	client := func(scope profile.Scope, change func(*profile.Customer)) *profile.Customer {
		c := &profile.Customer{ID: "c1", Name: "Gabrielle",
			Consent:     profile.Consent{Scope: scope},
			Purchases:   []profile.Purchase{bought("JEW-1")},
			Preferences: profile.Preferences{Sizes: []string{"37"}, Dislikes: []string{"mink"}},
		}
		if change != nil {
			change(c)
		}
		return c
	}

	cases := []struct {
		name    string
		client  *profile.Customer
		opts    Options
		want    []string // SKUs in order
		nearest string   // boutique of the LUN-1 suggestion, when suggested
	}{
		{"group client gets the nearest sister offer last",
			client(profile.ScopeGroup, nil), Options{Boutique: here, Nearby: offers},
			[]string{"BAG-1", "LUN-1"}, "lune-honore"},
		{"brand client gets no sister offer",
			client(profile.ScopeBrand, nil), Options{Boutique: here, Nearby: offers},
			[]string{"BAG-1"}, ""},
		{"store client gets no sister offer",
			client(profile.ScopeStore, nil), Options{Boutique: here, Nearby: offers},
			[]string{"BAG-1"}, ""},
		{"a kept place survives a full list of rule 2",
			client(profile.ScopeGroup, nil), Options{Boutique: here, Nearby: offers, Max: 1},
			[]string{"LUN-1"}, "lune-honore"},
		{"rule 3 fills places rule 2 leaves",
			client(profile.ScopeGroup, func(c *profile.Customer) {
				c.Preferences.Sizes = []string{"39"}
			}), Options{Boutique: here, Nearby: offers},
			[]string{"BAG-1", "LUN-1", "LUN-2"}, "lune-honore"},
		{"an inquiry at the sister house comes first within rule 3",
			client(profile.ScopeGroup, func(c *profile.Customer) {
				c.Inquiries = []profile.Inquiry{asked("LUN-3", may3)}
			}), Options{Boutique: here, Nearby: offers, NearbyMax: 2},
			[]string{"BAG-1", "LUN-3", "LUN-1"}, "lune-honore"},
		{"what she owns is not offered again",
			client(profile.ScopeGroup, func(c *profile.Customer) {
				c.Purchases = append(c.Purchases, bought("LUN-1"))
			}), Options{Boutique: here, Nearby: offers},
			[]string{"BAG-1"}, ""},
		{"a farther boutique offers what the nearer has sold out",
			client(profile.ScopeGroup, nil),
			Options{Boutique: here, Nearby: []nearby.Offer{offer("LUN-1", "Lune pearl clutch", "lune-honore",
				0.9, func(it *catalog.Item) { it.Stock = nil }), clutchFar}},
			[]string{"BAG-1", "LUN-1"}, "lune-opera"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Recommend(tc.client, catalogue, tc.opts)
			var skus []string
			for _, s := range got {
				skus = append(skus, s.SKU)
				if s.Rule == RuleNearby && s.SKU == "LUN-1" && s.Boutique != tc.nearest {
					t.Errorf("LUN-1 suggested at %s, want %s", s.Boutique, tc.nearest)
				}
			}
			if strings.Join(skus, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("suggestions = %v, want %v", skus, tc.want)
			}
		})
	}
}

// Between two sister items that go equally well with her purchases, the one the sister
// boutique sells more comes first.
func TestRecommend_NearbySales(t *testing.T) {
	c := &profile.Customer{ID: "c1", Name: "Gabrielle",
		Consent:   profile.Consent{Scope: profile.ScopeGroup},
		Purchases: []profile.Purchase{bought("JEW-1")}}
	earrings := item("JEW-1", "Riviera pearl drop earrings", func(it *catalog.Item) {
		it.Materials = []string{"pearl"}
	})
	quiet := offer("LUN-1", "Lune pearl clutch", "lune-honore", 0.9, nil)
	quiet.Sales = 1
	popular := offer("LUN-2", "Lune pearl minaudière", "lune-honore", 0.9, nil)
	popular.Sales = 40

	got := Recommend(c, []catalog.Item{earrings}, Options{Boutique: here, NearbyMax: 2,
		Nearby: []nearby.Offer{quiet, popular}})
	if len(got) != 2 || got[0].SKU != "LUN-2" || got[1].SKU != "LUN-1" {
		t.Fatalf("suggestions = %+v, want LUN-2 (40 sold) before LUN-1 (1 sold)", got)
	}
}

// A sister boutique's item that this boutique also has in stock takes no place from
// rule 2: a group client gets as many suggestions here as a brand client.
func TestRecommend_NearbyLeavesItemsHereToRule2(t *testing.T) {
	catalogue := []catalog.Item{item("JEW-1", "Riviera pearl drop earrings", nil)}
	for _, sku := range []string{"BAG-1", "BAG-2", "BAG-3", "BAG-4", "BAG-5"} {
		catalogue = append(catalogue, item(sku, "Riviera bag "+sku, nil))
	}
	same := nearby.Offer{Item: item("BAG-5", "Riviera bag BAG-5", func(it *catalog.Item) {
		it.Stock = map[string]int{"lune-honore": 3}
	}), Boutique: "lune-honore", Brand: "Lune", Km: 0.9}
	for _, scope := range []profile.Scope{profile.ScopeBrand, profile.ScopeGroup} {
		c := &profile.Customer{ID: "c1", Name: "Gabrielle",
			Consent:   profile.Consent{Scope: scope},
			Purchases: []profile.Purchase{bought("JEW-1")}}
		got := Recommend(c, catalogue, Options{Boutique: here,
			Nearby: []nearby.Offer{same}})
		if len(got) != 5 {
			t.Errorf("%s client: %d suggestions %+v, want 5 from here", scope, len(got), got)
		}
		for _, s := range got {
			if s.Rule == RuleNearby {
				t.Errorf("%s client: %s suggested at the sister house, in stock here", scope,
					s.SKU)
			}
		}
	}
}

func TestRecommend_NearbyReason(t *testing.T) {
	c := &profile.Customer{ID: "c1", Name: "Gabrielle",
		Consent:   profile.Consent{Scope: profile.ScopeGroup},
		Purchases: []profile.Purchase{bought("JEW-1")}}
	earrings := item("JEW-1", "Riviera pearl drop earrings", func(it *catalog.Item) {
		it.Materials = []string{"pearl"}
	})
	got := Recommend(c, []catalog.Item{earrings}, Options{Boutique: here,
		Nearby: []nearby.Offer{offer("LUN-1", "Lune pearl clutch", "lune-honore", 0.87, nil)}})

	want := "She bought the Riviera pearl drop earrings; suggest the Lune pearl clutch, also " +
		"in pearl, in stock at our sister house Lune (lune-honore, 850 m away)."
	if len(got) != 1 || got[0].Reason != want || got[0].Rule != RuleNearby {
		t.Fatalf("suggestions = %+v, want one of rule nearby reading %q", got, want)
	}
}

func TestDistanceText(t *testing.T) {
	cases := []struct {
		km   float64
		want string
	}{
		{0.01, "50 m"}, {0.349, "350 m"}, {0.87, "850 m"}, {0.999, "1000 m"},
		{1.0, "1.0 km"}, {2.44, "2.4 km"}, {12.4, "12 km"},
	}
	for _, tc := range cases {
		if got := distanceText(tc.km); got != tc.want {
			t.Errorf("distanceText(%v) = %q, want %q", tc.km, got, tc.want)
		}
	}
}
