// Command complaints is the citizens' complaints and aspirations module
// (layanan pengaduan): a citizen reports a problem to the village without
// a login and follows it with a tracking code; the village assigns it to an
// official, answers or rejects it, and may escalate it to the district
// (kecamatan) or the regency, whose officials then answer it. Every
// complaint is timed against the response target the regency sets in
// working days, with the public holidays it keeps; overdue ones are
// flagged. The citizen rates the answer, and what the complainant agreed
// to publish is shown on the village's page without personal data.
package main

import (
	"net/http"
	"time"

	"github.com/balaidesa/balai/sdk"
)

// Permissions of the module.
const (
	// permRead reads complaints (name and phone masked) and the settings.
	permRead = "complaints.complaints.read"
	// permWrite registers complaints at the counter, assigns, answers,
	// rejects, escalates and closes them.
	permWrite = "complaints.complaints.write"
	// permPersonal shows the complainant's name and phone (each read
	// audited by the host).
	permPersonal = "complaints.complaints.read_personal"
	// permSettings sets the response target and the public holidays (the
	// regency's decision).
	permSettings = "complaints.settings.write"
)

// Events the module publishes, each with an eventPayload (no personal data).
const (
	evReceived  = "complaints.complaint_received"
	evAssigned  = "complaints.complaint_assigned"
	evEscalated = "complaints.complaint_escalated"
	evAnswered  = "complaints.complaint_answered"
	evRejected  = "complaints.complaint_rejected"
	evClosed    = "complaints.complaint_closed"
	evRated     = "complaints.complaint_rated"
)

// publicSubmitLimit bounds a citizen's complaints per client address,
// through the API and the public form alike: a citizen reports a few
// problems, a script floods the office.
var publicSubmitLimit = &sdk.RateLimit{Requests: 10, Window: time.Hour}

// trackLimit bounds lookups of tracking codes per client (a code is 26
// random characters: the limit only keeps scanners slow).
var trackLimit = &sdk.RateLimit{Requests: 60, Window: time.Minute}

// rateLimit bounds ratings per client.
var rateLimit = &sdk.RateLimit{Requests: 10, Window: time.Hour}

// maxSubmitBytes lets a complaint with one phone photo through.
const maxSubmitBytes = maxPhotoBytes + 64<<10

