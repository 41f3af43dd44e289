package main

import (
	"testing"
	"time"
)

func TestCountIncludesEvent(t *testing.T) {
	ev := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := ev.Add(d); return &x }
	for _, c := range []struct {
		name    string
		counted *time.Time
		want    bool
	}{
		{"never counted", nil, false},
		{"counted before the event", at(-time.Minute), false},
		{"counted at the event", at(0), false},
		{"counted within the commit margin", at(coalesceAfter), false},
		{"counted well after the event", at(coalesceAfter + time.Millisecond), true},
		{"counted an hour later (a redelivery)", at(time.Hour), true},
	} {
		if got := includes(&stored{CountedAt: c.counted}, ev); got != c.want {
			t.Errorf("%s: includes = %v, want %v", c.name, got, c.want)
		}
	}
}
