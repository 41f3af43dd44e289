package main

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/balaidesa/balai/sdk"
)

// code returns the error code of an *sdk.Error, or "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	var e *sdk.Error
	if errors.As(err, &e) {
		return string(e.Code)
	}
	return "not an *sdk.Error: " + err.Error()
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"081234567890", "+6281234567890", true},
		{"0812-3456-7890", "+6281234567890", true},
		{"+62 812 3456 7890", "+6281234567890", true},
		{"6281234567890", "+6281234567890", true},
		{"(0812) 3456.789", "+628123456789", true},
		{"0812345678", "+62812345678", true},       // 10 digits, the shortest
		{"0812345678901", "+62812345678901", true}, // 13 digits, the longest
		{"081234567", "", false},                   // too short
		{"08123456789012", "", false},              // too long
		{"0211234567", "", false},                  // a Jakarta landline
		{"0801234567", "", false},                  // no such operator prefix
		{"+6581234567", "", false},                 // Singapore
		{"812345678", "", false},                   // no prefix at all
		{"0812-3456-789a", "", false},              // letters
		{"08123+4567890", "", false},               // plus in the middle
		{"", "", false},
		{"+62", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOrderInputValidate(t *testing.T) {
	item := func(id string, qty int64) itemLine { return itemLine{ProductID: id, Qty: qty} }
	good := func(items ...itemLine) orderInput {
		return orderInput{BuyerName: "Siti", Phone: "0812 3456 7890", Items: items}
	}
	many := make([]itemLine, maxLines+1)
	for i := range many {
		many[i] = item(string(rune('a'+i)), 1)
	}
	tests := []struct {
		name string
		in   orderInput
		code string
		want []itemLine
	}{
		{"one line", good(item("p1", 2)), "", []itemLine{item("p1", 2)}},
		{"lines sorted by product", good(item("p2", 1), item("p1", 1)), "", []itemLine{item("p1", 1), item("p2", 1)}},
		{"duplicates merged", good(item("p1", 2), item("p2", 1), item("p1", 3)), "", []itemLine{item("p1", 5), item("p2", 1)}},
		{"merged beyond the bound", good(item("p1", maxQty), item("p1", 1)), "invalid_qty", nil},
		{"qty 0", good(item("p1", 0)), "invalid_qty", nil},
		{"negative qty", good(item("p1", -1)), "invalid_qty", nil},
		{"qty over the bound", good(item("p1", maxQty+1)), "invalid_qty", nil},
		{"no items", good(), "invalid_items", nil},
		{"too many lines", good(many...), "invalid_items", nil},
		{"no product id", good(item(" ", 1)), "invalid_items", nil},
		{"no name", orderInput{BuyerName: "  ", Phone: "081234567890", Items: []itemLine{item("p", 1)}}, "invalid_buyer_name", nil},
		{"long name", orderInput{BuyerName: strings.Repeat("a", 101), Phone: "081234567890", Items: []itemLine{item("p", 1)}}, "invalid_buyer_name", nil},
		{"control characters in the name", orderInput{BuyerName: "Siti\x00", Phone: "081234567890", Items: []itemLine{item("p", 1)}}, "invalid_buyer_name", nil},
		{"bad phone", orderInput{BuyerName: "Siti", Phone: "12345", Items: []itemLine{item("p", 1)}}, "invalid_phone", nil},
	}
	for _, tt := range tests {
		in := tt.in
		got, err := in.validate()
		if code(err) != tt.code {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.code == "" {
			if strings.Join(lineStrings(got), ",") != strings.Join(lineStrings(tt.want), ",") {
				t.Errorf("%s: lines %v, want %v", tt.name, got, tt.want)
			}
			if in.Phone != "+6281234567890" {
				t.Errorf("%s: phone kept as %q", tt.name, in.Phone)
			}
		}
	}
}

func lineStrings(ls []itemLine) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.ProductID+"x"+strings.Repeat("|", int(l.Qty)))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// The villages of a sub-district are those one code part below it, and
// only those with the marketplace (places.names).
func TestPlacesInDistrict(t *testing.T) {
	pl := &places{names: map[string]string{"14.01.01.2009": "Kumantan", "14.01.01.2010": "Ridan", "14.01.02.2001": "Batu Belah", "14.01.10.2001": "X"}}
	for _, c := range []struct {
		district string
		want     []string
	}{
		{"14.01.01", []string{"14.01.01.2009", "14.01.01.2010"}},
		{"14.01.1", nil}, // a prefix of 14.01.10 is not a sub-district of it
		{"14.01", nil},   // a regency's villages are two parts below
		{"14.01.02", []string{"14.01.02.2001"}},
		{"14.01.99", nil},
	} {
		if got := pl.inDistrict(c.district); !slices.Equal(got, c.want) {
			t.Errorf("inDistrict(%s) = %v, want %v", c.district, got, c.want)
		}
	}
}

func TestProductValidate(t *testing.T) {
	base := func() Product {
		return Product{SellerID: "s", Name: " Keripik Nenas ", Category: "Food", Price: 15000, Stock: 10, Listed: true, Description: "Renyah"}
	}
	tests := []struct {
		name   string
		change func(p *Product)
		code   string
	}{
		{"valid", func(p *Product) {}, ""},
		{"zero stock is fine", func(p *Product) { p.Stock = 0 }, ""},
		{"price 0", func(p *Product) { p.Price = 0 }, "invalid_price"},
		{"negative price", func(p *Product) { p.Price = -5000 }, "invalid_price"},
		{"price over the bound", func(p *Product) { p.Price = maxPrice + 1 }, "invalid_price"},
		{"negative stock", func(p *Product) { p.Stock = -1 }, "invalid_stock"},
		{"stock over the bound", func(p *Product) { p.Stock = maxStock + 1 }, "invalid_stock"},
		{"unknown category", func(p *Product) { p.Category = "weapons" }, "invalid_category"},
		{"no name", func(p *Product) { p.Name = "" }, "invalid_name"},
		{"long unit", func(p *Product) { p.Unit = strings.Repeat("k", 21) }, "invalid_unit"},
		{"name over two lines", func(p *Product) { p.Name = "Keripik\nNenas" }, "invalid_name"},
		{"bidirectional override in the name", func(p *Product) { p.Name = "Keripik \u202eNenas" }, "invalid_name"},
		{"zero-width space in the name", func(p *Product) { p.Name = "Keripik\u200bNenas" }, "invalid_name"},
		{"bidirectional isolate in the description", func(p *Product) { p.Description = "Renyah \u2067x\u2069" }, "invalid_description"},
		{"accented unit at the limit in characters", func(p *Product) { p.Unit = strings.Repeat("é", 20) }, ""},
		{"unlimited", func(p *Product) { p.Unlimited, p.Stock = true, unlimitedStock }, ""},
		// A cancel may return an order taken while it was counted.
		{"unlimited above the bound", func(p *Product) { p.Unlimited, p.Stock = true, unlimitedStock+3 }, ""},
		{"unlimited and a count", func(p *Product) {
			*p = productInput{SellerID: "s", Name: "Keripik Nenas", Category: "food", Price: 1, Stock: ptr(int64(4)), Unlimited: ptr(true)}.product()
		}, "invalid_stock"},
		{"neither", func(p *Product) {
			*p = productInput{SellerID: "s", Name: "Keripik Nenas", Category: "food", Price: 1, Unlimited: ptr(false)}.product()
		}, "invalid_stock"},
	}
	for _, tt := range tests {
		p := base()
		tt.change(&p)
		err := p.validate()
		if code(err) != tt.code {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.code)
		}
		if err == nil && (p.Name != "Keripik Nenas" || p.NameKey != "keripik nenas" || p.Category != "food" || !strings.Contains(p.Search, "Makanan")) {
			t.Errorf("%s: derived %+v", tt.name, p)
		}
	}
}

