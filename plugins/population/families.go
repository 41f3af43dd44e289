package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// The rules of a family (KK) hold on every write path: create, PATCH, every
// life event, import and the family routes below.
//
//   - Relationship and sex agree: a husband (SHDK code 2, Suami) is a man
//     (L) and a wife (3, Istri) a woman (P). The codes are SIAK's SHDK list
//     (status hubungan dalam keluarga, GET /codes), as OpenSID's SHDKEnum
//     numbers them; marriage is between a man and a woman as husband and
//     wife (UU 1/1974 art. 1).
//   - One living head (Kepala Keluarga, code 1) per KK: the unique index on
//     head_kk (see Resident.HeadKK) refuses a second one whichever path
//     writes it, even two at the same moment (409 duplicate_head).
//   - A family keeps its head: a PATCH that takes the headship away while
//     other members live in the family is refused (409
//     family_without_head). A death or a departure of the head cannot be
//     refused: it is recorded, and the answer warns family_without_head.
//
// A family that loses its head, or a member who starts a family of their
// own, gets a new KK under Perpres 96/2018 (Persyaratan dan Tata Cara
// Pendaftaran Penduduk dan Pencatatan Sipil), which issues a new KK for a
// new family, a change of the head of family (penggantian kepala
// keluarga) and a split (pisah KK), and Permendagri 108/2019, its
// implementing rules. Two routes record what Dukcapil issued:
// POST /families/{kk}/head names the new head of the same family (under a
// new card number when one was issued) and POST /families/{kk}/split moves
// members to a new KK with its own head. Each writes the residents, one
// history entry per member changed, an audit entry and an event, in one
// batch: all of it or nothing.

// SHDK codes the family rules name.
const (
	relHusband = "2" // Suami
	relWife    = "3" // Istri
)

// warnFamilyWithoutHead: a death or departure left living members in a
// family with no head (a warning of the answer, not stored).
const warnFamilyWithoutHead = "family_without_head"

// maxMembers bounds the members one family route moves.
const maxMembers = 100

// checkRelationshipSex refuses a husband who is not a man or a wife who is
// not a woman (422 relationship_sex_mismatch).
func checkRelationshipSex(rel, sex string) error {
	switch {
	case rel == relHusband && sex != "L":
		return invalid(codeRelationshipSex, "relationship 2 (Suami, husband) needs sex L")
	case rel == relWife && sex != "P":
		return invalid(codeRelationshipSex, "relationship 3 (Istri, wife) needs sex P")
	}
	return nil
}

// livingMembers returns the living members of family kk in the tenant:
// revealed with purpose when the plugin needs their real numbers, as the
// caller sees them when purpose is "".
func livingMembers(ctx context.Context, req *sdk.Request, kk, purpose string) ([]sdk.Record, error) {
	coll := req.Records("residents")
	if purpose != "" {
		coll = coll.Reveal(purpose)
	}
	recs, _, err := coll.Query().Where("kk", sdk.Eq, kk).Where("status", sdk.Eq, StatusAlive).Page(0, 500).Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading family %s: %w", Mask(kk), err)
	}
	return recs, nil
}

// othersAlive counts the living members of family kk other than the
// resident id.
func othersAlive(ctx context.Context, req *sdk.Request, kk, id string) (int64, error) {
	_, n, err := req.Records("residents").Query().Where("kk", sdk.Eq, kk).Where("status", sdk.Eq, StatusAlive).
		Where(sdk.FieldID, sdk.Ne, id).Page(0, 1).WithTotal().Run(ctx)
	if err != nil {
		return 0, fmt.Errorf("counting family %s: %w", Mask(kk), err)
	}
	return n, nil
}

// headlessWarning is the warning of an answer after the head of family kk
// died or left while others live in it.
func headlessWarning(kk string) Warning {
	return Warning{Code: warnFamilyWithoutHead, Message: fmt.Sprintf(
		"family %s has living members and no head now: record the new head with POST /families/{kk}/head, "+
			"or the new family card with POST /families/{kk}/split", Mask(kk))}
}

