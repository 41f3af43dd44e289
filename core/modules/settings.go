package modules

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/balaidesa/balai/core/store"
	"github.com/balaidesa/balai/core/tenancy"
)

// PluginSettings are a plugin's settings for one tenant (letterhead,
// numbering template...), as a JSON object.
type PluginSettings struct {
	Plugin    string `gorm:"primaryKey;size:32"`
	Tenant    string `gorm:"primaryKey;size:13"`
	Values    string `gorm:"type:text;not null"`
	UpdatedAt time.Time
}

// TableName fixes the table name.
func (PluginSettings) TableName() string { return "plugin_settings" }

func settingsMigrations() []*store.Migration {
	type settings struct {
		Plugin    string `gorm:"primaryKey;size:32"`
		Tenant    string `gorm:"primaryKey;size:13"`
		Values    string `gorm:"type:text;not null"`
		UpdatedAt time.Time
	}
	return []*store.Migration{{
		ID: "202611250210_plugin_settings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Table("plugin_settings").AutoMigrate(&settings{})
		},
	}}
}

// GetSettings returns the settings of the nearest tenant at or above tenant
// that has some, or nil.
func GetSettings(db *gorm.DB, plugin, tenant string) ([]byte, error) {
	codes := append([]string{tenant}, tenancy.Ancestors(tenant)...)
	var rows []PluginSettings
	if err := db.Where("plugin = ? AND tenant IN ?", plugin, codes).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, c := range codes {
		for _, r := range rows {
			if r.Tenant == c {
				return []byte(r.Values), nil
			}
		}
	}
	return nil, nil
}

// PutSettings stores a tenant's settings for a plugin.
func PutSettings(db *gorm.DB, plugin, tenant string, values []byte) error {
	s := PluginSettings{Plugin: plugin, Tenant: tenant, Values: string(values), UpdatedAt: time.Now().UTC()}
	return db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "plugin"}, {Name: "tenant"}},
		DoUpdates: clause.AssignmentColumns([]string{"values", "updated_at"}),
	}).Create(&s).Error
}
