package profile

import (
	"fmt"
	"time"
)

// Scope is the consent scope of a profile, which decides where the profile may be
// replicated.
type Scope string

// Consent scopes, from the narrowest to the widest.
const (
	// ScopeStore keeps the profile on this boutique's node.
	ScopeStore Scope = "store"
	// ScopeBrand shares the profile with every boutique of the brand.
	ScopeBrand Scope = "brand"
	// ScopeGroup shares the profile with every boutique of every brand in the group.
	ScopeGroup Scope = "group"
)

// ParseScope converts s to a Scope, or returns an error wrapping ErrInvalid when s is
// not one of "store", "brand" or "group".
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopeStore, ScopeBrand, ScopeGroup:
		return Scope(s), nil
	}

	return "", fmt.Errorf("%w: scope %q is not one of store, brand, group", ErrInvalid, s)
}

// Descriptor origins.
const (
	// OriginEnrollment marks a descriptor taken when the client was enrolled.
	OriginEnrollment = "enrollment"
	// OriginConfirmation marks a descriptor added when staff confirmed a recognition.
	OriginConfirmation = "confirmation"
)

// Consent is the client's consent to biometric recognition. A zero Scope or GivenAt
// means that no consent was given.
type Consent struct {
	Scope       Scope     `json:"scope,omitempty"`
	GivenAt     time.Time `json:"given_at,omitzero"`
	TextVersion string    `json:"text_version,omitempty"`
	TakenBy     string    `json:"taken_by,omitempty"`
}

// Given reports whether the consent has both a scope and a time.
func (c Consent) Given() bool {
	return c.Scope != "" && !c.GivenAt.IsZero()
}

// Descriptor is one face descriptor of a client, computed by one engine version.
// Descriptors of different engines are never compared with each other.
type Descriptor struct {
	Engine        string    `json:"engine"`
	EngineVersion string    `json:"engine_version"`
	Vector        []float32 `json:"vector"`
	AddedAt       time.Time `json:"added_at"`
	Origin        string    `json:"origin"`
}

// Visit is one arrival of the client in a boutique and the recognition decision taken.
type Visit struct {
	At        time.Time `json:"at"`
	Store     string    `json:"store"`
	Decision  string    `json:"decision"`
	Assistant string    `json:"assistant,omitempty"`
}

// Purchase is one item the client bought. Price is in units of Currency, an ISO 4217
// code.
type Purchase struct {
	At        time.Time `json:"at"`
	SKU       string    `json:"sku,omitempty"`
	Item      string    `json:"item,omitempty"`
	Price     float64   `json:"price"`
	Currency  string    `json:"currency"`
	Store     string    `json:"store,omitempty"`
	Assistant string    `json:"assistant,omitempty"`
	// Size is the size she took, for an item that comes in sizes.
	Size string `json:"size,omitempty"`
}

// Inquiry is one item the client asked about without buying it. Wish marks an item she
// put on her wishlist.
type Inquiry struct {
	At        time.Time `json:"at"`
	SKU       string    `json:"sku,omitempty"`
	Item      string    `json:"item,omitempty"`
	Note      string    `json:"note,omitempty"`
	Store     string    `json:"store,omitempty"`
	Assistant string    `json:"assistant,omitempty"`
	Wish      bool      `json:"wish,omitempty"`
}

// Preferences are the client's sizes, colors and materials, and what she dislikes.
type Preferences struct {
	Sizes     []string `json:"sizes,omitempty"`
	Colors    []string `json:"colors,omitempty"`
	Materials []string `json:"materials,omitempty"`
	Dislikes  []string `json:"dislikes,omitempty"`
}

// Note is a free-text remark by a member of staff.
type Note struct {
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// ImportantDate is a date to remember for a client. Date is "MM-DD" for a yearly date
// such as a birthday, or "YYYY-MM-DD" for one day.
type ImportantDate struct {
	Label string `json:"label"`
	Date  string `json:"date"`
}

// Customer is a client profile. Address is how staff address her, such as "Ms Tanaka".
type Customer struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Address           string `json:"address,omitempty"`
	Language          string `json:"language,omitempty"`
	FavoriteAssistant string `json:"favorite_assistant,omitempty"`
	// Origin is the boutique node where she was enrolled, which keeps her when her consent
	// narrows to store.
	Origin      string       `json:"origin,omitempty"`
	Consent     Consent      `json:"consent"`
	Descriptors []Descriptor `json:"descriptors,omitempty"`
	Visits      []Visit      `json:"visits,omitempty"`
	Purchases   []Purchase   `json:"purchases,omitempty"`
	Inquiries   []Inquiry    `json:"inquiries,omitempty"`
	Preferences Preferences  `json:"preferences"`
	Notes       []Note       `json:"notes,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	// ImportantDates are dates to remember for her, such as a birthday.
	ImportantDates []ImportantDate `json:"important_dates,omitempty"`
	// RequestKeys are the hashed Idempotency-Key headers of her latest recorded writes,
	// newest last, at most MaxRequestKeys, so that a request sent twice is recorded once.
	RequestKeys []string `json:"request_keys,omitempty"`
}

// Summary is the part of a customer that a search result lists.
type Summary struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Scope   Scope  `json:"scope,omitempty"`
}

// Tombstone records that a customer was forgotten. It holds no personal data.
type Tombstone struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
	By string    `json:"by"`
}
