package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/balaidesa/balai/sdk"
	"github.com/balaidesa/balai/sdk/input"
)

// ImpactInput is the body of PUT /reports/{id}/impact: the whole
// assessment, replacing the one before (a count left out is 0). kk lists
// the affected families by their KK, nik the affected residents by their
// NIK, at most 500 of each: both are looked up in the village's population
// register on behalf of the caller, and the report stores the numbers
// (personal, masked for callers without read_personal) and the counts.
type ImpactInput struct {
	Dead           int64    `json:"dead" range:"invalid_impact"`
	Missing        int64    `json:"missing" range:"invalid_impact"`
	Injured        int64    `json:"injured" range:"invalid_impact"`
	Displaced      int64    `json:"displaced" range:"invalid_impact"`
	HousesLight    int64    `json:"houses_light" range:"invalid_impact"`
	HousesModerate int64    `json:"houses_moderate" range:"invalid_impact"`
	HousesHeavy    int64    `json:"houses_heavy" range:"invalid_impact"`
	Facilities     int64    `json:"facilities" range:"invalid_impact"`
	FacilitiesNote string   `json:"facilities_note,omitempty"`
	KK             []string `json:"kk,omitempty"`
	NIK            []string `json:"nik,omitempty"`
}

// maxCount bounds each count of an assessment.
const maxCount = 10_000_000

// maxPeople bounds the KK and the NIK of one assessment: a larger
// disaster is assessed by the regency's BPBD, not family by family.
const maxPeople = 500

func (in *ImpactInput) check() error {
	for _, c := range []struct {
		name string
		v    int64
	}{{"dead", in.Dead}, {"missing", in.Missing}, {"injured", in.Injured}, {"displaced", in.Displaced},
		{"houses_light", in.HousesLight}, {"houses_moderate", in.HousesModerate}, {"houses_heavy", in.HousesHeavy}, {"facilities", in.Facilities}} {
		if c.v < 0 || c.v > maxCount {
			return invalid(codeInvalidImpact, c.name, "%s must be 0 to %d", c.name, maxCount)
		}
	}
	in.FacilitiesNote = strings.TrimSpace(in.FacilitiesNote)
	if err := input.Text(in.FacilitiesNote, 1000); err != nil {
		return invalid(codeInvalidImpact, "facilities_note", "facilities_note %v", err)
	}
	if len(in.KK) > maxPeople || len(in.NIK) > maxPeople {
		return invalid(codeTooManyPeople, "kk", "at most %d KK and %d NIK per assessment", maxPeople, maxPeople)
	}
	var err error
	if in.KK, err = numbers(in.KK, "kk", codeInvalidKK); err != nil {
		return err
	}
	in.NIK, err = numbers(in.NIK, "nik", codeInvalidNIK)
	return err
}

