package main

import (
	"encoding/json"
	"net/http"

	"github.com/balaidesa/balai/sdk"
)

// inputOf is a stored project as the body that would register it.
func inputOf(p Project) projectInput {
	in := projectInput{
		Name: p.Name, Kind: p.Kind, Description: p.Description,
		Location: Location{Dusun: p.Dusun, RT: p.RT, RW: p.RW, Lat: p.Lat, Lng: p.Lng},
		Year:     p.Year, Executor: p.Executor, ExecutorLead: p.ExecutorLead,
		PlannedStart: p.PlannedStart, PlannedEnd: p.PlannedEnd, Volume: p.Volume, Unit: p.Unit, Beneficiaries: p.Beneficiaries,
	}
	for i, a := range p.amounts() {
		if *a > 0 {
			in.Funding = append(in.Funding, Funding{Source: sources[i].Code, Amount: *a})
		}
	}
	return in
}

// updateProject corrects a planned or ongoing project (PATCH
// /projects/{id}): the body names the fields to change, with the rules
// of POST /projects; an object (location) merges, a list (funding)
// replaces. Its state, progress and photos are the reports' alone.
func updateProject(r *http.Request) (int, any, error) {
	rec, p, err := openProject(r)
	if err != nil {
		return 0, nil, err
	}
	in := inputOf(p)
	if err := sdk.Bind(r, &in); err != nil {
		return 0, nil, err
	}
	return saveProject(r, rec, p, in)
}

// openProject reads a project that may still change.
func openProject(r *http.Request) (*sdk.Record, Project, error) {
	var p Project
	rec, err := findProject(r, r.PathValue("id"))
	if err != nil {
		return nil, p, err
	}
	if err := rec.Decode(&p); err != nil {
		return nil, p, err
	}
	if p.State == StateCompleted || p.State == StateCancelled {
		return nil, p, sdk.Errorf(http.StatusConflict, codeProjectClosed, "the project is %s: it can no longer be changed", p.State)
	}
	return rec, p, nil
}

// optional are the fields a correction may empty.
var optional = []string{"description", "dusun", "rt", "rw", "lat", "lng", "executor", "executor_lead", "volume", "unit", "beneficiaries"}

func saveProject(r *http.Request, rec *sdk.Record, old Project, in projectInput) (int, any, error) {
	req := sdk.From(r)
	np, err := in.check(req)
	if err != nil {
		return 0, nil, err
	}
	b, err := json.Marshal(np)
	if err != nil {
		return 0, nil, err
	}
	var patch map[string]any
	if err := json.Unmarshal(b, &patch); err != nil {
		return 0, nil, err
	}
	for _, k := range optional {
		if _, ok := patch[k]; !ok {
			patch[k] = nil
		}
	}
	// What the reports wrote stays, and the project's reference.
	for _, k := range []string{"ref", "state", "percent", "spent", "last_report", "photos", "started_at", "completed_at", "cancelled_at", "cancel_reason"} {
		delete(patch, k)
	}
	patch["over_budget"] = old.Spent > np.Budget
	batch := req.Batch()
	w := batch.Update("projects", rec.ID, rec.Version, patch)
	batch.Audit("project.update", rec.ID, nil)
	if err := batch.Commit(r.Context()); err != nil {
		return 0, nil, err
	}
	pl, err := loadPlaces(r)
	if err != nil {
		return 0, nil, err
	}
	v, err := newProjectView(r, &w.Record, pl)
	return http.StatusOK, v, err
}
