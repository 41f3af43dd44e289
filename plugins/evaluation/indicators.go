package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// IndicatorInput is the body of POST /indicators: a performance indicator
// of the unit for a year. Target is in the indicator's measure (satuan)
// and above 0; HigherIsBetter defaults to true. Source, when set, is one
// of the four measures (letters_on_time, complaints_on_time,
// budget_realisation, records_complete): the indicator's achievements are
// then read from that module, its measure is "%" and higher is better.
type IndicatorInput struct {
	Year           int     `json:"year" range:"invalid_year"`
	Name           string  `json:"name"`
	Measure        string  `json:"measure,omitempty"`
	Target         float64 `json:"target" range:"invalid_target"`
	HigherIsBetter *bool   `json:"higher_is_better,omitempty"`
	Source         string  `json:"source,omitempty"`
	Description    string  `json:"description,omitempty"`
}

// indicator is an indicator as stored.
type indicator struct {
	Year           int     `json:"year"`
	Name           string  `json:"name"`
	Measure        string  `json:"measure"`
	Target         float64 `json:"target"`
	HigherIsBetter bool    `json:"higher_is_better"`
	Source         string  `json:"source,omitempty"`
	Description    string  `json:"description,omitempty"`
	CreatedBy      string  `json:"created_by,omitempty"`
}

// IndicatorView is an indicator as the API answers it. Achievements (on
// GET /indicators/{id} and the unit's list) are by quarter; Average is
// the mean of the quarters' achievement percents reported so far.
type IndicatorView struct {
	ID   string `json:"id"`
	Unit string `json:"unit"`
	indicator
	SourceLabel  string            `json:"source_label,omitempty"`
	Achievements []AchievementView `json:"achievements"`
	Average      *float64          `json:"average_percent"`
	CreatedAt    time.Time         `json:"created_at"`
}

// Evidence describes an achievement's evidence file.
type Evidence = sdk.Evidence

