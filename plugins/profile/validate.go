package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Profile is the part of a village profile that its clerks edit: what PUT
// takes (with the version it read) and GET shows.
type Profile struct {
	Head        string       `json:"head"`
	Address     string       `json:"address"`
	Contact     Contact      `json:"contact"`
	AreaKm2     *float64     `json:"area_km2" range:"invalid_area_km2"`
	Boundaries  Boundaries   `json:"boundaries"`
	Coordinates *Coordinates `json:"coordinates"`
	Vision      string       `json:"vision"`
	Mission     []string     `json:"mission"`
	Officials   []Official   `json:"officials"`
	Potential   []string     `json:"potential"`
}

// Contact is how to reach the village office.
type Contact struct {
	Phone   string `json:"phone"`
	Email   string `json:"email"`
	Website string `json:"website"`
}

// Boundaries name what borders the village on each side (usually the
// neighbouring villages).
type Boundaries struct {
	North string `json:"north"`
	East  string `json:"east"`
	South string `json:"south"`
	West  string `json:"west"`
}

// Coordinates locate the village office, in WGS 84 degrees.
type Coordinates struct {
	Latitude  *float64 `json:"latitude" range:"invalid_coordinates_latitude"`
	Longitude *float64 `json:"longitude" range:"invalid_coordinates_longitude"`
}

// Official is one member of the village government.
type Official struct {
	Name     string `json:"name"`
	Position string `json:"position"`
}

// putBody is the body of PUT: the whole editable profile and the version
// it was read at.
type putBody struct {
	Version *int64 `json:"version" range:"invalid_version"`
	Profile
}

// Limits of the editable fields.
const (
	maxHead       = 100
	maxAddress    = 500
	maxPhone      = 25
	maxEmail      = 254
	maxWebsite    = 300
	maxAreaKm2    = 100_000 // the largest villages, in Papua, are a few thousand km²
	maxBoundary   = 200
	maxVision     = 2000
	maxMission    = 30
	maxMissionLen = 1000
	maxOfficials  = 100
	maxOfficial   = 100
	maxPotential  = 50
	maxPotLen     = 200
)

