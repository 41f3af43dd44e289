package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // letters are dated in the village's time zone, whatever the server has installed

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Signatory is who signs the letters.
type Signatory struct {
	Title string `json:"title,omitempty"` // Kepala Desa Kumantan
	Name  string `json:"name,omitempty"`
	NIP   string `json:"nip,omitempty"`
}

// Settings are a tenant's letter settings. The host hands a tenant its
// settings inherited by top-level key, each value whole from the nearest
// tenant that set it (a signatory, the emblem and types are never mixed
// from two tenants), so a regency sets the defaults of all its villages;
// a tenant that saves its own starts from what it inherits and keeps as
// its own the keys it set (see putSettings).
type Settings struct {
	// Letterhead replaces the lines derived from the region names.
	Letterhead     []string  `json:"letterhead,omitempty"`
	Address        string    `json:"address,omitempty"`
	Signatory      Signatory `json:"signatory,omitzero"`
	Place          string    `json:"place,omitempty"`
	NumberTemplate string    `json:"number_template,omitempty"`
	// Timezone, an IANA name, dates the tenant's letters in another zone
	// than its own (the host's, by its province: WIB, WITA or WIT).
	Timezone string `json:"timezone,omitempty"`
	// PublicBaseURL is where citizens reach this portal, for the QR code
	// of letters; without it the address the approver used is taken.
	PublicBaseURL string              `json:"public_base_url,omitempty"`
	Types         map[string]Template `json:"types,omitempty"`
	// FourEyes (prinsip empat mata) requires a second person to approve:
	// whoever submitted a request, or last edited it, may not approve it
	// (403 four_eyes_required). Off by default, for a village with one
	// clerk; a regency that turns it on turns it on for every village
	// that follows its settings. Issuing an approved letter stays open to
	// anyone with services.requests.write, the approver included: two
	// people have then seen every letter before it is numbered.
	FourEyes bool `json:"four_eyes,omitempty"`
	// Paper is the sheet letters print on: "F4" (folio, 215 x 330 mm, the
	// default: what most village offices use) or "A4" (210 x 297 mm).
	Paper string `json:"paper,omitempty"`
	// TargetDays is the service standard of a letter: the working days
	// (Monday to Friday) from a request's submission to the letter's
	// issue, 1 to 30; 0 (unset) is DefaultTargetDays. The regency sets it
	// and its villages inherit it, like every setting here; GET
	// /performance measures the letters issued within it.
	TargetDays int `json:"target_days,omitempty"`
	// Emblem is drawn beside the letterhead text (emblem.go); set and
	// removed with PUT and DELETE /settings/emblem only.
	Emblem *Emblem `json:"emblem,omitempty"`
}