// leavingHeadWarnings are the warnings of a death or departure of res
// (id): family_without_head when res headed a family others still live in.
func leavingHeadWarnings(ctx context.Context, req *sdk.Request, id string, res *Resident) ([]Warning, error) {
	if res.HeadKK == nil {
		return nil, nil
	}
	n, err := othersAlive(ctx, req, res.KK, id)
	if err != nil || n == 0 {
		return nil, err
	}
	return []Warning{headlessWarning(res.KK)}, nil
}

// keepsHead refuses a write that takes the headship of a family away
// (relationship or KK changed) from its living head while others live in
// the family: 409 family_without_head, naming the routes that change a
// head.
func keepsHead(ctx context.Context, req *sdk.Request, id string, before, after *Resident) error {
	if before.HeadKK == nil || (after.HeadKK != nil && *after.HeadKK == *before.HeadKK) {
		return nil
	}
	n, err := othersAlive(ctx, req, before.KK, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return sdk.Errorf(http.StatusConflict, codeFamilyWithoutHead,
			"the resident heads family %s, where %d others live: a family keeps its head; name the new head with POST /families/{kk}/head, "+
				"or move members to a new KK with POST /families/{kk}/split", Mask(before.KK), n)
	}
	return nil
}

// eventDate checks the date of a life event or family change: YYYY-MM-DD,
// not after today in the village (422 invalid_date).
func eventDate(date, today string) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return invalid(codeInvalidDate, "date must be YYYY-MM-DD")
	}
	if date > today {
		return invalidID(codeInvalidDate, fmt.Sprintf("Tanggal %s belum lewat (hari ini %s di desa): peristiwa dicatat setelah terjadi.", date, today),
			"date %s is after today (%s) in the village", date, today)
	}
	return nil
}

// member is a living member of a family being changed: its record and its
// data as validated after the change.
type member struct {
	rec    sdk.Record
	before Resident
	after  Resident
	role   string // "head", "former_head", "member"
}

// familyMembers decodes recs by id.
func familyMembers(recs []sdk.Record) (map[string]*member, error) {
	out := make(map[string]*member, len(recs))
	for _, rec := range recs {
		m := &member{rec: rec, role: "member"}
		if err := rec.Decode(&m.before); err != nil {
			return nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
		}
		m.after = m.before
		out[rec.ID] = m
	}
	return out, nil
}

// writeMembers adds to b the update of every changed member, a former
// head first (so that its head_kk is cleared before the new head's is
// set), and one history entry each of type typ.
func writeMembers(req *sdk.Request, b *sdk.Batch, changed []*member, typ, date, note string) error {
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].role == "former_head" && changed[j].role != "former_head" })
	for _, m := range changed {
		write, err := changedFields(&m.after, []string{"kk", "relationship"})
		if err != nil {
			return err
		}
		b.Update("residents", m.rec.ID, m.rec.Version, write)
		b.Insert("history", history(req, m.after.NIK, typ, date, map[string]any{"role": m.role, "note": note}))
	}
	return nil
}

// commitFamily commits a family change and answers the family kk as the
// caller sees it.
func commitFamily(r *http.Request, b *sdk.Batch, kk string, status int) (int, any, error) {
	req := sdk.From(r)
	err := b.Commit(r.Context())
	switch {
	case errors.Is(err, sdk.ErrConflict):
		return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "a member of the family changed meanwhile: read the family again")
	case err != nil:
		var se *sdk.Error
		if errors.As(err, &se) && se.Code == sdk.CodeDuplicate && se.Field == "head_kk" {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeDuplicateHead, "family %s already has a head", Mask(kk))
		}
		return 0, nil, err
	}
	recs, err := livingMembers(r.Context(), req, kk, "")
	if err != nil {
		return 0, nil, err
	}
	v, err := familyView(req, kk, recs)
	return status, v, err
}

