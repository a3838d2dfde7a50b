package recommend

import (
	"fmt"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// inquiryReason is the reason of rule 1, such as "She asked about the Nude satin slippers
// on 3 May 2026; in stock here now." Reasons avoid a verb whose number would depend on
// the item's name ("slippers is").
func inquiryReason(it catalog.Item, q profile.Inquiry) string {
	return inquiryPhrase(it, q) + "; in stock here now."
}

// inquiryPhrase writes when she asked about an item or put it on her wishlist: "She asked
// about the Nude satin slippers on 3 May 2026".
func inquiryPhrase(it catalog.Item, q profile.Inquiry) string {
	day := q.At.Format("2 January 2006")
	if q.Wish {
		return fmt.Sprintf("She put the %s on her wishlist on %s", it.Name, day)
	}
	return fmt.Sprintf("She asked about the %s on %s", it.Name, day)
}

// goesWithReason is the reason of rule 2, built from the strongest link: "She bought the
// Riviera pearl drop earrings; show her the Riviera silk evening bag, also in pearl and
// from the same Riviera collection."
func goesWithReason(s scored) string {
	if !s.link.linked() {
		return fmt.Sprintf("Show her the %s, %s.", s.item.Name, linkPhrase(s.link))
	}
	return fmt.Sprintf("She bought the %s; show her the %s, %s.", s.link.bought,
		s.item.Name, linkPhrase(s.link))
}

// linkPhrase writes what a candidate shares with what she bought: "also in pearl and from
// the same Riviera collection", or that it matches her preferences.
func linkPhrase(l link) string {
	switch {
	case l.collection != "" && l.material != "":
		return fmt.Sprintf("also in %s and from the same %s collection",
			strings.ToLower(l.material), l.collection)
	case l.collection != "":
		return fmt.Sprintf("from the same %s collection", l.collection)
	case l.material != "":
		return "also in " + strings.ToLower(l.material)
	case l.color != "":
		return "also in " + strings.ToLower(l.color)
	}
	return "in a material or colour she prefers"
}
