package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// Resident is a person in the civil register, with Dukcapil's fields.
type Resident struct {
	NIK           string `json:"nik"`
	KK            string `json:"kk"`
	Name          string `json:"name"`
	Sex           string `json:"sex"`
	BirthPlace    string `json:"birth_place,omitempty"`
	BirthDate     string `json:"birth_date"`
	Religion      string `json:"religion,omitempty"`
	Education     string `json:"education,omitempty"`
	Occupation    string `json:"occupation,omitempty"`
	MaritalStatus string `json:"marital_status,omitempty"`
	Relationship  string `json:"relationship,omitempty"`
	BloodType     string `json:"blood_type,omitempty"`
	Address       string `json:"address,omitempty"`
	RT            string `json:"rt,omitempty"`
	RW            string `json:"rw,omitempty"`
	// Dusun is the hamlet (dusun, or lingkungan in a kelurahan) the
	// address lies in, as the family card prints it.
	Dusun  string `json:"dusun,omitempty"`
	Status string `json:"status"`
	// MotherName is the mother's maiden name as on the family card: with
	// the NIK and the KK it is what a citizen proves identity with when
	// asking for a letter online.
	MotherName string `json:"mother_name,omitempty"`
	// BirthYear is derived from BirthDate, so that statistics by age group
	// aggregate a hundred years instead of tens of thousands of dates.
	BirthYear int `json:"birth_year,omitempty"`
	// HeadKK is derived too: the KK of a living head of family, nil for
	// everyone else. Its unique index keeps one living head per family
	// even when two are registered at the same moment, which a check
	// before the insert cannot. Never shown (view clears it).
	HeadKK *string `json:"head_kk,omitempty"`
	// NIKTemporary marks a temporary number in NIK (see IsTemporaryNIK):
	// the resident has no NIK yet. On POST /residents and at a birth or
	// move-in, true with nik left empty asks for one; POST
	// /residents/{id}/nik replaces it with the real NIK.
	NIKTemporary bool `json:"nik_temporary,omitempty"`
	// NIKWarnings are what CheckNIK and CheckKK found that does not stop a
	// write (a birth date or sex part that disagrees, a renumbered
	// sub-district), computed again on every write and kept on the record
	// for the clerk to see. A client's value is ignored.
	NIKWarnings []Warning `json:"nik_warnings,omitempty"`
	// DupKey is derived (dupKey in duplicates.go): the duplicate check's
	// hash of name, birth date and mother's name. Never shown (view clears it).
	DupKey string `json:"dup_key,omitempty"`
}

// Statuses of a resident.
const (
	StatusAlive    = "alive"
	StatusDeceased = "deceased"
	StatusMoved    = "moved"
	// StatusMissing is a resident reported missing (hilang), as OpenSID's
	// and SIAK's status columns carry it: not counted among the living.
	StatusMissing = "missing"
	headOfFamily  = "1" // relationship code of the Kepala Keluarga
)