// familyView is a family as the caller sees it: the head first, then the
// others from the eldest; the KK masked unless the caller holds
// read_personal.
func familyView(req *sdk.Request, kk string, recs []sdk.Record) (map[string]any, error) {
	members := make([]residentView, 0, len(recs))
	for i := range recs {
		v, err := view(&recs[i], req)
		if err != nil {
			return nil, err
		}
		members = append(members, v)
	}
	sort.SliceStable(members, func(i, j int) bool {
		hi, hj := members[i].Relationship == headOfFamily, members[j].Relationship == headOfFamily
		if hi != hj {
			return hi
		}
		return members[i].BirthDate < members[j].BirthDate
	})
	shown := kk
	if !req.Can(permPersonal) {
		shown = Mask(kk)
	}
	return map[string]any{"kk": shown, "members": members, "total": len(members)}, nil
}

// headRequest is the body of POST /families/{kk}/head.
type headRequest struct {
	// HeadID is the living member who heads the family from Date.
	HeadID string `json:"head_id"`
	Date   string `json:"date"`
	// FormerHeadRelationship is the SHDK code the living former head takes
	// (required when the family has one; not 1).
	FormerHeadRelationship string `json:"former_head_relationship,omitempty"`
	// NewKK is the family's new card number, when Dukcapil issued one
	// with the change: every living member moves to it.
	NewKK string `json:"new_kk,omitempty"`
	Note  string `json:"note,omitempty"`
}

// changeHead records a new head of family kk: POST /families/{kk}/head
// {"head_id","date","former_head_relationship"?,"new_kk"?,"note"?} →
// 200 the family. Errors: 422 invalid_kk, invalid_head_id (not a living
// member, or the head already), invalid_date, invalid_note,
// invalid_relationship, relationship_sex_mismatch; 404 family_not_found;
// 409 duplicate_head (a living head and no former_head_relationship),

// bindFamilyChange decodes the body of a change to the family the path's
// {kk} names into body and checks the family's number and the body's
// texts (filled into body by Bind, hence checked after it): the shared
// opening of POST /families/{kk}/head and /split. It returns the KK.
func bindFamilyChange(r *http.Request, body any, texts ...textField) (string, error) {
	if err := sdk.Bind(r, body); err != nil {
		return "", err
	}
	kk := r.PathValue("kk")
	if _, err := CheckKK(kk); err != nil {
		return "", numberError(codeInvalidKK, err)
	}
	return kk, checkTexts(texts...)
}

// family_exists (new_kk is another family of the village), conflict.
func changeHead(r *http.Request) (int, any, error) {
	var body headRequest
	kk, err := bindFamilyChange(r, &body,
		textField{"head_id", codeInvalidHeadID, &body.HeadID, 64, input.Name},
		textField{"former_head_relationship", codeInvalidRelationship, &body.FormerHeadRelationship, 2, input.Name},
		textField{"new_kk", codeInvalidKK, &body.NewKK, 16, input.Name},
		textField{"note", codeInvalidNote, &body.Note, 1000, input.Text})
	if err != nil {
		return 0, nil, err
	}
	req, ctx := sdk.From(r), r.Context()
	if err := eventDate(body.Date, req.Today()); err != nil {
		return 0, nil, err
	}
	target := kk
	if body.NewKK != "" {
		if _, err := CheckKK(body.NewKK); err != nil {
			return 0, nil, invalid(codeInvalidKK, "new_kk: %s", err.Error())
		}
		if body.NewKK == kk {
			return 0, nil, invalid(codeInvalidKK, "new_kk is the family's card number already: leave it out")
		}
		target = body.NewKK
	}
	recs, err := livingMembers(ctx, req, kk, "record a new head of family in the members' history")
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeFamilyNotFound, "no family %s in %s", Mask(kk), req.Tenant)
	}
	if err := newFamilyFree(ctx, req, body.NewKK); err != nil {
		return 0, nil, err
	}
	members, err := familyMembers(recs)
	if err != nil {
		return 0, nil, err
	}
	head := members[body.HeadID]
	if head == nil {
		return 0, nil, invalid(codeInvalidHeadID, "head_id is not a living member of family %s", Mask(kk))
	}
	if head.before.HeadKK != nil {
		return 0, nil, invalid(codeInvalidHeadID, "head_id heads the family already")
	}
	today := req.Today()
	var changed []*member
	for _, m := range members {
		m.after.KK = target
		switch {
		case m == head:
			m.role, m.after.Relationship = "head", headOfFamily
		case m.before.HeadKK != nil:
			if body.FormerHeadRelationship == "" {
				return 0, nil, sdk.Errorf(http.StatusConflict, codeDuplicateHead,
					"family %s has a living head: give former_head_relationship, the relationship code the former head takes", Mask(kk))
			}
			if body.FormerHeadRelationship == headOfFamily {
				return 0, nil, invalid(codeInvalidRelationship, "former_head_relationship cannot be 1: a family has one head")
			}
			m.role, m.after.Relationship = "former_head", body.FormerHeadRelationship
		}
		if err := m.after.validate(today); err != nil {
			return 0, nil, err
		}
		if m.role != "member" || target != kk {
			changed = append(changed, m)
		}
	}
	b := req.Batch()
	if err := writeMembers(req, b, changed, "head_changed", body.Date, body.Note); err != nil {
		return 0, nil, err
	}
	b.Publish("population.family_head_changed", eventPayload{ResidentID: head.rec.ID, Type: "head_changed", Date: body.Date, To: req.Tenant}).
		Audit("families.head_changed", Mask(kk), map[string]any{"members": len(changed), "new_kk": target != kk})
	return commitFamily(r, b, target, http.StatusOK)
}

