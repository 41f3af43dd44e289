// Package audit keeps the trail of who did what, where and when: every admin
// action and every read of personal data (UU PDP, law 27/2022). Entries are
// written in the same transaction as the change they describe, so a change
// never lands without its entry.
package audit

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// Entry is one audited action.
type Entry struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	At        time.Time `gorm:"not null;index" json:"at"`
	Actor     string    `gorm:"size:64;not null;index" json:"actor"`
	Tenant    string    `gorm:"size:13;index" json:"tenant,omitempty"`
	Action    string    `gorm:"size:100;not null;index" json:"action"`
	Target    string    `gorm:"size:200" json:"target,omitempty"`
	Source    string    `gorm:"size:100" json:"source,omitempty"`
	RequestID string    `gorm:"size:64" json:"request_id,omitempty"`
	Detail    string    `gorm:"type:text" json:"-"`
}

// MarshalJSON shows the detail as the JSON object it holds.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	out := struct {
		plain
		Detail json.RawMessage `json:"detail,omitempty"`
	}{plain: plain(e)}
	if e.Detail != "" {
		out.Detail = json.RawMessage(e.Detail)
	}
	return json.Marshal(out)
}

// TableName keeps the table name stable whatever the struct is called.
func (Entry) TableName() string { return "audit_log" }

// Migrations create the audit table.
func Migrations() []*store.Migration {
	type entry struct {
		ID        uint64    `gorm:"primaryKey"`
		At        time.Time `gorm:"not null;index"`
		Actor     string    `gorm:"size:64;not null;index"`
		Tenant    string    `gorm:"size:13;index"`
		Action    string    `gorm:"size:100;not null;index"`
		Target    string    `gorm:"size:200"`
		Source    string    `gorm:"size:100"`
		RequestID string    `gorm:"size:64"`
		Detail    string    `gorm:"type:text"`
	}
	return []*store.Migration{{
		ID: "202611240400_audit",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("audit_log").AutoMigrate(&entry{})
		},
	}}
}

// Who is the actor and origin of an action. The CLI acts as "cli:<os user>"
// from "cli"; HTTP callers as their username from their address.
type Who struct {
	Actor     string
	Source    string
	RequestID string
}

// Record writes an entry. detail, if not nil, is stored as JSON and must not
// hold secrets.
func Record(tx *gorm.DB, who Who, tenant, action, target string, detail any) error {
	e := Entry{
		At: time.Now().UTC(), Actor: who.Actor, Tenant: tenant, Action: action,
		Target: target, Source: who.Source, RequestID: who.RequestID,
	}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("encoding audit detail: %w", err)
		}
		e.Detail = string(b)
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("writing audit entry %s: %w", action, err)
	}
	return nil
}

// Filter narrows a listing.
type Filter struct {
	Actor, Action, Tenant string
	Since, Until          time.Time
	// Scopes limits entries to the subtrees the reader may audit; Global
	// ("*") also shows deployment-wide entries, which have no tenant.
	Scopes        []string
	Offset, Limit int
}

// List returns a page of entries, newest first, with the total.
func List(db *gorm.DB, f Filter) ([]Entry, int64, error) {
	q := db.Model(&Entry{})
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".*") {
			q = q.Where("action LIKE ?", strings.TrimSuffix(f.Action, "*")+"%")
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if f.Tenant != "" {
		clause, args := tenancy.SubtreeClause("tenant", []string{f.Tenant})
		q = q.Where(clause, args...)
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since)
	}
	if !f.Until.IsZero() {
		q = q.Where("at < ?", f.Until)
	}
	clause, args := tenancy.SubtreeClause("tenant", f.Scopes)
	q = q.Where(clause, args...)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	items := []Entry{}
	err := q.Order("id DESC").Offset(f.Offset).Limit(f.Limit).Find(&items).Error
	return items, total, err
}
