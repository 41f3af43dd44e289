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
		{"small exponent into int", `{"amount":1e3}`, 422, "invalid_amount", "amount"},
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
