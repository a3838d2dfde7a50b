package node

import (
	"strings"
	"time"

	"github.com/omotenashi/omotenashi/node/catalog"
	"github.com/omotenashi/omotenashi/node/profile"
)

// maxAhead is how far in the future a recorded date may be, to allow for clocks that
// differ between a till and this node. A purchase dated later is a typing error.
const maxAhead = 24 * time.Hour

// checkNotFuture rejects a date more than maxAhead after now.
func checkNotFuture(field string, at time.Time) error {
	if at.After(time.Now().Add(maxAhead)) {
		return badRequest("%s %s is in the future", field, at.Format(time.RFC3339))
	}
	return nil
}

// purchaseRequest is the body of POST /v1/customers/{id}/purchases. Price is a pointer
// so that a price left out, or null, is distinguished from a price of zero.
type purchaseRequest struct {
	At        time.Time `json:"at"`
	SKU       string    `json:"sku"`
	Item      string    `json:"item"`
	Price     *float64  `json:"price"`
	Currency  string    `json:"currency"`
	Store     string    `json:"store"`
	Assistant string    `json:"assistant"`
	Size      string    `json:"size"`
}

// purchase turns the request into a purchase, completing it from the catalogue item it,
// when known: the item's name, its price when none is given, and its currency when none
// is given. Without a catalogue item, the price and a currency are required. The price
// must suit the currency as in a catalogue import. A sale at here, this boutique, of an
// item whose stock here is counted per size must name the size.
func (req purchaseRequest) purchase(it catalog.Item, known bool,
	here string) (profile.Purchase, error) {

	p := profile.Purchase{At: req.At, SKU: req.SKU, Item: req.Item, Currency: req.Currency,
		Store: req.Store, Assistant: req.Assistant, Size: strings.TrimSpace(req.Size)}
	if known && p.Size != "" && !it.HasSize([]string{p.Size}) {
		return p, badRequest("size %q: %s comes in %s", p.Size, it.SKU,
			strings.Join(it.Sizes, ", "))
	}
	soldHere := p.Store == "" || p.Store == here
	if known && soldHere && p.Size == "" && len(it.SizeStock[here]) > 0 {
		return p, badRequest("size is missing: %s is counted per size here (%s), so say "+
			"which size she took", it.SKU, strings.Join(it.Sizes, ", "))
	}
	if known && p.Item == "" {
		p.Item = it.Name
	}

	switch {
	case req.Price != nil:
		p.Price = *req.Price
	case known:
		p.Price = it.Price
		if p.Currency != "" && p.Currency != it.Currency {
			return p, badRequest("price is missing: the catalogue price is in %s, not %s",
				it.Currency, p.Currency)
		}
	case req.SKU != "":
		return p, badRequest("price is missing, and sku %q is not in this boutique's "+
			"catalogue: give the price and the currency", req.SKU)
	default:
		return p, badRequest("price is missing")
	}

	if p.Currency == "" && known {
		p.Currency = it.Currency
	}
	if p.Currency == "" {
		return p, badRequest("currency is missing: give it with the price, such as EUR")
	}
	if err := catalog.ValidatePrice(p.Price, p.Currency); err != nil {
		return p, badRequest("%s", strings.TrimPrefix(err.Error(), catalog.ErrInvalid.Error()+": "))
	}
	return p, checkNotFuture("at", p.At)
}