// numbers checks a list of 16-digit numbers (KK or NIK; spaces allowed
// between groups) and answers it sorted without duplicates.
func numbers(list []string, field string, code sdk.Code) ([]string, error) {
	out := make([]string, 0, len(list))
	for i, s := range list {
		s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
		if len(s) != 16 || strings.Trim(s, "0123456789") != "" {
			return nil, invalid(code, field, "%s[%d] must be 16 digits", field, i)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// person is what the population module answers of a resident that the
// count needs: its id and its family's KK (masked or not).
type person struct {
	ID string `json:"id"`
	KK string `json:"kk"`
}

// populationError translates an answer of the population module.
func populationError(err error, notFound sdk.Code, field, number string) error {
	var se *sdk.Error
	if !errors.As(err, &se) {
		return sdk.Errorf(http.StatusServiceUnavailable, codePopulationUnavailable, "the population register did not answer: %v", err)
	}
	switch {
	case se.Code == "module_not_enabled" || se.Code == "plugin_not_found":
		return invalid(codePopulationNotEnabled, field, "affected families and residents are taken from the population module, which is not enabled in this village")
	case se.Code == "family_not_found" || se.Code == "resident_not_found":
		return invalid(notFound, field, "%s %s is not in the village's population register (living residents)", field, maskNumber(number))
	case se.Status == http.StatusForbidden || se.Status == http.StatusUnprocessableEntity:
		return se
	}
	return sdk.Errorf(http.StatusServiceUnavailable, codePopulationUnavailable, "the population register answered %d %s", se.Status, se.Code)
}

// maskNumber shows a KK or NIK as the host masks it: the first 4 and last
// 4 digits.
func maskNumber(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// countAffected looks the families and residents up in the population
// register, on behalf of the caller, and counts the affected families
// (distinct KK) and residents (distinct people: a NIK of a listed family
// counts once).
func countAffected(r *http.Request, kks, niks []string) (families, residents int64, err error) {
	req := sdk.From(r)
	ctx := r.Context()
	famSet, people := map[string]bool{}, map[string]bool{}
	for _, kk := range kks {
		res, err := req.Call(ctx, "population", "GET", "/families/"+kk, nil, nil)
		if err != nil {
			return 0, 0, populationError(err, codeFamilyNotFound, "kk", kk)
		}
		var fam struct {
			Members []person `json:"members"`
		}
		if err := sdk.ReadAnswer(res, &fam); err != nil {
			return 0, 0, populationError(err, codeFamilyNotFound, "kk", kk)
		}
		famSet["kk:"+kk] = true
		for _, m := range fam.Members {
			people[m.ID] = true
		}
	}
	for _, nik := range niks {
		res, err := req.Call(ctx, "population", "GET", "/residents", url.Values{"nik": {nik}, "status": {"alive"}, "limit": {"1"}}, nil)
		if err != nil {
			return 0, 0, populationError(err, codeResidentNotFound, "nik", nik)
		}
		var list struct {
			Items []person `json:"items"`
		}
		if err := sdk.ReadAnswer(res, &list); err != nil {
			return 0, 0, populationError(err, codeResidentNotFound, "nik", nik)
		}
		if len(list.Items) == 0 {
			return 0, 0, invalid(codeResidentNotFound, "nik", "nik %s is not in the village's population register (living residents)", maskNumber(nik))
		}
		p := list.Items[0]
		if people[p.ID] {
			continue
		}
		people[p.ID] = true
		// The family of a resident named alone counts as affected too;
		// its KK may come masked, which still tells families apart.
		if p.KK != "" && !famSet["kk:"+p.KK] {
			famSet["res:"+p.KK] = true
		}
	}
	return int64(len(famSet)), int64(len(people)), nil
}

// putImpact is PUT /reports/{id}/impact: the assessment of a verified
// report (409 invalid_state before verification), replacing the one
// before. 200 with the report. Errors: 422 invalid_impact (field named),
// invalid_kk, invalid_nik, too_many_people, family_not_found,
// resident_not_found, population_not_enabled; 503 population_unavailable.
func putImpact(r *http.Request) (int, any, error) {
	req := sdk.From(r)
	var in ImpactInput
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	if err := in.check(); err != nil {
		return 0, nil, err
	}
	rec, rp, err := ownReport(r)
	if err != nil {
		return 0, nil, err
	}
	if !slices.Contains(publishedStatuses, rp.Status) {
		return 0, nil, sdk.Errorf(http.StatusConflict, codeInvalidState, "report is %s: the impact is assessed once it is verified", rp.Status)
	}
	fams, people, err := countAffected(r, in.KK, in.NIK)
	if err != nil {
		return 0, nil, err
	}
	now := req.Now().UTC()
	patch := map[string]any{"dead": in.Dead, "missing": in.Missing, "injured": in.Injured, "displaced": in.Displaced,
		"houses_light": in.HousesLight, "houses_moderate": in.HousesModerate, "houses_heavy": in.HousesHeavy,
		"facilities": in.Facilities, "facilities_note": in.FacilitiesNote, "affected_families": fams, "affected_residents": people,
		"affected_kk": in.KK, "affected_nik": in.NIK, "impact_at": now, "impact_by": req.User}
	b := req.Batch()
	w := b.Update("reports", rec.ID, rec.Version, patch)
	b.Insert("log", LogEntry{ReportID: rec.ID, Kind: "status", Status: rp.Status, At: now, By: req.User,
		Text: fmt.Sprintf("Kaji dampak: %d meninggal, %d hilang, %d luka, %d mengungsi, %d KK dan %d jiwa terdampak, rumah rusak %d ringan, %d sedang, %d berat",
			in.Dead, in.Missing, in.Injured, in.Displaced, fams, people, in.HousesLight, in.HousesModerate, in.HousesHeavy)})
	payload := eventPayload(req.Tenant, rec.ID, rp)
	payload.Impact = map[string]int64{"dead": in.Dead, "missing": in.Missing, "injured": in.Injured, "displaced": in.Displaced,
		"affected_families": fams, "affected_residents": people}
	b.Publish(EventImpact, payload)
	b.Audit("report.impact", rec.ID, map[string]int{"kk": len(in.KK), "nik": len(in.NIK)})
	if err := b.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	v, err := viewOf(&w.Record, req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, v, nil
}
