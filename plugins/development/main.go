// Command development is Sicaram for Balai: a village's development
// projects (roads, bridges, irrigation, buildings, clean water,
// empowerment, ...), their budget by funding source, and their physical
// and financial realisation reported with photos; a public project list
// and page for citizens, and a roll-up for the district and regency
// (budget absorption per village, totals per funding source, projects
// behind schedule).
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	pluginID = "development"
	// permRead shows the console's project screens (the API's lists are
	// public: village development is published to its citizens).
	permRead = "development.projects.read"
	// permWrite registers projects.
	permWrite = "development.projects.write"
	// permProgress reports progress and its photos.
	permProgress = "development.progress.write"
	// permManage cancels a project: a decision of the village head, so
	// only admins hold it.
	permManage = "development.projects.manage"
	// permPersonal shows the name of the executor's (TPK's) chair, the
	// one personal field of a project.
	permPersonal = "development.projects.read_personal"
)

// Events other modules can follow. Payloads carry no personal data: the
// project, its village, year, kind, budget and progress.
const (
	eventCreated   = "development.project_created"
	eventProgress  = "development.progress_reported"
	eventCompleted = "development.project_completed"
	eventCancelled = "development.project_cancelled"
)

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Sicaram: village development projects, their budget by funding source, physical and financial progress with photos; regency roll-up",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "see the console's project screens and roll-up", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "register development projects", Roles: []string{"operator"}},
		{Name: permProgress, Description: "report physical and financial progress with photos", Roles: []string{"operator"}},
		{Name: permManage, Description: "cancel a project (the village head's decision)", Roles: []string{}},
		{Name: permPersonal, Description: "see the name of the executor's chair (audited)", Roles: []string{"operator"}},
	},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/projects", Permission: permWrite, Handler: sdk.Func(villageOnly(createProject))},
		{Method: "GET", Path: "/projects", Public: true, RateLimit: &sdk.RateLimit{Requests: 120, Window: time.Minute}, Handler: sdk.Func(listProjects)},
		{Method: "GET", Path: "/projects/{id}", Public: true, RateLimit: &sdk.RateLimit{Requests: 120, Window: time.Minute}, Handler: sdk.Func(getProject)},
		{Method: "PATCH", Path: "/projects/{id}", Permission: permWrite, Handler: sdk.Func(villageOnly(updateProject))},
		{Method: "POST", Path: "/projects/{id}/progress", Permission: permProgress, MaxBodyBytes: maxReportBytes, Timeout: 2 * time.Minute, Handler: sdk.Func(villageOnly(reportProgress))},
		{Method: "POST", Path: "/projects/{id}/cancel", Permission: permManage, Handler: sdk.Func(villageOnly(cancelProject))},
		{Method: "GET", Path: "/projects/{id}/photos/{file}", Public: true, Handler: http.HandlerFunc(servePhoto)},
		{Method: "GET", Path: "/projects/{id}/photos/{file}/thumb", Public: true, Handler: http.HandlerFunc(serveThumb)},
		{Method: "GET", Path: "/kinds", Public: true, Handler: sdk.Func(listKinds)},
		{Method: "GET", Path: "/summary", Public: true, RateLimit: &sdk.RateLimit{Requests: 60, Window: time.Minute}, Handler: sdk.Func(summary)},
	},
	Pages:     pages(),
	Publishes: []string{eventCreated, eventProgress, eventCompleted, eventCancelled},
	Collections: []sdk.Collection{{
		Name: "projects",
		Fields: []sdk.Field{
			// ref names the project in its events from the moment it is
			// registered, in the same transaction (the host assigns the
			// record's id only then).
			{Name: "ref", Type: sdk.String, Required: true},
			{Name: "name", Type: sdk.String, Required: true},
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "description", Type: sdk.String},
			{Name: "dusun", Type: sdk.String},
			{Name: "rt", Type: sdk.String},
			{Name: "rw", Type: sdk.String},
			{Name: "lat", Type: sdk.Float},
			{Name: "lng", Type: sdk.Float},
			{Name: "year", Type: sdk.Int, Required: true},
			// One whole-rupiah field per funding source, so that the
			// roll-up sums them in the database.
			{Name: "f_dana_desa", Type: sdk.Int, Required: true},
			{Name: "f_add", Type: sdk.Int, Required: true},
			{Name: "f_bankeu_provinsi", Type: sdk.Int, Required: true},
			{Name: "f_bankeu_kabupaten", Type: sdk.Int, Required: true},
			{Name: "f_pades", Type: sdk.Int, Required: true},
			{Name: "f_swadaya", Type: sdk.Int, Required: true},
			{Name: "f_lainnya", Type: sdk.Int, Required: true},
			{Name: "budget", Type: sdk.Int, Required: true},
			{Name: "executor", Type: sdk.String},
			{Name: "executor_lead", Type: sdk.String, Personal: true},
			{Name: "planned_start", Type: sdk.Date, Required: true},
			{Name: "planned_end", Type: sdk.Date, Required: true},
			{Name: "volume", Type: sdk.Float},
			{Name: "unit", Type: sdk.String},
			{Name: "beneficiaries", Type: sdk.Int},
			{Name: "state", Type: sdk.String, Required: true},
			{Name: "percent", Type: sdk.Float, Required: true},
			{Name: "spent", Type: sdk.Int, Required: true},
			{Name: "over_budget", Type: sdk.Bool, Required: true},
			{Name: "last_report", Type: sdk.Date},
			{Name: "photos", Type: sdk.Object},
			{Name: "started_at", Type: sdk.Time},
			{Name: "completed_at", Type: sdk.Time},
			{Name: "cancelled_at", Type: sdk.Time},
			{Name: "cancel_reason", Type: sdk.String},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"ref"}, Unique: true},
			{Fields: []string{"year", "state"}},
			{Fields: []string{"state", "planned_start"}},
			{Fields: []string{"kind"}},
		},
		PersonalPermission: permPersonal,
	}, {
		Name: "reports",
		Fields: []sdk.Field{
			{Name: "project_id", Type: sdk.String, Required: true},
			{Name: "date", Type: sdk.Date, Required: true},
			{Name: "percent", Type: sdk.Float, Required: true},
			{Name: "spent", Type: sdk.Int, Required: true},
			{Name: "notes", Type: sdk.String},
			{Name: "over_budget_reason", Type: sdk.String},
			{Name: "photos", Type: sdk.Object},
			{Name: "reported_by", Type: sdk.String},
			{Name: "reported_at", Type: sdk.Time, Required: true},
		},
		Indexes: []sdk.Index{{Fields: []string{"project_id", "date"}}},
	}},
}

func main() { sdk.Serve(&plugin) }
