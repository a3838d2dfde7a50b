package profile

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDecodePurchase_Bodies(t *testing.T) {
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		body string
		want Purchase
		err  error
	}{
		{"valid", `{"at":"2025-03-01T09:00:00Z","sku":"BAG-1","item":"Bag","price":3200.5,` +
			`"currency":"EUR"}`, Purchase{At: at, SKU: "BAG-1", Item: "Bag", Price: 3200.5,
			Currency: "EUR"}, nil},
		{"without time", `{"sku":"BAG-1","price":0,"currency":"JPY"}`,
			Purchase{SKU: "BAG-1", Currency: "JPY"}, nil},
		{"unknown field", `{"sku":"BAG-1","price":1,"currency":"EUR","discount":5}`,
			Purchase{}, ErrInvalid},
		{"trailing value", `{"sku":"BAG-1","price":1,"currency":"EUR"} {}`, Purchase{}, ErrInvalid},
		{"trailing garbage", `{"sku":"BAG-1","price":1,"currency":"EUR"}x`, Purchase{}, ErrInvalid},
		{"empty body", ``, Purchase{}, ErrInvalid},
		{"null", `null`, Purchase{}, ErrInvalid},
		{"array", `[]`, Purchase{}, ErrInvalid},
		{"price as string", `{"sku":"A","price":"1","currency":"EUR"}`, Purchase{}, ErrInvalid},
		{"negative price", `{"sku":"A","price":-5,"currency":"EUR"}`, Purchase{}, ErrInvalid},
		{"price overflow", `{"sku":"A","price":1e400,"currency":"EUR"}`, Purchase{}, ErrInvalid},
		{"bad currency", `{"sku":"A","price":1,"currency":"euro"}`, Purchase{}, ErrInvalid},
		{"bad time", `{"at":"yesterday","sku":"A","price":1,"currency":"EUR"}`,
			Purchase{}, ErrInvalid},
		{"too large", `{"sku":"A","price":1,"currency":"EUR","item":"` +
			strings.Repeat("x", MaxBodyBytes) + `"}`, Purchase{}, ErrInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodePurchase(strings.NewReader(tc.body))
			if !errors.Is(err, tc.err) {
				t.Fatalf("decode: %v, want %v", err, tc.err)
			}

			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("purchase %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDecodeInquiry_Bodies(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Inquiry
		err  error
	}{
		{"note only", `{"note":"wants the autumn catalogue"}`,
			Inquiry{Note: "wants the autumn catalogue"}, nil},
		{"empty", `{}`, Inquiry{}, ErrInvalid},
		{"note too long", `{"note":"` + strings.Repeat("é", MaxTextRunes+1) + `"}`,
			Inquiry{}, ErrInvalid},
		{"unknown field", `{"item":"Loafers","size":"38"}`, Inquiry{}, ErrInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeInquiry(strings.NewReader(tc.body))
			if !errors.Is(err, tc.err) {
				t.Fatalf("decode: %v, want %v", err, tc.err)
			}

			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("inquiry %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDecodePreferences_Bodies(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Preferences
		err  error
	}{
		{"lists", `{"sizes":["S","36"],"dislikes":["fur"]}`,
			Preferences{Sizes: []string{"S", "36"}, Dislikes: []string{"fur"}}, nil},
		{"empty object", `{}`, Preferences{}, nil},
		{"spaces around entries", `{"sizes":[" 38 "],"dislikes":["fur\t"]}`,
			Preferences{Sizes: []string{"38"}, Dislikes: []string{"fur"}}, nil},
		{"blank entry", `{"sizes":["  "]}`, Preferences{}, ErrInvalid},
		{"empty entry", `{"colors":[""]}`, Preferences{}, ErrInvalid},
		{"number entry", `{"sizes":[36]}`, Preferences{}, ErrInvalid},
		{"unknown list", `{"brands":["x"]}`, Preferences{}, ErrInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodePreferences(strings.NewReader(tc.body))
			if !errors.Is(err, tc.err) {
				t.Fatalf("decode: %v, want %v", err, tc.err)
			}

			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("preferences %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDecodeNote_Bodies(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Note
		err  error
	}{
		{"text", `{"text":"Prefers tea"}`, Note{Text: "Prefers tea"}, nil},
		{"blank text", `{"text":"  "}`, Note{}, ErrInvalid},
		{"unknown field", `{"text":"Prefers tea","private":true}`, Note{}, ErrInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeNote(strings.NewReader(tc.body))
			if !errors.Is(err, tc.err) {
				t.Fatalf("decode: %v, want %v", err, tc.err)
			}

			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("note %+v, want %+v", got, tc.want)
			}
		})
	}
}
