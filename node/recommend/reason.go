package recommend

import (
	"fmt"
	"strings"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// inquiryReason is the reason of rule 1, such as "She asked about the Nude satin slippers
// on 3 May 2026; it is in stock here now."
func inquiryReason(it catalog.Item, q profile.Inquiry) string {
	return askedPhrase(it, q) + "; it is in stock here now."
}

// askedPhrase says when she asked about an item or put it on her wishlist: "She asked
// about the Nude satin slippers on 3 May 2026".
func askedPhrase(it catalog.Item, q profile.Inquiry) string {
	day := q.At.Format("2 January 2006")
	if q.Wish {
		return fmt.Sprintf("She put the %s on her wishlist on %s", it.Name, day)
	}
	return fmt.Sprintf("She asked about the %s on %s", it.Name, day)
}

// goesWithReason is the reason of rule 2, built from the strongest link: "She bought the
// Riviera pearl drop earrings; the Riviera silk evening bag is also pearl, from the same
// Riviera collection."
func goesWithReason(s scored) string {
	l, name := s.link, s.item.Name
	switch {
	case l.collection != "" && l.material != "":
		return fmt.Sprintf("She bought the %s; the %s is also %s, from the same %s "+
			"collection.", l.bought, name, strings.ToLower(l.material), l.collection)
	case l.collection != "":
		return fmt.Sprintf("She bought the %s; the %s is from the same %s collection.",
			l.bought, name, l.collection)
	case l.material != "":
		return fmt.Sprintf("She bought the %s; the %s is %s too.", l.bought, name,
			strings.ToLower(l.material))
	case l.color != "":
		return fmt.Sprintf("She bought the %s; the %s is also in %s.", l.bought, name,
			strings.ToLower(l.color))
	}
	return fmt.Sprintf("The %s is in a material or colour she prefers.", name)
}