// validate checks a resident as the Dukcapil data requires and normalises
// it (texts trimmed, RT and RW in three digits, birth_year, head_kk and
// nik_warnings derived); today is the village's date (sdk.Request.Today),
// after which no one is born. Every write path calls it (create, PATCH,
// every life event, the family routes, import), so the rules of one
// resident hold on all of them; the rules between residents (one living
// head per family, a family keeps its head) are in families.go.
func (r *Resident) validate(today string) error {
	// Names are counted in characters and may not hold control or
	// invisible formatting characters (a bidirectional override would make
	// a register read other than it is stored).
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		return invalid(codeInvalidName, "name is required (at most 200 characters)")
	}
	if err := checkTexts(
		textField{"name", codeInvalidName, &r.Name, 200, input.Name},
		textField{"mother_name", codeInvalidMotherName, &r.MotherName, 200, input.Name},
		textField{"birth_place", codeInvalidBirthPlace, &r.BirthPlace, 100, input.Name},
		textField{"address", codeInvalidAddress, &r.Address, 500, input.Text},
		textField{"dusun", codeInvalidDusun, &r.Dusun, 100, input.Name}); err != nil {
		return err
	}
	if r.Status == "" {
		r.Status = StatusAlive
	}
	if r.Status != StatusAlive && r.Status != StatusDeceased && r.Status != StatusMoved && r.Status != StatusMissing {
		return invalid(codeInvalidStatus, "status must be alive, deceased, moved or missing")
	}
	if r.Sex != "L" && r.Sex != "P" {
		return invalid(codeInvalidSex, "sex must be L or P")
	}
	bd, err := time.Parse(time.DateOnly, r.BirthDate)
	if err != nil {
		return invalid(codeInvalidBirthDate, "birth_date must be a date YYYY-MM-DD")
	}
	if r.BirthDate > today {
		return invalidID(codeInvalidBirthDate, fmt.Sprintf("Tanggal lahir %s belum lewat (hari ini %s di desa): isi tanggal lahir seperti di akta kelahiran.", r.BirthDate, today),
			"birth_date %s is in the future", r.BirthDate)
	}
	r.BirthYear = bd.Year()
	r.NIKWarnings = nil
	if r.NIKTemporary {
		// Assigned by the register (assignTemporaryNIK), never typed.
		if !IsTemporaryNIK(r.NIK) {
			return invalid(codeInvalidNIK, "nik of a resident marked nik_temporary must be a temporary number (0 and 15 digits)")
		}
	} else {
		warns, err := CheckNIK(r.NIK, r.BirthDate, r.Sex)
		if err != nil {
			return numberError(codeInvalidNIK, err)
		}
		r.NIKWarnings = warns
	}
	warns, err := CheckKK(r.KK)
	if err != nil {
		return numberError(codeInvalidKK, err)
	}
	r.NIKWarnings = append(r.NIKWarnings, warns...)
	for _, c := range []struct {
		field, v string
		code     sdk.Code
	}{
		{"religion", r.Religion, codeInvalidReligion}, {"education", r.Education, codeInvalidEducation},
		{"occupation", r.Occupation, codeInvalidOccupation}, {"marital_status", r.MaritalStatus, codeInvalidMarital},
		{"relationship", r.Relationship, codeInvalidRelationship}, {"blood_type", r.BloodType, codeInvalidBloodType},
	} {
		if c.v != "" && !validCode(c.field, c.v) {
			return invalidID(c.code, fmt.Sprintf("%q bukan pilihan %s yang dikenal: pilih dari daftar (kode atau nama seperti di GET /codes).", c.v, fieldNameID[c.field]),
				"%s %q is not a code of GET /codes", c.field, c.v)
		}
	}
	if err := checkRelationshipSex(r.Relationship, r.Sex); err != nil {
		return err
	}
	if r.RT, err = normalRTRW("rt", r.RT, codeInvalidRT); err != nil {
		return err
	}
	if r.RW, err = normalRTRW("rw", r.RW, codeInvalidRW); err != nil {
		return err
	}
	r.DupKey = dupKey(r.Name, r.BirthDate, r.MotherName)
	r.HeadKK = nil
	if r.Relationship == headOfFamily && r.Status == StatusAlive {
		kk := r.KK
		r.HeadKK = &kk
	}
	return nil
}

// normalRTRW writes an RT or RW number as the KTP and the KK print it, in
// three digits ("1", "01" and "001" are one RT: "001"); empty stays empty.
// Anything but one to three digits, or zero, is refused with code.
func normalRTRW(field, v string, code sdk.Code) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) > 3 || !digits(v) || strings.Trim(v, "0") == "" {
		return "", invalidID(code, fmt.Sprintf("%s diisi angka 1 sampai 3 digit, bukan 0 (001 seperti tercetak di KTP); yang diisi %q.", strings.ToUpper(field), v),
			"%s must be a number of 1 to 3 digits, not zero (001 as the KTP prints it)", field)
	}
	return strings.Repeat("0", 3-len(v)) + v, nil
}

// rtRWVariants are the ways a stored RT or RW may spell the number v
// asks for: "001" as written since every write normalises it, and "1" or
// "01" as records stored before did. Filters match any of them; nil when v
// is no RT number (the filter then finds nothing).
func rtRWVariants(v string) []string {
	n, err := normalRTRW("", v, "")
	if err != nil || n == "" {
		return nil
	}
	short := strings.TrimLeft(n, "0")
	out := []string{n}
	for len(short) < 3 {
		out = append(out, short)
		short = "0" + short
	}
	return out
}

// writeError turns a clash on a unique index into the caller's answer:
// the NIK is registered already, or the family has its living head.
func writeError(err error, res *Resident) error {
	var se *sdk.Error
	if errors.As(err, &se) && se.Code == sdk.CodeDuplicate {
		if se.Field == "head_kk" {
			return sdk.Errorf(http.StatusConflict, codeDuplicateHead, "family %s already has a head", Mask(res.KK))
		}
		return sdk.Errorf(http.StatusConflict, codeDuplicateNIK, "a resident with NIK %s is already registered in this deployment", Mask(res.NIK))
	}
	return err
}

