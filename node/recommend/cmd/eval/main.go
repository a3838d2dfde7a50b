// Command eval measures recommendations on synthetic data: it hides each client's last
// purchase, recommends from the rest, and prints the hit rate at k of the rules against a
// popularity baseline. The same flags give the same figures.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/catalog/synth"
	"github.com/omotenashi/omotenashi/node/recommend"
)

func main() {
	seed := flag.Uint64("seed", 1, "seed of the synthetic catalogue and clients")
	items := flag.Int("items", 300, "number of catalogue items")
	clients := flag.Int("clients", 2000, "number of clients")
	k := flag.Int("k", 3, "a hit is the hidden purchase among the first k suggestions")
	flag.Parse()

	if *items <= 0 || *clients <= 0 || *k <= 0 {
		fmt.Fprintln(os.Stderr, "eval: -items, -clients and -k must be positive")
		os.Exit(2)
	}

	const boutique = "Ginza"
	catalogue := synth.Catalog(*seed, *items, boutique)
	people := synth.Clients(*seed, *clients, catalogue, boutique)

	fmt.Printf("seed %d, %d items, %d clients, hit rate at %d\n\n", *seed, *items,
		*clients, *k)
	fmt.Println("| history | clients | popularity | rules | rules + popularity |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	for _, withInquiries := range []bool{false, true} {
		ev := recommend.Evaluate(catalogue, people, boutique, *k, withInquiries)
		label := "purchases"
		if withInquiries {
			label = "purchases and earlier inquiries"
		}
		fmt.Printf("| %s | %d | %.3f | %.3f | %.3f |\n", label, ev.Clients,
			ev.Rate(ev.Popularity), ev.Rate(ev.Rules), ev.Rate(ev.RulesPopular))
	}
	printNearby(*seed, *items, *clients, *k)
}

// printNearby measures rule 3: clients buy from this boutique and from a sister brand's
// boutique nearby, and those whose last purchase was at the sister have it hidden.
func printNearby(seed uint64, items, clients, k int) {
	const boutique, sisterBoutique = "Ginza", "Ginza Lune"
	own := synth.Catalog(seed, items, boutique)
	sister := synth.SisterCatalog(seed+1, items, sisterBoutique, "Lune")
	people := synth.Clients(seed, clients, append(append([]catalog.Item{}, own...),
		sister...), boutique)

	ev := recommend.EvaluateNearby(own, sister, people, boutique, sisterBoutique, k)
	fmt.Printf("\nrule 3, sister boutique nearby with %d items of its own, hit rate at %d\n\n",
		items, k)
	fmt.Println("| last purchase | clients | sister's best sellers | rule 3 | rule 3 + sister's sales |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	fmt.Printf("| at the sister boutique | %d | %.3f | %.3f | %.3f |\n", ev.Clients,
		ev.Rate(ev.Popularity), ev.Rate(ev.Rules), ev.Rate(ev.RulesPopular))
}
