package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/balaidesa/balai/sdk"
)

// Letters about life events (issue 11 item 6) quote the register, not
// what the requester types: a death letter the recorded death's date,
// place and cause, a move letter the recorded destination and date, a
// birth letter the registered child's name, sex, birth place and date.
// This file answers those facts: GET /residents/{id}/life-events for the
// services module acting for an operator, and the /verify answer for a
// citizen who proved who they are (see verify.go).

// lifeEvent is one recorded life event as a letter quotes it: the date of
// the event (YYYY-MM-DD, the village's calendar as the clerk entered it)
// and the words the clerk recorded with it. Empty words were not recorded.
type lifeEvent struct {
	Date string `json:"date"`
	// Place is where a birth or a death happened.
	Place string `json:"place,omitempty"`
	// Cause is the cause of a death.
	Cause string `json:"cause,omitempty"`
	// Destination is where a resident moved out to (move_out's place).
	Destination string `json:"destination,omitempty"`
}

// lifeEvents are a resident's recorded birth, death and move out of the
// deployment, each the latest of its type in the resident's history; nil
// when none is recorded (a resident imported as deceased has no recorded
// death). Child is a registered child of the resident's family, when asked
// for by NIK.
type lifeEvents struct {
	Birth   *lifeEvent  `json:"birth"`
	Death   *lifeEvent  `json:"death"`
	MoveOut *lifeEvent  `json:"move_out"`
	Child   *childFacts `json:"child,omitempty"`
}

// childFacts is what a birth letter (kelahiran) prints of a child the
// register holds: the resident's name, sex (L or P), birth place and date
// (YYYY-MM-DD). BirthPlace is the resident's, or else the place recorded
// with the birth event. Registered is true when the child came into the
// register through a birth event (POST /events type birth).
type childFacts struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Sex        string `json:"sex"`
	BirthPlace string `json:"birth_place,omitempty"`
	BirthDate  string `json:"birth_date"`
	BirthEvent bool   `json:"birth_event"`
}

// readLifeEvents reads the recorded birth, death and move out of the
// resident with nik from the history of the request's tenant (a resident's
// history moves with them between villages).
func readLifeEvents(ctx context.Context, req *sdk.Request, nik string) (*lifeEvents, error) {
	recs, _, err := req.Records("history").Query().Where("nik", sdk.Eq, nik).
		OrderBy("date", true).OrderBy("created_at", true).Page(0, 500).Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading life events: %w", err)
	}
	var out lifeEvents
	for _, rec := range recs {
		var h historyEntry
		if err := json.Unmarshal(rec.Data, &h); err != nil {
			return nil, fmt.Errorf("decoding history entry %s: %w", rec.ID, err)
		}
		word := func(k string) string { s, _ := h.Detail[k].(string); return s }
		var slot **lifeEvent
		ev := &lifeEvent{Date: h.Date}
		switch h.Type {
		case EventBirth:
			slot, ev.Place = &out.Birth, word("place")
		case EventDeath:
			slot, ev.Place, ev.Cause = &out.Death, word("place"), word("cause")
		case EventMoveOut:
			slot, ev.Destination = &out.MoveOut, word("destination")
		default:
			continue
		}
		if *slot == nil { // newest first: the first of a type is the latest
			*slot = ev
		}
	}
	return &out, nil
}

// childOf finds the resident with childNIK in the family kk of the
// request's tenant, with the facts a birth letter prints; nil when no
// resident of the tenant has that NIK in that family.
func childOf(ctx context.Context, req *sdk.Request, kk, childNIK string) (*childFacts, error) {
	rec, err := req.Records("residents").Reveal("check that a child belongs to the family of a birth letter").GetBy(ctx, "nik", childNIK)
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the child: %w", err)
	}
	var c Resident
	if err := rec.Decode(&c); err != nil {
		return nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	if c.KK != kk {
		return nil, nil
	}
	facts := &childFacts{ID: rec.ID, Name: c.Name, Sex: c.Sex, BirthPlace: c.BirthPlace, BirthDate: c.BirthDate}
	ev, err := readLifeEvents(ctx, req, c.NIK)
	if err != nil {
		return nil, err
	}
	if ev.Birth != nil {
		facts.BirthEvent = true
		if facts.BirthPlace == "" {
			facts.BirthPlace = ev.Birth.Place
		}
	}
	return facts, nil
}

// getLifeEvents answers GET /residents/{id}/life-events: the resident's
// recorded birth, death and move out (lifeEvents), for letters about them.
// ?child_nik= adds the registered child with that NIK when the child is
// in the resident's family (same KK in this village): a lookup by a full
// NIK, so it needs population.residents.lookup or read_personal (403
// forbidden_filter otherwise). A caller who sees birth dates as years only
// (viewers) gets the birth event's year only, as GET /history shows it.
// Unknown resident: 404 resident_not_found.
func getLifeEvents(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	rec, err := req.Records("residents").Reveal("find the resident's life events by NIK").Get(ctx, r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeResidentNotFound, "no resident %s in %s", r.PathValue("id"), req.Tenant)
	}
	if err != nil {
		return 0, nil, err
	}
	var res Resident
	if err := rec.Decode(&res); err != nil {
		return 0, nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	ev, err := readLifeEvents(ctx, req, res.NIK)
	if err != nil {
		return 0, nil, err
	}
	seesDates := req.Can(permPersonal) || req.Can(permLookup)
	if ev.Birth != nil && !seesDates {
		ev.Birth.Date = ev.Birth.Date[:min(4, len(ev.Birth.Date))]
	}
	if child := strings.TrimSpace(r.URL.Query().Get("child_nik")); child != "" {
		if !seesDates {
			return 0, nil, sdk.Errorf(http.StatusForbidden, codeForbiddenFilter,
				"finding a child by child_nik needs %s or %s", permLookup, permPersonal)
		}
		if ev.Child, err = childOf(ctx, req, res.KK, child); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, ev, nil
}
