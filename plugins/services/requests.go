package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// States of a letter request.
const (
	StateSubmitted = "submitted"
	StateApproved  = "approved"
	StateRejected  = "rejected"
	StateIssued    = "issued"
	StateRevoked   = "revoked"
)

var states = []string{StateSubmitted, StateApproved, StateRejected, StateIssued, StateRevoked}

// Channels a request arrives by.
const (
	ChannelOffice = "office" // an operator typed it in
	ChannelOnline = "online" // a citizen, through the public route
)

// request is a letter request as stored.
type request struct {
	Ref         string            `json:"ref"`
	Type        string            `json:"type"`
	State       string            `json:"state"`
	NIK         string            `json:"nik"`
	Name        string            `json:"name"`
	Resident    snapshot          `json:"resident"`
	Purpose     string            `json:"purpose"`
	Fields      map[string]string `json:"fields,omitempty"`
	Channel     string            `json:"channel"`
	SubmittedBy string            `json:"submitted_by,omitempty"`
	SubmittedAt time.Time         `json:"submitted_at"`
	// EditedBy is who last edited the request while submitted: with
	// four_eyes, neither the submitter nor the last editor approves it.
	EditedBy     string    `json:"edited_by,omitempty"`
	TrackCode    string    `json:"track_code,omitempty"`
	ApprovedBy   string    `json:"approved_by,omitempty"`
	ApprovedAt   time.Time `json:"approved_at,omitzero"`
	Number       string    `json:"number,omitempty"`
	Year         int       `json:"year,omitempty"`
	Seq          int       `json:"seq,omitempty"`
	LetterDate   string    `json:"letter_date,omitempty"`
	Letter       *Letter   `json:"letter,omitempty"`
	VerifyCode   string    `json:"verify_code,omitempty"`
	RejectedBy   string    `json:"rejected_by,omitempty"`
	RejectedAt   time.Time `json:"rejected_at,omitzero"`
	RejectReason string    `json:"reject_reason,omitempty"`
	IssuedBy     string    `json:"issued_by,omitempty"`
	IssuedAt     time.Time `json:"issued_at,omitzero"`
	// ServiceDays is the working days (Monday to Friday, in the village's
	// calendar) after the day of submission up to the day of issue, set
	// when the letter is issued (workingDaysAfter); nil on letters issued
	// before it was kept.
	ServiceDays  *int      `json:"service_days,omitempty"`
	RevokedBy    string    `json:"revoked_by,omitempty"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`

	// ChildNIK names the registered child of a birth letter (personal:
	// masked like the NIK); Register says which fields the civil register
	// gave (lifeevents.go).
	ChildNIK string       `json:"child_nik,omitempty"`
	Register *registerUse `json:"register,omitempty"`
}

