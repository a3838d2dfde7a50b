package recommend

import (
	"fmt"
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog/synth"
	"github.com/omotenashi/omotenashi/node/profile"
)

// BenchmarkRecommend ranks a catalogue of 20,000 items, the most one import takes, for a
// client with a few purchases and for one with a thousand. It links reasons to her latest
// maxLinked purchases and, side by side in the same run, to all of them.
func BenchmarkRecommend(b *testing.B) {
	items := synth.Catalog(1, 20000, here)
	for _, n := range []int{6, 1000} {
		c := &profile.Customer{ID: "c1", Name: "Aiko",
			Preferences: profile.Preferences{Sizes: []string{"38", "M"}}}
		for i := range n {
			c.Purchases = append(c.Purchases, bought(items[(i*7919)%len(items)].SKU))
		}
		for _, linked := range []int{maxLinked, n} {
			name := fmt.Sprintf("purchases=%d/linked=%d", n, linked)
			b.Run(name, func(b *testing.B) {
				saved := maxLinked
				maxLinked = linked
				defer func() { maxLinked = saved }()
				for b.Loop() {
					Recommend(c, items, Options{Boutique: here})
				}
			})
		}
	}
}