func TestNextState(t *testing.T) {
	tests := []struct {
		state, action, want, code string
	}{
		{StateNew, "confirm", StateConfirmed, ""},
		{StateConfirmed, "ship", StateShipped, ""},
		{StateShipped, "complete", StateCompleted, ""},
		{StateNew, "cancel", StateCancelled, ""},
		{StateConfirmed, "cancel", StateCancelled, ""},
		{StateNew, "ship", "", "invalid_transition"},
		{StateNew, "complete", "", "invalid_transition"},
		{StateConfirmed, "confirm", "", "invalid_transition"},
		{StateShipped, "cancel", "", "invalid_transition"},
		{StateCompleted, "cancel", "", "invalid_transition"},
		{StateCancelled, "cancel", "", "invalid_transition"},
		{StateCancelled, "confirm", "", "invalid_transition"},
		{StateNew, "refund", "", "not_found"},
	}
	for _, tt := range tests {
		got, err := nextState(tt.state, tt.action)
		if got != tt.want || code(err) != tt.code {
			t.Errorf("nextState(%s, %s) = %q, %v; want %q, %q", tt.state, tt.action, got, err, tt.want, tt.code)
		}
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := newCode()
		if _, ok := normalizeCode(c); !ok || seen[c] {
			t.Fatalf("code %q: valid %v, seen before %v", c, ok, seen[c])
		}
		seen[c] = true
	}
	c := newCode()
	typed := strings.ToLower(c[:5] + "-" + c[5:10] + " " + c[10:])
	if got, ok := normalizeCode(typed); !ok || got != c {
		t.Errorf("normalizeCode(%q) = %q, %v; want %q", typed, got, ok, c)
	}
	for _, bad := range []string{"", c[:19], c + "0", strings.Replace(c, c[:1], "U", 1), "../../etc/passwd"} {
		if _, ok := normalizeCode(bad); ok {
			t.Errorf("normalizeCode(%q) accepted", bad)
		}
	}
}
