package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Letters about life events follow the register (issue 11 item 6): a
// death letter (kematian) is made only for a resident the register records
// as deceased, and prints the recorded death's date, place and cause; a
// move letter (pindah) for a resident whose move out is recorded prints the
// recorded destination and date; a birth letter (kelahiran) naming a
// registered child by child_nik prints the child's name, sex, birth place
// and date from the register. A value the register holds is never taken
// from the requester: one typed that disagrees is set aside, and the
// request keeps a note of it (register.notes) for the clerk who decides.
// What the register does not hold (a cause of death not recorded, a
// resident imported as deceased without a recorded death, a child not yet
// registered) is typed as before, and required as the type says.

// Sources of a field's value in the register (FieldSpec.Register).
const (
	srcDeathDate       = "death.date"
	srcDeathPlace      = "death.place"
	srcDeathCause      = "death.cause"
	srcMoveDate        = "move_out.date"
	srcMoveDestination = "move_out.destination"
	srcChildName       = "child.name"
	srcChildSex        = "child.sex"
	srcChildBirthPlace = "child.birth_place"
	srcChildBirthDate  = "child.birth_date"
)

// lifeEvent is a recorded life event as population answers it
// (GET /residents/{id}/life-events, and /verify for a citizen).
type lifeEvent struct {
	Date        string `json:"date"`
	Place       string `json:"place,omitempty"`
	Cause       string `json:"cause,omitempty"`
	Destination string `json:"destination,omitempty"`
}

// childFacts is a registered child of the requester's family, as
// population answers it.
type childFacts struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Sex        string `json:"sex"`
	BirthPlace string `json:"birth_place,omitempty"`
	BirthDate  string `json:"birth_date"`
	BirthEvent bool   `json:"birth_event"`
}

// lifeEvents are what the register records of a resident's life: the
// latest birth, death and move out (nil when none is recorded), and the
// child asked for by child_nik (nil when not asked or not in the family).
type lifeEvents struct {
	Birth   *lifeEvent  `json:"birth"`
	Death   *lifeEvent  `json:"death"`
	MoveOut *lifeEvent  `json:"move_out"`
	Child   *childFacts `json:"child,omitempty"`
}

// fact is the register's value for a source, "" when it holds none.
func (ev *lifeEvents) fact(source string) string {
	switch {
	case ev.Death != nil && source == srcDeathDate:
		return ev.Death.Date
	case ev.Death != nil && source == srcDeathPlace:
		return ev.Death.Place
	case ev.Death != nil && source == srcDeathCause:
		return ev.Death.Cause
	case ev.MoveOut != nil && source == srcMoveDate:
		return ev.MoveOut.Date
	case ev.MoveOut != nil && source == srcMoveDestination:
		return ev.MoveOut.Destination
	case ev.Child != nil && source == srcChildName:
		return ev.Child.Name
	case ev.Child != nil && source == srcChildSex:
		return ev.Child.Sex
	case ev.Child != nil && source == srcChildBirthPlace:
		return ev.Child.BirthPlace
	case ev.Child != nil && source == srcChildBirthDate:
		return ev.Child.BirthDate
	}
	return ""
}

// registerUse is what a request took from the register: the fields whose
// values are the register's (an edit keeps them), and a note for each value
// the requester typed otherwise, which the letter does not print.
type registerUse struct {
	Fields []string `json:"fields"`
	Notes  []string `json:"notes,omitempty"`
}

// maxChildNIK bounds child_nik: a NIK is 16 digits, a temporary number of
// a resident not yet given one a little longer.
const maxChildNIK = 32

// checkChildNIK validates a submission's child_nik: only a kelahiran letter
// names a child, by the NIK (or temporary number) the register gave it.
func checkChildNIK(lt *LetterType, childNIK string) (string, error) {
	childNIK = strings.TrimSpace(childNIK)
	if childNIK == "" {
		return "", nil
	}
	if !slices.ContainsFunc(lt.Fields, func(f FieldSpec) bool { return strings.HasPrefix(f.Register, "child.") }) {
		return "", sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "child_nik is only for a letter about a child's birth (kelahiran), not %s", lt.Code)
	}
	if err := input.Name(childNIK, maxChildNIK); err != nil || strings.ContainsRune(childNIK, ' ') {
		return "", sdk.Errorf(http.StatusUnprocessableEntity, sdk.CodeInvalidField, "child_nik is the child's NIK as the register holds it: one word of at most %d characters", maxChildNIK)
	}
	return childNIK, nil
}

