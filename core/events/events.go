// Package events is the host's event outbox. A plugin's event is written in
// the same transaction as the writes that caused it, with one delivery row
// per subscribed plugin; a dispatcher delivers them after commit and retries
// until each consumer acknowledges: at least once, in order per consumer.
package events

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
)

// Event is a published event.
type Event struct {
	ID        uint64    `gorm:"primaryKey"`
	Plugin    string    `gorm:"size:32;not null"`
	Tenant    string    `gorm:"size:13;not null"`
	Name      string    `gorm:"size:100;not null"`
	Payload   []byte    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// TableName fixes the table name.
func (Event) TableName() string { return "events" }

// Delivery is one consumer's pending or finished delivery of an event.
type Delivery struct {
	EventID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	Consumer    string `gorm:"primaryKey;size:32"`
	Attempts    int    `gorm:"not null;default:0"`
	NextAt      time.Time
	DeliveredAt *time.Time
	LastError   string `gorm:"size:500"`
}

// TableName fixes the table name.
func (Delivery) TableName() string { return "event_deliveries" }

// Migrations create the outbox.
func Migrations() []*store.Migration {
	type event struct {
		ID        uint64 `gorm:"primaryKey"`
		Plugin    string `gorm:"size:32;not null"`
		Tenant    string `gorm:"size:13;not null"`
		Name      string `gorm:"size:100;not null"`
		Payload   []byte `gorm:"not null"`
		CreatedAt time.Time
	}
	type delivery struct {
		EventID     uint64 `gorm:"primaryKey;autoIncrement:false"`
		Consumer    string `gorm:"primaryKey;size:32"`
		Attempts    int    `gorm:"not null;default:0"`
		NextAt      time.Time
		DeliveredAt *time.Time
		LastError   string `gorm:"size:500"`
	}
	return []*store.Migration{{
		ID: "202611250300_events",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Table("events").AutoMigrate(&event{}); err != nil {
				return err
			}
			if err := tx.Table("event_deliveries").AutoMigrate(&delivery{}); err != nil {
				return err
			}
			return tx.Exec("CREATE INDEX IF NOT EXISTS ix_event_deliveries_pending ON event_deliveries (consumer, delivered_at, event_id)").Error
		},
	}}
}

// Record writes an event and its deliveries in tx.
func Record(tx *gorm.DB, plugin, tenant, name string, payload []byte, consumers []string) (*Event, error) {
	e := &Event{Plugin: plugin, Tenant: tenant, Name: name, Payload: payload, CreatedAt: time.Now().UTC()}
	if err := tx.Create(e).Error; err != nil {
		return nil, fmt.Errorf("recording event %s: %w", name, err)
	}
	for _, c := range consumers {
		if err := tx.Create(&Delivery{EventID: e.ID, Consumer: c, NextAt: e.CreatedAt}).Error; err != nil {
			return nil, fmt.Errorf("queueing event %s for %s: %w", name, c, err)
		}
	}
	return e, nil
}

// Pending is a delivery that is due, with its event.
type Pending struct {
	Delivery
	Event Event `gorm:"embedded;embeddedPrefix:ev_"`
}

// Due returns, for one consumer, the oldest undelivered events, stopping at
// the first one that is not due yet so that order is kept.
func Due(db *gorm.DB, consumer string, limit int) ([]Pending, error) {
	var rows []struct {
		EventID   uint64
		Attempts  int
		NextAt    time.Time
		Plugin    string
		Tenant    string
		Name      string
		Payload   []byte
		CreatedAt time.Time
	}
	err := db.Table("event_deliveries d").
		Select("d.event_id, d.attempts, d.next_at, e.plugin, e.tenant, e.name, e.payload, e.created_at").
		Joins("JOIN events e ON e.id = d.event_id").
		Where("d.consumer = ? AND d.delivered_at IS NULL", consumer).
		Order("d.event_id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var out []Pending
	for _, r := range rows {
		if r.NextAt.After(now) {
			break
		}
		out = append(out, Pending{
			Delivery: Delivery{EventID: r.EventID, Consumer: consumer, Attempts: r.Attempts, NextAt: r.NextAt},
			Event:    Event{ID: r.EventID, Plugin: r.Plugin, Tenant: r.Tenant, Name: r.Name, Payload: r.Payload, CreatedAt: r.CreatedAt},
		})
	}
	return out, nil
}

// Delivered marks a delivery done.
func Delivered(db *gorm.DB, eventID uint64, consumer string, note string) error {
	now := time.Now().UTC()
	return db.Model(&Delivery{}).Where("event_id = ? AND consumer = ?", eventID, consumer).
		Updates(map[string]any{"delivered_at": now, "last_error": note}).Error
}

// Failed records a failed attempt and when to try again.
func Failed(db *gorm.DB, eventID uint64, consumer string, attempts int, msg string, next time.Time) error {
	// Cut at 500 characters, not bytes: a byte cut can split a character,
	// and PostgreSQL refuses the invalid UTF-8 (and any NUL) the failure
	// would then be recorded with.
	msg = strings.ReplaceAll(strings.ToValidUTF8(msg, "\uFFFD"), "\x00", "")
	if r := []rune(msg); len(r) > 500 {
		msg = string(r[:500])
	}
	return db.Model(&Delivery{}).Where("event_id = ? AND consumer = ?", eventID, consumer).
		Updates(map[string]any{"attempts": attempts, "last_error": msg, "next_at": next}).Error
}

// PurgeTenant deletes, in tx, a tenant's events and their deliveries,
// delivered or not, and returns how many events: a deleted tenant's events
// must not reach consumers, nor a tenant created again with its code.
func PurgeTenant(tx *gorm.DB, tenant string) (int64, error) {
	if err := tx.Where("event_id IN (?)", tx.Model(&Event{}).Select("id").Where("tenant = ?", tenant)).Delete(&Delivery{}).Error; err != nil {
		return 0, fmt.Errorf("deleting event deliveries of %s: %w", tenant, err)
	}
	res := tx.Where("tenant = ?", tenant).Delete(&Event{})
	if res.Error != nil {
		return 0, fmt.Errorf("deleting events of %s: %w", tenant, res.Error)
	}
	return res.RowsAffected, nil
}
