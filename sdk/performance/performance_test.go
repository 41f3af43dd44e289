package performance

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/balaidesa/balai/sdk"
)

func TestPeriod(t *testing.T) {
	tests := []struct {
		query    string
		from, to string
		err      string
	}{
		{"year=2026", "2026-01-01", "2026-12-31", ""},
		{"year=2026&quarter=0", "2026-01-01", "2026-12-31", ""},
		{"year=2026&quarter=1", "2026-01-01", "2026-03-31", ""},
		{"year=2024&quarter=1", "2024-01-01", "2024-03-31", ""},
		{"year=2026&quarter=2", "2026-04-01", "2026-06-30", ""},
		{"year=2026&quarter=3", "2026-07-01", "2026-09-30", ""},
		{"year=2026&quarter=4", "2026-10-01", "2026-12-31", ""},
		{"", "", "", "invalid_year"},
		{"year=1999", "", "", "invalid_year"},
		{"year=2101", "", "", "invalid_year"},
		{"year=+2026", "", "", "invalid_year"},
		{"year=2026&quarter=5", "", "", "invalid_quarter"},
		{"year=2026&quarter=01", "", "", "invalid_quarter"},
		{"year=2026&quarter=Q1", "", "", "invalid_quarter"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(httptest.NewRequest("GET", "/performance?"+tt.query, nil))
		if tt.err != "" {
			var se *sdk.Error
			if !errors.As(err, &se) || string(se.Code) != tt.err || se.Status != 400 {
				t.Errorf("?%s: %v, want %s", tt.query, err, tt.err)
			}
			continue
		}
		if err != nil || p.From != tt.from || p.To != tt.to {
			t.Errorf("?%s: %+v %v, want %s..%s", tt.query, p, err, tt.from, tt.to)
		}
	}
	// The period's bounds in WIT (UTC+9): New Year begins at 15:00 UTC.
	wit := time.FixedZone("WIT", 9*3600)
	p := NewPeriod(2026, 4)
	if s, e := p.Start(wit).UTC(), p.End(wit).UTC(); s != time.Date(2026, 9, 30, 15, 0, 0, 0, time.UTC) || e != time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC) {
		t.Errorf("quarter 4 in WIT: %v to %v", s, e)
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		part, whole int64
		want        float64
		null        bool
	}{
		{2, 3, 66.67, false},
		{1, 3, 33.33, false},
		{35, 40, 87.5, false},
		{0, 5, 0, false},
		{5, 5, 100, false},
		{0, 0, 0, true},
		{250_000_000, 1_100_000_000, 22.73, false},
	}
	for _, tt := range tests {
		v := Percent(tt.part, tt.whole)
		if (v.Value == nil) != tt.null || (v.Value != nil && *v.Value != tt.want) || v.Numerator != tt.part || v.Denominator != tt.whole {
			t.Errorf("Percent(%d, %d) = %+v, want %v", tt.part, tt.whole, v, tt.want)
		}
	}
}
