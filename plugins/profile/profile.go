package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// stored is a village's record as the collection holds it.
type stored struct {
	Slot       string      `json:"slot"`
	Head       string      `json:"head,omitempty"`
	Address    string      `json:"address,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	Email      string      `json:"email,omitempty"`
	Website    string      `json:"website,omitempty"`
	AreaKm2    *float64    `json:"area_km2,omitempty"`
	Boundaries *Boundaries `json:"boundaries,omitempty"`
	Latitude   *float64    `json:"latitude,omitempty"`
	Longitude  *float64    `json:"longitude,omitempty"`
	Vision     string      `json:"vision,omitempty"`
	Mission    []string    `json:"mission,omitempty"`
	Officials  []Official  `json:"officials,omitempty"`
	Potential  []string    `json:"potential,omitempty"`
	Edition    int64       `json:"edition,omitempty"`
	EditedAt   *time.Time  `json:"edited_at,omitempty"`
	Population int64       `json:"population,omitempty"`
	CountedAt  *time.Time  `json:"counted_at,omitempty"`
}

// profile returns the editable part, lists never null.
func (s *stored) profile() Profile {
	p := Profile{
		Head: s.Head, Address: s.Address, AreaKm2: s.AreaKm2,
		Contact: Contact{Phone: s.Phone, Email: s.Email, Website: s.Website},
		Vision:  s.Vision, Mission: s.Mission, Officials: s.Officials, Potential: s.Potential,
	}
	if s.Boundaries != nil {
		p.Boundaries = *s.Boundaries
	}
	if s.Latitude != nil && s.Longitude != nil {
		p.Coordinates = &Coordinates{Latitude: s.Latitude, Longitude: s.Longitude}
	}
	if p.Mission == nil {
		p.Mission = []string{}
	}
	if p.Officials == nil {
		p.Officials = []Official{}
	}
	if p.Potential == nil {
		p.Potential = []string{}
	}
	return p
}

// fields is the write of an edited profile: every editable field, empty
// ones as null, so that PUT replaces the whole profile.
func (p *Profile) fields() map[string]any {
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	m := map[string]any{
		"head": orNull(p.Head), "address": orNull(p.Address), "vision": orNull(p.Vision),
		"phone": orNull(p.Contact.Phone), "email": orNull(p.Contact.Email), "website": orNull(p.Contact.Website),
		"area_km2": p.AreaKm2, "boundaries": nil, "latitude": nil, "longitude": nil,
		"mission": nil, "officials": nil, "potential": nil,
	}
	if p.Boundaries != (Boundaries{}) {
		m["boundaries"] = p.Boundaries
	}
	if c := p.Coordinates; c != nil {
		m["latitude"], m["longitude"] = c.Latitude, c.Longitude
	}
	if len(p.Mission) > 0 {
		m["mission"] = p.Mission
	}
	if len(p.Officials) > 0 {
		m["officials"] = p.Officials
	}
	if len(p.Potential) > 0 {
		m["potential"] = p.Potential
	}
	return m
}

// load reads the village's record; rec is nil when there is none yet.
func load(ctx context.Context, req *sdk.Request) (*sdk.Record, *stored, error) {
	rec, err := req.Records(collection).GetBy(ctx, "slot", slotValue)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, &stored{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var s stored
	if err := rec.Decode(&s); err != nil {
		return nil, nil, err
	}
	return rec, &s, nil
}

// Region is a tenant above the village, by code and name.
type Region struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// View is what GET answers: identity from the tenant tree, the edited
// profile, and the population count.
type View struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Level       sdk.Level `json:"level"`
	SubDistrict *Region   `json:"sub_district"`
	Regency     *Region   `json:"regency"`
	Province    *Region   `json:"province"`
	Profile
	// Population is the number of living residents the population module
	// counted at PopulationCountedAt; 0 and null until it was counted.
	Population          int64      `json:"population"`
	PopulationCountedAt *time.Time `json:"population_counted_at"`
	// Version is the profile's edition, to send back with PUT; 0 until
	// the profile is first saved.
	Version   int64      `json:"version"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func view(self sdk.Tenant, ancestors []sdk.Tenant, s *stored) View {
	v := View{
		Code: self.Code, Name: self.Name, Level: self.Level, Profile: s.profile(),
		Population: s.Population, PopulationCountedAt: s.CountedAt, Version: s.Edition, UpdatedAt: s.EditedAt,
	}
	for _, a := range ancestors {
		r := &Region{Code: a.Code, Name: a.Name}
		switch a.Level {
		case sdk.District:
			v.SubDistrict = r
		case sdk.Regency:
			v.Regency = r
		case sdk.Province:
			v.Province = r
		}
	}
	return v
}

func notVillage(req *sdk.Request) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
		"%s is a %s: a profile belongs to a village; GET /api/v1/t/%s/profile/villages lists the villages below it", req.Tenant, req.Level, req.Tenant)
}

