package recommend

import (
	"fmt"
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog/synth"
	"github.com/omotenashi/omotenashi/node/profile"
)

// BenchmarkRecommend ranks a catalogue of 20,000 items, the most one import takes, for a
// client with a few purchases and for one with a thousand.
func BenchmarkRecommend(b *testing.B) {
	items := synth.Catalog(1, 20000, here)
	for _, n := range []int{6, 1000} {
		c := &profile.Customer{ID: "c1", Name: "Aiko",
			Preferences: profile.Preferences{Sizes: []string{"38", "M"}}}
		for i := range n {
			c.Purchases = append(c.Purchases, bought(items[(i*7919)%len(items)].SKU))
		}
		b.Run(fmt.Sprintf("purchases=%d", n), func(b *testing.B) {
			for b.Loop() {
				Recommend(c, items, Options{Boutique: here})
			}
		})
	}
}
