package main

// Where an evaluation lives. The worksheet is written at the regency's
// address (PUT /api/v1/t/{regency}/evaluation/evaluations/{year}/{unit})
// and kept in the regency's own "evaluations" collection: storage writes
// land only in the URL's tenant, so nothing a village's staff can call
// writes there, and the route needs evaluation.evaluations.write at the
// regency itself (a village admin holds it only in the village: 403
// there, and at the village's address the handler asks the host with
// CanIn about the regency and refuses too). Publishing copies the result
// and the recommendations into the unit ("results", "recommendations",
// with Batch.InsertInto, which the host allows because the evaluator's
// grant at the regency holds below), so that the unit reads them and
// answers the recommendations at its own address, where only its own
// staff writes. A district reads the published results of the units
// below it through Subtree.

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// States of an evaluation.
const (
	StateDraft = "draft"
	StateFinal = "final"
)

// Statuses of a recommendation: open until the unit answers, then
// planned (a follow-up is planned) or done.
const (
	RecOpen    = "open"
	RecPlanned = "planned"
	RecDone    = "done"
)

// maxRecommendations bounds a worksheet's recommendations.
const maxRecommendations = 20

// evaluation is a worksheet as stored at the regency.
type evaluation struct {
	Year        int       `json:"year"`
	Unit        string    `json:"unit"`
	UnitName    string    `json:"unit_name,omitempty"`
	UnitLevel   string    `json:"unit_level,omitempty"`
	State       string    `json:"state"`
	Worksheet   Worksheet `json:"worksheet"`
	Score       *float64  `json:"score,omitempty"`
	Grade       string    `json:"grade,omitempty"`
	UpdatedBy   string    `json:"updated_by,omitempty"`
	PublishedBy string    `json:"published_by,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// result is a published evaluation as copied to the unit.
type result struct {
	Year        int       `json:"year"`
	Regency     string    `json:"regency"`
	Worksheet   Worksheet `json:"worksheet"`
	Score       float64   `json:"score"`
	Grade       string    `json:"grade"`
	PublishedBy string    `json:"published_by,omitempty"`
	PublishedAt time.Time `json:"published_at"`
}

// recommendation is one recommendation at the unit.
type recommendation struct {
	Year        int       `json:"year"`
	Number      int       `json:"number"`
	Text        string    `json:"text"`
	Status      string    `json:"status"`
	Response    string    `json:"response,omitempty"`
	RespondedBy string    `json:"responded_by,omitempty"`
	RespondedAt time.Time `json:"responded_at,omitzero"`
}

// RecommendationView is a recommendation as the API answers it.
type RecommendationView struct {
	ID   string `json:"id"`
	Unit string `json:"unit"`
	recommendation
}

// ComponentView is a component's share of the score.
type ComponentView struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	NameEN string  `json:"name_en"`
	Weight float64 `json:"weight"`
	Score  float64 `json:"score"`
}

// EvaluationView is an evaluation as the API answers it: at the regency
// the worksheet in any state, at the unit (and a district above it) the
// published result. Score and Grade are null until all twelve
// sub-components are scored; PartialScore counts the unscored as 0.
type EvaluationView struct {
	ID              string               `json:"id"`
	Year            int                  `json:"year"`
	Unit            string               `json:"unit"`
	UnitName        string               `json:"unit_name,omitempty"`
	State           string               `json:"state"`
	Score           *float64             `json:"score"`
	Grade           string               `json:"grade,omitempty"`
	GradeName       string               `json:"grade_name,omitempty"`
	Complete        bool                 `json:"complete"`
	PartialScore    float64              `json:"partial_score"`
	Components      []ComponentView      `json:"components"`
	Worksheet       Worksheet            `json:"worksheet"`
	Recommendations []RecommendationView `json:"recommendations"`
	UpdatedBy       string               `json:"updated_by,omitempty"`
	UpdatedAt       time.Time            `json:"updated_at"`
	PublishedBy     string               `json:"published_by,omitempty"`
	PublishedAt     *time.Time           `json:"published_at"`
}

func viewOf(id string, year int, unit string, w Worksheet) EvaluationView {
	v := EvaluationView{ID: id, Year: year, Unit: unit, Worksheet: w, Recommendations: []RecommendationView{}}
	if v.Worksheet.Recommendations == nil {
		v.Worksheet.Recommendations = []string{}
	}
	score, complete := w.Score()
	v.PartialScore, v.Complete = score, complete
	if complete {
		v.Score = &score
		v.Grade = Grade(score)
		v.GradeName = gradeName(v.Grade)
	}
	for _, c := range components {
		v.Components = append(v.Components, ComponentView{Key: c.Key, Name: c.Name, NameEN: c.NameEN, Weight: float64(c.Weight) / 10, Score: w.ComponentScore(c)})
	}
	return v
}

// regencyOf is the regency code of a district's or village's code.
func regencyOf(code string) string {
	parts := strings.SplitN(code, ".", 3)
	if len(parts) < 2 {
		return code
	}
	return parts[0] + "." + parts[1]
}

// parentOf is the code one level up.
func parentOf(code string) string {
	if i := strings.LastIndex(code, "."); i > 0 {
		return code[:i]
	}
	return ""
}

// evaluatorGate checks a worksheet write: at the regency's address, for a
// district or village below it where the module is on. At another address
// it asks the host whether the caller holds evaluation.evaluations.write
// at the regency: a village's own admin does not (403 not_an_evaluator);
// an evaluator is told the address (422 evaluate_at_regency).
func evaluatorGate(r *http.Request) (int, sdk.Tenant, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, err := parseYear(r.PathValue("year"), http.StatusBadRequest)
	if err != nil {
		return 0, sdk.Tenant{}, err
	}
	unitCode := r.PathValue("unit")
	if req.Level != sdk.Regency {
		reg := regencyOf(req.Tenant)
		if strings.HasPrefix(unitCode, req.Tenant+".") {
			reg = regencyOf(unitCode) // asked at the province
		}
		ok, err := req.CanIn(ctx, reg, permEvaluate)
		if err != nil {
			return 0, sdk.Tenant{}, err
		}
		if !ok {
			return 0, sdk.Tenant{}, sdk.Errorf(http.StatusForbidden, codeNotAnEvaluator,
				"evaluations are written by the regency's evaluators (%s granted at %s), not by the unit or its district", permEvaluate, reg)
		}
		return 0, sdk.Tenant{}, sdk.Errorf(http.StatusUnprocessableEntity, codeEvaluateAtRegency,
			"evaluations are written at the regency: use /api/v1/t/%s/evaluation%s", reg,
			strings.TrimPrefix(r.URL.Path, "/api/v1/t/"+req.Tenant+"/evaluation"))
	}
	unit, err := unitBelow(r, unitCode)
	return year, unit, err
}

// unitBelow finds a district or village below the request's tenant where
// the module is enabled. 404 unit_not_found.
func unitBelow(r *http.Request, code string) (sdk.Tenant, error) {
	req := sdk.From(r)
	notFound := sdk.Errorf(http.StatusNotFound, codeUnitNotFound, "%s is not a district or village below %s where the evaluation module is enabled", code, req.Tenant)
	if !strings.HasPrefix(code, req.Tenant+".") {
		return sdk.Tenant{}, notFound
	}
	below, err := req.TenantsBelow(r.Context(), "")
	if err != nil {
		return sdk.Tenant{}, err
	}
	for _, t := range below {
		if t.Code == code && (t.Level == sdk.District || t.Level == sdk.Village) && slices.Contains(t.Modules, pluginID) {
			return t, nil
		}
	}
	return sdk.Tenant{}, notFound
}

func checkText(s *string, field string, max int) error {
	*s = strings.TrimSpace(*s)
	if input.Text(*s, max) != nil {
		return fieldErr(codeInvalidWorksheetText, field, "%s must be at most %d printable characters", field, max)
	}
	return nil
}

// check applies the worksheet's rules: scores 0..100 with at most 2
// decimals (or absent in a draft), texts bounded, at most 20
// recommendations of 5 to 2000 characters.
func (w *Worksheet) check() error {
	for _, c := range components {
		comp := c.get(w)
		for _, s := range subs {
			cr := s.get(comp)
			field := c.Key + "." + s.Key
			if cr.Score != nil && (*cr.Score < 0 || *cr.Score > 100 || !twoDecimals(*cr.Score)) {
				return fieldErr(codeInvalidScore, field+".score", "%s score must be from 0 to 100 with at most 2 decimals", field)
			}
			if err := checkText(&cr.Evidence, field+".evidence", 2000); err != nil {
				return err
			}
			if err := checkText(&cr.Note, field+".note", 2000); err != nil {
				return err
			}
		}
	}
	if err := checkText(&w.Summary, "summary", 4000); err != nil {
		return err
	}
	if len(w.Recommendations) > maxRecommendations {
		return fieldErr(codeInvalidRecommendation, "recommendations", "at most %d recommendations", maxRecommendations)
	}
	out := w.Recommendations[:0]
	for i, rec := range w.Recommendations {
		rec = strings.TrimSpace(rec)
		if rec == "" {
			continue // an empty line of the screen's form
		}
		if len([]rune(rec)) < 5 || input.Text(rec, 2000) != nil {
			return fieldErr(codeInvalidRecommendation, "recommendations", "recommendation %d must be 5 to 2000 printable characters", i+1)
		}
		out = append(out, rec)
	}
	w.Recommendations = out
	return nil
}

// findEvaluation reads the regency's worksheet of a unit and year.
func findEvaluation(r *http.Request, year int, unit string) (*sdk.Record, *evaluation, error) {
	recs, _, err := sdk.From(r).Records("evaluations").Query().Where("year", sdk.Eq, year).Where("unit", sdk.Eq, unit).Page(0, 1).Run(r.Context())
	if err != nil || len(recs) == 0 {
		return nil, nil, err
	}
	var e evaluation
	if err := recs[0].Decode(&e); err != nil {
		return nil, nil, err
	}
	return &recs[0], &e, nil
}

func finalErr(year int, unit string) error {
	return sdk.Errorf(http.StatusConflict, codeEvaluationFinal, "the %d evaluation of %s is published and is not overwritten", year, unit)
}

// putEvaluation is PUT /evaluations/{year}/{unit} at the regency: the
// whole worksheet, replacing the draft (200, or 201 the first time). 409
// evaluation_final once published; 422 invalid_year (before 2015 or
// after next year), invalid_score,
// invalid_worksheet_text, invalid_recommendation, evaluate_at_regency;
// 403 not_an_evaluator; 404 unit_not_found; 400 invalid_year.
func putEvaluation(r *http.Request) (int, any, error) {
	year, unit, err := evaluatorGate(r)
	if err != nil {
		return 0, nil, err
	}
	var w Worksheet
	if err := sdk.Bind(r, &w); err != nil {
		return 0, nil, err
	}
	if err := writableYear(sdk.From(r), year); err != nil {
		return 0, nil, err
	}
	if err := w.check(); err != nil {
		return 0, nil, err
	}
	return saveWorksheet(r, year, unit, w)
}

func saveWorksheet(r *http.Request, year int, unit sdk.Tenant, w Worksheet) (int, any, error) {
	req := sdk.From(r)
	rec, old, err := findEvaluation(r, year, unit.Code)
	if err != nil {
		return 0, nil, err
	}
	if old != nil && old.State == StateFinal {
		return 0, nil, finalErr(year, unit.Code)
	}
	e := evaluation{Year: year, Unit: unit.Code, UnitName: unit.Name, UnitLevel: string(unit.Level), State: StateDraft, Worksheet: w, UpdatedBy: req.User}
	if score, complete := w.Score(); complete {
		e.Score, e.Grade = &score, Grade(score)
	}
	b := req.Batch()
	var written *sdk.Written
	status := http.StatusOK
	if rec == nil {
		status = http.StatusCreated
		written = b.Insert("evaluations", e)
	} else {
		written = b.Update("evaluations", rec.ID, rec.Version, map[string]any{"worksheet": w, "score": e.Score, "grade": nullable(e.Grade),
			"updated_by": req.User, "unit_name": unit.Name})
	}
	b.Audit("evaluation.save", unit.Code, map[string]any{"year": year, "score": e.Score})
	if err := b.Commit(r.Context()); err != nil {
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the worksheet changed meanwhile: read it again")
		}
		return 0, nil, err
	}
	v := viewOf(written.Record.ID, year, unit.Code, w)
	v.UnitName, v.State, v.UpdatedBy, v.UpdatedAt = unit.Name, StateDraft, req.User, written.Record.UpdatedAt
	return status, v, nil
}

// publishEvaluation is POST /evaluations/{year}/{unit}/publish at the
// regency: draft -> final, and the result and recommendations copied to
// the unit. 422 worksheet_incomplete; 409 evaluation_final; 404
// evaluation_not_found, unit_not_found; 403 not_an_evaluator.
func publishEvaluation(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, unit, err := evaluatorGate(r)
	if err != nil {
		return 0, nil, err
	}
	rec, e, err := findEvaluation(r, year, unit.Code)
	if err != nil {
		return 0, nil, err
	}
	if e == nil {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeEvaluationNotFound, "no %d evaluation of %s", year, unit.Code)
	}
	if e.State == StateFinal {
		return 0, nil, finalErr(year, unit.Code)
	}
	score, complete := e.Worksheet.Score()
	if !complete {
		return 0, nil, sdk.Errorf(http.StatusUnprocessableEntity, codeWorksheetIncomplete, "every sub-component of the four components must be scored before publishing")
	}
	grade := Grade(score)
	now := req.Now().UTC()
	b := req.Batch()
	updated := b.Update("evaluations", rec.ID, rec.Version, map[string]any{"state": StateFinal, "score": score, "grade": grade, "published_by": req.User, "published_at": now})
	b.InsertInto(unit.Code, "results", result{Year: year, Regency: req.Tenant, Worksheet: e.Worksheet, Score: score, Grade: grade, PublishedBy: req.User, PublishedAt: now})
	for i, text := range e.Worksheet.Recommendations {
		b.InsertInto(unit.Code, "recommendations", recommendation{Year: year, Number: i + 1, Text: text, Status: RecOpen})
	}
	payload := map[string]any{"unit": unit.Code, "year": year, "score": score, "grade": grade, "recommendations": len(e.Worksheet.Recommendations)}
	b.Publish(evPublished, payload)
	b.PublishIn(unit.Code, evPublished, payload)
	b.Audit("evaluation.publish", unit.Code, payload)
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrConflict) || errors.Is(err, sdk.ErrDuplicate) {
			return 0, nil, finalErr(year, unit.Code)
		}
		return 0, nil, err
	}
	v := viewOf(rec.ID, year, unit.Code, e.Worksheet)
	v.UnitName, v.State, v.UpdatedBy, v.UpdatedAt = unit.Name, StateFinal, e.UpdatedBy, updated.Record.UpdatedAt
	v.PublishedBy, v.PublishedAt = req.User, &now
	recs, err := unitRecommendations(r, year, unit.Code)
	v.Recommendations = recs
	return http.StatusOK, v, err
}

// unitRecommendations reads a unit's recommendations of a year, at the
// unit or from above it.
func unitRecommendations(r *http.Request, year int, unit string) ([]RecommendationView, error) {
	req := sdk.From(r)
	q := req.Records("recommendations").Query().Where("year", sdk.Eq, year)
	if unit != req.Tenant {
		q = q.Subtree().Where(sdk.FieldTenant, sdk.Eq, unit)
	}
	recs, _, err := q.OrderBy("number", false).Page(0, maxRecommendations).Run(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]RecommendationView, 0, len(recs))
	for i := range recs {
		v, err := decodeRecommendation(&recs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeRecommendation(rec *sdk.Record) (RecommendationView, error) {
	var rc recommendation
	if err := rec.Decode(&rc); err != nil {
		return RecommendationView{}, fmt.Errorf("decoding recommendation %s: %w", rec.ID, err)
	}
	return RecommendationView{ID: rec.ID, Unit: rec.Tenant, recommendation: rc}, nil
}

// getEvaluation is GET /evaluations/{year}/{unit}: at the regency the
// worksheet in any state (with the unit's responses once published); at
// the unit, or a district above it, the published result with its
// recommendations. 404 evaluation_not_found; 400 invalid_year.
func getEvaluation(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	year, err := parseYear(r.PathValue("year"), http.StatusBadRequest)
	if err != nil {
		return 0, nil, err
	}
	unit := r.PathValue("unit")
	notFound := sdk.Errorf(http.StatusNotFound, codeEvaluationNotFound, "no %d evaluation of %s here", year, unit)
	if unit != req.Tenant && !strings.HasPrefix(unit, req.Tenant+".") {
		return 0, nil, notFound
	}
	if req.Level == sdk.Regency {
		rec, e, err := findEvaluation(r, year, unit)
		if err != nil {
			return 0, nil, err
		}
		if e == nil {
			return 0, nil, notFound
		}
		v := viewOf(rec.ID, year, unit, e.Worksheet)
		v.UnitName, v.State, v.UpdatedBy, v.UpdatedAt, v.PublishedBy = e.UnitName, e.State, e.UpdatedBy, rec.UpdatedAt, e.PublishedBy
		if e.State == StateFinal {
			v.PublishedAt = &e.PublishedAt
			if v.Recommendations, err = unitRecommendations(r, year, unit); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusOK, v, nil
	}
	q := req.Records("results").Query().Where("year", sdk.Eq, year)
	if unit != req.Tenant {
		q = q.Subtree().Where(sdk.FieldTenant, sdk.Eq, unit)
	}
	recs, _, err := q.Page(0, 1).Run(ctx)
	if err != nil {
		return 0, nil, err
	}
	if len(recs) == 0 {
		return 0, nil, notFound
	}
	var res result
	if err := recs[0].Decode(&res); err != nil {
		return 0, nil, err
	}
	v := viewOf(recs[0].ID, year, unit, res.Worksheet)
	v.State, v.UpdatedAt, v.PublishedBy, v.PublishedAt = StateFinal, recs[0].UpdatedAt, res.PublishedBy, &res.PublishedAt
	v.Recommendations, err = unitRecommendations(r, year, unit)
	return http.StatusOK, v, err
}

// listRecommendations is GET /recommendations?year=&status=&unit=: the
// unit's own, or at a district or regency those of the units below.
// 400 invalid_year, invalid_filter.
func listRecommendations(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	offset, limit, err := sdk.Page(r)
	if err != nil {
		return 0, nil, err
	}
	q := req.Records("recommendations").Query()
	if req.Level != sdk.Village {
		q = q.Subtree()
	}
	p := r.URL.Query()
	if s := p.Get("year"); s != "" {
		year, err := parseYear(s, http.StatusBadRequest)
		if err != nil {
			return 0, nil, err
		}
		q = q.Where("year", sdk.Eq, year)
	}
	if s := p.Get("status"); s != "" {
		if !slices.Contains([]string{RecOpen, RecPlanned, RecDone}, s) {
			return 0, nil, badFilter("status must be open, planned or done")
		}
		q = q.Where("status", sdk.Eq, s)
	}
	if u := p.Get("unit"); u != "" {
		if u != req.Tenant && !strings.HasPrefix(u, req.Tenant+".") {
			return 0, nil, badFilter("unit %q is not %s or below it", u, req.Tenant)
		}
		q = q.Where(sdk.FieldTenant, sdk.Eq, u)
	}
	recs, total, err := q.OrderBy(sdk.FieldTenant, false).OrderBy("year", true).OrderBy("number", false).Page(offset, limit).WithTotal().Run(r.Context())
	if err != nil {
		return 0, nil, err
	}
	items := make([]RecommendationView, 0, len(recs))
	for i := range recs {
		v, err := decodeRecommendation(&recs[i])
		if err != nil {
			return 0, nil, err
		}
		items = append(items, v)
	}
	return http.StatusOK, sdk.ListOf[RecommendationView]{Items: items, Total: total}, nil
}

// ResponseInput is the body of POST /recommendations/{id}/response: what
// the unit does about the recommendation, and whether it is planned or
// done.
type ResponseInput struct {
	Response string `json:"response"`
	Status   string `json:"status"`
}

// respondRecommendation is POST /recommendations/{id}/response at the
// unit, by its own staff: a grant from above the unit (the district's,
// the regency's) is refused, since the answer is the unit's account of
// itself. It may be answered again (the status moving to done). 403
// unit_staff_only; 404 recommendation_not_found; 422 invalid_response,
// invalid_status, not_a_unit.
func respondRecommendation(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	ctx := r.Context()
	if !isUnit(req) {
		return 0, nil, notAUnit(req)
	}
	var in ResponseInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	above, err := req.CanIn(ctx, parentOf(req.Tenant), permRespond)
	if err != nil {
		return 0, nil, err
	}
	if above {
		at, err := grantedFrom(r, req.Tenant)
		if err != nil {
			return 0, nil, err
		}
		return 0, nil, sdk.Errorf(http.StatusForbidden, codeUnitStaffOnly,
			"recommendations are answered by %s's own staff, granted %s at %s itself: your grant is at %s, above it", req.Tenant, permRespond, req.Tenant, at)
	}
	rec, err := req.Records("recommendations").Get(ctx, r.PathValue("id"))
	if errors.Is(err, sdk.ErrNotFound) {
		return 0, nil, sdk.Errorf(http.StatusNotFound, codeRecommendationNotFound, "no recommendation %s in %s", r.PathValue("id"), req.Tenant)
	}
	if err != nil {
		return 0, nil, err
	}
	in.Response = strings.TrimSpace(in.Response)
	if len([]rune(in.Response)) < 5 || input.Text(in.Response, 2000) != nil {
		return 0, nil, fieldErr(codeInvalidResponse, "response", "response must be 5 to 2000 printable characters")
	}
	if in.Status != RecPlanned && in.Status != RecDone {
		return 0, nil, fieldErr(codeInvalidStatus, "status", "status must be planned or done")
	}
	now := req.Now().UTC()
	b := req.Batch()
	w := b.Update("recommendations", rec.ID, rec.Version, map[string]any{"response": in.Response, "status": in.Status, "responded_by": req.User, "responded_at": now})
	var rc recommendation
	_ = rec.Decode(&rc)
	b.Publish(evResponded, map[string]any{"unit": req.Tenant, "year": rc.Year, "recommendation": rc.Number, "status": in.Status})
	b.Audit("recommendation.respond", rec.ID, map[string]any{"year": rc.Year, "number": rc.Number, "status": in.Status})
	if err := b.Commit(ctx); err != nil {
		if errors.Is(err, sdk.ErrConflict) {
			return 0, nil, sdk.Errorf(http.StatusConflict, sdk.CodeConflict, "the recommendation changed meanwhile: read it again")
		}
		return 0, nil, err
	}
	v, err := decodeRecommendation(&w.Record)
	return http.StatusOK, v, err
}

// grantedFrom names the highest tenant above unit where the caller holds
// permRespond (a grant holds below where it is given, so the highest one
// is where it was given), for unit_staff_only's message: the caller is
// told where their grant is, and that it is not at the unit. Only the
// refusal asks, at most three questions (province, regency, district).
func grantedFrom(r *http.Request, unit string) (string, error) {
	parts := strings.Split(unit, ".")
	for i := 1; i < len(parts); i++ {
		code := strings.Join(parts[:i], ".")
		ok, err := sdk.From(r).CanIn(r.Context(), code, permRespond)
		if err != nil {
			return "", err
		}
		if ok {
			return code, nil
		}
	}
	return parentOf(unit), nil
}
