package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// defaultTargetDays is the response target when the regency has set none:
// 10 working days, two working weeks, shorter than the 14 working days
// within which public complaints are to be followed up under the national
// complaints system (SP4N-LAPOR!), so that a village answers before a
// complaint would go up. The regency sets its own.
const defaultTargetDays = 10

// Settings are the regency's rules for complaints, inherited by every
// district and village below it (the host hands a tenant the settings of
// the nearest tenant above that has some).
type Settings struct {
	// TargetDays is the response target in working days (1 to 60).
	TargetDays int `json:"target_days,omitempty" range:"invalid_settings"`
	// Holidays are the public holidays and collective leave days that are
	// not working days; nil is the shipped list (defaultHolidays).
	Holidays []Holiday `json:"holidays"`
}

// settingsView is GET /settings: the settings in effect, with where they
// come from.
type settingsView struct {
	TargetDays int       `json:"target_days"`
	Holidays   []Holiday `json:"holidays"`
	// DefaultHolidays is true while the shipped list is in effect.
	DefaultHolidays bool `json:"default_holidays"`
}

// effective reads the settings in effect for the request's tenant.
func effective(r *http.Request) (settingsView, calendar, error) {
	var s Settings
	if err := sdk.From(r).Settings(r.Context(), &s); err != nil {
		return settingsView{}, calendar{}, err
	}
	v := settingsView{TargetDays: s.TargetDays, Holidays: s.Holidays}
	if v.TargetDays == 0 {
		v.TargetDays = defaultTargetDays
	}
	if v.Holidays == nil {
		v.Holidays, v.DefaultHolidays = defaultHolidays, true
	}
	return v, newCalendar(v.Holidays), nil
}

func getSettings(r *http.Request) (int, any, error) {
	v, _, err := effective(r)
	return http.StatusOK, v, err
}

// putSettings stores the regency's target and holidays: 200 with the
// settings in effect; 422 not_a_regency below a regency, 422
// invalid_settings.
func putSettings(r *http.Request) (int, any, error) {
	var s Settings
	if err := sdk.Bind(r, &s); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	if req.Level != sdk.Regency {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotARegency,
			"the response target and the holidays are set by the regency for all its villages (%s is a %s)", req.Tenant, req.Level)
	}
	if err := s.validate(); err != nil {
		return 0, nil, err
	}
	b := req.Batch().Audit("settings.updated", req.Tenant, map[string]int{"target_days": s.TargetDays, "holidays": len(s.Holidays)})
	if err := req.SaveSettings(r.Context(), s); err != nil {
		return 0, nil, err
	}
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return getSettings(r)
}

// validate checks the settings and orders the holidays.
func (s *Settings) validate() error {
	bad := func(format string, args ...any) error {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, format, args...)
	}
	if s.TargetDays < 0 || s.TargetDays > 60 {
		return bad("target_days must be 1 to 60 working days")
	}
	if len(s.Holidays) > 400 {
		return bad("holidays holds at most 400 days")
	}
	seen := map[string]bool{}
	for i := range s.Holidays {
		h := &s.Holidays[i]
		if _, err := time.Parse(time.DateOnly, h.Date); err != nil {
			return bad("holidays[%d].date must be a date YYYY-MM-DD", i)
		}
		if seen[h.Date] {
			return bad("holidays: %s is listed twice", h.Date)
		}
		seen[h.Date] = true
		h.Name = strings.TrimSpace(h.Name)
		if h.Name == "" {
			return bad("holidays[%d].name is required", i)
		}
		if err := input.Name(h.Name, 100); err != nil {
			return bad("holidays[%d].name %v", i, err)
		}
	}
	if s.Holidays != nil {
		sortHolidays(s.Holidays)
	}
	return nil
}
