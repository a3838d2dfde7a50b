package node

import (
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/node/recommend"
)

// Arrival is one person who walked in, as the staff page shows her: the decision, and for a
// match the client's profile summary, for an ambiguous face the candidates to choose from.
type Arrival struct {
	ID       string           `json:"id"`
	At       time.Time        `json:"at"`
	Camera   string           `json:"camera"`
	Decision string           `json:"decision"`
	Status   string           `json:"status"`
	Box      [4]int           `json:"box"`
	Customer *ArrivalCustomer `json:"customer,omitempty"`
	// Candidates are the clients an ambiguous face may be, best first.
	Candidates []Candidate `json:"candidates,omitempty"`
	// Crop is the face as the camera saw it, a JPEG data URL held in memory only.
	Crop string `json:"crop,omitempty"`
	// LatencyMS is the time from the frame that showed her best to this alert.
	LatencyMS float64 `json:"latency_ms"`
	// Quality is the trust in the face's descriptor, from 0 to 1.
	Quality float64 `json:"quality"`
	// Liveness is the ONNX engine's liveness score, shown to staff and never used to decide.
	Liveness *float64 `json:"liveness,omitempty"`

	// reading holds the face's descriptors, kept in memory for a confirmation until the
	// arrival expires, and stored only if staff confirm a consented client.
	reading *faceReading
}

// Arrival statuses.
const (
	StatusNew       = "new"
	StatusConfirmed = "confirmed"
	StatusRejected  = "rejected"
)

// Candidate is one client that a face may be, with the distance to her closest sample.
type Candidate struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Address  string  `json:"address,omitempty"`
	Distance float32 `json:"distance"`
	// FavoriteAssistant, LastVisit and LastPurchase help staff tell candidates apart
	// when the face alone did not: "usually served by Aiko, last seen in Ginza in May".
	FavoriteAssistant string            `json:"favorite_assistant,omitempty"`
	LastVisit         *profile.Visit    `json:"last_visit,omitempty"`
	LastPurchase      *profile.Purchase `json:"last_purchase,omitempty"`
}

// candidateOf returns c as a candidate at distance.
func candidateOf(c *profile.Customer, distance float32) Candidate {
	out := Candidate{ID: c.ID, Name: c.Name, Address: c.Address, Distance: distance,
		FavoriteAssistant: c.FavoriteAssistant}
	if n := len(c.Visits); n > 0 {
		v := c.Visits[n-1]
		out.LastVisit = &v
	}
	if n := len(c.Purchases); n > 0 {
		p := c.Purchases[n-1]
		out.LastPurchase = &p
	}
	return out
}

// ArrivalCustomer is the summary of a client that an assistant reads at a glance when she
// walks in.
type ArrivalCustomer struct {
	ID                string              `json:"id"`
	Name              string              `json:"name"`
	Address           string              `json:"address,omitempty"`
	Language          string              `json:"language,omitempty"`
	FavoriteAssistant string              `json:"favorite_assistant,omitempty"`
	Scope             profile.Scope       `json:"scope"`
	LastVisit         *profile.Visit      `json:"last_visit,omitempty"`
	RecentPurchases   []profile.Purchase  `json:"recent_purchases,omitempty"`
	Inquiries         []profile.Inquiry   `json:"inquiries,omitempty"`
	Preferences       profile.Preferences `json:"preferences"`
	// ConsentSince is when she gave the consent of Scope.
	ConsentSince   time.Time               `json:"consent_since,omitzero"`
	ImportantDates []profile.ImportantDate `json:"important_dates,omitempty"`
	// UpcomingDates are her important dates of the next UpcomingDays days, soonest first.
	UpcomingDates []UpcomingDate `json:"upcoming_dates,omitempty"`
	// Suggestions are items of this boutique to show her, best first, each with the
	// reason to give; empty when the boutique has no catalogue.
	Suggestions []recommend.Suggestion `json:"suggestions,omitempty"`
}

// summarize returns the arrival card of c: her consent, her last visit before now and her
// three latest purchases and inquiries. Node.card adds her suggestions.
func summarize(c *profile.Customer) *ArrivalCustomer {
	s := &ArrivalCustomer{
		ID:                c.ID,
		Name:              c.Name,
		Address:           c.Address,
		Language:          c.Language,
		FavoriteAssistant: c.FavoriteAssistant,
		Scope:             c.Consent.Scope,
		ConsentSince:      c.Consent.GivenAt,
		ImportantDates:    c.ImportantDates,
		Preferences:       c.Preferences,
		RecentPurchases:   lastN(c.Purchases, 3),
		Inquiries:         lastN(c.Inquiries, 3),
		UpcomingDates:     upcoming(c.ImportantDates, time.Now()),
	}
	if n := len(c.Visits); n > 0 {
		v := c.Visits[n-1]
		s.LastVisit = &v
	}
	return s
}

// UpcomingDays is how far ahead an arrival card looks for her important dates.
const UpcomingDays = 14