// newFamilyFree refuses a new card number that already names a family of
// the village (409 family_exists); "" passes.
func newFamilyFree(ctx context.Context, req *sdk.Request, kk string) error {
	if kk == "" {
		return nil
	}
	_, n, err := req.Records("residents").Query().Where("kk", sdk.Eq, kk).Where("status", sdk.Eq, StatusAlive).Page(0, 1).WithTotal().Run(ctx)
	if err != nil {
		return fmt.Errorf("reading family %s: %w", Mask(kk), err)
	}
	if n > 0 {
		return sdk.Errorf(http.StatusConflict, codeFamilyExists, "family %s exists already in %s: a new KK names a new family", Mask(kk), req.Tenant)
	}
	return nil
}

// splitRequest is the body of POST /families/{kk}/split.
type splitRequest struct {
	// NewKK is the card number Dukcapil issued to the new family.
	NewKK string `json:"new_kk"`
	// HeadID heads the new family; MemberIDs move with them.
	HeadID    string   `json:"head_id"`
	MemberIDs []string `json:"member_ids,omitempty"`
	// Relationships gives a moving member's SHDK code in the new family
	// (relative to its head), by id; the others keep theirs.
	Relationships map[string]string `json:"relationships,omitempty"`
	Date          string            `json:"date"`
	Note          string            `json:"note,omitempty"`
}