var hostRE = regexp.MustCompile(`^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// validate checks settings as a whole, naming the first thing wrong.
func (s *Settings) validate() error {
	bad := func(format string, args ...any) error {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, format, args...)
	}
	if len(s.Letterhead) > 5 {
		return bad("letterhead has at most 5 lines")
	}
	// Every text here is printed on the letters, each as one line: the
	// shared rules of sdk/input for names (no control characters, no
	// invisible or bidirectional formatting).
	for i, l := range s.Letterhead {
		if err := input.Name(l, 100); err != nil {
			return bad("letterhead line %d %v", i+1, err)
		}
	}
	for _, f := range []struct{ name, v string }{{"address", s.Address}, {"place", s.Place}, {"signatory.title", s.Signatory.Title},
		{"signatory.name", s.Signatory.Name}, {"signatory.nip", s.Signatory.NIP}} {
		if err := input.Name(f.v, 200); err != nil {
			return bad("%s %v", f.name, err)
		}
	}
	for _, f := range []struct{ name, v string }{{"number_template", s.NumberTemplate}, {"timezone", s.Timezone}, {"public_base_url", s.PublicBaseURL}} {
		if err := input.Name(f.v, 0); err != nil {
			return bad("%s %v", f.name, err)
		}
	}
	if e := s.Emblem; e != nil && (len(e.Data) == 0 || (e.ContentType != "image/png" && e.ContentType != "image/jpeg")) {
		return bad("emblem: upload it with PUT /settings/emblem")
	}
	if s.TargetDays < 0 || s.TargetDays > maxTargetDays {
		return sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidTargetDays, "target_days must be 1 to %d working days (leave it out for the default, %d)", maxTargetDays, DefaultTargetDays)
	}
	if _, ok := papers[s.Paper]; s.Paper != "" && !ok {
		return bad("paper %q: want F4 (folio, 215 x 330 mm) or A4", s.Paper)
	}
	if s.NumberTemplate != "" {
		if err := checkNumberTemplate(s.NumberTemplate); err != nil {
			return bad("number_template: %v", err)
		}
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "Local" {
			return bad("timezone %q is not a time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura", s.Timezone)
		}
	}
	if s.PublicBaseURL != "" {
		u, err := url.Parse(s.PublicBaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !hostRE.MatchString(u.Host) || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return bad("public_base_url must be an http(s) address such as https://portal.kamparkab.go.id")
		}
		s.PublicBaseURL = strings.TrimRight(s.PublicBaseURL, "/")
	}
	for code, t := range s.Types {
		lt, ok := letterType(code)
		if !ok {
			return bad("types: there is no letter type %q", code)
		}
		if err := lt.checkTemplate(t); err != nil {
			return bad("types.%s.%v", code, err)
		}
	}
	return nil
}

// patched returns s with the merge patch applied, checked.
func (s Settings) patched(patch []byte) (Settings, error) {
	// Numbers stay as written (UseNumber), so that one no float64 holds
	// (1e400) reaches the target_days check below instead of failing here
	// as malformed: it is a target out of range like 31.
	var p any
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return s, sdk.Errorf(http.StatusBadRequest, sdk.CodeMalformedJSON, "the body is not valid JSON: %v", err)
	}
	pm, ok := p.(map[string]any)
	if !ok {
		return s, sdk.Errorf(http.StatusBadRequest, sdk.CodeMalformedJSON, "the body must be a JSON object")
	}
	// The emblem is an image, checked and stored by PUT /settings/emblem;
	// a patch may only remove it (null).
	if e, ok := pm["emblem"]; ok && e != nil {
		return s, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, "emblem is uploaded with PUT /settings/emblem (null removes it)")
	}
	// 0 would read as "unset" once saved: a client that sends it means
	// something else than the default, so it is refused like 31.
	if t, ok := pm["target_days"]; ok && t != nil {
		num, isNum := t.(json.Number)
		n, err := strconv.ParseFloat(string(num), 64)
		if !isNum || err != nil || n < 1 || n > maxTargetDays || n != math.Trunc(n) {
			return s, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidTargetDays, "target_days must be a whole number of working days from 1 to %d (null for the default, %d)", maxTargetDays, DefaultTargetDays)
		}
		pm["target_days"] = int(n) // 2.0 is 2 for the typed decode below
	}
	cur, err := json.Marshal(s)
	if err != nil {
		return s, err
	}
	var target any
	if err := json.Unmarshal(cur, &target); err != nil {
		return s, err
	}
	merged, err := json.Marshal(input.MergePatch(target, p))
	if err != nil {
		return s, err
	}
	// Strictly, so that a key differing from a setting's name only in case
	// is refused instead of folded onto it.
	var out Settings
	if err := sdk.Unmarshal(merged, &out); err != nil {
		return s, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidSettings, "the settings do not fit: %v", err)
	}
	return out, out.validate()
}

// region names the tenant and the regions above it.
type region struct {
	Code     string `json:"code"`
	Level    string `json:"level"`
	Province string `json:"province,omitempty"`
	Regency  string `json:"regency,omitempty"`
	District string `json:"district,omitempty"`
	Village  string `json:"village,omitempty"`
	// Kind is Desa or Kelurahan: Kemendagri numbers kelurahan 1xxx and
	// desa 2xxx.
	Kind string `json:"village_kind,omitempty"`
}

func regionOf(self sdk.Tenant, ancestors []sdk.Tenant) region {
	rg := region{Code: self.Code, Level: string(self.Level)}
	for _, t := range append(append([]sdk.Tenant{}, ancestors...), self) {
		switch t.Level {
		case sdk.Province:
			rg.Province = t.Name
		case sdk.Regency:
			rg.Regency = t.Name
		case sdk.District:
			rg.District = t.Name
		case sdk.Village:
			rg.Village = t.Name
		}
	}
	if self.Level == sdk.Village {
		rg.Kind = "Desa"
		if i := strings.LastIndexByte(self.Code, '.'); i >= 0 && strings.HasPrefix(self.Code[i+1:], "1") {
			rg.Kind = "Kelurahan"
		}
	}
	return rg
}

// zoneNames are the IANA names of the zones the host gives a tenant
// (sdk.Request.Location, named WIB, WITA and WIT), as the settings take
// them: what GET /settings resolves "timezone" to can be saved back.
var zoneNames = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

// zoneName is loc's IANA name.
func zoneName(loc *time.Location) string {
	if n, ok := zoneNames[loc.String()]; ok {
		return n
	}
	return loc.String()
}

// resolved is what a letter of this tenant is printed with: the settings
// with every default filled in.
type resolved struct {
	Region         region    `json:"region"`
	Letterhead     []string  `json:"letterhead"`
	Address        string    `json:"address,omitempty"`
	Signatory      Signatory `json:"signatory"`
	Place          string    `json:"place"`
	NumberTemplate string    `json:"number_template"`
	Timezone       string    `json:"timezone"`
	PublicBaseURL  string    `json:"public_base_url,omitempty"`
	FourEyes       bool      `json:"four_eyes"`
	Paper          string    `json:"paper"`
	TargetDays     int       `json:"target_days"`
	// Emblem describes the emblem the letters print, with the address of
	// its image; none when the tenant has none.
	Emblem *emblemView `json:"emblem,omitempty"`
	emblem *Emblem
	loc    *time.Location
}

// resolve fills in the defaults of s for the tenant of region rg, whose
// own zone (by its province) is zone.
func resolve(s *Settings, rg region, zone *time.Location) resolved {
	r := resolved{Region: rg, Letterhead: s.Letterhead, Address: s.Address, Signatory: s.Signatory, Place: s.Place,
		NumberTemplate: s.NumberTemplate, Timezone: s.Timezone, PublicBaseURL: s.PublicBaseURL, FourEyes: s.FourEyes, Paper: s.Paper}
	if r.Paper == "" {
		r.Paper = DefaultPaper
	}
	r.TargetDays = s.TargetDays
	if r.TargetDays == 0 {
		r.TargetDays = DefaultTargetDays
	}
	if s.Emblem != nil && len(s.Emblem.Data) > 0 {
		r.emblem, r.Emblem = s.Emblem, s.Emblem.view(rg.Code)
	}
	if len(r.Letterhead) == 0 {
		if rg.Regency != "" {
			r.Letterhead = append(r.Letterhead, "PEMERINTAH "+strings.ToUpper(rg.Regency))
		}
		if rg.District != "" {
			r.Letterhead = append(r.Letterhead, "KECAMATAN "+strings.ToUpper(rg.District))
		}
		if rg.Village != "" {
			r.Letterhead = append(r.Letterhead, strings.ToUpper(rg.Kind+" "+rg.Village))
		}
	}
	if r.Signatory.Title == "" {
		switch {
		case rg.Village != "" && rg.Kind == "Kelurahan":
			r.Signatory.Title = "Lurah " + rg.Village
		case rg.Village != "":
			r.Signatory.Title = "Kepala Desa " + rg.Village
		case rg.District != "":
			r.Signatory.Title = "Camat " + rg.District
		}
	}
	if r.Place == "" {
		r.Place = rg.Village
		if r.Place == "" {
			r.Place = rg.District
		}
	}
	if r.NumberTemplate == "" {
		r.NumberTemplate = DefaultNumberTemplate
	}
	r.loc = zone
	if r.Timezone != "" {
		// Checked when saved; a zone gone from the tz database since then
		// falls back to the tenant's own.
		if loc, err := time.LoadLocation(r.Timezone); err == nil {
			r.loc = loc
		}
	}
	r.Timezone = zoneName(r.loc)
	return r
}

// loadSettings reads the tenant's (inherited) settings and resolves them
// against its region.
func loadSettings(ctx context.Context, req *sdk.Request) (Settings, resolved, error) {
	var s Settings
	if err := req.Settings(ctx, &s); err != nil {
		return s, resolved{}, err
	}
	self, ancestors, err := req.TenantInfo(ctx)
	if err != nil {
		return s, resolved{}, err
	}
	return s, resolve(&s, regionOf(self, ancestors), req.Location()), nil
}

// baseURL is where the verification link of a letter points: the
// deployment's configured public address (balai serve --public-url), which
// no tenant setting may override (a village admin would otherwise point
// every letter's QR code at a host of its choosing); else the setting; else
// the address the caller reached the portal on (the host passes it as
// X-Forwarded-Host and -Proto, keeping a proxy's own).
func baseURL(r *http.Request, res *resolved) string {
	if u := sdk.PublicURL(r); u != "" {
		return u
	}
	if res.PublicBaseURL != "" {
		return res.PublicBaseURL
	}
	first := func(v string) string { return strings.TrimSpace(strings.Split(v, ",")[0]) }
	host, proto := first(r.Header.Get("X-Forwarded-Host")), first(r.Header.Get("X-Forwarded-Proto"))
	if !hostRE.MatchString(host) || (proto != "http" && proto != "https") {
		return ""
	}
	return proto + "://" + host
}

type settingsView struct {
	Tenant   string   `json:"tenant"`
	Settings Settings `json:"settings"`
	Resolved resolved `json:"resolved"`
}

// newSettingsView is the answer of the settings routes: the emblem's
// image is left out of it (GET /settings/emblem serves it).
func newSettingsView(tenant string, s Settings, res resolved) settingsView {
	if s.Emblem != nil {
		e := *s.Emblem
		e.Data = nil
		s.Emblem = &e
	}
	return settingsView{Tenant: tenant, Settings: s, Resolved: res}
}

func getSettings(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	s, res, err := loadSettings(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newSettingsView(req.Tenant, s, res), nil
}

// putSettings applies a JSON merge patch to the settings this tenant has
// (its own, or inherited) and saves the result as this tenant's own: a
// village that sets only its signatory keeps the regency's wording. The
// host keeps, whole, the top-level keys that differ from the inherited
// settings (or that the tenant set before), so the tenant goes on
// following later changes above it of everything else. A patch of an
// object merges into the object the tenant has, an inherited one
// included, and the result is the tenant's own whole: a field of the
// regency's signatory it did not null (its NIP) is copied with it.
func putSettings(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var patch json.RawMessage
	if err := sdk.Bind(r, &patch); err != nil {
		return 0, nil, err
	}
	s, _, err := loadSettings(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	next, err := s.patched(patch)
	if err != nil {
		return 0, nil, err
	}
	// The service standard is what the evaluation module times every
	// village against: a village (or district) that could lengthen its own
	// would re-score its past letters as on time. It is set at the regency
	// or province; below, a patch may only repeat the value in force.
	if (req.Level == sdk.Village || req.Level == sdk.District) && next.TargetDays != s.TargetDays {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeTargetDaysAtRegency,
			"target_days is the regency's service standard: set it at /api/v1/t/{regency}/services/settings (in force here: %d working days)", effectiveTargetDays(s))
	}
	return saveSettings(r, next, fmt.Sprintf("keys: %s", topKeys(patch)))
}

func topKeys(patch []byte) string {
	var m map[string]json.RawMessage
	json.Unmarshal(patch, &m)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return strings.Join(keys, ",")
}

// saveSettings stores the settings, then audits the change. Settings live
// outside the plugin's records, so the two cannot share a batch; an entry
// that fails after the save is reported as an error for the caller to see.
func saveSettings(r *http.Request, s Settings, what string) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if err := req.SaveSettings(ctx, s); err != nil {
		return 0, nil, err
	}
	if err := req.Batch().Audit("settings.updated", req.Tenant, map[string]string{"changed": what}).Commit(ctx); err != nil {
		return 0, nil, err
	}
	s, res, err := loadSettings(ctx, req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, newSettingsView(req.Tenant, s, res), nil
}

// putTemplate replaces this tenant's wording of one letter type; parts
// left empty print the default.
func putTemplate(r *http.Request) (int, any, error) {
	lt, ok := letterType(r.PathValue("code"))
	if !ok {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeUnknownType, "no letter type %q; see GET /letter-types", r.PathValue("code"))
	}
	var t Template
	if err := sdk.Bind(r, &t); err != nil {
		return 0, nil, err
	}
	s, _, err := loadSettings(r.Context(), sdk.From(r))
	if err != nil {
		return 0, nil, err
	}
	types := make(map[string]Template, len(s.Types)+1)
	for k, v := range s.Types {
		types[k] = v
	}
	if t == (Template{}) {
		delete(types, lt.Code)
	} else {
		types[lt.Code] = t
	}
	s.Types = types
	if err := s.validate(); err != nil {
		return 0, nil, err
	}
	if _, _, err := saveSettings(r, s, "types."+lt.Code); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, viewType(lt, &s), nil
}
