package sdk

import (
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	pb "github.com/balaidesa/balai/sdk/proto/pluginv1"
)

func TestPage(t *testing.T) {
	tests := []struct {
		query         string
		offset, limit int
		ok            bool
	}{
		{"", 0, 50, true},
		{"page=3&limit=20", 40, 20, true},
		{"page=4294968&limit=500", 2147483500, 500, true},
		{"page=4294969&limit=500", 0, 0, false},
		{"page=2147483648&limit=1", 2147483647, 1, true},
		{"page=2147483649&limit=1", 0, 0, false},
		{"page=9223372036854775807", 0, 0, false},
		{"page=99999999999999999999999", 0, 0, false},
		{"page=0", 0, 0, false},
		{"page=-1", 0, 0, false},
		{"limit=501", 0, 0, false},
		{"limit=0", 0, 0, false},
		{"limit=x", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			offset, limit, err := Page(httptest.NewRequest("GET", "/?"+tt.query, nil))
			if !tt.ok {
				var e *Error
				if !errors.As(err, &e) || e.Status != 400 || e.Code != CodeInvalidPaging {
					t.Fatalf("got %d, %d, %v; want 400 invalid_pagination", offset, limit, err)
				}
				return
			}
			if err != nil || offset != tt.offset || limit != tt.limit {
				t.Fatalf("got %d, %d, %v; want %d, %d", offset, limit, err, tt.offset, tt.limit)
			}
		})
	}
}

// Query.Page refuses what the wire's 32 bits cannot carry as a programming
// error (a 500), never as a client's mistake.
func TestQueryPageRefusesWhatTheWireCannotCarry(t *testing.T) {
	for _, tt := range []struct {
		offset, limit int
		ok            bool
	}{{0, 50, true}, {MaxOffset, 1, true}, {MaxOffset + 1, 1, false}, {-1, 1, false}, {0, -1, false}} {
		q := (&Query{q: &pb.Query{}}).Page(tt.offset, tt.limit)
		if got := q.err == nil; got != tt.ok {
			t.Errorf("Page(%d, %d): err %v, want ok=%v", tt.offset, tt.limit, q.err, tt.ok)
		}
		if !tt.ok {
			if st, _, _ := errorAnswer(q.err); st != 500 {
				t.Errorf("Page(%d, %d): answered %d, want 500", tt.offset, tt.limit, st)
			}
		}
	}
}

// A number that does not fit a field tagged range:"code" answers that
// code (422) with the field's path, through Bind, BindOptional and
// Unmarshal alike; the wrong kind of value stays 400 invalid_field.
func TestBindRangeTag(t *testing.T) {
	type order struct {
		Price    int64   `json:"price" range:"invalid_price"`
		Quantity int32   `json:"quantity" range:"invalid_quantity"`
		Weight   float64 `json:"weight" range:"invalid_weight"`
		Items    []struct {
			Amount int64 `json:"amount" range:"invalid_amount"`
		} `json:"items"`
	}
	tests := []struct {
		body   string
		status int
		code   Code
		field  string
	}{
		{`{"price":1000,"quantity":2,"weight":1.5,"items":[{"amount":5}]}`, 0, "", ""},
		{`{"price":99999999999999999999}`, 422, "invalid_price", "price"},
		{`{"price":1e30}`, 422, "invalid_price", "price"},
		{`{"price":1500.5}`, 422, "invalid_price", "price"},
		{`{"quantity":3000000000}`, 422, "invalid_quantity", "quantity"},
		{`{"weight":1e400}`, 422, "invalid_weight", "weight"},
		{`{"items":[{"amount":1},{"amount":-1e19}]}`, 422, "invalid_amount", "items[1].amount"},
		{`{"price":"banyak"}`, 400, CodeInvalidField, "price"},
		{`{"price":null}`, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			for name, bind := range map[string]func(string, any) error{
				"Bind": func(b string, v any) error { return Bind(httptest.NewRequest("POST", "/", strings.NewReader(b)), v) },
				"BindOptional": func(b string, v any) error {
					return BindOptional(httptest.NewRequest("POST", "/", strings.NewReader(b)), v)
				},
				"Unmarshal": func(b string, v any) error { return Unmarshal([]byte(b), v) },
			} {
				var v order
				err := bind(tt.body, &v)
				var e *Error
				switch {
				case tt.code == "" && err != nil:
					t.Fatalf("%s refused: %v", name, err)
				case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code || e.Status != tt.status || e.Field != tt.field):
					t.Fatalf("%s: got %#v, want %d %s at %s", name, err, tt.status, tt.code, tt.field)
				}
			}
		})
	}
}

// Bind answers the host's codes, and names a wrong type in the API's
// words rather than Go's.
func TestBind(t *testing.T) {
	type child struct {
		Name   string  `json:"name"`
		Weight float64 `json:"weight"`
		Visits int     `json:"visits"`
	}
	tests := []struct {
		body    string
		code    Code
		status  int
		message string // a part of the message, if it matters
	}{
		{`{"name":"Siti","weight":3.2,"visits":1}`, "", 0, ""},
		{`{"NAME":"Siti"}`, CodeUnknownField, 400, ""},
		{`{"ſame":"Siti"}`, CodeUnknownField, 400, ""},
		{`{"height":50}`, CodeUnknownField, 400, ""},
		{`{"name":"a","name":"b"}`, CodeMalformedJSON, 400, ""},
		{`{"name":"\u0000"}`, CodeInvalidText, 400, ""},
		{"{\"name\":\"\xff\"}", CodeInvalidText, 400, ""},
		{`{"name":1}`, CodeInvalidField, 400, "must be text"},
		{`{"weight":"heavy"}`, CodeInvalidField, 400, "must be a number"},
		{`{"visits":1.5}`, CodeInvalidField, 400, ""},
		{`{"name":"a"}{}`, CodeMalformedJSON, 400, ""},
		{`{"name":`, CodeMalformedJSON, 400, ""},
		{``, CodeMalformedJSON, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			var v child
			err := Bind(httptest.NewRequest("POST", "/", strings.NewReader(tt.body)), &v)
			var e *Error
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code || e.Status != tt.status):
				t.Fatalf("got %v, want %d %s", err, tt.status, tt.code)
			case tt.code != "" && !strings.Contains(e.Message, tt.message):
				t.Fatalf("message %q lacks %q", e.Message, tt.message)
			case tt.code != "" && strings.Contains(e.Message, "float64"):
				t.Fatalf("message %q speaks Go", e.Message)
			}
		})
	}
	var v child
	if err := BindOptional(httptest.NewRequest("POST", "/", strings.NewReader("")), &v); err != nil {
		t.Fatalf("BindOptional of no body: %v", err)
	}
	if err := Unmarshal([]byte(`{"name":"x","extra":1}`), &v); !errors.Is(err, &Error{Code: CodeUnknownField}) {
		t.Fatalf("Unmarshal of an unknown field: %v", err)
	}
}

func TestPageOf(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		offset, limit int
		want          []int
	}{
		{0, 2, []int{1, 2}},
		{2, 2, []int{3, 4}},
		{4, 2, []int{5}},
		{5, 2, []int{}},
		{100, 50, []int{}},
		{0, 500, []int{1, 2, 3, 4, 5}},
	} {
		if got := PageOf(items, tc.offset, tc.limit); !slices.Equal(got, tc.want) {
			t.Errorf("PageOf(offset %d, limit %d) = %v, want %v", tc.offset, tc.limit, got, tc.want)
		}
	}
}