// achievement is a quarter's achievement as stored. For a sourced
// indicator Source, Numerator, Denominator and the period read are the
// provenance of Realisation, the source's value when it was recorded.
type achievement struct {
	Indicator   string    `json:"indicator"`
	Year        int       `json:"year"`
	Quarter     int       `json:"quarter"`
	Realisation float64   `json:"realisation"`
	Percent     float64   `json:"percent"`
	Note        string    `json:"note,omitempty"`
	Evidence    *Evidence `json:"evidence,omitempty"`
	Source      string    `json:"source,omitempty"`
	Numerator   *float64  `json:"numerator,omitempty"`
	Denominator *float64  `json:"denominator,omitempty"`
	PeriodFrom  string    `json:"period_from,omitempty"`
	PeriodTo    string    `json:"period_to,omitempty"`
	RecordedBy  string    `json:"recorded_by,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// AchievementView is an achievement as the API answers it.
type AchievementView struct {
	ID string `json:"id"`
	achievement
	EvidenceURL string `json:"evidence_url,omitempty"`
}

func decodeIndicator(rec *sdk.Record) (IndicatorView, error) {
	var in indicator
	if err := rec.Decode(&in); err != nil {
		return IndicatorView{}, fmt.Errorf("decoding indicator %s: %w", rec.ID, err)
	}
	v := IndicatorView{ID: rec.ID, Unit: rec.Tenant, indicator: in, Achievements: []AchievementView{}, CreatedAt: rec.CreatedAt}
	if s, ok := sourceOf(in.Source); ok {
		v.SourceLabel = s.Label
	}
	return v, nil
}

func decodeAchievement(rec *sdk.Record) (AchievementView, error) {
	var a achievement
	if err := rec.Decode(&a); err != nil {
		return AchievementView{}, fmt.Errorf("decoding achievement %s: %w", rec.ID, err)
	}
	v := AchievementView{ID: rec.ID, achievement: a}
	if a.Evidence != nil {
		v.EvidenceURL = "/api/v1/t/" + rec.Tenant + "/evaluation/achievements/" + rec.ID + "/evidence"
	}
	return v, nil
}

// isUnit says whether the request's tenant is one the regency evaluates.
func isUnit(req *sdk.Request) bool { return req.Level == sdk.Village || req.Level == sdk.District }

func notAUnit(req *sdk.Request) error {
	return sdk.Errorf(http.StatusUnprocessableEntity, codeNotAUnit,
		"%s is a %s: indicators, achievements and responses belong to a village or district (kecamatan), at its own address", req.Tenant, req.Level)
}

// parseYear reads a year of the path or query (400) or body (422).
func parseYear(s string, status int) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || y < 2000 || y > 2100 {
		return 0, &sdk.Error{Status: status, Code: codeInvalidYear, Field: "year", Message: fmt.Sprintf("year %q must be from 2000 to 2100", s)}
	}
	return y, nil
}

// quarterStart is the first day of a quarter.
func quarterStart(year, quarter int) string {
	return fmt.Sprintf("%04d-%02d-01", year, (quarter-1)*3+1)
}

// firstYear is the first year an indicator or a worksheet is written
// for: UU 6/2014 on Villages took effect in 2015, with the village's own
// plans and budgets (RPJMDes, RKPDes, APBDes) that performance is measured
// against; an earlier year is a typing mistake, not a record to keep.
const firstYear = 2015

// writableYear checks the year of an indicator or a worksheet: from
// firstYear to next year in the tenant's calendar (next year's
// Perjanjian Kinerja is drafted before the year begins; 2090 is a typing
// mistake). 422 invalid_year, naming both bounds.
func writableYear(req *sdk.Request, year int) error {
	if last := req.Now().Year() + 1; year < firstYear || year > last {
		return fieldErr(codeInvalidYear, "year", "year %d must be from %d to %d (next year in %s's calendar)", year, firstYear, last, req.Tenant)
	}
	return nil
}

// check applies an indicator's rules; the year's bounds, which depend on
// the tenant's calendar, are writableYear's.
func (in *IndicatorInput) check() error {
	in.Name = strings.TrimSpace(in.Name)
	if len([]rune(in.Name)) < 3 || input.Text(in.Name, 300) != nil {
		return fieldErr(codeInvalidName, "name", "name must be 3 to 300 printable characters")
	}
	in.Measure = strings.TrimSpace(in.Measure)
	in.Source = strings.TrimSpace(in.Source)
	if in.Source != "" {
		if _, ok := sourceOf(in.Source); !ok {
			return fieldErr(codeInvalidSource, "source", "source must be one of %s", strings.Join(sourceKeys(), ", "))
		}
		// The four measures are percentages where higher is better.
		if in.Measure != "" && in.Measure != "%" {
			return fieldErr(codeInvalidMeasure, "measure", "an indicator read from %s is measured in %%", in.Source)
		}
		if in.HigherIsBetter != nil && !*in.HigherIsBetter {
			return fieldErr(codeInvalidSource, "higher_is_better", "for %s higher is better", in.Source)
		}
		in.Measure = "%"
	}
	if in.Measure == "" || input.Text(in.Measure, 40) != nil {
		return fieldErr(codeInvalidMeasure, "measure", "measure (satuan: %%, dokumen, orang, hari, ...) must be 1 to 40 printable characters")
	}
	if !(in.Target > 0) || in.Target > 1e12 || !twoDecimals(in.Target) {
		return fieldErr(codeInvalidTarget, "target", "target must be a number above 0 with at most 2 decimals")
	}
	in.Description = strings.TrimSpace(in.Description)
	if input.Text(in.Description, 2000) != nil {
		return fieldErr(codeInvalidDescription, "description", "description must be at most 2000 printable characters")
	}
	return nil
}

// createIndicator is POST /indicators, at a village or district. 422
// not_a_unit, invalid_year, invalid_name, invalid_measure, invalid_target,
// invalid_source, invalid_description; 409 duplicate_indicator,
// year_evaluated.
func createIndicator(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	if !isUnit(req) {
		return 0, nil, notAUnit(req)
	}
	var in IndicatorInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	if err := writableYear(req, in.Year); err != nil {
		return 0, nil, err
	}
	if err := in.check(); err != nil {
		return 0, nil, err
	}
	if err := yearOpen(r, req.Tenant, in.Year); err != nil {
		return 0, nil, err
	}
	ind := indicator{Year: in.Year, Name: in.Name, Measure: in.Measure, Target: in.Target, HigherIsBetter: in.HigherIsBetter == nil || *in.HigherIsBetter,
		Source: in.Source, Description: in.Description, CreatedBy: req.User}
	b := req.Batch()
	w := b.Insert("indicators", ind)
	b.Audit("indicator.create", in.Name, map[string]any{"year": in.Year, "source": in.Source})
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, sdk.Errorf(http.StatusConflict, codeDuplicateIndicator, "%s already has an indicator %q in %d", req.Tenant, in.Name, in.Year)
		}
		return 0, nil, err
	}
	v, err := decodeIndicator(&w.Record)
	return http.StatusCreated, v, err
}

// listIndicators is GET /indicators?year=&unit=&page=&limit=: a unit's
// own indicators with their achievements, or at a district or regency
// those of every unit below (?unit= one of them). 400 invalid_year,
// invalid_filter.
func listIndicators(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("indicators").Query()
	if req.Level != sdk.Village {
		q = q.Subtree()
	}
	p := r.URL.Query()
	year := 0
	if s := p.Get("year"); s != "" {
		if year, err = parseYear(s, http.StatusBadRequest); err != nil {
			return 0, nil, err
		}
		q = q.Where("year", sdk.Eq, year)
	}
	if u := p.Get("unit"); u != "" {
		if u != req.Tenant && !strings.HasPrefix(u, req.Tenant+".") {
			return 0, nil, badFilter("unit %q is not %s or below it", u, req.Tenant)
		}
		q = q.Where(sdk.FieldTenant, sdk.Eq, u)
	}
	recs, total, err := q.OrderBy(sdk.FieldTenant, false).OrderBy(sdk.FieldCreatedAt, false).Page(offset, limit).WithTotal().Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	items := make([]IndicatorView, 0, len(recs))
	ids := make([]string, 0, len(recs))
	for i := range recs {
		v, err := decodeIndicator(&recs[i])
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
		ids = append(ids, v.ID)
	}
	if len(ids) > 0 {
		if err := attachAchievements(r, items, ids); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, sdk.ListOf[IndicatorView]{Items: items, Total: total}, nil
}

// attachAchievements reads the achievements of the listed indicators in
// one query.
func attachAchievements(r *http.Request, items []IndicatorView, ids []string) error {
	req := sdk.From(r)
	q := req.Records("achievements").Query().Where("indicator", sdk.In, ids)
	if req.Level != sdk.Village {
		q = q.Subtree()
	}
	recs, _, err := q.OrderBy("quarter", false).Page(0, 4*len(ids)).Run(r.Context())
	if err != nil {
		return err
	}
	by := map[string][]AchievementView{}
	for i := range recs {
		a, err := decodeAchievement(&recs[i])
		if err != nil {
			return err
		}
		by[a.Indicator] = append(by[a.Indicator], a)
	}
	for i := range items {
		if as := by[items[i].ID]; as != nil {
			items[i].Achievements = as
			var sum float64
			for _, a := range as {
				sum += a.Percent
			}
			avg := roundPct(sum / float64(len(as)))
			items[i].Average = &avg
		}
	}
	return nil
}

// loadIndicator reads the path's indicator: at a unit its own, above it
// any below.
func loadIndicator(r *http.Request) (*sdk.Record, IndicatorView, error) {
	req := sdk.From(r)
	id := r.PathValue("id")
	notFound := sdk.Errorf(http.StatusNotFound, codeIndicatorNotFound, "no indicator %s in %s", id, req.Tenant)
	var rec *sdk.Record
	if req.Level == sdk.Village {
		got, err := req.Records("indicators").Get(r.Context(), id)
		if errors.Is(err, sdk.ErrNotFound) {
			return nil, IndicatorView{}, notFound
		}
		if err != nil {
			return nil, IndicatorView{}, err
		}
		rec = got
	} else {
		recs, _, err := req.Records("indicators").Query().Subtree().Where(sdk.FieldID, sdk.Eq, id).Page(0, 1).Run(r.Context())
		if err != nil {
			return nil, IndicatorView{}, err
		}
		if len(recs) == 0 {
			return nil, IndicatorView{}, notFound
		}
		rec = &recs[0]
	}
	v, err := decodeIndicator(rec)
	return rec, v, err
}

// getIndicator is GET /indicators/{id}: the indicator and its quarters.
// 404 indicator_not_found.
func getIndicator(r *http.Request) (int, any, error) {
	_, v, err := loadIndicator(r)
	if err != nil {
		return 0, nil, err
	}
	items := []IndicatorView{v}
	if err := attachAchievements(r, items, []string{v.ID}); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, items[0], nil
}

// AchievementInput is the body of POST /indicators/{id}/achievements, as
// JSON or as the fields of a form whose file part "evidence" is the
// evidence (PDF, JPEG, PNG or WebP up to 5 MiB). Realisation is in the
// indicator's measure, 0 or more; it must be absent for a sourced
// indicator, whose realisation is the source's value.
type AchievementInput struct {
	Quarter     int      `json:"quarter" range:"invalid_quarter"`
	Realisation *float64 `json:"realisation,omitempty" range:"invalid_realisation"`
	Note        string   `json:"note,omitempty"`
}

// readAchievement reads the input and, from a multipart form, the evidence.
func readAchievement(r *http.Request) (AchievementInput, io.Reader, string, error) {
	var in AchievementInput
	malformed := func(err error) error {
		return sdk.Errorf(http.StatusBadRequest, codeMalformedForm, "the form cannot be read: %v", err)
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return in, nil, "", malformed(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '{' {
			return in, nil, "", sdk.Bind(r, &in) // JSON that curl -d labelled as a form
		}
		if err := r.ParseForm(); err != nil {
			return in, nil, "", malformed(err)
		}
		for name, vs := range r.PostForm {
			if err := setAchievementField(&in, name, vs[0]); err != nil {
				return in, nil, "", err
			}
		}
		return in, nil, "", nil
	case "multipart/form-data":
	default:
		return in, nil, "", sdk.Bind(r, &in)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return in, nil, "", malformed(err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return in, nil, "", nil
		}
		if err != nil {
			return in, nil, "", malformed(err)
		}
		if part.FormName() == "evidence" {
			if part.FileName() == "" {
				continue
			}
			// The file comes last: fields after it are not read.
			return in, part, part.FileName(), nil
		}
		b, err := io.ReadAll(io.LimitReader(part, 8<<10))
		if err != nil {
			return in, nil, "", malformed(err)
		}
		if err := setAchievementField(&in, part.FormName(), string(b)); err != nil {
			return in, nil, "", err
		}
	}
}

// setAchievementField sets a form field of an achievement.
func setAchievementField(in *AchievementInput, name, v string) error {
	switch name {
	case "quarter":
		q, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fieldErr(codeInvalidQuarter, "quarter", "quarter must be 1, 2, 3 or 4")
		}
		in.Quarter = q
	case "realisation":
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		// Indonesian decimals: 87,5 and 1.250,5 as well as 87.5.
		f, ok := parseNumber(v)
		if !ok {
			return fieldErr(codeInvalidRealisation, "realisation", "realisation must be a number")
		}
		in.Realisation = &f
	case "note":
		in.Note = v
	case "csrf_token", "confirmed", "evidence":
	default:
		return sdk.Errorf(http.StatusBadRequest, sdk.CodeUnknownField, "unknown field %q", name)
	}
	return nil
}

// postAchievement is POST /indicators/{id}/achievements at the unit: the
// quarter's achievement, 201 the first time and 200 when it replaces the
// quarter's earlier report (a correction; new evidence replaces the old).
// For a sourced indicator the realisation is the source module's value
// for the quarter at this moment, recorded with its numerator and
// denominator; a typed realisation is refused (422 sourced_indicator).
// 422 not_a_unit, invalid_quarter, quarter_not_started,
// invalid_realisation, invalid_note, source_not_available,
// nothing_to_measure; 409 year_evaluated; 404 indicator_not_found; 415
// evidence_type_not_accepted; 413 evidence_too_large; 400 malformed_form.
func postAchievement(r *http.Request) (int, any, error) {
	in, file, fileName, err := readAchievement(r)
	if err != nil {
		return 0, nil, err
	}
	return reportAchievement(r, in, file, fileName)
}

// reportAchievement applies the rules of an achievement read from the
// request (the API's body or the screen's form) and stores it.
func reportAchievement(r *http.Request, in AchievementInput, file io.Reader, fileName string) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if !isUnit(req) {
		return 0, nil, notAUnit(req)
	}
	rec, ind, err := loadIndicator(r)
	if err != nil {
		return 0, nil, err
	}
	if rec.Tenant != req.Tenant {
		// Found below a district: the achievement is the unit's, written
		// at its own address.
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotAUnit,
			"indicator %s is %s's: report its achievements at /api/v1/t/%s/evaluation/indicators/%s/achievements", rec.ID, rec.Tenant, rec.Tenant, rec.ID)
	}
	if in.Quarter < 1 || in.Quarter > 4 {
		return 0, nil, fieldErr(codeInvalidQuarter, "quarter", "quarter must be 1, 2, 3 or 4")
	}
	if err := yearOpen(r, req.Tenant, ind.Year); err != nil {
		return 0, nil, err
	}
	if start := quarterStart(ind.Year, in.Quarter); start > req.Today() {
		return 0, nil, fieldErr(codeQuarterNotStarted, "quarter", "quarter %d of %d begins on %s, after today (%s)", in.Quarter, ind.Year, start, req.Today())
	}
	in.Note = strings.TrimSpace(in.Note)
	if input.Text(in.Note, 2000) != nil {
		return 0, nil, fieldErr(codeInvalidNote, "note", "note must be at most 2000 printable characters")
	}
	a := achievement{Indicator: rec.ID, Year: ind.Year, Quarter: in.Quarter, Note: in.Note, RecordedBy: req.User, RecordedAt: req.Now().UTC()}
	if src, ok := sourceOf(ind.Source); ok {
		if in.Realisation != nil {
			return 0, nil, fieldErr(codeSourcedIndicator, "realisation", "this indicator takes its value from %s (%s): leave realisation out", src.Module, src.Key)
		}
		reading, from, to, err := unitReading(ctx, req, src, ind.Year, in.Quarter)
		var un *unavailable
		if errors.As(err, &un) {
			return 0, nil, fieldErr(codeSourceNotAvailable, "source", "%s is not available: %s", src.Key, un.Reason)
		}
		if err != nil {
			return 0, nil, err
		}
		if reading.Value == nil {
			return 0, nil, fieldErr(codeNothingToMeasure, "quarter", "%s has nothing to measure in quarter %d of %d yet (%s to %s)", src.Key, in.Quarter, ind.Year, from, to)
		}
		num, den := reading.Numerator, reading.Denominator
		a.Realisation, a.Source, a.Numerator, a.Denominator, a.PeriodFrom, a.PeriodTo = *reading.Value, src.Key, &num, &den, from, to
	} else {
		if in.Realisation == nil || *in.Realisation < 0 || *in.Realisation > maxRealisation {
			return 0, nil, fieldErr(codeInvalidRealisation, "realisation", "realisation must be a number from 0 to %.0f, in %s", maxRealisation, ind.Measure)
		}
		a.Realisation = *in.Realisation
	}
	a.Percent = Achievement(ind.Target, a.Realisation, ind.HigherIsBetter)

	existing, _, err := req.Records("achievements").Query().Where("indicator", sdk.Eq, rec.ID).Where("quarter", sdk.Eq, in.Quarter).Page(0, 1).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	var old *achievement
	if len(existing) == 1 {
		old = &achievement{}
		if err := existing[0].Decode(old); err != nil {
			return 0, nil, err
		}
		a.Evidence = old.Evidence // kept unless a new file replaces it
	}
	var newFile string
	if file != nil {
		ev, err := req.PutEvidence(ctx, fileName, file)
		if err != nil {
			return 0, nil, err
		}
		a.Evidence = ev
		newFile = ev.File
	}
	b := req.Batch()
	var w *sdk.Written
	status := http.StatusCreated
	if old != nil {
		status = http.StatusOK
		patch := map[string]any{"realisation": a.Realisation, "percent": a.Percent, "note": a.Note, "evidence": a.Evidence, "source": a.Source,
			"numerator": a.Numerator, "denominator": a.Denominator, "period_from": nullable(a.PeriodFrom), "period_to": nullable(a.PeriodTo),
			"recorded_by": a.RecordedBy, "recorded_at": a.RecordedAt}
		w = b.Update("achievements", existing[0].ID, existing[0].Version, patch)
	} else {
		w = b.Insert("achievements", a)
	}
	b.Publish(evAchievement, map[string]any{"unit": req.Tenant, "indicator": rec.ID, "year": ind.Year, "quarter": in.Quarter, "percent": a.Percent, "source": a.Source})
	b.Audit("achievement.report", ind.Name, map[string]any{"indicator": rec.ID, "quarter": in.Quarter, "percent": a.Percent})
	if err := b.Commit(ctx); err != nil {
		if newFile != "" {
			if derr := req.DeleteFile(ctx, newFile); derr != nil {
				sdk.Logf(ctx, "warn", "evidence file %s left unreferenced: %v", newFile, derr)
			}
		}
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the quarter's achievement changed meanwhile: send it again")
		}
		return 0, nil, err
	}
	if old != nil && old.Evidence != nil && newFile != "" {
		if derr := req.DeleteFile(ctx, old.Evidence.File); derr != nil {
			sdk.Logf(ctx, "warn", "replaced evidence file %s left: %v", old.Evidence.File, derr)
		}
	}
	v, err := decodeAchievement(&w.Record)
	return status, v, err
}

// nullable is nil for "", so that a patch clears a Date field.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// serveEvidence streams an achievement's evidence, at the unit's address
// (the host keeps a file in the tenant that stored it; a district's or
// regency's grant holds there too). 404 achievement_not_found.
func serveEvidence(w http.ResponseWriter, r *http.Request) {
	req := sdk.From(r)
	id := r.PathValue("id")
	rec, err := req.Records("achievements").Get(r.Context(), id)
	var a achievement
	if err == nil {
		err = rec.Decode(&a)
	}
	if err != nil || a.Evidence == nil {
		sdk.FailErr(w, r, sdk.Errorf(http.StatusNotFound, codeAchievementNotFound, "no evidence for achievement %s in %s", id, req.Tenant))
		return
	}
	sdk.ServeFile(w, r, a.Evidence.File, sdk.FileAnswer{Download: a.Evidence.Name})
}

// IndicatorPatch is the body of PATCH /indicators/{id}: the fields to
// change (a target revised with the Perjanjian Kinerja Perubahan, a name
// mistyped). The year and the source do not change.
type IndicatorPatch struct {
	Name           *string  `json:"name,omitempty"`
	Measure        *string  `json:"measure,omitempty"`
	Target         *float64 `json:"target,omitempty" range:"invalid_target"`
	HigherIsBetter *bool    `json:"higher_is_better,omitempty"`
	Description    *string  `json:"description,omitempty"`
}

// patchIndicator is PATCH /indicators/{id} at the unit: the changed
// indicator, its reported quarters' percents recomputed against the new
// target and direction in the same transaction. 422 as POST /indicators,
// not_a_unit and empty_patch ({}); 404 indicator_not_found; 409
// duplicate_indicator, year_evaluated, conflict.
func patchIndicator(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if !isUnit(req) {
		return 0, nil, notAUnit(req)
	}
	var p IndicatorPatch
	if err := sdk.Bind(r, &p); err != nil {
		return 0, nil, err
	}
	if p == (IndicatorPatch{}) {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeEmptyPatch, "the patch changes nothing: send at least one of name, measure, target, higher_is_better, description")
	}
	rec, ind, err := loadIndicator(r)
	if err != nil {
		return 0, nil, err
	}
	if rec.Tenant != req.Tenant {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeNotAUnit,
			"indicator %s is %s's: change it at /api/v1/t/%s/evaluation/indicators/%s", rec.ID, rec.Tenant, rec.Tenant, rec.ID)
	}
	if err := yearOpen(r, req.Tenant, ind.Year); err != nil {
		return 0, nil, err
	}
	dir := ind.HigherIsBetter
	in := IndicatorInput{Year: ind.Year, Name: ind.Name, Measure: ind.Measure, Target: ind.Target, HigherIsBetter: &dir, Source: ind.Source, Description: ind.Description}
	if p.Name != nil {
		in.Name = *p.Name
	}
	if p.Measure != nil {
		in.Measure = *p.Measure
	}
	if p.Target != nil {
		in.Target = *p.Target
	}
	if p.HigherIsBetter != nil {
		in.HigherIsBetter = p.HigherIsBetter
	}
	if p.Description != nil {
		in.Description = *p.Description
	}
	if err := in.check(); err != nil {
		return 0, nil, err
	}
	achs, _, err := req.Records("achievements").Query().Where("indicator", sdk.Eq, rec.ID).Page(0, 4).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	b := req.Batch()
	b.Update("indicators", rec.ID, rec.Version, map[string]any{"name": in.Name, "measure": in.Measure, "target": in.Target,
		"higher_is_better": *in.HigherIsBetter, "description": in.Description})
	for _, a := range achs {
		var old achievement
		if err := a.Decode(&old); err != nil {
			return 0, nil, err
		}
		b.Update("achievements", a.ID, a.Version, map[string]any{"percent": Achievement(in.Target, old.Realisation, *in.HigherIsBetter)})
	}
	b.Audit("indicator.change", in.Name, map[string]any{"id": rec.ID, "target": in.Target, "was": ind.Target})
	if err := b.Commit(ctx); err != nil {
		switch {
		case errors.Is(err, sdk.ErrDuplicate):
			return 0, nil, sdk.Errorf(http.StatusConflict, codeDuplicateIndicator, "%s already has an indicator %q in %d", req.Tenant, in.Name, in.Year)
		case errors.Is(err, sdk.ErrConflict):
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the indicator changed meanwhile: read it again")
		}
		return 0, nil, err
	}
	return getIndicator(r)
}

// maxRealisation bounds a typed realisation (as a target is bounded):
// above it a figure is a typing mistake in any measure.
const maxRealisation = 1e12

// yearOpen refuses a change to a unit's indicators or achievements of a
// year whose evaluation is final, that is once the regency has published
// it and copied the result to the unit ("results"): the published grade
// was given on these figures, so they no longer change underneath it (409
// year_evaluated), and the regency's table keeps showing the figures that
// were evaluated. A correction after that is the next year's matter, or a
// note in the unit's response to the recommendations.
//
// A publish that commits between this read and the caller's own commit is
// not caught: the window is one request's length, and the evaluator scores
// from the figures as they stood when the worksheet was filled.
func yearOpen(r *http.Request, unit string, year int) error {
	req := sdk.From(r)
	recs, _, err := req.Records("results").Query().Where("year", sdk.Eq, year).Page(0, 1).Run(r.Context())
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return sdk.Errorf(http.StatusConflict, codeYearEvaluated,
			"the %d evaluation of %s is published: its indicators and achievements of %d no longer change", year, unit, year)
	}
	return nil
}