// getProfile answers GET /: public, one call for the names, one storage
// read, and a recount only the first time (see count.go).
func getProfile(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, notVillage(req)
	}
	ctx := r.Context()
	self, ancestors, err := req.TenantInfo(ctx)
	if err != nil {
		return 0, nil, err
	}
	rec, s, err := load(ctx, req)
	if err != nil {
		return 0, nil, err
	}
	if s.CountedAt == nil {
		// Never counted: the module was enabled after residents were
		// registered, and no population event came since. One try, no
		// retries on a public read; the next event counts again anyway.
		counted, err := recountOnce(ctx, req, rec, s)
		if counted != nil {
			s = counted
		}
		if err != nil && !errors.Is(err, errRace) && !isNoPopulation(err) {
			sdk.Logf(ctx, "warn", "counting the population of %s: %v", req.Tenant, err)
		}
	}
	return http.StatusOK, view(self, ancestors, s), nil
}

// maxWriteAttempts bounds the retries when a recount and an edit touch the
// record at the same moment.
const maxWriteAttempts = 5

// putProfile answers PUT /: the whole editable profile, with the version
// (edition) it was read at. A clerk whose version is stale gets 409 and
// nothing changes; a recount that touched the record meanwhile is not a
// conflict (it does not change the edition), the write is simply retried.
func putProfile(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, notVillage(req)
	}
	var body putBody
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	return saveProfile(r, body)
}

// saveProfile checks and stores body: PUT / and the console's profile form.
func saveProfile(r *http.Request, body putBody) (int, any, error) {
	req := sdk.From(r)
	if req.Level != sdk.Village {
		return 0, nil, notVillage(req)
	}
	if err := body.validate(); err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	self, ancestors, err := req.TenantInfo(ctx)
	if err != nil {
		return 0, nil, err
	}
	for range maxWriteAttempts {
		rec, s, err := load(ctx, req)
		if err != nil {
			return 0, nil, err
		}
		if *body.Version != s.Edition {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeVersionConflict,
				"the profile is at version %d, not %d: someone saved it meanwhile; reload it, apply your changes again and send version %d", s.Edition, *body.Version, s.Edition)
		}
		// The host's clock, as an instant in UTC: the page shows it in
		// the reader's zone.
		w := body.Profile.fields()
		w["edition"], w["edited_at"] = s.Edition+1, req.Now().UTC()
		b := req.Batch()
		var written *sdk.Written
		if rec == nil {
			w["slot"] = slotValue
			written = b.Insert(collection, w)
		} else {
			written = b.Update(collection, rec.ID, rec.Version, w)
		}
		b.Audit("update", req.Tenant, map[string]int64{"version": s.Edition + 1})
		err = b.Commit(ctx)
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
			continue // a recount (or a first write) got there first: read again
		}
		if err != nil {
			return 0, nil, err
		}
		var saved stored
		if err := written.Record.Decode(&saved); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, view(self, ancestors, &saved), nil
	}
	return 0, nil, sdk.Errorf(http.StatusConflict, codeBusy, "the profile kept changing while it was saved: try again")
}