// fieldError is one problem with one field; Code names the field.
type fieldError struct {
	Code sdk.Code
	Msg  string
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]*[0-9]$`)

// text trims s and checks it with Balai's text rules (sdk/input): its
// length in characters, no control characters, no bidirectional overrides;
// multiline allows line breaks and tabs (and invisible joiners), a
// one-line name does not.
func text(s string, limit int, multiline bool) (string, string) {
	s = strings.TrimSpace(s)
	check := input.Name
	if multiline {
		check = input.Text
	}
	if err := check(s, limit); err != nil {
		return s, err.Error()
	}
	return s, ""
}

// normalize trims the profile's text in place and returns every problem,
// in field order. An empty result means the profile can be stored.
func (p *Profile) normalize() []fieldError {
	var errs []fieldError
	fail := func(code sdk.Code, format string, args ...any) {
		errs = append(errs, fieldError{code, fmt.Sprintf(format, args...)})
	}
	// str normalizes one text field; it reports whether the field is
	// non-empty and fine so far.
	str := func(dst *string, name string, code sdk.Code, limit int, multiline bool) bool {
		var problem string
		if *dst, problem = text(*dst, limit, multiline); problem != "" {
			fail(code, "%s %s", name, problem)
			return false
		}
		return *dst != ""
	}
	str(&p.Head, "head", codeInvalidHead, maxHead, false)
	str(&p.Address, "address", codeInvalidAddress, maxAddress, true)

	if str(&p.Contact.Phone, "contact.phone", codeInvalidContactPhone, maxPhone, false) {
		digits := 0
		for _, r := range p.Contact.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !phoneRE.MatchString(p.Contact.Phone) || digits < 6 || digits > 15 {
			fail(codeInvalidContactPhone, "contact.phone must be a telephone number such as +62 762 21234 or 0762-21234 (6 to 15 digits)")
		}
	}
	if str(&p.Contact.Email, "contact.email", codeInvalidContactEmail, maxEmail, false) {
		a, err := mail.ParseAddress(p.Contact.Email)
		if err != nil || a.Name != "" || a.Address != p.Contact.Email || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@")+1:], ".") {
			fail(codeInvalidContactEmail, "contact.email must be an e-mail address such as kantor@kumantan.desa.id")
		}
	}
	if str(&p.Contact.Website, "contact.website", codeInvalidContactWebsite, maxWebsite, false) {
		u, err := url.Parse(p.Contact.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || strings.ContainsAny(p.Contact.Website, " \t") {
			fail(codeInvalidContactWebsite, "contact.website must be an http or https address such as https://kumantan.desa.id")
		}
	}
	if a := p.AreaKm2; a != nil && (*a <= 0 || *a > maxAreaKm2) {
		fail(codeInvalidAreaKm2, "area_km2 must be a number of square kilometres above 0 and at most %d", maxAreaKm2)
	}
	str(&p.Boundaries.North, "boundaries.north", codeInvalidBoundaryNorth, maxBoundary, false)
	str(&p.Boundaries.East, "boundaries.east", codeInvalidBoundaryEast, maxBoundary, false)
	str(&p.Boundaries.South, "boundaries.south", codeInvalidBoundarySouth, maxBoundary, false)
	str(&p.Boundaries.West, "boundaries.west", codeInvalidBoundaryWest, maxBoundary, false)
	if c := p.Coordinates; c != nil {
		switch {
		case c.Latitude == nil && c.Longitude == nil:
			p.Coordinates = nil // {} means no coordinates, as null does
		case c.Latitude == nil || c.Longitude == nil:
			fail(codeInvalidCoordinates, "coordinates need both latitude and longitude, or neither")
		default:
			if *c.Latitude < -90 || *c.Latitude > 90 {
				fail(codeInvalidLatitude, "coordinates.latitude must be from -90 to 90 degrees (Indonesia lies between about -11 and 6)")
			}
			if *c.Longitude < -180 || *c.Longitude > 180 {
				fail(codeInvalidLongitude, "coordinates.longitude must be from -180 to 180 degrees (Indonesia lies between about 95 and 141)")
			}
		}
	}
	str(&p.Vision, "vision", codeInvalidVision, maxVision, true)
	p.Mission = list(p.Mission, "mission", codeInvalidMission, maxMission, maxMissionLen, true, fail)
	if len(p.Officials) > maxOfficials {
		fail(codeInvalidOfficials, "officials has %d entries, at most %d", len(p.Officials), maxOfficials)
	}
	for i := range p.Officials {
		o := &p.Officials[i]
		for _, f := range []struct {
			name string
			dst  *string
		}{{"name", &o.Name}, {"position", &o.Position}} {
			var problem string
			*f.dst, problem = text(*f.dst, maxOfficial, false)
			switch {
			case problem != "":
				fail(codeInvalidOfficials, "officials[%d].%s %s", i, f.name, problem)
			case *f.dst == "":
				fail(codeInvalidOfficials, "officials[%d].%s is required", i, f.name)
			}
		}
	}
	p.Potential = list(p.Potential, "potential", codeInvalidPotential, maxPotential, maxPotLen, false, fail)
	return errs
}

// list checks a list of texts: at most max entries, each non-empty.
func list(in []string, name string, code sdk.Code, max, limit int, multiline bool, fail func(code sdk.Code, format string, args ...any)) []string {
	if len(in) > max {
		fail(code, "%s has %d entries, at most %d", name, len(in), max)
	}
	for i := range in {
		var problem string
		if in[i], problem = text(in[i], limit, multiline); problem != "" {
			fail(code, "%s[%d] %s", name, i, problem)
		} else if in[i] == "" {
			fail(code, "%s[%d] is empty", name, i)
		}
	}
	return in
}

// validate checks a PUT body: the version it was read at and the profile.
func (b *putBody) validate() *sdk.Error {
	var errs []fieldError
	switch {
	case b.Version == nil:
		errs = append(errs, fieldError{codeVersionRequired, `version is required: send the version you read with GET (0 for a profile never edited), so that two clerks cannot overwrite each other unknowingly`})
	case *b.Version < 0:
		errs = append(errs, fieldError{codeInvalidVersion, "version cannot be negative"})
	}
	errs = append(errs, b.Profile.normalize()...)
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Msg
	}
	return sdk.Errorf(http.StatusUnprocessableEntity, errs[0].Code, "%s", strings.Join(msgs, "; "))
}

// decode reads a JSON body into v with sdk.Bind's strict rules; a value
// of the wrong type, or text holding a NUL, is 422 with the code naming the
// field (invalid_area_km2, invalid_officials), like the profile's other
// field errors. Other refusals keep Bind's codes (unknown_field,
// malformed_json: 400).
func decode(r *http.Request, v any) error {
	err := sdk.Bind(r, v)
	var e *sdk.Error
	if errors.As(err, &e) && e.Field != "" && (e.Code == sdk.CodeInvalidField || e.Code == sdk.CodeInvalidText) {
		return &sdk.Error{Status: http.StatusUnprocessableEntity, Code: fieldCode(e.Field), Message: e.Message, Field: e.Field}
	}
	return err
}

// fieldCode names the field of a type error: invalid_area_km2,
// invalid_contact_phone, invalid_officials (for officials[2].name).
func fieldCode(field string) sdk.Code {
	parts := strings.Split(field, ".")
	for i, p := range parts {
		parts[i], _, _ = strings.Cut(p, "[") // officials[2] is officials
	}
	if len(parts) > 1 {
		if c, ok := fieldCodes[parts[0]+"."+parts[1]]; ok {
			return c
		}
	}
	if c, ok := fieldCodes[parts[0]]; ok {
		return c
	}
	// Bind answers type errors only for fields of putBody, all listed.
	return sdk.CodeInvalid
}
