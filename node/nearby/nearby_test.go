package nearby

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
)

func TestParsePoint(t *testing.T) {
	cases := []struct {
		in   string
		want Point
		err  bool
	}{
		{"48.8661,2.3076", Point{48.8661, 2.3076}, false},
		{" -33.8688 , 151.2093 ", Point{-33.8688, 151.2093}, false},
		{"90,-180", Point{90, -180}, false},
		{"48.8661", Point{}, true},
		{"48.8661;2.3076", Point{}, true},
		{"north,east", Point{}, true},
		{"91,0", Point{}, true},
		{"0,180.5", Point{}, true},
		{"NaN,0", Point{}, true},
		{"", Point{}, true},
	}
	for _, tc := range cases {
		got, err := ParsePoint(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParsePoint(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParsePoint(%q) error %v does not wrap ErrInvalid", tc.in, err)
		}
	}
}

func TestDistance(t *testing.T) {
	montaigne := Point{48.8661, 2.3076}
	cases := []struct {
		name   string
		a, b   Point
		wantKm float64
		tol    float64
	}{
		{"same place", montaigne, montaigne, 0, 1e-9},
		// Avenue Montaigne to the Place Vendôme, about 1.6 km as the crow flies.
		{"across Paris", montaigne, Point{48.8675, 2.3294}, 1.60, 0.05},
		{"Paris to London", Point{48.8566, 2.3522}, Point{51.5074, -0.1278}, 343.6, 1.5},
		{"Tokyo to Ho Chi Minh City", Point{35.6762, 139.6503}, Point{10.7769, 106.7009},
			4330, 25},
		{"antipodes", Point{0, 0}, Point{0, 180}, math.Pi * earthRadiusKm, 1e-6},
	}
	for _, tc := range cases {
		got := Distance(tc.a, tc.b)
		if math.Abs(got-tc.wantKm) > tc.tol {
			t.Errorf("%s: Distance = %.3f km, want %.3f ± %.3f", tc.name, got, tc.wantKm, tc.tol)
		}
		if back := Distance(tc.b, tc.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: Distance is not symmetric: %v and %v", tc.name, got, back)
		}
	}
}

func clutch(stock map[string]int) catalog.Item {
	return catalog.Item{SKU: "LUN-CL-01", Name: "Lune pearl clutch", Category: "bags",
		Materials: []string{"pearl", "satin"}, Colors: []string{"ivory"}, Price: 2900,
		Currency: "EUR", Stock: stock}
}

// Counts per size travel under the boutique's mesh name, even when its catalogue keeps
// them under another name, and the receiver accepts them.
func TestInStock_SizesTravelUnderTheMeshName(t *testing.T) {
	pumps := clutch(map[string]int{"honore": 3})
	pumps.Sizes = []string{"37", "38"}
	pumps.SizeStock = map[string]map[string]int{"honore": {"37": 1, "38": 2},
		"lune-tokyo": {"37": 9}}

	sent := InStock("lune-honore", "lune", "honore", []catalog.Item{pumps}, nil)
	data, err := json.Marshal(sent)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeStock(data)
	if err != nil {
		t.Fatalf("DecodeStock of what InStock sent: %v", err)
	}
	it := got.Items[0]
	if it.StockInSizes("lune-honore", []string{"37"}) != 1 || len(it.SizeStock) != 1 {
		t.Errorf("received size stock %v, want lune-honore's alone with one pair in 37",
			it.SizeStock)
	}
}

func TestInStock_LeavesOutEmptyAndOtherBoutiques(t *testing.T) {
	empty := clutch(map[string]int{"honore": 0})
	empty.SKU = "LUN-CL-02"
	items := []catalog.Item{clutch(map[string]int{"honore": 2, "lune-tokyo": 5}), empty}

	s := InStock("lune-honore", "lune", "honore", items,
		map[string]int{"LUN-CL-01": 4, "LUN-CL-02": 7})
	if len(s.Items) != 1 || s.Items[0].SKU != "LUN-CL-01" {
		t.Fatalf("InStock items = %+v, want the clutch alone", s.Items)
	}
	if len(s.Items[0].Stock) != 1 || s.Items[0].Stock["lune-honore"] != 2 {
		t.Errorf("stock sent = %v, want only lune-honore's 2", s.Items[0].Stock)
	}
	if len(s.Sales) != 1 || s.Sales["LUN-CL-01"] != 4 {
		t.Errorf("sales sent = %v, want the clutch's 4 alone", s.Sales)
	}
}

func TestDecodeStock(t *testing.T) {
	encode := func(s Stock) []byte {
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	valid := Stock{Boutique: "lune-honore", Brand: "lune",
		Items: []catalog.Item{clutch(map[string]int{"lune-honore": 2, "maison-paris": 40})}}
	badCurrency := clutch(map[string]int{"lune-honore": 2})
	badCurrency.Currency = "EURO"
	tooMany := Stock{Boutique: "lune-honore", Brand: "lune"}
	for range MaxItems + 1 {
		tooMany.Items = append(tooMany.Items, clutch(map[string]int{"lune-honore": 1}))
	}

	cases := []struct {
		name string
		data []byte
		err  bool
	}{
		{"valid", encode(valid), false},
		{"not JSON", []byte(`{"boutique":`), true},
		{"no brand", encode(Stock{Boutique: "lune-honore"}), true},
		{"invalid item", encode(Stock{Boutique: "lune-honore", Brand: "lune",
			Items: []catalog.Item{badCurrency}}), true},
		{"item out of stock", encode(Stock{Boutique: "lune-honore", Brand: "lune",
			Items: []catalog.Item{clutch(map[string]int{"lune-honore": 0})}}), true},
		{"item stocked only elsewhere", encode(Stock{Boutique: "lune-honore", Brand: "lune",
			Items: []catalog.Item{clutch(map[string]int{"maison-paris": 3})}}), true},
		{"too many items", encode(tooMany), true},
		{"negative sales", encode(Stock{Boutique: "lune-honore", Brand: "lune",
			Items: valid.Items, Sales: map[string]int{"LUN-CL-01": -1}}), true},
		{"sales of an item not listed are dropped", encode(Stock{Boutique: "lune-honore",
			Brand: "lune", Items: valid.Items, Sales: map[string]int{"LUN-XX": -5}}), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DecodeStock(tc.data)
			if (err != nil) != tc.err {
				t.Fatalf("DecodeStock error = %v, want error %v", err, tc.err)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if err == nil && len(s.Items[0].Stock) != 1 {
				t.Errorf("stock kept = %v, want the sender's own only", s.Items[0].Stock)
			}
		})
	}
}

func TestCache_OffersNearestFirstAndExpire(t *testing.T) {
	c := NewCache(5 * time.Minute)
	clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return clock }

	c.Put(Stock{Boutique: "lune-vendome", Brand: "lune",
		Items: []catalog.Item{clutch(map[string]int{"lune-vendome": 1})}}, 1.6)
	clock = clock.Add(3 * time.Minute)
	c.Put(Stock{Boutique: "lune-honore", Brand: "lune",
		Items: []catalog.Item{clutch(map[string]int{"lune-honore": 2})},
		Sales: map[string]int{"LUN-CL-01": 6}}, 0.9)

	offers := c.Offers()
	if len(offers) != 2 || offers[0].Boutique != "lune-honore" || offers[1].Km != 1.6 {
		t.Fatalf("offers = %+v, want lune-honore (0.9 km) then lune-vendome (1.6 km)", offers)
	}
	if offers[0].Sales != 6 || offers[1].Sales != 0 {
		t.Errorf("offer sales = %d and %d, want 6 and 0", offers[0].Sales, offers[1].Sales)
	}

	clock = clock.Add(3 * time.Minute) // lune-vendome's list is now 6 minutes old
	sources := c.Sources()
	if len(sources) != 1 || sources[0].Boutique != "lune-honore" || sources[0].Items != 1 {
		t.Fatalf("sources = %+v, want lune-honore alone", sources)
	}

	c.Drop("lune-honore")
	if got := c.Offers(); len(got) != 0 {
		t.Errorf("offers after Drop = %+v, want none", got)
	}
}

// Past MaxItems, the list keeps the best sellers and reports how many are in stock.
func TestInStock_CutKeepsBestSellers(t *testing.T) {
	var items []catalog.Item
	sales := map[string]int{}
	for i := range MaxItems + 10 {
		it := clutch(map[string]int{"honore": 1})
		it.SKU = fmt.Sprintf("LUN-%05d", i)
		items = append(items, it)
		if i >= MaxItems {
			sales[it.SKU] = 3 // the last ten, in SKU order, sell best
		}
	}

	s := InStock("lune-honore", "lune", "honore", items, sales)
	if len(s.Items) != MaxItems || s.InStock != MaxItems+10 {
		t.Fatalf("sent %d items of %d in stock, want %d of %d", len(s.Items), s.InStock,
			MaxItems, MaxItems+10)
	}
	sent := map[string]bool{}
	for _, it := range s.Items {
		sent[it.SKU] = true
	}
	for sku := range sales {
		if !sent[sku] {
			t.Errorf("best seller %s was cut", sku)
		}
	}
}

func TestCache_SourcesShowFailures(t *testing.T) {
	c := NewCache(5 * time.Minute)
	c.Put(Stock{Boutique: "lune-honore", Brand: "lune", InStock: 1,
		Items: []catalog.Item{clutch(map[string]int{"lune-honore": 2})}}, 0.9)

	if n := c.Fail("lune-honore", "lune", 0.9, errors.New("timed out")); n != 1 {
		t.Errorf("failures in a row = %d, want 1", n)
	}
	if n := c.Fail("lune-opera", "lune", 2.4, errors.New("protocol not supported")); n != 1 {
		t.Errorf("failures in a row = %d, want 1", n)
	}
	c.Fail("lune-opera", "lune", 2.4, errors.New("protocol not supported"))

	got := c.Sources()
	if len(got) != 2 {
		t.Fatalf("sources = %+v, want lune-honore and lune-opera", got)
	}
	if got[0].Boutique != "lune-honore" || got[0].Items != 1 || got[0].Error != "timed out" {
		t.Errorf("first source = %+v, want lune-honore held, with its last error", got[0])
	}
	if got[1].Boutique != "lune-opera" || got[1].Items != 0 || !got[1].FetchedAt.IsZero() {
		t.Errorf("second source = %+v, want lune-opera never fetched", got[1])
	}
	if len(c.Offers()) != 1 {
		t.Errorf("a failed fetch dropped the list held: %+v", c.Offers())
	}

	c.Put(Stock{Boutique: "lune-honore", Brand: "lune"}, 0.9)
	if got := c.Sources(); got[0].Error != "" {
		t.Errorf("error after a successful fetch = %q, want none", got[0].Error)
	}
}
