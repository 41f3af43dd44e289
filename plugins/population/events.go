package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// villageCode is the shape of a village's Kemendagri code: province,
// regency, sub-district, village (14.01.01.2009).
var villageCode = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$`)

// errChanged answers a life event on a resident changed since it was read.
var errChanged = sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the resident changed meanwhile: try again")

// Event types of POST /events.
const (
	EventBirth   = "birth"
	EventDeath   = "death"
	EventMoveOut = "move_out"
	EventMoveIn  = "move_in"
	EventMove    = "move" // between two villages of the deployment
)

// Published events, for other modules (the village profile keeps its
// population count from them).
var publishes = []string{
	"population.resident_registered", "population.resident_born", "population.resident_died",
	"population.resident_moved_out", "population.resident_moved_in", "population.resident_moved",
	"population.residents_imported",
	// A family's new head, a family split (pecah KK): see families.go.
	"population.family_head_changed", "population.family_split",
}

// eventRequest is the body of POST /events.
type eventRequest struct {
	Type       string    `json:"type"`
	Date       string    `json:"date"`
	ResidentID string    `json:"resident_id,omitempty"`
	Resident   *Resident `json:"resident,omitempty"`
	ToTenant   string    `json:"to_tenant,omitempty"`
	KK         string    `json:"kk,omitempty"`
	Place      string    `json:"place,omitempty"`
	Cause      string    `json:"cause,omitempty"`
	Origin     string    `json:"origin,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// historyEntry is one event in a resident's life, keyed by NIK so that it
// follows the resident from village to village.
type historyEntry struct {
	NIK    string         `json:"nik"`
	Type   string         `json:"type"`
	Date   string         `json:"date"`
	Actor  string         `json:"actor"`
	Detail map[string]any `json:"detail,omitempty"`
}

