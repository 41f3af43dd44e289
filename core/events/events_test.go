package events_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/balaidesa/balai/core/events"
	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/storetest"
)

// A consumer's failure is recorded whatever its message holds: cut at 500
// characters (a byte cut would split "é" and PostgreSQL would refuse the
// row), without NUL, as valid UTF-8.
func TestFailedKeepsTheMessageStorable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Migrate(events.Migrations()); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, msg, want string }{
			{"long accented", "a" + strings.Repeat("é", 600), "a" + strings.Repeat("é", 499)},
			{"NUL and invalid UTF-8", "gagal\x00 \xff", "gagal \uFFFD"},
			{"short", "connection refused", "connection refused"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ev, err := events.Record(db.DB, "population", "14.01", "population.resident_registered", []byte(`{}`), []string{"services"})
				if err != nil {
					t.Fatal(err)
				}
				if err := events.Failed(db.DB, ev.ID, "services", 1, tt.msg, time.Now()); err != nil {
					t.Fatalf("recording the failure: %v", err)
				}
				var got events.Delivery
				if err := db.DB.Where("event_id = ? AND consumer = ?", ev.ID, "services").First(&got).Error; err != nil {
					t.Fatal(err)
				}
				if got.LastError != tt.want || !utf8.ValidString(got.LastError) {
					t.Fatalf("stored %q (%d characters), want %q", got.LastError, utf8.RuneCountInString(got.LastError), tt.want)
				}
			})
		}
	})
}