// splitFamily records a pisah KK: POST /families/{kk}/split
// {"new_kk","head_id","member_ids"?,"relationships"?,"date","note"?} →
// 201 the new family. The members named leave family kk for new_kk, with
// head_id as its head. Errors: 422 invalid_kk, invalid_head_id,
// invalid_members (not living members of the family, repeated, more than
// 100), invalid_relationship (a code of no list, 1 for a member, or a
// former head moving without a new code), relationship_sex_mismatch,
// invalid_date, invalid_note; 404 family_not_found; 409 family_exists,
// family_without_head (the head leaves and others stay: name a new head
// first), conflict.
func splitFamily(r *http.Request) (int, any, error) {
	var body splitRequest
	kk, err := bindFamilyChange(r, &body,
		textField{"new_kk", codeInvalidKK, &body.NewKK, 16, input.Name},
		textField{"head_id", codeInvalidHeadID, &body.HeadID, 64, input.Name},
		textField{"note", codeInvalidNote, &body.Note, 1000, input.Text})
	if err != nil {
		return 0, nil, err
	}
	req, ctx := sdk.From(r), r.Context()
	if body.HeadID == "" {
		return 0, nil, invalid(codeInvalidHeadID, "head_id is required: the new family's head")
	}
	if _, err := CheckKK(body.NewKK); err != nil {
		return 0, nil, invalid(codeInvalidKK, "new_kk: %s", err.Error())
	}
	if body.NewKK == kk {
		return 0, nil, invalid(codeInvalidKK, "new_kk must differ from the family's card number")
	}
	if len(body.MemberIDs) > maxMembers {
		return 0, nil, invalid(codeInvalidMembers, "member_ids names at most %d residents", maxMembers)
	}
	moving := map[string]bool{body.HeadID: true}
	for i := range body.MemberIDs {
		if err := checkTexts(textField{"member_ids", codeInvalidMembers, &body.MemberIDs[i], 64, input.Name}); err != nil {
			return 0, nil, err
		}
		if moving[body.MemberIDs[i]] {
			return 0, nil, invalid(codeInvalidMembers, "member_ids names a resident twice, or the head")
		}
		moving[body.MemberIDs[i]] = true
	}
	for id, rel := range body.Relationships {
		if !moving[id] || id == body.HeadID {
			return 0, nil, invalid(codeInvalidRelationship, "relationships names a resident who is not a moving member")
		}
		if rel == headOfFamily || !validCode("relationship", rel) {
			return 0, nil, invalid(codeInvalidRelationship, "relationships: %q is not a member's code of GET /codes (1 is the head's)", rel)
		}
	}
	if err := eventDate(body.Date, req.Today()); err != nil {
		return 0, nil, err
	}
	recs, err := livingMembers(ctx, req, kk, "record a family split in the members' history")
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeFamilyNotFound, "no family %s in %s", Mask(kk), req.Tenant)
	}
	if err := newFamilyFree(ctx, req, body.NewKK); err != nil {
		return 0, nil, err
	}
	members, err := familyMembers(recs)
	if err != nil {
		return 0, nil, err
	}
	if members[body.HeadID] == nil {
		return 0, nil, invalid(codeInvalidHeadID, "head_id is not a living member of family %s", Mask(kk))
	}
	staying, oldHeadMoves := 0, false
	for id := range moving {
		if members[id] == nil {
			return 0, nil, invalid(codeInvalidMembers, "member_ids: %s is not a living member of family %s", id, Mask(kk))
		}
	}
	for id, m := range members {
		if !moving[id] {
			staying++
		} else if m.before.HeadKK != nil {
			oldHeadMoves = true
		}
	}
	if oldHeadMoves && staying > 0 {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeFamilyWithoutHead,
			"the head of family %s moves to the new family while %d members stay: name their new head first (POST /families/{kk}/head)", Mask(kk), staying)
	}
	today := req.Today()
	var changed []*member
	for id := range moving {
		m := members[id]
		m.after.KK = body.NewKK
		switch {
		case id == body.HeadID:
			m.role, m.after.Relationship = "head", headOfFamily
		case body.Relationships[id] != "":
			m.after.Relationship = body.Relationships[id]
		case m.before.Relationship == headOfFamily:
			return 0, nil, invalid(codeInvalidRelationship, "the former head moves as a member: give relationships[%q], the code in the new family", id)
		}
		if m.before.HeadKK != nil && id != body.HeadID {
			m.role = "former_head"
		}
		if err := m.after.validate(today); err != nil {
			return 0, nil, err
		}
		changed = append(changed, m)
	}
	slices.SortFunc(changed, func(a, b *member) int { return strings.Compare(a.rec.ID, b.rec.ID) })
	b := req.Batch()
	if err := writeMembers(req, b, changed, "family_split", body.Date, body.Note); err != nil {
		return 0, nil, err
	}
	b.Publish("population.family_split", eventPayload{ResidentID: body.HeadID, Type: "family_split", Date: body.Date, To: req.Tenant}).
		Audit("families.split", Mask(kk), map[string]any{"members": len(changed), "staying": staying})
	return commitFamily(r, b, body.NewKK, http.StatusCreated)
}
