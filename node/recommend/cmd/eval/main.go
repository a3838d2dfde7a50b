// Command eval measures recommendations on synthetic data: it hides each client's last
// purchase, recommends from the rest, and prints the hit rate at k of the rules against a
// popularity baseline. The same flags give the same figures.
package main

import (
	"flag"
	"fmt"
	"os"

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
}
