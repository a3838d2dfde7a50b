package recommend

import (
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

func TestInquiryReason(t *testing.T) {
	slippers := catalog.Item{SKU: "SHO-1", Name: "Nude satin slippers"}
	cases := []struct {
		name string
		q    profile.Inquiry
		want string
	}{
		{"asked", profile.Inquiry{At: may3, SKU: "SHO-1"},
			"She asked about the Nude satin slippers on 3 May 2026; in stock here now."},
		{"wished", profile.Inquiry{At: may3, SKU: "SHO-1", Wish: true},
			"She put the Nude satin slippers on her wishlist on 3 May 2026; in stock here now."},
	}
	for _, tc := range cases {
		if got := inquiryReason(slippers, tc.q); got != tc.want {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestGoesWithReason(t *testing.T) {
	bag := catalog.Item{SKU: "BAG-1", Name: "Riviera satin pumps"}
	bought := "Riviera pearl drop earrings"
	cases := []struct {
		name string
		link link
		want string
	}{
		{"collection and material", link{bought: bought, collection: "Riviera", material: "Pearl"},
			"She bought the Riviera pearl drop earrings; show her the Riviera satin pumps, " +
				"also in pearl and from the same Riviera collection."},
		{"collection", link{bought: bought, collection: "Riviera"},
			"She bought the Riviera pearl drop earrings; show her the Riviera satin pumps, " +
				"from the same Riviera collection."},
		{"material", link{bought: bought, material: "Pearl"},
			"She bought the Riviera pearl drop earrings; show her the Riviera satin pumps, " +
				"also in pearl."},
		{"colour", link{bought: bought, color: "Ivory"},
			"She bought the Riviera pearl drop earrings; show her the Riviera satin pumps, " +
				"also in ivory."},
		{"preferences only", link{bought: bought},
			"Show her the Riviera satin pumps, in a material or colour she prefers."},
	}
	for _, tc := range cases {
		if got := goesWithReason(scored{item: bag, link: tc.link}); got != tc.want {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.want)
		}
	}
}
