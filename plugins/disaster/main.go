// Command disaster is the disaster reports module (E-Pantau): citizens and
// operators report a disaster in a village, an operator verifies it, the
// impact is assessed (with the affected families and residents taken from
// the population register), and the response moves reported → verified →
// emergency response → recovery → closed with a log of actions and needs.
// Verification alerts the district and the regency at once: an event, a
// console notice and a webhook the regency points at its own systems. The
// public sees the verified disasters of its region and their statistics.
package main

import (
	"time"

	"github.com/balaidesa/balai/sdk"
)

const (
	// permRead reads every report of the tenant and below, unverified ones
	// included, with the reporter's contact masked.
	permRead = "disaster.reports.read"
	// permWrite records reports, assesses impact, moves the response on
	// and logs actions and needs.
	permWrite = "disaster.reports.write"
	// permVerify verifies or rejects a reported disaster.
	permVerify = "disaster.reports.verify"
	// permPersonal shows the reporter's name and phone and the KK/NIK
	// lists of an impact assessment (each read audited by the host).
	permPersonal = "disaster.reports.read_personal"
	// permSettings sets the regency's webhook and reads its delivery log.
	permSettings = "disaster.settings.write"
)

// Events the module publishes, one per state change.
const (
	EventSubmitted     = "disaster.report_submitted"
	EventVerified      = "disaster.report_verified"
	EventRejected      = "disaster.report_rejected"
	EventImpact        = "disaster.impact_assessed"
	EventStatusChanged = "disaster.status_changed"
)

// publicReportLimit bounds a citizen's reports per client address, on the
// API and on the public form alike: a witness sends one or two, a script
// hundreds.
var publicReportLimit = &sdk.RateLimit{Requests: 20, Window: time.Hour}

// lookupLimit bounds guesses of tracking codes per client address.
var lookupLimit = &sdk.RateLimit{Requests: 60, Window: time.Minute}

// pluginID is the module's id.
const pluginID = "disaster"

