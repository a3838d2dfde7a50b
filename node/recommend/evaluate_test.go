package recommend

import (
	"testing"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/catalog/synth"
)

// TestEvaluate_BeatsPopularity runs the held-out evaluation on the synthetic data of
// docs/clienteling.md: the rules with popularity must beat the popularity baseline.
func TestEvaluate_BeatsPopularity(t *testing.T) {
	items := synth.Catalog(1, 300, here)
	clients := synth.Clients(1, 2000, items, here)

	ev := Evaluate(items, clients, here, 3, false)
	t.Logf("hit rate at 3 over %d clients: popularity %.3f, rules %.3f, rules+popularity %.3f",
		ev.Clients, ev.Rate(ev.Popularity), ev.Rate(ev.Rules), ev.Rate(ev.RulesPopular))

	if ev.Clients != 2000 {
		t.Errorf("evaluated %d clients, want 2000 (each has two purchases or more)", ev.Clients)
	}
	if ev.RulesPopular <= ev.Popularity {
		t.Errorf("rules with popularity hit %d, popularity baseline %d: want more",
			ev.RulesPopular, ev.Popularity)
	}
	if ev.Popularity == 0 || ev.Rules == 0 {
		t.Errorf("a strategy never hit: %+v", ev)
	}
}

func TestEvaluate_Deterministic(t *testing.T) {
	items := synth.Catalog(7, 120, here)
	clients := synth.Clients(7, 300, items, here)

	first := Evaluate(items, clients, here, 3, true)
	second := Evaluate(synth.Catalog(7, 120, here), synth.Clients(7, 300, items, here), here,
		3, true)
	if first != second {
		t.Errorf("two runs differ: %+v and %+v", first, second)
	}
}

// TestEvaluateNearby_SalesHelpRule3 runs the evaluation of rule 3 of docs/clienteling.md:
// the sister's sales must lift rule 3 above taste alone, and only clients whose hidden
// purchase was at the sister boutique count.
func TestEvaluateNearby_SalesHelpRule3(t *testing.T) {
	const sisterBoutique = "Ginza Lune"
	own := synth.Catalog(1, 300, here)
	sister := synth.SisterCatalog(2, 300, sisterBoutique, "Lune")
	clients := synth.Clients(1, 2000, append(append([]catalog.Item{}, own...), sister...),
		here)

	ev := EvaluateNearby(own, sister, clients, here, sisterBoutique, 3)
	t.Logf("hit rate at 3 over %d clients: sister's best sellers %.3f, rule 3 %.3f, "+
		"rule 3 with sales %.3f", ev.Clients, ev.Rate(ev.Popularity), ev.Rate(ev.Rules),
		ev.Rate(ev.RulesPopular))

	if ev.Clients == 0 || ev.Clients == 2000 {
		t.Errorf("evaluated %d clients, want those whose last purchase was at the sister",
			ev.Clients)
	}
	if ev.RulesPopular <= ev.Rules {
		t.Errorf("rule 3 with sales hit %d, taste alone %d: want more", ev.RulesPopular,
			ev.Rules)
	}
	if ev.Popularity == 0 || ev.Rules == 0 {
		t.Errorf("a strategy never hit: %+v", ev)
	}
}