// eventPayload is what other modules receive; it holds no NIK.
type eventPayload struct {
	ResidentID string `json:"resident_id,omitempty"`
	Type       string `json:"type"`
	Date       string `json:"date"`
	Sex        string `json:"sex,omitempty"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
}

func postEvent(r *http.Request) (int, any, error) {
	var ev eventRequest
	if err := sdk.Bind(r, &ev); err != nil {
		return 0, nil, err
	}
	// The event's words go into the resident's history, which clerks read
	// and letters quote: one line each, the note free text, none with
	// control or bidirectional override characters.
	if err := checkTexts(
		textField{"place", codeInvalidPlace, &ev.Place, 200, input.Name},
		textField{"cause", codeInvalidCause, &ev.Cause, 200, input.Name},
		textField{"origin", codeInvalidOrigin, &ev.Origin, 200, input.Name},
		textField{"note", codeInvalidNote, &ev.Note, 1000, input.Text},
		textField{"resident_id", codeInvalidResidentID, &ev.ResidentID, 64, input.Name},
		textField{"to_tenant", codeInvalidDestination, &ev.ToTenant, 13, input.Name},
		textField{"kk", codeInvalidKK, &ev.KK, 16, input.Name}); err != nil {
		return 0, nil, err
	}
	// The village's date (sdk.Request.Today): at night a village in WIT
	// is already in the next day while the server's UTC clock is not.
	if err := eventDate(ev.Date, sdk.From(r).Today()); err != nil {
		return 0, nil, err
	}
	if (ev.Type == EventDeath || ev.Type == EventMoveOut || ev.Type == EventMove) && ev.ResidentID == "" {
		return 0, nil, invalid(codeInvalidResidentID, "a %s needs resident_id", ev.Type)
	}
	switch ev.Type {
	case EventBirth, EventMoveIn:
		return arrive(r, ev)
	case EventDeath, EventMoveOut:
		return leave(r, ev)
	case EventMove:
		return move(r, ev)
	}
	return 0, nil, invalid(codeInvalidType, "type must be birth, death, move_out, move_in or move")
}

func history(req *sdk.Request, nik, typ, date string, detail map[string]any) historyEntry {
	for k, v := range detail {
		if v == "" {
			delete(detail, k)
		}
	}
	return historyEntry{NIK: nik, Type: typ, Date: date, Actor: req.User, Detail: detail}
}

// arrive registers a newborn (into an existing family) or someone moving in.
func arrive(r *http.Request, ev eventRequest) (int, any, error) {
	req := sdk.From(r)
	if ev.Resident == nil {
		return 0, nil, invalid(codeInvalidResident, "a %s needs the resident's data in resident", ev.Type)
	}
	res := *ev.Resident
	res.Status = StatusAlive
	topic, detail := "population.resident_moved_in", map[string]any{"origin": ev.Origin, "note": ev.Note}
	if ev.Type == EventBirth {
		topic, detail = "population.resident_born", map[string]any{"place": ev.Place, "note": ev.Note}
		if res.BirthDate == "" {
			res.BirthDate = ev.Date
		}
		if res.Relationship == "" {
			res.Relationship = "4" // Anak
		}
		home, found, err := familyHome(r, res.KK)
		if err != nil {
			return 0, nil, err
		}
		if !found {
			return 0, nil, invalid(codeUnknownFamily, "a birth joins an existing family: no family %s in %s", Mask(res.KK), req.Tenant)
		}
		// A newborn lives where the family lives: what the birth leaves
		// empty comes from the family's records.
		if strings.TrimSpace(res.Address) == "" {
			res.Address = home.Address
		}
		if strings.TrimSpace(res.RT) == "" {
			res.RT = home.RT
		}
		if strings.TrimSpace(res.RW) == "" {
			res.RW = home.RW
		}
		if strings.TrimSpace(res.Dusun) == "" {
			res.Dusun = home.Dusun
		}
	}
	rec, err := register(r, &res, ev.Type, ev.Date, detail, topic, eventPayload{Type: ev.Type, Date: ev.Date, To: req.Tenant}, "residents."+ev.Type)
	if err != nil {
		return 0, nil, err
	}
	v, err := viewWritten(r, rec)
	return http.StatusCreated, v, err
}

// current loads an alive resident of this village for a life event,
// revealed (the host audits it with purpose): the event's history is keyed
// on the real NIK, whatever the caller may see. Only the record's id and
// version, and no revealed value, go back to the caller.
func current(r *http.Request, id, purpose string) (*sdk.Record, *Resident, error) {
	rec, err := sdk.From(r).Records("residents").Reveal(purpose).Get(r.Context(), id)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, sdk.Errorf(http.StatusNotFound, codeResidentNotFound, "no resident %s in %s", id, sdk.From(r).Tenant)
	}
	if err != nil {
		return nil, nil, err
	}
	var res Resident
	if err := rec.Decode(&res); err != nil {
		return nil, nil, err
	}
	if res.Status != StatusAlive {
		return nil, nil, sdk.Errorf(http.StatusConflict, codeNotAlive, "the resident's status is %s", res.Status)
	}
	return rec, &res, nil
}

// leave records a death or a move out of the deployment.
func leave(r *http.Request, ev eventRequest) (int, any, error) {
	req := sdk.From(r)
	rec, res, err := current(r, ev.ResidentID, "record a "+ev.Type+" in the resident's history")
	if err != nil {
		return 0, nil, err
	}
	status, topic := StatusDeceased, "population.resident_died"
	detail := map[string]any{"place": ev.Place, "cause": ev.Cause, "note": ev.Note}
	if ev.Type == EventMoveOut {
		status, topic = StatusMoved, "population.resident_moved_out"
		detail = map[string]any{"destination": ev.Place, "note": ev.Note}
	}
	// A head's death or departure is recorded all the same: the answer
	// warns that the family needs its new head (see families.go).
	warns, err := leavingHeadWarnings(r.Context(), req, rec.ID, res)
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	// No longer a living head: the family may register a new one.
	left := b.Update("residents", rec.ID, rec.Version, map[string]any{"status": status, "head_kk": nil})
	b.Insert("history", history(req, res.NIK, ev.Type, ev.Date, detail))
	recordVital(b, req, ev.Type, ev.Date, res, "") // the monthly report's line (reports.go)
	b.Publish(topic, eventPayload{ResidentID: rec.ID, Type: ev.Type, Date: ev.Date, Sex: res.Sex, From: req.Tenant}).
		Audit("residents."+ev.Type, rec.ID, nil)
	err = b.Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, errChanged
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := view(&left.Record, req)
	v.Warnings = warns
	return 200, v, err
}

// move takes a resident from this village to another village of the
// deployment in one transaction: the record, its history and the new
// history entry all move together, or nothing does.
func move(r *http.Request, ev eventRequest) (int, any, error) {
	req := sdk.From(r)
	to := strings.TrimSpace(ev.ToTenant)
	if to == "" || to == req.Tenant {
		return 0, nil, invalid(codeInvalidDestination, "to_tenant must be another village of the deployment")
	}
	// Residents live in villages: a sub-district or a regency has no
	// register of its own, and a resident moved there would vanish from
	// every village's list.
	if !villageCode.MatchString(to) {
		return 0, nil, invalid(codeInvalidDestination, "to_tenant %q is not a village code (like 14.01.01.2009): residents move between villages", to)
	}
	if ok, err := req.CanIn(r.Context(), to, permWrite); err != nil {
		return 0, nil, fmt.Errorf("checking the destination %s: %w", to, err)
	} else if !ok {
		return 0, nil, withID(sdk.Errorf(http.StatusForbidden, sdk.CodeForbidden, "you cannot register residents in %s", to),
			fmt.Sprintf("Anda tidak berhak mencatat penduduk di desa %s. Pilih \"pindah ke luar wilayah\": kedatangannya dicatat oleh petugas desa tujuan (atau oleh kecamatan).", to))
	}
	rec, res, err := current(r, ev.ResidentID, "move the resident and their history to another village")
	if err != nil {
		return 0, nil, err
	}
	patch := map[string]any{}
	if ev.KK != "" {
		if _, err := CheckKK(ev.KK); err != nil {
			return 0, nil, numberError(codeInvalidKK, err)
		}
		patch["kk"] = ev.KK
		if res.HeadKK != nil {
			patch["head_kk"] = ev.KK // heads the family under its new KK
		}
	}
	warns, err := leavingHeadWarnings(r.Context(), req, rec.ID, res)
	if err != nil {
		return 0, nil, err
	}
	past, _, err := req.Records("history").Query().Where("nik", sdk.Eq, res.NIK).Page(0, 1000).Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	moved := b.Move("residents", rec.ID, rec.Version, patch, to)
	for _, h := range past {
		b.Move("history", h.ID, h.Version, map[string]any{}, to)
	}
	b.InsertInto(to, "history", history(req, res.NIK, EventMove, ev.Date, map[string]any{"from": req.Tenant, "to": to, "note": ev.Note}))
	recordVital(b, req, EventMove, ev.Date, res, to) // a departure here, an arrival there (reports.go)
	b.Publish("population.resident_moved", eventPayload{ResidentID: rec.ID, Type: EventMove, Date: ev.Date, Sex: res.Sex, From: req.Tenant, To: to}).
		// The destination's subscribers (its village profile) hear of the
		// arrival in their own tenant.
		PublishIn(to, "population.resident_moved_in", eventPayload{ResidentID: rec.ID, Type: EventMove, Date: ev.Date, Sex: res.Sex, From: req.Tenant, To: to}).
		Audit("residents.moved", rec.ID, map[string]any{"from": req.Tenant, "to": to, "fields": slices.Sorted(maps.Keys(patch))})
	switch err := b.Commit(r.Context()); {
	case errors.Is(err, sdk.ErrForbidden):
		// The caller may write there (checked above): the host refuses a
		// village that does not exist or has no population module.
		return 0, nil, invalid(codeUnknownDestination, "%s is not a village of the deployment with the population module: %v", to, err)
	case errors.Is(err, sdk.ErrConflict):
		return 0, nil, errChanged
	case err != nil:
		if kk, ok := patch["kk"].(string); ok {
			res.KK = kk
		}
		return 0, nil, writeError(err, res)
	}
	v, err := view(&moved.Record, req)
	v.Warnings = warns
	return 200, v, err
}

// getHistory lists a resident's life events. History is keyed on the NIK,
// which a caller without read_personal reads masked: the resident is read
// revealed to find it, and the entries shown hold no NIK.
func getHistory(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, err := req.Records("residents").Reveal("find the resident's life events by NIK").Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	var res Resident
	if err := rec.Decode(&res); err != nil {
		return 0, nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	recs, total, err := req.Records("history").Query().Where("nik", sdk.Eq, res.NIK).OrderBy("date", false).OrderBy("created_at", false).Page(0, 500).WithTotal().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	type entry struct {
		Type   string         `json:"type"`
		Date   string         `json:"date"`
		Actor  string         `json:"actor"`
		Tenant string         `json:"tenant"`
		Detail map[string]any `json:"detail,omitempty"`
		At     time.Time      `json:"recorded_at"`
	}
	items := make([]entry, 0, len(recs))
	for _, h := range recs {
		var he historyEntry
		if err := json.Unmarshal(h.Data, &he); err != nil {
			return 0, nil, err
		}
		e := entry{Type: he.Type, Date: he.Date, Actor: he.Actor, Tenant: h.Tenant, Detail: he.Detail, At: h.CreatedAt}
		if !req.Can(permPersonal) {
			// A replaced NIK or temporary number is the resident's
			// number all the same: masked as the host masks a NIK.
			for _, k := range []string{"temporary_nik", "previous_nik"} {
				if n, ok := e.Detail[k].(string); ok {
					e.Detail[k] = Mask(n)
				}
			}
		}
		if he.Type == EventBirth && !req.Can(permPersonal) && !req.Can(permLookup) {
			// A birth's date is the birth date, which gives a masked NIK
			// back (see view): the year only, as the resident shows it.
			e.Date = he.Date[:min(4, len(he.Date))]
		}
		items = append(items, e)
	}
	return 200, sdk.ListOf[entry]{Items: items, Total: total}, nil
}

// address is where a family lives, as its KK prints it.
type address struct{ Address, RT, RW, Dusun string }

// familyHome is the address of the family kk in the tenant, from its
// records: the living head's, else the first living member's that has an
// address, else (a family whose head died and whose members were
// registered without one) the head's record of any status. found is
// false when no living member has the KK.
func familyHome(r *http.Request, kk string) (home address, found bool, err error) {
	req := sdk.From(r)
	recs, _, err := req.Records("residents").Query().Where("kk", sdk.Eq, kk).Page(0, 200).Run(r.Context())
	if err != nil {
		return address{}, false, fmt.Errorf("reading family %s: %w", Mask(kk), err)
	}
	var best, fallback *Resident
	for _, rec := range recs {
		var p Resident
		if err := rec.Decode(&p); err != nil {
			return address{}, false, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
		}
		has := p.Address != "" || p.RT != "" || p.RW != "" || p.Dusun != ""
		if p.Status == StatusAlive {
			found = true
		}
		switch {
		case !has:
		case p.Status == StatusAlive && p.Relationship == headOfFamily:
			best = &p
		case p.Status == StatusAlive && (best == nil || best.Relationship != headOfFamily):
			if best == nil {
				best = &p
			}
		case p.Relationship == headOfFamily && fallback == nil:
			fallback = &p
		}
	}
	if best == nil {
		best = fallback
	}
	if best != nil {
		home = address{best.Address, best.RT, best.RW, best.Dusun}
	}
	return home, found, nil
}