var plugin = sdk.Plugin{
	ID: pluginID, Version: "0.1.0", Vendor: "Balai",
	Description: "Disaster reports (E-Pantau): citizens' and operators' reports, verification, impact from the population register, response status, alerts and regency statistics",
	Permissions: []sdk.Permission{
		{Name: permRead, Description: "read every disaster report, unverified included (reporter's contact masked)", Roles: []string{"viewer", "operator"}},
		{Name: permWrite, Description: "record reports, assess impact, move the response on, log actions and needs", Roles: []string{"operator"}},
		{Name: permVerify, Description: "verify or reject a reported disaster (alerts the district and regency)", Roles: []string{"operator"}},
		{Name: permPersonal, Description: "see reporters' names and phones and the KK/NIK of affected families (each read audited)", Roles: []string{"operator"}},
		{Name: permSettings, Description: "set the regency's alert webhook and read its delivery log"},
	},
	Routes: []sdk.Route{
		{Method: "POST", Path: "/reports", Public: true, MaxBodyBytes: 16 << 10, RateLimit: publicReportLimit, Handler: sdk.Func(createReport)},
		{Method: "GET", Path: "/reports", Public: true, Handler: sdk.Func(listReports)},
		{Method: "GET", Path: "/reports/{id}", Public: true, Handler: sdk.Func(getReport)},
		{Method: "GET", Path: "/track/{code}", Public: true, RateLimit: lookupLimit, Handler: sdk.Func(trackReport)},
		{Method: "POST", Path: "/reports/{id}/verify", Permission: permVerify, Handler: sdk.Func(villageOnly(verifyReport))},
		{Method: "POST", Path: "/reports/{id}/reject", Permission: permVerify, Handler: sdk.Func(villageOnly(rejectReport))},
		{Method: "PUT", Path: "/reports/{id}/impact", Permission: permWrite, Timeout: time.Minute, Handler: sdk.Func(villageOnly(putImpact))},
		{Method: "POST", Path: "/reports/{id}/status", Permission: permWrite, Handler: sdk.Func(villageOnly(postStatus))},
		{Method: "POST", Path: "/reports/{id}/log", Permission: permWrite, Handler: sdk.Func(villageOnly(postLog))},
		{Method: "POST", Path: "/reports/{id}/photos", Permission: permWrite, MaxBodyBytes: maxPhotoBytes + multipartSlack, Timeout: time.Minute,
			Handler: sdk.Func(villageOnly(uploadPhoto))},
		{Method: "GET", Path: "/reports/{id}/photos/{file}", Public: true, Handler: servePhoto(false)},
		{Method: "GET", Path: "/reports/{id}/photos/{file}/thumb", Public: true, Handler: servePhoto(true)},
		{Method: "GET", Path: "/summary", Public: true, Handler: sdk.Func(summary)},
		{Method: "GET", Path: "/settings", Permission: permSettings, Handler: sdk.Func(getSettings)},
		{Method: "PUT", Path: "/settings", Permission: permSettings, Handler: sdk.Func(putSettings)},
		{Method: "GET", Path: "/deliveries", Permission: permSettings, Handler: sdk.Func(listDeliveries)},
	},
	Pages:     append(append([]sdk.PageRoute{}, consolePages...), publicPages...),
	Publishes: []string{EventSubmitted, EventVerified, EventRejected, EventImpact, EventStatusChanged},
	// The module consumes its own verification event to post the
	// regency's webhook in the background, with the host's redelivery as
	// the retry and backoff (webhook.go).
	Consumes: []sdk.Consumer{{Event: EventVerified, Handle: deliverWebhook}},
	// Families by KK and residents by NIK, on behalf of the operator who
	// assesses the impact (impact.go).
	Uses: []string{"population.residents.read", "population.residents.lookup"},
	Collections: []sdk.Collection{{
		Name:               "reports",
		PersonalPermission: permPersonal,
		Fields: []sdk.Field{
			{Name: "type", Type: sdk.String, Required: true},
			{Name: "status", Type: sdk.String, Required: true},
			{Name: "active", Type: sdk.Bool, Required: true},
			{Name: "published", Type: sdk.Bool, Required: true},
			{Name: "occurred_at", Type: sdk.Time, Required: true},
			{Name: "year", Type: sdk.Int, Required: true},
			{Name: "dusun", Type: sdk.String},
			{Name: "location", Type: sdk.String},
			{Name: "latitude", Type: sdk.Float},
			{Name: "longitude", Type: sdk.Float},
			{Name: "description", Type: sdk.String, Required: true},
			{Name: "channel", Type: sdk.String, Required: true},
			{Name: "reporter_name", Type: sdk.String, Personal: true},
			{Name: "reporter_phone", Type: sdk.String, Personal: true},
			{Name: "tracking_code", Type: sdk.String, Required: true},
			{Name: "reported_at", Type: sdk.Time, Required: true},
			{Name: "reported_by", Type: sdk.String},
			{Name: "verified_at", Type: sdk.Time},
			{Name: "verified_by", Type: sdk.String},
			{Name: "rejected_at", Type: sdk.Time},
			{Name: "rejected_by", Type: sdk.String},
			{Name: "reject_reason", Type: sdk.String},
			{Name: "status_at", Type: sdk.Time},
			{Name: "closed_at", Type: sdk.Time},
			{Name: "dead", Type: sdk.Int},
			{Name: "missing", Type: sdk.Int},
			{Name: "injured", Type: sdk.Int},
			{Name: "displaced", Type: sdk.Int},
			{Name: "houses_light", Type: sdk.Int},
			{Name: "houses_moderate", Type: sdk.Int},
			{Name: "houses_heavy", Type: sdk.Int},
			{Name: "facilities", Type: sdk.Int},
			{Name: "facilities_note", Type: sdk.String},
			{Name: "affected_families", Type: sdk.Int},
			{Name: "affected_residents", Type: sdk.Int},
			{Name: "affected_kk", Type: sdk.Object, Personal: true},
			{Name: "affected_nik", Type: sdk.Object, Personal: true},
			{Name: "impact_at", Type: sdk.Time},
			{Name: "impact_by", Type: sdk.String},
			{Name: "photos", Type: sdk.Object},
		},
		Indexes: []sdk.Index{
			{Fields: []string{"tracking_code"}, Unique: true},
			{Fields: []string{"status"}},
			{Fields: []string{"published", "occurred_at"}},
			{Fields: []string{"active"}},
			{Fields: []string{"type", "year"}},
			{Fields: []string{"occurred_at"}},
		},
	}, {
		// log is the response's log: actions taken, needs stated, and
		// every status change with its note.
		Name: "log",
		Fields: []sdk.Field{
			{Name: "report_id", Type: sdk.String, Required: true},
			{Name: "kind", Type: sdk.String, Required: true},
			{Name: "text", Type: sdk.String, Required: true},
			{Name: "status", Type: sdk.String},
			{Name: "quantity", Type: sdk.Int},
			{Name: "unit", Type: sdk.String},
			{Name: "at", Type: sdk.Time, Required: true},
			{Name: "by", Type: sdk.String},
		},
		Indexes: []sdk.Index{{Fields: []string{"report_id", "at"}}},
	}, {
		// deliveries logs each webhook delivery of a verification, in the
		// village's tenant; the regency reads them through Subtree.
		Name: "deliveries",
		Fields: []sdk.Field{
			{Name: "event_id", Type: sdk.Int, Required: true},
			{Name: "report_id", Type: sdk.String, Required: true},
			{Name: "url", Type: sdk.String, Required: true},
			{Name: "state", Type: sdk.String, Required: true},
			{Name: "attempts", Type: sdk.Int, Required: true},
			{Name: "last_status", Type: sdk.Int},
			{Name: "last_error", Type: sdk.String},
			{Name: "last_at", Type: sdk.Time, Required: true},
			{Name: "delivered_at", Type: sdk.Time},
		},
		Indexes: []sdk.Index{{Fields: []string{"event_id"}, Unique: true}, {Fields: []string{"last_at"}}},
	}},
}

func main() { sdk.Serve(&plugin) }
