package input

import (
	"errors"
	"net/http"
	"testing"
)

// priced is a target with range-tagged number fields of every kind, and
// one untagged number to prove the tag is what changes the answer.
type priced struct {
	Amount  int64             `json:"amount" range:"invalid_amount"`
	Stock   *int32            `json:"stock" range:"invalid_stock"`
	Units   uint8             `json:"units" range:"invalid_units"`
	Lat     float64           `json:"lat" range:"invalid_coordinates"`
	Ratio   float32           `json:"ratio" range:"invalid_ratio"`
	Lines   []line            `json:"lines"`
	Shares  []int64           `json:"shares" range:"invalid_share"`
	ByMonth map[string]int64  `json:"by_month" range:"invalid_month_amount"`
	Plain   int16             `json:"plain"`
	Nested  *struct{ N int8 } `json:"nested" range:"invalid_nested"`
}

type line struct {
	Price int64 `json:"price" range:"invalid_price"`
}

// A number that does not fit a range-tagged field answers 422 with the
// field's code and path; the wrong kind of value stays 400 invalid_field,
// and an untagged field is unchanged.
func TestRangeTag(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"fits", `{"amount":9223372036854775807,"stock":-5,"units":255,"lat":-6.2,"ratio":0.5,"lines":[{"price":1}],"shares":[1,2],"by_month":{"1":3},"plain":7,"nested":{"N":1}}`, 0, "", ""}, // accepted
		{"over int64", `{"amount":99999999999999999999}`, 422, "invalid_amount", "amount"},
		{"just over int64", `{"amount":9223372036854775808}`, 422, "invalid_amount", "amount"},
		{"under int64", `{"amount":-9223372036854775809}`, 422, "invalid_amount", "amount"},
		{"exponent", `{"amount":1e30}`, 422, "invalid_amount", "amount"},
		{"small exponent into int is the whole number", `{"amount":1e3}`, 0, "", ""},
		{"fraction in an exponent", `{"amount":1.05e1}`, 422, "invalid_amount", "amount"},
		{"fraction into int", `{"amount":1500.5}`, 422, "invalid_amount", "amount"},
		{"fraction into a pointer", `{"stock":2.5}`, 422, "invalid_stock", "stock"},
		{"over int32 via pointer", `{"stock":2147483648}`, 422, "invalid_stock", "stock"},
		{"negative into uint", `{"units":-1}`, 422, "invalid_units", "units"},
		{"over uint8", `{"units":256}`, 422, "invalid_units", "units"},
		{"over float64", `{"lat":1e400}`, 422, "invalid_coordinates", "lat"},
		{"over float32", `{"ratio":1e39}`, 422, "invalid_ratio", "ratio"},
		{"in a list of structs", `{"lines":[{"price":1},{"price":1e19}]}`, 422, "invalid_price", "lines[1].price"},
		{"in a tagged list", `{"shares":[1,2.5]}`, 422, "invalid_share", "shares[1]"},
		{"in a tagged map", `{"by_month":{"3":1e20}}`, 422, "invalid_month_amount", "by_month.3"},
		{"untagged overflow", `{"plain":40000}`, 400, "invalid_field", "plain"},
		{"untagged fraction", `{"plain":1.5}`, 400, "invalid_field", "plain"},
		{"a struct's tag stays on the struct", `{"nested":{"N":300}}`, 400, "invalid_field", "nested.N"},
		{"text for a tagged number", `{"amount":"banyak"}`, 400, "invalid_field", "amount"},
		{"list for a tagged number", `{"amount":[1]}`, 400, "invalid_field", "amount"},
		{"true for a tagged number", `{"amount":true}`, 400, "invalid_field", "amount"},
		{"object for a tagged number", `{"amount":{}}`, 400, "invalid_field", "amount"},
		{"number for a tagged struct", `{"nested":1}`, 400, "invalid_field", "nested"},
		{"the first refusal answers, as for invalid_field", `{"amount":1e30,`, 422, "invalid_amount", "amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p priced
			wantRefusal(t, DecodeBytes([]byte(tt.body), &p), tt.status, tt.code, tt.field)
		})
	}
}

// The message names the field and clips a number of thousands of digits.
func TestRangeMessage(t *testing.T) {
	body := []byte(`{"amount":100000000000000000000000000000000000000000000000000000000000000000000}`)
	var p priced
	var e *Error
	if err := DecodeBytes(body, &p); !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity {
		t.Fatalf("got %v", err)
	}
	want := `field "amount" is out of range: 1000000000000000000000000000000000000... is not a whole number it can hold`
	if e.Message != want {
		t.Fatalf("message %q, want %q", e.Message, want)
	}
}

// JSON has one number type: 2026.0 and 1e3 are the whole numbers 2026 and
// 1000 and fill an integer field (tagged or not, in a list or a map too);
// a real fraction, or a whole number too large for the field, is still
// refused as before.
func TestWholeNumberLiterals(t *testing.T) {
	for _, tt := range []struct {
		body   string
		amount int64
		units  uint8
		plain  int16
		shares []int64
	}{
		{`{"amount":2026.0}`, 2026, 0, 0, nil},
		{`{"amount":2026.000,"units":255.0}`, 2026, 255, 0, nil},
		{`{"amount":-5.00}`, -5, 0, 0, nil},
		{`{"amount":1e3}`, 1000, 0, 0, nil},
		{`{"amount":1E+3}`, 1000, 0, 0, nil},
		{`{"amount":1.5e1}`, 15, 0, 0, nil},
		{`{"amount":20260e-1}`, 2026, 0, 0, nil},
		{`{"amount":0.0e5,"units":-0.0}`, 0, 0, 0, nil},
		{`{"amount":9223372036854775807.0}`, 9223372036854775807, 0, 0, nil},
		{`{"plain":7.0}`, 0, 0, 7, nil},
		{` { "shares" : [ 1.0 , 2 , 3e0 ] , "amount" :10.0 } `, 10, 0, 0, []int64{1, 2, 3}},
	} {
		var got priced
		if err := DecodeBytes([]byte(tt.body), &got); err != nil {
			t.Errorf("%s: %v", tt.body, err)
			continue
		}
		if got.Amount != tt.amount || got.Units != tt.units || got.Plain != tt.plain || len(got.Shares) != len(tt.shares) {
			t.Errorf("%s: got %+v", tt.body, got)
		}
		for i := range tt.shares {
			if got.Shares[i] != tt.shares[i] {
				t.Errorf("%s: shares %v", tt.body, got.Shares)
			}
		}
	}
	for _, tt := range []struct{ body, code, field string }{
		{`{"amount":2026.5}`, "invalid_amount", "amount"},
		{`{"amount":2026.05e1}`, "invalid_amount", "amount"},
		{`{"amount":5e-1}`, "invalid_amount", "amount"},
		{`{"amount":9223372036854775808.0}`, "invalid_amount", "amount"},
		{`{"amount":1e41}`, "invalid_amount", "amount"},
		{`{"units":256.0}`, "invalid_units", "units"},
		{`{"units":-1.0}`, "invalid_units", "units"},
		{`{"plain":1.5}`, "invalid_field", "plain"},
		{`{"shares":[1.0,2.5]}`, "invalid_share", "shares[1]"},
	} {
		var got priced
		err := DecodeBytes([]byte(tt.body), &got)
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Field != tt.field {
			t.Errorf("%s: %v, want %s at %s", tt.body, err, tt.code, tt.field)
		}
	}
	if d, ok := integral("2026.0"); !ok || d != "2026" {
		t.Errorf("integral(2026.0) = %q %v", d, ok)
	}
}