// changedFields is what an update of res writes when the patch named
// fields: their values as validated (trimmed), with birth_year and head_kk
// derived again; a field the patch emptied is cleared.
func changedFields(res *Resident, fields []string) (map[string]any, error) {
	b, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("encoding a resident: %w", err)
	}
	all := map[string]any{}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("encoding a resident: %w", err)
	}
	m := map[string]any{"birth_year": all["birth_year"], "head_kk": res.HeadKK, "nik_warnings": all["nik_warnings"], "dup_key": all["dup_key"]}
	for _, f := range fields {
		if f != "head_kk" && f != "birth_year" && f != "nik_warnings" && f != "dup_key" {
			m[f] = all[f] // nil when omitted (empty): cleared
		}
	}
	return m, nil
}

// residentView is a resident as a caller sees it. The host masks NIK and
// KK ("1401**********01") for a caller without
// population.residents.read_personal; Masked says so.
type residentView struct {
	ID      string `json:"id"`
	Tenant  string `json:"tenant"`
	Version int64  `json:"version"`
	Resident
	Masked    bool      `json:"masked"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Warnings are about the write that answered this view, not stored:
	// family_without_head after the head of a family died or left.
	Warnings []Warning `json:"warnings,omitempty"`
}

// view shows rec, as storage returned it to the caller of req (personal
// fields masked by the host unless the caller holds read_personal). What
// the host does not do is done here: a masked caller is never shown the
// mother's name, not even masked (with NIK and KK it is the identity
// check of POST /verify, and its first and last letters would help a
// guess), and a caller who may not even look a NIK up (a viewer) gets the
// birth year instead of the birth date.
func view(rec *sdk.Record, req *sdk.Request) (residentView, error) {
	v := residentView{ID: rec.ID, Tenant: rec.Tenant, Version: rec.Version, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
	if err := rec.Decode(&v.Resident); err != nil {
		return v, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	v.HeadKK, v.DupKey = nil, ""
	if !req.Can(permPersonal) {
		v.Masked = true
		v.MotherName = ""
		if !req.Can(permLookup) {
			// Digits 7 to 12 of a NIK are the birth date (day plus 40
			// for a woman): with the masked NIK, the sex and the full
			// date a viewer would have the NIK back. The birth year stays
			// (birth_year). An operator may look NIKs up anyway.
			v.BirthDate = ""
		}
	}
	return v, nil
}

// viewWritten is view for the record an insert answered: storage answers
// an insert with the values the plugin sent, unmasked, so for a caller
// without read_personal the record is read back, masked by the host like
// any read.
func viewWritten(r *http.Request, rec *sdk.Record) (residentView, error) {
	req := sdk.From(r)
	if !req.Can(permPersonal) {
		id := rec.ID
		var err error
		if rec, err = req.Records("residents").Get(r.Context(), id); err != nil {
			return residentView{}, fmt.Errorf("reading back resident %s: %w", id, err)
		}
	}
	return view(rec, req)
}

// errNotAVillage refuses a write of residents or families in a tenant
// that is not a village: the 422 every writing route answers there.
func errNotAVillage(req *sdk.Request) error {
	return invalid(codeNotAVillage,
		"residents and families belong to a village: write them at /api/v1/t/{village code}/population/... (%s is a %s)", req.Tenant, req.Level)
}

// villageOnly wraps a handler that writes residents or families so that
// it runs only at a village tenant; anywhere else (a sub-district, a
// regency, a province) it answers 422 not_a_village before the body is
// read. Reads stay open at every level: they roll the villages up.
func villageOnly(fn func(*http.Request) (int, any, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		if req := sdk.From(r); req.Level != sdk.Village {
			return 0, nil, errNotAVillage(req)
		}
		return fn(r)
	}
}

// createResident registers a resident: POST /residents with the
// resident's data → 201 the resident, with nik_warnings. With "nik" empty
// (or "nik_temporary": true and no nik) the register assigns a temporary
// number (see IsTemporaryNIK).
func createResident(r *http.Request) (int, any, error) {
	var res Resident
	if err := sdk.Bind(r, &res); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	rec, err := register(r, &res, "registered", req.Today(), nil, "population.resident_registered",
		eventPayload{Type: "registered", Date: req.Today(), To: req.Tenant}, "residents.created")
	if err != nil {
		return 0, nil, err
	}
	v, err := viewWritten(r, rec)
	return http.StatusCreated, v, err
}

// wantsTemporary reports whether res asks for a temporary number (nik
// left empty), and marks it so; a nik given with nik_temporary is refused:
// temporary numbers are the register's to assign.
func wantsTemporary(res *Resident) (bool, error) {
	res.NIK = strings.TrimSpace(res.NIK)
	if res.NIKTemporary && res.NIK != "" {
		return false, invalid(codeInvalidNIK, "leave nik empty with nik_temporary: the register assigns the temporary number")
	}
	res.NIKTemporary = res.NIK == ""
	return res.NIKTemporary, nil
}

// register validates res and inserts it with its history entry (typ,
// date, detail), its event (topic, payload with the resident's sex) and
// its audit entry (action), in one batch. A resident without a NIK gets
// the village's next temporary number; should another registration take
// the same number meanwhile, the next one is tried.
func register(r *http.Request, res *Resident, typ, date string, detail map[string]any, topic string, payload eventPayload, action string) (*sdk.Record, error) {
	req := sdk.From(r)
	temporary, err := wantsTemporary(res)
	if err != nil {
		return nil, err
	}
	serial := 0
	for attempt := 0; ; attempt++ {
		if temporary {
			if serial, err = nextTemporarySerial(r.Context(), req, serial); err != nil {
				return nil, err
			}
			res.NIK = fmt.Sprintf("%s%05d", temporaryPrefix(req.Tenant), serial)
		}
		if err := res.validate(req.Today()); err != nil {
			return nil, err
		}
		payload.Sex = res.Sex
		b := req.Batch()
		created := b.Insert("residents", *res)
		b.Insert("history", history(req, res.NIK, typ, date, maps.Clone(detail)))
		recordVital(b, req, typ, date, res, "") // the monthly report's line (reports.go)
		// The record of processing (UU PDP 27/2022): who, where, when;
		// never the data. The new record's id is not known before the
		// commit, and the audit commits with it.
		b.Publish(topic, payload).Audit(action, req.Tenant, nil)
		err := b.Commit(r.Context())
		if err == nil {
			return &created.Record, nil
		}
		err = writeError(err, res)
		if temporary && attempt < 5 && errCode(err) == codeDuplicateNIK {
			continue
		}
		return nil, err
	}
}

// errCode is the code of an *sdk.Error in err's chain, "" when none.
func errCode(err error) sdk.Code {
	var se *sdk.Error
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

// nextTemporarySerial is the serial after the village's highest temporary
// number, and after last (a number found taken); 1 for the first.
func nextTemporarySerial(ctx context.Context, req *sdk.Request, last int) (int, error) {
	prefix := temporaryPrefix(req.Tenant)
	recs, _, err := req.Records("residents").Reveal("assign the next temporary number").Query().
		Where("nik", sdk.Prefix, prefix).OrderBy("nik", true).Page(0, 1).Run(ctx)
	if err != nil {
		return 0, fmt.Errorf("finding the last temporary number: %w", err)
	}
	n := 0
	if len(recs) == 1 {
		var top Resident
		if err := recs[0].Decode(&top); err != nil {
			return 0, fmt.Errorf("decoding resident %s: %w", recs[0].ID, err)
		}
		n, _ = strconv.Atoi(strings.TrimPrefix(top.NIK, prefix))
	}
	n = max(n, last) + 1
	if n > 99999 {
		return 0, sdk.Errorf(http.StatusConflict, codeDuplicateNIK, "the village has used all 99999 temporary numbers: replace some with real NIKs")
	}
	return n, nil
}

// nikRequest is the body of POST /residents/{id}/nik.
type nikRequest struct {
	NIK  string `json:"nik"`
	Note string `json:"note,omitempty"`
}

// assignNIK gives a resident its NIK: POST /residents/{id}/nik
// {"nik","note"?} → 200 the resident. It replaces a temporary number when
// the real one arrives (history entry nik_assigned), or corrects a NIK
// typed wrong (nik_corrected); either way the resident's history, keyed by
// NIK, moves to the new number in the same batch, and the entry keeps the
// old number (shown masked to whoever may not see NIKs). Errors: 422
// invalid_nik, invalid_note; 404 resident_not_found; 409 duplicate_nik,
// not_alive, conflict.
func assignNIK(r *http.Request) (int, any, error) {
	var body nikRequest
	if err := sdk.Bind(r, &body); err != nil {
		return 0, nil, err
	}
	if err := checkTexts(
		textField{"nik", codeInvalidNIK, &body.NIK, 16, input.Name},
		textField{"note", codeInvalidNote, &body.Note, 1000, input.Text}); err != nil {
		return 0, nil, err
	}
	req, ctx := sdk.From(r), r.Context()
	rec, res, err := current(r, r.PathValue("id"), "replace the resident's NIK and re-key their history")
	if err != nil {
		return 0, nil, err
	}
	old, wasTemporary := res.NIK, res.NIKTemporary
	if body.NIK == old {
		return 0, nil, invalid(codeInvalidNIK, "the resident holds this NIK already")
	}
	res.NIK, res.NIKTemporary = body.NIK, false
	if err := res.validate(req.Today()); err != nil {
		return 0, nil, err
	}
	past, _, err := req.Records("history").Query().Where("nik", sdk.Eq, old).Page(0, 1000).Run(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("reading the resident's history: %w", err)
	}
	typ, key := "nik_corrected", "previous_nik"
	if wasTemporary {
		typ, key = "nik_assigned", "temporary_nik"
	}
	b := req.Batch()
	updated := b.Update("residents", rec.ID, rec.Version, map[string]any{"nik": res.NIK, "nik_temporary": nil, "nik_warnings": res.NIKWarnings})
	for _, h := range past {
		b.Update("history", h.ID, h.Version, map[string]any{"nik": res.NIK})
	}
	b.Insert("history", history(req, res.NIK, typ, req.Today(), map[string]any{key: old, "note": body.Note}))
	b.Audit("residents."+typ, rec.ID, map[string]any{"history_entries": len(past)})
	switch err := b.Commit(ctx); {
	case errors.Is(err, sdk.ErrConflict):
		return 0, nil, errChanged
	case err != nil:
		return 0, nil, writeError(err, res)
	}
	v, err := viewWritten(r, &updated.Record)
	return 200, v, err
}

func getResident(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	rec, err := req.Records("residents").Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	v, err := view(rec, req)
	return 200, v, err
}

func listResidents(r *http.Request) (int, any, error) {
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	params := r.URL.Query()
	q, _, err := residentQuery(req, params)
	if err != nil {
		return 0, nil, err
	}
	// personalFilters again, for the audit below: residentQuery has
	// already refused a caller who may not search by them.
	personal, err := personalFilters(req, params)
	if err != nil {
		return 0, nil, err
	}
	q = q.Page(offset, limit).WithTotal().OrderBy("name", false)
	recs, total, err := q.Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]residentView, 0, len(recs))
	for i := range recs {
		v, err := view(&recs[i], req)
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
	}
	// A search by a person's number is a read of that person's data,
	// whatever it finds and even when it shows the numbers masked:
	// audited with the fields searched, never their values. When the
	// caller sees what was found unmasked, the host's own
	// population.personal.read entry already records the read with the
	// fields searched, in the read's transaction: a second entry would
	// only cost every lookup another commit.
	if len(personal) > 0 && !(req.Can(permPersonal) && len(items) > 0) {
		if err := req.Batch().Audit("residents.search_personal", req.Tenant,
			map[string]any{"fields": personal, "records": len(items), "full": req.Can(permPersonal)}).Commit(r.Context()); err != nil {
			return 0, nil, err
		}
	}
	return 200, sdk.ListOf[residentView]{Items: items, Total: total}, nil
}

// patchResident changes the fields a patch names. The whole resident is
// checked again (a new birth date must still agree with the NIK), so the
// stored record is read revealed; the write sends only the fields the
// patch names and those derived from them, never a value the caller was
// not shown, and the answer is the record as the host shows the caller.
func patchResident(r *http.Request) (int, any, error) {
	var patch map[string]json.RawMessage
	if err := sdk.Bind(r, &patch); err != nil {
		return 0, nil, err
	}
	req := sdk.From(r)
	rec, err := req.Records("residents").Reveal("check a resident's update against the register").Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	merged := map[string]json.RawMessage{}
	if err := json.Unmarshal(rec.Data, &merged); err != nil {
		return 0, nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	for k, v := range patch {
		switch k {
		case "status":
			return 0, nil, invalid(codeInvalidPatch, "status changes through POST /events (death, move)")
		case "nik", "nik_temporary":
			// The history is keyed by NIK: a new one re-keys it.
			return 0, nil, invalid(codeInvalidPatch, "a NIK changes through POST /residents/{id}/nik, which keeps the resident's history")
		}
		merged[k] = v
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return 0, nil, fmt.Errorf("merging the patch of resident %s: %w", rec.ID, err)
	}
	// Strictly: the patch's keys are checked here, against the resident's
	// exact field names. encoding/json alone would fold "STATUS" or
	// "ſtatus" onto status, past the check above, and change a resident's
	// state without its life event and history.
	var res, before Resident
	if err := sdk.Unmarshal(data, &res); err != nil {
		return 0, nil, err
	}
	if err := rec.Decode(&before); err != nil {
		return 0, nil, fmt.Errorf("decoding resident %s: %w", rec.ID, err)
	}
	if err := res.validate(req.Today()); err != nil {
		return 0, nil, err
	}
	if err := keepsHead(r.Context(), req, rec.ID, &before, &res); err != nil {
		return 0, nil, err
	}
	fields := slices.Sorted(maps.Keys(patch))
	write, err := changedFields(&res, fields)
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	updated := b.Update("residents", rec.ID, rec.Version, write)
	b.Audit("residents.updated", rec.ID, map[string]any{"fields": fields})
	err = b.Commit(r.Context())
	if errors.Is(err, sdk.ErrConflict) {
		return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the resident changed meanwhile: read it again")
	}
	if err != nil {
		return 0, nil, writeError(err, &res)
	}
	v, err := view(&updated.Record, req)
	return 200, v, err
}

// personalFields are the fields that are masked for callers without
// population.residents.read_personal: filtering on them would unmask them.
var personalFields = []string{"nik", "kk", "mother_name"}

// personalFilters returns the personal fields a list asks to filter on,
// or 403 forbidden_filter when the caller may not: nik and kk need
// read_personal or lookup (the caller holds the citizen's document),
// mother_name needs read_personal (an operator who could search by it
// would have the identity check of POST /verify without its limit).
// Sorting is by name only, never by a personal field.
func personalFilters(req *sdk.Request, params url.Values) ([]string, error) {
	var fields []string
	for _, f := range personalFields {
		if !params.Has(f) {
			continue
		}
		if !req.Can(permPersonal) && (f == "mother_name" || !req.Can(permLookup)) {
			return nil, errForbiddenFilter(f)
		}
		fields = append(fields, f)
	}
	return fields, nil
}

func errForbiddenFilter(field string) error {
	need := permPersonal + " or " + permLookup
	if field == "mother_name" {
		need = permPersonal
	}
	return sdk.Errorf(http.StatusForbidden, codeForbiddenFilter,
		"searching residents by %s needs %s: it would reveal what is masked for you", field, need)
}

func getFamily(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	kk := r.PathValue("kk")
	// Looking a family up by its full KK confirms the number: the same
	// rule as a search by kk.
	if !req.Can(permPersonal) && !req.Can(permLookup) {
		return 0, nil, errForbiddenFilter("kk")
	}
	if _, err := CheckKK(kk); err != nil {
		return 0, nil, numberError(codeInvalidKK, err)
	}
	recs, _, err := req.Records("residents").Query().Where("kk", sdk.Eq, kk).Where("status", sdk.Eq, StatusAlive).Page(0, 100).Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeFamilyNotFound, "no family %s in %s", Mask(kk), req.Tenant)
	}
	v, err := familyView(req, kk, recs)
	if err != nil {
		return 0, nil, err
	}
	// Audited even when the numbers stay masked: the caller named a
	// family by its full KK and was shown its members.
	if err := req.Batch().Audit("families.read_personal", Mask(kk), map[string]any{"records": len(recs), "full": req.Can(permPersonal)}).Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	return 200, v, nil
}

// textField is a text field of a request with its code when malformed,
// its bound (characters) and rule: input.Name for one line, input.Text
// for free text.
type textField struct {
	name string
	code sdk.Code
	v    *string
	max  int
	rule func(string, int) error
}

// checkTexts trims each field in place and checks it by its rule; the
// first that fails answers 422 with its code (invalid_<field>).
func checkTexts(fields ...textField) error {
	for _, f := range fields {
		*f.v = strings.TrimSpace(*f.v)
		if err := f.rule(*f.v, f.max); err != nil {
			return invalidID(f.code, fmt.Sprintf("%s tidak sah: paling banyak %d huruf, tanpa tanda kendali atau karakter tak terlihat.", fieldNameID[f.name], f.max),
				"%s %v", f.name, err)
		}
	}
	return nil
}
