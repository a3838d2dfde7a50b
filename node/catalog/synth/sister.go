package synth

import "github.com/omotenashi/omotenashi/node/catalog"

// SisterCatalog returns the catalogue of a sister brand's boutique: a Catalog of its own
// seed whose SKUs, names and collections carry the brand, so that no SKU or collection is
// shared with the first brand. Materials and colours are the same words, as they would be.
func SisterCatalog(seed uint64, n int, boutique, brand string) []catalog.Item {
	items := Catalog(seed, n, boutique)
	for i := range items {
		it := &items[i]
		it.SKU = brand + "-" + it.SKU
		it.Name = brand + " " + it.Name
		it.Collection = brand + " " + it.Collection
	}
	return items
}