// requestView is a request as the API shows it, from the record as the
// host returned it to the caller: without read_personal the NIK is masked
// ("1401**********01"), the resident's snapshot is null and Masked is true.
// The secrets (tracking and verification codes) and the rendered letter,
// which the PDF route serves, are never shown.
type requestView struct {
	ID      string `json:"id"`
	Tenant  string `json:"tenant"`
	Village string `json:"village,omitempty"`
	Version int64  `json:"version"`
	request
	// Resident is the request's snapshot of the resident, nil when the
	// host masked it (it shadows request.Resident in JSON).
	Resident *snapshot `json:"resident"`
	TypeName string    `json:"type_name"`
	// FieldsText is each field as the letter writes it (display only:
	// dates in Indonesian, choices by their label, amounts as
	// "Rp1.500.000"); Fields keeps the values as given.
	FieldsText map[string]string `json:"fields_text,omitempty"`
	Masked     bool              `json:"masked"`
	VerifyURL  string            `json:"verify_url,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

func decodeRequest(rec *sdk.Record) (*request, error) {
	var q request
	if err := rec.Decode(&q); err != nil {
		return nil, fmt.Errorf("decoding request %s: %w", rec.ID, err)
	}
	return &q, nil
}

// viewOf shows rec, as storage returned it to the caller of req.
func viewOf(rec *sdk.Record, req *sdk.Request) (requestView, error) {
	q, err := decodeRequest(rec)
	if err != nil {
		return requestView{}, err
	}
	v := requestView{ID: rec.ID, Tenant: rec.Tenant, Version: rec.Version, request: *q, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
	if lt, ok := letterType(q.Type); ok {
		v.TypeName = lt.Name
		v.FieldsText = lt.fieldsText(q.Fields)
	}
	if q.Letter != nil {
		v.VerifyURL = q.Letter.VerifyURL
	}
	v.TrackCode, v.VerifyCode, v.Letter = "", "", nil
	if v.Masked = !req.Can(permPersonal); !v.Masked {
		v.Resident = &v.request.Resident
	}
	return v, nil
}

// errNotAVillage refuses a write of letter requests outside a village:
// a request, its number and its letter belong to the village that issues
// it, while districts and regencies only read and count them.
func errNotAVillage(req *sdk.Request) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAVillage,
		"letters are requested from and issued by a village: use /api/v1/t/{village code}/services/requests (%s is a %s)", req.Tenant, req.Level)
}

// villageOnly wraps a handler that writes letter requests (submission,
// edit, approval, rejection, issue, revocation) so that it runs only at a
// village tenant and answers 422 not_a_village anywhere else. Settings
// and templates are not wrapped: a district or regency sets them for
// its villages.
func villageOnly(fn func(*http.Request) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if req := sdk.From(r); req.Level != sdk.Village {
			return 0, nil, errNotAVillage(req)
		}
		return fn(r)
	}
}

// submission is what both channels ask for.
type submission struct {
	Type    string         `json:"type"`
	NIK     string         `json:"nik"`
	Purpose string         `json:"purpose"`
	Fields  map[string]any `json:"fields"`

	// ChildNIK, for a kelahiran letter, names a child the register holds
	// already: its name, sex, birth place and date are then the register's.
	ChildNIK string `json:"child_nik,omitempty"`
}

// check validates a submission before anything is looked up; dates of
// its fields are checked against the village's own date.
func (s *submission) check(req *sdk.Request) (*LetterType, map[string]string, error) {
	if req.Level != sdk.Village {
		return nil, nil, errNotAVillage(req)
	}
	if _, ok := letterType(s.Type); !ok {
		return nil, nil, errUnknownType(s.Type)
	}
	s.NIK = strings.TrimSpace(s.NIK)
	if len(s.NIK) != 16 || strings.Trim(s.NIK, "0123456789") != "" {
		return nil, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidNIK, "nik must be 16 digits")
	}
	return s.checkLetter(req)
}

// errUnknownType refuses a letter type that does not exist.
func errUnknownType(code string) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownType, "type %q is not a letter type; see GET /letter-types", code)
}

// checkLetter validates what a submission asks of the letter: its type,
// purpose and fields. An edit checks only this: the NIK is the stored
// one, which the editor may read masked.
func (s *submission) checkLetter(req *sdk.Request) (*LetterType, map[string]string, error) {
	lt, ok := letterType(s.Type)
	if !ok {
		return nil, nil, errUnknownType(s.Type)
	}
	var err error
	s.Purpose = strings.TrimSpace(s.Purpose)
	if s.Purpose == "" {
		return nil, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidPurpose, "purpose (keperluan) is required, at most 300 characters")
	}
	// The purpose is printed on the letter as one line: no control or
	// invisible formatting characters that would make it read otherwise.
	if err := input.Name(s.Purpose, 300); err != nil {
		return nil, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeInvalidPurpose, "purpose %v", err)
	}
	if s.ChildNIK, err = checkChildNIK(lt, s.ChildNIK); err != nil {
		return nil, nil, err
	}
	// Fields the register may fill are required only once it has been
	// asked (applyRegister); the others are refused before any lookup.
	fields, err := lt.checkShapes(s.Fields, req.Today())
	if err != nil {
		return nil, nil, err
	}
	return lt, fields, lt.requireFields(fields, true)
}

// eligible refuses residents who cannot get this letter: each type is made
// for residents of the register statuses it names (alive by default).
func eligible(lt *LetterType, r *resident) error {
	statuses := lt.Statuses
	if statuses == nil {
		statuses = []string{"alive"}
	}
	switch {
	case contains(statuses, r.Status):
		return nil
	case r.Status == "alive" && contains(statuses, "deceased"):
		return sdk.Errorf(http.StatusUnprocessableEntity, codeNotDeceased,
			"the register records this resident as alive: a %s letter is made only once the death is recorded (population POST /events, type death)", lt.Code)
	case r.Status == "deceased":
		return sdk.Errorf(http.StatusUnprocessableEntity, codeResidentDeceased, "the resident is recorded as deceased: only a kematian letter can be made")
	}
	return sdk.Errorf(http.StatusUnprocessableEntity, codeUnknownResident, "the resident is no longer registered in this village (status %s)", r.Status)
}

// eventPayload is what other modules hear of a request: no personal data.
type eventPayload struct {
	ID      string `json:"id,omitempty"`
	Ref     string `json:"ref"`
	Type    string `json:"type"`
	State   string `json:"state"`
	Channel string `json:"channel,omitempty"`
	Number  string `json:"number,omitempty"`
}

// submit stores a new request for a resident already looked up, with the
// fields the register gave (use, nil for none; see applyRegister).
func submit(r *http.Request, s *submission, lt *LetterType, fields map[string]string, use *registerUse, res *resident, channel string) (*sdk.Record, *request, error) {
	req := sdk.From(r)
	ctx := r.Context()
	codes, err := populationCodes(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	q := &request{
		Type: lt.Code, State: StateSubmitted, NIK: s.NIK, Name: res.Name, Resident: snapshotOf(res, codes),
		Purpose: s.Purpose, Fields: fields, Channel: channel, SubmittedBy: req.User, SubmittedAt: req.Now().UTC(),
		ChildNIK: s.ChildNIK, Register: use,
	}
	// Someone who knows a resident's identity must not bury the office in
	// requests: online requests wait for a decision a few at a time.
	var place *sdk.Record
	if channel == ChannelOnline {
		q.TrackCode = rand.Text()
		if place, err = waitingCounter(ctx, req, s.NIK); err != nil {
			return nil, nil, err
		}
	}
	// The reference is random, so that two requests at the same moment
	// cannot take the same one; a clash of 50 random bits is retried.
	for range 3 {
		q.Ref = rand.Text()[:10]
		b := req.Batch()
		stored := b.Insert("requests", q)
		b.Audit("requests.submitted", q.Ref, map[string]string{"type": q.Type, "channel": channel}).
			Publish("services.request_submitted", eventPayload{Ref: q.Ref, Type: q.Type, State: q.State, Channel: channel})
		if place != nil {
			takeWaitingPlace(b, place)
		}
		err := b.Commit(ctx)
		if errors.Is(err, sdk.ErrDuplicate) {
			continue
		}
		if errors.Is(err, sdk.ErrConditionFailed) {
			return nil, nil, errWaitingFull
		}
		if err != nil {
			return nil, nil, err
		}
		return &stored.Record, q, nil
	}
	return nil, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "could not give the request a unique reference: try again")
}

func createRequest(r *http.Request) (int, any, error) {
	var s submission
	if err := sdk.Bind(r, &s); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	lt, fields, err := s.check(req)
	if err != nil {
		return 0, nil, err
	}
	res, err := residentByNIK(r.Context(), req, s.NIK)
	if err != nil {
		return 0, nil, err
	}
	if err := eligible(lt, res); err != nil {
		return 0, nil, err
	}
	ev, err := lifeEventsOf(r.Context(), req, lt, res, s.ChildNIK)
	if err != nil {
		return 0, nil, err
	}
	use, err := lt.applyRegister(fields, ev, s.ChildNIK)
	if err != nil {
		return 0, nil, err
	}
	rec, _, err := submit(r, &s, lt, fields, use, res, ChannelOffice)
	if err != nil {
		return 0, nil, err
	}
	if !req.Can(permPersonal) {
		// Storage answers an insert with the values sent, unmasked: read
		// the request back, masked by the host like any read.
		if rec, err = req.Records("requests").Get(r.Context(), rec.ID); err != nil {
			return 0, nil, fmt.Errorf("reading back the new request: %w", err)
		}
	}
	v, err := viewOf(rec, req)
	return http.StatusCreated, v, err
}

// publicSubmission is a citizen's request: the letter, and the proof of
// identity.
type publicSubmission struct {
	submission
	KK         string `json:"kk"`
	MotherName string `json:"mother_name"`
}

// createPublicRequest takes a request from a citizen without a login. The
// population module checks NIK, KK and mother's name together and slows
// down guessing; the citizen gets a tracking code to follow the request.
func createPublicRequest(r *http.Request) (int, any, error) {
	var s publicSubmission
	if err := sdk.Bind(r, &s); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	lt, fields, err := s.check(req)
	if err != nil {
		return 0, nil, err
	}
	res, err := residentByIdentity(r.Context(), req, s.NIK, strings.TrimSpace(s.KK), s.MotherName, s.ChildNIK)
	if err != nil {
		return 0, nil, err
	}
	if err := eligible(lt, res); err != nil {
		return 0, nil, err
	}
	// The identity check answers the recorded life events with the
	// resident: no other population route is open to a citizen without a
	// login.
	use, err := lt.applyRegister(fields, &lifeEvents{Death: res.Death, MoveOut: res.MoveOut, Child: res.Child}, s.ChildNIK)
	if err != nil {
		return 0, nil, err
	}
	_, q, err := submit(r, &s.submission, lt, fields, use, res, ChannelOnline)
	if err != nil {
		return 0, nil, err
	}
	out := map[string]any{
		"ref": q.Ref, "type": q.Type, "state": q.State, "track_code": q.TrackCode,
		"track_path": "/api/v1/t/" + req.Tenant + "/services/track/" + q.TrackCode,
	}
	if use != nil && len(use.Notes) > 0 {
		// The citizen learns that the letter prints the register's facts,
		// not what they typed.
		out["register_notes"] = use.Notes
	}
	return http.StatusCreated, out, nil
}

// loadRequest reads a request of this tenant as the caller may see it,
// or, with a purpose, revealed for the plugin's own processing (the host
// audits it with the purpose): building or printing the letter, giving
// back an online request's waiting place by its NIK. What a revealed read
// returns goes into the letter or the storage, never into an answer to a
// caller who could not see it.
func loadRequest(r *http.Request, purpose string) (*sdk.Record, *request, error) {
	coll := sdk.From(r).Records("requests")
	if purpose != "" {
		coll = coll.Reveal(purpose)
	}
	rec, err := coll.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return nil, nil, sdk.Errorf(http.StatusNotFound, codeRequestNotFound, "no letter request %s in %s", r.PathValue("id"), sdk.From(r).Tenant)
	}
	if err != nil {
		return nil, nil, err
	}
	q, err := decodeRequest(rec)
	return rec, q, err
}

func getRequest(r *http.Request) (int, any, error) {
	rec, _, err := loadRequest(r, "")
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(rec, sdk.From(r))
	return http.StatusOK, v, err
}

func listRequests(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	ctx := r.Context()
	subtree := req.Level != sdk.Village
	q := req.Records("requests").Query().Page(offset, limit).WithTotal().OrderBy("submitted_at", true)
	if subtree {
		q = q.Subtree() // a district or regency oversees its villages
	}
	params := r.URL.Query()
	if v := params.Get("state"); v != "" {
		if !contains(states, v) {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "state must be one of %s", strings.Join(states, ", "))
		}
		q = q.Where("state", sdk.Eq, v)
	}
	if v := params.Get("type"); v != "" {
		if _, ok := letterType(v); !ok {
			return 0, nil, sdk.Errorf(http.StatusBadRequest, codeInvalidFilter, "type %q is not a letter type", v)
		}
		q = q.Where("type", sdk.Eq, v)
	}
	for _, f := range []string{"ref", "number"} {
		if v := params.Get(f); v != "" {
			q = q.Where(f, sdk.Eq, v)
		}
	}
	// A search by NIK is a search for a person: it needs the right to see
	// NIKs or to look them up, and is audited whatever it finds.
	byNIK := params.Has("nik")
	if byNIK {
		if !req.Can(permPersonal) && !req.Can(permLookup) {
			return 0, nil, sdk.Errorf(http.StatusForbidden, codeForbiddenFilter,
				"searching requests by nik needs %s or %s: it would reveal a NIK that is masked for you", permPersonal, permLookup)
		}
		q = q.Where("nik", sdk.Eq, strings.TrimSpace(params.Get("nik")))
	}
	if v := params.Get("village"); v != "" {
		q = q.Where(sdk.FieldTenant, sdk.Eq, v) // within the subtree: the tenant clause still applies
	}
	if v := strings.TrimSpace(params.Get("q")); v != "" {
		q = q.Where("name", sdk.Like, v)
	}
	recs, total, err := q.Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	names := map[string]string{}
	if subtree && len(recs) > 0 {
		below, err := req.TenantsBelow(ctx, sdk.Village)
		if err != nil {
			return 0, nil, err
		}
		for _, t := range below {
			names[t.Code] = t.Name
		}
	}
	items := make([]requestView, 0, len(recs))
	for i := range recs {
		v, err := viewOf(&recs[i], req)
		if err != nil {
			return 0, nil, err
		}
		v.Village = names[v.Tenant]
		items = append(items, v)
	}
	// What a list shows unmasked the host audits (services.personal.read);
	// a search by NIK is audited here whatever it finds.
	if byNIK {
		if err := req.Batch().Audit("requests.search_personal", req.Tenant, map[string]any{"fields": []string{"nik"}, "records": len(items), "full": req.Can(permPersonal)}).Commit(ctx); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, sdk.ListOf[requestView]{Items: items, Total: total}, nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// editBody changes a request still waiting for a decision.
type editBody struct {
	Purpose *string         `json:"purpose"`
	Fields  *map[string]any `json:"fields"`
}

func editRequest(r *http.Request) (int, any, error) {
	var e editBody
	if err := sdk.Bind(r, &e); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	rec, q, err := loadRequest(r, "")
	if err != nil {
		return 0, nil, err
	}
	if err := allowed("edit", q.State); err != nil {
		return 0, nil, err
	}
	s := submission{Type: q.Type, NIK: q.NIK, Purpose: q.Purpose, Fields: map[string]any{}}
	for k, v := range q.Fields {
		s.Fields[k] = v
	}
	if e.Purpose != nil {
		s.Purpose = *e.Purpose
	}
	if e.Fields != nil {
		s.Fields = *e.Fields
	}
	if req.Level != sdk.Village {
		return 0, nil, errNotAVillage(req)
	}
	lt, fields, err := s.checkLetter(req)
	if err != nil {
		return 0, nil, err
	}
	// What the register gave stays: an edit does not retype it.
	use := lt.keepRegister(fields, q.Fields, q.Register)
	if err := lt.requireFields(fields, false); err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	updated := b.Update("requests", rec.ID, rec.Version, map[string]any{"purpose": s.Purpose, "fields": fields, "register": use, "edited_by": req.User})
	err = b.Audit("requests.updated", q.Ref, map[string]string{"id": rec.ID}).
		Publish("services.request_updated", eventPayload{ID: rec.ID, Ref: q.Ref, Type: q.Type, State: q.State}).
		Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, errChanged
	}
	if err != nil {
		return 0, nil, err
	}
	v, err := viewOf(&updated.Record, req)
	return http.StatusOK, v, err
}
