package profile

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// MaxImportantDates is the maximum number of important dates a client can have.
const MaxImportantDates = 20

// Details are the facts about a client that staff keep current, as opposed to her
// history: how to address her, her language, the assistant she prefers and her dates.
// PUT /v1/customers/{id}/details replaces all of them at once.
type Details struct {
	Name              string          `json:"name"`
	Address           string          `json:"address,omitempty"`
	Language          string          `json:"language,omitempty"`
	FavoriteAssistant string          `json:"favorite_assistant,omitempty"`
	ImportantDates    []ImportantDate `json:"important_dates,omitempty"`
}

// Details returns the client's current details.
func (c *Customer) Details() Details {
	return Details{Name: c.Name, Address: c.Address, Language: c.Language,
		FavoriteAssistant: c.FavoriteAssistant, ImportantDates: c.ImportantDates}
}

// SetDetails replaces the client's details with d.
func (c *Customer) SetDetails(d Details) {
	c.Name, c.Address, c.Language = d.Name, d.Address, d.Language
	c.FavoriteAssistant, c.ImportantDates = d.FavoriteAssistant, d.ImportantDates
}

// DecodeDetails decodes details from an untrusted JSON request body and validates them.
// An empty list of dates decodes as nil, as it does after a round trip through storage.
func DecodeDetails(r io.Reader) (Details, error) {
	var d Details
	if err := decodeBody(r, &d); err != nil {
		return Details{}, fmt.Errorf("decode details: %w", err)
	}
	if len(d.ImportantDates) == 0 {
		d.ImportantDates = nil
	}

	if err := ValidateDetails(d); err != nil {
		return Details{}, fmt.Errorf("decode details: %w", err)
	}
	return d, nil
}

// ValidateDetails checks a non-empty name, the lengths of the text fields and every
// important date.
func ValidateDetails(d Details) error {
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("%w: name is empty", ErrInvalid)
	}
	fields := []struct{ name, value string }{
		{"name", d.Name}, {"address", d.Address}, {"language", d.Language},
		{"favorite_assistant", d.FavoriteAssistant},
	}
	if err := checkFields(fields, MaxNameRunes); err != nil {
		return err
	}
	if err := ValidateLanguage(d.Language); err != nil {
		return err
	}
	return validateImportantDates(d.ImportantDates)
}

// ValidateLanguage checks that a client's language is empty or a known BCP 47 tag, such
// as ja, en-GB or zh-Hant. Only new input is checked: profiles stored before the check
// may hold free text, and Validate accepts it so that they stay writable.
func ValidateLanguage(tag string) error {
	if tag == "" {
		return nil
	}
	if _, err := language.Parse(tag); err != nil {
		return fmt.Errorf("%w: language %q is not a language tag such as ja, en-GB or "+
			"zh-Hant", ErrInvalid, tag)
	}
	return nil
}

func validateImportantDates(dates []ImportantDate) error {
	if len(dates) > MaxImportantDates {
		return fmt.Errorf("%w: %d important dates, the maximum is %d",
			ErrInvalid, len(dates), MaxImportantDates)
	}
	for i, d := range dates {
		if err := ValidateImportantDate(d); err != nil {
			return fmt.Errorf("important_dates[%d]: %w", i, err)
		}
	}
	return nil
}

// ValidateImportantDate checks that a date has a label and a Date that is a real day in
// the form MM-DD (every year) or YYYY-MM-DD (once).
func ValidateImportantDate(d ImportantDate) error {
	if strings.TrimSpace(d.Label) == "" {
		return fmt.Errorf("%w: label is empty", ErrInvalid)
	}
	if err := checkText("label", d.Label, MaxNameRunes); err != nil {
		return err
	}
	if _, _, err := d.parse(); err != nil {
		return err
	}
	return nil
}

// parse returns the day of a one-off date, or the month and day of a yearly one in a
// leap year, with yearly reporting which.
func (d ImportantDate) parse() (day time.Time, yearly bool, err error) {
	if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
		return t, false, nil
	}
	// Parsed in a leap year, so that 02-29 is a valid yearly date.
	if t, err := time.Parse(time.DateOnly, "2000-"+d.Date); err == nil && len(d.Date) == 5 {
		return t, true, nil
	}
	return time.Time{}, false, fmt.Errorf("%w: date %q is not a day written MM-DD "+
		"(every year) or YYYY-MM-DD (once)", ErrInvalid, d.Date)
}

// Next returns the next day, on or after the calendar day of from, on which the date
// falls, in from's location, and false when a one-off date has passed or the date is
// malformed. A yearly 02-29 falls on 28 February in other years.
func (d ImportantDate) Next(from time.Time) (time.Time, bool) {
	day, yearly, err := d.parse()
	if err != nil {
		return time.Time{}, false
	}
	today := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	if !yearly {
		day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, from.Location())
		return day, !day.Before(today)
	}

	for year := today.Year(); ; year++ {
		next := yearlyDay(year, day.Month(), day.Day(), from.Location())
		if !next.Before(today) {
			return next, true
		}
	}
}

// yearlyDay returns month and day in year, moving 29 February to the 28th when the year
// has no such day.
func yearlyDay(year int, month time.Month, day int, loc *time.Location) time.Time {
	t := time.Date(year, month, day, 0, 0, 0, 0, loc)
	if t.Month() != month {
		t = time.Date(year, month, day-1, 0, 0, 0, 0, loc)
	}
	return t
}

// SetDetails replaces the customer's details with d.
func (s *Store) SetDetails(id string, d Details) error {
	return s.appendRecord("set details", id, func(c *Customer) {
		c.SetDetails(d)
	})
}