var plugin = sdk.Plugin{
	ID: "complaints", Version: "0.1.0", Vendor: "Balai",
	Description: "Citizens' complaints and aspirations: tracking code, assignment, answer, escalation to the district or regency, response time in working days, rating, publication and regency roll-up",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read complaints (name and phone masked), their statistics and the settings", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "register, assign, answer, reject, escalate and close complaints", Roles: []string{"operator"}},
		{Name: permPersonal, Description: "see complainants' names and phone numbers (each read audited by the host)", Roles: []string{"operator"}},
		{Name: permSettings, Description: "set the response target in working days and the public holidays (regency)"},
	},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/complaints", Public: true, MaxBodyBytes: maxSubmitBytes, RateLimit: publicSubmitLimit, Timeout: time.Minute, Handler: sdk.Func(submitComplaint)},
		// The counter: a clerk records a citizen's complaint taken in person
		// or by phone, without the citizens' per-client limit.
		{Method: "POST", Path: "/complaints/counter", Permission: permWrite, MaxBodyBytes: maxSubmitBytes, Timeout: time.Minute, Handler: sdk.Func(submitComplaint)},
		{Method: "GET", Path: "/complaints/track/{code}", Public: true, RateLimit: trackLimit, Handler: sdk.Func(trackComplaint)},
		{Method: "POST", Path: "/complaints/track/{code}/rating", Public: true, RateLimit: rateLimit, Handler: sdk.Func(rateComplaint)},
		{Method: "GET", Path: "/complaints", Permission: permRead, Handler: sdk.Func(listComplaints)},
		{Method: "GET", Path: "/complaints/{id}", Permission: permRead, Handler: sdk.Func(getComplaint)},
		{Method: "GET", Path: "/photos/{id}", Permission: permRead, Handler: http.HandlerFunc(servePhoto)},
		{Method: "POST", Path: "/complaints/{id}/assign", Permission: permWrite, Handler: sdk.Func(assign)},
		{Method: "POST", Path: "/complaints/{id}/respond", Permission: permWrite, Handler: sdk.Func(respond)},
		{Method: "POST", Path: "/complaints/{id}/reject", Permission: permWrite, Handler: sdk.Func(reject)},
		{Method: "POST", Path: "/complaints/{id}/escalate", Permission: permWrite, Handler: sdk.Func(escalate)},
		{Method: "POST", Path: "/complaints/{id}/close", Permission: permWrite, Handler: sdk.Func(closeComplaint)},
		{Method: "GET", Path: "/published", Public: true, Handler: sdk.Func(listPublished)},
		{Method: "GET", Path: "/stats", Public: true, Handler: sdk.Func(stats)},
		{Method: "GET", Path: "/performance", Permission: permRead, Handler: sdk.Func(getPerformance)},
		{Method: "GET", Path: "/settings", Permission: permRead, Handler: sdk.Func(getSettings)},
		{Method: "PUT", Path: "/settings", Permission: permSettings, Handler: sdk.Func(putSettings)},
	},
	Pages:     pages, // ui_console.go, ui_public.go
	Publishes: []string{evReceived, evAssigned, evEscalated, evAnswered, evRejected, evClosed, evRated},
	Collections: []sdk.Collection{{
		Name: "complaints",
		// The complainant's name and phone are shown only with
		// read_personal; never on a public page or answer.
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "ref", Type: sdk.String, Required: true},
			{Name: "track_code", Type: sdk.String, Required: true},
			{Name: "category", Type: sdk.String, Required: true},
			{Name: "description", Type: sdk.String, Required: true},
			{Name: "place", Type: sdk.String},
			{Name: "photo", Type: sdk.String},
			{Name: "photo_type", Type: sdk.String},
			{Name: "name", Type: sdk.String, Personal: true},
			{Name: "phone", Type: sdk.String, Personal: true},
			{Name: "anonymous", Type: sdk.Bool, Required: true},
			{Name: "publish", Type: sdk.Bool, Required: true},
			{Name: "channel", Type: sdk.String, Required: true},
			{Name: "state", Type: sdk.String, Required: true},
			{Name: "submitted_by", Type: sdk.String},
			{Name: "submitted_at", Type: sdk.Time, Required: true},
			{Name: "submitted_date", Type: sdk.Date, Required: true},
			{Name: "target_days", Type: sdk.Int, Required: true},
			{Name: "due_date", Type: sdk.Date, Required: true},
			{Name: "assigned_user", Type: sdk.String},
			{Name: "assigned_name", Type: sdk.String},
			{Name: "assigned_by", Type: sdk.String},
			{Name: "assigned_at", Type: sdk.Time},
			{Name: "answer", Type: sdk.String},
			{Name: "answered_by", Type: sdk.String},
			{Name: "answered_at", Type: sdk.Time},
			{Name: "answered_date", Type: sdk.Date},
			{Name: "answered_level", Type: sdk.String},
			{Name: "response_days", Type: sdk.Int},
			{Name: "on_time", Type: sdk.Bool},
			{Name: "reject_reason", Type: sdk.String},
			{Name: "rejected_by", Type: sdk.String},
			{Name: "rejected_at", Type: sdk.Time},
			{Name: "escalated_to", Type: sdk.String},
			{Name: "escalation_level", Type: sdk.String},
			{Name: "escalation_reason", Type: sdk.String},
			{Name: "escalated_by", Type: sdk.String},
			{Name: "escalated_at", Type: sdk.Time},
			{Name: "closed_by", Type: sdk.String},
			{Name: "closed_at", Type: sdk.Time},
			{Name: "rating", Type: sdk.Int},
			{Name: "rating_comment", Type: sdk.String},
			{Name: "rated_at", Type: sdk.Time},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"ref"}, Unique: true},
			{Fields: []string{"track_code"}, Unique: true, DeploymentWide: true},
			{Fields: []string{"state", "due_date"}},
			{Fields: []string{"category"}},
			{Fields: []string{"submitted_at"}},
			{Fields: []string{"escalated_to"}},
			{Fields: []string{"publish", "state"}},
		},
	}},
}

func main() { sdk.Serve(&plugin) }
