package profile

import (
	"errors"
	"testing"
	"time"
)

func TestConsent_Create(t *testing.T) {
	withDescriptor := []Descriptor{descriptor("dlib", 128, 0.1)}
	cases := []struct {
		name        string
		consent     Consent
		descriptors []Descriptor
		want        error
	}{
		{"no consent no descriptors", Consent{}, nil, nil},
		{"consent no descriptors", consent(ScopeStore), nil, nil},
		{"store scope", consent(ScopeStore), withDescriptor, nil},
		{"brand scope", consent(ScopeBrand), withDescriptor, nil},
		{"group scope", consent(ScopeGroup), withDescriptor, nil},
		{"no consent", Consent{}, withDescriptor, ErrNoConsent},
		{"scope without time", Consent{Scope: ScopeBrand}, withDescriptor, ErrNoConsent},
		{"time without scope", Consent{GivenAt: time.Now()}, withDescriptor, ErrInvalid},
		{"unknown scope", Consent{Scope: "world", GivenAt: time.Now()}, withDescriptor, ErrInvalid},
	}

	s, _ := mustOpen(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Customer{Name: "Tanaka Yuki", Consent: tc.consent, Descriptors: tc.descriptors}
			err := s.Create(c)
			if !errors.Is(err, tc.want) {
				t.Fatalf("create: %v, want %v", err, tc.want)
			}

			if tc.want == nil {
				return
			}

			if _, err := s.Get(c.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("rejected customer was stored: get returned %v", err)
			}
		})
	}
}

func TestConsent_AddDescriptorWithout(t *testing.T) {
	s, _ := mustOpen(t)
	c := &Customer{Name: "Tanaka Yuki"}
	mustCreate(t, s, c)

	err := s.AddDescriptor(c.ID, descriptor("dlib", 128, 0.1))
	if !errors.Is(err, ErrNoConsent) {
		t.Fatalf("add descriptor: %v, want ErrNoConsent", err)
	}

	if got := mustGet(t, s, c.ID); len(got.Descriptors) != 0 {
		t.Errorf("%d descriptors stored without consent", len(got.Descriptors))
	}
}

func TestConsent_ClearWithDescriptors(t *testing.T) {
	s, _ := mustOpen(t)
	c := newCustomer("Tanaka Yuki", "Ms Tanaka")
	mustCreate(t, s, c)

	_, err := s.Update(c.ID, func(c *Customer) error {
		c.Consent = Consent{}
		return nil
	})
	if !errors.Is(err, ErrNoConsent) {
		t.Fatalf("clear consent: %v, want ErrNoConsent", err)
	}

	if got := mustGet(t, s, c.ID); !got.Consent.Given() {
		t.Errorf("consent was cleared: %+v", got.Consent)
	}
}

func TestParseScope_Values(t *testing.T) {
	for _, s := range []string{"store", "brand", "group"} {
		got, err := ParseScope(s)
		if err != nil || string(got) != s {
			t.Errorf("ParseScope(%q) = %q, %v", s, got, err)
		}
	}

	for _, s := range []string{"", "Store", "global"} {
		if _, err := ParseScope(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseScope(%q): %v, want ErrInvalid", s, err)
		}
	}
}
