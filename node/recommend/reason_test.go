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
			"She asked about the Nude satin slippers on 3 May 2026; it is in stock here now."},
		{"wished", profile.Inquiry{At: may3, SKU: "SHO-1", Wish: true},
			"She put the Nude satin slippers on her wishlist on 3 May 2026; it is in stock " +
				"here now."},
	}
	for _, tc := range cases {
		if got := inquiryReason(slippers, tc.q); got != tc.want {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.want)
		}
	}
}
