package testnet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// importCatalog posts the step's CSV to the node's catalogue and fails unless every row
// is applied.
func (r *runner) importCatalog(st Step) error {
	p, err := r.node(st.Node)
	if err != nil {
		return err
	}
	status, data, err := p.call("POST", "/v1/catalog", "text/csv", []byte(st.CSV),
		20*time.Second)
	if err != nil {
		return err
	}
	var res struct {
		Applied  int `json:"applied"`
		Rejected []struct {
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"rejected"`
	}
	if status != http.StatusOK || json.Unmarshal(data, &res) != nil {
		return fmt.Errorf("catalogue import at %s: status %d: %s", p.spec.Name, status, data)
	}
	if len(res.Rejected) > 0 {
		return fmt.Errorf("catalogue import at %s: line %d rejected: %s", p.spec.Name,
			res.Rejected[0].Line, res.Rejected[0].Reason)
	}
	r.logf("catalogue at %s: %d items", p.spec.Name, res.Applied)
	return nil
}

// suggestion is one item of GET /v1/customers/{id}/recommendations.
type suggestion struct {
	SKU      string `json:"sku"`
	Rule     string `json:"rule"`
	Boutique string `json:"boutique"`
	Reason   string `json:"reason"`
}

// suggestions returns what the node suggests to the client now.
func (p *nodeProcess) suggestions(id string) ([]suggestion, error) {
	status, data, err := p.call("GET", "/v1/customers/"+id+"/recommendations", "", nil,
		5*time.Second)
	if err != nil {
		return nil, err
	}
	var out struct {
		Items []suggestion `json:"items"`
	}
	if status != http.StatusOK || json.Unmarshal(data, &out) != nil {
		return nil, fmt.Errorf("recommendations at %s: status %d: %s", p.spec.Name, status,
			data)
	}
	return out.Items, nil
}

// findSuggestion returns the suggestion of sku by rule (any rule when rule is empty).
func findSuggestion(list []suggestion, sku, rule string) (suggestion, bool) {
	for _, s := range list {
		if s.SKU == sku && (rule == "" || s.Rule == rule) {
			return s, true
		}
	}
	return suggestion{}, false
}

// expectSuggested waits until the node suggests the step's SKU to the client, by the
// step's rule when it names one.
func (r *runner) expectSuggested(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(durationOr(st.Within, 15*time.Second))
	var last []suggestion
	for {
		last, err = p.suggestions(c.id)
		if err == nil {
			if s, ok := findSuggestion(last, st.SKU, st.Rule); ok {
				r.logf("%s suggested to %s at %s: %s", st.SKU, c.key, p.spec.Name, s.Reason)
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not suggested to %s at %s (last list %+v, error %v)",
				st.SKU, c.key, p.spec.Name, last, err)
		}
		r.sleep(500 * time.Millisecond)
	}
}

// expectNotSuggested checks for the step's duration that the node never suggests the
// step's SKU to the client.
func (r *runner) expectNotSuggested(st Step) error {
	c, p, err := r.clientAt(st)
	if err != nil {
		return err
	}
	until := time.Now().Add(durationOr(st.For, 5*time.Second))
	for time.Now().Before(until) {
		list, err := p.suggestions(c.id)
		if err != nil {
			return err
		}
		if s, ok := findSuggestion(list, st.SKU, st.Rule); ok {
			return fmt.Errorf("%s suggested to %s at %s: %s", st.SKU, c.key, p.spec.Name,
				s.Reason)
		}
		r.sleep(500 * time.Millisecond)
	}
	return nil
}