// UpcomingDate is an important date that falls within UpcomingDays, so that staff can
// mention it: "Birthday in 3 days".
type UpcomingDate struct {
	Label string `json:"label"`
	// Date is the day it falls on, YYYY-MM-DD in the boutique's time zone.
	Date string `json:"date"`
	// InDays is 0 for today, 1 for tomorrow.
	InDays int `json:"in_days"`
}

// upcoming returns the dates that fall within UpcomingDays of the calendar day of from,
// soonest first.
func upcoming(dates []profile.ImportantDate, from time.Time) []UpcomingDate {
	today := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	var out []UpcomingDate
	for _, d := range dates {
		next, ok := d.Next(from)
		if !ok {
			continue
		}
		// Days counted on the calendar, so a change to summer time does not shorten one.
		days := int(math.Round(next.Sub(today).Hours() / 24))
		if days <= UpcomingDays {
			out = append(out, UpcomingDate{Label: d.Label, Date: next.Format(time.DateOnly),
				InDays: days})
		}
	}
	slices.SortStableFunc(out, func(a, b UpcomingDate) int { return a.InDays - b.InDays })
	return out
}

// lastN returns up to n of the last items of s, newest first.
func lastN[T any](s []T, n int) []T {
	out := make([]T, 0, min(n, len(s)))
	for i := len(s) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, s[i])
	}
	return out
}

// Errors of the arrival log.
var (
	// ErrArrivalNotFound reports an arrival id that is unknown or has expired.
	ErrArrivalNotFound = errors.New("arrival not found or expired")
	// ErrArrivalDecided reports a confirmation or rejection of an arrival already decided.
	ErrArrivalDecided = errors.New("arrival already confirmed or rejected")
	// ErrNotConfirmable reports a confirmation of an arrival that was not ambiguous, or
	// whose descriptor expired from memory.
	ErrNotConfirmable = errors.New("only an ambiguous arrival can be confirmed, " +
		"within the confirm window")
	// ErrNotCandidate reports an assistant confirming a client who was not among the
	// arrival's candidates; only a manager may.
	ErrNotCandidate = errors.New("the client is not a candidate of this arrival; " +
		"only a manager can confirm another client")
)

// arrivalLog keeps the latest arrivals in memory for the staff page, and the descriptors of
// undecided ones until they expire.
type arrivalLog struct {
	mu     sync.Mutex
	items  []*Arrival // oldest first
	max    int
	expiry time.Duration
}

func newArrivalLog(max int, expiry time.Duration) *arrivalLog {
	return &arrivalLog{max: max, expiry: expiry}
}

// add appends a, dropping the oldest arrival past the log's size.
func (l *arrivalLog) add(a *Arrival) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, a)
	if len(l.items) > l.max {
		l.items = l.items[len(l.items)-l.max:]
	}
}

// recent returns copies of up to n latest arrivals, newest first, and drops the
// descriptors of those past expiry.
func (l *arrivalLog) recent(n int, now time.Time) []Arrival {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expireLocked(now)

	out := make([]Arrival, 0, min(n, len(l.items)))
	for i := len(l.items) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, *l.items[i])
	}
	return out
}

// decide marks an undecided arrival confirmed or rejected and returns its descriptors.
func (l *arrivalLog) decide(id, status string, now time.Time) (Arrival, *faceReading, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expireLocked(now)

	for _, a := range l.items {
		if a.ID != id {
			continue
		}
		if a.Status != StatusNew {
			return Arrival{}, nil, ErrArrivalDecided
		}
		if a.reading == nil {
			return Arrival{}, nil, ErrNotConfirmable
		}
		reading := a.reading
		a.reading = nil
		a.Status = status
		return *a, reading, nil
	}
	return Arrival{}, nil, ErrArrivalNotFound
}

// setCustomer records who a confirmed arrival was.
func (l *arrivalLog) setCustomer(id string, c *ArrivalCustomer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.items {
		if a.ID == id {
			a.Customer = c
		}
	}
}

// forgetCustomer removes a forgotten client from every arrival in memory.
func (l *arrivalLog) forgetCustomer(customerID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.items {
		if a.Customer != nil && a.Customer.ID == customerID {
			a.Customer, a.Crop, a.reading = nil, "", nil
			a.Decision, a.Status = "forgotten", StatusRejected
		}
		kept := a.Candidates[:0]
		for _, c := range a.Candidates {
			if c.ID != customerID {
				kept = append(kept, c)
			}
		}
		a.Candidates = kept
	}
}

// expireLocked drops the descriptors and crops of arrivals older than expiry.
func (l *arrivalLog) expireLocked(now time.Time) {
	for _, a := range l.items {
		if now.Sub(a.At) > l.expiry {
			a.reading = nil
			a.Crop = ""
		}
	}
}

// isCandidate reports whether customerID is among the candidates of an arrival.
func (l *arrivalLog) isCandidate(arrivalID, customerID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.items {
		if a.ID != arrivalID {
			continue
		}
		for _, c := range a.Candidates {
			if c.ID == customerID {
				return true
			}
		}
	}
	return false
}