// needsRegister says whether a letter of type lt for r may take facts from
// the register: a death or a move out is recorded only for a resident who
// died or moved, and a child is asked for by child_nik.
func needsRegister(lt *LetterType, r *resident, childNIK string) bool {
	for _, f := range lt.Fields {
		switch {
		case strings.HasPrefix(f.Register, "death.") && r.Status == "deceased",
			strings.HasPrefix(f.Register, "move_out.") && r.Status == "moved",
			strings.HasPrefix(f.Register, "child.") && childNIK != "":
			return true
		}
	}
	return false
}

// lifeEventsOf asks population, on behalf of the operator, what the
// register records of r's life (and of the child with childNIK in r's
// family) when the letter may print it; an empty lifeEvents otherwise.
func lifeEventsOf(ctx context.Context, req *sdk.Request, lt *LetterType, r *resident, childNIK string) (*lifeEvents, error) {
	var ev lifeEvents
	if !needsRegister(lt, r, childNIK) {
		return &ev, nil
	}
	q := url.Values{}
	if childNIK != "" {
		q.Set("child_nik", childNIK)
	}
	pe, err := callPopulation(ctx, req, "GET", "/residents/"+url.PathEscape(r.ID)+"/life-events", q, nil, &ev)
	if err != nil {
		return nil, err
	}
	if pe != nil {
		return nil, pe.unavailable()
	}
	return &ev, nil
}

// applyRegister lays the register's facts over the fields of a letter of
// type lt: each field with a source the register holds takes its value,
// and a different typed value is set aside with a note. The fields left
// to type are then required as the type says. A child_nik that names no
// child of the family is 422 unknown_child: the letter would print data of
// someone else, or none.
func (lt *LetterType) applyRegister(fields map[string]string, ev *lifeEvents, childNIK string) (*registerUse, error) {
	if childNIK != "" && ev.Child == nil {
		return nil, sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownChild,
			"no resident with this child_nik is in the family of the resident named by nik in this village: leave child_nik out and type the child's data, or register the birth first")
	}
	use := &registerUse{Fields: []string{}}
	for _, f := range lt.Fields {
		v := ev.fact(f.Register)
		if f.Register == "" || v == "" {
			continue
		}
		if typed := fields[f.Name]; typed != "" && !sameValue(typed, v) {
			use.Notes = append(use.Notes, fmt.Sprintf("%s: typed %q, the register records %q; the letter prints the register's", f.Name, typed, v))
		}
		fields[f.Name] = v
		use.Fields = append(use.Fields, f.Name)
	}
	if err := lt.requireFields(fields, false); err != nil {
		return nil, err
	}
	if len(use.Fields) == 0 {
		return nil, nil
	}
	return use, nil
}

// keepRegister puts back, in an edit, the values a request took from the
// register: an edit does not retype them. A different typed value is set
// aside with a note, as at submission.
func (lt *LetterType) keepRegister(fields, stored map[string]string, use *registerUse) *registerUse {
	if use == nil {
		return nil
	}
	kept := &registerUse{Fields: use.Fields, Notes: slices.Clone(use.Notes)}
	for _, name := range use.Fields {
		if typed := fields[name]; typed != "" && !sameValue(typed, stored[name]) {
			kept.Notes = append(kept.Notes, fmt.Sprintf("%s: typed %q, the register records %q; the letter prints the register's", name, typed, stored[name]))
		}
		fields[name] = stored[name]
	}
	return kept
}

// sameValue says whether a typed value says what the register's does, up
// to case and spacing: "bangkinang " is Bangkinang, 2024-05-03 is not
// 2024-05-01.
func sameValue(typed, register string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(typed), " "), strings.Join(strings.Fields(register), " "))
}
